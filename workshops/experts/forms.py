from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bacuda_portal.core.choices import ReferenceChoiceField, choice_labels
from bacuda_portal.core.forms import BoundedModelMultipleChoiceField
from bacuda_portal.members.enums import Role
from bacuda_portal.members.models import Administration, Region, User

from .enums import AccreditationStatus, LanguageLevel, SpokenLanguage
from .models import AvailabilityWindow, Expert, ExpertiseArea


class DateInput(forms.DateInput):
    """The browser's date picker; it sends and expects ISO dates whatever the page's language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class ExpertFilterForm(forms.Form):
    ACTIVE_CHOICES = [("", _("All")), ("active", _("Active")), ("inactive", _("Inactive"))]

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    expertise = ReferenceChoiceField(
        label=_("Expertise"),
        required=False,
        queryset=ExpertiseArea.objects.order_by("name_en"),
        to_field_name="code",
        empty_label=_("All"),
    )
    language = forms.ChoiceField(label=_("Language"), required=False, choices=[("", _("All")), *SpokenLanguage.choices])
    region = ReferenceChoiceField(
        label=_("Region"), required=False, queryset=Region.objects.all(), to_field_name="code", empty_label=_("All")
    )
    accreditation = forms.ChoiceField(
        label=_("Accreditation"), required=False, choices=[("", _("All")), *AccreditationStatus.choices]
    )
    active = forms.ChoiceField(label=_("Status"), required=False, choices=ACTIVE_CHOICES)
    available_from = forms.DateField(label=_("Available from"), required=False, widget=DateInput)
    available_to = forms.DateField(label=_("Available until"), required=False, widget=DateInput)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("available_from"), cleaned.get("available_to")
        if start and end and end < start:
            self.add_error("available_to", _("The end of the period cannot be before its start."))
            cleaned.pop("available_from", None)  # a half of a wrong period would search for the wrong day
        return cleaned

    def filters(self) -> dict:
        """The valid filters as ``selectors.expert_search`` arguments; invalid ones are left out."""
        if not self.is_bound or not hasattr(self, "cleaned_data"):
            return {}
        data = self.cleaned_data
        active = {"active": True, "inactive": False}.get(data.get("active") or "")
        return {
            "search": data.get("q") or "",
            "expertise": data.get("expertise"),
            "language": data.get("language") or "",
            "region": data["region"].code if data.get("region") else "",
            "accreditation": data.get("accreditation") or "",
            "available_from": data.get("available_from"),
            "available_to": data.get("available_to"),
            "active": active,
        }


class UserAccountChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.full_name} <{obj.email}>" if obj.full_name else obj.email


class ExpertForm(forms.ModelForm):
    """Staff create and edit the whole profile (the accreditation has its own form and history)."""

    class Meta:
        model = Expert
        fields = [
            "full_name",
            "email",
            "phone",
            "nationality",
            "administration",
            "user",
            "expertise_areas",
            "biography",
            "is_active",
        ]
        field_classes = {"user": UserAccountChoiceField, "expertise_areas": BoundedModelMultipleChoiceField}
        widgets = {"expertise_areas": forms.CheckboxSelectMultiple, "biography": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        linked_user_id = self.instance.user_id
        # Only expert accounts that no other profile uses yet, plus the one already linked.
        self.fields["user"].queryset = User.objects.filter(
            Q(role=Role.EXPERT, is_active=True, expert_profile__isnull=True) | Q(pk=linked_user_id)
        ).order_by("email")
        self.fields["user"].help_text = _(
            "Optional. Accounts with the Expert role only; linking lets the expert sign in and keep their profile "
            "up to date."
        )
        current = Q(pk__in=[pk for pk in (self.instance.nationality_id, self.instance.administration_id) if pk])
        administrations = Administration.objects.filter(Q(retired_on__isnull=True) | current).order_by("name_en")
        self.fields["nationality"].queryset = administrations
        self.fields["administration"].queryset = administrations
        self.fields["expertise_areas"].queryset = ExpertiseArea.objects.order_by("name_en")


class ExpertContactForm(forms.ModelForm):
    """What an expert edits on their own profile."""

    class Meta:
        model = Expert
        fields = ["email", "phone", "biography"]
        widgets = {"biography": forms.Textarea(attrs={"rows": 6})}


class AccreditationForm(forms.Form):
    status = forms.ChoiceField(label=_("New accreditation status"), choices=AccreditationStatus.choices)
    on = forms.DateField(label=_("Effective on"), widget=DateInput, initial=timezone.localdate)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example the decision or the training that led to it."),
    )


class ExpertLanguagesForm(forms.Form):
    """One level per language; a language left at "not spoken" is removed."""

    def __init__(self, *args, expert: Expert, languages: list | None = None, **kwargs):
        """``languages``: the expert's language entries, when the caller has read them already."""
        super().__init__(*args, **kwargs)
        entries = expert.languages.all() if languages is None else languages
        current = {entry.language: entry.level for entry in entries}
        # Seven selects of the same eight options: translated once, not once per option and select.
        levels = [("", gettext("Not spoken")), *choice_labels(LanguageLevel).items()]
        for language in SpokenLanguage:
            self.fields[f"level_{language.value}"] = forms.ChoiceField(
                label=language.label, required=False, choices=levels, initial=current.get(language.value, "")
            )

    def levels(self) -> dict[str, str]:
        return {
            language.value: self.cleaned_data[f"level_{language.value}"]
            for language in SpokenLanguage
            if self.cleaned_data.get(f"level_{language.value}")
        }


class AvailabilityWindowForm(forms.ModelForm):
    class Meta:
        model = AvailabilityWindow
        fields = ["start_date", "end_date", "note"]
        widgets = {"start_date": DateInput, "end_date": DateInput}


class CvUploadForm(forms.Form):
    cv = forms.FileField(
        label=_("CV"),
        help_text=_("PDF, at most 10 MB. It replaces the current CV."),
        validators=Expert._meta.get_field("cv").validators,
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
