from django import forms
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bacuda_portal.core.forms import BoundedModelMultipleChoiceField
from bacuda_portal.members.enums import STAFF_ROLES
from bacuda_portal.members.models import User

from .enums import CourseLanguage, CourseStage
from .models import Course, Milestone

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def https_url_formfield(model_field, **kwargs):
    # CLiKC! addresses are https: an address typed without a scheme is completed with it (Django 6's default).
    if isinstance(model_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return model_field.formfield(**kwargs)


class CourseForm(forms.ModelForm):
    """Create a course. The views hand ``cleaned_data`` to the services; the form itself never saves."""

    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=CourseLanguage.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Course
        formfield_callback = https_url_formfield
        field_classes = {"experts": BoundedModelMultipleChoiceField}
        fields = [
            "code",
            "title_en",
            "title_fr",
            "summary_en",
            "summary_fr",
            "languages",
            "owner",
            "vendor",
            "experts",
            "planned_launch_on",
            "clikc_url",
        ]
        widgets = {
            "summary_en": forms.Textarea(attrs={"rows": 4}),
            "summary_fr": forms.Textarea(attrs={"rows": 4}),
            "planned_launch_on": DATE_WIDGET,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Active staff only; a course's current owner stays selectable even after they left.
        self.fields["owner"].queryset = User.objects.filter(
            Q(role__in=STAFF_ROLES, is_active=True) | Q(pk=self.instance.owner_id)
        ).order_by("full_name", "email")


class CourseEditForm(CourseForm):
    """Edit a course; ``version`` is the one the editor loaded, so a concurrent save is detected, not lost."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta(CourseForm.Meta):
        fields = [field for field in CourseForm.Meta.fields if field != "code"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version


class MilestoneForm(forms.ModelForm):
    """A completion date in the future is refused by ``Milestone.clean``, shown on the field."""

    class Meta:
        model = Milestone
        fields = ["title", "title_fr", "due_date", "done_on"]
        widgets = {"due_date": DATE_WIDGET, "done_on": DATE_WIDGET}


class CourseFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    stage = forms.ChoiceField(label=_("Stage"), required=False, choices=[("", _("All")), *CourseStage.choices])
    language = forms.ChoiceField(label=_("Language"), required=False, choices=[("", _("All")), *CourseLanguage.choices])
    overdue = forms.BooleanField(label=_("With overdue milestones only"), required=False)


class AdvanceForm(forms.Form):
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=2000)


class SendBackForm(forms.Form):
    """The services say what is allowed; the form only parses, so every refusal reads the same everywhere."""

    to_stage = forms.ChoiceField(label=_("Back to"), choices=CourseStage.choices)
    note = forms.CharField(label=_("Why"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ChecklistTickForm(forms.Form):
    done = forms.BooleanField(required=False)
