"""Reviewers' pages: the screening queue and its bulk actions, one submission's screening
page (decision and the reviewer's own rating), reports and hidden comments, and the
ranking board of a case with its claim coverage and the Forward button.

Who sees what (``review.permissions``): a user who reviews no case gets a 403 page that
says so; a submission or case the user does not review is a 404 (its existence is not
theirs to know); a case they review that is no longer being screened is read-only.
Views stay thin: a form validates, a selector reads, one service writes, and what the
service refuses comes back as form errors (ValidationError) or a 403 page.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST
from wagtail.models import Page

from cases.models import Case
from cases.permissions import EDIT_AGENCY_CASES, cases_for_user
from submissions import permissions as submission_perms
from submissions.forms import add_service_errors
from submissions.models import (
    Attachment,
    AuditEvent,
    ClaimMapping,
    Comment,
    Flag,
    FlagStatus,
    PriorArt,
    PriorArtStatus,
)

from .. import services
from ..forms import (
    BulkForm,
    DecisionForm,
    ForwardForm,
    QueueFilterForm,
    ResolveReportsForm,
    RestoreCommentForm,
    ReviewerRatingForm,
)
from ..models import Dossier, ForwardTrigger, ReviewerRating
from ..permissions import reviewed_cases, user_can_examine, user_can_forward
from ..permissions import user_can_screen as can_screen_case
from ..selectors import (
    claim_coverage,
    ranked_for_case,
    score_of,
    screening_queue,
    with_rating_totals,
)
from ..services.screening import SCREENABLE

PAGE_SIZE = 25
T = "review/screening/"
RATEABLE = {PriorArtStatus.SUBMITTED, PriorArtStatus.VETTED}
DONE_MESSAGES = {
    "vet": lambda n: ngettext("%(n)d vetted.", "%(n)d vetted.", n),
    "needs_changes": lambda n: ngettext(
        "%(n)d sent back for changes.", "%(n)d sent back for changes.", n
    ),
    "reject": lambda n: ngettext("%(n)d rejected.", "%(n)d rejected.", n),
}


# --- Helpers ---------------------------------------------------------------------------


def _forbidden(request, message: str, *, case=None, title=None):
    return render(
        request,
        "submissions/forbidden.html",
        {"title": title or _("You cannot do this"), "message": message, "case": case},
        status=403,
    )


def _not_appointed(request, *, moderation: bool = False):
    return render(
        request, T + "not_appointed.html", {"moderation": moderation}, status=403
    )


def _safe_next(request, url: str | None) -> str:
    """``url`` if it is a path on this site, the queue otherwise."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("review:queue")


def page_url(request, slug: str) -> str | None:
    """The address of a published editorial page (the guidelines), if there is one."""
    page = Page.objects.live().filter(slug=slug).first()
    return page.get_url(request=request) if page else None


def _reviewed_case(user, pk: int) -> Case:
    case = reviewed_cases(user).select_related("agency").filter(pk=pk).first()
    if case is None:
        raise Http404("No such case.")
    return case


def _moderated_cases(user):
    """Published cases whose reports and comments ``user`` may moderate: the ones they
    review and their agencies' ones (``submissions.permissions.user_can_moderate``)."""
    return Case.objects.filter(
        Q(pk__in=reviewed_cases(user).values("pk"))
        | Q(pk__in=cases_for_user(user, EDIT_AGENCY_CASES).values("pk")),
        live=True,
    )


def _mean(total, count):
    return total / count if count else None


# --- Queue -------------------------------------------------------------------------------


def _queue_page(request, query: QueryDict, *, bulk_form=None, next_url=None):
    """The queue for ``query`` (the filters and page), with ``bulk_form``'s errors and
    ticked rows when a bulk action was refused."""
    user = request.user
    data = query.copy()
    if not data.get("status"):
        data["status"] = "submitted"
    filter_form = QueueFilterForm(data, user=user)
    filter_form.is_valid()
    filters = filter_form.filters()
    rows = screening_queue(user=user, filters=filters)
    page = Paginator(rows, PAGE_SIZE).get_page(query.get("page"))
    selected = set(bulk_form.data.getlist("prior_art")) if bulk_form else set()
    for row in page:
        row.community_mean = _mean(row.votes_sum, row.votes_count)
        row.reviewer_mean = _mean(row.reviewer_sum, row.reviewer_count)
        row.score = score_of(row)
        row.selected = str(row.pk) in selected
    keep = query.copy()
    keep.pop("page", None)
    return render(
        request,
        T + "queue.html",
        {
            "filter_form": filter_form,
            "page": page,
            "bulk_form": bulk_form or BulkForm(),
            "next_url": next_url or request.get_full_path(),
            "query": keep.urlencode(),
            "waiting": filters["status"] == "submitted"
            and not any(value for key, value in filters.items() if key != "status"),
        },
    )


