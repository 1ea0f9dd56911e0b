from django.contrib import admin

from .models import Attendance, Participant


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation", "table_role", "email", "phone", "active")
    list_filter = ("active", "table_role", "organisation__region")
    search_fields = ("name", "email", "organisation__name")
    list_select_related = ("organisation",)
    raw_id_fields = ("user",)


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ("participant", "meeting")
    list_select_related = ("participant__organisation", "meeting__region")
    raw_id_fields = ("participant", "meeting")
