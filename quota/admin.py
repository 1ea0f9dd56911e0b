from django.contrib import admin

from .models import QuotaPeriod, QuotaRule, QuotaTarget


@admin.register(QuotaPeriod)
class QuotaPeriodAdmin(admin.ModelAdmin):
    list_display = ("__str__", "year", "half")


@admin.register(QuotaTarget)
class QuotaTargetAdmin(admin.ModelAdmin):
    list_display = ("municipality", "period", "net_target", "opening_override")
    list_filter = ("period", "municipality__region")
    list_select_related = ("municipality", "period")


@admin.register(QuotaRule)
class QuotaRuleAdmin(admin.ModelAdmin):
    list_display = ("region", "counting_date", "credited")
