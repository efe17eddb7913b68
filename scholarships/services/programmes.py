"""Programmes and calls set up on the portal's own pages: create and change them (with the call's rubric, review
phases and curriculum), copy a call for the next cohort, edit its decision letters' templates. Every write is
validated by the model's rules and audited with what changed.

Once a call has submitted applications, what decides how they are judged is frozen: its eligibility rules (they
screened those applications) and its rubric (reviewers score against it), and whether the review is blind. Texts,
dates, seats, consent, the review phases and the curriculum stay editable.
"""

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from bacuda_portal.core.services import audit_record
from bacuda_portal.members.models import User

from ..models import Application, Call, CurriculumModule, LetterTemplate, Programme, ReviewPhase, RubricCriterion

PROGRAMME_FIELDS = ("name_en", "name_fr", "partner_institution", "description", "description_fr")
CALL_FIELDS = (
    "programme", "cohort_name", "partner_university", "description", "seats", "opens_at", "closes_at",
    "is_published", "min_years_of_service", "instruction_language", "required_language_level",
    "endorsement_required", "quota_per_administration", "motivation_min_words", "motivation_max_words",
    "reviews_per_application", "blind_review", "offer_reply_days", "retention_days", "consent_version",
    "consent_text_en", "consent_text_fr", "description_fr", "cohort_name_fr",
)  # fmt: skip
# What screened the submitted applications, or decides how reviewers judge them: frozen once there are any.
FROZEN_CALL_FIELDS = (
    "min_years_of_service", "instruction_language", "required_language_level", "endorsement_required",
    "quota_per_administration", "motivation_min_words", "motivation_max_words", "blind_review",
)  # fmt: skip
LETTER_TEMPLATE_FIELDS = ("subject_en", "body_en", "subject_fr", "body_fr")


def _plain(value: Any) -> Any:
    """A value as the audit log keeps it (JSON): a related row by its string, numbers and dates as text."""
    if isinstance(value, models.Model):
        return str(value)
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


def _changes(before: dict, instance: models.Model, fields: tuple[str, ...], creating: bool) -> dict:
    after = {name: _plain(getattr(instance, name)) for name in fields}
    return {name: [before.get(name), after[name]] for name in fields if creating or before[name] != after[name]}


def call_has_submissions(call: Call) -> bool:
    """Whether any application was ever submitted to the call (withdrawn ones were judged by its rules too)."""
    return call.pk is not None and Application.objects.filter(call=call, submitted_at__isnull=False).exists()


@transaction.atomic
def programme_save(*, programme: Programme | None = None, by: User, **values) -> Programme:
    """Create or change a programme. Side effects: audit record with what changed."""
    creating = programme is None or programme.pk is None
    programme = programme or Programme()
    stored = None if creating else Programme.objects.get(pk=programme.pk)
    before = {} if creating else {name: _plain(getattr(stored, name)) for name in PROGRAMME_FIELDS}
    for name in PROGRAMME_FIELDS:
        if name in values:
            setattr(programme, name, values[name])
    programme.full_clean()
    programme.save()
    audit_record(
        actor=by,
        action=f"scholarships.programme.{'created' if creating else 'changed'}",
        target=programme,
        changes=_changes(before, programme, PROGRAMME_FIELDS, creating),
    )
    return programme


def _check_call(values: dict) -> dict:
    """The call's rules with the messages staff read (the database constraints say the same, tersely)."""
    errors = {}
    opens_at, closes_at = values.get("opens_at"), values.get("closes_at")
    if opens_at and closes_at and closes_at <= opens_at:
        errors["closes_at"] = _("The call must close after it opens.")
    low, high = values.get("motivation_min_words"), values.get("motivation_max_words")
    if low is not None and high is not None and high < low:
        errors["motivation_max_words"] = _("The maximum number of words cannot be below the minimum.")
    if values.get("seats") is not None and values["seats"] < 1:
        errors["seats"] = _("A call offers at least one seat.")
    if values.get("reviews_per_application") is not None and values["reviews_per_application"] < 1:
        errors["reviews_per_application"] = _("Each application needs at least one review.")
    return errors


