"""Safe defaults: nothing about a person or a decision is preselected (issue 20)."""

import pytest
from django.utils import translation

from scholarships.forms import DecisionForm, ProgrammeOutcomeForm
from workshops.forms import NominationForm

NOMINATION = {
    "full_name": "Jane Wanjiku",
    "position": "Risk analyst",
    "email": "jane@example.org",
    "language": "en",
}


@pytest.mark.parametrize(
    ("form_class", "field"),
    [(NominationForm, "gender"), (DecisionForm, "outcome"), (ProgrammeOutcomeForm, "result")],
)
def test_the_first_choice_is_empty_and_nothing_is_selected(form_class, field):
    form = form_class()
    assert form.fields[field].choices[0][0] == ""
    assert form.fields[field].required
    html = str(form[field])
    assert 'value="" selected' in html or "selected" not in html.replace('value="" selected', "")


def test_a_nomination_sent_without_a_gender_is_refused_with_a_message():
    form = NominationForm(data=NOMINATION)
    assert not form.is_valid()
    assert form.errors["gender"] == ["This field is required."]
    assert NominationForm(data={**NOMINATION, "gender": "female"}).is_valid()


def test_a_decision_sent_without_an_outcome_is_refused():
    form = DecisionForm(data={"reserve_rank": ""})
    assert not form.is_valid()
    assert "outcome" in form.errors


def test_the_empty_choice_is_translated():
    with translation.override("fr"):
        assert str(NominationForm().fields["gender"].choices[0][1]) == "Choisir…"
