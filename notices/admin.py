from django.contrib import admin

from .models import Notice, NoticePreference


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "kind",
        "recipient",
        "subject_key",
        "threshold",
        "emailed_at",
        "read_at",
    )
    list_filter = ("kind",)
    search_fields = ("recipient__username", "subject_key")
    raw_id_fields = ("recipient", "household", "vacancy", "nomination", "meeting")
    readonly_fields = ("created_at",)


@admin.register(NoticePreference)
class NoticePreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "in_app", "email")
    list_filter = ("kind",)
    raw_id_fields = ("user",)
