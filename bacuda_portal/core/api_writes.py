"""What the API's write endpoints share: a state conflict answered with 409, and the per-row summary of a bulk action.

A service refuses a transition the object's state does not allow with ``TransitionError``; the project's exception
handler (``core.parsers``) answers it with ``StateConflict``, a 409 that tells a client the body was fine and the
state was not. A refused body (a serializer, or a service's ``ValidationError``) stays a 400 with field messages.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers, status
from rest_framework.exceptions import APIException

from .bulk import bulk_apply


class StateConflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="Why the object's current state does not allow the change.")


class BulkIdsSerializer(serializers.Serializer):
    # max: a row id PostgreSQL and SQLite can both compare (a larger number is refused as a 400, not a 500)
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2_147_483_647), min_length=1, max_length=2000
    )


class BulkFailureSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reason = serializers.CharField()


class BulkSummarySerializer(serializers.Serializer):
    done = serializers.ListField(child=serializers.IntegerField(), help_text="The ids changed, in the order given.")
    failed = BulkFailureSerializer(many=True, help_text="The ids left unchanged, each with its reason.")


def bulk_summary(ids: Iterable[int], rows: dict[int, Any], action: Callable[[Any], Any]) -> dict:
    """Run ``action`` on each row named by ``ids`` (in their order, once each), one transaction per row, as the bulk
    pages do (``core.bulk.bulk_apply``). An id that is not among ``rows`` (the rows the user may act on) fails as
    not found, like a missing row."""
    ordered = list(dict.fromkeys(ids))
    outcome = bulk_apply([rows[pk] for pk in ordered if pk in rows], action, label=lambda row: str(row.pk))
    failed = {int(label): reason for label, reason in outcome.failed}
    failed.update({pk: _("Not found.") for pk in ordered if pk not in rows})
    return {
        "done": [int(label) for label in outcome.done],
        "failed": [{"id": pk, "reason": failed[pk]} for pk in ordered if pk in failed],
    }
