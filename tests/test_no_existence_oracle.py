"""No existence oracle: an id the user may not see answers exactly like one that does not exist, in status and
body, across the API (bodies and query filters) and the pages (forms and URLs).

As Kenya's contact point (a token for the API, a session for the pages), each case is asked twice: (a) with an id
that does not exist, (b) with an id of Senegal's (or of a row Kenya may not see), and the two answers must be
identical once the id itself is normalised. The cases are found by walking, so that a new field, filter, form or
URL is covered as soon as it exists:
- every writable related field of every POST/PUT/PATCH operation of the OpenAPI schema (and it must be a scoped
  field, looked up among the rows the user may see);
- every model-choice filter of every API list (scoped the same way, unless it chooses public reference data);
- every form with a model choice: a page case below, or an entry in ``FORMS_WITHOUT_HIDDEN_ROWS`` saying why no
  row can be hidden from the people who fill it;
- every URL of the access matrix that names a row, for every role the matrix expects a 404 from.
"""

import difflib
import json
import re

import django_filters
import pytest
from django import forms
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import serializers
from rest_framework.authtoken.models import Token

from algorithms.models import AlgorithmVersion, Dataset
from bacuda_portal.core.api_fields import ScopedRelatedFieldMixin
from bacuda_portal.core.api_filters import ScopedModelChoiceFilter
from bacuda_portal.members.models import Administration, Region
from bacuda_portal.reports.models import Indicator, Objective
from scholarships.models import Call
from tests.access_roles import ROLES
from tests.algorithms.conftest import csv_upload
from tests.algorithms.factories import AlgorithmFactory, AlgorithmVersionFactory, DatasetFactory, sample_csv
from tests.algorithms.image_samples import picture
from tests.algorithms.image_samples import upload as image_upload
from tests.api.routes import api_routes, view_for, write_operations
from tests.evaluations.factories import QuestionFactory
from tests.hostile.test_forms import FORMS, _build
from tests.missions.factories import MissionFactory
from tests.scholarships.factories import CallFactory
from tests.test_access_matrix import MATRIX
from tests.test_access_matrix import world as matrix_world  # noqa: F401 (the access matrix's world, as a fixture)
from tests.workshops.factories import ExpertFactory, WorkshopFactory
from workshops.evaluations.models import Question
from workshops.experts.models import Expert, ExpertiseArea
from workshops.models import Workshop

# Ids no row has. The hidden rows get ids as distinctive, a hundred thousand apart (the next row of the same table
# gets the next id), so that normalising them cannot touch anything else.
MISSING_PK = 7_999_999
MISSING_CODE = "ZZQ"
# Reference data anyone may read (the public API lists it): choosing among all of it hides nothing.
PUBLIC_REFERENCE = {Administration, Region, ExpertiseArea}


@pytest.fixture
def hidden(cast, kenya, senegal, other_contact_point):
    """Rows Kenya's contact point may not see, by model, with distinctive ids."""
    unpublished = AlgorithmFactory(kind="date")
    return {
        Workshop: WorkshopFactory(id=7_100_000, beneficiaries=[(senegal, 3)]),
        Dataset: DatasetFactory(id=7_200_000, administration=senegal, uploaded_by=other_contact_point),
        AlgorithmVersion: AlgorithmVersionFactory(id=7_300_000, algorithm=unpublished, administration=senegal),
        Call: CallFactory(id=7_400_000, is_published=False),
        Administration: senegal,  # public reference data, but not one Kenya's contact point may act for
        Expert: ExpertFactory(id=7_500_000),  # only staff propose experts
        Question: QuestionFactory(id=7_600_000),  # only staff build questionnaires from the bank
        # the results framework and the regions it names: staff only
        Objective: (objective := Objective.objects.create(id=7_600_000, code="HID", title_en="Hidden")),
        Indicator: Indicator.objects.create(
            id=7_700_000, objective=objective, code="HID.1", title_en="Hidden", unit="n", source="manual"
        ),
        Region: senegal.region,
    }


