"""The Python select renderer writes exactly what Django's templates write, for every kind of choice."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.translation import gettext_lazy

from bacuda_portal.core.form_renderer import PortalFormRenderer
from bacuda_portal.members.models import Administration
from tests.factories import AdministrationFactory

GROUPED = [
    ("", "---------"),
    ("Africa", [("KEN", "Kenya"), ("SEN", "Sénégal")]),
    ("Europe & <others>", [("FRA", 'France "métropole"'), ("BEL", "Belgique")]),
    (7, "Seven"),
]


class EveryKindForm(forms.Form):
    plain = forms.ChoiceField(choices=[("a", "A & B"), ("b", "<b>"), ("", "None")])
    grouped = forms.ChoiceField(choices=GROUPED, required=False)
    lazy = forms.ChoiceField(choices=[("en", gettext_lazy("English")), ("fr", gettext_lazy("French"))])
    many = forms.MultipleChoiceField(choices=[(1, "one"), (2, "two"), (3, "three")])
    integers = forms.TypedChoiceField(coerce=int, choices=[(n, n) for n in range(1, 4)])
    attrs = forms.ChoiceField(
        choices=[("x", "X")],
        widget=forms.Select(attrs={"class": "wide", "data-note": 'say "hi"', "disabled": True, "hidden": False}),
    )
    administration = forms.ModelChoiceField(queryset=Administration.objects.order_by("code"), required=False)
    administrations = forms.ModelMultipleChoiceField(queryset=Administration.objects.order_by("code"))


def _render_all(form_class, data, renderer):
    form = form_class(data, renderer=renderer)
    return [str(form[name]) for name in form.fields]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        None,
        {"plain": "b", "grouped": "SEN", "lazy": "fr", "many": ["1", "3"], "integers": "2", "attrs": "x"},
        {"plain": "zzz", "grouped": "7", "many": ["9"], "integers": "x"},  # invalid values are shown as typed
    ],
)
def test_same_html_as_django_templates(data):
    first = AdministrationFactory(code="AAA", name_en="Alpha & <Omega>")
    AdministrationFactory(code="BBB")
    if data is not None:
        data = {**data, "administration": str(first.pk), "administrations": [str(first.pk)]}
    fast = _render_all(EveryKindForm, data, PortalFormRenderer())
    django = _render_all(EveryKindForm, data, DjangoTemplates())
    assert fast == django
    page = "".join(fast)
    assert page.count("<optgroup") == 2 and "Alpha &amp; &lt;Omega&gt;" in page
    if data and data["plain"] == "b":
        assert '<option value="SEN" selected>' in page and '<option value="3" selected>' in page


def test_the_portal_uses_it(settings):
    from django.forms.renderers import get_default_renderer

    assert isinstance(get_default_renderer(), PortalFormRenderer)


class OwnOptionTemplate(forms.Select):
    option_template_name = "django/forms/widgets/attrs.html"  # any other template: Django renders the select


def test_a_widget_with_its_own_option_template_is_left_to_django():
    field = forms.ChoiceField(choices=[("a", "A")], widget=OwnOptionTemplate)
    form = forms.Form(renderer=PortalFormRenderer())
    form.fields["pick"] = field
    assert "<option" not in str(form["pick"])
