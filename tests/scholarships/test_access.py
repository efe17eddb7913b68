"""Every scholarships page and endpoint with the cast: the applicant, another applicant, the administration's
contact point, another administration's, a reviewer, staff and an anonymous visitor."""

import pytest
from django.urls import reverse

ROLES = ["anonymous", "applicant", "other_applicant", "contact_point", "other_contact_point", "reviewer", "staff"]


@pytest.fixture
def people(cast, other_applicant):
    return {**cast, "other_applicant": other_applicant}


def _check(response, expected):
    if expected == "login":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == expected, response.content[:400]


@pytest.mark.parametrize("role", ROLES)
def test_public_call_pages_are_open_to_everyone(client_as, people, call, role):
    client = client_as(people[role])
    assert client.get(reverse("scholarships:call_list")).status_code == 200
    response = client.get(reverse("scholarships:call_detail", args=[call.pk]))
    assert response.status_code == 200
    assert "Machine learning for risk management" in response.content.decode()


def test_the_call_list_shows_the_open_calls_and_the_applicants_own_applications(client_as, applicant, application):
    content = client_as(applicant).get(reverse("scholarships:call_list")).content.decode()
    assert (
        f'<a href="{application.call.get_absolute_url()}">{application.call.programme.name} – Cohort 2027</a>'
        in content
    )
    assert f'<li><a href="{application.get_absolute_url()}">{application.call}</a> – Submitted</li>' in content


def test_anonymous_visitor_is_invited_to_create_an_account(client, call):
    content = client.get(reverse("scholarships:call_detail", args=[call.pk])).content.decode()
    assert reverse("account_signup") in content


def test_unpublished_call_is_not_found_for_the_public(client_as, people, call):
    call.is_published = False
    call.save()
    assert client_as(people["applicant"]).get(reverse("scholarships:call_detail", args=[call.pk])).status_code == 404
    assert client_as(people["staff"]).get(reverse("scholarships:call_detail", args=[call.pk])).status_code == 200


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", "login"), ("applicant", 302), ("other_applicant", 302), ("contact_point", 404),
     ("other_contact_point", 404), ("reviewer", 404), ("staff", 404)],
)  # fmt: skip
def test_only_applicants_start_an_application(client_as, people, call, role, expected):
    _check(client_as(people[role]).post(reverse("scholarships:application_start", args=[call.pk])), expected)


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", "login"), ("applicant", 200), ("other_applicant", 404), ("contact_point", 404),
     ("other_contact_point", 404), ("reviewer", 404), ("staff", 404)],
)  # fmt: skip
def test_only_the_applicant_edits_their_draft(client_as, people, draft, role, expected):
    _check(client_as(people[role]).get(reverse("scholarships:application_step", args=[draft.pk, "personal"])), expected)


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", "login"), ("applicant", 200), ("other_applicant", 404), ("contact_point", 404),
     ("other_contact_point", 404), ("reviewer", 404), ("staff", 200)],
)  # fmt: skip
def test_a_draft_is_hidden_from_the_contact_point(client_as, people, draft, role, expected):
    _check(client_as(people[role]).get(reverse("scholarships:application_detail", args=[draft.pk])), expected)


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", "login"), ("applicant", 200), ("other_applicant", 404), ("contact_point", 200),
     ("other_contact_point", 404), ("reviewer", 404), ("staff", 200)],
)  # fmt: skip
@pytest.mark.parametrize("url_name", ["scholarships:application_detail", "scholarships:application_document"])
def test_submitted_application_and_its_documents(client_as, people, application, role, expected, url_name):
    args = [application.pk] if url_name.endswith("detail") else [application.pk, "cv"]
    response = client_as(people[role]).get(reverse(url_name, args=args))
    _check(response, expected)
    if expected == 200 and url_name.endswith("document"):
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_unknown_document_name_is_not_found(client_as, applicant, application):
    url = reverse("scholarships:application_document", args=[application.pk, "status"])
    assert client_as(applicant).get(url).status_code == 404


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", "login"), ("applicant", 302), ("other_applicant", 404), ("contact_point", 404),
     ("other_contact_point", 404), ("reviewer", 404), ("staff", 404)],
)  # fmt: skip
def test_only_the_applicant_withdraws(client_as, people, application, role, expected):
    _check(client_as(people[role]).post(reverse("scholarships:application_withdraw", args=[application.pk])), expected)
    application.refresh_from_db()
    assert (application.status == "withdrawn") is (expected == 302)


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", "login"), ("applicant", 404), ("other_applicant", 404), ("contact_point", 200),
     ("other_contact_point", 200), ("reviewer", 404), ("staff", 404)],
)  # fmt: skip
def test_endorsement_list_is_for_contact_points(client_as, people, application, senegal_application, role, expected):
    response = client_as(people[role]).get(reverse("scholarships:endorsement_list"))
    _check(response, expected)
    if expected == 200:
        content = response.content.decode()
        assert ("Achieng Otieno" in content) is (role == "contact_point")
        assert ("Awa Diop" in content) is (role == "other_contact_point")


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", "login"), ("applicant", 404), ("other_applicant", 404), ("contact_point", 302),
     ("other_contact_point", 404), ("reviewer", 404), ("staff", 404)],
)  # fmt: skip
def test_only_the_administrations_contact_point_endorses(client_as, people, application, role, expected):
    url = reverse("scholarships:endorsement_decide", args=[application.pk])
    _check(client_as(people[role]).post(url, {"decision": "endorsed", "comment": ""}), expected)
    application.refresh_from_db()
    assert (application.endorsement_status == "endorsed") is (expected == 302)


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", "login"), ("applicant", 404), ("other_applicant", 404), ("contact_point", 404),
     ("other_contact_point", 404), ("reviewer", 404), ("staff", 200)],
)  # fmt: skip
def test_staff_application_list(client_as, people, application, role, expected):
    _check(client_as(people[role]).get(reverse("scholarships:staff_application_list")), expected)


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", "login"), ("applicant", 404), ("other_applicant", 404), ("contact_point", 404),
     ("other_contact_point", 404), ("reviewer", 404), ("staff", 302)],
)  # fmt: skip
def test_only_staff_override_eligibility(client_as, people, application, role, expected):
    url = reverse("scholarships:eligibility_override", args=[application.pk])
    _check(client_as(people[role]).post(url, {"result": "eligible", "rationale": "Service record checked."}), expected)
    application.refresh_from_db()
    assert (application.eligibility_result == "eligible") is (expected == 302)


# --- API -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("role", ROLES)
def test_api_calls_are_public(client_as, people, call, role):
    response = client_as(people[role]).get("/api/v1/scholarship-calls/")
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["results"]] == [call.pk]
    assert response.json()["results"][0]["modules"][0]["hours"] == 40


@pytest.mark.parametrize(
    ("role", "visible"),
    [("applicant", {"own"}), ("other_applicant", set()), ("contact_point", {"own"}),
     ("other_contact_point", {"senegal"}), ("reviewer", set()), ("staff", {"own", "senegal"})],
)  # fmt: skip
def test_api_applications_are_scoped(client_as, people, application, senegal_application, role, visible):
    ids = {"own": application.pk, "senegal": senegal_application.pk}
    client = client_as(people[role])
    listed = {item["id"] for item in client.get("/api/v1/scholarship-applications/").json()["results"]}
    assert listed == {ids[name] for name in visible}
    detail = client.get(f"/api/v1/scholarship-applications/{application.pk}/")
    assert detail.status_code == (200 if "own" in visible else 404)


def test_api_applications_need_a_sign_in(client, application):
    assert client.get("/api/v1/scholarship-applications/").status_code == 401
