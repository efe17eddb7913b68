"""REST API of the workshops app: workshops with their agenda, and nominations (scoped by ``access``)."""

from collections import defaultdict

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError

from bacuda_portal.core.api_fields import FieldsBuiltOnceMixin, ScopedPrimaryKeyRelatedField
from bacuda_portal.core.api_filters import ScopedModelChoiceFilter

from . import access, selectors, services
from .enums import Gender, WorkingLanguage
from .models import Beneficiary, Nomination, Session, Workshop


class SessionSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    trainer = serializers.StringRelatedField()

    class Meta:
        model = Session
        fields = ["id", "date", "start_time", "end_time", "topic", "trainer"]

    def to_representation(self, session: dict) -> dict:
        """What the fields above give (ISO dates and times) for the rows ``with_agenda`` reads, written out: a page
        of workshops has hundreds of sessions, and DRF's field-by-field path cost several milliseconds."""
        return {
            "id": session["id"],
            "date": session["date"].isoformat(),
            "start_time": session["start_time"].isoformat(),
            "end_time": session["end_time"].isoformat(),
            "topic": session["topic"],
            "trainer": session["trainer"],
        }


# Reads ``beneficiary_codes`` and ``agenda``, which ``with_agenda`` attaches (no docstring: it would become the
# schema's description of a workshop).
class WorkshopSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    beneficiaries = serializers.SerializerMethodField()
    sessions = SessionSerializer(source="agenda", many=True, read_only=True)
    accepted_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Workshop
        fields = ["id", "title", "kind", "status", "region", "beneficiaries", "host_city", "venue", "online_url",
                  "start_date", "end_date", "time_zone", "languages", "seats", "accepted_count",
                  "clikc_workspace_url", "sessions"]  # fmt: skip

    def get_beneficiaries(self, workshop) -> list[str]:
        return workshop.beneficiary_codes


# The columns WorkshopSerializer reads (the region's code comes with select_related).
WORKSHOP_FIELDS = ("title", "kind", "status", "region__code", "host_city", "venue", "online_url", "start_date",
                   "end_date", "time_zone", "languages", "seats", "clikc_workspace_url")  # fmt: skip
SESSION_FIELDS = ("id", "date", "start_time", "end_time", "topic")


def with_agenda(workshops: list[Workshop]) -> list[Workshop]:
    """Attach the beneficiaries' codes and the sessions (as the dicts SessionSerializer reads) of ``workshops``.

    Two plain queries for the page: a prefetch would build model instances for every session and beneficiary
    and a filtered queryset per workshop and relation, which cost more than the rest of the request."""
    ids = [workshop.pk for workshop in workshops]
    codes, agendas = defaultdict(list), defaultdict(list)
    links = Beneficiary.objects.filter(workshop__in=ids).order_by("administration__name_en", "pk")
    for workshop_id, code in links.values_list("workshop_id", "administration__code"):
        codes[workshop_id].append(code)
    sessions = Session.objects.filter(workshop__in=ids).order_by("date", "start_time", "pk")
    for workshop_id, trainer, *values in sessions.values_list("workshop_id", "trainer__full_name", *SESSION_FIELDS):
        agendas[workshop_id].append({**dict(zip(SESSION_FIELDS, values, strict=True)), "trainer": trainer})
    for workshop in workshops:
        workshop.beneficiary_codes, workshop.agenda = codes[workshop.pk], agendas[workshop.pk]
    return workshops


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
        visible = access.workshops_visible_to(self.request.user)
        return selectors.workshop_list(visible=visible).only(*WORKSHOP_FIELDS)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return None if page is None else with_agenda(page)

    def get_object(self):
        return with_agenda([super().get_object()])[0]


class NominationSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    workshop = ScopedPrimaryKeyRelatedField(model=Workshop, visible=access.workshops_visible_to)
    administration = serializers.SlugRelatedField(slug_field="code", read_only=True)
    gender = serializers.ChoiceField(choices=Gender.choices)
    language = serializers.ChoiceField(choices=WorkingLanguage.choices)

    class Meta:
        model = Nomination
        fields = ["id", "workshop", "administration", "full_name", "gender", "position", "email", "language",
                  "consent_to_list", "status", "created_at"]  # fmt: skip
        read_only_fields = ["status", "created_at"]


class NominationFilter(django_filters.FilterSet):
    workshop = ScopedModelChoiceFilter(visible=access.workshops_visible_to)

    class Meta:
        model = Nomination
        fields = ["workshop", "status"]


class NominationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Nominations: staff see all; a contact point sees and creates only their administration's."""

    serializer_class = NominationSerializer
    filterset_class = NominationFilter
    search_fields = ["full_name", "email"]

    def get_queryset(self):
        # Newest first along the created_at index: sorting all rows by administration name before taking a page of
        # 50 cost ~100 ms at 40,000 nominations (benchmarks/load.py); the pages keep the by-administration order.
        return (
            selectors.nominations_of(access.nominations_visible_to(self.request.user))
            .select_related("workshop")
            .order_by("-created_at", "-pk")
        )

    def create(self, request, *args, **kwargs):
        # Decided before the body is read, so that the answer never depends on which workshop it names.
        if not access.can_nominate(request.user):
            raise NotFound
        return super().create(request, *args, **kwargs)

    @extend_schema(responses=NominationSerializer)
    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        workshop = data.pop("workshop")  # one the user may see: the field looks it up there
        administration = access.nominating_administration(self.request.user, workshop)
        if administration is None:
            raise NotFound
        try:
            serializer.instance = services.nomination_create(
                workshop=workshop, administration=administration, by=self.request.user, **data
            )
        except DjangoValidationError as error:
            raise ApiValidationError(getattr(error, "message_dict", None) or {"non_field_errors": error.messages})
