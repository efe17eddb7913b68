"""The reports app's API: PDF report requests, the archive and downloads (staff), and the dashboard's figures
(staff, or a contact point for their own administration). ``register`` adds the routes to the project's router."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from bacuda_portal.core.api_fields import FieldsBuiltOnceMixin
from bacuda_portal.core.uploads import private_file_response
from bacuda_portal.members import selectors as member_selectors
from bacuda_portal.members.access import is_wco_staff

from . import access, selectors, services
from .enums import ReportKind, ReportLanguage, ReportStatus
from .forms import period_from


class CanManageReports(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        return access.can_manage_reports(request.user)


# Plain strings, not enums: "kind" and "language" are enum names other apps' components already use.
KIND_HELP = (
    "progress (project progress report), workshop (workshop report), selection (scholarship selection) or "
    "model_card (an algorithm's model card)."
)
LANGUAGE_HELP = "en or fr."


class ReportSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    requested_by = serializers.StringRelatedField()
    kind = serializers.CharField(read_only=True, help_text=KIND_HELP)
    language = serializers.CharField(read_only=True, help_text=LANGUAGE_HELP)
    download_url = serializers.SerializerMethodField()
    # The API's name since v1; the row's field is ``error`` like every background row's (core/background.py).
    failure_reason = serializers.CharField(source="error", read_only=True)

    class Meta:
        model = services.Report
        fields = ["id", "kind", "parameters", "period_start", "period_end", "language", "status", "failure_reason",
                  "attempts", "checksum", "page_count", "requested_by", "created_at", "queued_at", "started_at",
                  "finished_at", "download_url"]  # fmt: skip
        read_only_fields = fields

    def get_download_url(self, report) -> str | None:
        if report.status != ReportStatus.READY:
            return None
        request = self.context.get("request")
        url = f"/api/v1/reports/{report.pk}/download/"
        return request.build_absolute_uri(url) if request else url


class ReportRequestSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text=KIND_HELP)
    language = serializers.CharField(help_text=LANGUAGE_HELP)

    def validate_kind(self, value: str) -> str:
        if value not in ReportKind.values:
            raise serializers.ValidationError(f"Choose one of: {', '.join(ReportKind.values)}.")
        return value

    def validate_language(self, value: str) -> str:
        if value not in ReportLanguage.values:
            raise serializers.ValidationError("Choose en or fr.")
        return value

    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100, help_text="Progress report.")
    part = serializers.ChoiceField(
        choices=["", "h1", "h2", "q1", "q2", "q3", "q4"],
        required=False,
        allow_blank=True,
        help_text="Progress report: empty for the whole year, h1/h2 for a half-year, q1-q4 for a quarter.",
    )
    workshop = serializers.IntegerField(required=False, help_text="Workshop report: the workshop's id.")
    call = serializers.IntegerField(required=False, help_text="Selection report: the scholarship call's id.")
    algorithm = serializers.IntegerField(required=False, help_text="Model card: the algorithm's id.")


class ReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """PDF reports: request one (a second identical request returns the first), list, read, download."""

    serializer_class = ReportSerializer
    permission_classes = [permissions.IsAuthenticated, CanManageReports]
    filterset_fields = ["kind", "status", "language"]
    ordering_fields = ["created_at"]

    def get_queryset(self):
        return (
            access.reports_visible_to(self.request.user).select_related("requested_by").order_by("-created_at", "-pk")
        )

    @extend_schema(request=ReportRequestSerializer, responses={201: ReportSerializer, 200: ReportSerializer})
    def create(self, request):
        incoming = ReportRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        arguments = {"kind": data["kind"], "language": data["language"], "by": request.user}
        if data["kind"] == ReportKind.PROGRESS:
            if not data.get("year"):
                raise ValidationError({"year": ["Required for a progress report."]})
            period = period_from(data["year"], data.get("part") or "")
            arguments.update(period_start=period.start, period_end=period.end)
        else:
            arguments["parameters"] = {
                key: data[key] for key in ("workshop", "call", "algorithm") if data.get(key) is not None
            }
        try:
            report, created = services.report_request(**arguments)
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict if hasattr(error, "error_dict") else error.messages) from error
        return Response(
            ReportSerializer(report, context={"request": request}).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(responses={(200, "application/pdf"): bytes})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        report = self.get_object()
        if report.status != ReportStatus.READY or not report.file:
            raise Http404
        return private_file_response(report.file, download_name=report.download_name)


class IndicatorFigureSerializer(serializers.Serializer):
    objective = serializers.CharField()
    code = serializers.CharField()
    title = serializers.CharField()
    unit = serializers.CharField()
    source = serializers.CharField()
    baseline = serializers.DecimalField(max_digits=12, decimal_places=2)
    target = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    value = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    progress = serializers.DecimalField(max_digits=8, decimal_places=0, allow_null=True)
    by_sex = serializers.DictField(child=serializers.DecimalField(max_digits=14, decimal_places=2), allow_null=True)
    by_region = serializers.DictField(
        child=serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True), allow_null=True
    )
    breakdown = serializers.DictField(child=serializers.IntegerField(), allow_null=True)
    note = serializers.CharField()


class DashboardSerializer(serializers.Serializer):
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    administration = serializers.CharField(allow_null=True)
    region = serializers.CharField(allow_null=True)
    indicators = IndicatorFigureSerializer(many=True)
    officials_trained_by_year = serializers.DictField(child=serializers.IntegerField())
    workshops_delivered_by_year = serializers.DictField(child=serializers.IntegerField())


class DashboardViewSet(viewsets.ViewSet):
    """The dashboard's figures for a period: staff for everyone or any filter; a contact point for their own
    administration only (another administration answers 404)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("year", int),
            OpenApiParameter("part", str, description="Empty, h1/h2 or q1-q4."),
            OpenApiParameter("administration", int),
            OpenApiParameter("region", str, description="Region code (staff)."),
        ],
        responses=DashboardSerializer,
    )
    def list(self, request):
        if not access.can_view_dashboard(request.user):
            raise Http404
        try:
            year = int(request.query_params.get("year") or 0) or None
            administration_id = (
                int(request.query_params["administration"]) if request.query_params.get("administration") else None
            )
            period = period_from(year or timezone.localdate().year, request.query_params.get("part") or "")
        except ValueError as error:
            raise ValidationError({"detail": ["Bad year, part or administration."]}) from error
        administration = access.dashboard_scope(request.user, administration_id)
        region = None
        if request.query_params.get("region") and is_wco_staff(request.user):
            region = member_selectors.region_by_code(request.query_params["region"])
            if region is None:
                raise Http404
        data = selectors.dashboard(period=period, administration=administration, region=region)
        payload = {
            "period_start": period.start,
            "period_end": period.end,
            "administration": administration.code if administration else None,
            "region": region.code if region else None,
            "indicators": [
                {
                    "objective": row.indicator.objective.code,
                    "code": row.indicator.code,
                    "title": row.indicator.title,
                    "unit": row.indicator.unit_label,
                    "source": row.indicator.source,
                    "baseline": row.indicator.baseline,
                    "target": row.target,
                    "value": row.result.value,
                    "progress": row.progress,
                    "by_sex": row.result.by_sex,
                    "by_region": row.result.by_region,
                    "breakdown": row.result.breakdown,
                    "note": row.result.note,
                }
                for row in data["rows"]
            ],
            "officials_trained_by_year": {str(k): v for k, v in data["trend"]["trained"].items()},
            "workshops_delivered_by_year": {str(k): v for k, v in data["trend"]["workshops"].items()},
        }
        return Response(DashboardSerializer(payload).data)


def register(router) -> None:
    """Add this app's viewsets to the router (called by bacuda_portal.api)."""
    router.register("reports", ReportViewSet, basename="report")
    router.register("dashboard", DashboardViewSet, basename="dashboard")
