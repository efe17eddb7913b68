"""Anonymous questionnaires: each participant answers once, and no page, export or table pairs a person with
their answers (design in workshops/evaluations/models.py)."""

import pytest
from django.db import models
from django.urls import reverse

from bacuda_portal.core.models import AuditEntry
from workshops.evaluations import services
from workshops.evaluations.models import AnswerReceipt, Response
from workshops.models import Nomination

from .conftest import reaction_answers

pytestmark = pytest.mark.django_db


def _relations(model) -> dict[str, type]:
    return {field.name: field.related_model for field in model._meta.get_fields() if field.is_relation}


def test_no_join_path_between_a_receipt_and_a_response():
    """The receipt (who answered) and the response (what) share no key, no time and no order of insertion."""
    assert Response not in _relations(AnswerReceipt).values()
    assert AnswerReceipt not in _relations(Response).values()
    for model in (Response, AnswerReceipt):
        assert isinstance(model._meta.pk, models.UUIDField), f"{model.__name__} ids would follow arrival order"
        timed = [f.name for f in model._meta.get_fields() if isinstance(f, models.DateTimeField)]
        assert not timed, f"{model.__name__} has times that could be matched: {timed}"
    # From a response, the only way to a nomination is its own ``nomination`` field (the questionnaire leads to
    # the workshop, whose nominations are everyone, not the respondent).
    to_nomination = [name for name, related in _relations(Response).items() if related is Nomination]
    assert to_nomination == ["nomination"]


def test_an_anonymous_response_never_points_to_its_participant(reaction_survey, reaction_questions, participants):
    achieng, brian, _chebet = participants
    services.save_draft(nomination=achieng, questionnaire=reaction_survey, answers={})
    draft = Response.objects.get()
    assert draft.nomination_id is None
    assert draft.draft_key == services.draft_key(reaction_survey, achieng)  # found again by its key only

    services.submit(nomination=achieng, questionnaire=reaction_survey, answers=reaction_answers(reaction_questions))
    services.submit(nomination=brian, questionnaire=reaction_survey, answers=reaction_answers(reaction_questions))

    responses = list(Response.objects.filter(questionnaire=reaction_survey).values("nomination_id", "draft_key"))
    assert responses == [{"nomination_id": None, "draft_key": None}] * 2
    assert set(AnswerReceipt.objects.values_list("nomination_id", flat=True)) == {achieng.pk, brian.pk}
    # The audit log says a submission happened, not whose.
    entries = AuditEntry.objects.filter(action="evaluations.answers.submitted")
    assert [entry.data for entry in entries] == [{"anonymous": True}] * 2
    assert all(entry.actor_id is None for entry in entries)


def test_each_participant_answers_an_anonymous_questionnaire_once(reaction_survey, reaction_questions, participants):
    achieng = participants[0]
    services.submit(nomination=achieng, questionnaire=reaction_survey, answers=reaction_answers(reaction_questions))
    with pytest.raises(services.AlreadyAnswered):
        services.submit(
            nomination=achieng, questionnaire=reaction_survey, answers=reaction_answers(reaction_questions, rating=1)
        )
    assert Response.objects.filter(questionnaire=reaction_survey).count() == 1


def test_the_results_page_and_csv_do_not_reveal_who_answered_what(
    client, staff, reaction_survey, reaction_questions, participants
):
    words = {
        participants[0]: "Achieng wrote this secret sentence",
        participants[1]: "Brian wrote another sentence",
        participants[2]: "Chebet wrote a third one",
    }
    for nomination, text in words.items():
        services.submit(
            nomination=nomination,
            questionnaire=reaction_survey,
            answers=reaction_answers(reaction_questions, text=text),
        )
    client.force_login(staff)
    url = reverse("evaluations:workshop_results", kwargs={"pk": reaction_survey.workshop_id})
    page = client.get(url).content.decode()
    export = b"".join(client.get(url, {"format": "csv"}).streaming_content).decode()
    for content in (page, export):
        for text in words.values():
            assert text in content  # the answers are there...
        for nomination in participants:
            assert nomination.full_name not in content  # ...but nobody's name or address
            assert nomination.email not in content
    questionnaires = client.get(
        reverse("evaluations:workshop_questionnaires", kwargs={"pk": reaction_survey.workshop_id})
    ).content.decode()
    assert all(nomination.full_name not in questionnaires for nomination in participants)


def test_the_staff_preview_never_shows_a_participants_anonymous_draft(
    client, staff, reaction_survey, reaction_questions, participants
):
    services.save_draft(
        nomination=participants[0],
        questionnaire=reaction_survey,
        answers=reaction_answers(reaction_questions, text="A draft only Achieng may see"),
    )
    client.force_login(staff)
    url = reverse("evaluations:questionnaire_preview", kwargs={"pk": reaction_survey.pk})
    content = client.get(url, {"as": participants[0].pk}).content.decode()
    assert "Preview as Achieng Otieno" in content
    assert "A draft only Achieng may see" not in content
