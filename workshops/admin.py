from django.contrib import admin

from bacuda_portal.core.admin import PortalModelAdmin

from .models import Assignment, Beneficiary, Nomination, Session, Workshop, WorkshopRequest


class BeneficiaryInline(admin.TabularInline):
    model = Beneficiary
    extra = 0
    autocomplete_fields = ["administration"]


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    raw_id_fields = ["trainer"]


@admin.register(Workshop)
class WorkshopAdmin(PortalModelAdmin):
    list_display = ["title", "kind", "status", "region", "start_date", "end_date", "host_city", "seats"]
    list_filter = ["status", "kind", "region", "is_public"]
    search_fields = ["title", "host_city", "mission_reference"]
    list_select_related = ["region"]
    date_hierarchy = "start_date"
    readonly_fields = ["status", "version", "created_by", "created_at", "updated_at"]
    inlines = [BeneficiaryInline, SessionInline]


@admin.register(WorkshopRequest)
class WorkshopRequestAdmin(PortalModelAdmin):
    list_display = ["topic", "administration", "status", "preferred_start", "expected_participants", "created_at"]
    list_filter = ["status", "administration__region"]
    search_fields = ["topic", "administration__name_en", "administration__code"]
    list_select_related = ["administration"]
    raw_id_fields = ["requested_by"]
    # The decision is taken on the request's page (``services.request_accept`` / ``request_decline``), never here.
    readonly_fields = ["status", "decline_reason", "decided_by", "decided_at", "workshop", "created_at", "updated_at"]


@admin.register(Nomination)
class NominationAdmin(PortalModelAdmin):
    list_display = ["full_name", "email", "administration", "workshop", "gender", "status", "created_at"]
    list_filter = ["status", "gender", "administration__region"]
    search_fields = ["full_name", "email", "workshop__title", "administration__name_en"]
    list_select_related = ["administration", "workshop"]
    raw_id_fields = ["workshop", "nominated_by"]
    # Accepting, wait-listing and declining go through the services (quotas, seats, emails), never here.
    readonly_fields = ["status", "decided_by", "decided_at", "created_at", "updated_at"]


@admin.register(Assignment)
class AssignmentAdmin(PortalModelAdmin):
    list_display = ["expert", "workshop", "role", "status", "rating"]
    list_filter = ["role", "status"]
    search_fields = ["expert__full_name", "workshop__title"]
    list_select_related = ["expert", "workshop"]
    raw_id_fields = ["workshop", "expert", "assigned_by"]
    # The expert confirms or declines on their own page (``services``), never staff here.
    readonly_fields = ["status", "answered_at", "created_at", "updated_at"]
