"""Good manners of a public site: sitemap.xml, robots.txt, a 404 and a 500 page in the site's style."""

import xml.etree.ElementTree as ET

import pytest
from django.template import Context, Template, engines
from django.template.loader import get_template
from django.urls import reverse
from django.views.defaults import server_error

from tests.workshops.factories import WorkshopFactory

from .factories import NewsPostFactory

pytestmark = pytest.mark.django_db
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def test_sitemap_lists_the_public_pages_news_and_public_workshops_in_both_languages(client):
    post = NewsPostFactory(slug="selected-scholars")
    draft = NewsPostFactory(slug="draft-post", publish_at=None)
    workshop = WorkshopFactory()
    hidden = WorkshopFactory(is_public=False)
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    locations = {element.text for element in root.findall("s:url/s:loc", NS)}
    base = "http://127.0.0.1:8000"
    for path in ("/en/", "/fr/", "/en/news/", "/fr/events/", "/en/contact/", "/fr/elearning-courses/"):
        assert base + path in locations
    assert f"{base}/en/news/selected-scholars/" in locations and f"{base}/fr/news/selected-scholars/" in locations
    assert f"{base}/fr/events/{workshop.pk}/" in locations
    assert not any(draft.slug in location for location in locations)
    assert not any(f"/events/{hidden.pk}/" in location for location in locations)
    alternates = root.findall("s:url/x:link", NS)
    assert {link.get("hreflang") for link in alternates} >= {"en", "fr", "x-default"}
    assert post.slug


def test_robots_txt_points_to_the_sitemap_and_keeps_robots_out_of_private_areas(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in text
    assert "Disallow: /admin/" in text and "Disallow: /en/accounts/" in text


@pytest.mark.parametrize("language", ["en", "fr"])
def test_404_page_is_in_the_site_style_and_language(client, language):
    response = client.get(f"/{language}/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert '<main id="main"' in html and 'class="site-header"' in html
    assert reverse("website:home") != "" and "/events/" in html


def test_500_page_renders_without_a_request_or_a_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        html = get_template("500.html").render({})
    assert '<main id="main"' in html and "Something went wrong" in html
    # Exactly what Django's server_error handler does: a plain Context, no request.
    backend = engines["django"]
    template = backend.engine.get_template("500.html")
    assert "Something went wrong" in template.render(Context())
    assert Template("{% load i18n %}ok").render(Context()) == "ok"


def test_djangos_error_handler_answers_with_our_500_page(rf, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = server_error(rf.get("/en/"))
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
