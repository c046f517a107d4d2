"""Editorial pages: the home page and plain pages (guidelines, help, about)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from cases import selectors

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]


class HomePage(Page):
    intro = models.TextField(
        _("introduction"), help_text=_("One or two sentences under the title.")
    )
    body = RichTextField(_("how to take part"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    max_count = 1
    subpage_types = ["cms.StandardPage"]
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["closing_soon"] = selectors.cases_closing_soon(
            user=request.user, limit=5
        )
        return context


class StandardPage(Page):
    intro = models.TextField(_("summary"), blank=True)
    body = RichTextField(_("body"), features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    subpage_types = ["cms.StandardPage"]

    class Meta:
        verbose_name = _("standard page")
