from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from review.reputation import case_outcome
from submissions import permissions as submission_perms
from submissions import selectors as submission_selectors
from submissions.forms import CommentForm

from . import selectors
from .forms import CaseFilterForm

PAGE_SIZE = 20
EVIDENCE_PER_PAGE = 20


def case_list(request):
    form = CaseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    cases = selectors.case_list(user=request.user, filters=filters)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/case_list.html",
        {"form": form, "page": page, "query": query.urlencode(), "now": timezone.now()},
    )


def case_detail(request, pk: int):
    """The case with its claims, a page of the evidence submitted on it, the outcome of
    its review once forwarded, and a page of its discussion; a constant number of
    queries, and about the same time, whatever the number of claims, submissions,
    forwarded items and comments. ``?evidence=N`` and ``?discussion=N`` choose the pages,
    ``?comment=ID`` the page of the discussion that holds that comment."""
    user = request.user
    case = selectors.case_detail(user=user, pk=pk)
    discussion = submission_selectors.discussion_for_case(
        case=case,
        user=user,
        page=request.GET.get("discussion"),
        comment=request.GET.get("comment"),
    )
    evidence = Paginator(
        submission_selectors.prior_art_for_case(case=case, user=user),
        EVIDENCE_PER_PAGE,
    ).get_page(request.GET.get("evidence"))
    can_comment = submission_perms.user_can_comment(user, case)
    can_submit = submission_perms.user_can_submit(user, case)
    is_verified = submission_perms.user_is_verified(user)
    # Verified, open for review, and still refused: the user judges this case. (Staff
    # membership is cached by user_can_submit, so this costs no query.)
    staff_conflict = (
        not can_submit
        and is_verified
        and submission_perms.window_open(case)
        and submission_perms.user_is_case_staff(user, case)
    )
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "claims": case.claims.all(),
            "documents": case.documents.all(),
            "areas": case.technology_areas.all(),
            "now": timezone.now(),
            "prior_art": evidence.object_list,
            "evidence_page": evidence,
            "comments": discussion.comments,
            "discussion": discussion,
            "page_links": _page_links(request),
            # The examiner's public decision on each forwarded item (never the notes).
            "outcome": case_outcome(case),
            "can_submit": can_submit,
            "staff_conflict": staff_conflict,
            "is_verified": is_verified,
            "can_comment": can_comment,
            "can_moderate": submission_perms.user_can_moderate(user, case),
            "comment_form": (
                CommentForm(case=case, user=user) if can_comment else None
            ),
        },
    )


def _page_links(request) -> dict[str, str]:
    """The query string to append a page number to, per paged list, each keeping the
    other list's page (``comment`` is dropped: a page number says where to go)."""
    links = {}
    for name in ("evidence", "discussion"):
        query = request.GET.copy()
        for key in (name, "comment"):
            query.pop(key, None)
        kept = query.urlencode()
        links[name] = f"?{kept}&{name}=" if kept else f"?{name}="
    return links
