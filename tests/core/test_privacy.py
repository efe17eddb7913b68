"""The data-protection register: every kind of personal data is declared with a retention period from the
settings; the daily beat task erases what has outlived it (pseudonymised rows, deleted files, statistics kept,
names scrubbed from the audit log, one audit record per category with counts only); the staff register and the
public privacy notice show it; each person downloads everything held on them."""

import dataclasses
import datetime as dt
import io
import json
import zipfile

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from bacuda_portal.core import privacy, privacy_services
from bacuda_portal.core import tasks as core_tasks
from bacuda_portal.core.models import AuditEntry, PersonalDataExport
from bacuda_portal.core.services import audit_pseudonymise, audit_record
from bacuda_portal.reports import indicators
from bacuda_portal.website.models import ContactMessage
from tests.privacy_world import EMAIL, NAME, build_world, end_contact_point
from workshops.experts.models import Expert
from workshops.missions.models import ClaimLine, TravelRequest
from workshops.models import Certificate, Nomination

CATEGORIES = {
    "algorithms.datasets",
    "algorithms.hs_feedback",
    "core.data_exports",
    "experts.profiles",
    "evaluations.named_answers",
    "mailings.recipients",
    "members.accounts",
    "members.contact_points",
    "members.invitations",
    "missions.travel",
    "notifications.log",
    "reports.named_reports",
    "scholarships.applications",
    "website.contact_messages",
    "workshops.certificates",
    "workshops.participants",
}


@pytest.fixture
def world(kenya, contact_point):
    return build_world(kenya, uploader=contact_point)


