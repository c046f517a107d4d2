from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Cases"

    def ready(self):
        from wagtail.signals import published, unpublished

        from . import handlers
        from .models import Case

        published.connect(handlers.case_published, sender=Case)
        unpublished.connect(handlers.case_unpublished, sender=Case)
        post_migrate.connect(handlers.ensure_role_groups, sender=self)
