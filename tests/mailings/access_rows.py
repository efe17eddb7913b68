"""The mailings' rows of the access matrix (tests/test_access_matrix.py) and the objects they need: every page is
WCO staff work; contact points, experts and applicants are told "not found", anonymous visitors to sign in."""

from tests.access_roles import STAFF_ONLY

ROWS = {
    "mailings:mailing_list": ("get", None, STAFF_ONLY),
    "mailings:mailing_create": ("get", None, STAFF_ONLY),
    "mailings:mailing_detail": ("get", lambda w: {"pk": w["mailing"].pk}, STAFF_ONLY),
    "mailings:mailing_edit": ("get", lambda w: {"pk": w["mailing"].pk}, STAFF_ONLY),
    "mailings:mailing_preview": ("get", lambda w: {"pk": w["mailing"].pk}, STAFF_ONLY),
    "mailings:mailing_send": ("post", lambda w: {"pk": w["mailing"].pk}, STAFF_ONLY),  # staff: 400, not confirmed
    "mailings:mailing_status": ("get", lambda w: {"pk": w["mailing"].pk}, STAFF_ONLY),
    "mailings:mailing_retry": ("post", lambda w: {"pk": w["mailing"].pk}, STAFF_ONLY),  # staff: refused, redirect
    "mailings:template_list": ("get", None, STAFF_ONLY),
    "mailings:template_create": ("get", None, STAFF_ONLY),
    "mailings:template_edit": ("get", lambda w: {"pk": w["mailing_template"].pk}, STAFF_ONLY),
}


def world(base: dict, cast: dict, kenya, senegal) -> dict:
    """A draft mailing to the shared workshop's participants, and a template."""
    from bacuda_portal.mailings import services

    template = services.template_create(name="Welcome", subject_en="Welcome", body_en="Dear {{ name }}",
                                        by=cast["staff"])  # fmt: skip
    mailing = services.mailing_create(audience="workshop_participants", workshop=base["workshop"], by=cast["staff"],
                                      subject_en="Practical information", body_en="Dear {{ name }}")  # fmt: skip
    return {"mailing": mailing, "mailing_template": template}
