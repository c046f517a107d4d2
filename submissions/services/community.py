"""Comments (post, edit, moderation hide), ratings and reports."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.notifications import notify
from cases.models import Case, Claim

from .. import permissions as perms
from ..models import (
    Comment,
    Flag,
    FlagStatus,
    PriorArt,
    Vote,
)
from .common import (
    NOT_PUBLIC_CANNOT_FLAG,
    STAFF_CANNOT_RATE,
    _audit,
)


def comment_post(
    *,
    case: Case,
    author,
    body: str,
    claim: Claim | None = None,
    prior_art: PriorArt | None = None,
    parent: Comment | None = None,
) -> Comment:
    """Post a comment on the case, one of its claims, or one of its submissions; a reply
    inherits its parent's target. The parent's author is told of the reply."""
    if not perms.user_can_comment(author, case):
        raise PermissionDenied(
            _(
                "Comments are open to confirmed accounts while the review window is open."
            )
        )
    if not (body or "").strip():
        raise ValidationError({"body": _("Write a comment first.")})
    if parent is not None:
        if parent.case_id != case.pk or not parent.is_visible:
            raise ValidationError({"parent": _("You cannot reply to that comment.")})
        claim, prior_art = parent.claim, parent.prior_art
    if claim is not None and claim.case_id != case.pk:
        raise ValidationError({"claim": _("That claim belongs to another case.")})
    if prior_art is not None and (
        prior_art.case_id != case.pk
        or not perms.user_can_view_prior_art(author, prior_art)
    ):
        raise ValidationError({"prior_art": _("That submission is not on this case.")})
    with transaction.atomic():
        comment = Comment(
            case=case,
            author=author,
            body=body,
            claim=claim,
            prior_art=prior_art,
            parent=parent,
        )
        comment.full_clean()
        comment.save()
        if parent is not None and parent.author_id != author.pk:
            notify(
                recipient=parent.author,
                key=f"reply:{comment.pk}",
                subject=_("%(who)s replied to your comment on %(ref)s")
                % {"who": author.public_name, "ref": case.reference},
                body=body[:1000],
                url=comment.get_absolute_url(),
            )
    return comment


def comment_edit(*, comment: Comment, actor, body: str) -> Comment:
    """The author corrects a comment within the edit window."""
    with transaction.atomic():
        comment = (
            Comment.objects.select_for_update()
            .select_related("case")
            .get(pk=comment.pk)
        )
        if not perms.user_can_edit_comment(actor, comment):
            raise PermissionDenied(_("This comment can no longer be edited."))
        if not (body or "").strip():
            raise ValidationError({"body": _("Write a comment first.")})
        comment.body = body
        comment.edited_at = timezone.now()
        comment.full_clean()
        comment.save(update_fields=["body", "edited_at"])
        _audit(comment=comment, actor=actor, action="comment_edit")
    return comment


def comment_hide(*, comment: Comment, actor, reason: str) -> Comment:
    """Moderation: hide a comment with a reason. It stays in the database and the audit
    trail; the public sees that a comment was hidden, not its text."""
    if not perms.user_can_moderate(actor, comment.case):
        raise PermissionDenied(
            _("Only reviewers and editors of this case can hide comments.")
        )
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the comment is hidden.")})
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        comment.hidden = True
        comment.hidden_reason = reason
        comment.save(update_fields=["hidden", "hidden_reason"])
        _audit(comment=comment, actor=actor, action="comment_hide", reason=reason)
    return comment


def vote_set(*, prior_art: PriorArt, voter, rating: int) -> Vote:
    """Rate someone else's public prior art 1–5; rating again changes the rating.
    Allowed until the window closes."""
    if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 5:
        raise ValidationError({"rating": _("Choose a rating from 1 to 5.")})
    if prior_art.author_id == getattr(voter, "pk", None):
        raise PermissionDenied(_("You cannot rate your own evidence."))
    if not perms.user_can_rate(voter, prior_art):
        if perms.user_is_case_staff(voter, prior_art.case):
            raise PermissionDenied(str(STAFF_CANNOT_RATE))
        raise PermissionDenied(
            _("Ratings are open to confirmed accounts while the review window is open.")
        )
    vote, _created = Vote.objects.update_or_create(
        prior_art=prior_art, voter=voter, defaults={"rating": rating}
    )
    return vote


def flag_create(
    *,
    reporter,
    reason: str,
    details: str = "",
    prior_art: PriorArt | None = None,
    comment: Comment | None = None,
) -> Flag:
    """Report a submission or comment. When open flags reach
    ``OPENDOCKET_FLAG_HIDE_THRESHOLD`` the item is hidden until a reviewer decides."""
    if (prior_art is None) == (comment is None):
        raise ValidationError(_("Flag either a submission or a comment."))
    if not perms.user_can_flag(reporter, prior_art=prior_art, comment=comment):
        target = prior_art or comment
        if perms.user_is_verified(reporter) and target.author_id != reporter.pk:
            # Not one's own: what stands in the way is that the public cannot see it.
            raise PermissionDenied(str(NOT_PUBLIC_CANNOT_FLAG))
        raise PermissionDenied(
            _("Confirmed accounts can report other people's contributions.")
        )
    try:
        with transaction.atomic():
            flag = Flag(
                reporter=reporter,
                reason=reason,
                details=details,
                prior_art=prior_art,
                comment=comment,
            )
            flag.full_clean(validate_constraints=False)
            flag.save()
            target = prior_art or comment
            model = type(target)
            locked = model.objects.select_for_update().get(pk=target.pk)
            open_flags = locked.flags.filter(status=FlagStatus.OPEN).count()
            if (
                open_flags >= settings.OPENDOCKET_FLAG_HIDE_THRESHOLD
                and not locked.hidden_by_flags
            ):
                locked.hidden_by_flags = True
                locked.save(update_fields=["hidden_by_flags"])
                _audit(
                    prior_art=prior_art,
                    comment=comment,
                    actor=None,
                    action="hidden_by_flags",
                    reason=_("%(n)d open reports") % {"n": open_flags},
                )
    except IntegrityError:
        raise ValidationError(
            _("You have already reported this; a reviewer will look at it.")
        )
    return flag
