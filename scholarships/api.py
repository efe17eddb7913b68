"""REST API of the scholarships app: calls (public to read), applications and reviews (scoped by ``access``); the
selection's writes (endorsement, reviews, decisions, offers) come from ``api_writes``."""

import django_filters
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema_field
from rest_framework import permissions, serializers, viewsets

from bacuda_portal.core.api_fields import FieldsBuiltOnceMixin
from bacuda_portal.core.api_filters import ScopedModelChoiceFilter
from bacuda_portal.core.services import audit_record

from . import access, selectors
from .api_writes import ApplicationWritesMixin, CallWritesMixin, ReviewWritesMixin
from .enums import ReviewStatus
from .models import Application, Call, CurriculumModule, Review, ReviewScore


class CurriculumModuleSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    class Meta:
        model = CurriculumModule
        fields = ["title", "hours", "order"]


class CallSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
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


class CallViewSet(CallWritesMixin, viewsets.ReadOnlyModelViewSet):
    """Calls for applications open right now; readable without signing in."""

    serializer_class = CallSerializer
    permission_classes = [permissions.AllowAny]
    search_fields = ["cohort_name", "partner_university", "programme__name_en"]
    ordering_fields = ["closes_at", "opens_at"]

    def get_queryset(self):
        return selectors.open_calls(visible=access.calls_visible_to(self.request.user))


class ApplicationSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
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
    call = ScopedModelChoiceFilter(visible=access.calls_visible_to)
    administration = django_filters.CharFilter(field_name="administration__code")
    region = django_filters.CharFilter(field_name="administration__region__code")

    class Meta:
        model = Application
        fields = ["call", "status", "eligibility_result", "endorsement_status", "administration", "region"]


APPLICATION_LIST_FIELDS = ("call", "administration__code", "full_name", "gender", "nationality", "position",
                           "years_of_service", "education_level", "language_level", "status", "submitted_at",
                           "endorsement_status", "endorsement__rank", "eligibility_result")  # fmt: skip


class ApplicationViewSet(ApplicationWritesMixin, viewsets.ReadOnlyModelViewSet):
    """Applications: an applicant sees their own, a contact point their administration's submitted ones, staff
    all. Personal data read here by anyone but the applicant is logged, as on the pages."""

    serializer_class = ApplicationSerializer
    filterset_class = ApplicationFilter
    search_fields = ["full_name", "position"]
    ordering_fields = ["submitted_at", "full_name"]

    def get_queryset(self):
        applications = selectors.application_list(visible=access.applications_visible_to(self.request.user))
        if self.action != "list":
            return applications
        # A page of fifty rows reads a few columns: not the motivation, the documents, nor the call's texts.
        return (
            applications.select_related(None)
            .select_related("administration", "endorsement")
            .only(*APPLICATION_LIST_FIELDS)
        )

    def retrieve(self, request, *args, **kwargs):
        application = self.get_object()
        if access.is_personal_data_viewer(request.user, application):
            audit_record(actor=request.user, action="scholarships.application.viewed", target=application, via="api")
        return super().retrieve(request, *args, **kwargs)


class ReviewScoreSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    criterion = serializers.CharField(source="criterion.name", read_only=True)
    weight = serializers.DecimalField(source="criterion.weight", max_digits=5, decimal_places=2, read_only=True)

    class Meta:
        model = ReviewScore
        fields = ["criterion", "weight", "score"]


class ReviewedApplicationSerializer(serializers.Serializer):
    """The application as its reviewer sees it: with a blind call, no name, administration or nationality."""

    id = serializers.IntegerField()
    full_name = serializers.CharField(allow_null=True, help_text="Null in a blind review.")
    administration = serializers.CharField(allow_null=True, help_text="Administration code; null in a blind review.")
    nationality = serializers.CharField(allow_null=True, help_text="Null in a blind review.")
    position = serializers.CharField()
    years_of_service = serializers.IntegerField(allow_null=True)
    education_level = serializers.CharField()
    language_level = serializers.CharField()
    motivation = serializers.CharField()


class ReviewSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    application = serializers.SerializerMethodField()
    scores = ReviewScoreSerializer(many=True, read_only=True)

    class Meta:
        model = Review
        fields = ["id", "call", "application", "status", "recommendation", "comment", "weighted_score",
                  "submitted_at", "scores"]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(ReviewedApplicationSerializer)
    def get_application(self, review) -> dict:
        application = review.application
        blind = access.is_blind_for(self.context["request"].user, review)
        return {
            "id": application.pk,
            "full_name": None if blind else application.full_name,
            "administration": None if blind or not application.administration else application.administration.code,
            "nationality": None if blind else application.nationality,
            "position": application.position,
            "years_of_service": application.years_of_service,
            "education_level": application.education_level,
            "language_level": application.language_level,
            "motivation": application.motivation,
        }


class ReviewFilter(django_filters.FilterSet):
    call = ScopedModelChoiceFilter(visible=access.calls_visible_to)

    class Meta:
        model = Review
        fields = ["call", "status"]


class ReviewViewSet(ReviewWritesMixin, viewsets.ReadOnlyModelViewSet):
    """Reviews: a reviewer reads their own assignments (never one on which they declared a conflict; names
    hidden when the call is blind); staff read all. Each read of an application here is logged."""

    serializer_class = ReviewSerializer
    filterset_class = ReviewFilter
    ordering_fields = ["submitted_at", "id"]

    def get_queryset(self):
        return (
            access.reviews_visible_to(self.request.user)
            .exclude(status=ReviewStatus.CONFLICT)
            .select_related("call", "application__administration")
            .prefetch_related(Prefetch("scores", queryset=ReviewScore.objects.select_related("criterion")))
            .order_by("pk")
        )

    def retrieve(self, request, *args, **kwargs):
        review = self.get_object()
        audit_record(actor=request.user, action="scholarships.application.viewed", target=review.application, via="api")
        return super().retrieve(request, *args, **kwargs)