@login_required
@require_GET
def queue(request):
    """The submissions on the cases the user screens, 25 to a page, with filters."""
    if not reviewed_cases(request.user).exists():
        return _not_appointed(request)
    return _queue_page(request, request.GET)


@login_required
@require_POST
def bulk(request):
    """One decision for the ticked rows; back to the same filtered queue page."""
    if not reviewed_cases(request.user).exists():
        return _not_appointed(request)
    form = BulkForm(request.POST)
    next_url = _safe_next(request, request.POST.get("next"))
    query = QueryDict(urlsplit(next_url).query)
    if not form.is_valid():
        return _queue_page(request, query, bulk_form=form, next_url=next_url)
    decision = form.cleaned_data["decision"]
    try:
        done, errors = services.screening_bulk(
            prior_art_ids=form.cleaned_data["prior_art"],
            actor=request.user,
            decision=decision,
            reason=form.cleaned_data["reason"],
        )
    except PermissionDenied as error:
        return _forbidden(request, str(error))
    except ValidationError as error:
        add_service_errors(form, error)
        return _queue_page(request, query, bulk_form=form, next_url=next_url)
    if done:
        messages.success(request, DONE_MESSAGES[decision](len(done)) % {"n": len(done)})
    # Name only the submissions this reviewer may know about.
    refs = dict(
        PriorArt.objects.filter(
            pk__in=list(errors), case__in=reviewed_cases(request.user)
        ).values_list("pk", "tracking_ref")
    )
    for pk, message in errors.items():
        if pk in refs:
            text = _("%(ref)s was not changed: %(reason)s") % {
                "ref": refs[pk],
                "reason": message,
            }
        else:
            text = _("Submission %(id)d was not changed: no such submission.") % {
                "id": pk
            }
        messages.error(request, text)
    return redirect(next_url)


# --- One submission ----------------------------------------------------------------------


def _item_for(user, ref: str) -> tuple[PriorArt, bool]:
    """The submission and whether ``user`` may screen it now. 404 unless they review its
    case (a case no longer being screened is shown read-only)."""
    prior_art = (
        with_rating_totals(PriorArt.objects.filter(tracking_ref=ref))
        .select_related("case", "case__agency", "author", "duplicate_of")
        .first()
    )
    if prior_art is None:
        raise Http404("No such submission.")
    if can_screen_case(user, prior_art.case):
        return prior_art, True
    if reviewed_cases(user).filter(pk=prior_art.case_id).exists():
        return prior_art, False
    raise Http404("No such submission.")


def _possible_duplicates(prior_art: PriorArt) -> list[PriorArt]:
    same = Q()
    if prior_art.identifier_key:
        same |= Q(identifier_key=prior_art.identifier_key)
    if prior_art.text_fingerprint:
        same |= Q(text_fingerprint=prior_art.text_fingerprint)
    if not same:
        return []
    return list(
        PriorArt.objects.filter(same, case_id=prior_art.case_id)
        .exclude(pk=prior_art.pk)
        .select_related("author")
        .order_by("created_at", "pk")
    )


EVENT_LABELS = {
    "submit": _lazy("Submitted"),
    "edit": _lazy("Changed by the contributor"),
    "withdraw": _lazy("Withdrawn by the contributor"),
    "hidden_by_flags": _lazy("Hidden after reports"),
    "vet": _lazy("Vetted"),
    "request_changes": _lazy("Changes requested"),
    "reject": _lazy("Rejected"),
    "mark_duplicate": _lazy("Marked as a duplicate"),
    "merge_duplicate": _lazy("A duplicate was merged into it"),
    "reviewer_rating": _lazy("Rated by a reviewer"),
    "flags_uphold": _lazy("Reports upheld"),
    "flags_dismiss": _lazy("Reports dismissed"),
    "forward": _lazy("Forwarded to the examiner"),
}


def _audit_trail(prior_art: PriorArt) -> list[AuditEvent]:
    """Every audit row of the submission, oldest first, each with a readable label."""
    events = list(
        AuditEvent.objects.filter(prior_art=prior_art)
        .select_related("actor")
        .order_by("at", "id")
    )
    for event in events:
        event.label = (
            EVENT_LABELS.get(event.action)
            or event.action.replace("_", " ").capitalize()
        )
    return events


