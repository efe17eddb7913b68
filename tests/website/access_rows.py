"""The public website's rows of the access matrix (tests/test_access_matrix.py) and the objects they need."""

from tests.access_roles import PUBLIC

ROWS = {
    "website:home": ("get", None, PUBLIC),
}


def world(base: dict, cast: dict, kenya, senegal) -> dict:
    """Objects these rows name, added to the shared world (``base``)."""
    return {}
