"""The reports rows of the access matrix (tests/test_access_matrix.py) and the objects they need."""

ROWS: dict = {}


def world(base: dict, cast: dict, kenya, senegal) -> dict:
    """Objects these rows name, added to the shared world (``base``)."""
    return {}
