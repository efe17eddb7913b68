"""``model-jobs/``: submit, list, detail, ``cancel``."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from bacuda_portal.core.api_fields import (
    BoundedJSONField,
    FieldsBuiltOnceMixin,
    ScopedPrimaryKeyRelatedField,
)
from bacuda_portal.core.exceptions import TransitionError

from .. import access, selectors, services
from ..enums import JobKind
from ..models import AlgorithmVersion, Dataset, JobArtifact, ModelJob
from .datasets import _administration_for, administration_field
from .permissions import IsModelUser


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
