"""Staff write the news on the portal's own pages: a list with search, status filter, paging and CSV/Excel; create,
change (picture resized with its thumbnail), preview a draft, delete (files removed); bad input is refused with the
reason and nothing typed is lost; every change is audited; nobody but staff reaches these pages (404)."""

import datetime as dt
import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from bacuda_portal.core.models import AuditEntry
from bacuda_portal.website.models import NewsPost

from .factories import NewsPostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def _png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (20, 90, 160)).save(buffer, "PNG")
    return buffer.getvalue()


def _post_data(**changes):
    data = {
        "slug": "",
        "publish_at": "",
        "title_en": "Workshop in Nairobi",
        "title_fr": "Atelier à Nairobi",
        "summary_en": "Twenty officials trained.",
        "summary_fr": "Vingt agents formés.",
        "body_en": "## Days\n\nThree days of **DATE**.",
        "body_fr": "## Jours\n\nTrois jours de **DATE**.",
        "image_alt_en": "",
        "image_alt_fr": "",
    }
    data.update(changes)
    return data


def test_staff_write_a_draft_preview_it_then_publish_it(staff_client, staff, client):
    response = staff_client.post(reverse("website:news_create"), _post_data())
    post = NewsPost.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("website:news_edit", args=[post.pk])
    assert (post.slug, post.publish_at, post.author) == ("workshop-in-nairobi", None, staff)
    assert AuditEntry.objects.filter(action="website.news.created", target_id=str(post.pk)).exists()
    preview = staff_client.get(reverse("website:news_preview", args=[post.pk])).content.decode()
    assert "Workshop in Nairobi" in preview and "this post is a draft" in preview
    assert staff_client.get(post.get_absolute_url()).status_code == 404  # a draft is not on the website yet

    published_at = (timezone.localtime() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    staff_client.post(reverse("website:news_edit", args=[post.pk]), _post_data(slug=post.slug, publish_at=published_at))
    post.refresh_from_db()
    assert post.is_published
    assert AuditEntry.objects.filter(action="website.news.changed", target_id=str(post.pk)).exists()
    client.logout()
    assert "Workshop in Nairobi" in client.get(post.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"title_en": "", "title_fr": ""}, "title_en", "Give the post a title in English, in French or in both."),
        ({"publish_at": "next tuesday"}, "publish_at", "Enter a valid date/time."),
        ({"slug": "not a slug!"}, "slug", "Enter a valid “slug”"),
    ],
)
def test_bad_input_is_refused_with_the_reason_and_the_text_kept(staff_client, changes, field, message):
    response = staff_client.post(reverse("website:news_create"), _post_data(body_en="My long text", **changes))
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert "My long text" in response.content.decode()
    assert not NewsPost.objects.exists()


def test_a_repeated_address_is_refused(staff_client):
    NewsPostFactory(slug="workshop-in-nairobi")
    response = staff_client.post(reverse("website:news_create"), _post_data())
    assert response.status_code == 400 and "slug" in response.context["form"].errors
    assert NewsPost.objects.count() == 1


def test_a_picture_needs_a_description_and_is_resized_with_a_thumbnail(staff_client, settings):
    picture = SimpleUploadedFile("photo.png", _png(3000, 1500), content_type="image/png")
    refused = staff_client.post(reverse("website:news_create"), _post_data(image=picture))
    assert refused.status_code == 400 and "image_alt_en" in refused.context["form"].errors

    picture = SimpleUploadedFile("photo.png", _png(3000, 1500), content_type="image/png")
    staff_client.post(reverse("website:news_create"), _post_data(image=picture, image_alt_en="Officials at work"))
    post = NewsPost.objects.get()
    assert post.image_width == settings.BACUDA_NEWS_IMAGE_MAX_WIDTH and post.thumbnail
    files = [post.image.path, post.thumbnail.path]
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = staff_client.post(reverse("website:news_delete", args=[post.pk]))
    assert response.status_code == 302 and not NewsPost.objects.exists()
    assert AuditEntry.objects.filter(action="website.news.deleted", target_id=str(post.pk)).exists()
    assert not any(os.path.exists(path) for path in files)


