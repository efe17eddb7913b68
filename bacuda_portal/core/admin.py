"""Admin building blocks shared by every app: CSV export of lists, an audit trail of admin edits, and JSON fields
that refuse hostile input."""

from django.contrib import admin
from django.contrib.admin.utils import label_for_field, lookup_field
from django.db import models
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from .csv_export import csv_response
from .forms import BoundedJSONFormField
from .models import AuditEntry, WorkerHeartbeat
from .services import audit_record
from .uploads.forms import CheckedImageField


@admin.action(description=_("Export selected rows as CSV"))
def export_as_csv(modeladmin, request, queryset):
    """Exports the columns of the list (``csv_fields`` when set, else ``list_display``)."""
    fields = [
        name
        for name in (getattr(modeladmin, "csv_fields", None) or modeladmin.list_display)
        if name != "action_checkbox"
    ]
    model = modeladmin.model
    header = [strip_tags(str(label_for_field(name, model, modeladmin))) for name in fields]

    def rows():
        for obj in queryset.iterator(chunk_size=500):
            row = []
            for name in fields:
                _field, _attr, value = lookup_field(name, obj, modeladmin)
                row.append(strip_tags(str(value)) if value is not None else "")
            yield row

    return csv_response(
        filename=model._meta.verbose_name_plural.replace(" ", "-"),
        header=header,
        rows=rows(),
        actor=request.user,
        action=f"admin.{model._meta.label_lower}.exported",
    )


class PortalModelAdmin(admin.ModelAdmin):
    """Base admin: CSV export, 50 rows a page, and an audit record for every save and delete."""

    actions = [export_as_csv]
    list_per_page = 50
    show_full_result_count = False

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.ImageField):
            # The portal's upload check runs before Django's own picture check, so a refusal says why.
            kwargs.update(form_class=CheckedImageField, upload_validators=db_field.validators)
        if isinstance(db_field, models.JSONField):
            kwargs.setdefault("form_class", BoundedJSONFormField)  # deep or hostile JSON: a form error, never a 500
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action=f"admin.{obj._meta.label_lower}.{'changed' if change else 'added'}",
            target=obj,
            fields=sorted(form.changed_data),
        )

    def delete_model(self, request, obj):
        audit_record(actor=request.user, action=f"admin.{obj._meta.label_lower}.deleted", target=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            audit_record(actor=request.user, action=f"admin.{obj._meta.label_lower}.deleted", target=obj)
        super().delete_queryset(request, queryset)


@admin.register(AuditEntry)
class AuditEntryAdmin(PortalModelAdmin):
    list_display = ["created_at", "actor", "action", "target_type", "target_repr"]
    list_filter = ["action", "target_type", "created_at"]
    search_fields = ["action", "target_repr", "actor__email", "actor__full_name", "target_id"]
    list_select_related = ["actor", "target_type"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in AuditEntry._meta.fields]


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(PortalModelAdmin):
    list_display = ["hostname", "kind", "queues", "pid", "started_at", "last_seen_at", "stopped_at"]
    list_filter = ["kind"]
    search_fields = ["hostname"]
    readonly_fields = [field.name for field in WorkerHeartbeat._meta.fields]
