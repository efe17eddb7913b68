"""Writes of the results framework on the portal's own pages (objectives, indicators, targets and values entered
with evidence), each validated by the model's rules and audited with what changed. The Django admin stays for the
manager's repairs; staff set the framework up here."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from bacuda_portal.core.services import audit_record

from .models import Indicator, IndicatorTarget, IndicatorValue, Objective

OBJECTIVE_FIELDS = ("code", "title_en", "title_fr", "order")
INDICATOR_FIELDS = (
    "objective", "code", "title_en", "title_fr", "unit", "unit_fr", "baseline", "baseline_year",
    "means_of_verification", "disaggregate_by_sex", "disaggregate_by_region", "source", "computed_key", "order",
    "is_active",
)  # fmt: skip
TARGET_FIELDS = ("period_start", "period_end", "value")
VALUE_FIELDS = (
    "period_start", "period_end", "value", "women", "men", "region", "administration", "evidence_url", "note",
)  # fmt: skip


def _plain(value: Any) -> Any:
    """A value as the audit log keeps it (JSON): a related row by its string, numbers and dates as text."""
    if isinstance(value, models.Model):
        return str(value)
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


def _save(instance: models.Model, fields: tuple[str, ...], values: dict, *, by, action: str, **extra) -> models.Model:
    """Set ``fields`` from ``values``, check every model rule (``full_clean``), save and audit the changes."""
    creating = instance.pk is None
    # What is stored, not the instance's attributes: a model form may already have changed those.
    stored = None if creating else type(instance).objects.get(pk=instance.pk)
    before = {} if creating else {name: _plain(getattr(stored, name)) for name in fields}
    for name in fields:
        if name in values:
            setattr(instance, name, values[name])
    for name, value in extra.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    after = {name: _plain(getattr(instance, name)) for name in fields}
    changes = {name: [before.get(name), after[name]] for name in fields if creating or before[name] != after[name]}
    audit_record(actor=by, action=f"{action}.{'created' if creating else 'changed'}", target=instance, changes=changes)
    return instance


@transaction.atomic
def objective_save(*, objective: Objective | None = None, by, **values) -> Objective:
    return _save(objective or Objective(), OBJECTIVE_FIELDS, values, by=by, action="reports.objective")


@transaction.atomic
def objective_delete(*, objective: Objective, by) -> None:
    """Delete an objective that has no indicator (its indicators are kept: deactivate them instead)."""
    if objective.indicators.exists():
        raise ValidationError(_("An objective with indicators cannot be deleted: move or deactivate them first."))
    audit_record(actor=by, action="reports.objective.deleted", target=objective)
    objective.delete()


@transaction.atomic
def indicator_save(*, indicator: Indicator | None = None, by, **values) -> Indicator:
    """Create or change an indicator. A computed one names a computation of the portal and carries no entered
    values: turning an indicator with entered values into a computed one is refused (the values would be lost)."""
    if indicator is not None and values.get("source") == "computed" and indicator.values.exists():
        raise ValidationError(
            {"source": _("This indicator has values entered by hand: it cannot become a computed one.")}
        )
    if values.get("source") == "manual":
        values["computed_key"] = ""
    return _save(indicator or Indicator(), INDICATOR_FIELDS, values, by=by, action="reports.indicator")


@transaction.atomic
def indicator_set_active(*, indicator: Indicator, active: bool, by) -> Indicator:
    """Retire an indicator from the dashboard and the reports (or bring it back); its history is kept."""
    return _save(indicator, ("is_active",), {"is_active": active}, by=by, action="reports.indicator")


@transaction.atomic
def target_save(*, indicator: Indicator, target: IndicatorTarget | None = None, by, **values) -> IndicatorTarget:
    target = target or IndicatorTarget(indicator=indicator)
    return _save(target, TARGET_FIELDS, values, by=by, action="reports.target")


@transaction.atomic
def target_delete(*, target: IndicatorTarget, by) -> None:
    audit_record(actor=by, action="reports.target.deleted", target=target.indicator, removed=str(target))
    target.delete()


def _check_value(values: dict) -> None:
    errors = {}
    women, men, total = values.get("women"), values.get("men"), values.get("value")
    if total is not None and (women or 0) + (men or 0) > total:
        errors["women"] = _("Women and men together cannot be more than the value.")
    if values.get("region") and values.get("administration"):
        errors["administration"] = _("Give a region or an administration, not both.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def value_save(
    *, indicator: Indicator, entered: IndicatorValue | None = None, evidence_file=None, by, **values
) -> IndicatorValue:
    """Enter (or correct) a value of a manual indicator with its evidence: a new file replaces the stored one."""
    _check_value(values)
    entered = entered or IndicatorValue(indicator=indicator, entered_by=by)
    # The stored name, not the instance's: a form may already have put the new upload on the instance.
    old_file = IndicatorValue.objects.filter(pk=entered.pk).values_list("evidence_file", flat=True).first() or ""
    old_file = old_file if evidence_file else ""
    extra = {"evidence_file": evidence_file} if evidence_file else {}
    saved = _save(entered, VALUE_FIELDS, values, by=by, action="reports.indicator_value", **extra)
    if old_file and old_file != saved.evidence_file.name:
        storage = saved.evidence_file.storage
        transaction.on_commit(lambda: storage.delete(old_file))
    return saved


@transaction.atomic
def value_delete(*, entered: IndicatorValue, by) -> None:
    """Delete an entered value; its evidence file goes with it once the deletion is committed."""
    name, storage = entered.evidence_file.name, entered.evidence_file.storage
    audit_record(actor=by, action="reports.indicator_value.deleted", target=entered.indicator, removed=str(entered))
    entered.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))
