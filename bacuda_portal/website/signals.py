"""Content that the public pages show changed: make the cached pages stale (see ``caching.py``).

Connected in ``apps.WebsiteConfig.ready``. Services that change these rows call ``save()``, which sends the
signals. What changes without them (a bulk ``update()`` or ``bulk_create()``, such as ``seed_demo``), a news post
whose publication date comes later, and the key figures (attendance, nominations) show after at most
``BACUDA_PUBLIC_CACHE_SECONDS`` (5 minutes by default).
"""

from django.apps import apps
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from .caching import bump_content_version


def _content_changed(sender, **kwargs):
    # Now, and again once the transaction commits: a page rendered in between from the old rows is dropped too.
    bump_content_version()
    transaction.on_commit(bump_content_version)


# The rows the public pages show, by model label: the website listens to the domain apps' signals without
# importing their models (the read contract, docs/architecture.md).
PUBLIC_CONTENT = (
    "website.NewsPost",
    "workshops.Workshop",
    "workshops.Beneficiary",
    "elearning.Course",
    "scholarships.Call",
    "scholarships.CurriculumModule",
)


def connect() -> None:
    for label in PUBLIC_CONTENT:
        model = apps.get_model(label)
        post_save.connect(_content_changed, sender=model, dispatch_uid=f"website-{model._meta.label_lower}-save")
        post_delete.connect(_content_changed, sender=model, dispatch_uid=f"website-{model._meta.label_lower}-delete")
    beneficiaries = apps.get_model("workshops.Workshop").beneficiaries.through
    m2m_changed.connect(_content_changed, sender=beneficiaries, dispatch_uid="website-beneficiaries")
