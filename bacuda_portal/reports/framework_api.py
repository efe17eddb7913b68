"""The results framework through the API (issue 19, part 6): objectives, indicators, their targets and the values
entered by hand with their evidence. Staff read and write it, as on the framework pages (``framework_views``), by
the same services (``framework_services``); anyone else signed in finds nothing (404), anonymous visitors get 401.
The dashboard's computed figures are read at ``/api/v1/dashboard/``. ``register`` adds the routes."""

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.reverse import reverse

from bacuda_portal.core.api_fields import FieldsBuiltOnceMixin, ScopedPrimaryKeyRelatedField, ScopedSlugRelatedField
from bacuda_portal.core.api_filters import ScopedModelChoiceFilter
from bacuda_portal.core.api_writes import ConflictSerializer, StateConflict
from bacuda_portal.core.parsers import PortalJSONParser
from bacuda_portal.members import selectors as member_selectors

from . import access, framework_selectors, framework_services
from .enums import IndicatorSource
from .framework_services import INDICATOR_FIELDS, OBJECTIVE_FIELDS, TARGET_FIELDS, VALUE_FIELDS
from .models import Indicator, IndicatorTarget, IndicatorValue, Objective


class ManagesFramework(permissions.BasePermission):
    """Staff. Anyone else signed in is told "not found" (the framework pages answer 404 too); anonymous 401."""

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if not access.can_manage_reports(request.user):
            raise NotFound
        return True


# The referenced tables, named through the members app's selectors (reports never imports another app's models).
REGION = member_selectors.region_list().model
ADMINISTRATION = member_selectors.administration_choices().model


def _objectives(user):
    return access.framework_rows_visible_to(user, framework_selectors.objectives())


def _indicators(user):
    return access.framework_rows_visible_to(user, Indicator.objects.all())


def _regions(user):
    return access.framework_rows_visible_to(user, member_selectors.region_list())


def _administrations(user):
    return access.framework_rows_visible_to(user, member_selectors.administration_choices())


class ObjectiveSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    class Meta:
        model = Objective
        fields = ["id", *OBJECTIVE_FIELDS]


class TargetSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    indicator = ScopedPrimaryKeyRelatedField(model=Indicator, visible=_indicators)

    class Meta:
        model = IndicatorTarget
        fields = ["id", "indicator", *TARGET_FIELDS]


class IndicatorValueSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    indicator = ScopedPrimaryKeyRelatedField(model=Indicator, visible=_indicators)
    region = ScopedSlugRelatedField(
        slug_field="code", model=REGION, visible=_regions, required=False, allow_null=True,
        help_text="A region's code; empty for the whole project.",
    )  # fmt: skip
    administration = ScopedSlugRelatedField(
        slug_field="code", model=ADMINISTRATION, visible=_administrations, required=False, allow_null=True,
        help_text="An administration's code (not with a region).",
    )  # fmt: skip
    evidence_file = serializers.FileField(
        write_only=True, required=False, help_text="PDF, image or spreadsheet; replaces the stored one (multipart)."
    )
    evidence_download_url = serializers.SerializerMethodField()
    entered_by = serializers.StringRelatedField()

    class Meta:
        model = IndicatorValue
        fields = ["id", "indicator", *VALUE_FIELDS, "evidence_file", "evidence_download_url", "entered_by"]
        extra_kwargs = {"note": {"max_length": 5000}, "evidence_url": {"max_length": 200}}

    def get_evidence_download_url(self, entered) -> str | None:
        # The access-checked download page, never the storage path.
        if not entered.evidence_file:
            return None
        return reverse("reports:evidence_download", args=[entered.pk], request=self.context.get("request"))


class IndicatorSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    objective = ScopedPrimaryKeyRelatedField(model=Objective, visible=_objectives)
    source = serializers.ChoiceField(choices=IndicatorSource.values, help_text="manual or computed.")
    targets = TargetSerializer(many=True, read_only=True)

    class Meta:
        model = Indicator
        fields = ["id", *INDICATOR_FIELDS, "targets"]
        extra_kwargs = {"means_of_verification": {"max_length": 5000}}


def _model_errors(error: DjangoValidationError):
    """A service's refusal of a body (the model's rules) as the API's 400, by field where it names them."""
    return serializers.ValidationError(getattr(error, "message_dict", None) or {"non_field_errors": error.messages})


class IndicatorFilter(django_filters.FilterSet):
    objective = ScopedModelChoiceFilter(visible=_objectives)

    class Meta:
        model = Indicator
        fields = ["objective", "source", "is_active"]


class TargetFilter(django_filters.FilterSet):
    indicator = ScopedModelChoiceFilter(visible=_indicators)

    class Meta:
        model = IndicatorTarget
        fields = ["indicator"]


class ValueFilter(TargetFilter):
    class Meta:
        model = IndicatorValue
        fields = ["indicator"]


class FrameworkViewSet(viewsets.ModelViewSet):
    """What the four viewsets share: staff only; create and update call the service's ``save``."""

    permission_classes = [ManagesFramework]
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    service_fields: tuple[str, ...] = ()

    def save(self, serializer, instance=None):
        raise NotImplementedError

    def perform_create(self, serializer):
        try:
            serializer.instance = self.save(dict(serializer.validated_data))
        except DjangoValidationError as error:
            raise _model_errors(error) from error

    def perform_update(self, serializer):
        # A PATCH sends some fields: the service checks the row as a whole (as the page's form sends it), so the
        # stored values fill in the rest.
        instance = serializer.instance
        values = {name: getattr(instance, name) for name in self.service_fields}
        values.update(serializer.validated_data)
        try:
            serializer.instance = self.save(values, instance)
        except DjangoValidationError as error:
            raise _model_errors(error) from error


