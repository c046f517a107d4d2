"""Moderators' pages: open reports on submissions and comments, and hidden comments.

For the reviewers and the agency editors of a case (``submissions.permissions.
user_can_moderate``); decisions go through ``review.services.flags_resolve`` and
``review.services.comment_restore``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from submissions import permissions as submission_perms
from submissions.forms import add_service_errors
from submissions.models import (
    Comment,
    Flag,
    FlagStatus,
    PriorArt,
)

from .. import services
from ..forms import (
    ResolveReportsForm,
    RestoreCommentForm,
)
from ._common import (
    T,
    _forbidden,
    _moderated_cases,
    _not_appointed,
)

# --- Reports and hidden comments -----------------------------------------------------------


def _reports_context(request, cases, *, active=None) -> dict:
    """Open reports grouped by what they report, and the hidden comments, on ``cases``.
    ``active`` is ``(key, form)``: the bound form a refused decision re-displays."""
    flags = (
        Flag.objects.filter(status=FlagStatus.OPEN)
        .filter(Q(prior_art__case__in=cases) | Q(comment__case__in=cases))
        .select_related(
            "reporter",
            "prior_art__case",
            "prior_art__author",
            "comment__case",
            "comment__author",
            "comment__prior_art",
        )
        .order_by("created_at", "pk")
    )
    groups: dict[tuple, dict] = {}
    for flag in flags:
        kind = "prior_art" if flag.prior_art_id else "comment"
        target = flag.prior_art or flag.comment
        group = groups.setdefault(
            (kind, target.pk),
            {"kind": kind, "target": target, "case": target.case, "flags": []},
        )
        group["flags"].append(flag)
    active_key, active_form = active or (None, None)
    for key, group in groups.items():
        group["form"] = (
            active_form
            if key == active_key
            else ResolveReportsForm(
                initial={"target": key[0], "id": key[1]},
                auto_id=f"report-{key[0]}-{key[1]}-%s",
            )
        )
    hidden = list(
        Comment.objects.filter(case__in=cases, hidden=True)
        .select_related("case", "author", "prior_art")
        .order_by("-created_at", "-pk")[:200]
    )
    for comment in hidden:
        key = ("restore", comment.pk)
        comment.restore_form = (
            active_form
            if key == active_key
            else RestoreCommentForm(auto_id=f"restore-{comment.pk}-%s")
        )
    return {"groups": list(groups.values()), "hidden": hidden, "active": active_form}


@login_required
@require_GET
def reports(request):
    """Open reports on the cases the user moderates, and their hidden comments."""
    cases = _moderated_cases(request.user)
    if not cases.exists():
        return _not_appointed(request, moderation=True)
    return render(request, T + "reports.html", _reports_context(request, cases))


@login_required
@require_POST
def resolve_reports(request):
    """Uphold or dismiss every open report on one submission or comment."""
    cases = _moderated_cases(request.user)
    if not cases.exists():
        return _not_appointed(request, moderation=True)
    target_kind, target_id = request.POST.get("target"), request.POST.get("id")
    form = ResolveReportsForm(
        request.POST, auto_id=f"report-{target_kind}-{target_id}-%s"
    )
    if not form.is_valid():
        key = (target_kind, int(target_id) if str(target_id).isdigit() else None)
        context = _reports_context(request, cases, active=(key, form))
        return render(request, T + "reports.html", context)
    kind, pk = form.cleaned_data["target"], form.cleaned_data["id"]
    model = PriorArt if kind == "prior_art" else Comment
    target = model.objects.select_related("case").filter(pk=pk, case__in=cases).first()
    if target is None:
        raise Http404("Nothing to decide here.")
    decision = form.cleaned_data["decision"]
    try:
        count = services.flags_resolve(
            actor=request.user,
            decision=decision,
            reason=form.cleaned_data["reason"],
            **{kind: target},
        )
    except PermissionDenied as error:
        return _forbidden(request, str(error), case=target.case)
    except ValidationError as error:
        add_service_errors(form, error)
        context = _reports_context(request, cases, active=((kind, pk), form))
        return render(request, T + "reports.html", context)
    if decision == "uphold":
        text = ngettext("%(n)d report upheld.", "%(n)d reports upheld.", count)
    else:
        text = ngettext("%(n)d report dismissed.", "%(n)d reports dismissed.", count)
    messages.success(request, text % {"n": count})
    return redirect("review:reports")


@login_required
@require_POST
def restore_comment(request, pk: int):
    """Show a hidden comment again; the hiding stays in the audit trail."""
    comment = Comment.objects.select_related("case").filter(pk=pk).first()
    if comment is None or not comment.case.live:
        raise Http404("No such comment.")
    if not submission_perms.user_can_moderate(request.user, comment.case):
        return _forbidden(
            request,
            _("Only reviewers and editors of this case can restore comments."),
            case=comment.case,
        )
    form = RestoreCommentForm(request.POST, auto_id=f"restore-{pk}-%s")
    if form.is_valid():
        try:
            services.comment_restore(
                comment=comment, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except PermissionDenied as error:
            return _forbidden(request, str(error), case=comment.case)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The comment is visible again."))
            return redirect("review:reports")
    cases = _moderated_cases(request.user)
    context = _reports_context(request, cases, active=(("restore", pk), form))
    return render(request, T + "reports.html", context)
