"""Helpers shared by the reviewers' pages (screening, moderation, ranking)."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from wagtail.models import Page

from cases.models import Case
from cases.permissions import EDIT_AGENCY_CASES, cases_for_user

from ..permissions import reviewed_cases

PAGE_SIZE = 25
T = "review/screening/"

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
