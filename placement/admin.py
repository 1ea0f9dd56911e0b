from django.contrib import admin

from .models import (
    AgendaItem,
    AowAge,
    Household,
    Meeting,
    Nomination,
    Person,
    RentLimit,
    Vacancy,
)


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


@admin.register(RentLimit)
class RentLimitAdmin(admin.ModelAdmin):
    list_display = (
        "year",
        "income_limit_single",
        "income_limit_multi",
        "income_limit_single_aow",
        "income_limit_multi_aow",
        "rent_cap_small",
        "rent_cap_large",
        "quality_discount_limit",
        "max_rent_benefit",
        "published_on",
        "source",
    )


@admin.register(AowAge)
class AowAgeAdmin(admin.ModelAdmin):
    list_display = ("year", "years", "months", "published_on", "source")


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    raw_id_fields = ("vacancy", "household", "nomination")


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("date", "region", "status", "place")
    list_filter = ("region", "status")
    inlines = [AgendaItemInline]


@admin.register(Nomination)
class NominationAdmin(admin.ModelAdmin):
    list_display = ("household", "vacancy", "place", "status", "created_at")
    list_filter = ("status", "vacancy__municipality__region")
    list_select_related = ("household", "vacancy")
    raw_id_fields = ("household", "vacancy", "meeting")
    # Statuses change through the workflow (placement.nominating), not by hand.
    readonly_fields = ("status", "created_at", "updated_at")
