"""Ranking (weighted mean, median, spread, endorsement rank, balance), decisions recorded as pending and released
together, decision letters from templates into an outbox that staff review before a worker sends them."""

import pytest
from django.core import mail
from django.urls import reverse

from bacuda_portal.core.models import AuditEntry
from scholarships import services
from scholarships.models import Decision, Endorsement, Letter, LetterTemplate

from .factories import EligibleApplicationFactory, ReviewerFactory, SubmittedApplicationFactory, submitted_review


def _csv(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")


@pytest.fixture
def panel(call):
    return ReviewerFactory.create_batch(3, calls=[call])


@pytest.fixture
def ranked(call, criteria, panel, senegal, staff):
    """Three eligible candidates: Best (9, 8, 4 -> mean 7, median 8, spread 5), Middle (6, 6), Low (2); and an
    ineligible one with high scores, which the ranking leaves out."""
    background, motivation = criteria
    best = EligibleApplicationFactory(call=call, full_name="Best Candidate", gender="female")
    middle = EligibleApplicationFactory(call=call, full_name="Middle Candidate", gender="male", administration=senegal)
    low = EligibleApplicationFactory(call=call, full_name="Low Candidate", gender="undisclosed")
    ineligible = SubmittedApplicationFactory(call=call, full_name="Ineligible Person", eligibility_result="ineligible")
    for reviewer, score in zip(panel, [9, 8, 4], strict=True):
        submitted_review(best, reviewer, {background: score, motivation: score})
    for reviewer in panel[:2]:
        submitted_review(middle, reviewer, {background: 6, motivation: 6}, "maybe")
    submitted_review(low, panel[0], {background: 2, motivation: 2}, "no")
    submitted_review(ineligible, panel[1], {background: 10, motivation: 10})
    Endorsement.objects.create(application=best, call=call, administration=best.administration, decision="endorsed",
                               rank=2, decided_by=staff)  # fmt: skip
    return {"best": best, "middle": middle, "low": low, "ineligible": ineligible}


def _rows(content: str, names) -> list[str]:
    return sorted((name for name in names if name in content), key=content.index)


def test_ranking_orders_by_weighted_mean_with_median_spread_and_endorsement_rank(client_as, staff, call, ranked):
    response = client_as(staff).get(reverse("scholarships:ranking", args=[call.pk]))
    content = response.content.decode()
    names = ["Best Candidate", "Middle Candidate", "Low Candidate", "Ineligible Person"]
    assert _rows(content, names) == ["Best Candidate", "Middle Candidate", "Low Candidate"]
    rows = {row.full_name: row for row in response.context["rows"]}
    best = rows["Best Candidate"]
    assert (best.reviewed, float(best.mean), float(best.median), float(best.spread)) == (3, 7.0, 8.0, 5.0)
    assert best.endorsement.rank == 2 and best.yes == 3
    assert (rows["Middle Candidate"].maybe, float(rows["Middle Candidate"].spread)) == (2, 0.0)


def test_a_conflict_removes_its_score_from_the_ranking(client_as, staff, call, ranked, panel):
    review = ranked["best"].reviews.get(reviewer=panel[2])  # the 4
    services.review_declare_conflict(review=review, reason="Former colleague", by=panel[2].user)
    rows = {
        r.full_name: r for r in client_as(staff).get(reverse("scholarships:ranking", args=[call.pk])).context["rows"]
    }
    assert rows["Best Candidate"].reviewed == 2 and float(rows["Best Candidate"].mean) == 8.5


def test_ranking_filters_and_balance(client_as, staff, call, ranked):
    client = client_as(staff)
    content = client.get(reverse("scholarships:ranking", args=[call.pk]), {"region": "WCA"}).content.decode()
    assert _rows(content, ["Best Candidate", "Middle Candidate", "Low Candidate"]) == ["Middle Candidate"]
    response = client.get(reverse("scholarships:ranking", args=[call.pk]))
    balance = response.context["balance"]
    assert {row["key"]: row["eligible"] for row in balance["regions"]} == {"ESA": 2, "WCA": 1}
    assert {row["label"]: row["submitted"] for row in balance["genders"]} == {
        "Female": 2, "Male": 1, "Prefer not to say": 1,
    }  # fmt: skip


def test_ranking_csv(client_as, staff, call, ranked):
    response = client_as(staff).get(reverse("scholarships:ranking", args=[call.pk]), {"format": "csv"})
    lines = _csv(response).splitlines()
    assert lines[0].startswith("Rank,Reference,Full name,Administration,Region,Gender,Reviews,Weighted mean,Median")
    assert lines[1] == f"1,{ranked['best'].pk},Best Candidate,Kenya,ESA,Female,3,7.00,8.00,5.00,3,0,0,2,,"
    assert len(lines) == 4
    assert AuditEntry.objects.filter(action="scholarships.ranking.exported", actor=staff).exists()


def test_ranking_page_is_audited_as_a_view_of_personal_data(client_as, staff, call, ranked):
    client_as(staff).get(reverse("scholarships:ranking", args=[call.pk]))
    entry = AuditEntry.objects.get(action="scholarships.applications.listed", actor=staff)
    assert sorted(entry.data["applications"]) == sorted(a.pk for k, a in ranked.items() if k != "ineligible")


def test_ranking_query_count_does_not_grow(client_as, staff, call, criteria, panel, django_assert_max_num_queries):
    background, motivation = criteria
    for application in EligibleApplicationFactory.create_batch(30, call=call):
        for reviewer in panel:
            submitted_review(application, reviewer, {background: 5, motivation: 7})
    client = client_as(staff)
    client.get(reverse("scholarships:ranking", args=[call.pk]))
    with django_assert_max_num_queries(14):
        response = client.get(reverse("scholarships:ranking", args=[call.pk]))
    assert response.status_code == 200 and len(response.context["rows"]) == 30


# --- Decisions ----------------------------------------------------------------------------------------------
def _decide(client, application, outcome, **extra):
    return client.post(
        reverse("scholarships:decision_record", args=[application.pk]), {"outcome": outcome, **extra}, follow=True
    )


def test_decisions_stay_pending_until_released_together(client_as, staff, applicant, call, ranked):
    client = client_as(staff)
    _decide(client, ranked["best"], "selected")
    _decide(client, ranked["middle"], "reserve")
    _decide(client, ranked["low"], "reserve")
    assert set(Decision.objects.values_list("application__full_name", "outcome", "reserve_rank", "status")) == {
        ("Middle Candidate", "reserve", 1, "pending"), ("Low Candidate", "reserve", 2, "pending"),
        ("Best Candidate", "selected", None, "pending"),
    }  # fmt: skip
    best = ranked["best"]
    best.applicant = applicant
    best.save()
    # The applicant does not see a pending decision.
    assert "Selected" not in client_as(applicant).get(best.get_absolute_url()).content.decode()
    response = client_as(staff).post(reverse("scholarships:decisions_release", args=[call.pk]), follow=True)
    assert "3 decisions were released" in response.content.decode()
    assert set(Decision.objects.values_list("status", flat=True)) == {"released"}
    selected = Decision.objects.get(outcome="selected")
    assert selected.offer_status == "open" and selected.reply_by is not None
    assert Letter.objects.filter(status="draft").count() == 3
    page = client_as(applicant).get(best.get_absolute_url()).content.decode()
    assert "Selected" in page and "Accept the scholarship" in page


def test_a_released_decision_cannot_be_changed(client_as, staff, call, ranked):
    client = client_as(staff)
    _decide(client, ranked["best"], "selected")
    client.post(reverse("scholarships:decisions_release", args=[call.pk]))
    response = _decide(client, ranked["best"], "not_selected")
    assert "can no longer be changed" in response.content.decode()
    assert Decision.objects.get().outcome == "selected"


def test_decision_refusals(client_as, staff, call, ranked):
    call.seats = 1
    call.save()
    client = client_as(staff)
    _decide(client, ranked["best"], "selected")
    assert "All 1 seats of this call are taken" in _decide(client, ranked["middle"], "selected").content.decode()
    assert "Only an eligible application" in _decide(client, ranked["ineligible"], "selected").content.decode()
    _decide(client, ranked["middle"], "reserve", reserve_rank=1)
    assert (
        "Place 1 on the reserve list is taken."
        in _decide(client, ranked["low"], "reserve", reserve_rank=1).content.decode()
    )
    assert Decision.objects.count() == 2
    assert (
        "There is no pending decision"
        not in client.get(reverse("scholarships:ranking", args=[call.pk])).content.decode()
    )


def test_releasing_nothing_is_refused(client_as, staff, call):
    response = client_as(staff).post(reverse("scholarships:decisions_release", args=[call.pk]), follow=True)
    assert "There is no pending decision to release." in response.content.decode()


# --- Letters ------------------------------------------------------------------------------------------------
@pytest.fixture
def released(client_as, staff, call, ranked, applicant):
    best = ranked["best"]
    best.applicant = applicant
    best.save()
    applicant.preferred_language = "fr"
    applicant.save()
    LetterTemplate.objects.create(
        call=call, outcome="selected", subject_en="Selected", body_en="Dear {{ full_name }}, reply by {{ reply_by }}.",
        subject_fr="Retenu·e", body_fr="Bonjour {{ full_name }}, réponse avant le {{ reply_by }} ({{ university }}).",
    )  # fmt: skip
    client = client_as(staff)
    _decide(client, best, "selected")
    _decide(client, ranked["middle"], "not_selected")
    client.post(reverse("scholarships:decisions_release", args=[call.pk]))
    return Letter.objects.get(application=best)


def test_letters_come_from_the_template_in_the_applicants_language(released, call):
    assert released.language == "fr" and released.subject == "Retenu·e"
    assert released.body.startswith("Bonjour Best Candidate, réponse avant le 20")
    assert "Sungkyunkwan University" in released.body
    default = Letter.objects.exclude(pk=released.pk).get()
    assert default.subject == "Your BACUDA scholarship application"  # the default template, created on first use
    assert LetterTemplate.objects.filter(call=call, outcome="not_selected").exists()


def test_staff_edit_then_approve_and_a_worker_sends(
    client_as, staff, released, eager_tasks, django_capture_on_commit_callbacks
):
    client = client_as(staff)
    assert "Retenu·e" in client.get(reverse("scholarships:outbox", args=[released.call_id])).content.decode()
    client.post(
        reverse("scholarships:letter_edit", args=[released.pk]), {"subject": "Bourse BACUDA", "body": "Félicitations !"}
    )
    released.refresh_from_db()
    assert (released.subject, released.body) == ("Bourse BACUDA", "Félicitations !")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("scholarships:letter_approve", args=[released.pk]))
    released.refresh_from_db()
    assert released.status == "sent" and released.sent_at is not None
    assert [(m.subject, m.body, m.to) for m in mail.outbox] == [("Bourse BACUDA", "Félicitations !", [released.to])]
    # Sent: no more editing, no second send.
    response = client.post(
        reverse("scholarships:letter_edit", args=[released.pk]), {"subject": "x", "body": "y"}, follow=True
    )
    assert "Only a letter still to review can be edited." in response.content.decode()
    services.letter_send(letter_id=released.pk)
    assert len(mail.outbox) == 1