@pytest.fixture
def own(cast, kenya):
    """Kenya's rows that make the rest of each request valid."""
    return {
        "workshop": WorkshopFactory(beneficiaries=[(kenya, 5)]),
        "dataset": DatasetFactory(administration=kenya, uploaded_by=cast["contact_point"]),
    }


def _normalised(text: str, value=None, url: str = "") -> str:
    """The answer with what may differ between two identical answers made neutral: CSRF tokens, timings, and the id
    asked for (or the whole URL, in any language, when the id is in the path)."""
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', 'name="csrfmiddlewaretoken" value="-"', text)
    # A signed form token carries the second it was signed: two requests a second apart differ there alone.
    text = re.sub(r'name="token" value="([^":]*):[^"]*"', r'name="token" value="\1:-"', text)
    text = re.sub(r"\b\d+(\.\d+)? ms\b", "- ms", text)
    if url:
        text = text.replace(url.removeprefix("/en"), "<URL>")
    if value is None:
        return text
    if isinstance(value, str) or value >= 1_000_000:  # distinctive: every occurrence is the id
        return re.sub(rf"(?<![\w]){re.escape(str(value))}(?![\w])", "<ID>", text)
    # A small id: only where it is a value echoed back (quoted, or in a query string).
    return re.sub(rf'"{value}"|={value}(?!\d)', lambda match: match.group(0).replace(str(value), "<ID>"), text)


def _answer(response, value=None, url: str = "") -> tuple[int, str]:
    if response.get("Content-Type", "").startswith("application/json"):
        text = json.dumps(response.json(), sort_keys=True)
    else:
        text = response.content.decode()
    return response.status_code, _normalised(text, value, url)


def _assert_alike(ask, hidden_value, missing_value, label):
    with transaction.atomic():
        seen = _answer(ask(hidden_value), hidden_value)
        transaction.set_rollback(True)
    with transaction.atomic():
        unseen = _answer(ask(missing_value), missing_value)
        transaction.set_rollback(True)
    assert seen == unseen, f"{label}: another administration's id and a missing one differ:\n{_diff(seen, unseen)}"


def _diff(first: tuple, second: tuple) -> str:
    lines = difflib.unified_diff(str(first[1]).splitlines(), str(second[1]).splitlines(), lineterm="", n=1)
    return f"status {first[0]} / {second[0]}\n" + "\n".join(list(lines)[:40])


def _token_client(user) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")


def _values(model, key: str, hidden: dict):
    if model not in hidden:
        pytest.fail(f"Give the fixture `hidden` a row of {model.__name__} that Kenya's contact point may not see.")
    missing = MISSING_CODE if key != "pk" else MISSING_PK
    return getattr(hidden[model], key), missing


# --- The two reproduced cases of issue 17 ---------------------------------------------------------------------------
def test_a_senegalese_dataset_in_a_model_job_answers_like_a_missing_one(cast, hidden):
    client = _token_client(cast["contact_point"])

    def ask(dataset):
        return client.post("/api/v1/model-jobs/", {"kind": "date_train", "dataset": dataset}, "application/json")

    _assert_alike(ask, hidden[Dataset].pk, MISSING_PK, "model job dataset")
    assert ask(MISSING_PK).json() == {"dataset": [f'Invalid pk "{MISSING_PK}" - object does not exist.']}


def test_a_senegalese_workshop_in_a_nomination_answers_like_a_missing_one(cast, hidden):
    client = _token_client(cast["contact_point"])

    def ask(workshop):
        body = {"workshop": workshop, "full_name": "Oracle Official", "gender": "female", "position": "Analyst",
                "email": "oracle@kra.example", "language": "en"}  # fmt: skip
        return client.post("/api/v1/nominations/", body, "application/json")

    _assert_alike(ask, hidden[Workshop].pk, MISSING_PK, "nomination workshop")
    assert ask(MISSING_PK).status_code == 400


