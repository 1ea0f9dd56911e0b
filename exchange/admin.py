from django.contrib import admin

from .models import ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    """Read-only: a batch is made by the upload page and imported by its confirm."""

    list_display = ("filename", "region", "municipality", "status", "row_count", "created_at")
    list_filter = ("status", "region")
    fields = (
        "region",
        "municipality",
        "uploaded_by",
        "filename",
        "sha256",
        "row_count",
        "status",
        "progress_done",
        "progress_total",
        "error",
        "created_at",
        "applied_at",
        "purged_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
