"""``image-classifications/``: one picture in, the top classes and a heat map out."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from bacuda_portal.core.api_fields import (
    ScopedPrimaryKeyRelatedField,
)

from .. import access
from ..models import AlgorithmVersion
from .permissions import IsModelUser


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
        from ..image_classify import classify
        from ..image_views import default_image_version

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