def test_a_draft_letter_is_never_sent(released):
    services.letter_send(letter_id=released.pk)
    released.refresh_from_db()
    assert released.status == "draft" and not mail.outbox


def test_the_sweep_requeues_approved_letters_left_unsent(
    released, staff, eager_tasks, django_capture_on_commit_callbacks
):
    import datetime as dt

    from django.utils import timezone

    an_hour_ago = timezone.now() - dt.timedelta(hours=1)
    Letter.objects.filter(pk=released.pk).update(status="approved", approved_at=an_hour_ago, updated_at=an_hour_ago)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.letters_sweep() == (1, 0)
    released.refresh_from_db()
    assert released.status == "sent" and len(mail.outbox) == 1


def test_placeholders():
    assert services.fill_placeholders("Hi {{ full_name }} {{unknown}}", {"full_name": "Awa"}) == "Hi Awa {{unknown}}"
    assert services.unknown_placeholders("{{ full_name }} {{ salary }}") == ["salary"]


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", "login"), ("applicant", 404), ("contact_point", 404), ("other_contact_point", 404),
     ("reviewer", 404), ("staff", 200)],
)  # fmt: skip
def test_selection_pages_are_for_staff_only(client_as, cast, call, released, role, expected):
    client = client_as(cast[role])
    urls = [
        reverse("scholarships:ranking", args=[call.pk]),
        reverse("scholarships:outbox", args=[call.pk]),
        reverse("scholarships:letter_edit", args=[released.pk]),
        reverse("scholarships:offer_list", args=[call.pk]),
    ]
    for url in urls:
        response = client.get(url)
        if expected == "login":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        else:
            assert response.status_code == expected, url
    approved = client.post(reverse("scholarships:letter_approve", args=[released.pk]))
    released.refresh_from_db()
    assert (released.status != "draft") == (role == "staff"), approved.status_code


