"""The data-protection rows of the access matrix (tests/test_access_matrix.py) and the objects they need.

Everyone signed in manages their own data; only the person downloads their export (staff too get 404); staff
see the register and carry out a non-staff person's erasure."""

from tests.access_roles import APPLICANTS_OWN, PUBLIC, SIGNED_IN, STAFF_ONLY

ROWS = {
    "website:privacy": ("get", None, PUBLIC),
    "privacy:my_data": ("get", None, SIGNED_IN),
    "privacy:export_request": ("post", None, SIGNED_IN),
    "privacy:export_download": ("get", lambda w: {"pk": w["applicant_export"].pk}, APPLICANTS_OWN),
    "privacy:erasure_request": ("post", None, SIGNED_IN),
    "privacy:register": ("get", None, STAFF_ONLY),
    "privacy:erasure_carry_out": ("post", lambda w: {"pk": w["account_erasure"].pk}, STAFF_ONLY),
}


def world(base: dict, cast: dict, kenya, senegal) -> dict:
    from django.core.files.base import ContentFile

    from bacuda_portal.core import privacy_services
    from bacuda_portal.core.models import PersonalDataExport
    from tests.factories import UserFactory

    export = PersonalDataExport.objects.create(user=cast["applicant"], status="ready")
    export.file.save("export.zip", ContentFile(b"PK\x05\x06" + b"\0" * 18), save=True)
    leaving = UserFactory(role="applicant", email="leaving@example.org")
    return {
        "applicant_export": export,
        "account_erasure": privacy_services.erasure_request(user=leaving, note="Close my account."),
    }
