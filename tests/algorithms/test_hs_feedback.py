"""AI-HS learning from use (issue 13): a user confirms or corrects a suggestion on the page or through the API; the
administration reviews its labelled descriptions (list, filters, paging, CSV, accept/reject one or many). Only the
owner administration and staff see them; another administration's id answers like a missing one."""

import csv
import io

import pytest
from django.core import signing
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from algorithms import hs
from algorithms.models import HsLabelledDescription
from bacuda_portal.core.models import AuditEntry
from tests.algorithms import tiny_engine
from tests.algorithms.factories import HsLabelledDescriptionFactory

pytestmark = pytest.mark.django_db

SUGGEST = reverse("algorithms:hs_suggest")
FEEDBACK = reverse("algorithms:hs_feedback")
LABELS = reverse("algorithms:hs_labelled_list")
REVIEW = reverse("algorithms:hs_labelled_review")


def token_client(user) -> APIClient:
    api = APIClient()
    if user is not None:
        api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return api


def page_token(client, description="green coffee beans", **query) -> str:
    """The feedback token the suggestion page hands out with its answer."""
    response = client.get(SUGGEST, {"description": description, **query})
    assert response.status_code == 200
    feedback = response.context["feedback"]
    return feedback["token"] if feedback else ""


# --- Feedback on the page -------------------------------------------------------------------------------------------
def test_a_contact_point_confirms_a_suggested_code_on_the_page(client, tiny_engines, contact_point, kenya):
    client.force_login(contact_point)
    page = client.get(SUGGEST, {"description": "green coffee beans"}).content.decode()
    assert "Confirm 090111" in page and "Why this code?" in page and "Record the correction" in page
    token = page_token(client)
    response = client.post(FEEDBACK, {"token": token, "code": "090111"})
    assert response.status_code == 302 and response["Location"].startswith(SUGGEST)
    label = HsLabelledDescription.objects.get()
    assert (label.administration, label.description, label.code) == (kenya, "green coffee beans", "090111")
    assert label.feedback == "confirmed" and label.status == "pending" and label.source == "suggestion_feedback"
    assert label.suggestions == [{"code": "090111", "confidence": 0.9}]
    assert label.model_version is None and label.model_name == "HS nomenclature only"
    assert label.created_by == contact_point
    assert AuditEntry.objects.filter(action="algorithms.hs_label.confirmed", target_id=str(label.pk)).exists()
    followed = client.get(response["Location"]).content.decode()
    assert "your confirmation of 090111 was recorded" in followed
    # the same confirmation sent twice is kept once
    client.post(FEEDBACK, {"token": token, "code": "090111"})
    assert HsLabelledDescription.objects.count() == 1


def test_a_correction_with_another_valid_code_is_kept_as_typed_in_any_usual_form(client, tiny_engines, contact_point):
    client.force_login(contact_point)
    response = client.post(FEEDBACK, {"token": page_token(client), "code": " 0901.21 "})
    assert response.status_code == 302
    label = HsLabelledDescription.objects.get()
    assert label.code == "090121" and label.feedback == "corrected"
    assert label.suggestions[0]["code"] == "090111"  # what was suggested then


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("10121", "a leading zero may have been lost"),
        ("0901.1", "six-digit HS subheading"),
        ("coffee", "six-digit HS subheading"),
        ("999999", "999999 is not a subheading of the HS 2022 nomenclature"),
        ("", "This field is required"),
    ],
)
def test_a_wrong_code_is_refused_with_a_clear_message_and_what_was_typed_stays(
    client, tiny_engines, contact_point, typed, message
):
    client.force_login(contact_point)
    response = client.post(FEEDBACK, {"token": page_token(client), "code": typed, "description": "green coffee beans"})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert f'value="{typed}"' in page if typed else 'name="code"' in page
    assert "Coffee, not roasted" in page  # the suggestions are shown again, to confirm or correct
    assert HsLabelledDescription.objects.count() == 0


