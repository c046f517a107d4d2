"""The library in the Wagtail admin: the uploads list, the upload form, and each upload's
progress page.

Agency editors and site admins only (``importer.jobs.user_can_import_library``); anyone
else signed in to the admin gets a 403. Editors see the uploads of their own agencies;
another agency's upload is a 404. Every write goes through ``importer.jobs``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cases.admin_views import forbidden

from .admin_forms import LibraryUploadForm
from .importer.jobs import (
    library_import_create,
    library_import_requeue,
    library_imports_for_user,
    user_can_import_library,
)
from .models import ImportStatus, LibraryDocument

PAGE_SIZE = 50
REFRESH_SECONDS = 2
# A job still waiting after this long probably lost its task (the broker was down).
STALLED_SECONDS = 60
ACTIVE = (ImportStatus.PENDING, ImportStatus.RUNNING)


class _LibraryMixin(WagtailAdminTemplateMixin):
    header_icon = "doc-full"
    refusal = gettext_lazy(
        "Only agency editors and site admins load documents into the library."
    )

    def dispatch(self, request, *args, **kwargs):
        if not user_can_import_library(request.user):
            return forbidden(request, str(self.refusal))
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": reverse("search_library_imports"), "label": _("Library")},
            {"url": "", "label": self.get_page_title()},
        ]


class LibraryImportsView(_LibraryMixin, View):
    """The uploads the user may see, newest first, with their progress."""

    template_name = "search/admin/imports.html"
    page_title = gettext_lazy("Library")

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get(self, request):
        imports = library_imports_for_user(request.user).select_related(
            "agency", "uploaded_by"
        )
        page = Paginator(imports, PAGE_SIZE).get_page(request.GET.get("page"))
        return self.render_to_response(
            self.get_context_data(
                page=page,
                document_count=LibraryDocument.objects.count(),
                running=any(job.status in ACTIVE for job in page),
            )
        )


class LibraryUploadView(_LibraryMixin, View):
    """GET: the upload form. POST: store the file and start its import."""

    template_name = "search/admin/upload.html"
    page_title = gettext_lazy("Upload documents")

    def get(self, request):
        return self.render(LibraryUploadForm(user=request.user))

    def post(self, request):
        form = LibraryUploadForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            try:
                job = library_import_create(
                    upload=form.cleaned_data["file"],
                    agency=form.cleaned_data["agency"],
                    user=request.user,
                )
            except PermissionDenied as error:
                return forbidden(request, str(error))
            messages.success(
                request,
                _("%(name)s was uploaded; its documents are being loaded.")
                % {"name": job.original_name},
            )
            return redirect("search_library_import", pk=job.pk)
        messages.error(request, _("The file could not be uploaded; see below."))
        return self.render(form)

    def render(self, form):
        return self.render_to_response(self.get_context_data(form=form))


class LibraryImportView(_LibraryMixin, View):
    """One upload's status and progress, refreshing itself (no script) while it runs.
    POST asks again for the import of a job that has been waiting too long."""

    template_name = "search/admin/import.html"
    page_title = gettext_lazy("Upload")

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.pk = kwargs["pk"]

    def get_object(self):
        return get_object_or_404(
            library_imports_for_user(self.request.user).select_related(
                "agency", "uploaded_by"
            ),
            pk=self.pk,
        )

    def get_page_subtitle(self):
        return self.job.original_name

    def get(self, request, pk):
        self.job = self.get_object()
        waited = (
            (timezone.now() - self.job.created_at).total_seconds()
            if self.job.status == ImportStatus.PENDING
            else 0
        )
        return self.render_to_response(
            self.get_context_data(
                job=self.job,
                active=self.job.status in ACTIVE,
                refresh_seconds=REFRESH_SECONDS,
                stalled=waited > STALLED_SECONDS,
                errors_more=max(0, self.job.error_count - len(self.job.errors)),
            )
        )

    def post(self, request, pk):
        self.job = self.get_object()
        if library_import_requeue(job=self.job, user=request.user):
            messages.success(request, _("The import was asked for again."))
        return redirect("search_library_import", pk=self.job.pk)
