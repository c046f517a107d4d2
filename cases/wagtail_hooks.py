"""Cases in the Wagtail admin: the case snippet, scoped to the editor's agencies; its
appointments screen; the area reviewers screen of site admins; the history's wording."""

from __future__ import annotations

from functools import wraps

from django import forms
from django.contrib.admin.utils import quote, unquote
from django.contrib.auth import get_user_model
from django.http import Http404
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    PublishingPanel,
    TabbedInterface,
)
from wagtail.admin.ui.menus import MenuItem as ListingMenuItem
from wagtail.admin.ui.tables import UpdatedAtColumn
from wagtail.admin.widgets.button import Button
from wagtail.log_actions import LogFormatter
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenMultipleView,
    SnippetChosenView,
)
from wagtail.snippets.views.snippets import (
    EditView,
    IndexView,
    InspectView,
    SnippetViewSet,
)

from . import admin_views
from .forms import CaseAdminForm
from .models import Agency, Case, CaseLogEntry, TechnologyArea
from .permissions import CasePermissionPolicy, cases_for_user, user_can_edit_case
from .services import STATUS_LOG_ACTION

# First, before any Wagtail view asks for Case's policy and gets the default one.
register_permission_policy(Case, CasePermissionPolicy(Case))


def _agency_scoped(view):
    """Wrap a case admin view: a case outside the user's agencies does not exist for them.

    Wagtail's snippet views do not all consult the permission policy per object (history,
    usage, revisions, workflow history...), so every route that names a case goes through
    this check, answering 404 for a case the user may not know about.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        pk = kwargs.get("pk")
        if pk is not None:
            try:
                case = (
                    Case.objects.select_related("agency")
                    .filter(pk=int(unquote(str(pk))))
                    .first()
                )
            except (TypeError, ValueError):
                case = None
            if case is None or not user_can_edit_case(request.user, case):
                raise Http404
        return view(request, *args, **kwargs)

    return wrapper


class _ScopedChooseMixin:
    def get_object_list(self):
        return cases_for_user(self.request.user)


class CaseChooseView(_ScopedChooseMixin, ChooseView):
    pass


class CaseChooseResultsView(_ScopedChooseMixin, ChooseResultsView):
    pass


class CaseChosenView(SnippetChosenView):
    def get_object(self, pk):
        return cases_for_user(self.request.user).get(pk=pk)


class CaseChosenMultipleView(SnippetChosenMultipleView):
    def get_objects(self, pks):
        return cases_for_user(self.request.user).filter(pk__in=pks)


class CaseChooserViewSet(SnippetChooserViewSet):
    """The case chooser lists only the cases of the user's agencies."""

    choose_view_class = CaseChooseView
    choose_results_view_class = CaseChooseResultsView
    chosen_view_class = CaseChosenView
    chosen_multiple_view_class = CaseChosenMultipleView


class FrozenClaimsNotice(HelpPanel):
    """A warning on the Claims tab of a case whose claims are frozen, so editors know
    before they try to change them."""

    class BoundPanel(HelpPanel.BoundPanel):
        def is_shown(self):
            return bool(
                self.instance and self.instance.pk and self.instance.claims_frozen()
            )

        @property
        def content(self):
            opens = date_format(
                localtime(self.instance.review_opens_at), "j F Y, H:i T"
            )
            return format_html(
                '<div class="help-block help-warning"><p>{}</p></div>',
                _(
                    "These claims are frozen: the review window opened on %(opens)s and "
                    "submitted evidence refers to them by number. Changes to claims will "
                    "be refused; the other tabs can still be edited."
                )
                % {"opens": opens},
            )

        @content.setter
        def content(self, value):
            pass


def _appointments_url(case) -> str:
    return reverse("wagtailsnippets_cases_case:appointments", args=[quote(case.pk)])


class _AppointmentsButtonMixin:
    """An "Appointments" entry in the header's menu of a case's edit and inspect views."""

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        buttons.append(
            Button(
                _("Appointments"),
                url=_appointments_url(self.object),
                icon_name="group",
                priority=25,
            )
        )
        return buttons


class CaseEditView(_AppointmentsButtonMixin, EditView):
    pass


class CaseInspectView(_AppointmentsButtonMixin, InspectView):
    pass


class CaseIndexView(IndexView):
    """The case list: each row's "More" menu has "Appointments" too."""

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        buttons.append(
            ListingMenuItem(
                _("Appointments"),
                url=_appointments_url(instance),
                icon_name="group",
                priority=25,
            )
        )
        return buttons


CLAIMS_HELP = _(
    "Number the claims as in the application. For a dependent claim, give the number of "
    "the earlier claim it refers to. Claims can be changed until the review window opens; "
    "from then on they are frozen, because evidence refers to them by number."
)


