"""The editable texts of each kind of notification."""

from django.core.exceptions import ValidationError
from django.db import transaction

from bacuda_portal.core.services import audit_record

from ..kinds import KINDS
from ..models import NotificationTemplate
from ..rendering import check_template

TEXT_FIELDS = ("subject_en", "text_en", "subject_fr", "text_fr")


def _defaults(kind: str) -> dict[str, str]:
    spec = KINDS[kind]
    return {name: getattr(spec, name) for name in TEXT_FIELDS}


def templates_seed() -> int:
    """Create the template of every kind that has none, from the kind's default texts. Returns how many."""
    created = 0
    for kind in KINDS:
        _template, was_created = NotificationTemplate.objects.get_or_create(kind=kind, defaults=_defaults(kind))
        created += was_created
    return created


def template_for(kind: str) -> NotificationTemplate:
    """The kind's template, created from its defaults on first use."""
    template, _created = NotificationTemplate.objects.get_or_create(kind=kind, defaults=_defaults(kind))
    return template


@transaction.atomic
def template_save(*, template: NotificationTemplate, by, **texts: str) -> NotificationTemplate:
    """Staff edit a template. Refused (``ValidationError`` by field) when a text is empty, uses a variable the
    kind does not have, or does not render with the kind's sample values. Side effects: audit record."""
    values = {name: (texts.get(name) or "").strip() for name in TEXT_FIELDS}
    errors = check_template(kind=template.kind, texts=values)
    if errors:
        raise ValidationError(errors)
    for name, value in values.items():
        setattr(template, name, value)
    template.updated_by = by
    template.save()
    audit_record(actor=by, action="notifications.template.edited", target=template)
    return template


@transaction.atomic
def template_reset(*, template: NotificationTemplate, by) -> NotificationTemplate:
    """Back to the kind's default texts. Side effects: audit record."""
    for name, value in _defaults(template.kind).items():
        setattr(template, name, value)
    template.updated_by = by
    template.save()
    audit_record(actor=by, action="notifications.template.reset", target=template)
    return template
