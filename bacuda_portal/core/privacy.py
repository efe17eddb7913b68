"""The register of personal data: what the portal holds on people, why, for how long, and how it is erased.

Each app declares its own kinds of personal data ("categories") in its ``privacy.py`` module, which calls
``register(Category(...))`` at import time with the app's own selectors and services; ``autodiscover()`` (run by
``CoreConfig.ready``) imports those modules, as Django's admin does with ``admin.py``. Core never imports an app:
the retention run, the erasure of a person, the per-person export, the staff register and the public privacy
notice all go through the callables registered here.

Erasure pseudonymises rather than deletes where a row carries statistics (counts by administration, sex, region
and year stay right): names become ``pseudonym(...)``, addresses ``erased_email(...)``, files are deleted.
"""

import datetime as dt
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models import Model, QuerySet

# Reserved by RFC 2606: an erased address can never receive mail, and it marks the row as erased.
ERASED_DOMAIN = "erased.invalid"
# Names replaced by erasure start with this; selectors use it to tell erased rows from live ones.
ERASED_PREFIX = "[erased"
# What the audit log shows where an erased name or address stood.
AUDIT_REPLACEMENT = "[erased]"


def erased_email(label: str) -> str:
    """An address that is unique (random), invalid (cannot be mailed) and recognisable as erased."""
    return f"erased-{label}-{secrets.token_hex(6)}@{ERASED_DOMAIN}"


def is_erased_email(email: str) -> bool:
    return (email or "").lower().endswith("@" + ERASED_DOMAIN)


def pseudonym(kind: str, pk: Any) -> str:
    """The name an erased person keeps on a row, e.g. ``[erased participant #12]``: stable, never a real name."""
    return f"{ERASED_PREFIX} {kind} #{pk}]"


def is_pseudonym(name: str) -> bool:
    return (name or "").startswith(ERASED_PREFIX)


def years_before(moment: dt.datetime, years: int) -> dt.datetime:
    """The same day ``years`` earlier (28 February for a 29 February that year lacks)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


def months_before(moment: dt.datetime, months: int) -> dt.datetime:
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    for day in (moment.day, 30, 29, 28):
        try:
            return moment.replace(year=year, month=month + 1, day=day)
        except ValueError:
            continue
    raise ValueError(moment)


def delete_file(field_file) -> None:
    """Empty a file field in memory and delete its file from storage once the transaction commits (a rolled-back
    erasure keeps the file its row still names). The caller saves the row."""
    if not field_file:
        return
    storage, name = field_file.storage, field_file.name
    field_file.name = ""
    transaction.on_commit(lambda: storage.delete(name))


@dataclass(frozen=True)
class DataSubject:
    """The person an erasure or an export is about: their account (if any) and every address they are known by.

    Taken once, before anything is erased, so that categories which find rows by address still find them after
    the account's own address has been replaced.
    """

    user_id: int | None
    emails: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()

    @classmethod
    def for_user(cls, user) -> "DataSubject":
        from allauth.account.models import EmailAddress  # third party, not one of our apps

        emails = {user.email.lower()} | {
            address.lower() for address in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
        }
        emails = {email for email in emails if email and not is_erased_email(email)}
        names = {user.full_name} if user.full_name and not is_pseudonym(user.full_name) else set()
        return cls(user_id=user.pk, emails=frozenset(emails), names=frozenset(names))


# ``erase(row, now=..., on_request=...)`` returns the strings (names, addresses) it removed, for the audit log to
# be scrubbed of them, or None when the row held nothing any more (already erased: a second run does nothing).
Eraser = Callable[..., set[str] | None]


@dataclass(frozen=True)
class Category:
    """One kind of personal data, as the privacy notice and the staff register show it.

    ``retention`` describes the period in words, from the setting that fixes it (so the notice is always true);
    ``held`` are the rows that still hold personal data; ``due(now)`` those whose period has run out, oldest first
    by ``due_since`` (the field the period runs from); ``of_subject`` one person's rows; ``export`` one row as
    JSON-ready data and ``files`` its files as ``(name in the archive, FieldFile)``. ``held_on_request(row, now)``
    tells a row that an erasure request may not remove yet (a legal obligation, such as financial records):
    it is kept until its own period ends and the beat task erases it then.
    """

    key: str
    title: Any
    purpose: Any
    legal_basis: Any
    data: Any
    retention: Callable[[], str]
    held: Callable[[], QuerySet]
    due: Callable[[dt.datetime], QuerySet]
    due_since: str
    erase: Eraser
    of_subject: Callable[[DataSubject], QuerySet]
    export: Callable[[Model], dict]
    files: Callable[[Model], list[tuple[str, Any]]] = field(default=lambda row: [])
    held_on_request: Callable[[Model, dt.datetime], bool] | None = None
    on_request_note: Any = ""
    # Order of erasure within one person's request: rows found through the account before the account itself.
    order: int = 50
    # Order on the privacy notice and the register: as a reader meets the portal (account, workshops, ...).
    display_order: int = 50


_REGISTRY: dict[str, Category] = {}


def register(category: Category) -> Category:
    if category.key in _REGISTRY and _REGISTRY[category.key] is not category:
        raise ValueError(f"Personal-data category {category.key!r} is registered twice.")
    _REGISTRY[category.key] = category
    return category


def categories(keys: Iterable[str] | None = None) -> list[Category]:
    """The registered categories (all, or the ones named), in erasure order."""
    chosen = _REGISTRY.values() if not keys else [_REGISTRY[key] for key in keys if key in _REGISTRY]
    return sorted(chosen, key=lambda category: (category.order, category.key))


def categories_for_display() -> list[Category]:
    """The registered categories in reading order (the privacy notice, the register)."""
    return sorted(_REGISTRY.values(), key=lambda category: (category.display_order, category.key))


def get(key: str) -> Category:
    return _REGISTRY[key]


def autodiscover() -> None:
    """Import ``<app>.privacy`` for every installed app that has one (each registers its categories)."""
    for config in apps.get_app_configs():
        try:
            import_module(f"{config.name}.privacy")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.privacy":
                raise
