from django import forms
from django.utils.translation import gettext_lazy as _

from bacuda_portal.core.choices import ReferenceChoiceField, with_blank
from bacuda_portal.core.forms import BoundedModelMultipleChoiceField
from bacuda_portal.members.models import Administration, Region
from workshops.experts.forms import ExpertFilterForm

from .enums import AssignmentRole, Gender, WorkingLanguage, WorkshopKind, WorkshopStatus
from .models import Workshop

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class DateRangeMixin:
    """Refuses an end date before the start date, on the end-date field, with a clear message."""

    start_field = "start_date"
    end_field = "end_date"

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get(self.start_field), cleaned.get(self.end_field)
        if start and end and end < start:
            self.add_error(self.end_field, _("The end date cannot be before the start date."))
        return cleaned


class WorkshopRequestForm(DateRangeMixin, forms.Form):
    start_field, end_field = "preferred_start", "preferred_end"

    topic = forms.CharField(label=_("Topic"), max_length=200)
    preferred_start = forms.DateField(label=_("Preferred start date"), widget=DATE_INPUT)
    preferred_end = forms.DateField(label=_("Preferred end date"), widget=DATE_INPUT)
    language = forms.ChoiceField(label=_("Language"), choices=WorkingLanguage.choices)
    expected_participants = forms.IntegerField(label=_("Expected participants"), min_value=1, max_value=200)
    justification = forms.CharField(
        label=_("Justification"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What your administration wants to achieve, and who would take part."),
    )


class WorkshopForm(DateRangeMixin, forms.Form):
    title = forms.CharField(label=_("Title (English)"), max_length=200)
    title_fr = forms.CharField(
        label=_("Title (French)"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to show the English title, marked as such, on French pages."),
    )
    description = forms.CharField(
        label=_("Description (English)"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    description_fr = forms.CharField(
        label=_("Description (French)"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=WorkshopKind.choices)
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.all(), required=False)
    beneficiaries = BoundedModelMultipleChoiceField(
        label=_("Beneficiary administrations"),
        queryset=Administration.objects.members().order_by("name_en"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("One for a national workshop; several for a regional one."),
    )
    quota = forms.IntegerField(
        label=_("Nomination quota per administration"),
        min_value=1,
        max_value=200,
        initial=5,
        help_text=_("Applies to newly added administrations; change one administration's quota on the workshop page."),
    )
    host_city = forms.CharField(label=_("Host city"), max_length=120, required=False)
    venue = forms.CharField(label=_("Venue"), max_length=200, required=False)
    online_url = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    start_date = forms.DateField(label=_("Start date"), widget=DATE_INPUT)
    end_date = forms.DateField(label=_("End date"), widget=DATE_INPUT)
    time_zone = forms.CharField(
        label=_("Time zone"), max_length=64, initial="UTC", help_text=_("For example Africa/Nairobi.")
    )
    languages = forms.MultipleChoiceField(
        label=_("Working languages"), choices=WorkingLanguage.choices, widget=forms.CheckboxSelectMultiple
    )
    seats = forms.IntegerField(label=_("Seats"), min_value=1, max_value=500)
    clikc_workspace_url = forms.URLField(label=_("CLiKC! workspace"), required=False, assume_scheme="https")
    clikc_course_short_name = forms.CharField(
        label=_("CLiKC! course short name"),
        max_length=255,
        required=False,
        help_text=_(
            "The course's short name in CLiKC! (Moodle): the participants' download enrols them in this course."
        ),
    )
    clikc_group_name = forms.CharField(
        label=_("CLiKC! group"),
        max_length=254,
        required=False,
        help_text=_("The group of that course the participants join, as named in CLiKC!; it must exist there."),
    )
    mission_reference = forms.CharField(label=_("WCO mission reference"), max_length=60, required=False)
    prerequisite_course = forms.ModelChoiceField(
        label=_("E-learning course to finish first"), queryset=None, required=False, empty_label=_("None")
    )
    is_public = forms.BooleanField(label=_("Show in the public calendar"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from workshops.elearning.models import Course

        self.fields["prerequisite_course"].queryset = Course.objects.order_by("code")

    @classmethod
    def initial_for(cls, workshop: Workshop) -> dict:
        initial = {name: getattr(workshop, name) for name in cls.base_fields if hasattr(workshop, name)}
        initial["beneficiaries"] = list(workshop.beneficiary_links.values_list("administration_id", flat=True))
        initial["quota"] = workshop.beneficiary_links.values_list("quota", flat=True).first() or 5
        return initial


class SessionForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    start_time = forms.TimeField(label=_("Start time"), widget=TIME_INPUT)
    end_time = forms.TimeField(label=_("End time"), widget=TIME_INPUT)
    topic = forms.CharField(label=_("Topic (English)"), max_length=200)
    topic_fr = forms.CharField(label=_("Topic (French)"), max_length=200, required=False)
    trainer = forms.ModelChoiceField(label=_("Trainer"), queryset=None, required=False)

    def __init__(self, *args, workshop: Workshop, assigned_experts: list | None = None, **kwargs):
        """``assigned_experts``: the workshop's assigned experts when the caller has them already (the workshop
        page), to draw the trainer choices without another query; validation always asks the database."""
        super().__init__(*args, **kwargs)
        from workshops.experts.models import Expert

        trainer = self.fields["trainer"]
        trainer.queryset = Expert.objects.filter(assignments__workshop=workshop).distinct()
        if assigned_experts is not None:
            experts = sorted({expert.pk: expert for expert in assigned_experts}.values(), key=lambda e: e.full_name)
            trainer.choices = [("", trainer.empty_label), *((expert.pk, str(expert)) for expert in experts)]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The session must end after it starts."))
        return cleaned


class QuotaForm(forms.Form):
    quota = forms.IntegerField(label=_("Quota"), min_value=0, max_value=200)


class NominationForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    gender = forms.ChoiceField(label=_("Gender"), choices=with_blank(Gender.choices))
    position = forms.CharField(label=_("Position"), max_length=200)
    email = forms.EmailField(label=_("Email address"))
    language = forms.ChoiceField(label=_("Preferred language"), choices=WorkingLanguage.choices)
    consent_to_list = forms.BooleanField(
        label=_("The official agrees to appear on the participant list"),
        required=False,
        help_text=_("The list is shared with the other participants and the trainers."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class AssignmentForm(forms.Form):
    expert = forms.ModelChoiceField(label=_("Expert"), queryset=None)
    role = forms.ChoiceField(label=_("Role"), choices=AssignmentRole.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from workshops.experts.models import Expert

        self.fields["expert"].queryset = Expert.objects.filter(is_active=True).order_by("full_name")


class AssignmentSearchForm(ExpertFilterForm):
    """The experts registry's search on a workshop's "find an expert to assign" page.

    Only active experts can be assigned, so the active/inactive filter is left out.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["active"]


class AppraisalForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Rating"), coerce=int, choices=[(n, str(n)) for n in range(1, 6)], help_text=_("5 is the best.")
    )
    comments = forms.CharField(label=_("Comments"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class WorkshopFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All")), *WorkshopStatus.choices])
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All")), *WorkshopKind.choices])
    region = ReferenceChoiceField(
        label=_("Region"), required=False, queryset=Region.objects.all(), to_field_name="code", empty_label=_("All")
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)


class LinkRequestForm(forms.Form):
    """The public "lost your link?" form of the participant's page."""

    email = forms.EmailField(
        label=_("The email address your nomination was made with"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
