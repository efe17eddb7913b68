"""A person's account can be erased: they ask from "My data", staff carry it out from the data-protection
register (the project manager for a staff account, nobody their own), and everything held on them goes in one
request: account (deactivated, pseudonymised, tokens, addresses and two-factor devices deleted, sessions over),
nominations, expert profile and CV, unsettled travel receipts, contact messages, scholarship applications, the
audit log's names. What a legal obligation keeps (paid travel), and the administration's datasets, stay."""

import datetime as dt

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from bacuda_portal.core import privacy, privacy_services
from bacuda_portal.core.models import AuditEntry, ErasureRequest
from bacuda_portal.members.models import User
from bacuda_portal.website.models import ContactMessage
from tests.factories import UserFactory
from tests.privacy_world import EMAIL, NAME, build_world
from workshops.experts.models import Expert
from workshops.missions.models import ClaimLine, TravelRequest
from workshops.models import Nomination

PASSWORD = "correct-horse-battery"


@pytest.fixture
def world(kenya, contact_point):
    return build_world(kenya, uploader=contact_point)


def _sign_in(client, email):
    return client.post(reverse("account_login"), {"login": email, "password": PASSWORD})


def test_a_person_asks_and_staff_erase_everything_held_on_them(
    client, world, staff, contact_point, django_capture_on_commit_callbacks, eager_tasks, mailoutbox
):
    person = world.person
    token = Token.objects.create(user=person)
    assert _sign_in(client, EMAIL).status_code == 302
    TOTP.activate(person, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    assert client.get(reverse("privacy:my_data")).status_code == 200
    # Asking needs the confirmation; what was typed is kept.
    refused = client.post(reverse("privacy:erasure_request"), {"note": "I changed jobs."})
    assert refused.status_code == 400 and "I changed jobs." in refused.content.decode()
    assert "Tick the box" in refused.content.decode()
    client.post(reverse("privacy:erasure_request"), {"note": "I changed jobs.", "confirm": "on"})
    request = ErasureRequest.objects.get(user=person)
    assert request.covers_everything and request.status == "pending"
    person_session = client.session.session_key

    staff_client = client.__class__()
    staff_client.force_login(staff)
    register = staff_client.get(reverse("privacy:register")).content.decode()
    assert EMAIL in register and "I changed jobs." in register and "Everything, the account included" in register
    storage = world.expert.cv.storage
    files = [world.expert.cv.name, world.certificate.file.name, world.application.cv.name, world.report.file.name]
    draft_receipt = ClaimLine.objects.get(claim__mission=world.draft_mission).receipt.name
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("privacy:erasure_carry_out", args=[request.pk]), follow=True)
    assert "records erased" in response.content.decode()
    # They are told, at the address they had, and the message names no one.
    [message] = mailoutbox
    assert message.to == [EMAIL] and "carried out" in message.body and "account is closed" in message.body
    assert "legal period" in message.body and NAME not in message.body

    request.refresh_from_db()
    assert request.status == "done" and request.handled_by == staff and request.note == ""
    assert request.outcome["held"] == {"missions.travel": 1}  # the approved mission: a financial record
    # The account: pseudonymised, inactive, no password, tokens, addresses or two-factor devices.
    person.refresh_from_db()
    assert privacy.is_erased_email(person.email) and privacy.is_pseudonym(person.full_name)
    assert not person.is_active and not person.has_usable_password()
    assert not Token.objects.filter(user=person).exists()
    assert not EmailAddress.objects.filter(user=person).exists()
    assert not Authenticator.objects.filter(user=person).exists()
    # Cannot sign in any more, the old session no longer works, the token is refused.
    client.cookies["sessionid"] = person_session
    assert client.get(reverse("privacy:my_data")).status_code == 302
    fresh = client.__class__()
    for login in (EMAIL, person.email):
        assert _sign_in(fresh, login).status_code == 200  # the form again, with an error
        assert "_auth_user_id" not in fresh.session
    assert fresh.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token.key}").status_code == 401
    # Everything found through the account or the addresses.
    nominations = Nomination.objects.filter(pk__in=[n.pk for n in world.nominations])
    assert all(privacy.is_erased_email(n.email) and privacy.is_pseudonym(n.full_name) for n in nominations)
    assert Nomination.objects.get(pk=world.other_nomination.pk).full_name == "Otieno Odhiambo"
    expert = Expert.objects.get(pk=world.expert.pk)
    assert privacy.is_pseudonym(expert.full_name) and expert.user is None
    assert list(ContactMessage.objects.values_list("name", flat=True)) == ["Someone Else"]
    world.application.refresh_from_db()
    assert world.application.anonymised_at is not None and world.application.applicant is None
    assert not any(storage.exists(name) for name in files)
    # Travel: the draft claim's receipt goes; the approved mission is a financial record, kept until its period.
    assert not storage.exists(draft_receipt)
    assert storage.exists(world.claim_line.receipt.name)
    assert TravelRequest.objects.get(mission=world.mission).itinerary != ""
    # The dataset is the administration's: it stays, uploaded by its contact point.
    world.dataset.refresh_from_db()
    assert world.dataset.file and world.dataset.uploaded_by == contact_point
    # The audit log: events kept, the person's name and address gone; their own actions point at the pseudonym.
    assert not AuditEntry.objects.filter(target_repr__icontains=NAME).exists()
    assert not AuditEntry.objects.filter(data__icontains=EMAIL).exists()
    assert AuditEntry.objects.filter(action="workshops.nomination.accepted").exists()
    assert AuditEntry.objects.get(action="privacy.erasure.requested").actor == person
    done = AuditEntry.objects.get(action="privacy.erasure.done")
    assert done.actor == staff and NAME not in str(done.data) and EMAIL not in str(done.data)


