from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bacuda_portal.core.choices import ReferenceChoiceField
from bacuda_portal.members.enums import STAFF_ROLES
from bacuda_portal.members.models import Administration, User
from workshops.experts.models import Expert
from workshops.models import Workshop

from .currencies import validate_currency_code
from .enums import MissionStage
from .models import ClaimLine, Mission, TravelRequest
from .services import MISSION_FIELDS, TRAVEL_REQUEST_FIELDS

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CurrencyField(forms.CharField):
    """Three letters, upper-cased as typed ("eur" is EUR), checked against the ISO 4217 list."""

    default_validators = [validate_currency_code]

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 3)
        kwargs.setdefault("help_text", _("ISO 4217 code, such as EUR, USD or XOF."))
        super().__init__(**kwargs)
        self.widget.attrs.update({"size": 4, "autocomplete": "off", "style": "text-transform: uppercase"})

    def to_python(self, value):
        return super().to_python(value).strip().upper()


class MissionForm(forms.ModelForm):
    """Create or edit a mission. The views hand ``cleaned_data`` to the services; the form itself never saves."""

    class Meta:
        model = Mission
        fields = MISSION_FIELDS
        widgets = {
            "start_date": DATE_WIDGET,
            "end_date": DATE_WIDGET,
            "purpose": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "traveller_user": _("Either a WCO staff member…"),
            "traveller_expert": _("…or an expert of the registry."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Active staff and active experts only; the mission's current traveller stays selectable after they left.
        self.fields["traveller_user"].queryset = User.objects.filter(
            Q(role__in=STAFF_ROLES, is_active=True) | Q(pk=self.instance.traveller_user_id)
        ).order_by("full_name", "email")
        self.fields["traveller_expert"].queryset = Expert.objects.filter(
            Q(is_active=True) | Q(pk=self.instance.traveller_expert_id)
        ).order_by("full_name")
        self.fields["workshop"].queryset = Workshop.objects.order_by("-start_date", "title")
        self.fields["destination_country"].queryset = Administration.objects.members().order_by("name_en")

    def clean(self):
        cleaned_data = super().clean()
        if bool(cleaned_data.get("traveller_user")) == bool(cleaned_data.get("traveller_expert")):
            self.add_error("traveller_user", _("Choose one traveller: a staff member or an expert, not both."))
        start_date, end_date = cleaned_data.get("start_date"), cleaned_data.get("end_date")
        if start_date and end_date and end_date < start_date:
            self.add_error("end_date", _("The mission cannot end before it starts."))
        return cleaned_data

    def _post_clean(self):
        # The services run the model's checks (after the form's own); checking here as well would report the
        # traveller and date rules twice.
        pass


class TravelRequestForm(forms.ModelForm):
    currency = CurrencyField(label=_("Currency"))

    class Meta:
        model = TravelRequest
        fields = TRAVEL_REQUEST_FIELDS
        widgets = {"itinerary": forms.Textarea(attrs={"rows": 4})}

    def _post_clean(self):
        # ``services.travel_request_save`` runs the model's checks (advance within the total) on the saved values.
        pass


class ClaimLineForm(forms.ModelForm):
    currency = CurrencyField(label=_("Currency"))

    class Meta:
        model = ClaimLine
        fields = ["date", "category", "description", "amount", "currency", "exchange_rate", "receipt"]
        widgets = {"date": DATE_WIDGET}

    def __init__(self, *args, request_currency: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if request_currency:
            self.fields["currency"].initial = request_currency
            self.fields["exchange_rate"].help_text = _(
                "Only for an amount in another currency than %(currency)s: how many %(currency)s one unit was worth."
            ) % {"currency": request_currency}
        self.fields["receipt"].widget.attrs["accept"] = "application/pdf,image/png,image/jpeg"

    def _post_clean(self):
        # ``services.claim_line_add`` runs the model's checks (the receipt's type and size) once, before saving.
        pass


class DecisionForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required to reject; sent to the traveller."),
    )


class PaymentForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE_WIDGET, initial=timezone.localdate)
    payment_reference = forms.CharField(label=_("Payment reference"), max_length=100)


class MissionFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    stage = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All")), *MissionStage.choices])
    traveller = forms.CharField(label=_("Traveller"), required=False, max_length=100)
    workshop = ReferenceChoiceField(label=_("Workshop"), required=False, queryset=Workshop.objects.none())
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, years: list[int], visible, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the workshops of missions the user may see: an expert must not learn other missions' workshops.
        self.fields["workshop"].queryset = (
            Workshop.objects.filter(missions__in=visible).distinct().order_by("title").only("pk", "title", "title_fr")
        )
        self.fields["year"].choices = [("", _("All")), *((year, year) for year in years)]
