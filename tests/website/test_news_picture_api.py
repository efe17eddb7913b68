"""A news post's picture through the API (issue 19, part 6): staff upload it as a multipart body, checked like the
news page's upload (JPEG or PNG, whole, not too large) with a description in at least one language; the news service
resizes it and makes its thumbnail. Anyone else finds nothing (404, 401 when anonymous); a refused file or a missing
description is a 400 naming the field, and nothing is stored."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from PIL import Image

from bacuda_portal.core.models import AuditEntry
from bacuda_portal.website.models import NewsPost
from tests import upload_samples as samples

from .factories import NewsPostFactory

pytestmark = pytest.mark.django_db


def _url(post):
    return f"/api/v1/news/{post.pk}/picture/"


def _put(client, post, data):
    """A multipart PUT, as a client uploading a file sends it."""
    return client.put(_url(post), encode_multipart(BOUNDARY, data), content_type=MULTIPART_CONTENT)


def _picture(size=(2400, 1200), kind="PNG", name="wide.png"):
    return SimpleUploadedFile(name, samples.picture(kind, size), content_type=f"image/{kind.lower()}")


def _stored(settings) -> set:
    return {path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()}


def test_staff_give_a_post_a_resized_picture_and_remove_it(client_as, staff, settings):
    post = NewsPostFactory()
    client = client_as(staff)
    response = _put(client, post, {"image": _picture(), "image_alt_en": "Officers at the risk desk"})
    assert response.status_code == 200, response.json()
    post.refresh_from_db()
    assert post.image_alt_en == "Officers at the risk desk"
    with Image.open(post.image.path) as image:
        assert image.width == settings.BACUDA_NEWS_IMAGE_MAX_WIDTH
    assert post.thumbnail and response.json()["image_url"] == post.image.url
    assert response.json()["thumbnail_url"] == post.thumbnail.url
    assert AuditEntry.objects.filter(action="website.news.changed", target_id=str(post.pk)).exists()
    removed = client.delete(_url(post))
    assert removed.status_code == 200 and removed.json()["image_url"] is None
    post.refresh_from_db()
    assert not post.image and not post.thumbnail


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"image": SimpleUploadedFile("page.png", samples.SVG_AS_PNG), "image_alt_en": "A picture"}, "image"),
        ({"image": SimpleUploadedFile("bomb.png", samples.png_bomb()), "image_alt_en": "A picture"}, "image"),
        ({"image_alt_en": "No file"}, "image"),
        ({"image": "not a file", "image_alt_en": "No file"}, "image"),
        ({"image": "(picture)", "image_alt_en": "", "image_alt_fr": " "}, "image_alt_en"),
    ],
)
def test_a_picture_the_page_would_refuse_is_a_400_naming_the_field(client_as, staff, settings, data, field):
    post = NewsPostFactory()
    if data.get("image") == "(picture)":
        data["image"] = _picture(size=(64, 48))
    before = _stored(settings)
    response = _put(client_as(staff), post, data)
    assert response.status_code == 400 and field in response.json(), response.json()
    assert not NewsPost.objects.get(pk=post.pk).image
    assert _stored(settings) == before


def test_a_json_body_names_the_missing_picture(client_as, staff):
    post = NewsPostFactory()
    response = client_as(staff).put(_url(post), json.dumps({"image_alt_en": "x"}), content_type="application/json")
    assert response.status_code == 400 and "image" in response.json()


def test_nobody_else_changes_a_picture(client_as, contact_point, other_contact_point, expert):
    post = NewsPostFactory()
    assert _put(client_as(None), post, {"image": _picture((64, 48)), "image_alt_en": "A"}).status_code == 401
    assert client_as(None).delete(_url(post)).status_code == 401
    for user in (contact_point, other_contact_point, expert):
        assert _put(client_as(user), post, {"image": _picture((64, 48)), "image_alt_en": "A"}).status_code == 404
        assert client_as(user).delete(_url(post)).status_code == 404
    assert not NewsPost.objects.get(pk=post.pk).image
