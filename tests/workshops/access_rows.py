"""The participant's page and the personal links: rows of the access matrix (tests/test_access_matrix.py) and the
objects they need.

The participant's page, its calendar and its certificate are public to whoever holds the personal link (no
account); sending or revoking a link and revoking or reissuing a certificate are staff only."""

import datetime as dt

from django.utils import timezone

from tests.access_roles import PUBLIC, STAFF_ONLY
from workshops.models import ParticipantLink, hash_participant_token

PARTICIPANT_TOKEN = "matrix-participant-token-0123456789abcdefghijk"

ROWS = {
    "participant:link_request": ("get", None, PUBLIC),
    "participant:page": ("get", lambda w: {"token": w["participant_token"]}, PUBLIC),
    "participant:calendar": ("get", lambda w: {"token": w["participant_token"]}, PUBLIC),
    "participant:certificate": ("get", lambda w: {"token": w["participant_token"]}, PUBLIC),
    "workshops:participant_link_send": ("post", lambda w: {"nomination_pk": w["nomination"].pk}, STAFF_ONLY),
    "workshops:participant_links_revoke": ("post", lambda w: {"nomination_pk": w["nomination"].pk}, STAFF_ONLY),
    "workshops:certificate_revoke": (
        "post",
        lambda w: {"pk": w["workshop"].pk, "certificate_pk": w["certificate"].pk},
        STAFF_ONLY,
    ),
    "workshops:certificate_reissue": (
        "post",
        lambda w: {"pk": w["workshop"].pk, "certificate_pk": w["certificate"].pk},
        STAFF_ONLY,
    ),
}


def world(base: dict, cast: dict, kenya, senegal) -> dict:
    """A working personal link of the world's accepted participant (whose certificate is ready)."""
    ParticipantLink.objects.create(
        nomination=base["nomination"],
        token_hash=hash_participant_token(PARTICIPANT_TOKEN),
        expires_at=timezone.now() + dt.timedelta(days=30),
    )
    return {"participant_token": PARTICIPANT_TOKEN}
