"""REST API of the workshops app: workshops with their agenda, and nominations (scoped by ``access``)."""

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError

from . import access, selectors, services
from .enums import Gender, WorkingLanguage
from .models import Nomination, Session, Workshop


class SessionSerializer(serializers.ModelSerializer):
    trainer = serializers.StringRelatedField()

    class Meta:
        model = Session
        fields = ["id", "date", "start_time", "end_time", "topic", "trainer"]


class WorkshopSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    beneficiaries = serializers.SerializerMethodField()
    sessions = SessionSerializer(many=True, read_only=True)
    accepted_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Workshop
        fields = ["id", "title", "kind", "status", "region", "beneficiaries", "host_city", "venue", "online_url",
                  "start_date", "end_date", "time_zone", "languages", "seats", "accepted_count",
                  "clikc_workspace_url", "sessions"]  # fmt: skip

    def get_beneficiaries(self, workshop) -> list[str]:
        return [link.administration.code for link in workshop.beneficiary_links.all()]


class WorkshopFilter(django_filters.FilterSet):
    region = django_filters.CharFilter(field_name="region__code")
    administration = django_filters.CharFilter(field_name="beneficiary_links__administration__code", distinct=True)
    starts_after = django_filters.DateFilter(field_name="start_date", lookup_expr="gte")
    starts_before = django_filters.DateFilter(field_name="start_date", lookup_expr="lte")

    class Meta:
        model = Workshop
        fields = ["status", "kind", "region", "administration", "starts_after", "starts_before"]


class WorkshopViewSet(viewsets.ReadOnlyModelViewSet):
    """Workshops the user may see: all for staff, their administration's for a contact point, their
    assignments' for an expert."""

    serializer_class = WorkshopSerializer
    filterset_class = WorkshopFilter
    search_fields = ["title", "host_city"]
    ordering_fields = ["start_date", "title"]

    def get_queryset(self):
        return selectors.workshop_list(visible=access.workshops_visible_to(self.request.user)).prefetch_related(
            "beneficiary_links__administration", "sessions__trainer"
        )


class NominationSerializer(serializers.ModelSerializer):
    workshop = serializers.PrimaryKeyRelatedField(queryset=Workshop.objects.all())
    administration = serializers.SlugRelatedField(slug_field="code", read_only=True)
    gender = serializers.ChoiceField(choices=Gender.choices)
    language = serializers.ChoiceField(choices=WorkingLanguage.choices)

    class Meta:
        model = Nomination
        fields = ["id", "workshop", "administration", "full_name", "gender", "position", "email", "language",
                  "consent_to_list", "status", "created_at"]  # fmt: skip
        read_only_fields = ["status", "created_at"]


class NominationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Nominations: staff see all; a contact point sees and creates only their administration's."""

    serializer_class = NominationSerializer
    filterset_fields = ["workshop", "status"]
    search_fields = ["full_name", "email"]

    def get_queryset(self):
        # Newest first along the created_at index: sorting all rows by administration name before taking a page of
        # 50 cost ~100 ms at 40,000 nominations (benchmarks/load.py); the pages keep the by-administration order.
        return (
            selectors.nominations_of(access.nominations_visible_to(self.request.user))
            .select_related("workshop")
            .order_by("-created_at", "-pk")
        )

    @extend_schema(responses=NominationSerializer)
    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        workshop = data.pop("workshop")
        if not access.workshops_visible_to(self.request.user).filter(pk=workshop.pk).exists():
            raise NotFound
        administration = access.nominating_administration(self.request.user, workshop)
        if administration is None:
            raise NotFound
        try:
            serializer.instance = services.nomination_create(
                workshop=workshop, administration=administration, by=self.request.user, **data
            )
        except DjangoValidationError as error:
            raise ApiValidationError(getattr(error, "message_dict", None) or {"non_field_errors": error.messages})