@pytest.mark.parametrize("token", ["", "forged", "expired", "someone else's"])
def test_a_bad_or_old_token_is_refused_and_the_suggestion_is_asked_again(
    client, tiny_engines, contact_point, colleague, token, monkeypatch
):
    client.force_login(colleague)
    others = page_token(client)
    client.force_login(contact_point)
    good = page_token(client)
    if token == "forged":
        token = good[:-3] + ("AAA" if not good.endswith("AAA") else "BBB")
    elif token == "expired":
        monkeypatch.setattr(hs, "FEEDBACK_MAX_AGE", -1)
        token = good
    elif token == "someone else's":
        token = others
    response = client.post(FEEDBACK, {"token": token, "code": "090121", "description": "green coffee beans"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "too old or was not made for you" in page and 'value="090121"' in page and "Confirm 090111" in page
    assert HsLabelledDescription.objects.count() == 0


def test_a_signed_token_cannot_be_rewritten_to_record_other_suggestions(client, tiny_engines, contact_point, kenya):
    """The suggestions recorded are those the server made: a token signed with another salt is refused."""
    client.force_login(contact_point)
    forged = signing.dumps(
        {"d": "x", "s": [["090121", 0.99]], "v": None, "m": "m", "a": kenya.pk, "u": contact_point.pk},
        salt="another-purpose",
        compress=True,
    )
    assert client.post(FEEDBACK, {"token": forged, "code": "090121"}).status_code == 400
    assert HsLabelledDescription.objects.count() == 0


def test_staff_give_feedback_for_the_administration_they_chose(client, tiny_engines, staff, kenya):
    client.force_login(staff)
    page = client.get(SUGGEST, {"description": "green coffee beans"}).content.decode()
    assert "Choose an administration to confirm or correct" in page and "Confirm 090111" not in page
    token = page_token(client, administration=kenya.pk)
    response = client.post(FEEDBACK, {"token": token, "code": "090111"})
    assert response.status_code == 302 and f"administration={kenya.pk}" in response["Location"]
    assert HsLabelledDescription.objects.get().administration == kenya


def test_a_contact_point_who_left_the_administration_cannot_use_an_old_token(client, tiny_engines, contact_point):
    client.force_login(contact_point)
    token = page_token(client)
    contact_point.contact_point.delete()
    assert client.post(FEEDBACK, {"token": token, "code": "090111"}).status_code == 404
    assert HsLabelledDescription.objects.count() == 0


# --- Feedback through the API ----------------------------------------------------------------------------------------
def test_feedback_through_the_api(tiny_engines, contact_point, other_contact_point, kenya, expert):
    api = token_client(contact_point)
    answer = api.post("/api/v1/hs-suggestions/", {"description": "green coffee beans"}, format="json").json()
    assert answer["feedback_token"]
    assert answer["suggestions"][0]["why"] == tiny_engine.COFFEE_WHY
    created = api.post("/api/v1/hs-feedback/", {"token": answer["feedback_token"], "code": "0901.21"}, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["code"] == "090121" and body["feedback"] == "corrected" and body["status"] == "pending"
    assert body["administration"] == "KEN" and body["suggestions"] == [{"code": "090111", "confidence": 0.9}]
    bad_code = api.post("/api/v1/hs-feedback/", {"token": answer["feedback_token"], "code": "999999"}, format="json")
    assert bad_code.status_code == 400 and "not a subheading" in bad_code.json()["code"][0]
    bad_token = api.post("/api/v1/hs-feedback/", {"token": "x", "code": "090111"}, format="json")
    assert bad_token.status_code == 400 and "token" in bad_token.json()
    # another contact point cannot use Kenya's token; an anonymous caller must sign in; others are not let in
    stolen = token_client(other_contact_point).post(
        "/api/v1/hs-feedback/", {"token": answer["feedback_token"], "code": "090111"}, format="json"
    )
    assert stolen.status_code == 400 and "token" in stolen.json()
    assert APIClient().post("/api/v1/hs-feedback/", {}, format="json").status_code == 401
    assert token_client(expert).post("/api/v1/hs-feedback/", {}, format="json").status_code == 404
    assert HsLabelledDescription.objects.count() == 1


def test_staff_get_a_feedback_token_only_for_a_named_administration(tiny_engines, staff):
    api = token_client(staff)
    anonymous_answer = api.post("/api/v1/hs-suggestions/", {"description": "coffee"}, format="json").json()
    assert anonymous_answer["feedback_token"] is None
    named = api.post("/api/v1/hs-suggestions/", {"description": "coffee", "administration": "KEN"}, format="json")
    token = named.json()["feedback_token"]
    assert api.post("/api/v1/hs-feedback/", {"token": token, "code": "090111"}, format="json").status_code == 201
    assert HsLabelledDescription.objects.get().administration.code == "KEN"


# --- Who sees and reviews -----------------------------------------------------------------------------------------
@pytest.fixture
def labels(kenya, senegal, contact_point, other_contact_point):
    kenyan = [
        HsLabelledDescriptionFactory(administration=kenya, created_by=contact_point, description="roasted coffee"),
        HsLabelledDescriptionFactory(
            administration=kenya, created_by=contact_point, description="=HYPERLINK(evil)", code="090121"
        ),
    ]
    senegalese = HsLabelledDescriptionFactory(
        administration=senegal, created_by=other_contact_point, description="Senegal secret goods"
    )
    return {"kenya": kenyan, "senegal": senegalese}


@pytest.mark.parametrize(
    ("role", "sees"),
    [("anonymous", None), ("staff", {"KEN", "SEN"}), ("contact_point", {"KEN"}), ("other_contact_point", {"SEN"}),
     ("expert", None), ("applicant", None)],
)  # fmt: skip
def test_the_review_list_shows_only_the_users_administration(client_as, cast, labels, role, sees):
    response = client_as(cast[role]).get(LABELS)
    if sees is None:
        assert response.status_code in (302, 404)
        return
    assert response.status_code == 200
    codes = {label.administration.code for label in response.context["page"]}
    assert codes == sees
    assert ("Senegal secret goods" in response.content.decode()) == ("SEN" in sees)


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 401), ("staff", 200), ("contact_point", 200), ("other_contact_point", 404), ("expert", 404),
     ("applicant", 404)],
)  # fmt: skip
def test_api_detail_of_a_kenyan_label_by_role(cast, labels, role, expected):
    label = labels["kenya"][0]
    assert token_client(cast[role]).get(f"/api/v1/hs-feedback/{label.pk}/").status_code == expected


