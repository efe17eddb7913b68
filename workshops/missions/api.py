"""REST API of missions and travel (read-only): staff see every mission, an expert the missions they travel on.
Registered in ``bacuda_portal.api``. Changes go through the pages, which carry the receipt uploads."""

from rest_framework import permissions, serializers, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.reverse import reverse

from bacuda_portal.core.api_fields import FieldsBuiltOnceMixin

from . import access, selectors
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


class MissionViewSet(viewsets.ReadOnlyModelViewSet):
    """Missions with their travel request, claim, and the claim's totals and variance (computed, in the request's
    currency)."""

    serializer_class = MissionSerializer
    permission_classes = [CanSeeMissions]
    search_fields = ["destination_city", "purpose", "mission_number", "traveller_expert__full_name"]
    ordering_fields = ["start_date", "end_date", "mission_number"]

    def get_queryset(self):
        return selectors.mission_list(visible=access.missions_visible_to(self.request.user))
