from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from .models import Membership, Municipality, Organisation, Region


class MunicipalityInline(admin.TabularInline):
    model = Municipality
    extra = 0
    fields = ("name", "cbs_code", "population", "participates")


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "central_municipality", "meeting_week", "meeting_weekday")
    search_fields = ("name", "code")
    inlines = [MunicipalityInline]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ("name", "cbs_code", "region", "population", "participates")
    list_filter = ("region", "participates")
    search_fields = ("name", "cbs_code")
    list_select_related = ("region",)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "region", "municipality")
    list_filter = ("region", "kind")
    search_fields = ("name",)
    list_select_related = ("region", "municipality")


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
