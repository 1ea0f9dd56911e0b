from django.contrib import admin

from .models import Anonymisation, PurgeRun


class ReadOnlyAdmin(admin.ModelAdmin):
    """The purge's own log: written by ``purge_personal_data`` only."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PurgeRun)
class PurgeRunAdmin(ReadOnlyAdmin):
    list_display = ("at", "dry_run", "households", "persons", "history_rows", "read_log_rows")
    list_filter = ("dry_run",)


@admin.register(Anonymisation)
class AnonymisationAdmin(ReadOnlyAdmin):
    list_display = ("household", "at", "run")