def _item_context(
    request, prior_art, can_screen, *, decision_form=None, rating_form=None
):
    user = request.user
    ratings = list(
        ReviewerRating.objects.filter(prior_art=prior_art)
        .select_related("reviewer")
        .order_by("created_at", "pk")
    )
    mine = next((r for r in ratings if r.reviewer_id == user.pk), None)
    can_decide = can_screen and prior_art.status in SCREENABLE
    can_rate = can_screen and prior_art.status in RATEABLE
    if can_decide and decision_form is None:
        decision_form = DecisionForm(prior_art=prior_art)
    if can_rate and rating_form is None:
        initial = {"rating": mine.rating, "note": mine.note} if mine else {}
        rating_form = ReviewerRatingForm(initial=initial)
    return {
        "prior_art": prior_art,
        "case": prior_art.case,
        "can_screen": can_screen,
        "mappings": ClaimMapping.objects.filter(prior_art=prior_art)
        .select_related("claim")
        .order_by("claim__number"),
        "attachments": Attachment.objects.filter(prior_art=prior_art).order_by(
            "created_at", "pk"
        ),
        "community_mean": _mean(prior_art.votes_sum, prior_art.votes_count),
        "score": score_of(prior_art),
        "ratings": ratings,
        "my_rating": mine,
        "events": _audit_trail(prior_art),
        "flags": Flag.objects.filter(prior_art=prior_art, status=FlagStatus.OPEN)
        .select_related("reporter")
        .order_by("created_at", "pk"),
        "duplicates": _possible_duplicates(prior_art),
        # A refused decision stays on screen with its errors even if the submission
        # has moved on meanwhile (screened by someone else).
        "decision_form": decision_form
        if can_decide or (decision_form is not None and decision_form.is_bound)
        else None,
        "rating_form": rating_form if can_rate else None,
        "guidelines_url": page_url(request, "guidelines-contributors"),
    }


@login_required
@require_GET
def item(request, ref: str):
    """Everything a reviewer needs to screen one submission, and the forms to do it."""
    prior_art, can_screen = _item_for(request.user, ref)
    return render(
        request, T + "item.html", _item_context(request, prior_art, can_screen)
    )


def _screening_over(request, prior_art):
    return _forbidden(
        request,
        _(
            "The screening of case %(ref)s is over (it is %(status)s), so its "
            "evidence can no longer be screened or rated."
        )
        % {
            "ref": prior_art.case.reference,
            "status": prior_art.case.get_status_display().lower(),
        },
        case=prior_art.case,
        title=_("Screening is over"),
    )


def _next_item_url(user, current: PriorArt) -> str:
    """The next submission waiting in the user's queue, else the queue."""
    rows = (
        screening_queue(user=user, filters={"status": "submitted"})
        .prefetch_related(None)
        .exclude(pk=current.pk)
    )
    later = rows.filter(
        Q(created_at__gt=current.created_at)
        | Q(created_at=current.created_at, pk__gt=current.pk)
    )
    ref = (
        later.values_list("tracking_ref", flat=True).first()
        or rows.values_list("tracking_ref", flat=True).first()
    )
    return reverse("review:item", args=[ref]) if ref else reverse("review:queue")


def _decided_message(prior_art: PriorArt) -> str:
    ref = prior_art.tracking_ref
    return {
        PriorArtStatus.VETTED: _("%(ref)s vetted."),
        PriorArtStatus.NEEDS_CHANGES: _("%(ref)s sent back to its contributor."),
        PriorArtStatus.REJECTED: _("%(ref)s rejected; its contributor sees why."),
        PriorArtStatus.DUPLICATE: _("%(ref)s marked as a duplicate of %(orig)s."),
    }.get(prior_art.status, _("%(ref)s updated.")) % {
        "ref": ref,
        "orig": getattr(prior_art.duplicate_of, "tracking_ref", ""),
    }


@login_required
@require_POST
def decide(request, ref: str):
    """Vet, send back, reject or mark as a duplicate; then on to the next item."""
    prior_art, can_screen = _item_for(request.user, ref)
    if not can_screen:
        return _screening_over(request, prior_art)
    form = DecisionForm(request.POST, prior_art=prior_art)
    if form.is_valid():
        decision = form.cleaned_data["decision"]
        try:
            decided = services.screening_decide(
                prior_art=prior_art,
                actor=request.user,
                decision=decision,
                reason=form.cleaned_data["reason"],
                duplicate_of=form.cleaned_data["duplicate_of"]
                if decision == "duplicate"
                else None,
            )
        except PermissionDenied as error:
            return _forbidden(request, str(error), case=prior_art.case)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _decided_message(decided))
            return redirect(_next_item_url(request.user, prior_art))
    context = _item_context(request, prior_art, can_screen, decision_form=form)
    return render(request, T + "item.html", context)