def test_an_erased_accounts_token_is_refused(client, world, staff):
    token = Token.objects.create(user=world.person)
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token.key}").status_code == 200
    request = privacy_services.erasure_request(user=world.person)
    privacy_services.erasure_carry_out(request=request, by=staff)
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token.key}").status_code == 401


def test_a_deactivated_users_session_stops_working(client, applicant):
    """What erasure relies on besides the changed password: the backend refuses inactive users' sessions."""
    client.force_login(applicant)
    assert client.get(reverse("privacy:my_data")).status_code == 200
    User.objects.filter(pk=applicant.pk).update(is_active=False)
    assert client.get(reverse("privacy:my_data")).status_code == 302


@pytest.mark.parametrize(
    ("subject", "actor", "allowed"),
    [
        ("applicant", "staff", True),
        ("contact_point", "staff", True),
        ("expert", "project_manager", True),
        ("staff", "staff", False),  # nobody their own
        ("staff", "project_manager", True),  # a staff account: the project manager only
        ("project_manager", "staff", False),
        ("applicant", "contact_point", False),
        ("applicant", "other_contact_point", False),
        ("applicant", "expert", False),
        ("applicant", "anonymous", False),
    ],
)
def test_who_may_carry_out_whose_erasure(client_as, cast, subject, actor, allowed):
    request = privacy_services.erasure_request(user=cast[subject])
    response = client_as(cast[actor]).post(reverse("privacy:erasure_carry_out", args=[request.pk]))
    request.refresh_from_db()
    assert (request.status == "done") == allowed
    if not allowed:
        assert response.status_code in (302, 404)
        if actor == "anonymous":
            assert "/accounts/login/" in response["Location"]
        else:
            assert response.status_code == 404


def test_another_project_manager_erases_a_project_managers_account(project_manager):
    other_manager = UserFactory(role="project_manager", email="pm2@example.org")
    request = privacy_services.erasure_request(user=project_manager)
    with pytest.raises(Exception, match="Someone else"):
        privacy_services.erasure_carry_out(request=request, by=project_manager)
    privacy_services.erasure_carry_out(request=request, by=other_manager)
    project_manager.refresh_from_db()
    assert not project_manager.is_active


def test_a_second_request_is_refused_and_a_scoped_one_widens(applicant):
    scoped = privacy_services.erasure_request(user=applicant, categories=["scholarships.applications"])
    widened = privacy_services.erasure_request(user=applicant, note="Everything, please.")
    assert widened.pk == scoped.pk and widened.covers_everything
    with pytest.raises(Exception, match="already asked"):
        privacy_services.erasure_request(user=applicant)


def test_the_register_page_is_for_staff_only(client_as, cast):
    for role, expected in [("staff", 200), ("project_manager", 200), ("contact_point", 404), ("applicant", 404)]:
        assert client_as(cast[role]).get(reverse("privacy:register")).status_code == expected
    assert client_as(None).get(reverse("privacy:register")).status_code == 302


@pytest.mark.parametrize("language", ["en", "fr"])
def test_my_data_and_the_register_render_in_both_languages(client_as, applicant, staff, language):
    privacy_services.erasure_request(user=applicant)
    mine = client_as(applicant).get(f"/{language}/account/my-data/")
    assert mine.status_code == 200 and f'lang="{language}"' in mine.content.decode()
    register = client_as(staff).get(f"/{language}/staff/data-protection/")
    assert register.status_code == 200 and applicant.email in register.content.decode()


def test_dormant_accounts_are_erased_by_the_daily_run(applicant, staff):
    User.objects.filter(pk=applicant.pk).update(last_login=timezone.now() - dt.timedelta(days=3 * 365 + 5))
    counts = privacy_services.retention_run(now=timezone.now())
    assert counts["members.accounts"] == 1
    applicant.refresh_from_db()
    staff.refresh_from_db()
    assert not applicant.is_active and privacy.is_erased_email(applicant.email)
    assert staff.is_active
