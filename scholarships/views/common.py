"""What the pages share: the page size, the paginator that counts once, the steps and reasons shown."""

from django.core.paginator import Paginator
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme

from ..enums import (
    ApplicationStep,
    EligibilityRule,
)

PAGE_SIZE = 50


class CountedPaginator(Paginator):
    """A paginator told its count (when the list's own count would be a costly query)."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def _steps(application, current: str) -> list[dict]:
    return [
        {"key": step.value, "label": step.label, "current": step.value == current,
         "url": reverse("scholarships:application_step", args=[application.pk, step.value])}
        for step in ApplicationStep
    ]  # fmt: skip


def _reasons_for_display(reasons: list[dict]) -> list[dict]:
    labels = dict(EligibilityRule.choices)
    return [{**reason, "label": labels.get(reason["rule"], reason["rule"])} for reason in reasons]


def _error_text(error) -> str:
    return " ".join(getattr(error, "messages", None) or [str(error)])


def _safe_next(request, fallback: str) -> str:
    """The page a form came from (its ``next`` field) when it is on this site, else ``fallback``."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback
