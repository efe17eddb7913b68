"""``datasets/``: list, detail, upload, and an image set's ``hs-codes/``."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from bacuda_portal.core import safe_json
from bacuda_portal.core.api_fields import (
    BoundedJSONField,
    FieldsBuiltOnceMixin,
    ScopedSlugRelatedField,
)
from bacuda_portal.core.parsers import PortalJSONParser

from .. import access, services
from ..enums import DatasetKind
from ..models import Dataset
from .permissions import IsModelUser


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
        from ..views import upload_too_large

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
