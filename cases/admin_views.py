"""Appointments in the Wagtail admin: who reviews and who examines a case, and who
reviews each technology area.

The case screens are routes of the case viewset (``wagtail_hooks.CaseViewSet``), so the
agency scoping of every case route applies: another agency's case is a 404. Area
reviewers reach every agency's cases, so their screen is for site admins only
(docs/decisions/0004-area-reviewers.md). Every write is a ``cases.services`` call; a
refusal from it is shown on the form, with what was typed.
"""

from __future__ import annotations

from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import services
from .forms import AppointForm, AreaAppointForm
from .models import (
    Case,
    CaseUserObjectPermission,
    TechnologyArea,
    TechnologyAreaUserObjectPermission,
)
from .permissions import (
    EXAMINE_CASE,
    EXAMINER,
    REVIEW_AREA,
    REVIEW_CASE,
    REVIEWER,
    user_can_edit_case,
)

CASE_URLS = "wagtailsnippets_cases_case"
CASE_ROLES = {
    REVIEWER: {
        "perm": REVIEW_CASE,
        "appoint": services.case_appoint_reviewer,
        "dismiss": services.case_dismiss_reviewer,
        "label": gettext_lazy("reviewer"),
    },
    EXAMINER: {
        "perm": EXAMINE_CASE,
        "appoint": services.case_appoint_examiner,
        "dismiss": services.case_dismiss_examiner,
        "label": gettext_lazy("examiner"),
    },
}


def _codename(perm: str) -> str:
    return perm.split(".")[1]


def appointments_url(case: Case) -> str:
    return reverse(f"{CASE_URLS}:appointments", args=[quote(case.pk)])


def add_service_errors(form, error: ValidationError) -> None:
    """Put a service's refusal on the form: on the field it names when the form has
    one, otherwise above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def forbidden(request, message: str):
    """A 403 page in the admin's layout (Wagtail's own answer to PermissionDenied is a
    redirect to the dashboard, which hides from tests and users alike what happened)."""
    return TemplateResponse(
        request,
        "cases/admin/forbidden.html",
        {
            "header_title": _("Permission denied"),
            "page_title": _("Permission denied"),
            "breadcrumbs_items": [
                {"url": reverse("wagtailadmin_home"), "label": _("Home")},
                {"url": "", "label": _("Permission denied")},
            ],
            "message": message,
        },
        status=403,
    )


class _CaseMixin(WagtailAdminTemplateMixin):
    """The case named in the URL; the viewset's scoping already answered 404 for a case
    outside the user's agencies, and this checks again so the view is safe on its own."""

    header_icon = "group"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        try:
            pk = int(kwargs["pk"])
        except (TypeError, ValueError):
            raise Http404 from None
        self.case = get_object_or_404(Case.objects.select_related("agency"), pk=pk)
        if not user_can_edit_case(request.user, self.case):
            raise Http404

    def get_page_subtitle(self):
        return str(self.case)

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": reverse(f"{CASE_URLS}:list"), "label": _("Cases")},
            {
                "url": reverse(f"{CASE_URLS}:edit", args=[quote(self.case.pk)]),
                "label": str(self.case),
            },
            {"url": "", "label": self.get_page_title()},
        ]


