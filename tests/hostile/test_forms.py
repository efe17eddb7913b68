"""Every form of our apps, fed hostile input (hypothesis): validation answers True or False with messages, never
raises, and what it echoes back is escaped. Forms are found by walking the apps' ``forms`` modules (and the few
forms that live elsewhere), so a new form is covered as soon as it exists; a form whose constructor needs an
argument this file does not know fails with a message saying where to add it."""

import importlib
import inspect
import os

import pytest
from django import forms
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.hostile.strategies import hostile_data

OUR_PACKAGES = ("bacuda_portal", "workshops", "scholarships", "algorithms")
EXTRA_MODULES = ("workshops.experts.api", "bacuda_portal.reports.framework_forms")


def _modules():
    names = set(EXTRA_MODULES)
    for config in apps.get_app_configs():
        if config.name.startswith(OUR_PACKAGES):
            for suffix in ("forms", "admin"):
                try:
                    importlib.import_module(f"{config.name}.{suffix}")
                except ModuleNotFoundError as error:
                    if error.name != f"{config.name}.{suffix}":
                        raise
                    continue
                names.add(f"{config.name}.{suffix}")
    return sorted(names)


def _form_classes():
    found = {}
    for name in _modules():
        module = importlib.import_module(name)
        for attribute in vars(module).values():
            if (
                inspect.isclass(attribute)
                and issubclass(attribute, forms.BaseForm)
                and attribute.__module__ == module.__name__
                and not attribute.__name__.startswith("_")
            ):
                found[f"{attribute.__module__}.{attribute.__qualname__}"] = attribute
    return found


FORMS = _form_classes()


def _provider(name: str):
    """Constructor arguments the forms ask for, made from factories (lazily: only what a form needs)."""
    from bacuda_portal.members.models import Administration, Region
    from tests.workshops.factories import ExpertFactory, WorkshopFactory
    from workshops.missions.models import Mission

    def call():
        from tests.scholarships.factories import CallFactory

        return CallFactory()

    def criteria():
        created = call()
        return list(created.criteria.all()) if hasattr(created, "criteria") else []

    known = {
        "email": lambda: "invited@example.org",
        "regions": lambda: list(Region.objects.all()),
        "staff": lambda: True,
        "request_currency": lambda: "EUR",
        "years": lambda: [2024, 2025],
        "visible": lambda: Mission.objects.all(),
        "expert": ExpertFactory,
        "workshop": WorkshopFactory,
        "call": call,
        "criteria": criteria,
        "initial_scores": lambda: None,
        "administrations": lambda: Administration.objects.filter(code__in=["KEN", "SEN"]),
        "datasets": lambda: _model("algorithms", "Dataset").objects.all(),
        "versions": lambda: _model("algorithms", "AlgorithmVersion").objects.all(),
        "classes": lambda: {"apple": 5, "banana": 5},
        "codes": lambda: {"apple": "080810"},
        "header": lambda: ["N° Déclaration", "HS10 Code", "Poids net", "Extra"],  # a declarations file's columns
        "initial_mapping": lambda: {"HS6 Code": "HS10 Code"},
    }
    if name not in known:
        pytest.fail(f"The form needs a constructor argument {name!r}: add a provider for it in {__file__}.")
    return known[name]()


def _model(app_label: str, name: str):
    return apps.get_model(app_label, name)


def _build(form_class, **kwargs):
    required = {}
    for klass in form_class.__mro__:
        if "__init__" not in vars(klass) or klass in (forms.BaseForm, forms.BaseModelForm, object):
            continue
        for parameter in inspect.signature(klass.__init__).parameters.values():
            if parameter.kind is parameter.KEYWORD_ONLY and parameter.name not in required:
                required[parameter.name] = parameter.default is parameter.empty
    arguments = {name: _provider(name) for name, needed in required.items() if needed}
    return lambda **more: form_class(**arguments, **kwargs, **more)


@pytest.mark.django_db
@pytest.mark.parametrize("dotted", sorted(FORMS))
def test_form_survives_hostile_input(dotted):
    make = _build(FORMS[dotted])
    unbound = make()
    names = list(unbound.fields)
    file_fields = [name for name, field in unbound.fields.items() if isinstance(field, forms.FileField)]

    @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(data=hostile_data([name for name in names if name not in file_fields]), blobs=st.data())
    def check(data, blobs):
        files = {}
        for name in file_fields:
            if blobs.draw(st.booleans()):
                content = blobs.draw(st.binary(max_size=2048))
                # What the multipart parser hands over: a base name, never empty, "." or "..".
                filename = os.path.basename(blobs.draw(st.text(min_size=1, max_size=80)).replace("\\", "/"))
                if filename not in ("", ".", ".."):
                    files[name] = SimpleUploadedFile(filename, content)
        post = _querydict(data)
        form = make(data=post, files=files) if file_fields else make(data=post)
        valid = form.is_valid()  # must not raise
        assert isinstance(valid, bool)
        html = str(form) + str(form.errors)  # rendering the input back must not raise either
        assert "<script>alert(1)</script>" not in html

    check()


def _querydict(data: dict):
    from django.http import QueryDict

    post = QueryDict(mutable=True)
    for key, value in data.items():
        post.setlist(key, value if isinstance(value, list) else [value])
    return post


@pytest.mark.django_db
@pytest.mark.parametrize("dotted", sorted(FORMS))
def test_every_multiple_choice_of_rows_refuses_ids_beyond_64_bits(dotted):
    """Hypothesis found such ids one form at a time (SQLite raises OverflowError for ``pk__in``): every form's
    multiple choice of rows must be the bounded field, so that a new form cannot bring the 500 back."""
    from bacuda_portal.core.forms import BoundedModelMultipleChoiceField

    form = _build(FORMS[dotted])()
    for name, field in form.fields.items():
        if isinstance(field, forms.ModelMultipleChoiceField):
            assert isinstance(field, BoundedModelMultipleChoiceField), f"{dotted}.{name}"
            bound = _build(FORMS[dotted])(data=_querydict({name: [str(2**64)]}))
            assert not bound.is_valid() and name in bound.errors


def test_the_walk_finds_the_forms_we_know():
    # Guards the discovery itself: if it silently found nothing, every test above would pass vacuously.
    expected = {
        "bacuda_portal.members.forms.InvitationForm",
        "workshops.forms.NominationForm",
        "workshops.experts.forms.CvUploadForm",
        "workshops.missions.forms.ClaimLineForm",
        "scholarships.forms.DocumentsForm",
        "bacuda_portal.core.forms.AuditFilterForm",
    }
    assert expected <= set(FORMS)