class ObjectiveViewSet(FrameworkViewSet):
    """The framework's objectives. An objective that still has indicators cannot be deleted (409)."""

    serializer_class = ObjectiveSerializer
    service_fields = OBJECTIVE_FIELDS

    def get_queryset(self):
        return framework_selectors.objectives()

    def save(self, values, instance=None):
        return framework_services.objective_save(objective=instance, by=self.request.user, **values)

    @extend_schema(responses={204: None, 404: None, 409: ConflictSerializer})
    def destroy(self, request, *args, **kwargs):
        try:
            framework_services.objective_delete(objective=self.get_object(), by=request.user)
        except DjangoValidationError as error:
            raise StateConflict(" ".join(error.messages)) from error
        return Response(status=status.HTTP_204_NO_CONTENT)


class IndicatorActiveSerializer(serializers.Serializer):
    active = serializers.BooleanField()


INDICATOR_EXAMPLE = OpenApiExample(
    "A manual indicator",
    request_only=True,
    value={"objective": 1, "code": "2.3", "title_en": "Administrations using a model in operation",
           "title_fr": "Administrations utilisant un modèle en exploitation", "unit": "administrations",
           "unit_fr": "administrations", "baseline": "0", "baseline_year": 2019, "source": "manual",
           "means_of_verification": "Letters from the administrations.", "order": 3},
)  # fmt: skip


@extend_schema(examples=[INDICATOR_EXAMPLE])
class IndicatorViewSet(FrameworkViewSet):
    """The framework's indicators with their targets. An indicator is retired (``active``), not deleted: its history
    stays in the reports. One with values entered by hand cannot become a computed one (400 on ``source``)."""

    serializer_class = IndicatorSerializer
    service_fields = INDICATOR_FIELDS
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    filterset_class = IndicatorFilter
    search_fields = ["code", "title_en", "title_fr"]

    def get_queryset(self):
        return framework_selectors.indicator_list().prefetch_related("targets")

    def save(self, values, instance=None):
        return framework_services.indicator_save(indicator=instance, by=self.request.user, **values)

    @extend_schema(request=IndicatorActiveSerializer, responses=IndicatorSerializer)
    @action(detail=True, methods=["post"])
    def active(self, request, pk=None):
        """Retire the indicator from the dashboard and the reports, or bring it back."""
        indicator = self.get_object()
        body = IndicatorActiveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        active = body.validated_data["active"]
        framework_services.indicator_set_active(indicator=indicator, active=active, by=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=indicator.pk)).data)


class TargetViewSet(FrameworkViewSet):
    """An indicator's target for a period (one per period)."""

    serializer_class = TargetSerializer
    filterset_class = TargetFilter
    service_fields = TARGET_FIELDS

    def get_queryset(self):
        return IndicatorTarget.objects.select_related("indicator").order_by("indicator__code", "period_start", "pk")

    def save(self, values, instance=None):
        indicator = instance.indicator if instance else values.pop("indicator")
        values.pop("indicator", None)
        return framework_services.target_save(indicator=indicator, target=instance, by=self.request.user, **values)

    def perform_destroy(self, instance):
        framework_services.target_delete(target=instance, by=self.request.user)


@extend_schema(
    examples=[OpenApiExample("A value for Kenya", request_only=True, value={
        "indicator": 4, "period_start": "2026-01-01", "period_end": "2026-06-30", "value": "12", "women": "5",
        "men": "7", "administration": "KEN", "evidence_url": "https://example.org/evidence/ken-2026-h1.pdf",
        "note": "From the KRA's letter of 3 July."})],
)  # fmt: skip
class IndicatorValueViewSet(FrameworkViewSet):
    """Values of manual indicators entered by hand for a period (the whole project, a region or one administration),
    with their evidence: a link, or a file sent as multipart (kept private; read through its download page)."""

    serializer_class = IndicatorValueSerializer
    filterset_class = ValueFilter
    service_fields = VALUE_FIELDS
    parser_classes = [PortalJSONParser, FormParser, MultiPartParser]

    def get_queryset(self):
        return IndicatorValue.objects.select_related("indicator", "region", "administration").order_by(
            "indicator__code", "period_start", "pk"
        )

    def save(self, values, instance=None):
        indicator = instance.indicator if instance else values.pop("indicator")
        values.pop("indicator", None)
        if indicator.source != IndicatorSource.MANUAL:
            raise serializers.ValidationError(
                {"indicator": [_("A computed indicator's values come from the portal's data, never typed.")]}
            )
        evidence_file = values.pop("evidence_file", None)
        return framework_services.value_save(
            indicator=indicator, entered=instance, evidence_file=evidence_file, by=self.request.user, **values
        )

    def perform_destroy(self, instance):
        framework_services.value_delete(entered=instance, by=self.request.user)


def register(router) -> None:
    router.register("results-objectives", ObjectiveViewSet, basename="results-objective")
    router.register("results-indicators", IndicatorViewSet, basename="results-indicator")
    router.register("results-targets", TargetViewSet, basename="results-target")
    router.register("results-values", IndicatorValueViewSet, basename="results-value")
