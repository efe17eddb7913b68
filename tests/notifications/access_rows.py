"""The notifications' rows of the access matrix (tests/test_access_matrix.py): every page is staff only (the
log holds personal data; the preference applies to staff notifications)."""

from tests.access_roles import STAFF_ONLY

ROWS = {
    "notifications:template_list": ("get", None, STAFF_ONLY),
    "notifications:template_edit": ("get", lambda w: {"kind": "call_closing"}, STAFF_ONLY),
    "notifications:template_reset": ("post", lambda w: {"kind": "call_closing"}, STAFF_ONLY),
    "notifications:log": ("get", None, STAFF_ONLY),
    "notifications:preference": ("get", None, STAFF_ONLY),
}


def world(base: dict, cast: dict, kenya, senegal) -> dict:
    return {}
