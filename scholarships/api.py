"""REST API of the scholarships app: calls (public, read-only) and applications (scoped by ``access``)."""

import django_filters
from rest_framework import permissions, serializers, viewsets

from bacuda_portal.core.services import audit_record

from . import access, selectors
from .models import Application, Call, CurriculumModule


class CurriculumModuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = CurriculumModule
        fields = ["title", "hours", "order"]


class CallSerializer(serializers.ModelSerializer):
    programme = serializers.StringRelatedField()
    partner_institution = serializers.CharField(source="programme.partner_institution", read_only=True)
    modules = CurriculumModuleSerializer(many=True, read_only=True)
    # A plain string: the CEFR levels' enum is named once, on the applications.
    required_language_level = serializers.CharField(read_only=True, help_text="CEFR level (A1-C2), or empty.")

    class Meta:
        model = Call
        fields = ["id", "programme", "partner_institution", "cohort_name", "partner_university", "description",
                  "seats", "opens_at", "closes_at", "min_years_of_service", "instruction_language",
                  "required_language_level", "endorsement_required", "quota_per_administration",
                  "motivation_min_words", "motivation_max_words", "modules"]  # fmt: skip


class CallViewSet(viewsets.ReadOnlyModelViewSet):
    """Calls for applications open right now; readable without signing in."""

    serializer_class = CallSerializer
    permission_classes = [permissions.AllowAny]
    search_fields = ["cohort_name", "partner_university", "programme__name_en"]
    ordering_fields = ["closes_at", "opens_at"]

    def get_queryset(self):
        return selectors.open_calls(visible=access.calls_visible_to(self.request.user))


class ApplicationSerializer(serializers.ModelSerializer):
    administration = serializers.SlugRelatedField(slug_field="code", read_only=True)
    endorsement_rank = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = ["id", "call", "administration", "full_name", "gender", "nationality", "position",
                  "years_of_service", "education_level", "language_level", "status", "submitted_at",
                  "endorsement_status", "endorsement_rank", "eligibility_result"]  # fmt: skip
        read_only_fields = fields

    def get_endorsement_rank(self, application) -> int | None:
        endorsement = getattr(application, "endorsement", None)
        return endorsement.rank if endorsement else None


class ApplicationFilter(django_filters.FilterSet):
    administration = django_filters.CharFilter(field_name="administration__code")
    region = django_filters.CharFilter(field_name="administration__region__code")

    class Meta:
        model = Application
        fields = ["call", "status", "eligibility_result", "endorsement_status", "administration", "region"]


class ApplicationViewSet(viewsets.ReadOnlyModelViewSet):
    """Applications: an applicant sees their own, a contact point their administration's submitted ones, staff
    all. Personal data read here by anyone but the applicant is logged, as on the pages."""

    serializer_class = ApplicationSerializer
    filterset_class = ApplicationFilter
    search_fields = ["full_name", "position"]
    ordering_fields = ["submitted_at", "full_name"]

    def get_queryset(self):
        return selectors.application_list(visible=access.applications_visible_to(self.request.user))

    def retrieve(self, request, *args, **kwargs):
        application = self.get_object()
        if access.is_personal_data_viewer(request.user, application):
            audit_record(actor=request.user, action="scholarships.application.viewed", target=application, via="api")
        return super().retrieve(request, *args, **kwargs)
