"""The portal's form renderer: Django's, with ``<select>`` written in Python.

Django renders a select by including one template per ``<option>``, about 80 µs each on this hardware, so a
select of the 186 administrations cost 15 ms of every page that shows it, and an 800-expert select most of a
workshop page. ``render_select`` writes the same bytes as Django's ``select.html``, ``select_option.html`` and
``attrs.html`` (``tests/core/test_form_renderer.py`` compares the two on every kind of choice); every other widget
keeps Django's templates. A project template overriding ``django/forms/widgets/select.html`` would be bypassed:
override ``render_select`` instead.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _text(value) -> str:
    """What ``{{ value }}`` prints with autoescape on."""
    return str(conditional_escape(localize(value)))


def _attrs(attrs: dict) -> str:
    """What ``attrs.html`` prints: `` name="value"`` pairs, bare names for True, nothing for False."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {_text(name)}" if value is True else f' {_text(name)}="{_text(str(value))}"')
    return "".join(parts)


def render_select(widget: dict) -> str | None:
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            if option["template_name"] != OPTION_TEMPLATE:
                return None  # a widget with its own option template: let Django render the whole select
            parts.append(
                f'\n  <option value="{_text(str(option["value"]))}"{_attrs(option["attrs"])}>'
                f"{_text(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")  # BaseRenderer.render strips the template's final newline
    return "".join(parts)


class PortalFormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name == SELECT_TEMPLATE:
            html = render_select(context["widget"])
            if html is not None:
                return html  # Widget._render marks it safe, as it does the template's output
        return super().render(template_name, context, request=request)
