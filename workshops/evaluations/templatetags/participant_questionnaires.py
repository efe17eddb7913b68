"""The "Questionnaires" section of the participant's own page, drawn by the evaluations app so that the
workshops app, which owns the page, does not depend on it."""

from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("evaluations/_participant_questionnaires.html")
def participant_questionnaires(nomination, token):
    return {"entries": selectors.participant_questionnaires(nomination), "token": token}