def test_ranking_page_offers_the_decision_forms_and_the_release(client_as, staff, call, ranked):
    client = client_as(staff)
    content = client.get(reverse("scholarships:ranking", args=[call.pk])).content.decode()
    assert f'action="{reverse("scholarships:decision_record", args=[ranked["best"].pk])}"' in content
    assert "Release" not in content
    _decide(client, ranked["best"], "selected")
    content = client.get(reverse("scholarships:ranking", args=[call.pk])).content.decode()
    assert "Release 1 pending decision" in content and "Pending (not yet released)" in content
    detail = client.get(ranked["middle"].get_absolute_url()).content.decode()
    assert "Record a decision" in detail


def test_ranking_pages_through_the_candidates(client_as, staff, call, criteria, panel):
    for application in EligibleApplicationFactory.create_batch(55, call=call):
        submitted_review(application, panel[0], {criteria[0]: 5, criteria[1]: 5})
    client = client_as(staff)
    first = client.get(reverse("scholarships:ranking", args=[call.pk]))
    second = client.get(reverse("scholarships:ranking", args=[call.pk]), {"page": 2})
    assert "Page 1 of 2" in first.content.decode()
    assert len(first.context["rows"]) == 50 and len(second.context["rows"]) == 5
    assert second.context["offset"] == 50


