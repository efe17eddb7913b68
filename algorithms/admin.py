"""The algorithms app in the Django admin (staff). State changes go through the pages and their services; the
admin is for looking things up and for reference data (algorithms, card text)."""

from django.contrib import admin

from bacuda_portal.core.admin import PortalModelAdmin

from .models import (
    Algorithm,
    AlgorithmVersion,
    ColumnMapping,
    Dataset,
    HsLabelledDescription,
    JobArtifact,
    ModelCard,
    ModelJob,
    VersionAlias,
)


class ModelCardInline(admin.StackedInline):
    model = ModelCard
    can_delete = False


@admin.register(Algorithm)
class AlgorithmAdmin(PortalModelAdmin):
    list_display = ["name_en", "slug", "kind", "publication", "data_owner", "published_at"]
    list_filter = ["kind", "publication"]
    search_fields = ["name_en", "name_fr", "slug"]
    list_select_related = ["data_owner"]
    readonly_fields = ["publication", "approval_requested_at", "approved_by", "published_at", "created_at"]
    inlines = [ModelCardInline]


@admin.register(AlgorithmVersion)
class AlgorithmVersionAdmin(PortalModelAdmin):
    list_display = ["algorithm", "number", "administration", "publication", "job", "created_at"]
    list_filter = ["algorithm", "publication"]
    search_fields = ["algorithm__name_en", "release_notes_en"]
    list_select_related = ["algorithm", "administration", "job"]
    readonly_fields = ["publication", "approved_by", "published_at", "job", "model_artifact", "metrics"]
    raw_id_fields = ["administration"]


@admin.register(VersionAlias)
class VersionAliasAdmin(PortalModelAdmin):
    list_display = ["algorithm", "administration", "name", "version"]
    list_select_related = ["algorithm", "administration", "version__algorithm"]
    readonly_fields = ["algorithm", "administration", "name", "version"]


@admin.register(Dataset)
class DatasetAdmin(PortalModelAdmin):
    list_display = ["name", "administration", "kind", "row_count", "size", "created_at"]
    list_filter = ["kind"]
    search_fields = ["name", "original_name", "sha256", "administration__name_en"]
    list_select_related = ["administration"]
    readonly_fields = ["file", "size", "row_count", "date_from", "date_to", "has_labels", "sha256", "uploaded_by"]
    raw_id_fields = ["administration"]


class JobArtifactInline(admin.TabularInline):
    model = JobArtifact
    extra = 0
    can_delete = False
    readonly_fields = ["name", "file", "size", "sha256", "is_directory"]


@admin.register(ModelJob)
class ModelJobAdmin(PortalModelAdmin):
    list_display = ["id", "kind", "administration", "status", "percent", "attempts", "created_at"]
    list_filter = ["kind", "status"]
    search_fields = ["=id", "dataset__name", "created_by__email"]
    list_select_related = ["administration"]
    readonly_fields = [field.name for field in ModelJob._meta.fields]
    inlines = [JobArtifactInline]


@admin.register(HsLabelledDescription)
class HsLabelledDescriptionAdmin(PortalModelAdmin):
    """For looking up; accepting and rejecting go through the review page (audited, one service each)."""

    list_display = ["id", "code", "administration", "feedback", "status", "created_by", "created_at"]
    list_filter = ["status", "feedback", "source"]
    search_fields = ["=id", "code", "description", "administration__name_en"]
    list_select_related = ["administration", "created_by"]
    readonly_fields = [field.name for field in HsLabelledDescription._meta.fields]


@admin.register(ColumnMapping)
class ColumnMappingAdmin(PortalModelAdmin):
    list_display = ["administration", "kind", "updated_by", "updated_at"]
    list_filter = ["kind"]
    search_fields = ["administration__name_en", "administration__code"]
    list_select_related = ["administration", "updated_by"]
    readonly_fields = ["updated_by", "created_at", "updated_at"]
