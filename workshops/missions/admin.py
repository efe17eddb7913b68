from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from bacuda_portal.core.admin import PortalModelAdmin

from .models import Claim, ClaimLine, Mission, TravelRequest


@admin.register(Mission)
class MissionAdmin(PortalModelAdmin):
    list_display = [
        "start_date",
        "end_date",
        "traveller_name",
        "destination_city",
        "destination_country",
        "workshop",
        "mission_number",
    ]
    list_filter = ["start_date", "destination_country__region", "workshop"]
    search_fields = [
        "destination_city",
        "purpose",
        "mission_number",
        "traveller_user__email",
        "traveller_user__full_name",
        "traveller_expert__full_name",
        "traveller_expert__email",
        "workshop__title",
    ]
    list_select_related = ["traveller_user", "traveller_expert", "destination_country", "workshop"]
    raw_id_fields = ["traveller_user", "traveller_expert", "workshop"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    date_hierarchy = "start_date"

    @admin.display(description=_("traveller"))
    def traveller_name(self, obj):
        return obj.traveller_name


class DecisionReadOnlyAdmin(PortalModelAdmin):
    """Statuses and decisions change through the mission page's services only (they check who decides and
    email the traveller). The admin shows them, and lets staff fix a typing mistake only while the request or
    claim is still a draft or rejected: what was submitted or decided is what the approver saw."""

    list_select_related = ["mission__traveller_user", "mission__traveller_expert", "mission__destination_country"]
    search_fields = [
        "mission__mission_number",
        "mission__destination_city",
        "mission__traveller_user__full_name",
        "mission__traveller_expert__full_name",
    ]
    raw_id_fields = ["mission"]

    def has_add_permission(self, request):
        return False

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not obj.is_editable:
            return [field.name for field in self.model._meta.fields] + list(self.readonly_fields)
        return self.readonly_fields


@admin.register(TravelRequest)
class TravelRequestAdmin(DecisionReadOnlyAdmin):
    list_display = ["mission", "status", "currency", "dsa_days", "dsa_rate", "terminal_expenses", "total", "advance"]
    list_filter = ["status", "currency"]
    readonly_fields = [
        "status",
        "total",
        "submitted_by",
        "submitted_at",
        "decided_by",
        "decided_at",
        "comment",
        "created_at",
        "updated_at",
    ]

    @admin.display(description=_("total"))
    def total(self, obj):
        return obj.total


class ClaimLineInline(admin.TabularInline):
    model = ClaimLine
    extra = 0
    fields = ["date", "category", "description", "amount", "currency", "exchange_rate", "receipt_link"]
    readonly_fields = ["receipt_link"]

    @admin.display(description=_("receipt"))
    def receipt_link(self, obj):
        # Through the access-checked download, never the storage path (receipts are private files).
        if not obj.pk or not obj.receipt:
            return "–"
        return format_html('<a href="{}">{}</a>', reverse("missions:claim_line_receipt", args=[obj.pk]), _("Download"))

    def has_add_permission(self, request, obj=None):
        # A line needs its receipt, uploaded and checked on the mission page.
        return False

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.is_editable)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.is_editable)


@admin.register(Claim)
class ClaimAdmin(DecisionReadOnlyAdmin):
    list_display = ["mission", "status", "submitted_at", "decided_at", "paid_on", "payment_reference"]
    list_filter = ["status", "paid_on"]
    readonly_fields = [
        "status",
        "submitted_by",
        "submitted_at",
        "decided_by",
        "decided_at",
        "comment",
        "paid_on",
        "payment_reference",
        "paid_by",
        "created_at",
        "updated_at",
    ]
    inlines = [ClaimLineInline]
