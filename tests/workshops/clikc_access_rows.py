"""CLiKC! enrolment: rows of the access matrix (tests/test_access_matrix.py) and the objects they need.

The Moodle user-upload download and the completion import are staff work: anyone else finds nothing (404)."""

from tests.access_roles import STAFF_ONLY

ROWS = {
    "workshops:clikc_users": ("get", lambda w: {"pk": w["workshop"].pk}, STAFF_ONLY),
    "workshops:clikc_completions_import": ("get", lambda w: {"pk": w["workshop"].pk}, STAFF_ONLY),
}


def world(base: dict, cast: dict, kenya, senegal) -> dict:
    """The world's workshop gets a CLiKC! course and group, and the world's course as its prerequisite."""
    workshop = base["workshop"]
    workshop.clikc_course_short_name = "BACUDA-MATRIX"
    workshop.clikc_group_name = "Matrix group"
    workshop.prerequisite_course = base["course"]
    workshop.save(update_fields=["clikc_course_short_name", "clikc_group_name", "prerequisite_course"])
    return {}
