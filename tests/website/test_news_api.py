"""News through the API (issue 19, part 6): anyone reads the published posts; staff also read drafts and create,
change, publish and delete posts by the news services; anyone else who writes finds nothing (404, 401 when
anonymous); a post without a title is a 400 naming the field; publishing a published post is a 409."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from bacuda_portal.core.models import AuditEntry
from bacuda_portal.website.models import NewsPost

from .factories import NewsPostFactory

pytestmark = pytest.mark.django_db


def _send(client, method, url, data=None):
    return client.generic(method, url, json.dumps(data or {}), content_type="application/json")


def test_everyone_reads_the_published_posts_and_staff_the_drafts_too(client_as, staff, contact_point):
    published, draft = NewsPostFactory(), NewsPostFactory(publish_at=None)
    scheduled = NewsPostFactory(publish_at=timezone.now() + dt.timedelta(days=3))
    for user in (None, contact_point):
        rows = client_as(user).get("/api/v1/news/").json()["results"]
        assert [row["id"] for row in rows] == [published.pk]
        assert rows[0]["url"] == published.get_absolute_url()
        assert client_as(user).get(f"/api/v1/news/{draft.pk}/").status_code == 404
        assert client_as(user).get(f"/api/v1/news/{scheduled.pk}/").status_code == 404
    staff_rows = client_as(staff).get("/api/v1/news/").json()["results"]
    assert {row["id"] for row in staff_rows} == {published.pk, draft.pk, scheduled.pk}


def test_staff_write_publish_and_delete_a_post(client_as, staff):
    client = client_as(staff)
    response = _send(client, "POST", "/api/v1/news/", {"title_en": "Kenya puts DATE into operation",
                                                        "body_en": "After the workshop in Nairobi."})  # fmt: skip
    assert response.status_code == 201, response.json()
    post = NewsPost.objects.get()
    assert post.slug == "kenya-puts-date-into-operation" and post.publish_at is None and post.author == staff
    untitled = _send(client, "POST", "/api/v1/news/", {"body_en": "No title."})
    assert untitled.status_code == 400 and "title_en" in untitled.json()
    taken = _send(client, "POST", "/api/v1/news/", {"title_en": "Again", "slug": post.slug})
    assert taken.status_code == 400 and "slug" in taken.json()
    changed = _send(client, "PATCH", f"/api/v1/news/{post.pk}/", {"title_fr": "Le Kenya met DATE en exploitation"})
    assert changed.status_code == 200 and changed.json()["title_fr"].startswith("Le Kenya")
    assert _send(client, "PATCH", f"/api/v1/news/{post.pk}/", {"title_en": "", "title_fr": ""}).status_code == 400
    assert client_as(None).get(f"/api/v1/news/{post.pk}/").status_code == 404  # a draft
    client = client_as(staff)  # the same test client: signed in again
    published = _send(client, "POST", f"/api/v1/news/{post.pk}/publish/")
    assert published.status_code == 200 and published.json()["publish_at"]
    assert client_as(None).get(f"/api/v1/news/{post.pk}/").status_code == 200
    client = client_as(staff)
    again = _send(client, "POST", f"/api/v1/news/{post.pk}/publish/")
    assert again.status_code == 409 and "already published" in again.json()["detail"]
    assert AuditEntry.objects.filter(action="website.news.published").count() == 1
    assert _send(client, "DELETE", f"/api/v1/news/{post.pk}/").status_code == 204
    assert not NewsPost.objects.exists()


def test_staff_schedule_a_draft(client_as, staff):
    draft = NewsPostFactory(publish_at=None)
    later = timezone.now() + dt.timedelta(days=2)
    response = _send(client_as(staff), "POST", f"/api/v1/news/{draft.pk}/publish/", {"publish_at": later.isoformat()})
    assert response.status_code == 200
    draft.refresh_from_db()
    assert abs(draft.publish_at - later) < dt.timedelta(seconds=1)
    assert (
        _send(client_as(staff), "POST", f"/api/v1/news/{draft.pk}/publish/", {"publish_at": "soon"}).status_code == 400
    )


@pytest.mark.parametrize(
    ("method", "tail", "body"),
    [("POST", "", {"title_en": "Mine"}), ("PATCH", "{pk}/", {"title_en": "Mine"}), ("DELETE", "{pk}/", None),
     ("POST", "{pk}/publish/", None)],
)  # fmt: skip
def test_nobody_else_writes_the_news(client_as, contact_point, other_contact_point, applicant, method, tail, body):
    draft = NewsPostFactory(publish_at=None, title_en="Untouched")
    url = "/api/v1/news/" + tail.format(pk=draft.pk)
    assert _send(client_as(None), method, url, body).status_code == 401
    for user in (contact_point, other_contact_point, applicant):
        assert _send(client_as(user), method, url, body).status_code == 404
    draft.refresh_from_db()
    assert (NewsPost.objects.count(), draft.title_en, draft.publish_at) == (1, "Untouched", None)
