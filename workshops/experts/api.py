"""REST API of the experts registry (WCO staff only), registered in ``bacuda_portal.api``.

Read-only: profiles change through the pages, whose forms call the services.
"""

from collections import defaultdict

import django_filters
from django import forms
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import filters, permissions, serializers, viewsets

from bacuda_portal.core.api_fields import FieldsBuiltOnceMixin
from bacuda_portal.members.models import Region

from . import access, selectors
from .enums import AccreditationStatus, SpokenLanguage
from .models import AccreditationChange, AvailabilityWindow, Expert, ExpertiseArea, ExpertLanguage


class IsExpertsManager(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        return access.can_manage_experts(request.user)


class ExpertLanguageSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    class Meta:
        model = ExpertLanguage
        fields = ["language", "level"]


class AvailabilityWindowSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    class Meta:
        model = AvailabilityWindow
        fields = ["start_date", "end_date", "note"]


class AccreditationChangeSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    by = serializers.SlugRelatedField(slug_field="email", read_only=True)

    class Meta:
        model = AccreditationChange
        fields = ["on", "from_status", "to_status", "by", "note"]


class ExpertSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    user = serializers.SlugRelatedField(slug_field="email", read_only=True)
    nationality = serializers.SlugRelatedField(slug_field="code", read_only=True)
    administration = serializers.SlugRelatedField(slug_field="code", read_only=True)
    regions = serializers.SerializerMethodField(help_text=_("WCO regions of the administration and nationality."))
    expertise_areas = serializers.SerializerMethodField()
    languages = ExpertLanguageSerializer(source="language_rows", many=True, read_only=True)
    availability = AvailabilityWindowSerializer(
        source="availability_rows",
        many=True,
        read_only=True,
        help_text=_("Availability periods that have not ended."),
    )
    has_cv = serializers.SerializerMethodField()

    class Meta:
        model = Expert
        fields = [
            "id",
            "full_name",
            "email",
            "phone",
            "user",
            "nationality",
            "administration",
            "regions",
            "accreditation_status",
            "is_active",
            "expertise_areas",
            "languages",
            "availability",
            "has_cv",
        ]

    def get_regions(self, expert: Expert) -> list[str]:
        return sorted({home.region.code for home in (expert.administration, expert.nationality) if home})

    def get_expertise_areas(self, expert: Expert) -> list[str]:
        return expert.expertise_codes

    def get_has_cv(self, expert: Expert) -> bool:
        return bool(expert.cv)


class ExpertDetailSerializer(ExpertSerializer):
    accreditation_history = AccreditationChangeSerializer(many=True, read_only=True)

    class Meta(ExpertSerializer.Meta):
        fields = [*ExpertSerializer.Meta.fields, "biography", "accreditation_history"]


class ExpertApiFilterForm(forms.Form):
    """Refuses a period that ends before it starts (400), like the staff list."""

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("available_from"), cleaned.get("available_to")
        if start and end and end < start:
            self.add_error("available_to", _("The end of the period cannot be before its start."))
        return cleaned


@extend_schema_field(OpenApiTypes.STR)
class CodeChoiceFilter(django_filters.ModelChoiceFilter):
    """A reference-data choice given by its code (documented as a string in the OpenAPI schema)."""


class ExpertFilter(django_filters.FilterSet):
    """The staff list's filters; ``selectors.expert_filter`` applies them, so page and API agree."""

    search = django_filters.CharFilter(label=_("Name, email or administration"))
    expertise = CodeChoiceFilter(
        label=_("Expertise area code"), queryset=ExpertiseArea.objects.all(), to_field_name="code"
    )
    language = django_filters.ChoiceFilter(label=_("Language"), choices=SpokenLanguage.choices)
    region = CodeChoiceFilter(label=_("WCO region code"), queryset=Region.objects.all(), to_field_name="code")
    accreditation = django_filters.ChoiceFilter(label=_("Accreditation"), choices=AccreditationStatus.choices)
    available_from = django_filters.DateFilter(label=_("Available from"))
    available_to = django_filters.DateFilter(label=_("Available until"))
    active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = Expert
        fields: list[str] = []
        form = ExpertApiFilterForm

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        return selectors.expert_filter(
            queryset,
            search=data.get("search") or "",
            expertise=data.get("expertise"),
            language=data.get("language") or "",
            region=data["region"].code if data.get("region") else "",
            available_from=data.get("available_from"),
            available_to=data.get("available_to"),
            accreditation=data.get("accreditation") or "",
            active=data.get("active"),
        )


# The columns ExpertDetailSerializer reads (the related rows are otherwise loaded whole, four per expert).
EXPERT_FIELDS = ("full_name", "email", "phone", "accreditation_status", "is_active", "cv", "biography", "user__email",
                 "administration__code", "administration__region__code", "nationality__code",
                 "nationality__region__code")  # fmt: skip


def with_profile_lists(experts: list[Expert]) -> list[Expert]:
    """Attach what ExpertSerializer lists of each expert: ``expertise_codes`` (by area name), ``language_rows`` (by
    language) and ``availability_rows`` (windows not ended yet, by start), as plain values.

    Three plain queries for the page: prefetching builds model instances and, for the related managers, a
    filtered queryset per expert and relation, which cost more than the rest of the request."""
    ids = [expert.pk for expert in experts]
    expertise, languages, availability = defaultdict(list), defaultdict(list), defaultdict(list)
    areas = Expert.expertise_areas.through.objects.filter(expert_id__in=ids).order_by("expertisearea__name_en", "pk")
    for expert_id, code in areas.values_list("expert_id", "expertisearea__code"):
        expertise[expert_id].append(code)
    spoken = ExpertLanguage.objects.filter(expert_id__in=ids).order_by("language", "pk")
    for expert_id, language, level in spoken.values_list("expert_id", "language", "level"):
        languages[expert_id].append({"language": language, "level": level})
    windows = AvailabilityWindow.objects.filter(expert_id__in=ids, end_date__gte=timezone.localdate())
    for expert_id, start, end, note in windows.order_by("start_date", "pk").values_list(
        "expert_id", "start_date", "end_date", "note"
    ):
        availability[expert_id].append({"start_date": start, "end_date": end, "note": note})
    for expert in experts:
        expert.expertise_codes = expertise[expert.pk]
        expert.language_rows, expert.availability_rows = languages[expert.pk], availability[expert.pk]
    return experts


class ExpertViewSet(viewsets.ReadOnlyModelViewSet):
    """The experts registry, searchable like the staff list (WCO staff only)."""

    permission_classes = [permissions.IsAuthenticated, IsExpertsManager]
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    filterset_class = ExpertFilter
    ordering_fields = ["full_name", "created_at", "accreditation_status"]

    def get_queryset(self):
        # The lists come from ``with_profile_lists`` once the page is cut.
        queryset = (
            selectors.expert_list()
            .prefetch_related(None)
            .select_related("user", "administration__region", "nationality__region")
            .only(*EXPERT_FIELDS)
            .order_by("full_name", "pk")
        )
        if self.action == "retrieve":
            history = AccreditationChange.objects.select_related("by").order_by("-on", "-id")
            queryset = queryset.prefetch_related(Prefetch("accreditation_history", queryset=history))
        return queryset

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return None if page is None else with_profile_lists(page)

    def get_object(self):
        return with_profile_lists([super().get_object()])[0]

    def get_serializer_class(self):
        return ExpertDetailSerializer if self.action == "retrieve" else ExpertSerializer
