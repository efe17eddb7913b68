"""Public pages are cached for anonymous visitors, per language, and go stale at once when content changes."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from bacuda_portal.website import services
from bacuda_portal.website.models import NewsPost
from tests.elearning.factories import CourseFactory
from tests.workshops.factories import WorkshopFactory
from workshops.elearning.enums import CourseStage

from .factories import NewsPostFactory

pytestmark = pytest.mark.django_db


def test_second_anonymous_visit_is_served_from_the_cache_without_queries(client, django_assert_num_queries):
    first = client.get("/en/")
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get("/en/")
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Security-Policy"]  # the headers are added to cached pages too


def test_each_language_has_its_own_cached_page(client):
    english = client.get("/en/").content.decode()
    french = client.get("/fr/").content.decode()
    assert '<html lang="en">' in english and '<html lang="fr">' in french
    assert '<html lang="fr">' in client.get("/fr/").content.decode()


def test_publishing_a_post_makes_the_cached_pages_stale(client, staff):
    client.get("/en/")
    client.get("/en/news/")
    draft = NewsPostFactory(title_en="Scholars selected", publish_at=None)
    assert "Scholars selected" not in client.get("/en/news/").content.decode()
    draft.publish_at = timezone.now() - dt.timedelta(minutes=1)
    services.news_post_save(post=draft, by=staff, image_changed=False)
    news = client.get("/en/news/")
    assert news["X-Page-Cache"] == "miss"
    assert "Scholars selected" in news.content.decode()
    assert "Scholars selected" in client.get("/en/").content.decode()


def test_a_new_workshop_or_published_course_makes_the_pages_stale(client):
    client.get("/en/events/")
    client.get("/en/elearning-courses/")
    WorkshopFactory(title="Freshly planned workshop")
    assert "Freshly planned workshop" in client.get("/en/events/").content.decode()
    CourseFactory(title_en="Fresh course", stage=CourseStage.PUBLISHED, clikc_url="https://clikc.wcoomd.org/c/1")
    assert "Fresh course" in client.get("/en/elearning-courses/").content.decode()


def test_deleting_a_post_makes_the_pages_stale(client):
    post = NewsPostFactory(title_en="Soon deleted")
    assert "Soon deleted" in client.get("/en/news/").content.decode()
    NewsPost.objects.filter(pk=post.pk).get().delete()
    assert "Soon deleted" not in client.get("/en/news/").content.decode()


def test_signed_in_users_are_never_served_a_cached_page(client, staff):
    client.get("/en/")  # an anonymous visit fills the cache
    client.force_login(staff)
    response = client.get("/en/")
    assert "X-Page-Cache" not in response
    assert "Sign out" in response.content.decode()


def test_a_page_that_sets_a_cookie_is_not_cached(client):
    # The contact page carries a CSRF token (a cookie): it is never cached.
    client.get(reverse("website:contact"))
    response = client.get(reverse("website:contact"))
    assert "X-Page-Cache" not in response


@pytest.mark.parametrize("url", ["/en/", "/fr/", "/en/news/", "/en/events/", "/en/elearning-courses/", "/en/about/"])
def test_public_pages_query_count_does_not_grow_with_rows(client, url, django_assert_max_num_queries):
    for day in range(15):
        NewsPostFactory(publish_at=timezone.now() - dt.timedelta(days=day + 1))
        WorkshopFactory()
    CourseFactory.create_batch(3, stage=CourseStage.PUBLISHED, clikc_url="https://clikc.wcoomd.org/c/2")
    with translation.override("en"), django_assert_max_num_queries(8):
        assert client.get(url).status_code == 200


def test_event_page_query_count(client, django_assert_max_num_queries):
    workshop = WorkshopFactory()
    with django_assert_max_num_queries(4):
        assert client.get(reverse("website:event_detail", kwargs={"pk": workshop.pk})).status_code == 200


def test_a_cache_time_of_zero_turns_the_cache_off(client, settings, django_assert_max_num_queries):
    settings.BACUDA_PUBLIC_CACHE_SECONDS = 0
    client.get("/en/")
    response = client.get("/en/")
    assert "X-Page-Cache" not in response
    NewsPostFactory(title_en="Seen at once")
    assert "Seen at once" in client.get("/en/").content.decode()


def test_made_up_query_strings_are_not_cached_but_paging_is(client):
    client.get("/en/news/?utm_source=x")
    assert "X-Page-Cache" not in client.get("/en/news/?utm_source=x")
    client.get("/en/news/?page=1")
    assert client.get("/en/news/?page=1")["X-Page-Cache"] == "hit"
