from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from bacuda_portal.core.admin import PortalModelAdmin

from .models import (
    Application,
    Call,
    CurriculumModule,
    Decision,
    EligibilityCheck,
    Endorsement,
    Letter,
    LetterTemplate,
    Programme,
    ProgrammeOutcome,
    Review,
    Reviewer,
    ReviewPhase,
    RubricCriterion,
)


class CallInline(admin.TabularInline):
    model = Call
    extra = 0
    fields = ["cohort_name", "partner_university", "seats", "opens_at", "closes_at", "is_published"]
    show_change_link = True


@admin.register(Programme)
class ProgrammeAdmin(PortalModelAdmin):
    list_display = ["name_en", "name_fr", "partner_institution"]
    search_fields = ["name_en", "name_fr", "partner_institution"]
    inlines = [CallInline]


class CurriculumModuleInline(admin.TabularInline):
    model = CurriculumModule
    extra = 1


class RubricCriterionInline(admin.TabularInline):
    model = RubricCriterion
    extra = 1


class ReviewPhaseInline(admin.TabularInline):
    model = ReviewPhase
    extra = 1


class LetterTemplateInline(admin.StackedInline):
    model = LetterTemplate
    extra = 0
    max_num = 3


@admin.register(Call)
class CallAdmin(PortalModelAdmin):
    list_display = ["cohort_name", "programme", "partner_university", "seats", "opens_at", "closes_at", "is_published"]
    list_filter = ["is_published", "programme"]
    search_fields = ["cohort_name", "cohort_name_fr", "partner_university", "programme__name_en"]
    list_select_related = ["programme"]
    date_hierarchy = "opens_at"
    inlines = [CurriculumModuleInline, RubricCriterionInline, ReviewPhaseInline, LetterTemplateInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "programme",
                    "cohort_name",
                    "cohort_name_fr",
                    "partner_university",
                    "description",
                    "description_fr",
                    "seats",
                    "is_published",
                ]
            },
        ),
        (_("Dates"), {"fields": ["opens_at", "closes_at"]}),
        (
            _("Eligibility"),
            {
                "fields": [
                    "min_years_of_service",
                    "instruction_language",
                    "required_language_level",
                    "endorsement_required",
                    "quota_per_administration",
                    "motivation_min_words",
                    "motivation_max_words",
                ]
            },
        ),
        (_("Review and offers"), {"fields": ["reviews_per_application", "blind_review", "offer_reply_days"]}),
        (
            _("Data protection"),
            {"fields": ["retention_days", "consent_version", "consent_text_en", "consent_text_fr"]},
        ),
    ]


class EligibilityCheckInline(admin.TabularInline):
    model = EligibilityCheck
    extra = 0
    can_delete = False
    readonly_fields = ["created_at", "result", "reasons", "is_override", "rationale", "decided_by"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(PortalModelAdmin):
    """Read-only: applications change through the applicant's form and the services, never by hand here."""

    list_display = ["full_name", "call", "administration", "status", "eligibility_result", "endorsement_status",
                    "submitted_at"]  # fmt: skip
    list_filter = ["status", "eligibility_result", "endorsement_status", "call", "administration__region"]
    search_fields = ["full_name", "applicant__email", "administration__name_en"]
    list_select_related = ["call__programme", "administration"]
    inlines = [EligibilityCheckInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Endorsement)
class EndorsementAdmin(PortalModelAdmin):
    list_display = ["application", "administration", "decision", "rank", "decided_by", "updated_at"]
    list_filter = ["decision", "call"]
    list_select_related = ["application__call__programme", "administration", "decided_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Reviewer)
class ReviewerAdmin(PortalModelAdmin):
    """Reviewers and the administration each works for (never reviewed by them), and the calls they review."""

    list_display = ["user", "administration", "is_active"]
    list_filter = ["is_active", "calls"]
    search_fields = ["user__email", "user__full_name"]
    list_select_related = ["user", "administration"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["calls"]


class _ReadOnlyAdmin(PortalModelAdmin):
    """Changed through the services (pages), never by hand here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Review)
class ReviewAdmin(_ReadOnlyAdmin):
    list_display = ["application", "reviewer", "status", "weighted_score", "recommendation", "submitted_at"]
    list_filter = ["status", "recommendation", "call"]
    list_select_related = ["application__call__programme", "reviewer__user"]


@admin.register(Decision)
class DecisionAdmin(_ReadOnlyAdmin):
    list_display = ["application", "outcome", "reserve_rank", "status", "offer_status", "reply_by"]
    list_filter = ["outcome", "status", "offer_status", "call"]
    list_select_related = ["application__call__programme"]


@admin.register(ProgrammeOutcome)
class ProgrammeOutcomeAdmin(_ReadOnlyAdmin):
    list_display = ["application", "result", "ended_on", "recorded_by"]
    list_filter = ["result"]
    list_select_related = ["application__call__programme", "recorded_by"]


@admin.register(Letter)
class LetterAdmin(_ReadOnlyAdmin):
    list_display = ["subject", "to", "outcome", "status", "sent_at"]
    list_filter = ["status", "outcome", "call"]
    search_fields = ["to", "subject"]
