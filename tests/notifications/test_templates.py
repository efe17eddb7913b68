"""Templates render in both languages with the kind's variables only; one that does not render is refused."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from bacuda_portal.notifications import services
from bacuda_portal.notifications.enums import Kind
from bacuda_portal.notifications.kinds import KINDS
from bacuda_portal.notifications.models import NotificationTemplate
from bacuda_portal.notifications.rendering import check_template, render

GOOD = {
    "subject_en": "{{ call }} closes soon",
    "text_en": "Hello {{ recipient_name }}, {{ call }} closes on {{ closes_at|date:'DATE_FORMAT' }}. {{ url }}",
    "subject_fr": "{{ call }} se clôt bientôt",
    "text_fr": "Bonjour {{ recipient_name }}, {{ call }} se clôt le {{ closes_at|date:'DATE_FORMAT' }}. {{ url }}",
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_default_text_renders_in_both_languages(kind):
    spec = KINDS[kind]
    texts = {name: getattr(spec, name) for name in ("subject_en", "text_en", "subject_fr", "text_fr")}
    assert check_template(kind=kind, texts=texts) == {}


def test_the_seeded_templates_cover_every_kind(db):
    assert set(NotificationTemplate.objects.values_list("kind", flat=True)) == set(Kind.values)


def test_a_date_is_written_in_the_recipients_language():
    sample = KINDS[Kind.CALL_CLOSING].sample_context()
    english = render(kind=Kind.CALL_CLOSING, subject=GOOD["subject_en"], text=GOOD["text_en"], context=sample,
                     language="en")  # fmt: skip
    french = render(kind=Kind.CALL_CLOSING, subject=GOOD["subject_fr"], text=GOOD["text_fr"], context=sample,
                    language="fr")  # fmt: skip
    assert english.subject == "[BACUDA] BACUDA scholarship 2026 closes soon"
    assert "16 March 2026" in english.text and "16 mars 2026" in french.text


@pytest.mark.parametrize(
    ("field", "source", "message"),
    [
        ("subject_en", "{{ budget }}", "Unknown variable: budget."),
        ("text_en", "{% if call %}no end", "The template does not render"),
        ("text_fr", '{% include "base.html" %}', "A notification cannot include other templates."),
        ("subject_fr", "{% load static %}{{ call }}", "The template does not render"),
        ("text_fr", "   ", "This text is required."),
    ],
)
def test_a_template_that_does_not_render_is_refused_with_the_reason(staff, field, source, message):
    template = services.template_for(Kind.CALL_CLOSING)
    with pytest.raises(ValidationError) as refused:
        services.template_save(template=template, by=staff, **{**GOOD, field: source})
    assert message in " ".join(refused.value.message_dict[field])
    template.refresh_from_db()
    assert template.subject_en == KINDS[Kind.CALL_CLOSING].subject_en  # nothing saved


def test_an_edited_template_is_what_the_next_notification_says(staff, contact_point):
    services.template_save(template=services.template_for(Kind.CALL_CLOSING), by=staff, **GOOD)
    from tests.scholarships.factories import CallFactory

    call = CallFactory()
    row = services.notify_user(kind=Kind.CALL_CLOSING, user=contact_point,
                               context={"call": str(call), "closes_at": call.closes_at}, about=call)  # fmt: skip
    assert row.subject == f"[BACUDA] {call} closes soon" and row.text.startswith(f"Hello {contact_point.full_name}")


def test_staff_edit_a_template_and_a_bad_one_keeps_what_they_typed(client_as, staff):
    url = reverse("notifications:template_edit", args=[Kind.CALL_CLOSING])
    page = client_as(staff).get(url)
    assert page.status_code == 200 and "closes_at" in page.content.decode() and "16 mars 2026" in page.content.decode()
    bad = client_as(staff).post(url, {**GOOD, "text_en": "Hello {{ nobody }}"})
    assert bad.status_code == 400
    content = bad.content.decode()
    assert "Unknown variable: nobody." in content and "Hello {{ nobody }}" in content
    preview = client_as(staff).post(url, {**GOOD, "preview": "1"})
    assert preview.status_code == 200 and "se clôt bientôt" in preview.content.decode()
    assert NotificationTemplate.objects.get(kind=Kind.CALL_CLOSING).subject_en != GOOD["subject_en"]  # not saved
    saved = client_as(staff).post(url, GOOD)
    assert saved.status_code == 302
    assert NotificationTemplate.objects.get(kind=Kind.CALL_CLOSING).subject_en == GOOD["subject_en"]
    reset = client_as(staff).post(reverse("notifications:template_reset", args=[Kind.CALL_CLOSING]))
    assert reset.status_code == 302
    assert NotificationTemplate.objects.get(kind=Kind.CALL_CLOSING).subject_en == KINDS[Kind.CALL_CLOSING].subject_en


def test_an_unknown_kind_is_not_found(client_as, staff):
    assert client_as(staff).get(reverse("notifications:template_edit", args=["nothing"])).status_code == 404
