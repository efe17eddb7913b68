"""The participant's own page, by personal link (issue 16, part 2): the link emailed on acceptance, the page and
its calendar, expired, revoked and unknown links, the "lost your link?" form, and staff's send and revoke."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from bacuda_portal.core.models import AuditEntry
from workshops import services
from workshops.models import ParticipantLink, hash_participant_token

from .factories import NominationFactory, SessionFactory, WorkshopFactory

LINK = re.compile(r"https?://[^\s\"<]+/(en|fr)/participant/([A-Za-z0-9_-]{20,})/")


def tokens_in(message) -> list[str]:
    return [match.group(2) for match in LINK.finditer(message.body)]


def page_url(token: str, language: str = "en") -> str:
    return f"/{language}/participant/{token}/"


@pytest.fixture
def accepted(client_as, staff, workshop, eager_tasks, mailoutbox, django_capture_on_commit_callbacks):
    """Achieng, accepted by staff through the page; returns (nomination, the token emailed to her)."""
    SessionFactory(workshop=workshop, topic="Risk profiling with gradient boosting")
    nomination = NominationFactory(workshop=workshop, full_name="Achieng Otieno", email="achieng@kra.example")
    with django_capture_on_commit_callbacks(execute=True):
        client_as(staff).post(reverse("workshops:nomination_decide", args=[nomination.pk, "accept"]))
    nomination.refresh_from_db()
    # the participant's email (the contact points' notification of the decision goes to them)
    (message,) = [mail for mail in mailoutbox if mail.to == ["achieng@kra.example"]]
    (token,) = tokens_in(message)
    mailoutbox.clear()
    return nomination, token


def test_acceptance_emails_a_personal_link_that_opens_the_page_without_an_account(client, accepted, workshop):
    nomination, token = accepted
    link = ParticipantLink.objects.get(nomination=nomination)
    assert link.token_hash == hash_participant_token(token) and token not in link.token_hash  # only the hash
    # Until the end of the 180th day after the workshop, in the portal's time zone.
    assert timezone.localtime(link.expires_at) == timezone.make_aware(
        dt.datetime.combine(workshop.end_date + dt.timedelta(days=services.PARTICIPANT_LINK_DAYS + 1), dt.time.min)
    )
    response = client.get(page_url(token))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Achieng Otieno" in content and workshop.title in content
    assert "Kenya School of Revenue Administration" in content  # practical information
    assert "Risk profiling with gradient boosting" in content  # the agenda
    assert reverse("participant:calendar", args=[token]) in content
    assert "Certificates are issued after the workshop" in content
    assert "Questionnaires" not in content  # none exist yet: no section


def test_the_acceptance_email_is_in_the_participants_language(
    client_as, staff, workshop, eager_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    nomination = NominationFactory(workshop=workshop, language="fr", email="awa@douanes.example")
    with django_capture_on_commit_callbacks(execute=True):
        client_as(staff).post(reverse("workshops:nomination_decide", args=[nomination.pk, "accept"]))
    (message,) = [mail for mail in mailoutbox if mail.to == ["awa@douanes.example"]]
    assert message.to == ["awa@douanes.example"]
    assert "/fr/participant/" in message.body and "/en/participant/" not in message.body


def test_the_calendar_of_the_participant_page(client, accepted, workshop):
    _nomination, token = accepted
    response = client.get(reverse("participant:calendar", args=[token]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert b"BEGIN:VCALENDAR" in body and b"Risk profiling with gradient boosting" in body


def test_an_unknown_link_is_not_found_and_points_to_the_lost_link_form(client, db):
    response = client.get(page_url("no-such-token-at-all-0123456789"))
    assert response.status_code == 404
    content = response.content.decode()
    assert "This link does not work" in content and reverse("participant:link_request") in content


def test_an_expired_link_says_so(client, accepted):
    nomination, token = accepted
    ParticipantLink.objects.filter(nomination=nomination).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    for url in (page_url(token), reverse("participant:calendar", args=[token])):
        response = client.get(url)
        assert response.status_code == 410
        assert "This link has expired" in response.content.decode()


def test_a_declined_participants_link_no_longer_works(client, accepted, staff):
    nomination, token = accepted
    services.nomination_decline(nomination=nomination, by=staff)
    response = client.get(page_url(token))
    assert response.status_code == 410 and "This link has been revoked" in response.content.decode()


# --- Staff: send a new link, revoke ---------------------------------------------------------------------------
def test_staff_see_the_link_was_sent_and_revoke_it(client_as, staff, accepted, workshop, client):
    nomination, token = accepted
    page = client_as(staff).get(workshop.get_absolute_url()).content.decode()
    assert "Personal link" in page and "Sent " in page
    assert reverse("workshops:participant_links_revoke", args=[nomination.pk]) in page
    response = client_as(staff).post(reverse("workshops:participant_links_revoke", args=[nomination.pk]), follow=True)
    assert "personal links no longer work" in response.content.decode()
    assert AuditEntry.objects.filter(action="workshops.participant_link.revoked", target_id=str(nomination.pk)).exists()
    client.logout()
    gone = client.get(page_url(token))
    assert gone.status_code == 410 and "This link has been revoked" in gone.content.decode()
    assert "Revoked" in client_as(staff).get(workshop.get_absolute_url()).content.decode()


def test_staff_send_a_new_link_and_the_old_one_keeps_working(
    client_as, staff, accepted, mailoutbox, django_capture_on_commit_callbacks, client
):
    nomination, old_token = accepted
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(staff).post(reverse("workshops:participant_link_send", args=[nomination.pk]), follow=True)
    assert "A new personal link was emailed to achieng@kra.example." in response.content.decode()
    (message,) = mailoutbox
    assert message.to == ["achieng@kra.example"] and "Your page for the workshop" in message.subject
    (new_token,) = tokens_in(message)
    assert new_token != old_token
    client.logout()
    assert client.get(page_url(new_token)).status_code == 200
    assert client.get(page_url(old_token)).status_code == 200
    assert AuditEntry.objects.filter(action="workshops.participant_link.sent", target_id=str(nomination.pk)).exists()


def test_staff_can_send_a_link_again_after_revoking(
    client_as, staff, accepted, mailoutbox, client, django_capture_on_commit_callbacks
):
    nomination, token = accepted
    services.participant_links_revoke(nomination=nomination, by=staff)
    with django_capture_on_commit_callbacks(execute=True):
        client_as(staff).post(reverse("workshops:participant_link_send", args=[nomination.pk]))
    (new_token,) = tokens_in(mailoutbox[0])
    client.logout()
    assert client.get(page_url(new_token)).status_code == 200
    assert client.get(page_url(token)).status_code == 410  # the revoked one stays revoked


def test_a_nomination_not_accepted_gets_no_link(client_as, staff, workshop, mailoutbox):
    nomination = NominationFactory(workshop=workshop)
    response = client_as(staff).post(reverse("workshops:participant_link_send", args=[nomination.pk]), follow=True)
    assert "Only an accepted participant has a personal page." in response.content.decode()
    assert not ParticipantLink.objects.exists() and not mailoutbox


@pytest.mark.parametrize("url_name", ["workshops:participant_link_send", "workshops:participant_links_revoke"])
@pytest.mark.parametrize(
    ("role", "expected"),
    [("staff", 302), ("contact_point", 404), ("other_contact_point", 404), ("anonymous", "login")],
)
def test_only_staff_send_or_revoke_links(client_as, cast, accepted, url_name, role, expected):
    nomination, _token = accepted
    before = list(ParticipantLink.objects.values_list("pk", "revoked_at"))
    response = client_as(cast[role]).post(reverse(url_name, args=[nomination.pk]))
    if expected == "login":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == expected
    changed = list(ParticipantLink.objects.values_list("pk", "revoked_at")) != before
    assert changed is (role == "staff")


def test_a_contact_point_does_not_see_the_link_column(client_as, contact_point, accepted, workshop):
    page = client_as(contact_point).get(workshop.get_absolute_url()).content.decode()
    assert "Achieng Otieno" in page and "Personal link" not in page


# --- Lost your link? ------------------------------------------------------------------------------------------
def _ask(client, email):
    return client.post(reverse("participant:link_request"), {"email": email})


def _neutral(response, email):
    """The page with the address typed and the CSRF token (new on every page) taken out."""
    content = response.content.decode().replace(email, "EMAIL")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", content)


def test_a_lost_link_is_sent_again_and_the_answer_is_the_same_for_any_address(
    client, accepted, mailoutbox, django_capture_on_commit_callbacks
):
    nomination, old_token = accepted
    assert client.get(reverse("participant:link_request")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        known = _ask(client, "ACHIENG@kra.example")
    (message,) = mailoutbox
    assert message.to == ["achieng@kra.example"]
    (token,) = tokens_in(message)
    assert token != old_token and client.get(page_url(token)).status_code == 200
    assert nomination.workshop.title in message.body
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        unknown = _ask(client, "nobody@kra.example")
    assert not mailoutbox
    assert known.status_code == unknown.status_code == 200
    assert _neutral(known, "achieng@kra.example") == _neutral(unknown, "nobody@kra.example")
    assert "Check your email" in known.content.decode()


def test_a_lost_link_is_not_sent_for_revoked_declined_or_closed_pages(
    client, staff, workshop, accepted, mailoutbox, django_capture_on_commit_callbacks
):
    nomination, _token = accepted
    services.participant_links_revoke(nomination=nomination, by=staff)
    nominated = NominationFactory(workshop=workshop, email="waiting@kra.example")
    old = NominationFactory(
        workshop__start_date=timezone.localdate() - dt.timedelta(days=400), email="old@kra.example", status="accepted"
    )
    assert old.workshop.end_date < timezone.localdate() - dt.timedelta(days=services.PARTICIPANT_LINK_DAYS)
    with django_capture_on_commit_callbacks(execute=True):
        for email in ("achieng@kra.example", nominated.email, old.email):
            assert _ask(client, email).status_code == 200
    assert not mailoutbox
    assert ParticipantLink.objects.filter(revoked_at__isnull=True).count() == 0


def test_the_lost_link_form_refuses_a_bad_address_and_keeps_it(client, db):
    response = _ask(client, "not-an-address")
    assert response.status_code == 400
    content = response.content.decode()
    assert 'value="not-an-address"' in content and "Enter a valid email address." in content


def test_the_lost_link_form_is_rate_limited(client, accepted, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        answers = [_ask(client, f"person{n}@kra.example").status_code for n in range(6)]
    assert answers == [200] * 5 + [429]
    assert "Too many requests" in _ask(client, "achieng@kra.example").content.decode()
    assert not mailoutbox


def test_the_lost_link_form_limits_each_address(client, accepted, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        answers = [_ask(client, "achieng@kra.example").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    assert len(mailoutbox) == 3


def test_working_languages_are_named_in_the_readers_language(db):
    workshop = WorkshopFactory.build(languages=["en", "fr"])
    assert workshop.language_names == "English, French"
    with translation.override("fr"):
        assert workshop.language_names == "Anglais, Français"
