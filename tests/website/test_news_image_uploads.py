"""News pictures are uploaded in the Django admin and go through the portal's one upload check: only one whole PNG
or JPEG picture, nothing appended, no decompression bomb; what is published is re-encoded by the portal."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from bacuda_portal.website.models import NewsPost
from tests import upload_samples as samples

pytestmark = pytest.mark.django_db

HOSTILE = {
    **samples.HOSTILE_PICTURES,
    "a pdf": (lambda: samples.CLEAN_PDF, "This file type is not accepted. Accepted: PNG, JPEG."),
    "pdf + html polyglot": (samples.pdf_with_html_before, "This file type is not accepted. Accepted: PNG, JPEG."),
}


def _add_post(client, picture: bytes, name: str = "picture.png"):
    return client.post(
        reverse("admin:website_newspost_add"),
        {
            "slug": "with-a-picture",
            "publish_at_0": timezone.localdate().isoformat(),
            "publish_at_1": "00:00:00",
            "title_en": "Workshop in Nairobi",
            "title_fr": "",
            "summary_en": "",
            "summary_fr": "",
            "body_en": "Text",
            "body_fr": "",
            "image_alt_en": "Officials at the workshop",
            "image_alt_fr": "",
            "image": SimpleUploadedFile(name, picture),
        },
    )


def _stored_media(settings) -> list:
    return sorted(path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file())


@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_hostile_picture_is_refused_in_the_admin(client, project_manager, settings, case):
    build, message = HOSTILE[case]
    before = _stored_media(settings)
    client.force_login(project_manager)
    response = _add_post(client, build())
    assert response.status_code == 200  # the form again, with the reason
    assert message in response.content.decode()
    assert not NewsPost.objects.exists()
    assert _stored_media(settings) == before


@pytest.mark.parametrize("picture", [samples.CLEAN_PNG, samples.CLEAN_JPEG], ids=["png", "jpeg"])
def test_a_clean_picture_is_published_re_encoded(client, project_manager, picture):
    client.force_login(project_manager)
    response = _add_post(client, picture, name="photo")
    assert response.status_code == 302, response.content.decode()[:2000]
    post = NewsPost.objects.get()
    with post.image.open("rb") as stored:
        assert stored.read() != picture  # resized and re-encoded: nothing of the upload's own bytes is served
    assert post.thumbnail
