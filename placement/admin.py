from django.contrib import admin

from .models import Household, Person, Vacancy


class PersonInline(admin.TabularInline):
    model = Person
    extra = 0


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ("reference", "linked_municipality", "link_date", "status")
    list_filter = ("status", "linked_municipality__region", "linked_municipality")
    search_fields = ("reference", "members__full_name", "members__v_number")
    list_select_related = ("linked_municipality",)
    readonly_fields = ("reference", "status", "status_changed_at", "created_at", "updated_at")
    inlines = [PersonInline]
    date_hierarchy = "link_date"


@admin.register(Vacancy)
class VacancyAdmin(admin.ModelAdmin):
    list_display = ("__str__", "corporation", "municipality", "dwelling_type", "status")
    list_filter = ("status", "dwelling_type", "municipality__region", "corporation")
    search_fields = ("street", "postcode", "place")
    list_select_related = ("corporation", "municipality")
    readonly_fields = ("status", "status_changed_at", "created_at", "updated_at")
