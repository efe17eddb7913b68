"""Every workshops page with the cast: staff, own contact point, another administration's, an expert, anonymous."""

import pytest
from django.urls import reverse

from workshops.models import Nomination

from .factories import NominationFactory, WorkshopRequestFactory

ROLES = ["anonymous", "staff", "contact_point", "other_contact_point", "expert", "applicant"]


def _check(response, expected):
    if expected == "login":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == expected, response.content[:400]


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", "login"), ("staff", 200), ("contact_point", 200), ("other_contact_point", 404),
     ("expert", 200), ("applicant", 404)],
)  # fmt: skip
def test_workshop_page(client_as, cast, workshop, assigned_expert, role, expected):
    _check(client_as(cast[role]).get(reverse("workshops:detail", args=[workshop.pk])), expected)


def test_unassigned_expert_does_not_see_the_workshop(client_as, expert_profile, workshop):
    assert client_as(expert_profile.user).get(reverse("workshops:detail", args=[workshop.pk])).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_workshop_list_shows_only_visible_workshops(client_as, cast, workshop, senegal_workshop, role):
    response = client_as(cast[role]).get(reverse("workshops:list"))
    if role == "anonymous":
        return _check(response, "login")
    content = response.content.decode()
    assert response.status_code == 200
    sees_kenya = role in ("staff", "contact_point")
    sees_senegal = role in ("staff", "other_contact_point")
    assert (workshop.title in content) is sees_kenya
    assert (senegal_workshop.title in content) is sees_senegal


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", "login"), ("staff", 200), ("contact_point", 404), ("other_contact_point", 404),
     ("expert", 404), ("applicant", 404)],
)  # fmt: skip
@pytest.mark.parametrize("url_name", ["workshops:create", "workshops:edit"])
def test_staff_only_forms(client_as, cast, workshop, role, expected, url_name):
    args = [workshop.pk] if url_name == "workshops:edit" else []
    _check(client_as(cast[role]).get(reverse(url_name, args=args)), expected)


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", "login"), ("staff", 302), ("contact_point", 404), ("other_contact_point", 404), ("expert", 404)],
)
@pytest.mark.parametrize("action", ["confirm", "cancel", "plan"])
def test_status_changes_are_staff_only(client_as, cast, workshop, role, expected, action):
    _check(
        client_as(cast[role]).post(reverse("workshops:transition", args=[workshop.pk, action]), {"reason": "x"}),
        expected,
    )


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", "login"), ("staff", 404), ("contact_point", 302), ("other_contact_point", 404), ("expert", 404)],
)
def test_only_the_beneficiarys_contact_point_nominates(client_as, cast, workshop, role, expected):
    data = {
        "full_name": "A B",
        "gender": "female",
        "position": "Analyst",
        "email": "ab@customs.example",
        "language": "en",
    }
    response = client_as(cast[role]).post(reverse("workshops:nomination_create", args=[workshop.pk]), data)
    _check(response, expected)
    assert Nomination.objects.filter(email="ab@customs.example").exists() == (expected == 302)


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", "login"), ("staff", 302), ("contact_point", 404), ("other_contact_point", 404), ("expert", 404)],
)
@pytest.mark.parametrize("action", ["accept", "waitlist", "decline"])
def test_nomination_decisions_are_staff_only(client_as, cast, workshop, role, expected, action):
    nomination = NominationFactory(workshop=workshop)
    _check(client_as(cast[role]).post(reverse("workshops:nomination_decide", args=[nomination.pk, action])), expected)


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", "login"), ("staff", 302), ("contact_point", 302), ("other_contact_point", 404), ("expert", 404)],
)
def test_withdraw_a_nomination(client_as, cast, workshop, role, expected):
    nomination = NominationFactory(workshop=workshop)
    _check(client_as(cast[role]).post(reverse("workshops:nomination_withdraw", args=[nomination.pk])), expected)
    nomination.refresh_from_db()
    assert (nomination.status == "withdrawn") == (expected == 302)


def test_contact_point_sees_only_own_nominations_on_a_regional_workshop(
    client_as, contact_point, regional_workshop, kenya, senegal
):
    NominationFactory(workshop=regional_workshop, administration=kenya, full_name="Kenyan Official")
    NominationFactory(workshop=regional_workshop, administration=senegal, full_name="Senegalese Official")
    content = client_as(contact_point).get(reverse("workshops:detail", args=[regional_workshop.pk])).content.decode()
    assert "Kenyan Official" in content
    assert "Senegalese Official" not in content
    assert "Quota for" not in content  # quotas are edited by staff only


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", "login"), ("staff", 200), ("contact_point", 200), ("other_contact_point", 200),
     ("expert", 404), ("applicant", 404)],
)  # fmt: skip
def test_request_list(client_as, cast, role, expected):
    _check(client_as(cast[role]).get(reverse("workshops:request_list")), expected)


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", "login"), ("staff", 404), ("contact_point", 200), ("expert", 404), ("applicant", 404)],
)
def test_request_form_is_for_contact_points(client_as, cast, role, expected):
    _check(client_as(cast[role]).get(reverse("workshops:request_create")), expected)


def test_contact_point_sees_only_own_requests(client_as, contact_point, other_contact_point, kenya, senegal):
    WorkshopRequestFactory(administration=kenya, topic="Kenyan request")
    WorkshopRequestFactory(administration=senegal, topic="Senegalese request")
    content = client_as(contact_point).get(reverse("workshops:request_list")).content.decode()
    assert "Kenyan request" in content and "Senegalese request" not in content


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", "login"), ("staff", 302), ("contact_point", 404), ("other_contact_point", 404)],
)
def test_request_decisions_are_staff_only(client_as, cast, kenya, role, expected):
    workshop_request = WorkshopRequestFactory(administration=kenya)
    _check(
        client_as(cast[role]).post(reverse("workshops:request_decide", args=[workshop_request.pk, "accept"])), expected
    )


@pytest.mark.parametrize(("role", "expected"), [("contact_point", 302), ("other_contact_point", 404), ("staff", 404)])
def test_request_withdrawal_is_for_its_administration(client_as, cast, kenya, role, expected):
    workshop_request = WorkshopRequestFactory(administration=kenya)
    _check(client_as(cast[role]).post(reverse("workshops:request_withdraw", args=[workshop_request.pk])), expected)


@pytest.mark.parametrize(
    ("role", "expected"), [("expert", 302), ("staff", 404), ("contact_point", 404), ("anonymous", "login")]
)
def test_only_the_expert_answers_their_assignment(client_as, cast, workshop, assigned_expert, role, expected):
    assignment = workshop.assignments.get()
    _check(
        client_as(cast[role]).post(reverse("workshops:assignment_answer", args=[assignment.pk, "confirm"])), expected
    )