# --- Every writable related field of the API -------------------------------------------------------------------------
# A valid body for each write operation with a related field, from Kenya's rows (the field under test replaces its
# value); multipart bodies are rebuilt for each request (a file is read once).
_FRAMEWORK_BODIES = {
    "results-indicators": {"code": "X.1", "title_en": "X", "unit": "n", "source": "manual"},
    "results-targets": {"period_start": "2026-01-01", "period_end": "2026-12-31", "value": "1"},
    "results-values": {"period_start": "2026-01-01", "period_end": "2026-12-31", "value": "1"},
}
API_BODIES = {
    # the results framework: staff only, so the contact point's answers are alike before the body counts
    **{
        (method, f"/api/v1/{name}/{tail}"): (lambda own, body=body: dict(body))
        for name, body in _FRAMEWORK_BODIES.items()
        for method, tail in (("POST", ""), ("PUT", "{id}/"), ("PATCH", "{id}/"))
    },
    ("POST", "/api/v1/nominations/"): lambda own: {
        "workshop": own["workshop"].pk,
        "full_name": "Oracle Official",
        "gender": "female",
        "position": "Analyst",
        "email": "oracle@kra.example",
        "language": "en",
    },
    ("POST", "/api/v1/model-jobs/"): lambda own: {"kind": "synth", "dataset": own["dataset"].pk, "params": {"rows": 9}},
    ("POST", "/api/v1/datasets/"): lambda own: {
        "name": "Oracle",
        "kind": "declarations",
        "file": csv_upload(sample_csv(5)),
    },
    ("POST", "/api/v1/hs-suggestions/"): lambda own: {"description": "green coffee"},
    ("POST", "/api/v1/workshops/{id}/assignments/"): lambda own: {"role": "lead_trainer"},
    ("POST", "/api/v1/image-classifications/"): lambda own: {"picture": image_upload(picture("apple", 1), "a.png")},
    ("POST", "/api/v1/evaluation-questionnaires/"): lambda own: {"workshop": own["workshop"].pk, "kind": "reaction"},
    ("POST", "/api/v1/evaluation-questionnaires/{id}/questions/"): lambda own: {"items": []},
}


def _related_fields(serializer, prefix=""):
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        if isinstance(field, serializers.ListSerializer):
            field = field.child
        if isinstance(field, serializers.Serializer):
            yield from _related_fields(field, f"{prefix}{name}.")
        elif isinstance(field, serializers.ManyRelatedField):
            yield f"{prefix}{name}", field.child_relation, True
        elif isinstance(field, serializers.RelatedField):
            yield f"{prefix}{name}", field, False


def _api_related_fields():
    found = []
    for method, path, view, serializer in write_operations():
        if serializer is None:
            continue
        serializer = serializer() if isinstance(serializer, type) else serializer
        for name, field, many in _related_fields(serializer):
            found.append((method, path, type(view).__name__, name, field, many))
    return found


def test_every_writable_related_field_of_the_api_is_looked_up_among_what_the_user_may_see(db):
    fields = _api_related_fields()
    assert {(path, name) for _m, path, _v, name, _f, _many in fields} >= {
        ("/api/v1/nominations/", "workshop"),
        ("/api/v1/model-jobs/", "dataset"),
    }
    for method, path, _view, name, field, _many in fields:
        assert isinstance(field, ScopedRelatedFieldMixin), f"{method} {path} {name}: use a Scoped...RelatedField"


def test_every_writable_related_field_of_the_api_answers_alike(cast, hidden, own):
    client = _token_client(cast["contact_point"])
    fields = _api_related_fields()
    assert fields
    for method, path, _view, name, field, many in fields:
        if (method, path) not in API_BODIES:
            pytest.fail(f"Add a valid body for {method} {path} to API_BODIES (it has the related field {name}).")
        key = getattr(field, "slug_field", None) or "pk"
        hidden_value, missing_value = _values(field.queryset.model, key, hidden)
        multipart = any(hasattr(value, "read") for value in API_BODIES[method, path](own).values())

        def ask(value, method=method, path=path, name=name, many=many, multipart=multipart):
            body = {**API_BODIES[method, path](own), name: [value] if many else value}
            if multipart:  # a dataset upload: POST only
                return client.post(path, body)
            return client.generic(method, path, json.dumps(body), content_type="application/json")

        _assert_alike(ask, hidden_value, missing_value, f"{method} {path} {name}")


