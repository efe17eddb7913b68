"""AI-HS: ``hs-suggestions/`` and ``hs-feedback/`` (the administration's labelled descriptions)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from bacuda_portal.core.api_fields import (
    FieldsBuiltOnceMixin,
)
from bacuda_portal.core.exceptions import TransitionError

from .. import access, hs, selectors, services
from ..enums import ReviewStatus
from ..models import AlgorithmVersion, HsLabelledDescription
from .datasets import administration_field
from .jobs import JobCancelRefusedSerializer
from .permissions import IsModelUser


# --- AI-HS ------------------------------------------------------------------------------------------------------
class HsQuerySerializer(serializers.Serializer):
    description = serializers.CharField(max_length=1000)
    k = serializers.IntegerField(min_value=1, max_value=20, default=5)
    administration = administration_field(help_text="Staff: answer with this administration's champion model.")


class HsExampleSerializer(serializers.Serializer):
    description = serializers.CharField()
    code = serializers.CharField()


class HsWhySerializer(serializers.Serializer):
    subheading = serializers.CharField(help_text="The subheading's text in the HS 2022 nomenclature.")
    heading_code = serializers.CharField()
    heading = serializers.CharField(help_text="The heading's text in the HS 2022 nomenclature.")
    tariff_code = serializers.CharField(
        help_text="The EU Combined Nomenclature 2023 8-digit line of this subheading closest to the description "
        "(default model; empty otherwise)."
    )
    tariff_line = serializers.CharField(help_text="That line's text, in French when the request is in French.")
    examples = HsExampleSerializer(
        many=True, help_text="The nearest labelled descriptions with this code (models trained on labelled data)."
    )


class HsSuggestionSerializer(serializers.Serializer):
    code = serializers.CharField()
    description = serializers.CharField()
    confidence = serializers.FloatField(help_text="Calibrated probability that this code is right.")
    heading_confidence = serializers.FloatField(
        help_text="Calibrated probability that its heading (the first four digits) is right: the sum over the "
        "heading's subheadings. The answer is too vague when the first suggestion's is below 0.10."
    )
    band = serializers.CharField(help_text="The probability in words: likely, possible or unlikely.")
    why = HsWhySerializer()


class HsAnswerSerializer(serializers.Serializer):
    description = serializers.CharField()
    suggestions = HsSuggestionSerializer(many=True)
    too_vague = serializers.BooleanField(
        help_text="True when the description is too vague: give the material, use or composition."
    )
    read_as = serializers.CharField(
        help_text="A description in French is read in English through the EU's parallel tariff texts: that English "
        "reading (empty when the description was read as it is)."
    )
    version = serializers.IntegerField(allow_null=True, help_text="The AI-HS version used; null: nomenclature only.")
    milliseconds = serializers.FloatField()
    feedback_token = serializers.CharField(
        allow_null=True,
        help_text="Send it to /api/v1/hs-feedback/ with the right code to confirm or correct this answer (valid a "
        "day); null when the answer was made for no administration.",
    )


class HsSuggestionViewSet(viewsets.GenericViewSet):
    """Ranked HS6 suggestions for one goods description (staff and contact points)."""

    permission_classes = [IsModelUser]
    serializer_class = HsQuerySerializer

    @extend_schema(request=HsQuerySerializer, responses={200: HsAnswerSerializer})
    def create(self, request):
        query = HsQuerySerializer(data=request.data, context={"request": request})
        query.is_valid(raise_exception=True)
        data = query.validated_data
        if access.is_staff(request.user):
            administration = data.get("administration")
        else:
            administration = access.administration_of(request.user)
        answer = hs.suggest(administration=administration, description=data["description"], k=data["k"])
        answer["feedback_token"] = (
            hs.feedback_token(answer=answer, administration=administration, user=request.user)
            if access.can_act_for(request.user, administration)
            else None
        )
        answer["version"] = answer["version"].pk if answer["version"] else None
        return Response(HsAnswerSerializer(answer).data)


# --- AI-HS feedback: the administration's labelled descriptions (issue 13) -----------------------------------------
class HsFeedbackInputSerializer(serializers.Serializer):
    token = serializers.CharField(
        max_length=20000, help_text="The feedback_token of an /api/v1/hs-suggestions/ answer."
    )
    code = serializers.CharField(
        max_length=20, help_text="The right HS 2022 subheading (six digits): a suggested one, or a correction."
    )


class HsLabelledDescriptionSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    administration = serializers.CharField(source="administration.code", read_only=True)
    model_version = serializers.IntegerField(source="model_version_id", read_only=True, allow_null=True)
    created_by = serializers.CharField(source="created_by.email", read_only=True, default=None)
    reviewed_by = serializers.CharField(source="reviewed_by.email", read_only=True, default=None)

    class Meta:
        model = HsLabelledDescription
        fields = ["id", "administration", "description", "code", "source", "feedback", "suggestions",
                  "model_version", "model_name", "status", "created_by", "created_at", "reviewed_by",
                  "reviewed_at"]  # fmt: skip
        read_only_fields = fields


class HsReviewInputSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1), min_length=1, max_length=1000
    )
    decision = serializers.ChoiceField(choices=[ReviewStatus.ACCEPTED, ReviewStatus.REJECTED])


class HsReviewSummarySerializer(serializers.Serializer):
    changed = serializers.IntegerField()
    unchanged = serializers.IntegerField(help_text="Already had that decision.")
    not_found = serializers.IntegerField(help_text="Ids that do not exist or that you may not review.")


class HsFeedbackViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Confirm or correct an HS suggestion (POST the answer's feedback_token and the right code); list, accept
    and reject your administration's labelled descriptions (staff: all). Only accepted ones are trained on."""

    serializer_class = HsLabelledDescriptionSerializer
    permission_classes = [IsModelUser]
    filterset_fields = ["status", "feedback"]
    search_fields = ["description", "code"]

    def get_queryset(self):
        return selectors.labelled_list(access.labelled_visible_to(self.request.user))

    @extend_schema(request=HsFeedbackInputSerializer, responses={201: HsLabelledDescriptionSerializer})
    def create(self, request):
        query = HsFeedbackInputSerializer(data=request.data)
        query.is_valid(raise_exception=True)
        try:
            recorded = hs.read_feedback_token(query.validated_data["token"], user=request.user)
        except hs.FeedbackTokenInvalid:
            raise ApiValidationError({"token": ["This token is too old or was not made for you: ask again."]}) from None
        administration = access.member_access.Administration.objects.filter(pk=recorded["administration_id"]).first()
        if not access.can_act_for(request.user, administration):
            raise NotFound
        try:
            label = services.hs_feedback_record(
                administration=administration,
                description=recorded["description"],
                code=query.validated_data["code"],
                suggestions=recorded["suggestions"],
                model_version=AlgorithmVersion.objects.filter(pk=recorded["version_id"]).first(),
                model_name=recorded["model_name"],
                by=request.user,
            )
        except DjangoValidationError as error:
            raise ApiValidationError(getattr(error, "message_dict", None) or {"non_field_errors": error.messages})
        return Response(self.get_serializer(self.get_queryset().get(pk=label.pk)).data, status=status.HTTP_201_CREATED)

    def _decide(self, decision: str):
        label = self.get_object()
        try:
            services.hs_label_review(label=label, status=decision, by=self.request.user)
        except TransitionError as error:
            return Response({"detail": str(error)}, status=status.HTTP_400_BAD_REQUEST)
        return Response(self.get_serializer(self.get_queryset().get(pk=label.pk)).data)

    @extend_schema(request=None, responses={200: HsLabelledDescriptionSerializer, 400: JobCancelRefusedSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Accept this labelled description: training jobs may use it."""
        return self._decide(ReviewStatus.ACCEPTED)

    @extend_schema(request=None, responses={200: HsLabelledDescriptionSerializer, 400: JobCancelRefusedSerializer})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Reject this labelled description: training jobs leave it out."""
        return self._decide(ReviewStatus.REJECTED)

    @extend_schema(request=HsReviewInputSerializer, responses={200: HsReviewSummarySerializer})
    @action(detail=False, methods=["post"])
    def review(self, request):
        """Accept or reject several labelled descriptions, each on its own; returns how many changed."""
        query = HsReviewInputSerializer(data=request.data)
        query.is_valid(raise_exception=True)
        summary = services.hs_labels_review(
            visible=access.labelled_visible_to(request.user),
            ids=query.validated_data["ids"],
            status=query.validated_data["decision"],
            by=request.user,
        )
        return Response(HsReviewSummarySerializer(summary).data)
