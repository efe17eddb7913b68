"""Staff changing a call's eligibility rules while an applicant submits: the two are serialised on the call row, so
the change either comes first (and the application is screened by the new rules) or waits and is refused because
an application is now submitted. Row locks only exist on PostgreSQL (SQLite serialises every write anyway)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from scholarships import services
from scholarships.models import Application
from scholarships.services import applications as application_services

from .factories import ApplicationFactory, CallFactory

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: the PostgreSQL phase of CI runs this"),
]


def test_a_rule_change_waits_for_a_submission_in_progress_and_is_then_refused(monkeypatch, staff, kenya):
    call = CallFactory(min_years_of_service=2)
    draft = ApplicationFactory(call=call, years_of_service=3)
    inside_submission, let_submission_finish = threading.Event(), threading.Event()
    real_missing = application_services.missing_for_submission

    def missing_while_paused(application):
        inside_submission.set()  # the submission holds its locks here
        assert let_submission_finish.wait(20)
        return real_missing(application)

    monkeypatch.setattr(application_services, "missing_for_submission", missing_while_paused)
    outcome = {}

    def submit():
        try:
            services.application_submit(application=draft, by=draft.applicant, consent=True)
            outcome["submitted"] = True
        finally:
            connections.close_all()

    def change_rules():
        try:
            services.call_save(call=call, by=staff, min_years_of_service=5)
            outcome["changed"] = True
        except ValidationError as error:
            outcome["refused"] = " ".join(error.messages)
        finally:
            connections.close_all()

    submitter = threading.Thread(target=submit)
    submitter.start()
    assert inside_submission.wait(20)
    changer = threading.Thread(target=change_rules)
    changer.start()
    changer.join(1.5)
    assert changer.is_alive(), "the rule change must wait for the submission holding the call"
    let_submission_finish.set()
    submitter.join(20)
    changer.join(20)
    assert outcome.get("submitted") and "changed" not in outcome
    assert "Applications have already been submitted to this call" in outcome["refused"]
    call.refresh_from_db()
    assert call.min_years_of_service == 2
    assert Application.objects.get(pk=draft.pk).status == "submitted"
