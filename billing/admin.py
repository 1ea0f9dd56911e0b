from django.contrib import admin

from .models import BillingProfile, CostKey, Invoice, InvoiceLine, InvoiceRun


@admin.register(CostKey)
class CostKeyAdmin(admin.ModelAdmin):
    list_display = ("region", "year", "method", "tariff", "budget", "fixed_amount")
    list_filter = ("region", "method")


@admin.register(BillingProfile)
class BillingProfileAdmin(admin.ModelAdmin):
    list_display = ("region", "sender_name", "iban", "payment_term_days")


class InvoiceLineInline(admin.TabularInline):
    model = InvoiceLine
    extra = 0

    def has_change_permission(self, request, obj=None):
        return obj is None or obj.is_draft

    def has_add_permission(self, request, obj=None):
        return obj is None or obj.is_draft

    def has_delete_permission(self, request, obj=None):
        return obj is None or obj.is_draft


@admin.register(InvoiceRun)
class InvoiceRunAdmin(admin.ModelAdmin):
    list_display = ("region", "period", "cost_key", "central_share", "created_at")


@admin.register(Invoice)
class InvoiceAdmin(admin.ModelAdmin):
    list_display = ("__str__", "region", "period", "status", "issue_date", "due_date")
    list_filter = ("region", "status", "kind")
    inlines = [InvoiceLineInline]
    # Issued invoices never change; numbers and statuses come from the billing workflow.
    readonly_fields = ("status", "number", "number_year", "sequence", "issue_date", "due_date")
