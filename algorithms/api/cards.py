"""Cards and versions: ``algorithms/`` and ``algorithm-versions/``."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import permissions, serializers, viewsets

from bacuda_portal.core.api_fields import FieldsBuiltOnceMixin, SafeSlugRelatedField

from .. import access
from ..models import CARD_SECTIONS, Algorithm, AlgorithmVersion


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
