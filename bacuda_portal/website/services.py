"""Writes of the public website: news posts (with their pictures) and contact messages."""

import io
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from bacuda_portal.core.emails import send_templated_email
from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.privacy import delete_file
from bacuda_portal.core.services import audit_record
from bacuda_portal.core.uploads.images import MAX_IMAGE_PIXELS
from bacuda_portal.members import selectors as member_selectors

from .models import ContactMessage, NewsPost


def _encode(image: Image.Image) -> tuple[bytes, str]:
    """JPEG for photographs, PNG when the picture has transparency."""
    buffer = io.BytesIO()
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        image.convert("RGBA").save(buffer, format="PNG", optimize=True)
        return buffer.getvalue(), "png"
    image.convert("RGB").save(buffer, format="JPEG", quality=85, optimize=True, progressive=True)
    return buffer.getvalue(), "jpg"


def resize_news_image(data: bytes) -> tuple[tuple[bytes, str], tuple[bytes, str]]:
    """The picture at most BACUDA_NEWS_IMAGE_MAX_WIDTH wide, and its thumbnail; EXIF (and GPS) dropped."""
    with Image.open(io.BytesIO(data)) as source:
        if source.width * source.height > MAX_IMAGE_PIXELS:
            raise ValueError("image too large")
        image = ImageOps.exif_transpose(source)
        image.load()
    max_width = settings.BACUDA_NEWS_IMAGE_MAX_WIDTH
    if image.width > max_width:
        image = image.resize((max_width, round(image.height * max_width / image.width)), Image.Resampling.LANCZOS)
    thumbnail = image.copy()
    thumbnail.thumbnail(settings.BACUDA_NEWS_THUMBNAIL_SIZE, Image.Resampling.LANCZOS)
    return _encode(image), _encode(thumbnail)


@transaction.atomic
def news_post_save(*, post: NewsPost, by, image_changed: bool) -> NewsPost:
    """Create or change a news post.

    Side effects: when a new picture was uploaded it is resized and a thumbnail made (both in public media);
    removing the picture removes the thumbnail; the files of a replaced or removed picture are deleted after commit;
    audit record; the cached public pages go stale (signals).
    """
    if by is not None and post.author_id is None and getattr(by, "is_authenticated", False):
        post.author = by
    replaced = {}
    if image_changed and post.pk is not None:  # the files of the picture being replaced or removed
        replaced = NewsPost.objects.filter(pk=post.pk).values("image", "thumbnail").first() or {}
    if image_changed:
        if post.image:
            post.image.open("rb")
            data = post.image.read()
            post.image.close()
            (image, image_ext), (thumb, thumb_ext) = resize_news_image(data)
            stem = PurePath(post.image.name).stem[:80] or post.slug
            post.image.save(f"{stem}.{image_ext}", ContentFile(image), save=False)
            post.thumbnail.save(f"{stem}-thumb.{thumb_ext}", ContentFile(thumb), save=False)
        else:
            post.thumbnail = ""
    created = post.pk is None
    post.full_clean()
    post.save()
    for field, old_name in replaced.items():
        if old_name and old_name != getattr(post, field).name:
            storage = getattr(post, field).storage
            transaction.on_commit(lambda storage=storage, name=old_name: storage.delete(name))
    audit_record(actor=by, action="website.news.created" if created else "website.news.changed", target=post)
    return post


@transaction.atomic
def news_post_publish(*, post: NewsPost, by, at=None) -> NewsPost:
    """Publish a draft or scheduled post now, or schedule it for ``at``. A post already published stays as it is
    (its date is part of its history; change it by editing the post).

    Side effects: audit record; the cached public pages go stale (signals).
    """
    post = NewsPost.objects.select_for_update().get(pk=post.pk)
    now = timezone.now()
    if post.publish_at is not None and post.publish_at <= now:
        raise TransitionError(_("This news post is already published."))
    post.publish_at = at or now
    post.full_clean()
    post.save(update_fields=["publish_at", "updated_at"])
    audit_record(actor=by, action="website.news.published", target=post, publish_at=post.publish_at.isoformat())
    return post


@transaction.atomic
def news_post_delete(*, post: NewsPost, by) -> None:
    """Delete a news post. Side effects: audit record; its picture and thumbnail files are removed once the
    deletion has committed (a rolled-back deletion keeps them); the cached public pages go stale (signals)."""
    audit_record(actor=by, action="website.news.deleted", target=post, slug=post.slug)
    delete_file(post.image)
    delete_file(post.thumbnail)
    post.delete()


def contact_recipients() -> list[str]:
    """BACUDA_CONTACT_EMAILS, or else every active WCO staff member."""
    if settings.BACUDA_CONTACT_EMAILS:
        return list(settings.BACUDA_CONTACT_EMAILS)
    return member_selectors.active_staff_emails()


@transaction.atomic
def contact_message_send(
    *, name: str, email: str, organisation: str, subject: str, message: str, language: str
) -> ContactMessage:
    """Store a visitor's message and email it to staff.

    Side effects: the message is stored (staff read it in the admin), and emailed to ``contact_recipients()``
    once the transaction commits (the text gives the visitor's address to answer).
    """
    contact = ContactMessage.objects.create(
        name=name, email=email, organisation=organisation, subject=subject, message=message, language=language
    )
    recipients = contact_recipients()
    if recipients:
        send_templated_email(
            template="website/contact_message", to=recipients, context={"contact": contact}, language="en"
        )
    return contact
