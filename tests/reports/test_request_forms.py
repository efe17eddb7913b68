"""The report archive page: its request forms (the workshop select offers the latest workshops and a search finds
the others) and its list, with bounded queries."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from bacuda_portal.reports.models import Report
from bacuda_portal.reports.services import parameters_key

from .factories import delivered_workshop

pytestmark = pytest.mark.django_db

URL = reverse("reports:report_list")


def workshop_options(response) -> list[int]:
    return [choice[0] for choice in response.context["workshop_form"]["workshop"].field.widget.choices if choice[0]]


@pytest.fixture
def delivered(kenya):
    """Seventeen workshops delivered over the last weeks (newest first), one delivered three years ago."""
    today = timezone.localdate()
    recent = [
        delivered_workshop(today - dt.timedelta(days=n), sessions=0, title=f"Risk workshop {n:02d}") for n in range(17)
    ]
    old = delivered_workshop(today - dt.timedelta(days=3 * 365), sessions=0, title="Ancient workshop")
    return {"recent": recent, "old": old}


def test_the_workshop_select_offers_the_latest_and_a_search_finds_the_others(client, staff, delivered):
    client.force_login(staff)
    recent = delivered["recent"]
    response = client.get(URL)
    assert workshop_options(response) == [workshop.pk for workshop in recent[:15]]
    assert "The latest delivered workshops." in response.content.decode()
    response = client.get(URL, {"workshop_q": "workshop 16"})
    assert workshop_options(response) == [recent[16].pk]
    assert "Workshops matching “workshop 16”." in response.content.decode()
    response = client.get(URL, {"workshop_q": "Ancient"})  # older than two years: not reportable here
    assert workshop_options(response) == [] and "No workshop matches “Ancient”." in response.content.decode()


def test_a_workshop_outside_the_short_list_can_be_requested(client, staff, delivered):
    client.force_login(staff)
    url = reverse("reports:report_request", args=["workshop"])
    response = client.post(url, {"workshop-workshop": delivered["recent"][16].pk, "workshop-language": "en"})
    report = Report.objects.get()
    assert response.status_code == 302 and report.parameters == {"workshop": delivered["recent"][16].pk}
    response = client.post(url, {"workshop-workshop": delivered["old"].pk, "workshop-language": "en"})
    assert response.status_code == 400 and Report.objects.count() == 1
    # A form sent back with an error keeps the workshop chosen, even one the short list does not show.
    response = client.post(url, {"workshop-workshop": delivered["recent"][16].pk, "workshop-language": "xx"})
    assert response.status_code == 400 and workshop_options(response)[-1] == delivered["recent"][16].pk
    assert f'<option value="{delivered["recent"][16].pk}" selected>' in response.content.decode()


def test_the_archive_query_count_does_not_grow(client, staff, kenya, django_assert_max_num_queries):
    def add_reports(years):
        for year in years:
            Report.objects.create(
                kind="progress",
                period_start=dt.date(year, 1, 1),
                period_end=dt.date(year, 12, 31),
                language="en",
                parameters_key=parameters_key({}),
                status="ready",
                requested_by=staff,
            )

    client.force_login(staff)
    add_reports(range(2000, 2002))
    with django_assert_max_num_queries(20) as few:
        assert client.get(URL).status_code == 200
    add_reports(range(2002, 2030))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL)
    assert len(response.context["page"]) == 25
    assert "Project progress report" in response.content.decode()
