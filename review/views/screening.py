"""Reviewers' pages: the screening queue and its bulk actions, and one submission's
screening page (decision and the reviewer's own rating).

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
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from submissions import permissions as submission_perms
from submissions.forms import add_service_errors
from submissions.models import (
    Attachment,
    AuditEvent,
    ClaimMapping,
    Flag,
    FlagStatus,
    PriorArt,
    PriorArtStatus,
)
from submissions.services import find_duplicates

from .. import services
from ..forms import (
    BulkForm,
    DecisionForm,
    QueueFilterForm,
    ReviewerRatingForm,
)
from ..models import ReviewerRating
from ..permissions import reviewed_cases, screening_refusal
from ..permissions import user_can_screen as can_screen_case
from ..selectors import (
    score_of,
    screening_queue,
    with_rating_totals,
)
from ..services.screening import SCREENABLE
from ._common import (
    PAGE_SIZE,
    T,
    _forbidden,
    _mean,
    _not_appointed,
    _safe_next,
    page_url,
)

RATEABLE = {PriorArtStatus.SUBMITTED, PriorArtStatus.VETTED}
DONE_MESSAGES = {
    "vet": lambda n: ngettext("%(n)d vetted.", "%(n)d vetted.", n),
    "needs_changes": lambda n: ngettext(
        "%(n)d sent back for changes.", "%(n)d sent back for changes.", n
    ),
    "reject": lambda n: ngettext("%(n)d rejected.", "%(n)d rejected.", n),
}


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
    """The submission and whether ``user`` may screen it now (a case no longer being
    screened is shown read-only). 403 for someone who may see the submission (public,
    theirs, or on a case they staff) but does not review its case; 404 for anyone else
    and for everything of an unpublished case."""
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
    if prior_art.case.live and submission_perms.user_can_view_prior_art(
        user, prior_art
    ):
        # They know it exists (it is public, theirs, or on a case they staff): say
        # plainly that screening is not theirs to do, as the API does.
        raise PermissionDenied(screening_refusal(user, prior_art.case))
    raise Http404("No such submission.")


def _possible_duplicates(prior_art: PriorArt) -> list[PriorArt]:
    """What the submit-time warning finds (``find_duplicates``): the same identifier,
    the same or a near-identical title and excerpt, or the same library document."""
    return list(
        find_duplicates(
            case=prior_art.case,
            identifier=prior_art.identifier,
            url=prior_art.url,
            title=prior_art.title,
            excerpt=prior_art.excerpt,
            library_document=prior_art.library_document_id,
            exclude_pk=prior_art.pk,
        ).select_related("author")
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
