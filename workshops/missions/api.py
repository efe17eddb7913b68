"""REST API of missions and travel: staff see every mission, an expert the missions they travel on. Registered in
``bacuda_portal.api``.

The travel request and the claim move along their flow here as on the mission page, by the same services and access
rules: staff write and submit the travel request, the project manager approves or rejects it and the claim, the
traveller (or staff for them) adds expense lines with their receipts (a multipart upload, checked like the page's)
and submits the claim, staff record its payment; the project manager approves many at once, as on the list page.
Anyone who may not act finds nothing (404); a state that does not allow the change is a 409."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.reverse import reverse

from bacuda_portal.core.api_fields import FieldsBuiltOnceMixin
from bacuda_portal.core.api_writes import BulkIdsSerializer, BulkSummarySerializer, ConflictSerializer, bulk_summary
from bacuda_portal.core.parsers import PortalJSONParser

from . import access, selectors, services
from .currencies import validate_currency_code
from .models import Claim, ClaimLine, Mission, TravelRequest
from .services import MISSION_FIELDS, TRAVEL_REQUEST_FIELDS


class CanSeeMissions(permissions.BasePermission):
    """Staff and experts with a profile. Signed-in users without access are told "not found"; anonymous 401."""

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if not access.can_see_missions_page(request.user):
            raise NotFound
        return True


class TravelRequestSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    total = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)

    class Meta:
        model = TravelRequest
        fields = [*TRAVEL_REQUEST_FIELDS, "total", "status", "submitted_at", "decided_at", "comment"]


class ClaimLineSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    receipt_url = serializers.SerializerMethodField()

    class Meta:
        model = ClaimLine
        fields = ["id", "date", "category", "description", "amount", "currency", "exchange_rate", "receipt_url"]

    def get_receipt_url(self, line) -> str:
        # The access-checked download page, never the storage path.
        return reverse("missions:claim_line_receipt", args=[line.pk], request=self.context.get("request"))


class ClaimSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    lines = ClaimLineSerializer(many=True, read_only=True)

    class Meta:
        model = Claim
        fields = ["status", "submitted_at", "decided_at", "comment", "paid_on", "payment_reference", "lines"]


class ClaimSummarySerializer(serializers.Serializer):
    currency = serializers.CharField()
    requested = serializers.DecimalField(max_digits=14, decimal_places=2)
    advance = serializers.DecimalField(max_digits=14, decimal_places=2)
    claimed = serializers.DecimalField(max_digits=14, decimal_places=2)
    variance = serializers.DecimalField(max_digits=14, decimal_places=2)
    balance = serializers.DecimalField(max_digits=14, decimal_places=2)


class MissionSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    traveller = serializers.CharField(source="traveller_name", read_only=True)
    destination_country = serializers.SlugRelatedField(slug_field="code", read_only=True)
    stage = serializers.CharField(read_only=True)
    travel_request = serializers.SerializerMethodField()
    claim = serializers.SerializerMethodField()
    claim_summary = serializers.SerializerMethodField()

    class Meta:
        model = Mission
        fields = ["id", "traveller", *MISSION_FIELDS, "stage", "travel_request", "claim", "claim_summary"]

    def get_travel_request(self, mission) -> dict | None:
        request = mission.travel_request_or_none
        return TravelRequestSerializer(request).data if request else None

    def get_claim(self, mission) -> dict | None:
        claim = mission.claim_or_none
        return ClaimSerializer(claim, context=self.context).data if claim else None

    def get_claim_summary(self, mission) -> dict | None:
        summary = selectors.claim_summary(mission)
        return ClaimSummarySerializer(summary).data if summary else None


# --- Writes -----------------------------------------------------------------------------------------------------
class CurrencyCodeField(serializers.CharField):
    """Three letters, upper-cased as sent ("eur" is EUR), checked against the ISO 4217 list, as on the form."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 3)
        kwargs.setdefault("help_text", "ISO 4217 code, such as EUR, USD or XOF.")
        super().__init__(validators=[validate_currency_code], **kwargs)

    def to_internal_value(self, data):
        return super().to_internal_value(data).strip().upper()


class TravelRequestWriteSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    currency = CurrencyCodeField()

    class Meta:
        model = TravelRequest
        fields = list(TRAVEL_REQUEST_FIELDS)
        extra_kwargs = {"itinerary": {"max_length": 5000}}


class MissionDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["approve", "reject"])
    comment = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, help_text="Required to reject; sent to the traveller."
    )


class ClaimLineWriteSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    currency = CurrencyCodeField()
    # The receipt's type and size are checked once, by the service (the model's upload check), as on the page.
    receipt = serializers.FileField(help_text="The receipt: a PDF, PNG or JPEG file.")

    class Meta:
        model = ClaimLine
        fields = ["date", "category", "description", "amount", "currency", "exchange_rate", "receipt"]
        extra_kwargs = {"exchange_rate": {"help_text": "Only for an amount in another currency than the request's."}}


class BulkApprovalSerializer(BulkIdsSerializer):
    what = serializers.ChoiceField(
        choices=["claims", "requests"], help_text="Approve the missions' submitted claims, or their travel requests."
    )