class CaseAppointmentsView(_CaseMixin, View):
    """GET: the case's reviewers and examiners, with forms to appoint more.
    POST (``role`` = reviewer | examiner): appoint the account typed in that form."""

    template_name = "cases/admin/appointments.html"
    page_title = gettext_lazy("Appointments")

    def get(self, request, *args, **kwargs):
        return self.render(
            {role: AppointForm(prefix=role) for role in CASE_ROLES}, status=200
        )

    def post(self, request, *args, **kwargs):
        role = request.POST.get("role")
        if role not in CASE_ROLES:
            return HttpResponseBadRequest(
                _("Choose whom to appoint: reviewer or examiner.")
            )
        forms = {name: AppointForm(prefix=name) for name in CASE_ROLES}
        form = forms[role] = AppointForm(request.POST, prefix=role)
        if form.is_valid():
            user = form.cleaned_data["user"]
            try:
                created = CASE_ROLES[role]["appoint"](
                    case=self.case, user=user, actor=request.user
                )
            except PermissionDenied as error:
                return forbidden(request, str(error))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                message = (
                    _("%(user)s is now a %(role)s of this case.")
                    if created
                    else _("%(user)s was already a %(role)s of this case.")
                )
                messages.success(
                    request,
                    message
                    % {"user": user.username, "role": CASE_ROLES[role]["label"]},
                )
                return redirect(appointments_url(self.case))
        messages.error(request, _("The appointment could not be made; see below."))
        return self.render(forms, status=200)

    def render(self, forms, *, status):
        grants = (
            CaseUserObjectPermission.objects.filter(
                content_object=self.case,
                permission__codename__in=[
                    _codename(CASE_ROLES[role]["perm"]) for role in CASE_ROLES
                ],
            )
            .select_related("user", "permission")
            .order_by("user__username")
        )
        people = {role: [] for role in CASE_ROLES}
        for grant in grants:
            for role, spec in CASE_ROLES.items():
                if grant.permission.codename == _codename(spec["perm"]):
                    people[role].append(grant.user)
        area_grants = (
            TechnologyAreaUserObjectPermission.objects.filter(
                content_object__in=self.case.technology_areas.all(),
                permission__codename=_codename(REVIEW_AREA),
            )
            .select_related("user", "content_object")
            .order_by("content_object__name", "user__username")
        )
        context = self.get_context_data(
            case=self.case,
            sections=[
                {
                    "role": role,
                    "label": CASE_ROLES[role]["label"],
                    "people": people[role],
                    "form": forms[role],
                }
                for role in CASE_ROLES
            ],
            area_reviewers=list(area_grants),
            areas=list(self.case.technology_areas.all()),
            history_url=reverse(f"{CASE_URLS}:history", args=[quote(self.case.pk)]),
        )
        return self.render_to_response(context, status=status)


class CaseDismissView(_CaseMixin, View):
    """GET: confirm dismissing one reviewer or examiner of the case. POST: dismiss."""

    template_name = "cases/admin/confirm_dismiss.html"
    page_title = gettext_lazy("Dismiss")

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.role = kwargs.get("role")
        if self.role not in CASE_ROLES:
            raise Http404
        grant = (
            CaseUserObjectPermission.objects.filter(
                content_object=self.case,
                user_id=kwargs.get("user_pk"),
                permission__codename=_codename(CASE_ROLES[self.role]["perm"]),
            )
            .select_related("user")
            .first()
        )
        if grant is None:
            raise Http404
        self.person = grant.user

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(**self.describe()))

    def post(self, request, *args, **kwargs):
        try:
            CASE_ROLES[self.role]["dismiss"](
                case=self.case, user=self.person, actor=request.user
            )
        except PermissionDenied as error:
            return forbidden(request, str(error))
        messages.success(
            request,
            _("%(user)s is no longer a %(role)s of this case.")
            % {"user": self.person.username, "role": CASE_ROLES[self.role]["label"]},
        )
        return redirect(appointments_url(self.case))

    def describe(self) -> dict:
        return {
            "question": _("Dismiss %(user)s as %(role)s of %(case)s?")
            % {
                "user": self.person.username,
                "role": CASE_ROLES[self.role]["label"],
                "case": self.case.reference,
            },
            "consequence": _(
                "They lose access to this case's work at once. What they already did "
                "(screening decisions, ratings, decisions on the dossier) stays, and the "
                "case's history records the dismissal."
            ),
            "action_url": self.request.path,
            "cancel_url": appointments_url(self.case),
        }


# --- Area reviewers (site admins only) -------------------------------------------------


