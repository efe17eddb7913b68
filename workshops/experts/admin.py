from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from bacuda_portal.core.admin import PortalModelAdmin

from .models import AccreditationChange, AvailabilityWindow, Expert, ExpertiseArea, ExpertLanguage


@admin.register(ExpertiseArea)
class ExpertiseAreaAdmin(PortalModelAdmin):
    list_display = ["name_en", "name_fr", "code"]
    search_fields = ["code", "name_en", "name_fr"]
    prepopulated_fields = {"code": ["name_en"]}


class ExpertLanguageInline(admin.TabularInline):
    model = ExpertLanguage
    extra = 0


class AvailabilityWindowInline(admin.TabularInline):
    model = AvailabilityWindow
    extra = 0
    fields = ["start_date", "end_date", "note"]


class AccreditationChangeInline(admin.TabularInline):
    """The history is shown, never edited: it is written by the accreditation service only."""

    model = AccreditationChange
    extra = 0
    fields = ["on", "from_status", "to_status", "by", "note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Expert)
class ExpertAdmin(PortalModelAdmin):
    list_display = ["full_name", "email", "administration", "nationality", "accreditation_status", "is_active", "user"]
    list_filter = [
        "accreditation_status",
        "is_active",
        "expertise_areas",
        "languages__language",
        "administration__region",
        ("user", admin.EmptyFieldListFilter),
    ]
    search_fields = ["full_name", "email", "administration__name_en", "administration__code", "nationality__name_en"]
    list_select_related = ["administration", "nationality", "user"]
    autocomplete_fields = ["administration", "nationality"]
    raw_id_fields = ["user"]
    filter_horizontal = ["expertise_areas"]
    readonly_fields = ["accreditation", "cv_download", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["full_name", "email", "phone", "user", "is_active"]}),
        (_("Origin"), {"fields": ["nationality", "administration"]}),
        (_("Profile"), {"fields": ["expertise_areas", "biography", "cv_download"]}),
        (_("Accreditation"), {"fields": ["accreditation"]}),
        (_("Dates"), {"fields": ["created_at", "updated_at"]}),
    ]
    inlines = [ExpertLanguageInline, AvailabilityWindowInline, AccreditationChangeInline]

    @admin.display(description=_("accreditation"))
    def accreditation(self, obj):
        # Changing it here would skip the history: the staff page records the change with its date.
        if obj.pk is None:
            return obj.get_accreditation_status_display()
        return format_html(
            '{} · <a href="{}">{}</a>',
            obj.get_accreditation_status_display(),
            reverse("experts:accreditation", kwargs={"pk": obj.pk}),
            _("Record a change"),
        )

    @admin.display(description=_("CV"))
    def cv_download(self, obj):
        # Private files are served only through the access-checked view, never by a storage URL.
        if not obj.cv:
            return _("No CV uploaded yet.")
        return format_html('<a href="{}">{}</a>', reverse("experts:cv", kwargs={"pk": obj.pk}), _("Download"))
