"""The staff pages: who may open them, the log's search, filters, paging and exports, and its query count."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from bacuda_portal.notifications import services
from bacuda_portal.notifications.enums import Kind, Status
from bacuda_portal.notifications.models import Notification, NotificationPreference

PAGES = [
    ("get", "notifications:template_list", []),
    ("get", "notifications:template_edit", ["call_closing"]),
    ("post", "notifications:template_reset", ["call_closing"]),
    ("get", "notifications:log", []),
    ("get", "notifications:preference", []),
]


@pytest.mark.parametrize(("method", "name", "args"), PAGES)
def test_only_staff_open_the_notification_pages(
    client_as, staff, contact_point, other_contact_point, method, name, args
):
    url = reverse(name, args=args)
    anonymous = getattr(client_as(None), method)(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    for outsider in (contact_point, other_contact_point):
        assert getattr(client_as(outsider), method)(url).status_code == 404
    assert getattr(client_as(staff), method)(url).status_code in (200, 302)


def _log(n: int, **fields) -> list[Notification]:
    now = timezone.now()
    return Notification.objects.bulk_create(
        Notification(
            kind=fields.get("kind", Kind.CALL_CLOSING),
            email=fields.get("email", f"person{i}@example.org"),
            language="en",
            subject=f"Subject {i}",
            text="Text",
            status=fields.get("status", Status.SENT),
            about_label=f"Call {i}",
            about_url="http://127.0.0.1:8000/en/scholarships/calls/1/",
            queued_at=now,
        )
        for i in range(n)
    )


def test_the_log_page_query_count_does_not_grow(client_as, staff, django_assert_max_num_queries):
    client = client_as(staff)
    url = reverse("notifications:log")
    _log(3)
    with django_assert_max_num_queries(12) as few:
        assert client.get(url).status_code == 200
    _log(60)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200 and "63 messages" in response.content.decode()


def test_the_log_is_searched_and_filtered(client_as, staff):
    _log(2)
    _log(1, email="awa.diop@example.org", kind=Kind.OFFER_REPLY_DUE, status=Status.FAILED)
    client = client_as(staff)
    url = reverse("notifications:log")
    found = client.get(url, {"q": "awa.diop"}).content.decode()
    assert "awa.diop@example.org" in found and "person0@example.org" not in found
    failed = client.get(url, {"status": "failed"}).content.decode()
    assert "1 message" in failed and "awa.diop@example.org" in failed
    assert "3 messages" in client.get(url, {"date_from": timezone.localdate().isoformat()}).content.decode()
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    assert "0 messages" in client.get(url, {"date_from": tomorrow}).content.decode()
    wrong = client.get(url, {"date_from": tomorrow, "date_to": timezone.localdate().isoformat()}).content.decode()
    assert "The end date is before the start date." in wrong


def test_the_log_exports_csv_and_excel_with_the_filters(client_as, staff):
    _log(2)
    _log(1, email="awa.diop@example.org", kind=Kind.OFFER_REPLY_DUE)
    client = client_as(staff)
    url = reverse("notifications:log")
    response = client.get(url, {"kind": Kind.OFFER_REPLY_DUE, "format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "awa.diop@example.org" in text and "person0@example.org" not in text and "Recipient" in text
    workbook = client.get(url, {"format": "xlsx"})
    content = b"".join(workbook.streaming_content) if workbook.streaming else workbook.content
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.max_row == 4  # header and three messages


def test_staff_choose_the_daily_digest(client_as, staff):
    url = reverse("notifications:preference")
    client = client_as(staff)
    assert client.post(url, {"delivery": "sometimes"}).status_code == 400
    assert client.post(url, {"delivery": "digest"}).status_code == 302
    assert NotificationPreference.objects.get(user=staff).delivery == "digest"
    assert services.delivery_of(staff) == "digest"
    page = client.get(url).content.decode()
    digest_input = next(tag for tag in page.split("<input")[1:] if 'value="digest"' in tag)
    assert "checked" in digest_input.split(">")[0]


def test_the_staff_menu_and_the_account_menu_link_the_pages(client_as, staff, contact_point):
    home = client_as(staff).get(reverse("home")).content.decode()
    for name in ("notifications:template_list", "notifications:log", "notifications:preference"):
        assert reverse(name) in home
    assert reverse("notifications:preference") not in client_as(contact_point).get(reverse("home")).content.decode()
