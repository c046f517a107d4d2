"""Template helpers for people and follows, usable on any page.

{% load accounts_tags %}
{% contributor user %}              a link to the public profile, or "former contributor"
{% follow_button case=case %}       a follow / unfollow form for a case (or area=area)
{% prior_art_url prior_art as url %}
"""

from __future__ import annotations

from django import template
from django.middleware.csrf import get_token
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

from .. import selectors

register = template.Library()


@register.simple_tag
def contributor(user) -> str:
    """The public name of a contributor, linked to their profile unless erased."""
    if user is None:
        return ""
    if user.is_erased:
        return format_html('<span class="former">{}</span>', user.public_name)
    return format_html(
        '<a href="{}">{}</a>',
        reverse("accounts:profile", kwargs={"handle": user.username}),
        user.public_name,
    )


@register.simple_tag
def prior_art_url(prior_art) -> str:
    """The status page of a submission (``submissions:detail``)."""
    try:
        return reverse("submissions:detail", kwargs={"ref": prior_art.tracking_ref})
    except NoReverseMatch:  # the submissions pages are not routed (yet)
        return f"/evidence/{prior_art.tracking_ref}/"


@register.inclusion_tag("accounts/_follow_button.html", takes_context=True)
def follow_button(context, case=None, area=None, next=None):
    """A follow or unfollow button for ``case`` or ``area``; one query when signed in."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if case is not None:
        action = reverse("accounts:follow_case", kwargs={"pk": case.pk})
        name = case.reference
    else:
        action = reverse("accounts:follow_area", kwargs={"slug": area.slug})
        name = area.name
    return {
        "action": action,
        "name": name,
        "following": selectors.user_follows(user=user, case=case, area=area),
        "next": next or (request.get_full_path() if request else ""),
        "csrf_token": get_token(request) if request else "",
    }
