"""The algorithms app's API: `register` adds its viewsets to the project's one router.

- ``algorithms/`` (public: published cards; staff see all) and ``algorithm-versions/``;
- ``datasets/`` (the user's administration, staff all): list, detail, upload (multipart, validated);
- ``model-jobs/``: submit, list, detail, ``cancel``;
- ``hs-suggestions/``: POST one goods description, get ranked HS6 suggestions;
- ``hs-feedback/``: confirm or correct a suggestion; list, accept and reject the labelled descriptions;
- ``image-classifications/``: POST one picture (multipart), get the top classes and a heat map (issue 15);
  ``datasets/{id}/hs-codes/``: map an image set's classes to HS codes. Image sets are uploaded on ``datasets/``
  (kind ``images`` or ``images_to_score``, a ZIP) and trained or scored on ``model-jobs/`` (``image_train``,
  ``image_score``).
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from bacuda_portal.core import safe_json
from bacuda_portal.core.api_fields import (
    BoundedJSONField,
    FieldsBuiltOnceMixin,
    SafeSlugRelatedField,
    ScopedPrimaryKeyRelatedField,
    ScopedSlugRelatedField,
)
from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.parsers import PortalJSONParser

from . import access, hs, selectors, services
from .enums import DatasetKind, JobKind, ReviewStatus
from .models import CARD_SECTIONS, Algorithm, AlgorithmVersion, Dataset, HsLabelledDescription, JobArtifact, ModelJob


class IsModelUser(permissions.BasePermission):
    """Staff and contact points. Other signed-in users are told "not found"; anonymous 401."""

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if not access.can_use_models(request.user):
            raise NotFound
        return True


# --- Cards and versions -----------------------------------------------------------------------------------------
class CardSectionSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    text_en = serializers.CharField()
    text_fr = serializers.CharField()


class AlgorithmSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    card = serializers.SerializerMethodField()

    class Meta:
        model = Algorithm
        fields = ["slug", "kind", "name_en", "name_fr", "summary_en", "summary_fr", "publication", "published_at",
                  "card"]  # fmt: skip

    @extend_schema_field(CardSectionSerializer(many=True))
    def get_card(self, algorithm) -> list[dict]:
        card = getattr(algorithm, "card", None)
        if card is None:
            return []
        return [
            {
                "key": key,
                "title": str(label),
                "text_en": getattr(card, f"{key}_en"),
                "text_fr": getattr(card, f"{key}_fr"),
            }
            for key, label in CARD_SECTIONS
        ]


class AlgorithmViewSet(viewsets.ReadOnlyModelViewSet):
    """Algorithms and their model cards (Markdown sections, English and French). Published ones for everyone."""

    serializer_class = AlgorithmSerializer
    permission_classes = [permissions.AllowAny]
    lookup_field = "slug"
    filterset_fields = ["kind"]
    search_fields = ["name_en", "name_fr"]

    def get_queryset(self):
        return access.algorithms_visible_to(self.request.user).select_related("card").order_by("name_en")


class VersionSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    algorithm = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    administration = SafeSlugRelatedField(slug_field="code", read_only=True)
    aliases = serializers.SerializerMethodField()
    model_sha256 = serializers.CharField(source="model_artifact.sha256", read_only=True, default=None)

    class Meta:
        model = AlgorithmVersion
        fields = ["id", "algorithm", "number", "administration", "release_notes_en", "release_notes_fr", "metrics",
                  "job", "model_sha256", "aliases", "publication", "published_at", "created_at"]  # fmt: skip

    def get_aliases(self, version) -> list[str]:
        return [alias.name for alias in version.aliases.all()]


class VersionViewSet(viewsets.ReadOnlyModelViewSet):
    """Versions of the algorithms, with their metrics and the id of the job that produced them."""

    serializer_class = VersionSerializer
    permission_classes = [permissions.AllowAny]
    filterset_fields = ["algorithm__slug", "publication"]

    def get_queryset(self):
        return (
            access.versions_visible_to(self.request.user)
            .select_related("algorithm", "administration", "model_artifact")
            .prefetch_related("aliases")
            .order_by("algorithm__name_en", "-number")
        )


# --- Datasets ---------------------------------------------------------------------------------------------------
def administration_field(**kwargs) -> ScopedSlugRelatedField:
    """The administration a write is for, by code: one the user may act for (any other answers "does not exist")."""
    return ScopedSlugRelatedField(
        slug_field="code",
        model=access.member_access.Administration,
        visible=access.administrations_for_upload,
        required=False,
        **kwargs,
    )


class DatasetSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    administration = administration_field()
    file = serializers.FileField(write_only=True)
    kind = serializers.ChoiceField(choices=DatasetKind.choices, default=DatasetKind.DECLARATIONS)
    column_mapping = BoundedJSONField(
        required=False,
        help_text="Declarations whose columns differ from the layout: an object of layout field -> the file's column "
        '(e.g. {"HS6 Code": "Commodity code", ...}); saved for the administration. Without it, a file the portal '
        "cannot map by itself is refused with the suggested mapping.",
    )

    class Meta:
        model = Dataset
        fields = ["id", "administration", "kind", "name", "description", "file", "column_mapping", "original_name",
                  "size", "row_count", "date_from", "date_to", "has_labels", "summary", "hs_codes", "sha256",
                  "tariff_code_column", "code_lengths", "restored_codes", "extra_columns", "created_at"]  # fmt: skip
        read_only_fields = ["original_name", "size", "row_count", "date_from", "date_to", "has_labels", "summary",
                            "hs_codes", "sha256", "tariff_code_column", "code_lengths", "restored_codes",
                            "extra_columns", "created_at"]  # fmt: skip

    def validate_column_mapping(self, value):
        try:
            safe_json.check_value(value)
        except safe_json.UnsafeJSON as error:
            raise serializers.ValidationError(str(error)) from None
        if not isinstance(value, dict):
            raise serializers.ValidationError("Give the mapping as an object of field name to column name.")
        return value

    def validate(self, attrs):
        if "column_mapping" in attrs and attrs.get("kind", DatasetKind.DECLARATIONS) != DatasetKind.DECLARATIONS:
            message = "Only a declarations upload takes a column mapping."
            raise serializers.ValidationError({"column_mapping": [message]})
        return attrs


class ImageHsCodesSerializer(serializers.Serializer):
    codes = serializers.DictField(
        child=serializers.CharField(max_length=20, allow_blank=True),
        help_text="Class -> six-digit HS 2022 subheading (dots and spaces allowed); an empty code removes it.",
    )


def _administration_for(user, requested):
    """The administration a write is for: the one named (the field admits only those the user may act for), or
    else a contact point's own; staff must name one."""
    if requested is not None:
        return requested
    own = access.administration_of(user)
    if own is None:
        raise ApiValidationError({"administration": ["Name the administration."]})
    return own


class DatasetViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Datasets of the user's administration (staff: all). Upload a CSV as multipart; it is validated first."""

    serializer_class = DatasetSerializer
    permission_classes = [IsModelUser]
    parser_classes = [MultiPartParser, FormParser]
    filterset_fields = ["kind"]
    search_fields = ["name", "original_name"]

    def get_queryset(self):
        return access.datasets_visible_to(self.request.user).select_related("administration").order_by("-created_at")

    def create(self, request, *args, **kwargs):
        from .views import upload_too_large

        refusal = upload_too_large(request)  # before DRF parses (reads) the body
        if refusal:
            return Response({"file": [refusal]}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
        return super().create(request, *args, **kwargs)

    @extend_schema(request=ImageHsCodesSerializer, responses={200: DatasetSerializer})
    @action(detail=True, methods=["post"], url_path="hs-codes", parser_classes=[PortalJSONParser, MultiPartParser])
    def hs_codes(self, request, pk=None):
        """Map the classes of a labelled image set to HS 2022 subheadings (replaces the whole mapping)."""
        dataset = self.get_object()
        if dataset.kind != DatasetKind.IMAGES:
            raise NotFound
        query = ImageHsCodesSerializer(data=request.data)
        query.is_valid(raise_exception=True)
        try:
            services.dataset_hs_codes_update(dataset=dataset, codes=query.validated_data["codes"], by=request.user)
        except DjangoValidationError as error:
            raise ApiValidationError({"codes": getattr(error, "message_dict", None) or error.messages}) from None
        return Response(self.get_serializer(dataset).data)

    def perform_create(self, serializer):
        data = serializer.validated_data
        administration = _administration_for(self.request.user, data.get("administration"))
        try:
            serializer.instance = services.dataset_upload(
                administration=administration,
                kind=data["kind"],
                name=data["name"],
                description=data.get("description", ""),
                uploaded=data["file"],
                by=self.request.user,
                mapping=data.get("column_mapping"),
            )
        except services.MappingNeeded as needed:
            raise ApiValidationError(
                {
                    "column_mapping": [str(needed.messages[0])],
                    "columns": needed.header,
                    "suggested_mapping": needed.suggestion.mapping,
                }
            ) from None
        except services.MappingInvalid as invalid:
            errors = [f"{name}: {message}" if name else message for name, message in invalid.errors.items()]
            raise ApiValidationError({"column_mapping": errors}) from None
        except services.DatasetRejected as rejected:
            raise ApiValidationError(
                {
                    "file": [
                        f"row {p.row}, {p.column}: {p.message}"
                        if p.row and p.column
                        else f"{p.column}: {p.message}"
                        if p.column
                        else p.message
                        for p in rejected.report.problems
                    ]
                }
            ) from None


# --- Jobs -------------------------------------------------------------------------------------------------------
class ArtifactSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = JobArtifact
        fields = ["name", "size", "sha256", "is_directory", "download_url"]

    def get_download_url(self, artifact) -> str:
        request = self.context.get("request")
        url = artifact.get_absolute_url()
        return request.build_absolute_uri(url) if request else url


class JobSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    administration = administration_field()
    kind = serializers.ChoiceField(choices=JobKind.choices)
    dataset = ScopedPrimaryKeyRelatedField(
        model=Dataset, visible=access.datasets_visible_to, required=False, allow_null=True
    )
    source_version = ScopedPrimaryKeyRelatedField(
        model=AlgorithmVersion, visible=access.versions_visible_to, required=False, allow_null=True
    )
    params = BoundedJSONField(required=False, default=dict)
    artifacts = ArtifactSerializer(many=True, read_only=True)
    version = serializers.PrimaryKeyRelatedField(source="produced_version", read_only=True)

    class Meta:
        model = ModelJob
        fields = ["id", "kind", "administration", "dataset", "source_version", "params", "seed", "status",
                  "cancel_requested", "percent", "stage", "error", "attempts", "metrics", "queued_at", "started_at",
                  "finished_at", "artifacts", "version", "created_at"]  # fmt: skip
        read_only_fields = ["status", "cancel_requested", "percent", "stage", "error", "attempts", "metrics",
                            "queued_at", "started_at", "finished_at", "created_at"]  # fmt: skip

    def validate_params(self, value):
        if not isinstance(value, dict):
            raise serializers.ValidationError("Give a JSON object.")
        return value


class JobCancelRefusedSerializer(serializers.Serializer):
    detail = serializers.CharField()


class JobViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Model jobs of the user's administration (staff: all): submit, follow, cancel."""

    serializer_class = JobSerializer
    permission_classes = [IsModelUser]
    filterset_fields = ["kind", "status"]

    def get_queryset(self):
        return (
            selectors.job_list(access.jobs_visible_to(self.request.user))
            .select_related("produced_version")
            .prefetch_related("artifacts")
        )

    def perform_create(self, serializer):
        data = serializer.validated_data
        user = self.request.user
        administration = _administration_for(user, data.get("administration"))
        try:
            job = services.job_submit(
                kind=data["kind"],
                administration=administration,
                dataset=data.get("dataset"),
                source_version=data.get("source_version"),
                params=data.get("params") or {},
                seed=data.get("seed", 42),
                by=user,
            )
        except DjangoValidationError as error:
            raise ApiValidationError(getattr(error, "message_dict", None) or {"non_field_errors": error.messages})
        serializer.instance = self.get_queryset().get(pk=job.pk)

    @extend_schema(request=None, responses={200: JobSerializer, 400: JobCancelRefusedSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel a queued or running job (a running one stops at its next step)."""
        job = self.get_object()
        try:
            services.job_cancel(job=job, by=request.user)
        except TransitionError as error:
            return Response({"detail": str(error)}, status=status.HTTP_400_BAD_REQUEST)
        return Response(self.get_serializer(self.get_queryset().get(pk=job.pk)).data)


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
    examples = HsExampleSerializer(
        many=True, help_text="The nearest labelled descriptions with this code (models trained on labelled data)."
    )


class HsSuggestionSerializer(serializers.Serializer):
    code = serializers.CharField()
    description = serializers.CharField()
    confidence = serializers.FloatField(help_text="Calibrated probability that this code is right.")
    band = serializers.CharField(help_text="The probability in words: likely, possible or unlikely.")
    why = HsWhySerializer()


class HsAnswerSerializer(serializers.Serializer):
    description = serializers.CharField()
    suggestions = HsSuggestionSerializer(many=True)
    too_vague = serializers.BooleanField(
        help_text="True when the description is too vague: give the material, use or composition."
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


# --- Image analysis (issue 15) -------------------------------------------------------------------------------------
class ImageClassifyInputSerializer(serializers.Serializer):
    picture = serializers.FileField(help_text="A PNG or JPEG picture, up to 15 MB.")
    version = ScopedPrimaryKeyRelatedField(
        model=AlgorithmVersion,
        visible=access.image_versions_usable_by,
        required=False,
        allow_null=True,
        help_text="The trained image model (left out: your administration's champion, else the newest you may use).",
    )
    top_k = serializers.IntegerField(min_value=1, max_value=10, default=3)


class ImagePredictionSerializer(serializers.Serializer):
    label = serializers.CharField()
    confidence = serializers.FloatField()
    hs_code = serializers.CharField(allow_blank=True)


class ImageAnswerSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    predictions = ImagePredictionSerializer(many=True)
    heatmap = serializers.CharField(help_text="A PNG as a data URL: the regions that drove the first answer.")
    milliseconds = serializers.IntegerField()


class ImageClassificationViewSet(viewsets.GenericViewSet):
    """Classify one picture with a trained image model (staff and contact points; nothing is kept)."""

    permission_classes = [IsModelUser]
    serializer_class = ImageClassifyInputSerializer
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request=ImageClassifyInputSerializer, responses={200: ImageAnswerSerializer})
    def create(self, request):
        from .image_classify import classify
        from .image_views import default_image_version

        query = ImageClassifyInputSerializer(data=request.data, context={"request": request})
        query.is_valid(raise_exception=True)
        data = query.validated_data
        versions = access.image_versions_usable_by(request.user)
        version = data.get("version") or default_image_version(request.user, versions)
        if version is None:
            raise ApiValidationError({"version": ["There is no trained image model you may use yet."]})
        try:
            answer = classify(version=version, uploaded=data["picture"], top_k=data["top_k"])
        except DjangoValidationError as error:
            raise ApiValidationError({"picture": error.messages}) from None
        answer["version"] = version.pk
        return Response(ImageAnswerSerializer(answer).data)


def register(router) -> None:
    """Add this app's viewsets to the router (called by bacuda_portal.api)."""
    router.register("algorithms", AlgorithmViewSet, basename="algorithm")
    router.register("algorithm-versions", VersionViewSet, basename="algorithm-version")
    router.register("datasets", DatasetViewSet, basename="dataset")
    router.register("model-jobs", JobViewSet, basename="model-job")
    router.register("hs-suggestions", HsSuggestionViewSet, basename="hs-suggestion")
    router.register("hs-feedback", HsFeedbackViewSet, basename="hs-feedback")
    router.register("image-classifications", ImageClassificationViewSet, basename="image-classification")
