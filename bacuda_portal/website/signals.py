"""Content that the public pages show changed: make the cached pages stale (see ``caching.py``).

Connected in ``apps.WebsiteConfig.ready``. Services that change these rows call ``save()``, which sends the
signals. What changes without them (a bulk ``update()`` or ``bulk_create()``, such as ``seed_demo``), a news post
whose publication date comes later, and the key figures (attendance, nominations) show after at most
``BACUDA_PUBLIC_CACHE_SECONDS`` (5 minutes by default).
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from .caching import bump_content_version


def _content_changed(sender, **kwargs):
    # Now, and again once the transaction commits: a page rendered in between from the old rows is dropped too.
    bump_content_version()
    transaction.on_commit(bump_content_version)


def connect() -> None:
    from scholarships.models import Call, CurriculumModule
    from workshops.elearning.models import Course
    from workshops.models import Beneficiary, Workshop

    from .models import NewsPost

    for model in (NewsPost, Workshop, Beneficiary, Course, Call, CurriculumModule):
        post_save.connect(_content_changed, sender=model, dispatch_uid=f"website-{model._meta.label_lower}-save")
        post_delete.connect(_content_changed, sender=model, dispatch_uid=f"website-{model._meta.label_lower}-delete")
    m2m_changed.connect(_content_changed, sender=Workshop.beneficiaries.through, dispatch_uid="website-beneficiaries")