def _check_rows(criteria: list[dict], phases: list[dict]) -> list:
    errors = []
    names = [row["name"].strip().casefold() for row in criteria if not row.get("delete")]
    if len(names) != len(set(names)):
        errors.append(_("Two criteria of the rubric have the same name."))
    for row in criteria:
        if not row.get("delete") and (row.get("weight") is None or row["weight"] <= 0):
            errors.append(_("Every criterion needs a weight above zero."))
            break
    for row in phases:
        if not row.get("delete") and row["closes_at"] <= row["opens_at"]:
            errors.append(_("The review phase “%(name)s” must close after it opens.") % {"name": row["name"]})
    return errors


def _rubric_of(criteria) -> list[tuple]:
    return sorted((row.pk, row.name.strip(), Decimal(row.weight).normalize()) for row in criteria)


def _rubric_after(call: Call, criteria: list[dict]) -> list[tuple]:
    kept = [row for row in criteria if not row.get("delete")]
    return sorted(
        (row["instance"].pk if row.get("instance") else 0, row["name"].strip(), Decimal(row["weight"]).normalize())
        for row in kept
    )


def _frozen_refusals(call: Call, values: dict, criteria: list[dict] | None) -> dict:
    stored = Call.objects.get(pk=call.pk)
    errors = {}
    changed = [name for name in FROZEN_CALL_FIELDS if name in values and values[name] != getattr(stored, name)]
    for name in changed:
        errors[name] = _(
            "Applications have already been submitted to this call: its eligibility rules and the way they are "
            "reviewed cannot change any more, or they would be judged by other rules than those they were "
            "submitted under. Copy the call for the next cohort to change them."
        )
    if criteria is not None and _rubric_after(call, criteria) != _rubric_of(stored.criteria.all()):
        errors["__all__"] = [
            _(
                "Applications have already been submitted to this call: its rubric (criteria and weights) cannot "
                "change any more, so that every application is scored against the same one. Only the criteria's "
                "descriptions and order can still be changed."
            )
        ]
    return errors


def _save_rows(call: Call, model, rows: list[dict], fields: tuple[str, ...]) -> dict:
    """Create, change and delete a call's rows (criteria, phases, modules); returns what changed for the audit."""
    summary: dict[str, list] = {"added": [], "changed": [], "removed": []}
    for row in rows:
        instance = row.get("instance")
        if row.get("delete"):
            if instance is not None and instance.pk:
                summary["removed"].append(str(instance))
                instance.delete()
            continue
        creating = instance is None or instance.pk is None
        instance = instance or model(call=call)
        instance.call = call
        stored = None if creating else model.objects.get(pk=instance.pk)
        before = {} if creating else {name: _plain(getattr(stored, name)) for name in fields}
        for name in fields:
            setattr(instance, name, row[name])
        instance.full_clean()
        instance.save()
        changes = _changes(before, instance, fields, creating)
        if creating:
            summary["added"].append(str(instance))
        elif changes:
            summary["changed"].append({str(instance): changes})
    return {key: value for key, value in summary.items() if value}


CRITERION_FIELDS = ("name", "name_fr", "description", "description_fr", "weight", "order")
PHASE_FIELDS = ("name", "name_fr", "opens_at", "closes_at")
MODULE_FIELDS = ("title", "title_fr", "hours", "order")


@transaction.atomic
def call_save(
    *,
    call: Call | None = None,
    by: User,
    criteria: list[dict] | None = None,
    phases: list[dict] | None = None,
    modules: list[dict] | None = None,
    **values,
) -> Call:
    """Create or change a call with its rubric, review phases and curriculum modules (rows given as dicts of their
    fields, with ``instance`` for an existing row and ``delete`` to remove it; ``None`` leaves them as they are).

    Refused (``ValidationError``, nothing saved) when the dates or word limits are out of order, a criterion has
    no weight, or, once applications were submitted, an eligibility rule, the blind review or the rubric would
    change. Side effects: audit record with what changed, the rows included.
    """
    creating = call is None or call.pk is None
    call = call or Call()
    errors = _check_call(values)
    if row_errors := _check_rows(criteria or [], phases or []):
        errors["__all__"] = row_errors
    if errors:
        raise ValidationError(errors)
    if not creating:
        # Serialised with application_submit, which locks the call too: no submission slips in between this check
        # and the change of the rules it freezes.
        Call.objects.select_for_update().filter(pk=call.pk).first()
    if not creating and call_has_submissions(call):
        refusals = _frozen_refusals(call, values, criteria)
        if refusals:
            raise ValidationError(refusals)
    stored = None if creating else Call.objects.get(pk=call.pk)
    before = {} if creating else {name: _plain(getattr(stored, name)) for name in CALL_FIELDS}
    for name in CALL_FIELDS:
        if name in values:
            setattr(call, name, values[name])
    call.full_clean()
    call.save()
    changes = _changes(before, call, CALL_FIELDS, creating)
    for key, model, rows, fields in (
        ("criteria", RubricCriterion, criteria, CRITERION_FIELDS),
        ("phases", ReviewPhase, phases, PHASE_FIELDS),
        ("modules", CurriculumModule, modules, MODULE_FIELDS),
    ):
        if rows is not None:
            row_changes = _save_rows(call, model, rows, fields)
            if row_changes:
                changes[key] = row_changes
    audit_record(
        actor=by, action=f"scholarships.call.{'created' if creating else 'changed'}", target=call, changes=changes
    )
    return call


