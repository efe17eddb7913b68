"""JSON typed into a page (a job's advanced parameters, a JSON field of the admin) is read like an API body: nested
too deeply, NaN, huge numbers or a NUL character are a form error with a message, never a server error; and every
JSON field of every form and admin form is the bounded one, so a new one cannot bring the fault back."""

import pytest
from django import forms
from django.conf import settings
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from algorithms.models import ModelJob
from bacuda_portal.core.forms import BoundedJSONFormField
from tests.algorithms.factories import DatasetFactory
from tests.hostile.test_forms import FORMS, _build
from tests.workshops.factories import WorkshopFactory

DEEP = "[" * 5000 + "]" * 5000


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (DEEP, "The JSON is nested too deeply: at most {limit} levels of arrays and objects are accepted."),
        ('{"rows": NaN}', "NaN and Infinity are not valid JSON numbers."),
        ('{"rows": 1' + "0" * 5000 + "}", "A number in the JSON has too many digits."),
        ('{"name": "a\\u0000b"}', "The JSON contains a NUL character (\\u0000)."),
        ('{"rows": 5, "rows": 6}', 'The key "rows" appears twice in one object.'),
    ],
    ids=["deep", "nan", "digits", "nul", "duplicate"],
)
def test_job_parameters_typed_on_the_page_are_read_safely(client_as, contact_point, kenya, params, message):
    dataset = DatasetFactory(administration=kenya, uploaded_by=contact_point)
    response = client_as(contact_point).post(
        reverse("algorithms:job_create"), {"kind": "synth", "dataset": dataset.pk, "seed": 1, "params": params}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["params"] == [message.format(limit=settings.BACUDA_JSON_MAX_DEPTH)]
    assert not ModelJob.objects.exists()


def test_a_deep_json_field_in_the_admin_is_a_form_error(client_as, project_manager, kenya):
    workshop = WorkshopFactory()
    url = reverse("admin:workshops_workshop_change", args=[workshop.pk])
    page = client_as(project_manager).get(url)
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data["languages"] = DEEP
    response = client_as(project_manager).post(url, data)
    assert response.status_code == 200  # the form again, with its errors
    errors = response.context["adminform"].form.errors
    assert errors["languages"] == [
        f"The JSON is nested too deeply: at most {settings.BACUDA_JSON_MAX_DEPTH} levels of arrays and objects are "
        "accepted."
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("dotted", sorted(FORMS))
def test_every_json_field_of_our_forms_is_bounded(dotted):
    for name, field in _build(FORMS[dotted])().fields.items():
        if isinstance(field, forms.JSONField):
            assert isinstance(field, BoundedJSONFormField), f"{dotted}.{name}"


def test_every_json_field_of_the_admin_is_bounded(project_manager):
    request = RequestFactory().get("/")
    request.user = project_manager
    found = []
    for model, model_admin in admin.site._registry.items():
        form_classes = [model_admin.get_form(request)]
        form_classes += [inline.get_formset(request).form for inline in model_admin.get_inline_instances(request)]
        for form_class in form_classes:
            for name, field in form_class.base_fields.items():
                if isinstance(field, forms.JSONField):
                    found.append(f"{model._meta.label}.{name}")
                    assert isinstance(field, BoundedJSONFormField), found[-1]
    assert "workshops.Workshop.languages" in found  # the walk reaches the admin's JSON fields
