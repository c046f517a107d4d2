"""The header's links to the reviewers' and examiners' pages, shown only to the people
who have work there. Asked once per request (two ``exists()`` queries), then cached."""

from __future__ import annotations

from django import template

from ..permissions import examined_cases, reviewed_cases

register = template.Library()

EXAMINER_PAGES = {"inbox", "dossier", "decide_item", "claim_chart"}
REVIEWER_PAGES = {"queue", "bulk", "item", "decide", "rate", "reports", "ranking"}


@register.simple_tag(takes_context=True)
def review_roles(context) -> dict:
    """``{"reviews": bool, "examines": bool, "current": "review"|"examiner"|""}`` for
    the signed-in user."""
    request = context.get("request")
    user = context.get("user") or getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"reviews": False, "examines": False, "current": ""}
    cached = getattr(request, "_review_roles", None)
    if cached is None:
        cached = {
            "reviews": reviewed_cases(user).exists(),
            "examines": examined_cases(user).exists(),
        }
        if request is not None:
            request._review_roles = cached
    match = getattr(request, "resolver_match", None)
    current = ""
    if match is not None and match.namespace == "review":
        if match.url_name in REVIEWER_PAGES:
            current = "review"
        elif match.url_name in EXAMINER_PAGES:
            current = "examiner"
    return {**cached, "current": current}
