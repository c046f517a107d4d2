"""Template helpers of the contribution pages: the permission questions a template asks
about one comment, and where an error summary's link should land."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

from .. import permissions as perms
from ..models import PriorArtStatus

register = template.Library()

EVENT_LABELS = {
    "submit": _("Submitted"),
    "edit": _("Changed by you"),
    "withdraw": _("Withdrawn"),
    "hidden_by_flags": _("Hidden after reports"),
    "vet": _("Vetted by a reviewer"),
    "request_changes": _("Changes requested by a reviewer"),
    "reject": _("Rejected by a reviewer"),
    "mark_duplicate": _("Marked as a duplicate"),
    "merge_duplicate": _("A duplicate was merged into this one"),
    "forward": _("Forwarded to the examiner"),
    "examiner_decision": _("The examiner's decision"),
    "flags_uphold": _("Reports upheld"),
    "flags_dismiss": _("Reports dismissed"),
}


@register.filter
def error_anchor(bound_field) -> str:
    """The id of the input an error summary links to: the first option of a group of
    radios or checkboxes, the field itself otherwise."""
    if bound_field.use_fieldset:
        return f"{bound_field.auto_id}_0"
    return bound_field.auto_id


@register.filter
def comment_editable_by(comment, user) -> bool:
    return perms.user_can_edit_comment(user, comment)


@register.filter
def comment_flaggable_by(comment, user) -> bool:
    return perms.user_can_flag(user, comment=comment)


@register.filter
def status_label(value: str) -> str:
    """The label of a submission status value, as people read it."""
    from review.models import Outcome

    for choices in (PriorArtStatus, Outcome):
        try:
            return choices(value).label
        except ValueError:
            continue
    return value


@register.filter
def event_label(action: str) -> str:
    """What an audit event's action means, in words."""
    return str(EVENT_LABELS.get(action) or action.replace("_", " ").capitalize())