def _in(years=0, days=0):
    return timezone.now() + dt.timedelta(days=365 * years + years // 4 + 1 + days)


def test_every_kind_of_personal_data_is_registered_with_a_period_from_the_settings():
    assert {category.key for category in privacy.categories()} == CATEGORIES
    with override_settings(BACUDA_RETENTION_CONTACT_MESSAGE_MONTHS=18):
        assert "18 months" in privacy.get("website.contact_messages").retention()
    # Erasure order: what is found through the account before the account itself.
    assert privacy.categories()[-1].key == "members.accounts"


def test_the_beat_schedule_runs_retention_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["core.apply_retention"]
    assert entry["task"] == "core.apply_retention"
    assert "scholarships.apply_retention" not in settings.CELERY_BEAT_SCHEDULE  # one run covers every category


def test_a_retention_period_must_be_a_whole_number_of_at_least_one(monkeypatch):
    from bacuda_portal.settings.base import _retention_period

    for bad in ("0", "-3", "twelve", "1.5", ""):
        monkeypatch.setenv("BACUDA_RETENTION_TEST", bad)
        with pytest.raises(ImproperlyConfigured, match="BACUDA_RETENTION_TEST"):
            _retention_period("BACUDA_RETENTION_TEST", 12)
    monkeypatch.setenv("BACUDA_RETENTION_TEST", " 24 ")
    assert _retention_period("BACUDA_RETENTION_TEST", 12) == 24


# --- Retention through the beat task --------------------------------------------------------------------------
def test_nothing_is_erased_before_its_period(world):
    assert privacy_services.retention_run(now=timezone.now()) == dict.fromkeys(CATEGORIES, 0)
    core_tasks.apply_retention()
    assert not AuditEntry.objects.filter(action="privacy.retention.applied").exists()


@pytest.mark.parametrize(
    ("key", "before", "after"),
    [
        ("website.contact_messages", _in(days=330), _in(days=400)),
        ("workshops.participants", _in(years=5, days=-60), _in(years=5, days=10)),  # last workshop ended 36 days ago
        ("workshops.certificates", _in(years=10, days=-60), _in(years=10, days=10)),
        ("experts.profiles", _in(years=5, days=-30), _in(years=5, days=5)),
        ("missions.travel", _in(years=7, days=-30), _in(years=7, days=5)),  # missions ended 10 days ago
        ("algorithms.datasets", _in(days=3 * 365 - 30), _in(days=3 * 365 + 5)),
        ("members.invitations", _in(days=80), _in(days=100)),  # expires in a week, then 90 days
        ("core.data_exports", _in(days=5), _in(days=8)),
        ("reports.named_reports", _in(years=5, days=-30), _in(years=5, days=5)),
        ("evaluations.named_answers", _in(years=5, days=-60), _in(years=5, days=10)),  # workshop ended 36 days ago
        ("notifications.log", _in(days=330), _in(days=400)),
    ],
)
def test_each_category_falls_due_when_its_period_ends(world, key, before, after):
    category = privacy.get(key)
    assert not category.due(before).exists()
    assert category.due(after).exists()


def test_dormant_accounts_fall_due_but_never_staff(world, staff, project_manager):
    due = set(privacy.get("members.accounts").due(_in(years=3, days=5)).values_list("email", flat=True))
    assert EMAIL in due and staff.email not in due and project_manager.email not in due
    assert not privacy.get("members.accounts").due(_in(years=2, days=300)).exists()


def test_ended_contact_points_lose_their_details_after_two_years(world, contact_point):
    end_contact_point(contact_point, ended_on=timezone.localdate())
    category = privacy.get("members.contact_points")
    assert not category.due(_in(years=1, days=300)).exists()
    privacy_services.retention_run(now=_in(years=2, days=5))
    contact_point.contact_point.refresh_from_db()
    assert (contact_point.contact_point.position, contact_point.contact_point.phone) == ("", "")


def test_scholarship_applications_follow_their_call_then_the_scholars_period(world):
    call = world.application.call
    category = privacy.get("scholarships.applications")
    assert not category.due(call.closes_at + dt.timedelta(days=call.retention_days - 1)).exists()
    assert category.due(call.closes_at + dt.timedelta(days=call.retention_days + 1)).exists()


def test_the_beat_task_erases_everything_due_once_and_keeps_the_statistics(
    world, django_capture_on_commit_callbacks, contact_point
):
    end_contact_point(contact_point, ended_on=timezone.localdate())
    files = {
        "certificate": world.certificate.file.name,
        "cv": world.expert.cv.name,
        "receipt": world.claim_line.receipt.name,
        "dataset": world.dataset.file.name,
        "artifact": world.artifact.file.name,
        "application": world.application.cv.name,
        "export": world.export.file.name,
        "report": world.report.file.name,
    }
    storage = world.expert.cv.storage
    assert all(storage.exists(name) for name in files.values())
    period = (timezone.localdate() - dt.timedelta(days=400), timezone.localdate())
    trained_before = indicators.compute("officials_trained", *period)
    women_before = indicators.compute("share_of_women_trained", *period)
    experts_before = indicators.compute("experts_deployed", *period)

    later = _in(years=11)
    with django_capture_on_commit_callbacks(execute=True):
        counts = privacy_services.retention_run(now=later)

    never_by_date = {"algorithms.hs_feedback"}  # its link to the person goes with their account
    assert all(counts[key] >= 1 for key in CATEGORIES - never_by_date), counts
    # Files gone from storage.
    assert not any(storage.exists(name) for name in files.values()), files
    # Participants: one invalid address for the person across workshops; name, position gone.
    nominations = list(Nomination.objects.filter(pk__in=[n.pk for n in world.nominations]))
    assert len({n.email for n in nominations}) == 1 and privacy.is_erased_email(nominations[0].email)
    assert all(privacy.is_pseudonym(n.full_name) and n.position == "" for n in nominations)
    assert all(n.gender == "female" and n.administration.code == "KEN" for n in nominations)
    assert not Certificate.objects.get(pk=world.certificate.pk).file
    # Expert, travel, contact message, dataset, application, invitation, export.
    expert = Expert.objects.get(pk=world.expert.pk)
    assert privacy.is_pseudonym(expert.full_name) and not expert.cv and expert.phone == "" and expert.user is None
    assert TravelRequest.objects.get(mission=world.mission).itinerary == ""
    assert not ClaimLine.objects.get(pk=world.claim_line.pk).receipt
    assert ClaimLine.objects.get(pk=world.claim_line.pk).amount == world.claim_line.amount
    assert not ContactMessage.objects.exists()
    world.dataset.refresh_from_db()
    assert not world.dataset.file and world.dataset.row_count == 200
    world.application.refresh_from_db()
    assert world.application.anonymised_at is not None and world.application.gender == "female"
    world.invitation.refresh_from_db()
    assert privacy.is_erased_email(world.invitation.email)
    assert PersonalDataExport.objects.get(pk=world.export.pk).status == "expired"
    world.notification.refresh_from_db()
    assert privacy.is_erased_email(world.notification.email) and world.notification.text == "[erased]"
    assert world.notification.kind == "offer_reply_due" and world.notification.user is None
    world.report.refresh_from_db()
    assert world.report.status == "failed" and "render it again" in world.report.error
    world.person.refresh_from_db()
    assert not world.person.is_active and privacy.is_erased_email(world.person.email)
    # The statistics are the same.
    assert indicators.compute("officials_trained", *period) == trained_before
    assert indicators.compute("share_of_women_trained", *period) == women_before
    assert indicators.compute("experts_deployed", *period) == experts_before
    # One audit record per category, with the count and never a name; names scrubbed from earlier entries.
    runs = AuditEntry.objects.filter(action="privacy.retention.applied")
    assert runs.count() == len(CATEGORIES - never_by_date)
    assert all(set(entry.data) == {"category", "count"} and entry.actor is None for entry in runs)
    assert not AuditEntry.objects.filter(target_repr__icontains=NAME).exists()
    assert not AuditEntry.objects.filter(data__icontains=EMAIL).exists()
    assert AuditEntry.objects.filter(action="workshops.nomination.accepted").exists()  # the event stays
    # Idempotent: a second run erases nothing and records nothing.
    assert set(privacy_services.retention_run(now=later).values()) == {0}
    assert runs.count() == len(CATEGORIES - never_by_date)


def test_one_failing_category_does_not_stop_the_others(world, monkeypatch):
    def broken(now):
        raise RuntimeError("database hiccup")

    failing = dataclasses.replace(privacy.get("workshops.participants"), due=broken)
    monkeypatch.setitem(privacy._REGISTRY, "workshops.participants", failing)
    counts = privacy_services.retention_run(now=_in(years=11))
    assert counts["workshops.participants"] == 0 and counts["website.contact_messages"] == 2
    failed = AuditEntry.objects.get(action="privacy.retention.failed")
    assert failed.data == {"category": "workshops.participants", "error": "RuntimeError"}


def test_a_participant_with_a_valid_certificate_keeps_their_name_until_the_certificate_period(
    world, django_capture_on_commit_callbacks, client
):
    with django_capture_on_commit_callbacks(execute=True):
        privacy_services.retention_run(now=_in(years=6))
    with_certificate = Nomination.objects.get(pk=world.nominations[1].pk)
    without = Nomination.objects.get(pk=world.nominations[0].pk)
    assert privacy.is_erased_email(with_certificate.email) and with_certificate.full_name == NAME
    assert privacy.is_pseudonym(without.full_name)
    code = world.certificate.verification_code
    assert NAME in client.get(reverse("workshops:certificate_verify", args=[code])).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        privacy_services.retention_run(now=_in(years=11))
    page = client.get(reverse("workshops:certificate_verify", args=[code]))
    assert page.status_code == 200 and NAME not in page.content.decode()
    assert "name has been erased" in page.content.decode()


def test_a_dataset_whose_file_was_erased_cannot_be_used_for_a_job(world, django_capture_on_commit_callbacks):
    from django.core.exceptions import ValidationError

    from algorithms import services as algorithm_services

    with django_capture_on_commit_callbacks(execute=True):
        privacy_services.retention_run(now=_in(years=4))
    world.dataset.refresh_from_db()
    with pytest.raises(ValidationError, match="retention period"):
        algorithm_services.job_submit(
            kind="date_train", administration=world.dataset.administration, by=world.dataset.uploaded_by,
            dataset=world.dataset,
        )  # fmt: skip


# --- The audit log ---------------------------------------------------------------------------------------------
def test_audit_pseudonymise_rewrites_names_and_addresses_but_keeps_the_events(staff):
    kept = audit_record(actor=staff, action="members.invitation.created", target=staff, email="zoë.ndiaye@example.org")
    AuditEntry.objects.filter(pk=kept.pk).update(target_repr="Zoë Ndiaye → SEN")
    nested = audit_record(actor=None, action="x.listed", people=[{"name": "ZOË NDIAYE"}], note="unrelated")
    untouched = audit_record(actor=None, action="x.other", note="Nobody here")
    rewritten = audit_pseudonymise(strings=["Zoë Ndiaye", "zoë.ndiaye@example.org", "Zo"])
    assert rewritten == 2
    kept.refresh_from_db()
    nested.refresh_from_db()
    untouched.refresh_from_db()
    assert kept.target_repr == "[erased] → SEN" and kept.data == {"email": "[erased]"}
    assert (kept.action, kept.actor, kept.target_id) == ("members.invitation.created", staff, str(staff.pk))
    assert nested.data == {"people": [{"name": "[erased]"}], "note": "unrelated"}
    assert untouched.data == {"note": "Nobody here"}  # "Zo" is too short to scrub


# --- The staff register ----------------------------------------------------------------------------------------
def test_the_register_shows_every_category_with_counts_and_exports_csv(client_as, staff, world):
    content = client_as(staff).get(reverse("privacy:register")).content.decode()
    for category in privacy.categories():
        assert str(category.title) in content
    assert "12 months after it is received" in content
    response = client_as(staff).get(reverse("privacy:register"), {"format": "csv"})
    rows = b"".join(response.streaming_content).decode().splitlines()
    assert len(rows) == 1 + len(CATEGORIES)
    assert any(row.startswith("website.contact_messages,") and ",2,0," in row for row in rows)
    assert AuditEntry.objects.filter(action="privacy.register.exported", actor=staff).exists()


def test_the_register_counts_what_is_due(client_as, staff, world):
    ContactMessage.objects.filter(pk=world.other_message.pk).update(created_at=timezone.now() - dt.timedelta(days=400))
    rows = {row.category.key: row for row in privacy_services_rows()}
    assert rows["website.contact_messages"].held == 2 and rows["website.contact_messages"].due == 1
    assert rows["website.contact_messages"].oldest_due is not None


def privacy_services_rows():
    from bacuda_portal.core.privacy_selectors import register_rows

    return register_rows()


def test_the_register_query_count_does_not_grow_with_rows(
    client_as, staff, kenya, contact_point, django_assert_max_num_queries
):
    build_world(kenya, uploader=contact_point)
    client = client_as(staff)
    client.get(reverse("privacy:register"))  # warm the caches (content types, session)
    with django_assert_max_num_queries(45) as few:
        assert client.get(reverse("privacy:register")).status_code == 200
    for _ in range(3):
        ContactMessage.objects.create(name="A", email="a@example.org", subject="s", message="m")
    from tests.workshops.factories import NominationFactory

    NominationFactory.create_batch(5)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("privacy:register")).status_code == 200


