from django import forms
from django.utils.translation import gettext_lazy as _

from bacuda_portal.core.forms import DATE_INPUT

from .enums import Delivery, Kind, Status


class TemplateForm(forms.Form):
    """The four texts of a template; the service checks they render (errors come back on the fields)."""

    subject_en = forms.CharField(label=_("Subject (English)"), max_length=200)
    text_en = forms.CharField(label=_("Text (English)"), widget=forms.Textarea(attrs={"rows": 10}))
    subject_fr = forms.CharField(label=_("Subject (French)"), max_length=200)
    text_fr = forms.CharField(label=_("Text (French)"), widget=forms.Textarea(attrs={"rows": 10}))


class LogFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"), required=False, max_length=100, help_text=_("Recipient, subject or what it is about.")
    )
    kind = forms.ChoiceField(label=_("Notification"), required=False, choices=[("", _("All")), *Kind.choices])
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All")), *Status.choices])
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE_INPUT)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned


class PreferenceForm(forms.Form):
    delivery = forms.ChoiceField(label=_("Staff notifications"), choices=Delivery.choices, widget=forms.RadioSelect)
