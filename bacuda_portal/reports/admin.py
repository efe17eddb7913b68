"""The results framework, narratives and budget in the Django admin (staff), and the report archive (read only)."""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from bacuda_portal.core.admin import PortalModelAdmin

from .enums import IndicatorSource
from .indicators import REGISTRY
from .models import (
    BudgetLine,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    Objective,
    Report,
    ReportNarrative,
)


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ["code", "title_en", "unit", "source", "computed_key", "is_active"]
    show_change_link = True


@admin.register(Objective)
class ObjectiveAdmin(PortalModelAdmin):
    list_display = ["code", "title_en", "order"]
    search_fields = ["code", "title_en", "title_fr"]
    inlines = [IndicatorInline]


class IndicatorForm(forms.ModelForm):
    computed_key = forms.ChoiceField(
        label=_("computed indicator"),
        required=False,
        choices=lambda: [("", "—")] + [(key, str(item.title)) for key, item in REGISTRY.items()],
    )

    class Meta:
        model = Indicator
        fields = ["objective", "code", "title_en", "title_fr", "unit", "baseline", "baseline_year",
                  "means_of_verification", "disaggregate_by_sex", "disaggregate_by_region", "source",
                  "computed_key", "order", "is_active"]  # fmt: skip


class TargetInline(admin.TabularInline):
    model = IndicatorTarget
    extra = 0
    fields = ["period_start", "period_end", "value"]


@admin.register(Indicator)
class IndicatorAdmin(PortalModelAdmin):
    form = IndicatorForm
    list_display = ["code", "title_en", "objective", "unit", "source", "computed_key", "is_active"]
    list_filter = ["source", "is_active", "objective"]
    list_select_related = ["objective"]
    search_fields = ["code", "title_en", "title_fr"]
    inlines = [TargetInline]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(PortalModelAdmin):
    list_display = ["indicator", "period_start", "period_end", "value", "administration", "region", "entered_by"]
    list_filter = ["indicator"]
    list_select_related = ["indicator", "administration", "region", "entered_by"]
    readonly_fields = ["evidence_link", "entered_by", "created_at", "updated_at"]
    autocomplete_fields = ["administration"]

    @admin.display(description=_("stored evidence"))
    def evidence_link(self, obj):
        # Private files are never served from a public URL: the link goes through the access layer. A value not
        # saved yet (its form refused, the upload not stored) has nothing to download.
        if not obj or not obj.pk or not obj.evidence_file:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("reports:evidence_download", args=[obj.pk]), _("Download"))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "indicator":
            kwargs["queryset"] = Indicator.objects.filter(source=IndicatorSource.MANUAL)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.entered_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ReportNarrative)
class ReportNarrativeAdmin(PortalModelAdmin):
    list_display = ["period_start", "period_end", "language", "updated_by", "updated_at"]
    list_select_related = ["updated_by"]
    readonly_fields = ["updated_by", "created_at", "updated_at"]


@admin.register(BudgetLine)
class BudgetLineAdmin(PortalModelAdmin):
    list_display = ["code", "title_en", "period_start", "period_end", "planned", "actual", "currency"]
    list_filter = ["currency"]
    search_fields = ["code", "title_en"]


@admin.register(Report)
class ReportAdmin(PortalModelAdmin):
    """The archive: written by the request service and the worker only."""

    list_display = ["pk", "kind", "period_start", "period_end", "language", "status", "attempts", "requested_by"]
    list_filter = ["kind", "status", "language"]
    list_select_related = ["requested_by"]
    readonly_fields = [f.name for f in Report._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
