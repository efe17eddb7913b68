"""The experts import (a workbook or CSV of experts, previewed then written all or nothing)."""

from django import forms
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bacuda_portal.core.imports import Column, ImportSpec, repeated_emails
from bacuda_portal.members.selectors import administration_by_code_or_name

from .enums import LanguageLevel, SpokenLanguage
from .models import Expert, ExpertiseArea

LIST_SEPARATOR = ";"


def administration_cell(text: str):
    """The administration a spreadsheet cell names by code (KEN) or English or French name; None for an empty cell."""
    if not text.strip():
        return None
    found = administration_by_code_or_name(text)
    if found is None:
        raise forms.ValidationError(gettext("No administration has the code or name “%(text)s”.") % {"text": text})
    return found


class ExpertImportRowForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("Email"))
    phone = forms.CharField(label=_("Telephone"), max_length=40, required=False)
    administration = forms.CharField(label=_("Administration"), required=False)
    nationality = forms.CharField(label=_("Nationality"), required=False)
    expertise_areas = forms.CharField(label=_("Expertise"), required=False)
    languages = forms.CharField(label=_("Languages"), required=False)
    biography = forms.CharField(label=_("Biography"), required=False, max_length=5000)

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if Expert.objects.annotate(address=Lower("email")).filter(address=email).exists():
            raise forms.ValidationError(gettext("An expert with this email address is already registered."))
        return email

    def clean_administration(self):
        return administration_cell(self.cleaned_data["administration"])

    def clean_nationality(self):
        return administration_cell(self.cleaned_data["nationality"])

    def clean_expertise_areas(self):
        areas, unknown = [], []
        for name in filter(None, (part.strip() for part in self.cleaned_data["expertise_areas"].split(LIST_SEPARATOR))):
            area = ExpertiseArea.objects.filter(
                Q(code__iexact=name) | Q(name_en__iexact=name) | Q(name_fr__iexact=name)
            ).first()
            (areas.append(area) if area else unknown.append(name))
        if unknown:
            raise forms.ValidationError(gettext("Unknown expertise: %(names)s.") % {"names": ", ".join(unknown)})
        return areas

    def clean_languages(self):
        """``en C1; fr native``: a language code and a level, separated by semicolons."""
        levels, problems = {}, []
        for part in filter(None, (part.strip() for part in self.cleaned_data["languages"].split(LIST_SEPARATOR))):
            words = part.split()
            language = words[0].lower() if words else ""
            level = words[1] if len(words) == 2 else ""
            level = "native" if level.lower() == "native" else level.upper()
            if language not in SpokenLanguage.values or level not in LanguageLevel.values:
                problems.append(part)
            else:
                levels[language] = level
        if problems:
            raise forms.ValidationError(
                gettext("Not a language and a level (e.g. “en C1”): %(parts)s.") % {"parts": ", ".join(problems)}
            )
        return levels


EXPERT_IMPORT = ImportSpec(
    name="experts",
    row_form=ExpertImportRowForm,
    check_rows=repeated_emails,
    columns=(
        Column("full_name", _("Full name"), required=True),
        Column("email", _("Email"), required=True, help=_("Unique: one expert per address.")),
        Column("phone", _("Telephone")),
        Column("administration", _("Administration"), help=_("Code (e.g. KEN) or name of the administration.")),
        Column("nationality", _("Nationality"), help=_("Code or name of the Member.")),
        Column("expertise_areas", _("Expertise"), help=_("Expertise areas separated by semicolons.")),
        Column("languages", _("Languages"), help=_("A language code and a level, e.g. “en C1; fr native”.")),
        Column("biography", _("Biography")),
    ),
)