# --- Every model-choice filter of the API lists ---------------------------------------------------------------------
def _choice_filters(user):
    found = []
    for route in api_routes():
        if (route.actions or {}).get("get") != "list":
            continue
        view = view_for(route, user)
        if DjangoFilterBackend not in getattr(view, "filter_backends", ()):
            continue
        filterset_class = DjangoFilterBackend().get_filterset_class(view, view.get_queryset())
        if filterset_class is None:
            continue
        for name, choice in filterset_class.base_filters.items():
            if isinstance(choice, django_filters.ModelChoiceFilter | django_filters.ModelMultipleChoiceFilter):
                path = route.path({})
                found.append((path, name, choice, filterset_class.Meta.model))
    return found


def _filter_model(choice, user) -> type:
    if isinstance(choice, ScopedModelChoiceFilter):
        return choice.visible(user).model
    queryset = choice.queryset
    return (queryset(None) if callable(queryset) else queryset).model


def test_every_model_choice_filter_of_the_api_answers_alike(cast, hidden, own):
    user = cast["contact_point"]
    client = _token_client(user)
    filters = _choice_filters(user)
    assert {(path, name) for path, name, _c, _m in filters} >= {
        ("/api/v1/nominations/", "workshop"),
        ("/api/v1/scholarship-applications/", "call"),
    }
    for path, name, choice, _model in filters:
        model = _filter_model(choice, user)
        if model in PUBLIC_REFERENCE:
            continue
        assert isinstance(choice, ScopedModelChoiceFilter), f"{path}?{name}=: use ScopedModelChoiceFilter"
        hidden_value, missing_value = _values(model, choice.extra.get("to_field_name") or "pk", hidden)
        _assert_alike(lambda value, path=path, name=name: client.get(path, {name: value}), hidden_value,
                      missing_value, f"{path}?{name}=")  # fmt: skip


def test_the_dashboards_administration_parameter_answers_alike(cast, senegal):
    client = _token_client(cast["contact_point"])
    _assert_alike(lambda value: client.get("/api/v1/dashboard/", {"administration": value}), senegal.pk,
                  MISSING_PK, "dashboard ?administration=")  # fmt: skip


@pytest.mark.parametrize("parameter", ["workshop", "call", "algorithm"])
def test_report_requests_name_rows_alike(cast, hidden, parameter):
    """The report request takes plain ids (staff only: staff see every row); anyone else is refused first."""
    client = _token_client(cast["contact_point"])
    row = {"workshop": hidden[Workshop], "call": hidden[Call], "algorithm": hidden[AlgorithmVersion].algorithm}
    kind = {"workshop": "workshop", "call": "selection", "algorithm": "model_card"}[parameter]

    def ask(value):
        return client.post("/api/v1/reports/", {"kind": kind, "language": "en", parameter: value}, "application/json")

    _assert_alike(ask, row[parameter].pk, MISSING_PK, f"reports {parameter}")


