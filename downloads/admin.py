from django.contrib import admin

from .models import PreparedDownload


@admin.register(PreparedDownload)
class PreparedDownloadAdmin(admin.ModelAdmin):
    """Read-only: the files hold personal data and belong to their owner; staff see the status
    (to help when one fails) but not the file."""

    list_display = ("title", "owner", "status", "done", "total", "created", "expires")
    list_filter = ("status", "kind")
    exclude = ("data",)
    readonly_fields = (
        "owner",
        "kind",
        "parameters",
        "title",
        "filename",
        "content_type",
        "size",
        "status",
        "done",
        "total",
        "error",
        "finished",
        "expires",
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
