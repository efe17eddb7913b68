"""News posts: drafts and scheduled posts stay hidden, content falls back to the other language, pictures are
resized on upload with a thumbnail, Markdown is rendered safely."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from bacuda_portal.core.models import AuditEntry
from bacuda_portal.website import services
from bacuda_portal.website.models import NewsPost

from .factories import NewsPostFactory

pytestmark = pytest.mark.django_db


def _png(width: int, height: int, mode: str = "RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, (width, height), (200, 30, 30) if mode == "RGB" else (200, 30, 30, 128)).save(buffer, "PNG")
    return buffer.getvalue()


def test_draft_and_scheduled_posts_are_not_public(client):
    published = NewsPostFactory(title_en="Published post")
    draft = NewsPostFactory(title_en="Draft post", publish_at=None)
    scheduled = NewsPostFactory(title_en="Scheduled post", publish_at=timezone.now() + dt.timedelta(days=2))
    html = client.get(reverse("website:news")).content.decode()
    assert "Published post" in html
    assert "Draft post" not in html and "Scheduled post" not in html
    assert client.get(published.get_absolute_url()).status_code == 200
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(scheduled.get_absolute_url()).status_code == 404


def test_news_list_is_paged_newest_first(client):
    now = timezone.now()
    for day in range(12):
        NewsPostFactory(title_en=f"Post of day {day}", publish_at=now - dt.timedelta(days=day + 1))
    first = client.get(reverse("website:news")).content.decode()
    assert "Post of day 0" in first and "Post of day 9" in first and "Post of day 10" not in first
    assert first.index("Post of day 0") < first.index("Post of day 9")
    second = client.get(reverse("website:news") + "?page=2").content.decode()
    assert "Post of day 10" in second and "Post of day 11" in second


@pytest.mark.parametrize(
    ("fields", "language", "expected_title", "expected_summary"),
    [
        ({"title_fr": "", "summary_fr": ""}, "fr", "English title", "English summary"),
        ({"title_en": "", "summary_en": ""}, "en", "Titre français", "Résumé français"),
        ({}, "fr", "Titre français", "Résumé français"),
        ({}, "en", "English title", "English summary"),
    ],
)
def test_content_falls_back_to_the_other_language(client, fields, language, expected_title, expected_summary):
    values = {
        "title_en": "English title",
        "title_fr": "Titre français",
        "summary_en": "English summary",
        "summary_fr": "Résumé français",
        **fields,
    }
    post = NewsPostFactory(**values)
    with translation.override(language):
        response = client.get(post.get_absolute_url())
    html = response.content.decode()
    assert f"<h1>{expected_title}</h1>" in html
    assert expected_summary in html


def test_a_post_needs_a_title_in_one_language_at_least(staff):
    post = NewsPost(slug="untitled", title_en="", title_fr="")
    with pytest.raises(Exception):  # noqa: B017 - full_clean raises ValidationError naming the constraint
        services.news_post_save(post=post, by=staff, image_changed=False)
    assert not NewsPost.objects.filter(slug="untitled").exists()


def test_markdown_body_is_rendered_and_sanitised(client):
    post = NewsPostFactory(body_en="## Results\n\n**Bold** <script>alert(1)</script> [x](javascript:alert(1))")
    html = client.get(post.get_absolute_url()).content.decode()
    assert "<h3>Results</h3>" in html and "<strong>Bold</strong>" in html
    assert "<script>alert(1)</script>" not in html
    assert "javascript:alert" not in html


def test_uploaded_picture_is_resized_with_a_thumbnail_and_audited(staff, settings):
    post = NewsPost(slug="with-picture", title_en="With a picture", publish_at=timezone.now())
    post.image = SimpleUploadedFile("wide.png", _png(3000, 1500), content_type="image/png")
    services.news_post_save(post=post, by=staff, image_changed=True)
    post.refresh_from_db()
    with Image.open(post.image.path) as image:
        assert image.size == (settings.BACUDA_NEWS_IMAGE_MAX_WIDTH, 600)
        assert image.format == "JPEG"
    with Image.open(post.thumbnail.path) as thumbnail:
        assert thumbnail.width <= settings.BACUDA_NEWS_THUMBNAIL_SIZE[0]
        assert thumbnail.height <= settings.BACUDA_NEWS_THUMBNAIL_SIZE[1]
        assert thumbnail.size == (480, 240)
    assert post.author == staff
    assert AuditEntry.objects.filter(action="website.news.created", target_id=str(post.pk)).exists()


def test_small_transparent_picture_keeps_its_size_and_transparency(staff):
    post = NewsPost(slug="logo", title_en="Logo", publish_at=timezone.now())
    post.image = SimpleUploadedFile("logo.png", _png(300, 200, "RGBA"), content_type="image/png")
    services.news_post_save(post=post, by=staff, image_changed=True)
    with Image.open(post.image.path) as image:
        assert image.size == (300, 200)
        assert image.format == "PNG" and image.mode == "RGBA"


def test_picture_is_shown_with_its_alternative_text(client, staff):
    post = NewsPost(
        slug="pictured",
        title_en="Pictured",
        image_alt_en="Officials at the workshop",
        publish_at=timezone.now() - dt.timedelta(hours=1),
    )
    post.image = SimpleUploadedFile("p.png", _png(1600, 800), content_type="image/png")
    services.news_post_save(post=post, by=staff, image_changed=True)
    html = client.get(post.get_absolute_url()).content.decode()
    assert f'src="{post.image.url}" alt="Officials at the workshop" width="1200" height="600"' in html
    assert f'<meta property="og:image" content="http://127.0.0.1:8000{post.image.url}">' in html
    listing = client.get(reverse("website:news")).content.decode()
    assert post.thumbnail.url in listing


def test_staff_write_a_post_in_the_admin_and_its_picture_is_resized(client, project_manager):
    client.force_login(project_manager)
    response = client.post(
        reverse("admin:website_newspost_add"),
        {
            "slug": "admin-post",
            "publish_at_0": timezone.localdate().isoformat(),
            "publish_at_1": "00:00:00",
            "title_en": "Written in the admin",
            "title_fr": "",
            "summary_en": "",
            "summary_fr": "",
            "body_en": "Text",
            "body_fr": "",
            "image_alt_en": "A picture",
            "image_alt_fr": "",
            "image": SimpleUploadedFile("big.png", _png(2400, 1200), content_type="image/png"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    post = NewsPost.objects.get(slug="admin-post")
    assert post.image.width == 1200 and post.thumbnail
    assert post.author == project_manager