class _SiteAdminMixin(WagtailAdminTemplateMixin):
    """Site admins only: anyone else signed in to the admin gets a 403, before the URL's
    objects are even looked up."""

    header_icon = "tag"
    refusal = gettext_lazy(
        "Only site admins appoint area reviewers: a technology area is shared by every "
        "agency, so its reviewers review every agency's cases in it."
    )

    def dispatch(self, request, *args, **kwargs):
        if not (request.user.is_active and request.user.is_superuser):
            return forbidden(request, str(self.refusal))
        self.prepare(**kwargs)
        return super().dispatch(request, *args, **kwargs)

    def prepare(self, **kwargs) -> None:
        """Look up what the URL names (after the permission check)."""

    @cached_property
    def list_url(self) -> str:
        return reverse("cases_area_reviewers")

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": self.list_url, "label": _("Area reviewers")},
            {"url": "", "label": self.get_page_title()},
        ]


class AreaReviewersView(_SiteAdminMixin, View):
    """GET: every technology area with its reviewers, and a form to appoint one.
    POST: appoint the account typed to the area chosen."""

    template_name = "cases/admin/area_reviewers.html"
    page_title = gettext_lazy("Area reviewers")

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get(self, request, *args, **kwargs):
        return self.render(AreaAppointForm())

    def post(self, request, *args, **kwargs):
        form = AreaAppointForm(request.POST)
        if form.is_valid():
            area, user = form.cleaned_data["area"], form.cleaned_data["user"]
            try:
                created = services.area_appoint_reviewer(
                    area=area, user=user, actor=request.user
                )
            except PermissionDenied as error:
                return forbidden(request, str(error))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                message = (
                    _("%(user)s now reviews every case in %(area)s.")
                    if created
                    else _("%(user)s already reviewed %(area)s.")
                )
                messages.success(
                    request, message % {"user": user.username, "area": area.name}
                )
                return redirect(self.list_url)
        messages.error(request, _("The appointment could not be made; see below."))
        return self.render(form)

    def render(self, form):
        grants = (
            TechnologyAreaUserObjectPermission.objects.filter(
                permission__codename=_codename(REVIEW_AREA)
            )
            .select_related("user")
            .order_by("user__username")
        )
        by_area: dict[int, list] = {}
        for grant in grants:
            by_area.setdefault(grant.content_object_id, []).append(grant.user)
        areas = [
            {"area": area, "reviewers": by_area.get(area.pk, [])}
            for area in TechnologyArea.objects.order_by("name")
        ]
        return self.render_to_response(self.get_context_data(form=form, areas=areas))


class AreaReviewerDismissView(_SiteAdminMixin, View):
    """GET: confirm dismissing one area reviewer. POST: dismiss."""

    template_name = "cases/admin/confirm_dismiss.html"
    page_title = gettext_lazy("Dismiss")

    def prepare(self, **kwargs) -> None:
        grant = (
            TechnologyAreaUserObjectPermission.objects.filter(
                content_object_id=kwargs["area_pk"],
                user_id=kwargs["user_pk"],
                permission__codename=_codename(REVIEW_AREA),
            )
            .select_related("user", "content_object")
            .first()
        )
        if grant is None:
            raise Http404
        self.area, self.person = grant.content_object, grant.user

    def get(self, request, *args, **kwargs):
        return self.render_to_response(
            self.get_context_data(
                question=_("Dismiss %(user)s as reviewer of %(area)s?")
                % {"user": self.person.username, "area": self.area.name},
                consequence=_(
                    "They stop reviewing the cases in this area, in every agency, at "
                    "once, unless they are also appointed to a case itself. What they "
                    "already did stays."
                ),
                action_url=request.path,
                cancel_url=self.list_url,
            )
        )

    def post(self, request, *args, **kwargs):
        try:
            services.area_dismiss_reviewer(
                area=self.area, user=self.person, actor=request.user
            )
        except PermissionDenied as error:
            return forbidden(request, str(error))
        messages.success(
            request,
            _("%(user)s no longer reviews %(area)s.")
            % {"user": self.person.username, "area": self.area.name},
        )
        return redirect(self.list_url)