@login_required
@require_POST
def rate(request, ref: str):
    """The reviewer's own 1–5 rating of a submission, with a note for the others."""
    prior_art, can_screen = _item_for(request.user, ref)
    if not can_screen:
        return _screening_over(request, prior_art)
    form = ReviewerRatingForm(request.POST)
    if form.is_valid():
        try:
            services.reviewer_rating_set(
                prior_art=prior_art,
                reviewer=request.user,
                rating=form.cleaned_data["rating"],
                note=form.cleaned_data["note"],
            )
        except PermissionDenied as error:
            return _forbidden(request, str(error), case=prior_art.case)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your rating has been saved."))
            url = reverse("review:item", args=[prior_art.tracking_ref])
            return redirect(f"{url}#rating")
    context = _item_context(request, prior_art, can_screen, rating_form=form)
    return render(request, T + "item.html", context)


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


# --- Ranking and forwarding ----------------------------------------------------------------


def _ranking_context(request, case, *, forward_form=None) -> dict:
    user = request.user
    ranked = ranked_for_case(case)
    for row in ranked:
        row.prior_art.community_mean = _mean(
            row.prior_art.votes_sum, row.prior_art.votes_count
        )
    dossier = Dossier.objects.filter(case=case).first()
    can_forward = dossier is None and user_can_forward(user, case)
    return {
        "case": case,
        "ranked": ranked,
        "within": sum(1 for row in ranked if row.rank <= case.forward_limit),
        "coverage": claim_coverage(case),
        "dossier": dossier,
        "forwarded": list(dossier.items.order_by("rank")) if dossier else [],
        "can_open_dossier": bool(dossier) and user_can_examine(user, case),
        "can_forward": can_forward,
        "window_open": submission_perms.window_open(case),
        "forward_form": forward_form or (ForwardForm() if can_forward else None),
        "reviewer_guidelines_url": page_url(request, "guidelines-reviewers"),
    }


@login_required
@require_GET
def ranking(request, pk: int):
    """The case's vetted evidence in rank order, the forward cut line, claim coverage."""
    case = _reviewed_case(request.user, pk)
    return render(request, T + "ranking.html", _ranking_context(request, case))


def _already_forwarded(request, dossier: Dossier) -> None:
    messages.info(
        request,
        ngettext(
            "This case was already forwarded on %(date)s, with %(n)d item. Nothing "
            "changed.",
            "This case was already forwarded on %(date)s, with %(n)d items. Nothing "
            "changed.",
            dossier.item_count,
        )
        % {
            "date": date_format(localtime(dossier.forwarded_at), "j F Y, H:i"),
            "n": dossier.item_count,
        },
    )


@login_required
@require_POST
def forward(request, pk: int):
    """Forward the case's top vetted evidence to the examiner now (once per case)."""
    case = _reviewed_case(request.user, pk)
    url = reverse("review:ranking", args=[case.pk])
    existing = Dossier.objects.filter(case=case).first()
    if existing is not None:
        _already_forwarded(request, existing)
        return redirect(url)
    if not user_can_forward(request.user, case):
        return _forbidden(
            request,
            _(
                "Evidence can be forwarded while a case is open or closed; case "
                "%(ref)s is %(status)s."
            )
            % {"ref": case.reference, "status": case.get_status_display().lower()},
            case=case,
            title=_("This case cannot be forwarded"),
        )
    form = ForwardForm(request.POST)
    if not form.is_valid():
        context = _ranking_context(request, case, forward_form=form)
        return render(request, T + "ranking.html", context)
    try:
        dossier, created = services.case_forward(
            case_id=case.pk, actor=request.user, trigger=ForwardTrigger.REVIEWER
        )
    except PermissionDenied as error:
        return _forbidden(request, str(error), case=case)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(url)
    if not created:
        _already_forwarded(request, dossier)
        return redirect(url)
    messages.success(
        request,
        ngettext(
            "Forwarded %(n)d item to the examiner. The review of %(ref)s has ended.",
            "Forwarded %(n)d items to the examiner. The review of %(ref)s has ended.",
            dossier.item_count,
        )
        % {"n": dossier.item_count, "ref": case.reference},
    )
    return redirect(url)
