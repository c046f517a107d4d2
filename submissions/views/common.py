"""Helpers shared by the contribution pages: refusal pages, the staff conflict rule,
rate-limit answers."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import permissions as perms

GET_POST = require_http_methods(["GET", "POST"])


# Audit actions shown to the case's staff only (the reviewers' ratings and notes).
STAFF_ONLY_EVENTS = ["reviewer_rating"]


def forbidden(request, message: str, *, title: str | None = None, **context):
    """The 403 page: what the person cannot do here, and why (``context`` may add the
    ``case`` or ``prior_art`` to go back to, and a ``reason`` code)."""
    return render(
        request,
        "submissions/forbidden.html",
        {"title": title or _("You cannot do this"), "message": message, **context},
        status=403,
    )


def _case_refusal(request, case, action: str):
    """The 403 page for a case-level action (submitting, commenting) the user may not
    take: an unconfirmed e-mail address, or a case that is not open for review."""
    if not perms.user_is_verified(request.user):
        return forbidden(
            request,
            _(
                "Confirm your e-mail address first: we sent you a link when you signed "
                "up. Only confirmed accounts can %(action)s."
            )
            % {"action": action},
            title=_("Confirm your e-mail address"),
            reason="unverified",
            case=case,
        )
    return forbidden(
        request,
        _(
            "This case is not open for review, so you cannot %(action)s on it. Review "
            "runs from %(opens)s to %(closes)s."
        )
        % {
            "action": action,
            "opens": _format_dt(case.review_opens_at),
            "closes": _format_dt(case.review_closes_at),
        },
        title=_("Review is not open"),
        reason="closed",
        case=case,
    )


def _staff_conflict(user, case) -> bool:
    """Whether the only thing keeping ``user`` from submitting on ``case`` is that they
    judge it: a verified reviewer, examiner or editor of the case while it is open."""
    return (
        perms.user_is_verified(user)
        and perms.window_open(case)
        and not user.is_superuser
        and perms.user_is_case_staff(user, case)
    )


def _format_dt(value) -> str:
    return date_format(localtime(value), "j F Y, H:i T")


def _rate_limited(request, template: str, context: dict, error):
    context = {**context, "rate_limited": str(error)}
    return render(request, template, context, status=429)