def test_a_template_with_an_unknown_placeholder_is_refused(call):
    from django.core.exceptions import ValidationError

    template = LetterTemplate(
        call=call, outcome="selected", subject_en="Hi", body_en="Dear {{ full_name }} {{ salary }}",
        subject_fr="Bonjour", body_fr="Bonjour {{ full_name }}",
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        template.full_clean()
    assert "Unknown placeholder: salary" in str(refused.value.message_dict["body_en"])
    template.body_en = "Dear {{ full_name }}, reply by {{reply_by}}."
    template.full_clean()


def test_the_outbox_lists_each_letter_with_its_labels_and_actions(client_as, staff, released):
    content = client_as(staff).get(reverse("scholarships:outbox", args=[released.call_id])).content.decode()
    assert f'<a href="{reverse("scholarships:letter_edit", args=[released.pk])}">Retenu·e</a>' in content
    assert f'action="{reverse("scholarships:letter_approve", args=[released.pk])}"' in content
    assert "<td>Selected</td>" in content and "<td>To review</td>" in content and "Best Candidate" in content


def test_the_outbox_query_count_does_not_grow(client_as, staff, released, django_assert_max_num_queries):
    client = client_as(staff)
    url = reverse("scholarships:outbox", args=[released.call_id])
    client.get(url)  # warm the session
    with django_assert_max_num_queries(6):
        assert client.get(url).status_code == 200


def test_a_letter_the_mail_server_refuses_is_tried_again_then_fails_with_its_reason(released, staff, monkeypatch):
    from django.core.mail import EmailMessage

    def refused(self, fail_silently=False):
        raise ConnectionRefusedError("mail server down")

    services.letter_approve(letter=released, by=staff)  # its task is queued on commit, which never comes here
    monkeypatch.setattr(EmailMessage, "send", refused)
    for attempt in range(1, services.MAX_SEND_ATTEMPTS):
        with pytest.raises(ConnectionRefusedError):  # raised for the task's own retry
            services.letter_send(letter_id=released.pk)
        released.refresh_from_db()
        assert (released.status, released.attempts) == ("approved", attempt)
        assert released.error == "ConnectionRefusedError: mail server down"
    letter = services.letter_send(letter_id=released.pk)
    assert (letter.status, letter.attempts, letter.sent_at) == ("failed", services.MAX_SEND_ATTEMPTS, None)
    assert "mail server down" in letter.error and not mail.outbox


def test_a_letter_being_sent_is_not_sent_twice(released, staff):
    services.letter_approve(letter=released, by=staff)
    Letter.objects.filter(pk=released.pk).update(status="sending", attempts=1)
    services.letter_send(letter_id=released.pk)
    released.refresh_from_db()
    assert released.status == "sending" and not mail.outbox
