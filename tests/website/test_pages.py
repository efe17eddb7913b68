"""Every public page, in English and in French: served, in the right language, with its title."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from tests.elearning.factories import CourseFactory
from tests.scholarships.factories import CallFactory
from tests.workshops.factories import WorkshopFactory
from workshops.elearning.enums import CourseStage

from .factories import NewsPostFactory

pytestmark = pytest.mark.django_db

PAGES = [
    ("website:home", {}, {"en": "Home", "fr": "Accueil"}),
    ("website:about", {}, {"en": "About BACUDA", "fr": None}),
    ("website:news", {}, {"en": "News", "fr": None}),
    ("website:events", {}, {"en": "Workshop calendar", "fr": None}),
    ("website:courses", {}, {"en": "E-learning courses", "fr": None}),
    ("website:contact", {}, {"en": "Contact us", "fr": None}),
    ("website:contact_thanks", {}, {"en": "Thank you", "fr": None}),
]


def _title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip()


def _get(client, name, language, **kwargs):
    with translation.override(language):
        url = reverse(name, kwargs=kwargs or None)
    assert url.startswith(f"/{language}/")
    return client.get(url)


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize(("name", "kwargs", "titles"), PAGES)
def test_each_page_is_served_in_each_language_with_its_title(client, name, kwargs, titles, language):
    response = _get(client, name, language, **kwargs)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    title = _title(response)
    assert title.endswith("BACUDA Portal") or title.endswith("Portail BACUDA")
    if titles[language]:
        assert title.startswith(titles[language])
    assert '<meta name="description" content="' in html
    assert '<meta property="og:title"' in html
    # The switcher links to the same page in the other language.
    other = "fr" if language == "en" else "en"
    with translation.override(other):
        assert f'href="{reverse(name, kwargs=kwargs or None)}"' in html


def test_news_detail_and_event_detail_in_both_languages(client):
    post = NewsPostFactory(title_en="Workshop in Nairobi", title_fr="Atelier à Nairobi")
    workshop = WorkshopFactory(title="Fraud detection with DATE")
    for language, title in (("en", "Workshop in Nairobi"), ("fr", "Atelier à Nairobi")):
        response = _get(client, "website:news_detail", language, slug=post.slug)
        assert response.status_code == 200
        assert _title(response).startswith(title)
        assert f'<html lang="{language}">' in response.content.decode()
        assert '<meta property="og:type" content="article">' in response.content.decode()
        response = _get(client, "website:event_detail", language, pk=workshop.pk)
        assert response.status_code == 200
        assert _title(response).startswith("Fraud detection with DATE")


def _home_figures(client) -> dict[str, int]:
    html = client.get(reverse("website:home")).content.decode()
    return {label.strip(): int(number) for number, label in re.findall(r"<li><strong>(\d+)</strong>([^<]+)</li>", html)}


def test_home_shows_live_key_figures_next_workshops_and_latest_news(client, kenya, senegal):
    from tests.reports.factories import delivered_workshop, participant

    end = timezone.localdate() - dt.timedelta(days=58)
    delivered = delivered_workshop(end, sessions=2, administrations=[kenya, senegal], status="delivered")
    for n in range(3):
        participant(delivered, email=f"official{n}@kra.example", attended=2)
    participant(delivered, email="declined@kra.example", attended=0, status="declined")
    CourseFactory(stage=CourseStage.PUBLISHED, clikc_url="https://clikc.wcoomd.org/course/view.php?id=1")
    WorkshopFactory(title="Next regional workshop")
    WorkshopFactory(title="Private workshop", is_public=False)
    NewsPostFactory(title_en="A fresh post")
    html = client.get(reverse("website:home")).content.decode()
    assert _home_figures(client) == {
        "administrations reached": 2,
        "officials trained": 3,
        "workshop delivered": 1,  # singular for one (issue 20: "1 workshops")
        "e-learning course published": 1,
    }
    assert "Next regional workshop" in html
    assert "Private workshop" not in html
    assert "A fresh post" in html


def test_officials_trained_is_the_same_figure_on_the_home_page_the_dashboard_and_the_donor_report(client, staff, kenya):
    """One definition: distinct people accepted to a delivered workshop who attended the certificate share."""
    from bacuda_portal.reports import indicators
    from tests.reports.factories import delivered_workshop, participant

    first = delivered_workshop(dt.date(2025, 3, 14), sessions=2)
    second = delivered_workshop(dt.date(2025, 9, 19), sessions=2)
    participant(first, email="alice@kra.example", attended=2)
    participant(second, email="Alice@KRA.example", attended=2)  # the same official, twice
    participant(first, email="bob@kra.example", attended=0)  # accepted, never came
    participant(second, email="carol@kra.example", attended=2, status="declined")
    expected = 1
    assert _home_figures(client)["official trained"] == expected
    assert indicators.compute("officials_trained", None, None).value == expected
    client.force_login(staff)
    dashboard = client.get("/api/v1/dashboard/", {"year": 2025}).json()
    assert dashboard["officials_trained_by_year"]["2025"] == expected


def test_events_lists_public_coming_workshops_and_links_the_icalendar_feed(client):
    WorkshopFactory(title="Coming public workshop")
    WorkshopFactory(title="Hidden workshop", is_public=False)
    WorkshopFactory(title="Requested workshop", status="requested")
    html = client.get(reverse("website:events")).content.decode()
    assert "Coming public workshop" in html
    assert "Hidden workshop" not in html and "Requested workshop" not in html
    assert reverse("workshops:public_calendar") in html


def test_private_or_requested_workshop_has_no_public_page(client):
    hidden = WorkshopFactory(is_public=False)
    requested = WorkshopFactory(status="requested")
    for workshop in (hidden, requested):
        assert client.get(reverse("website:event_detail", kwargs={"pk": workshop.pk})).status_code == 404


def test_course_catalogue_shows_published_courses_with_their_clikc_links(client):
    CourseFactory(
        title_en="Machine learning for Customs",
        title_fr="Apprentissage automatique pour la douane",
        stage=CourseStage.PUBLISHED,
        clikc_url="https://clikc.wcoomd.org/course/view.php?id=42",
    )
    CourseFactory(title_en="Course in development", stage=CourseStage.DEVELOPMENT)
    html = client.get(reverse("website:courses")).content.decode()
    assert "Machine learning for Customs" in html
    assert "https://clikc.wcoomd.org/course/view.php?id=42" in html
    assert "Course in development" not in html
    with translation.override("fr"):
        html = client.get(reverse("website:courses")).content.decode()
    assert "Apprentissage automatique pour la douane" in html


def test_home_links_open_scholarship_calls_certificate_verification_and_contact(client):
    CallFactory()
    html = client.get(reverse("website:home")).content.decode()
    assert reverse("scholarships:call_list") in html
    assert reverse("workshops:certificate_lookup") in html
    assert reverse("website:contact") in html


def test_every_page_has_landmarks_and_a_skip_link(client):
    html = client.get(reverse("website:home")).content.decode()
    for landmark in ('<header class="site-header">', "<nav ", '<main id="main"', '<footer class="site-footer">'):
        assert landmark in html
    assert '<a class="skip-link" href="#main">' in html
    assert '<link rel="alternate" hreflang="fr" href="http://127.0.0.1:8000/fr/">' in html