def test_another_administrations_id_answers_exactly_like_a_missing_id(client, labels, other_contact_point):
    kenyan = labels["kenya"][0].pk
    missing = HsLabelledDescription.objects.order_by("-pk").first().pk + 100
    api = token_client(other_contact_point)
    for suffix, method in (("", "get"), ("accept/", "post"), ("reject/", "post")):
        theirs = getattr(api, method)(f"/api/v1/hs-feedback/{kenyan}/{suffix}")
        nothing = getattr(api, method)(f"/api/v1/hs-feedback/{missing}/{suffix}")
        assert (theirs.status_code, theirs.json()) == (nothing.status_code, nothing.json()) == (404, nothing.json())
    bulk = [api.post("/api/v1/hs-feedback/review/", {"ids": [pk], "decision": "accepted"}, format="json").json()
            for pk in (kenyan, missing)]  # fmt: skip
    assert bulk[0] == bulk[1] == {"changed": 0, "unchanged": 0, "not_found": 1}
    client.force_login(other_contact_point)
    pages = [client.post(REVIEW, {"ids": [pk], "decision": "accepted"}, follow=True) for pk in (kenyan, missing)]
    texts = [[str(message) for message in page.context["messages"]] for page in pages]
    assert texts[0] == texts[1] == ["1 description was not found."]
    assert HsLabelledDescription.objects.get(pk=kenyan).status == "pending"


def test_the_api_lists_own_labels_and_filters_by_status(labels, contact_point):
    api = token_client(contact_point)
    assert {row["description"] for row in api.get("/api/v1/hs-feedback/").json()["results"]} == {
        "roasted coffee",
        "=HYPERLINK(evil)",
    }
    api.post(f"/api/v1/hs-feedback/{labels['kenya'][0].pk}/accept/")
    accepted = api.get("/api/v1/hs-feedback/?status=accepted").json()["results"]
    assert [row["description"] for row in accepted] == ["roasted coffee"]
    assert accepted[0]["reviewed_by"] == contact_point.email
    again = api.post(f"/api/v1/hs-feedback/{labels['kenya'][0].pk}/accept/")
    assert again.status_code == 400 and "already accepted" in again.json()["detail"]
    summary = api.post(
        "/api/v1/hs-feedback/review/",
        {"ids": [row.pk for row in labels["kenya"]], "decision": "rejected"},
        format="json",
    ).json()
    assert summary == {"changed": 2, "unchanged": 0, "not_found": 0}


# --- The review page ----------------------------------------------------------------------------------------------
def test_a_row_is_accepted_then_rejected_with_an_audit_record_each(client, labels, contact_point):
    label = labels["kenya"][0]
    client.force_login(contact_point)
    response = client.post(REVIEW + "?status=pending", {"row": f"accepted:{label.pk}"})
    assert response.status_code == 302 and response["Location"] == LABELS + "?status=pending"
    label.refresh_from_db()
    assert label.status == "accepted" and label.reviewed_by == contact_point and label.reviewed_at
    client.post(REVIEW, {"row": f"rejected:{label.pk}"})
    label.refresh_from_db()
    assert label.status == "rejected"
    actions = list(
        AuditEntry.objects.filter(target_id=str(label.pk), action__startswith="algorithms.hs_label.")
        .order_by("pk")
        .values_list("action", "data")
    )
    assert actions == [
        ("algorithms.hs_label.accepted", {"previous": "pending"}),
        ("algorithms.hs_label.rejected", {"previous": "accepted"}),
    ]


