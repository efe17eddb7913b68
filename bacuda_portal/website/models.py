"""The public website's own content: news posts written by staff, and messages sent through the contact form."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bacuda_portal.core.bilingual import in_reader_language
from bacuda_portal.core.models import TimeStampedModel
from bacuda_portal.core.uploads import IMAGE_TYPES, UploadValidator

NEWS_IMAGE_MAX_MEGABYTES = 10


def _in_language(obj, field: str) -> str:
    """The field in the active language; the other language when that one is empty (EN <-> FR)."""
    return in_reader_language(en=getattr(obj, f"{field}_en"), fr=getattr(obj, f"{field}_fr"))


class NewsPostQuerySet(models.QuerySet):
    def published(self, now=None):
        """Posts whose publication date has come; a post without one is a draft."""
        return self.filter(publish_at__isnull=False, publish_at__lte=now or timezone.now())


class NewsPost(TimeStampedModel):
    """A news item, in English and French (Markdown), with an optional picture resized on upload."""

    slug = models.SlugField(_("address"), max_length=120, unique=True, help_text=_("Used in the page address."))
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    title_fr = models.CharField(_("title (French)"), max_length=200, blank=True)
    summary_en = models.TextField(_("summary (English)"), max_length=400, blank=True)
    summary_fr = models.TextField(_("summary (French)"), max_length=400, blank=True)
    body_en = models.TextField(_("text (English, Markdown)"), blank=True)
    body_fr = models.TextField(_("text (French, Markdown)"), blank=True)
    image = models.ImageField(
        _("picture"),
        upload_to="news/",
        blank=True,
        width_field="image_width",
        height_field="image_height",
        validators=[UploadValidator(kinds=IMAGE_TYPES, max_megabytes=NEWS_IMAGE_MAX_MEGABYTES)],
        help_text=_("JPEG or PNG, at most %(megabytes)s MB; resized on upload to at most %(width)s pixels wide.")
        % {"megabytes": NEWS_IMAGE_MAX_MEGABYTES, "width": settings.BACUDA_NEWS_IMAGE_MAX_WIDTH},
    )
    thumbnail = models.ImageField(
        _("thumbnail"),
        upload_to="news/thumbnails/",
        blank=True,
        editable=False,
        width_field="thumbnail_width",
        height_field="thumbnail_height",
    )
    # Kept by the image fields, so pages give each picture its size without opening the file.
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    thumbnail_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    thumbnail_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_alt_en = models.CharField(_("picture description (English)"), max_length=200, blank=True)
    image_alt_fr = models.CharField(_("picture description (French)"), max_length=200, blank=True)
    publish_at = models.DateTimeField(
        _("publication date"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Empty: a draft nobody outside staff sees. In the future: published at that moment."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = NewsPostQuerySet.as_manager()

    class Meta:
        verbose_name = _("news post")
        verbose_name_plural = _("news posts")
        ordering = ["-publish_at", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(title_en="") | ~Q(title_fr=""), name="newspost_has_a_title"),
        ]

    def __str__(self) -> str:
        return self.title or self.slug

    def get_absolute_url(self) -> str:
        return reverse("website:news_detail", kwargs={"slug": self.slug})

    @property
    def title(self) -> str:
        return _in_language(self, "title")

    @property
    def summary(self) -> str:
        return _in_language(self, "summary")

    @property
    def body(self) -> str:
        return _in_language(self, "body")

    @property
    def image_alt(self) -> str:
        return _in_language(self, "image_alt")

    @property
    def is_published(self) -> bool:
        return self.publish_at is not None and self.publish_at <= timezone.now()

    @property
    def publication_state(self) -> str:
        """ "draft" (no date), "scheduled" (a date to come) or "published"."""
        if self.publish_at is None:
            return "draft"
        return "published" if self.is_published else "scheduled"


class ContactMessage(models.Model):
    """A message a visitor sent through the contact form; staff are emailed and read it in the admin."""

    created_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email address"))
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    message = models.TextField(_("message"), max_length=5000)
    language = models.CharField(_("language"), max_length=8, default="en")
    handled = models.BooleanField(_("handled"), default=False)

    class Meta:
        verbose_name = _("contact message")
        verbose_name_plural = _("contact messages")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.subject} ({self.email})"
