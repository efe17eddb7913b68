"""A cache of the dashboard's figures, so the dashboard answers fast with ten years of data.

Computed indicators scan nominations and attendance; the dashboard of a period and filter is cached whole under a
*data version*. The version changes whenever the portal's data changes: every state change of the
portal's services writes an audit entry (``core.AuditEntry``), and every save or delete of the data the indicators
read sends a signal; both bump the version, so the next dashboard computes afresh. Writes that bypass both (bulk
loads such as ``seed_demo --scale large``) show up after ``BACUDA_DASHBOARD_CACHE_SECONDS`` at the latest.

PDF reports never read this cache: a report is always computed from the database at rendering time.
"""

import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache
from django.utils import translation

VERSION_KEY = "reports:data-version"

# The models the dashboard shows (app label, model name): the results framework and what computed indicators read.
DATA_MODELS = (
    ("reports", "Objective"),
    ("reports", "Indicator"),
    ("reports", "IndicatorTarget"),
    ("reports", "IndicatorValue"),
    ("members", "Region"),
    ("workshops", "Workshop"),
    ("workshops", "Beneficiary"),
    ("workshops", "Session"),
    ("workshops", "Nomination"),
    ("workshops", "Attendance"),
    ("workshops", "Assignment"),
    ("missions", "Mission"),
    ("elearning", "Course"),
    ("experts", "Expert"),
    ("scholarships", "Application"),
    ("scholarships", "Decision"),
    ("scholarships", "ProgrammeOutcome"),
    ("algorithms", "ModelJob"),
    ("algorithms", "AlgorithmVersion"),
    ("members", "Administration"),
    ("evaluations", "Questionnaire"),
    ("evaluations", "QuestionnaireItem"),
    ("evaluations", "Response"),
    ("evaluations", "Question"),
)


def data_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.set(VERSION_KEY, version, None)
    return version


def bump_data_version(**kwargs) -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


# Audit entries that record a read (a page of personal data seen, an export, a download) change no figure. Bumping the
# version for them would recompute the dashboard after every staff list view.
READ_ACTIONS = ("viewed", "listed", "exported", "downloaded")


def on_audit_entry(sender, instance, created, **kwargs) -> None:
    # Our own audit entries (exports, report requests) do not change any figure either.
    if (
        created
        and not instance.action.startswith("reports.")
        and instance.action.rpartition(".")[2] not in READ_ACTIONS
    ):
        bump_data_version()


def cached(parts: tuple, compute):
    """``compute()``'s result, cached under the current data version for BACUDA_DASHBOARD_CACHE_SECONDS."""
    seconds = settings.BACUDA_DASHBOARD_CACHE_SECONDS
    if seconds <= 0:
        return compute()
    # The language too: a figure's note is translated when it is computed.
    digest = hashlib.sha256(repr((data_version(), translation.get_language(), *parts)).encode()).hexdigest()
    key = f"reports:figures:{digest}"
    result = cache.get(key)
    if result is None:
        result = compute()
        cache.set(key, result, seconds)
    return result


def connect_signals() -> None:
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save

    post_save.connect(on_audit_entry, sender="core.AuditEntry", dispatch_uid="reports-audit-entry")
    for label, name in DATA_MODELS:
        try:
            model = apps.get_model(label, name)
        except LookupError:
            continue
        post_save.connect(bump_data_version, sender=model, dispatch_uid=f"reports-save-{label}.{name}")
        post_delete.connect(bump_data_version, sender=model, dispatch_uid=f"reports-delete-{label}.{name}")