def test_a_replaced_picture_leaves_no_file_behind(staff_client):
    picture = SimpleUploadedFile("first.png", _png(1200, 600), content_type="image/png")
    staff_client.post(reverse("website:news_create"), _post_data(image=picture, image_alt_en="First"))
    post = NewsPost.objects.get()
    first_files = [post.image.path, post.thumbnail.path]
    data = _post_data(image=SimpleUploadedFile("second.png", _png(1400, 700), content_type="image/png"),
                      image_alt_en="Second")  # fmt: skip
    data["slug"] = post.slug
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = staff_client.post(reverse("website:news_edit", args=[post.pk]), data)
    assert response.status_code == 302, response.content[:500]
    post.refresh_from_db()
    assert os.path.exists(post.image.path) and os.path.exists(post.thumbnail.path)
    assert not any(os.path.exists(path) for path in first_files)


def test_an_unreadable_picture_is_refused_on_its_field(staff_client):
    fake = SimpleUploadedFile("photo.png", b"not a picture at all", content_type="image/png")
    response = staff_client.post(reverse("website:news_create"), _post_data(image=fake, image_alt_en="x"))
    assert response.status_code == 400 and "image" in response.context["form"].errors
    assert not NewsPost.objects.exists()


def test_the_list_searches_filters_by_status_and_exports(staff_client):
    NewsPostFactory(title_en="Published Kenya post")
    NewsPostFactory(title_en="Draft Senegal post", publish_at=None)
    NewsPostFactory(title_en="Scheduled Kenya post", publish_at=timezone.now() + dt.timedelta(days=3))
    url = reverse("website:news_manage")
    page = staff_client.get(url).content.decode()
    assert all(title in page for title in ("Published Kenya post", "Draft Senegal post", "Scheduled Kenya post"))
    page = staff_client.get(url, {"q": "kenya"}).content.decode()
    assert "Draft Senegal post" not in page and "Published Kenya post" in page
    for state, title in [("draft", "Draft Senegal"), ("scheduled", "Scheduled Kenya"), ("published", "Published")]:
        page = staff_client.get(url, {"state": state}).content.decode()
        assert title in page and page.count('<span class="badge') == 1, state
    export = staff_client.get(url, {"format": "csv", "state": "draft"})
    lines = b"".join(export.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 2 and "Draft Senegal post" in lines[1] and ",Draft," in lines[1]
    assert staff_client.get(url, {"format": "xlsx"}).status_code == 200


def test_the_public_news_page_links_staff_to_the_editor(staff_client, client):
    assert reverse("website:news_manage") in staff_client.get(reverse("website:news")).content.decode()
    client.logout()
    assert reverse("website:news_manage") not in client.get(reverse("website:news")).content.decode()


def test_the_list_page_queries_do_not_grow_with_the_rows(staff_client, staff):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(reverse("website:news_manage")).status_code == 200
        return len(queries)

    NewsPostFactory(author=staff)
    few = count()
    NewsPostFactory.create_batch(12, author=staff)
    assert count() == few


@pytest.mark.parametrize("role", ["contact_point", "other_contact_point", "expert", "applicant"])
def test_nobody_but_staff_reaches_the_news_editor(client, request, kenya, senegal, role):
    post = NewsPostFactory(publish_at=None)
    client.force_login(request.getfixturevalue(role))
    for url in [
        reverse("website:news_manage"),
        reverse("website:news_create"),
        reverse("website:news_edit", args=[post.pk]),
        reverse("website:news_preview", args=[post.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("website:news_delete", args=[post.pk])).status_code == 404
    assert client.post(reverse("website:news_edit", args=[post.pk]), _post_data(slug="hijacked")).status_code == 404
    post.refresh_from_db()
    assert post.slug != "hijacked"


def test_anonymous_visitors_are_sent_to_sign_in(client):
    post = NewsPostFactory(publish_at=None)
    response = client.get(reverse("website:news_preview", args=[post.pk]))
    assert response.status_code == 302 and "login" in response["Location"]
    assert client.post(reverse("website:news_delete", args=[post.pk])).status_code == 302
    assert NewsPost.objects.filter(pk=post.pk).exists()
