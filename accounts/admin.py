from django.contrib import admin
from django.contrib.sessions.models import Session

from .models import UserSession


@admin.register(UserSession)
class UserSessionAdmin(admin.ModelAdmin):
    """Who is logged in where. Deleting a row ends that session (its browser is logged out)."""

    list_display = ("user", "created_at", "ip_address", "user_agent")
    list_select_related = ("user",)
    search_fields = ("user__username",)
    readonly_fields = ("user", "created_at", "ip_address", "user_agent")
    exclude = ("session_key",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def delete_model(self, request, obj) -> None:
        Session.objects.filter(session_key=obj.session_key).delete()
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        Session.objects.filter(session_key__in=queryset.values("session_key")).delete()
        super().delete_queryset(request, queryset)
