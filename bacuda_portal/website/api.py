"""The website's news through the API (issue 19, part 6): anyone reads the published posts; staff also read drafts and
scheduled ones, and create, change, publish and delete posts by the same services as the news pages. Anyone else who
tries to write finds nothing (404), an anonymous visitor gets 401. A post's picture is uploaded as a multipart body,
checked like the news page's upload, then resized with its thumbnail by the news service. ``register`` adds the
routes to the project's router."""

from django.utils.text import slugify
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from bacuda_portal.core.api_fields import FieldsBuiltOnceMixin
from bacuda_portal.core.api_writes import ConflictSerializer
from bacuda_portal.core.parsers import PortalJSONParser

from . import access, selectors, services
from .models import NewsPost

WRITABLE = ["slug", "publish_at", "title_en", "title_fr", "summary_en", "summary_fr", "body_en", "body_fr"]


class NewsPostSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    url = serializers.CharField(source="get_absolute_url", read_only=True, help_text="The public page.")
    image_url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = NewsPost
        fields = ["id", *WRITABLE, "image_url", "thumbnail_url", "image_alt_en", "image_alt_fr", "url"]
        read_only_fields = ["image_alt_en", "image_alt_fr"]
        extra_kwargs = {
            "slug": {"required": False, "help_text": "Used in the page address; left out, it is made from the title."},
            "body_en": {"max_length": 100_000},
            "body_fr": {"max_length": 100_000},
            "publish_at": {"help_text": "Empty: a draft nobody outside staff sees. In the future: published then."},
        }

    def get_image_url(self, post) -> str | None:
        return post.image.url if post.image else None

    def get_thumbnail_url(self, post) -> str | None:
        return post.thumbnail.url if post.thumbnail else None

    def validate(self, data):
        """As the news form: a title in at least one language; an address made from the title when none is given."""
        merged = {name: getattr(self.instance, name) for name in WRITABLE} if self.instance else {}
        merged.update(data)
        if not (merged.get("title_en") or "").strip() and not (merged.get("title_fr") or "").strip():
            raise serializers.ValidationError(
                {"title_en": [_("Give the post a title in English, in French or in both.")]}
            )
        if not merged.get("slug"):
            data["slug"] = slugify(merged.get("title_en") or merged.get("title_fr") or "")[:120]
        return data


class PictureSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    """The picture and its description, checked as on the news form: the model's upload check (JPEG or PNG, its size),
    and a description in at least one language."""

    class Meta:
        model = NewsPost
        fields = ["image", "image_alt_en", "image_alt_fr"]
        extra_kwargs = {"image": {"required": True, "allow_null": False, "allow_empty_file": False}}

    def validate(self, data):
        if not (data.get("image_alt_en", "").strip() or data.get("image_alt_fr", "").strip()):
            raise serializers.ValidationError(
                {"image_alt_en": [_("Describe the picture for readers who cannot see it.")]}
            )
        return data


class PublishSerializer(serializers.Serializer):
    publish_at = serializers.DateTimeField(required=False, allow_null=True, help_text="Later: scheduled. Empty: now.")


NEWS_EXAMPLE = OpenApiExample(
    "A draft",
    request_only=True,
    value={"title_en": "Kenya puts DATE into operation", "title_fr": "Le Kenya met DATE en exploitation",
           "summary_en": "The KRA now selects declarations with DATE.", "body_en": "After the workshop in Nairobi…"},
)  # fmt: skip


@extend_schema(examples=[NEWS_EXAMPLE])
class NewsPostViewSet(viewsets.ModelViewSet):
    """News posts: the published ones for everyone, newest first; drafts and scheduled posts too for staff."""

    serializer_class = NewsPostSerializer
    search_fields = ["title_en", "title_fr", "summary_en", "summary_fr"]
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_permissions(self):
        if self.action in ("list", "retrieve"):
            return [permissions.AllowAny()]
        return [permissions.IsAuthenticated()]

    def initial(self, request: Request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # Decided before the body is read: a write by anyone but staff answers as for a missing post.
        if self.action not in ("list", "retrieve", "metadata") and not access.can_edit_news(request.user):
            raise NotFound

    def get_queryset(self):
        if access.can_edit_news(self.request.user):
            return selectors.news_posts_for_editing()
        return selectors.published_news()

    def perform_create(self, serializer):
        post = NewsPost(**serializer.validated_data)
        serializer.instance = services.news_post_save(post=post, by=self.request.user, image_changed=False)

    def perform_update(self, serializer):
        post = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(post, name, value)
        serializer.instance = services.news_post_save(post=post, by=self.request.user, image_changed=False)

    def perform_destroy(self, instance):
        services.news_post_delete(post=instance, by=self.request.user)

    @extend_schema(request=PublishSerializer, responses={200: NewsPostSerializer, 404: None, 409: ConflictSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """Publish a draft or scheduled post now, or schedule it (``publish_at``). An already published post: 409."""
        post = self.get_object()
        body = PublishSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        post = services.news_post_publish(post=post, at=body.validated_data.get("publish_at"), by=request.user)
        return Response(self.get_serializer(post).data, status=status.HTTP_200_OK)

    @extend_schema(
        request=PictureSerializer,
        responses={200: NewsPostSerializer, 400: None, 404: None},
        examples=[
            OpenApiExample(
                "A picture",
                request_only=True,
                value={"image": "(the file)", "image_alt_en": "Officers at the KRA's risk desk",
                       "image_alt_fr": "Agents au service des risques de la KRA"},
            )
        ],
        methods=["PUT"],
    )  # fmt: skip
    @extend_schema(request=None, responses={200: NewsPostSerializer, 404: None}, methods=["DELETE"])
    @action(
        detail=True,
        methods=["put", "delete"],
        # A file needs a multipart body; a JSON one is read (safely) only to be told which field is missing.
        parser_classes=[MultiPartParser, PortalJSONParser],
    )
    def picture(self, request, pk=None):
        """PUT: give the post a picture (JPEG or PNG) with its description in at least one language, replacing any
        earlier one; it is resized to the site's width and a thumbnail is made, as on the news page. DELETE: remove
        the picture and its thumbnail."""
        post = self.get_object()
        if request.method == "DELETE":
            post.image = ""
        else:
            body = PictureSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            for name, value in body.validated_data.items():
                setattr(post, name, value)
        try:
            post = services.news_post_save(post=post, by=request.user, image_changed=True)
        except ValueError:
            raise ApiValidationError({"image": [_("The picture could not be read or is too large.")]}) from None
        return Response(self.get_serializer(post).data)


def register(router) -> None:
    router.register("news", NewsPostViewSet, basename="news-post")
