from django.contrib import admin
from django.contrib.admin.options import ActionLocation

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

    # Lines of an issued invoice are shown, never added, changed or deleted.
    def has_change_permission(self, request, obj=None):
        return (obj is None or obj.is_draft) and super().has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return (obj is None or obj.is_draft) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return (obj is None or obj.is_draft) and super().has_delete_permission(request, obj)


@admin.register(InvoiceRun)
class InvoiceRunAdmin(admin.ModelAdmin):
    list_display = ("region", "period", "cost_key", "central_share", "created_at")


@admin.register(Invoice)
class InvoiceAdmin(admin.ModelAdmin):
    """Drafts can be edited and deleted here; an issued invoice (or credit note) is shown
    read-only, every field, and cannot be deleted: corrections are credit notes, payments go
    through the billing pages. Numbers and statuses come from the billing workflow."""

    list_display = ("__str__", "region", "period", "status", "issue_date", "due_date")
    list_filter = ("region", "status", "kind")
    inlines = [InvoiceLineInline]
    readonly_fields = (
        "status",
        "number",
        "number_year",
        "sequence",
        "issue_date",
        "due_date",
        "paid_on",
    )

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        # The bulk delete would reach issued invoices, which the database refuses.
        actions = super().get_actions(request, action_location=action_location)
        actions.pop("delete_selected", None)
        return actions

    def has_change_permission(self, request, obj=None):
        if obj is not None and not obj.is_draft:
            return False  # the admin then shows every field read-only, without a save button
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not obj.is_draft:
            return False
        return super().has_delete_permission(request, obj)