def _next_year(moment: dt.datetime) -> dt.datetime:
    try:
        return moment.replace(year=moment.year + 1)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year + 1, day=28)


def _next_cohort_name(name: str) -> str:
    """``Cohort 2027`` -> ``Cohort 2028``; a name without a year gets ``(copy)``."""
    years = list(re.finditer(r"(?<!\d)(19|20)\d\d(?!\d)", name))
    if not years:
        return _("%(name)s (copy)") % {"name": name}
    last = years[-1]
    return f"{name[: last.start()]}{int(last.group()) + 1}{name[last.end() :]}"


def _texts(row, *english_names: str) -> dict:
    """A row's texts in both languages (``name`` and ``name_fr``...), for its copy."""
    return {name: getattr(row, name) for english in english_names for name in (english, f"{english}_fr")}


@transaction.atomic
def call_copy(*, call: Call, by: User) -> Call:
    """Copy a call for the next cohort: every setting, dates a year later, its rubric, review phases (a year
    later), curriculum and letter templates; the copy is a draft (not published) for staff to edit.

    Side effects: audit record naming the call copied.
    """
    copy = Call.objects.get(pk=call.pk)
    copy.pk = copy.id = None
    copy._state.adding = True
    copy.cohort_name = _next_cohort_name(call.cohort_name)[:200]
    if call.cohort_name_fr:
        copy.cohort_name_fr = _next_cohort_name(call.cohort_name_fr)[:200]
    copy.opens_at, copy.closes_at = _next_year(call.opens_at), _next_year(call.closes_at)
    copy.is_published = False
    copy.full_clean()
    copy.save()
    RubricCriterion.objects.bulk_create(
        RubricCriterion(call=copy, weight=row.weight, order=row.order, **_texts(row, "name", "description"))
        for row in call.criteria.all()
    )
    ReviewPhase.objects.bulk_create(
        ReviewPhase(
            call=copy, **_texts(row, "name"), opens_at=_next_year(row.opens_at), closes_at=_next_year(row.closes_at)
        )
        for row in call.review_phases.all()
    )
    CurriculumModule.objects.bulk_create(
        CurriculumModule(call=copy, title=row.title, title_fr=row.title_fr, hours=row.hours, order=row.order)
        for row in call.modules.all()
    )
    LetterTemplate.objects.bulk_create(
        LetterTemplate(call=copy, outcome=row.outcome, **{name: getattr(row, name) for name in LETTER_TEMPLATE_FIELDS})
        for row in call.letter_templates.all()
    )
    audit_record(actor=by, action="scholarships.call.copied", target=copy, copied_from=call.pk)
    return copy


@transaction.atomic
def letter_template_save(*, call: Call, outcome: str, by: User, **values) -> LetterTemplate:
    """Write the call's letter template for one decision (placeholders checked by the model). Letters already in
    the outbox keep their text; the template is used for the letters drafted from now on.

    Side effects: audit record with what changed.
    """
    template = LetterTemplate.objects.select_for_update().filter(call=call, outcome=outcome).first()
    creating = template is None
    template = template or LetterTemplate(call=call, outcome=outcome)
    before = {} if creating else {name: getattr(template, name) for name in LETTER_TEMPLATE_FIELDS}
    for name in LETTER_TEMPLATE_FIELDS:
        setattr(template, name, (values.get(name) or "").strip())
    template.full_clean()
    template.save()
    audit_record(
        actor=by,
        action="scholarships.letter_template.saved",
        target=call,
        outcome=outcome,
        changed=[name for name in LETTER_TEMPLATE_FIELDS if creating or before[name] != getattr(template, name)],
    )
    return template
