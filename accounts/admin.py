from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Follow, Notification, User

admin.site.register(User, UserAdmin)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Operators look, they do not edit: follows change through the site, notifications
    through ``accounts.notifications``."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Follow)
class FollowAdmin(ReadOnlyAdmin):
    list_display = ["user", "case", "area", "created_at"]
    list_select_related = ["user", "case", "area"]
    search_fields = ["user__username", "case__reference", "area__slug"]
    date_hierarchy = "created_at"


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = [
        "key",
        "recipient",
        "subject",
        "digest",
        "created_at",
        "sent_at",
        "attempts",
    ]
    list_select_related = ["recipient"]
    list_filter = ["digest", ("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["key", "recipient__username", "subject"]
    date_hierarchy = "created_at"
