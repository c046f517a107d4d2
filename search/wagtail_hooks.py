"""The library in the Wagtail admin: its pages and its menu item, shown to agency
editors and site admins."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views
from .importer.jobs import user_can_import_library


@hooks.register("register_admin_urls")
def register_library_urls():
    return [
        path(
            "library/",
            admin_views.LibraryImportsView.as_view(),
            name="search_library_imports",
        ),
        path(
            "library/upload/",
            admin_views.LibraryUploadView.as_view(),
            name="search_library_upload",
        ),
        path(
            "library/uploads/<int:pk>/",
            admin_views.LibraryImportView.as_view(),
            name="search_library_import",
        ),
    ]


class LibraryMenuItem(MenuItem):
    def is_shown(self, request):
        return user_can_import_library(request.user)


@hooks.register("register_admin_menu_item")
def register_library_menu_item():
    return LibraryMenuItem(
        _("Library"),
        reverse("search_library_imports"),
        name="library",
        icon_name="doc-full",
        order=160,
    )
