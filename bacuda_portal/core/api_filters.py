"""Filters every app's API may use."""

from collections.abc import Callable

import django_filters
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet


class ScopedModelChoiceFilter(django_filters.ModelChoiceFilter):
    """``?name=<id>`` among the rows ``visible(user)`` returns (an app's access layer): a row the user may not see
    is "not one of the available choices", exactly like one that does not exist. An unscoped choice filter would
    answer 200 with no rows for the one and 400 for the other, telling which ids exist."""

    def __init__(self, *, visible: Callable[..., QuerySet], **kwargs):
        self.visible = visible
        super().__init__(queryset=self._visible_for_request, **kwargs)

    def _visible_for_request(self, request) -> QuerySet:
        return self.visible(getattr(request, "user", None) or AnonymousUser())