# --- Forms with a model choice --------------------------------------------------------------------------------------
# Forms no one fills but WCO staff, who see every row (so nothing can be hidden from them), or whose choices are
# public reference data; every other form with a model choice must have a page case below.
FORMS_WITHOUT_HIDDEN_ROWS = {
    "algorithms.forms.AlgorithmForm": "staff: card edit",
    "algorithms.forms.StaffDatasetFilterForm": "staff: dataset list filter",
    "algorithms.forms.StaffFilterMixin": "staff: list filters",
    "algorithms.forms.StaffJobFilterForm": "staff: job list filter",
    "algorithms.forms.StaffHsLabelledFilterForm": "staff: labelled descriptions list filter",
    "bacuda_portal.mailings.forms.MailingForm": "staff: mailings",
    "bacuda_portal.mailings.forms.StartFromTemplateForm": "staff: mailings",
    "bacuda_portal.members.admin.InvitationAddForm": "staff: admin",
    "bacuda_portal.reports.admin.IndicatorForm": "staff: admin",
    "bacuda_portal.reports.framework_forms.FrameworkFilterForm": "staff: results framework",
    "bacuda_portal.reports.framework_forms.IndicatorForm": "staff: results framework",
    "bacuda_portal.reports.framework_forms.IndicatorValueForm": "staff: results framework",
    "bacuda_portal.reports.forms.ModelCardReportForm": "staff: report requests",
    "bacuda_portal.reports.forms.SelectionReportForm": "staff: report requests",
    "bacuda_portal.reports.forms.WorkshopReportForm": "staff: report requests",
    "scholarships.forms.AdministrationForm": "public reference data: the WCO Members",
    "workshops.elearning.forms.CourseEditForm": "staff: e-learning",
    "workshops.evaluations.forms.CopyQuestionnairesForm": "staff: evaluations (workshops)",
    "workshops.evaluations.forms.QuestionnaireCreateForm": "staff: evaluations (question bank)",
    "workshops.evaluations.forms.QuestionnaireItemsForm": "staff: evaluations (question bank)",
    "workshops.elearning.forms.CourseForm": "staff: e-learning",
    "workshops.experts.forms.ExpertFilterForm": "staff: experts registry (reference data)",
    "workshops.experts.forms.ExpertForm": "staff: experts registry",
    "workshops.forms.AssignmentForm": "staff: workshop assignments",
    "workshops.forms.AssignmentSearchForm": "staff: workshop assignments (reference data)",
    "workshops.forms.SessionForm": "staff: agenda",
    "workshops.forms.WorkshopFilterForm": "public reference data: regions",
    "workshops.forms.WorkshopForm": "staff: workshops",
    "workshops.missions.forms.MissionForm": "staff: missions",
}
# Form -> the page case below that covers it.
FORMS_WITH_PAGE_CASES = {
    "algorithms.forms.DatasetUploadForm": "dataset upload",
    "algorithms.forms.JobForm": "job: administration",
    "algorithms.forms.HsSuggestForm": "HS suggestions",
    "algorithms.forms.HsBatchForm": "HS batch classification",
    "algorithms.forms.HsTrainForm": "HS training on accepted feedback",
    "algorithms.forms.ImageClassifyForm": "image classification",
    "bacuda_portal.reports.forms.DashboardFilterForm": "dashboard",
    "workshops.missions.forms.MissionFilterForm": "missions list",
}


@pytest.mark.django_db
def test_every_form_with_a_model_choice_is_covered():
    with_choices = {
        dotted
        for dotted, form_class in FORMS.items()
        if any(isinstance(field, forms.ModelChoiceField) for field in _build(form_class)().fields.values())
    }
    assert "algorithms.forms.JobForm" in with_choices  # the walk finds them
    unclassified = with_choices - set(FORMS_WITHOUT_HIDDEN_ROWS) - set(FORMS_WITH_PAGE_CASES)
    assert not unclassified, f"Add a page case (FORMS_WITH_PAGE_CASES) or say why nothing is hidden: {unclassified}"
    assert set(FORMS_WITH_PAGE_CASES.values()) <= {case[0] for case in PAGE_CASES}


def _job(own, field) -> dict:
    return {"kind": "synth", "dataset": own["dataset"].pk, "seed": 1, "params": '{"rows": 9}'}


def _upload(own, field) -> dict:
    return {"kind": "declarations", "name": "Oracle", "file": csv_upload(sample_csv(5))}


def _descriptions(own, field) -> dict:
    return {"name": "Oracle", "seed": 1, "file": csv_upload(b"description,declared_code\ngreen tea,090210\n")}


def _nothing_else(own, field) -> dict:
    return {}


def _page_cases():
    """(label, role, method, URL name, the rest of the data, field, model of the row it names) for the pages."""
    return [
        ("dataset upload", "contact_point", "post", "algorithms:dataset_upload", _upload, "administration",
         Administration),
        ("job: administration", "contact_point", "post", "algorithms:job_create", _job, "administration",
         Administration),
        ("job: dataset", "contact_point", "post", "algorithms:job_create", _job, "dataset", Dataset),
        ("job: source version", "contact_point", "post", "algorithms:job_create",
         lambda own, field: {**_job(own, field), "kind": "date_score"}, "source_version", AlgorithmVersion),
        ("HS suggestions", "contact_point", "get", "algorithms:hs_suggest", lambda own, field: {"description": "tea"},
         "administration", Administration),
        ("HS batch classification", "contact_point", "post", "algorithms:hs_batch", _descriptions, "administration",
         Administration),
        ("HS training on accepted feedback", "contact_point", "post", "algorithms:hs_labelled_train", _nothing_else,
         "administration", Administration),
        ("image classification", "contact_point", "post", "algorithms:image_classify",
         lambda own, field: {"picture": image_upload(picture("apple", 1), "a.png")}, "version", AlgorithmVersion),
        ("dashboard", "contact_point", "get", "reports:dashboard", _nothing_else, "administration", Administration),
        ("endorsement queue", "contact_point", "get", "scholarships:endorsement_list", _nothing_else, "call", Call),
        ("missions list", "expert", "get", "missions:list", _nothing_else, "workshop", Workshop),
    ]  # fmt: skip


PAGE_CASES = _page_cases()


@pytest.mark.parametrize("case", PAGE_CASES, ids=[case[0] for case in PAGE_CASES])
def test_pages_answer_alike(client, cast, hidden, own, case):
    label, role, method, name, data, field, model = case
    if role == "expert":
        MissionFactory(traveller_expert=ExpertFactory(user=cast["expert"], email=cast["expert"].email))
    client.force_login(cast[role])
    hidden_value, missing_value = _values(model, "pk", hidden)
    url = reverse(name)
    _assert_alike(lambda value: getattr(client, method)(url, {**data(own, field), field: value}), hidden_value,
                  missing_value, label)  # fmt: skip


def test_endorsement_ranking_names_applications_alike(client, cast, own):
    from tests.scholarships.factories import SubmittedApplicationFactory

    call = CallFactory()
    senegalese = SubmittedApplicationFactory(
        id=7_500_000, call=call, administration=Administration.objects.get(code="SEN")
    )
    client.force_login(cast["contact_point"])
    url = reverse("scholarships:endorsement_rank", args=[call.pk])
    _assert_alike(lambda value: client.post(url, {"order": [value]}, follow=True), senegalese.pk, MISSING_PK,
                  "endorsement ranking")  # fmt: skip


# --- Every URL that names a row -------------------------------------------------------------------------------------
SKIPPED_ARGUMENTS = {"action", "answer"}  # what to do, not which row


def test_urls_naming_a_row_answer_alike_for_a_hidden_and_a_missing_one(client, cast, request):
    world = request.getfixturevalue("matrix_world")
    compared = 0
    for name, (method, arguments, expectations) in sorted(MATRIX.items()):
        if arguments is None:
            continue
        real = arguments(world)
        for role, expected in zip(ROLES, expectations, strict=True):
            if expected != "404" or cast[role] is None:
                continue
            for key, value in real.items():
                if key in SKIPPED_ARGUMENTS:
                    continue
                try:
                    missing_url = reverse(name, kwargs={**real, key: MISSING_PK if isinstance(value, int) else "zzq"})
                except NoReverseMatch:
                    continue  # the converter takes no value of that shape
                hidden_url = reverse(name, kwargs=real)
                client.force_login(cast[role])
                answers = []
                for url in (hidden_url, missing_url):
                    with transaction.atomic():
                        response = getattr(client, method)(url, HTTP_ACCEPT="text/html,application/json")
                        answers.append(_answer(response, url=url))
                        transaction.set_rollback(True)
                assert answers[0] == answers[1], (
                    f"{name} as {role}: {hidden_url} and {missing_url} differ:\n{_diff(*answers)}"
                )
                compared += 1
    assert compared > 50  # the walk reaches the matrix's URLs
