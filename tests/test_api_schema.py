"""The OpenAPI schema of every endpoint generates without error or warning and validates."""

from django.core.management import call_command


def test_openapi_schema_is_valid_and_complete(db, tmp_path):
    target = tmp_path / "schema.yaml"
    call_command(
        "spectacular", "--api-version", "v1", "--urlconf", "bacuda_portal.api_urls", "--validate", "--fail-on-warn",
        "--file", str(target),
    )  # fmt: skip
    schema = target.read_text()
    for path in ("/api/v1/workshops/", "/api/v1/nominations/", "/api/v1/experts/", "/api/v1/courses/",
                 "/api/v1/missions/", "/api/v1/administrations/"):  # fmt: skip
        assert path in schema
