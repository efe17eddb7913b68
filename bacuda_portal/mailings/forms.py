"""Forms of the mailings pages: they parse what staff type; the services decide (and refuse with a message on the
field, the typed text kept)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bacuda_portal.core.choices import ReferenceChoiceField, with_blank
from bacuda_portal.core.forms import BoundedModelMultipleChoiceField
from bacuda_portal.members import selectors as member_selectors
from scholarships import selectors as scholarship_selectors
from workshops import selectors as workshop_selectors

from . import selectors
from .enums import Audience, MailingStatus, RecipientStatus

PLACEHOLDER_HELP = _(
    "You may write {{ name }} and {{ administration }}; {{ workshop }} for a workshop's participants; {{ call }} for "
    "a call's applicants."
)
TEXT_FIELDS = ("subject_en", "body_en", "subject_fr", "body_fr")


class MailingTextsForm(forms.Form):
    subject_en = forms.CharField(label=_("Subject (English)"), max_length=200, required=False)
    body_en = forms.CharField(
        label=_("Text (English)"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 10}),
        help_text=PLACEHOLDER_HELP,
    )  # fmt: skip
    subject_fr = forms.CharField(label=_("Subject (French)"), max_length=200, required=False)
    body_fr = forms.CharField(
        label=_("Text (French)"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Leave the French subject and text empty to send the English text to French speakers too."),
    )  # fmt: skip

    def texts(self) -> dict:
        return {field: self.cleaned_data.get(field, "") for field in TEXT_FIELDS}


class TemplateForm(MailingTextsForm):
    name = forms.CharField(label=_("Template name"), max_length=120)
    field_order = ["name", *TEXT_FIELDS]

    @staticmethod
    def initial_for(template) -> dict:
        return {field: getattr(template, field) for field in ("name", *TEXT_FIELDS)}


class MailingForm(MailingTextsForm):
    """Who the mailing is for and what it says. The audience's own field (workshop, region, administrations or
    call) is the one the chosen audience reads; the others are ignored."""

    audience = forms.ChoiceField(label=_("Audience"), choices=with_blank(Audience.choices))
    workshop = forms.ModelChoiceField(label=_("Workshop"), queryset=None, required=False)
    region = ReferenceChoiceField(label=_("Region"), queryset=None, required=False)
    administrations = BoundedModelMultipleChoiceField(
        label=_("Administrations"), queryset=None, required=False, widget=forms.SelectMultiple(attrs={"size": 8})
    )
    call = forms.ModelChoiceField(label=_("Scholarship call"), queryset=None, required=False)
    field_order = ["audience", "workshop", "region", "administrations", "call", *TEXT_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workshop"].queryset = workshop_selectors.mailing_workshops()
        self.fields["region"].queryset = member_selectors.region_list()
        self.fields["administrations"].queryset = member_selectors.administration_choices()
        self.fields["call"].queryset = scholarship_selectors.call_choices()

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "audience": data["audience"],
            "workshop": data.get("workshop"),
            "region": data.get("region"),
            "administrations": list(data.get("administrations") or []),
            "call": data.get("call"),
            **self.texts(),
        }

    @staticmethod
    def initial_for(mailing) -> dict:
        return {
            "audience": mailing.audience,
            "workshop": mailing.workshop_id,
            "region": mailing.region_id,
            "administrations": [administration.pk for administration in mailing.administrations.all()],
            "call": mailing.call_id,
            **{field: getattr(mailing, field) for field in TEXT_FIELDS},
        }


class StartFromTemplateForm(forms.Form):
    template = forms.ModelChoiceField(label=_("Start from a template"), queryset=None, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = selectors.template_choices()


class ConfirmForm(forms.Form):
    """The confirm step: the count the preview showed, and an explicit tick."""

    expected_count = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=10**9)
    confirm = forms.BooleanField(
        label=_("I have checked the recipients and the message in each language: send it."), required=True
    )


class MailingFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200, help_text=_("Subject or text."))
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All")), *MailingStatus.choices])
    audience = forms.ChoiceField(label=_("Audience"), required=False, choices=[("", _("All")), *Audience.choices])


class RecipientFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200, help_text=_("Name or email address."))
    status = forms.ChoiceField(label=_("Delivery"), required=False, choices=[("", _("All")), *RecipientStatus.choices])


class TemplateFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200, help_text=_("Name or subject."))