class PaymentSerializer(serializers.Serializer):
    paid_on = serializers.DateField()
    payment_reference = serializers.CharField(max_length=100)


TRAVEL_REQUEST_EXAMPLE = OpenApiExample(
    "A travel request",
    value={
        "itinerary": "12 May BRU-NBO; 17 May NBO-BRU",
        "currency": "EUR",
        "dsa_days": 5,
        "dsa_rate": "250.00",
        "terminal_expenses": "120.00",
        "advance": "500.00",
    },
    request_only=True,
)
REJECT_EXAMPLE = OpenApiExample(
    "Reject", value={"decision": "reject", "comment": "The hotel rate is above the scale."}, request_only=True
)
WRITE_ERRORS = {400: None, 404: None, 409: ConflictSerializer}
NOT_SUBMITTED_EXAMPLE = "Only a submitted claim can be approved or rejected."


def _require_reason(body: MissionDecisionSerializer, message: str) -> None:
    """A rejection without its comment is a refused body (400 on the comment), as the form shows it."""
    if body.validated_data["decision"] == "reject" and not body.validated_data.get("comment", "").strip():
        raise ApiValidationError({"comment": [message]})


class MissionWritesMixin:
    """The travel request and the claim through the API (see the module's docstring)."""

    def _mission_for_manager(self) -> Mission:
        """A mission for a staff write: 404 for anyone else, as on the pages."""
        if not access.can_manage_missions(self.request.user):
            raise NotFound
        return self.get_object()

    def _mission_for_decider(self) -> Mission:
        if not access.can_manage_missions(self.request.user):
            raise NotFound
        if not access.can_decide(self.request.user):  # before the lookup: alike for every id
            raise PermissionDenied(_("Only the project manager can approve or reject travel requests and claims."))
        return self.get_object()

    def _answer(self, mission: Mission) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=mission.pk)).data)

    @extend_schema(
        request=TravelRequestWriteSerializer,
        responses={200: MissionSerializer, **WRITE_ERRORS},
        examples=[TRAVEL_REQUEST_EXAMPLE],
    )
    @action(detail=True, methods=["put"], url_path="travel-request")
    def travel_request(self, request, pk=None):
        """Staff write the mission's travel request: created as a draft the first time; a draft or a rejected request
        can be changed (a rejected one becomes a draft again)."""
        mission = self._mission_for_manager()
        body = TravelRequestWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.travel_request_save(mission=mission, by=request.user, **body.validated_data)
        return self._answer(mission)

    def _travel_request_of(self, mission: Mission) -> TravelRequest:
        travel_request = mission.travel_request_or_none
        if travel_request is None:
            raise NotFound
        return travel_request

    def _claim_of(self, mission: Mission) -> Claim:
        claim = mission.claim_or_none
        if claim is None:
            raise NotFound
        return claim

    @extend_schema(request=None, responses={200: MissionSerializer, 404: None, 409: ConflictSerializer})
    @action(detail=True, methods=["post"], url_path="travel-request/submit")
    def travel_request_submit(self, request, pk=None):
        """Staff submit the draft travel request for the project manager's approval."""
        mission = self._mission_for_manager()
        services.travel_request_submit(travel_request=self._travel_request_of(mission), by=request.user)
        return self._answer(mission)

    @extend_schema(
        request=MissionDecisionSerializer,
        responses={200: MissionSerializer, 403: None, **WRITE_ERRORS},
        examples=[REJECT_EXAMPLE],
    )
    @action(detail=True, methods=["post"], url_path="travel-request/decision")
    def travel_request_decision(self, request, pk=None):
        """The project manager approves or rejects (saying why) a submitted travel request; never their own travel
        or a request they submitted. The traveller is emailed."""
        mission = self._mission_for_decider()
        body = MissionDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        _require_reason(body, _("Say why the travel request is rejected: the comment is required."))
        service = {"approve": services.travel_request_approve, "reject": services.travel_request_reject}
        service[body.validated_data["decision"]](
            travel_request=self._travel_request_of(mission),
            comment=body.validated_data.get("comment", ""),
            by=request.user,
        )
        return self._answer(mission)

    @extend_schema(request=None, responses={200: MissionSerializer, 404: None, 409: ConflictSerializer})
    @action(detail=True, methods=["post"], url_path="claim/submit")
    def claim_submit(self, request, pk=None):
        """The traveller (or staff for them) submits the draft claim once the mission has ended and the claim has at
        least one expense with its receipt."""
        mission = self.get_object()
        if not access.can_edit_claim(request.user, mission):
            raise NotFound
        services.claim_submit(claim=self._claim_of(mission), by=request.user)
        return self._answer(mission)

    @extend_schema(
        request=MissionDecisionSerializer,
        responses={200: MissionSerializer, 403: None, **WRITE_ERRORS},
        examples=[REJECT_EXAMPLE],
    )
    @action(detail=True, methods=["post"], url_path="claim/decision")
    def claim_decision(self, request, pk=None):
        """The project manager approves or rejects (saying why) a submitted claim; never their own or one they
        submitted. The traveller is emailed."""
        mission = self._mission_for_decider()
        body = MissionDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        _require_reason(body, _("Say why the claim is rejected: the comment is required."))
        service = {"approve": services.claim_approve, "reject": services.claim_reject}
        service[body.validated_data["decision"]](
            claim=self._claim_of(mission), comment=body.validated_data.get("comment", ""), by=request.user
        )
        return self._answer(mission)

    @extend_schema(
        request=ClaimLineWriteSerializer,
        responses={201: ClaimLineSerializer, **WRITE_ERRORS},
        examples=[
            OpenApiExample(
                "A taxi in local money",
                request_only=True,
                value={
                    "date": "2026-05-12",
                    "category": "local_transport",
                    "description": "Taxi from the airport",
                    "amount": "3500.00",
                    "currency": "KES",
                    "exchange_rate": "0.0071",
                    "receipt": "(the file)",
                },
            )
        ],
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="claim/lines",
        # A file needs a multipart body; a JSON one is read (safely) only to be told which field is missing.
        parser_classes=[MultiPartParser, PortalJSONParser],
    )
    def claim_lines(self, request, pk=None):
        """The traveller (or staff for them) adds an expense with its receipt to the claim, which is created as a
        draft the first time, once the travel request is approved. The receipt goes through the page's upload check
        (a PDF without active content, or a whole picture): a refused file is a 400 on ``receipt`` and nothing is
        stored."""
        mission = self.get_object()
        if not access.can_edit_claim(request.user, mission):
            raise NotFound
        body = ClaimLineWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        line = services.claim_line_add(mission=mission, by=request.user, **body.validated_data)
        return Response(ClaimLineSerializer(line, context=self.get_serializer_context()).data, status=201)

    @extend_schema(
        request=None,
        responses={204: None, 404: None, 409: ConflictSerializer},
        parameters=[OpenApiParameter("line_pk", int, OpenApiParameter.PATH, description="The expense line's id.")],
    )
    @action(detail=True, methods=["delete"], url_path=r"claim/lines/(?P<line_pk>[^/.]+)")
    def claim_line_remove(self, request, pk=None, line_pk=None):
        """The traveller (or staff for them) removes an expense, and its receipt, from a draft or rejected claim."""
        mission = self.get_object()
        if not line_pk.isdigit():
            raise NotFound
        line = access.get_claim_line_for_claimant(request.user, int(line_pk))
        if line.claim.mission_id != mission.pk:
            raise NotFound
        services.claim_line_remove(line=line, by=request.user)
        return Response(status=204)

    @extend_schema(
        request=BulkApprovalSerializer,
        responses={200: BulkSummarySerializer, 400: None, 404: None},
        examples=[
            OpenApiExample("Approve three claims", value={"what": "claims", "ids": [31, 32, 40]}, request_only=True),
            OpenApiExample(
                "Summary",
                value={"done": [31, 40], "failed": [{"id": 32, "reason": NOT_SUBMITTED_EXAMPLE}]},
                response_only=True,
            ),
        ],
    )
    @action(detail=False, methods=["post"], url_path="bulk-approve")
    def bulk_approve(self, request):
        """The project manager approves the submitted claims (or travel requests) of many missions at once, as on the
        mission list: one transaction per mission, and a summary of which succeeded and why each other failed (any
        other staff member is refused mission by mission, with the reason). An id not found fails as not found."""
        if not access.can_manage_missions(request.user):
            raise NotFound
        body = BulkApprovalSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        ids, what = body.validated_data["ids"], body.validated_data["what"]
        visible = access.missions_visible_to(request.user).filter(pk__in=ids)
        rows = {mission.pk: mission for mission in selectors.for_list_page(visible)}
        approve = services.mission_approve_submitted
        return Response(bulk_summary(ids, rows, lambda mission: approve(mission=mission, what=what, by=request.user)))

    @extend_schema(
        request=PaymentSerializer,
        responses={200: MissionSerializer, **WRITE_ERRORS},
        examples=[
            OpenApiExample(
                "A payment", value={"paid_on": "2026-06-02", "payment_reference": "PAY-2026-0318"}, request_only=True
            )
        ],
    )
    @action(detail=True, methods=["post"], url_path="claim/payment")
    def claim_payment(self, request, pk=None):
        """Staff record the payment of an approved claim (not of their own)."""
        mission = self._mission_for_manager()
        body = PaymentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.claim_mark_paid(claim=self._claim_of(mission), by=request.user, **body.validated_data)
        return self._answer(mission)


class MissionViewSet(MissionWritesMixin, viewsets.ReadOnlyModelViewSet):
    """Missions with their travel request, claim, and the claim's totals and variance (computed, in the request's
    currency)."""

    serializer_class = MissionSerializer
    permission_classes = [CanSeeMissions]
    search_fields = ["destination_city", "purpose", "mission_number", "traveller_expert__full_name"]
    ordering_fields = ["start_date", "end_date", "mission_number"]

    def get_queryset(self):
        return selectors.mission_list(visible=access.missions_visible_to(self.request.user))
