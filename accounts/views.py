"""One's own account, public profiles, follows, data export and erasure.

Sign-up, sign-in, e-mail verification and password reset are django-allauth's views,
rendered in the site layout by the templates under ``templates/allauth/`` and
``templates/account/``.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import (
    content_disposition_header,
    url_has_allowed_host_and_scheme,
    urlencode,
)
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from cases.models import Case, TechnologyArea
from review.reputation import reputation
from submissions.selectors import prior_art_by_author

from . import selectors, services
from .forms import EraseAccountForm, FollowForm, PreferencesForm

PAGE_SIZE = 25


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def profile_me(request):
    """Your account: preferences (POST saves them), your record (reputation), follows
    and submissions."""
    user = request.user
    if request.method == "POST":
        form = PreferencesForm(request.POST, instance=user)
        if form.is_valid():
            form.save(commit=False).save(update_fields=["notify_frequency"])
            messages.success(request, _("Your notification preference is saved."))
            return redirect("accounts:profile_me")
    else:
        form = PreferencesForm(instance=user)
    return render(
        request,
        "accounts/profile_me.html",
        {
            "form": form,
            "follows": selectors.follows_of(user=user),
            "reputation": reputation(user),
            "page": _page(request, prior_art_by_author(author=user, viewer=user)),
        },
    )


def profile(request, handle: str):
    """A public profile: handle, member since, reputation, submissions the viewer may
    see. "Submitted" counts only what the viewer may see; vetted, forwarded and used count
    the contributor's whole record (``review.reputation``)."""
    person = selectors.public_profile(handle=handle)
    return render(
        request,
        "accounts/profile.html",
        {
            "person": person,
            "is_self": request.user.is_authenticated and request.user.pk == person.pk,
            "counts": selectors.contribution_counts(author=person, viewer=request.user),
            "reputation": reputation(person),
            "page": _page(
                request, prior_art_by_author(author=person, viewer=request.user)
            ),
        },
    )


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _follow(request, *, fallback: str, case=None, area=None):
    back = _safe_next(request, fallback)
    if not request.user.is_authenticated:
        # Back to the page after signing in, not to this POST-only address.
        return redirect(f"{reverse('account_login')}?{urlencode({'next': back})}")
    form = FollowForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Choose to follow or to unfollow."))
    following = services.follow_set(
        user=request.user, case=case, area=area, follow=form.cleaned_data["follow"]
    )
    name = case.reference if case is not None else area.name
    if following:
        messages.success(
            request,
            _(
                "You follow %(name)s. New evidence on it comes with your "
                "notification e-mails."
            )
            % {"name": name},
        )
    else:
        messages.success(request, _("You no longer follow %(name)s.") % {"name": name})
    return redirect(back)


@require_POST
def follow_case(request, pk: int):
    """Follow (``follow=1``) or unfollow (``follow=0``) a published case."""
    cases = Case.objects.published()
    if request.user.is_authenticated and request.POST.get("follow") == "0":
        # A case unpublished since one followed it can still be unfollowed.
        cases = Case.objects.filter(
            Q(pk__in=cases.values("pk")) | Q(follows__user=request.user)
        ).distinct()
    case = get_object_or_404(cases, pk=pk)
    return _follow(request, case=case, fallback=reverse("cases:detail", args=[pk]))


@require_POST
def follow_area(request, slug: str):
    """Follow or unfollow a technology area: new evidence on any of its cases."""
    area = get_object_or_404(TechnologyArea, slug=slug)
    return _follow(
        request,
        area=area,
        fallback=f"{reverse('cases:list')}?{urlencode({'area': slug})}",
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def export(request):
    """GET explains what the download holds; POST returns it as a JSON attachment."""
    if request.method == "GET":
        return render(request, "accounts/export.html")
    data = services.account_export(user=request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"opendocket-data-{request.user.username}.json"
    )
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def delete(request):
    """Erase one's account after the password and a typed confirmation; contributions
    stay, attributed to "former contributor"."""
    form = EraseAccountForm(
        request.POST if request.method == "POST" else None,
        user=request.user,
        request=request,
    )
    if form.is_valid():
        services.account_erase(user=request.user)
        logout(request)
        messages.success(
            request,
            _(
                "Your account is deleted. Your contributions stay on the site, "
                'attributed to "former contributor".'
            ),
        )
        return redirect("/")
    return render(request, "accounts/delete.html", {"form": form})
