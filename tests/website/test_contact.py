"""The contact form: stored and emailed to staff; honeypot, minimum fill time and a rate limit per IP; the
visitor's text is never lost on an error."""

import time

import pytest
from django.core import mail
from django.urls import reverse

from bacuda_portal.website.forms import new_form_token
from bacuda_portal.website.models import ContactMessage

pytestmark = pytest.mark.django_db

URL = "/en/contact/"


def _data(**changes):
    return {
        "name": "Amina Odhiambo",
        "email": "amina@example.org",
        "organisation": "Kenya Revenue Authority",
        "subject": "Workshop in 2027",
        "message": "Could our administration host a regional workshop next year? Ünïcode & <tags> welcome.",
        "website": "",
        "form_token": new_form_token(time.time() - 30),
        **changes,
    }


@pytest.fixture
def mail_now(settings, eager_tasks, django_capture_on_commit_callbacks):
    """Run on-commit callbacks (the email task) at once."""
    return django_capture_on_commit_callbacks


def test_the_form_is_shown_with_a_signed_time_token_and_a_hidden_honeypot(client):
    html = client.get(URL).content.decode()
    assert 'name="form_token"' in html
    assert '<div class="hp-field" aria-hidden="true">' in html
    assert 'name="website"' in html and 'tabindex="-1"' in html


def test_a_valid_message_is_stored_and_emailed_to_staff(client, staff, project_manager, mail_now):
    with mail_now(execute=True):
        response = client.post(URL, _data())
    assert response.status_code == 302
    assert response["Location"] == reverse("website:contact_thanks")
    message = ContactMessage.objects.get()
    assert message.email == "amina@example.org" and message.language == "en"
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sorted(sent.to) == sorted([staff.email, project_manager.email])
    assert "Workshop in 2027" in sent.subject
    assert "amina@example.org" in sent.body
    assert "Ünïcode & <tags> welcome." in sent.body  # plain text, not HTML-escaped


def test_recipients_can_be_set_in_the_settings(client, staff, settings, mail_now):
    settings.BACUDA_CONTACT_EMAILS = ["bacuda@example.org"]
    with mail_now(execute=True):
        client.post(URL, _data())
    assert mail.outbox[0].to == ["bacuda@example.org"]


def test_a_filled_honeypot_looks_like_success_but_nothing_is_stored_or_sent(client, staff, mail_now):
    with mail_now(execute=True):
        response = client.post(URL, _data(website="http://spam.example"))
    assert response.status_code == 302
    assert not ContactMessage.objects.exists()
    assert mail.outbox == []


def test_a_form_sent_too_fast_is_refused_and_the_text_is_kept(client, staff):
    token = new_form_token(time.time())
    response = client.post(URL, _data(form_token=token))
    assert response.status_code == 400
    html = response.content.decode()
    assert "That was very fast" in html
    assert "Could our administration host a regional workshop next year?" in html
    assert 'value="Amina Odhiambo"' in html
    assert f'value="{token}"' in html  # the same token: sending again a moment later works
    assert not ContactMessage.objects.exists()


def test_a_forged_or_expired_token_is_refused_and_a_fresh_one_is_given(client):
    response = client.post(URL, _data(form_token="forged"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "The form has expired" in html
    assert 'value="forged"' not in html
    assert "Could our administration host" in html


def test_invalid_fields_keep_what_was_typed(client):
    response = client.post(URL, _data(email="not-an-address"))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="not-an-address"' in html and "Kenya Revenue Authority" in html
    assert not ContactMessage.objects.exists()


def test_messages_per_ip_are_rate_limited(client, settings, staff):
    settings.BACUDA_CONTACT_RATE_LIMIT = 2
    assert client.post(URL, _data()).status_code == 302
    assert client.post(URL, _data()).status_code == 302
    response = client.post(URL, _data(subject="Third"))
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many messages" in html and 'value="Third"' in html
    assert ContactMessage.objects.count() == 2
    # Another address is not limited.
    assert client.post(URL, _data(), REMOTE_ADDR="127.0.0.9").status_code == 302
    assert ContactMessage.objects.count() == 3


def test_a_forged_forwarded_header_does_not_escape_the_rate_limit(client, settings, staff):
    settings.BACUDA_CONTACT_RATE_LIMIT = 1
    assert client.post(URL, _data(), HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 302
    assert client.post(URL, _data(), HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 429


def test_behind_our_proxy_each_visitor_has_their_own_limit(client, settings, staff):
    settings.BACUDA_TRUSTED_PROXY_COUNT = 1
    settings.BACUDA_CONTACT_RATE_LIMIT = 1
    assert client.post(URL, _data(), HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 302
    # The same visitor, with a made-up address in front of the one the proxy wrote: still limited.
    assert client.post(URL, _data(), HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.1").status_code == 429
    # Another visitor behind the same proxy (same REMOTE_ADDR) is not.
    assert client.post(URL, _data(), HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 302
