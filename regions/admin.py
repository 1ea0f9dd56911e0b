from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from .models import (
    ClosedDay,
    Membership,
    Municipality,
    MunicipalityPopulation,
    Organisation,
    Province,
    Region,
)


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ("name", "code")
    search_fields = ("name", "code")


class MunicipalityInline(admin.TabularInline):
    model = Municipality
    extra = 0
    fields = ("name", "cbs_code", "province", "population", "participates")


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "central_municipality", "meeting_week", "meeting_weekday")
    search_fields = ("name", "code")
    inlines = [MunicipalityInline]


class MunicipalityPopulationInline(admin.TabularInline):
    model = MunicipalityPopulation
    extra = 1
    fields = ("year", "population", "source")


@admin.register(ClosedDay)
class ClosedDayAdmin(admin.ModelAdmin):
    list_display = ("description", "start_date", "end_date", "region")
    list_filter = ("region",)
    search_fields = ("description",)
    list_select_related = ("region",)
    date_hierarchy = "start_date"


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ("name", "cbs_code", "region", "province", "population", "participates")
    list_filter = ("region", "province", "participates")
    search_fields = ("name", "cbs_code")
    list_select_related = ("region", "province")
    inlines = [MunicipalityPopulationInline]


@admin.register(MunicipalityPopulation)
class MunicipalityPopulationAdmin(admin.ModelAdmin):
    list_display = ("municipality", "year", "population", "source")
    list_filter = ("year", "municipality__region")
    search_fields = ("municipality__name", "municipality__cbs_code")
    list_select_related = ("municipality",)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "region", "province", "municipality")
    list_filter = ("region", "province", "kind")
    search_fields = ("name",)
    list_select_related = ("region", "province", "municipality")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "organisation")
    list_filter = ("role", "organisation__region")
    search_fields = ("user__username", "user__first_name", "user__last_name", "organisation__name")
    list_select_related = ("user", "organisation")
    autocomplete_fields = ("organisation",)


class MembershipInline(admin.StackedInline):
    model = Membership
    can_delete = False
    autocomplete_fields = ("organisation",)


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class UserWithMembershipAdmin(UserAdmin):
    inlines = [MembershipInline]
    list_display = ("username", "first_name", "last_name", "email", "is_staff")