def test_bulk_review_changes_each_row_on_its_own_and_says_how_it_went(client, labels, contact_point):
    first, second = labels["kenya"]
    client.force_login(contact_point)
    client.post(REVIEW, {"row": f"accepted:{first.pk}"}, follow=True)
    response = client.post(
        REVIEW, {"ids": [first.pk, second.pk, labels["senegal"].pk], "decision": "accepted"}, follow=True
    )
    messages = [str(message) for message in response.context["messages"]]
    assert messages == [
        "1 description accepted.",
        "1 description already had that decision.",
        "1 description was not found.",
    ]
    assert set(HsLabelledDescription.objects.values_list("status", flat=True)) == {"accepted", "pending"}
    assert HsLabelledDescription.objects.get(pk=labels["senegal"].pk).status == "pending"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"decision": "accepted"}, "Tick at least one description."),
        ({"decision": "maybe", "ids": ["TICKED"]}, "Select a valid choice"),
        ({"decision": "accepted", "ids": ["abc", "TICKED"]}, "Select a valid choice"),
        ({"row": "pending:TICKED"}, "Select a valid choice"),
    ],
)
def test_bad_review_input_is_refused_and_the_ticks_stay(client, labels, contact_point, data, message):
    client.force_login(contact_point)
    ticked = str(labels["kenya"][0].pk)
    data = {key: [v.replace("TICKED", ticked) for v in value] if isinstance(value, list) else value.replace(
        "TICKED", ticked) for key, value in data.items()}  # fmt: skip
    response = client.post(REVIEW, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    if ticked in data.get("ids", []):
        assert f'value="{ticked}" id="label-{ticked}" checked' in page
    assert not HsLabelledDescription.objects.exclude(status="pending").exists()


def test_search_status_filter_and_paging(client, kenya, contact_point):
    HsLabelledDescriptionFactory.create_batch(55, administration=kenya, created_by=contact_point)
    HsLabelledDescriptionFactory(administration=kenya, description="frozen shrimp", code="030617", status="accepted")
    client.force_login(contact_point)
    first = client.get(LABELS)
    assert first.context["page"].paginator.count == 56 and len(first.context["page"]) == 50
    assert len(client.get(LABELS, {"page": 2}).context["page"]) == 6
    assert [label.code for label in client.get(LABELS, {"q": "0306"}).context["page"]] == ["030617"]
    assert [label.code for label in client.get(LABELS, {"q": "shrimp"}).context["page"]] == ["030617"]
    assert [label.code for label in client.get(LABELS, {"status": "accepted"}).context["page"]] == ["030617"]
    assert client.get(LABELS, {"status": "nonsense"}).context["page"].paginator.count == 56
    assert "55 awaiting review, 1 accepted, 0 rejected." in first.content.decode()


def test_the_csv_export_is_scoped_formula_neutral_and_audited(client, labels, contact_point):
    client.force_login(contact_point)
    response = client.get(LABELS, {"format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:4] == ["Id", "Administration", "Goods description", "HS code"]
    descriptions = {row[2] for row in rows[1:]}
    assert descriptions == {"roasted coffee", "'=HYPERLINK(evil)"}
    assert rows[1][6] == "090111 (0.70); 090112 (0.20)"
    assert AuditEntry.objects.filter(action="algorithms.hs_labels.exported", actor=contact_point).exists()


def test_review_list_query_count_does_not_grow(client, kenya, staff, contact_point, django_assert_max_num_queries):
    HsLabelledDescriptionFactory.create_batch(
        40, administration=kenya, created_by=contact_point, reviewed_by=staff, status="accepted"
    )
    for user in (contact_point, staff):
        client.force_login(user)
        with django_assert_max_num_queries(12):
            assert client.get(LABELS).status_code == 200


def test_a_suggestion_shows_why_with_the_nomenclature_and_the_nearest_labelled_examples(
    client, tiny_engines, contact_point, other_contact_point, kenya
):
    from algorithms import runner, services

    HsLabelledDescriptionFactory.create_batch(10, administration=kenya, status="accepted")
    job = services.job_submit(
        kind="aihs_train", administration=kenya, params={"source": "accepted_feedback"}, by=contact_point
    )
    assert runner.job_run(job_id=job.pk, heartbeat=False).produced_version.aliases.get().name == "champion"
    client.force_login(contact_point)
    page = client.get(SUGGEST, {"description": "green coffee beans"}).content.decode()
    assert "Heading 0901" in page and "Coffee, whether or not roasted or decaffeinated" in page
    assert "Nearest labelled descriptions of your administration" in page and "arabica beans, green" in page
    why = (
        token_client(contact_point)
        .post("/api/v1/hs-suggestions/", {"description": "green coffee beans"}, format="json")
        .json()["suggestions"][0]["why"]
    )
    assert why["examples"] == [{"description": "arabica beans, green", "code": "090111"}]
    # another administration is answered by its own model (here the nomenclature), never with Kenya's examples
    client.force_login(other_contact_point)
    assert "arabica beans, green" not in client.get(SUGGEST, {"description": "green coffee beans"}).content.decode()