class CaseViewSet(SnippetViewSet):
    model = Case
    icon = "doc-full-inverse"
    menu_label = _("Cases")
    menu_name = "cases"
    menu_order = 150
    add_to_admin_menu = True
    list_display = ["reference", "title", "agency", "status", UpdatedAtColumn()]
    list_filter = ["status", "live"]
    search_fields = ["reference", "title"]
    search_backend_name = None
    list_per_page = 50
    inspect_view_enabled = True
    chooser_viewset_class = CaseChooserViewSet
    index_view_class = CaseIndexView
    edit_view_class = CaseEditView
    inspect_view_class = CaseInspectView
    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    FieldPanel("agency", widget=forms.Select),
                    FieldRowPanel([FieldPanel("reference"), FieldPanel("language")]),
                    FieldPanel("title"),
                    FieldPanel("abstract"),
                    FieldPanel("body"),
                    FieldPanel("technology_areas", widget=forms.CheckboxSelectMultiple),
                ],
                heading=_("Case"),
            ),
            ObjectList(
                [
                    FieldPanel("priority_date"),
                    FieldRowPanel(
                        [FieldPanel("review_opens_at"), FieldPanel("review_closes_at")]
                    ),
                    FieldPanel("forward_limit"),
                ],
                heading=_("Review window"),
            ),
            ObjectList(
                [
                    FrozenClaimsNotice(),
                    HelpPanel(content=CLAIMS_HELP),
                    InlinePanel(
                        "claims",
                        heading=_("Claims"),
                        label=_("Claim"),
                        min_num=1,
                        panels=[
                            FieldRowPanel(
                                [FieldPanel("number"), FieldPanel("depends_on")]
                            ),
                            FieldPanel("text"),
                        ],
                    ),
                ],
                heading=_("Claims"),
            ),
            ObjectList(
                [
                    MultiFieldPanel(
                        [
                            InlinePanel(
                                "documents",
                                label=_("Document"),
                                panels=[FieldPanel("document"), FieldPanel("title")],
                            )
                        ],
                        heading=_("Documents"),
                    )
                ],
                heading=_("Documents"),
            ),
            ObjectList([PublishingPanel()], heading=_("Publishing")),
        ],
        base_form_class=CaseAdminForm,
    )

    def get_queryset(self, request):
        return cases_for_user(request.user).select_related("agency")

    def get_urlpatterns(self):
        patterns = super().get_urlpatterns() + [
            path(
                "appointments/<str:pk>/",
                admin_views.CaseAppointmentsView.as_view(),
                name="appointments",
            ),
            path(
                "appointments/<str:pk>/dismiss/<str:role>/<int:user_pk>/",
                admin_views.CaseDismissView.as_view(),
                name="dismiss",
            ),
        ]
        for pattern in patterns:
            pattern.callback = _agency_scoped(pattern.callback)
        return patterns


class AgencyViewSet(SnippetViewSet):
    model = Agency
    icon = "group"
    menu_label = _("Agencies")
    list_display = ["name", "slug"]


class TechnologyAreaViewSet(SnippetViewSet):
    model = TechnologyArea
    icon = "tag"
    menu_label = _("Technology areas")
    list_display = ["name", "slug"]


register_snippet(CaseViewSet)
register_snippet(AgencyViewSet)
register_snippet(TechnologyAreaViewSet)


@hooks.register("register_admin_urls")
def register_area_reviewer_urls():
    return [
        path(
            "cases/area-reviewers/",
            admin_views.AreaReviewersView.as_view(),
            name="cases_area_reviewers",
        ),
        path(
            "cases/area-reviewers/<int:area_pk>/dismiss/<int:user_pk>/",
            admin_views.AreaReviewerDismissView.as_view(),
            name="cases_area_reviewer_dismiss",
        ),
    ]


class SiteAdminMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_active and request.user.is_superuser


@hooks.register("register_settings_menu_item")
def register_area_reviewers_menu_item():
    return SiteAdminMenuItem(
        _("Area reviewers"),
        reverse("cases_area_reviewers"),
        name="area-reviewers",
        icon_name="tag",
        order=700,
    )


ROLE_LABELS = {
    "editor": _("agency editor"),
    "reviewer": _("reviewer"),
    "examiner": _("examiner"),
}


def _person(data) -> str:
    """The person an appointment names, by their current public handle: the log keeps
    only the account's id, so an erased account shows as "former contributor"."""
    user = get_user_model().objects.filter(pk=(data or {}).get("user")).first()
    return user.public_name if user else _("a deleted account")


def _role(data) -> str:
    role = (data or {}).get("role", "")
    return str(ROLE_LABELS.get(role, role))


@hooks.register("register_log_actions")
def register_case_log_actions(actions):
    actions.register_model(Case, CaseLogEntry)

    @actions.register_action(STATUS_LOG_ACTION)
    class StatusChange(LogFormatter):
        label = _("Change status")

        def format_message(self, log_entry):
            try:
                return _("Status changed from %(from)s to %(to)s") % log_entry.data
            except (KeyError, TypeError):
                return _("Status changed")

    @actions.register_action("opendocket.appoint")
    class Appoint(LogFormatter):
        label = _("Appoint")

        def format_message(self, log_entry):
            return _("Appointed %(user)s as %(role)s") % {
                "user": _person(log_entry.data),
                "role": _role(log_entry.data),
            }

    @actions.register_action("opendocket.dismiss")
    class Dismiss(LogFormatter):
        label = _("Dismiss")

        def format_message(self, log_entry):
            return _("Dismissed %(user)s as %(role)s") % {
                "user": _person(log_entry.data),
                "role": _role(log_entry.data),
            }