# --- The privacy notice ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_privacy_notice_states_every_period_from_the_settings(client, db, language):
    with override_settings(BACUDA_RETENTION_TRAVEL_YEARS=9, BACUDA_PRIVACY_CONTACT_EMAIL="privacy@wco.example"):
        response = client.get(f"/{language}/privacy/")
    content = response.content.decode()
    assert response.status_code == 200
    assert f'lang="{language}"' in content and "privacy@wco.example" in content
    assert "9" in content and reverse("privacy:my_data").replace("/en/", f"/{language}/") in content
    assert content.count("<section") == len(CATEGORIES)


def test_the_notice_reads_in_the_order_a_person_meets_the_portal(client, db):
    content = client.get(reverse("website:privacy")).content.decode()
    titles = ["User accounts", "Workshop participants", "Names on certificates", "Archived workshop"]
    assert [content.index(title) for title in titles] == sorted(content.index(title) for title in titles)


def test_the_footer_links_to_the_privacy_notice(client, db):
    assert reverse("website:privacy") in client.get(reverse("website:about")).content.decode()


# --- Each person's export ----------------------------------------------------------------------------------------
def test_a_person_downloads_everything_held_on_them_with_their_files(
    client_as, world, eager_tasks, django_capture_on_commit_callbacks
):
    client = client_as(world.person)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("privacy:export_request"), follow=True)
    assert response.status_code == 200
    export = PersonalDataExport.objects.filter(user=world.person).latest("created_at")
    assert export.status == "ready", export.error
    assert "Download my data" in client.get(reverse("privacy:my_data")).content.decode()
    download = client.get(reverse("privacy:export_download", args=[export.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    data = json.loads(archive.read("data.json"))
    held = data["categories"]
    assert {
        "members.accounts", "workshops.participants", "workshops.certificates", "experts.profiles",
        "missions.travel", "website.contact_messages", "scholarships.applications", "members.invitations",
        "notifications.log",
    } <= set(held)  # fmt: skip
    assert held["notifications.log"]["records"][0]["email"] == EMAIL
    assert "algorithms.datasets" not in held  # her administration's contact point uploaded it
    assert len(held["workshops.participants"]["records"]) == 2
    assert held["members.accounts"]["records"][0]["email"] == EMAIL
    assert held["website.contact_messages"]["records"][0]["subject"] == "Scholarship question"
    assert "Someone Else" not in json.dumps(data) and "Otieno Odhiambo" not in json.dumps(data)
    names = archive.namelist()
    assert f"files/workshops.participants/certificate-{world.certificate.verification_code}.pdf" in names
    assert any(name.startswith("files/experts.profiles/cv-") for name in names)
    assert sum(name.startswith("files/missions.travel/receipt-") for name in names) == 2
    assert sum(name.startswith("files/scholarships.applications/") for name in names) == 3
    assert archive.read(names[-1]).startswith(b"%PDF")
    actions = set(AuditEntry.objects.filter(target_id=str(export.pk)).values_list("action", flat=True))
    assert {"privacy.export.requested", "privacy.export.built", "privacy.export.downloaded"} <= actions


@pytest.mark.parametrize(
    "role", ["anonymous", "staff", "project_manager", "contact_point", "other_contact_point", "expert"]
)
def test_only_the_person_downloads_their_export(client_as, cast, world, role):
    response = client_as(cast[role]).get(reverse("privacy:export_download", args=[world.export.pk]))
    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == 404


def test_a_second_export_request_while_one_is_pending_finds_the_same(world):
    first, created = privacy_services.export_request(user=world.person)
    second, again = privacy_services.export_request(user=world.person)
    assert created and not again and first.pk == second.pk


def test_a_lost_export_is_queued_again_then_failed(world):
    export, _ = privacy_services.export_request(user=world.person)
    later = timezone.now() + dt.timedelta(hours=1)
    assert privacy_services.exports_sweep(now=later) == (1, 0)
    PersonalDataExport.objects.filter(pk=export.pk).update(attempts=3)
    assert privacy_services.exports_sweep(now=later + dt.timedelta(hours=1)) == (0, 1)


def test_a_persons_hs_feedback_is_in_their_export_and_forgets_them_on_erasure(world, contact_point):
    from tests.algorithms.factories import HsLabelledDescriptionFactory

    row = HsLabelledDescriptionFactory(administration=world.dataset.administration, created_by=world.person)
    category = privacy.get("algorithms.hs_feedback")
    subject = privacy.DataSubject(user_id=world.person.pk, emails=frozenset({EMAIL}))
    assert [category.export(found)["code"] for found in category.of_subject(subject)] == [row.code]
    category.erase(row, now=timezone.now(), on_request=True)
    row.refresh_from_db()
    assert row.created_by is None and row.code  # the administration keeps the labelled description
