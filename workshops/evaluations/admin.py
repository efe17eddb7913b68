"""The evaluations in the admin: for looking, not changing.

Questions and questionnaires change through the staff pages, whose services keep the rules (scored questions,
the post-test following the pre-test, anonymity fixed once answered). Responses and receipts are not in the
admin at all: side by side they are exactly what the anonymity design keeps apart (see ``models``).
"""

from django.contrib import admin

from bacuda_portal.core.admin import PortalModelAdmin

from .models import Question, Questionnaire, QuestionnaireItem, QuestionOption


class _ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class QuestionOptionInline(_ReadOnly, admin.TabularInline):
    model = QuestionOption
    extra = 0
    fields = ["position", "text_en", "text_fr", "is_correct"]


@admin.register(Question)
class QuestionAdmin(_ReadOnly, PortalModelAdmin):
    list_display = ["text_en", "kind", "points", "measures_application", "is_active"]
    list_filter = ["kind", "measures_application", "is_active"]
    search_fields = ["text_en", "text_fr"]
    inlines = [QuestionOptionInline]


class QuestionnaireItemInline(_ReadOnly, admin.TabularInline):
    model = QuestionnaireItem
    extra = 0
    fields = ["position", "question", "required"]


@admin.register(Questionnaire)
class QuestionnaireAdmin(_ReadOnly, PortalModelAdmin):
    list_display = ["workshop", "kind", "status", "anonymous", "opens_at", "closes_at"]
    list_filter = ["kind", "status", "anonymous"]
    search_fields = ["workshop__title"]
    list_select_related = ["workshop"]
    inlines = [QuestionnaireItemInline]
