"""REST API of the e-learning app (staff only): courses with their milestones and checklist, and the stage
transitions as actions. Registered in ``bacuda_portal.api``."""

import django_filters
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from bacuda_portal.core.api_fields import FieldsBuiltOnceMixin
from bacuda_portal.core.exceptions import TransitionError

from . import access, selectors, services
from .enums import CourseLanguage, CourseStage
from .models import ChecklistItem, Course, Milestone, StageChange, Vendor


class IsCourseManager(permissions.BasePermission):
    """WCO staff only. Signed-in users without access are told "not found", as on the pages; anonymous 401."""

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if not access.can_manage_courses(request.user):
            raise NotFound
        return True


class VendorSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    class Meta:
        model = Vendor
        fields = ["id", "name", "country", "contact_name", "contact_email"]


class ExpertSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()


class MilestoneSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Milestone
        fields = ["id", "title", "due_date", "done_on", "is_overdue"]


class ChecklistItemSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    label = serializers.CharField(source="display_label", read_only=True)

    class Meta:
        model = ChecklistItem
        fields = ["id", "key", "label", "done", "done_at"]


class StageChangeSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    changed_by = serializers.SlugRelatedField(slug_field="email", read_only=True)

    class Meta:
        model = StageChange
        fields = ["from_stage", "to_stage", "changed_at", "changed_by", "note"]


class CourseSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    languages = serializers.ListField(child=serializers.ChoiceField(choices=CourseLanguage.choices), read_only=True)
    owner = serializers.SlugRelatedField(slug_field="email", read_only=True)
    vendor = VendorSerializer(read_only=True)
    experts = ExpertSummarySerializer(many=True, read_only=True)
    overdue_milestone_count = serializers.IntegerField(read_only=True)
    milestones = MilestoneSerializer(many=True, read_only=True)
    checklist = ChecklistItemSerializer(many=True, read_only=True)
    stage_changes = StageChangeSerializer(many=True, read_only=True)

    class Meta:
        model = Course
        fields = [
            "code",
            "title_en",
            "title_fr",
            "summary_en",
            "summary_fr",
            "languages",
            "stage",
            "clikc_url",
            "owner",
            "vendor",
            "experts",
            "planned_launch_on",
            "published_at",
            "version",
            "overdue_milestone_count",
            "milestones",
            "checklist",
            "stage_changes",
            "created_at",
            "updated_at",
        ]


class AdvanceSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class SendBackSerializer(serializers.Serializer):
    to_stage = serializers.ChoiceField(choices=CourseStage.choices)
    note = serializers.CharField(max_length=2000, allow_blank=True)


class TransitionRefusedSerializer(serializers.Serializer):
    detail = serializers.CharField()


class CourseFilter(django_filters.FilterSet):
    stage = django_filters.ChoiceFilter(choices=CourseStage.choices)
    language = django_filters.ChoiceFilter(
        choices=CourseLanguage.choices, method="filter_language", label=_("Offered in this language")
    )
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("With overdue milestones only"))

    class Meta:
        model = Course
        fields = ["stage", "language", "overdue"]

    def filter_language(self, queryset, name, value):
        return selectors.offered_in(queryset, value)

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(overdue_milestone_count__gt=0) if value else queryset


class CourseViewSet(viewsets.ReadOnlyModelViewSet):
    """E-learning courses under development (WCO staff only), with their stage transitions as actions."""

    serializer_class = CourseSerializer
    permission_classes = [IsCourseManager]
    lookup_field = "code"
    filterset_class = CourseFilter
    search_fields = ["code", "title_en", "title_fr"]
    ordering_fields = ["code", "stage", "planned_launch_on", "published_at"]

    def get_queryset(self):
        return selectors.course_list(visible=access.courses_visible_to(self.request.user)).prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.order_by("due_date", "id")),
            "checklist",
            Prefetch("stage_changes", queryset=StageChange.objects.select_related("changed_by")),
        )

    def _transition(self, service, **kwargs) -> Response:
        course = self.get_object()
        try:
            service(course=course, by=self.request.user, **kwargs)
        except TransitionError as error:
            return Response({"detail": str(error)}, status=status.HTTP_400_BAD_REQUEST)
        return Response(self.get_serializer(self.get_queryset().get(pk=course.pk)).data)

    @extend_schema(request=AdvanceSerializer, responses={200: CourseSerializer, 400: TransitionRefusedSerializer})
    @action(detail=True, methods=["post"])
    def advance(self, request, code=None):
        """Move the course to the next stage (up to pilot)."""
        payload = AdvanceSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        return self._transition(services.course_advance, note=payload.validated_data["note"])

    @extend_schema(request=SendBackSerializer, responses={200: CourseSerializer, 400: TransitionRefusedSerializer})
    @action(detail=True, methods=["post"], url_path="send-back")
    def send_back(self, request, code=None):
        """Return the course to an earlier stage, saying why."""
        payload = SendBackSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        return self._transition(services.course_send_back, **payload.validated_data)

    @extend_schema(request=None, responses={200: CourseSerializer, 400: TransitionRefusedSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request, code=None):
        """Publish the course on CLiKC! (needs its CLiKC! address and a complete launch checklist)."""
        return self._transition(services.course_publish)
