"""Forms of the algorithms pages."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from bacuda_portal.core import safe_json
from bacuda_portal.members.models import Administration, User

from . import services, simulation
from .enums import Alias, DatasetKind, FeedbackKind, JobKind, JobStatus, Publication, ReviewStatus
from .models import CARD_SECTIONS, Algorithm, ModelCard


class AlgorithmForm(forms.ModelForm):
    class Meta:
        model = Algorithm
        fields = ["name_en", "name_fr", "summary_en", "summary_fr", "data_owner"]
        widgets = {"summary_en": forms.Textarea(attrs={"rows": 3}), "summary_fr": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["data_owner"].queryset = User.objects.filter(is_active=True).order_by("email")


class ModelCardForm(forms.ModelForm):
    class Meta:
        model = ModelCard
        fields = [f"{key}_{language}" for key, _label in CARD_SECTIONS for language in ("en", "fr")]
        widgets = {name: forms.Textarea(attrs={"rows": 5}) for name in fields}


class VersionForm(forms.Form):
    release_notes_en = forms.CharField(label=_("Release notes (English)"), required=False, widget=forms.Textarea)
    release_notes_fr = forms.CharField(label=_("Release notes (French)"), required=False, widget=forms.Textarea)


class AliasForm(forms.Form):
    name = forms.ChoiceField(label=_("Alias"), choices=Alias.choices)


class DatasetUploadForm(forms.Form):
    administration = forms.ModelChoiceField(label=_("Administration"), queryset=Administration.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=DatasetKind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    file = forms.FileField(
        label=_("Data file"),
        help_text=format_lazy(
            "{} {}",
            _("UTF-8 CSV with a header row. Declarations: the 22 columns of the Customs Import Declaration "
              "layout (Fraud and Critical Fraud may be left out for scoring); the tariff code may be HS6, HS8 "
              "or HS10, and other column names or extra columns are mapped on the next step. Labelled "
              "descriptions: the columns description and hs_code."),
            _("Images: a ZIP of PNG or JPEG pictures, one folder per class (optionally inside train, val and test "
              "folders), or the pictures with a labels CSV (columns file and label); pictures to classify need no "
              "labels."),
        ),
    )  # fmt: skip
    # The file kept from the first step while the user maps its columns (see the mapping step).
    pending = forms.CharField(label=_("Kept file"), required=False, widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, administrations, pending_name: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if pending_name:  # the file is already here: another one may replace it
            self.fields["file"].required = False
            self.fields["file"].help_text = _("Kept from the previous step: %(name)s. Choose a file only to replace "
                                              "it.") % {"name": pending_name}  # fmt: skip
        self.fields["administration"].queryset = administrations.order_by("name_en")
        if administrations.count() == 1:
            self.fields["administration"].initial = administrations.first()
            self.fields["administration"].widget = forms.HiddenInput()


class ImageHsCodesForm(forms.Form):
    """One optional HS 2022 subheading for each class of a labelled image set."""

    def __init__(self, *args, classes, codes, **kwargs):
        super().__init__(*args, **kwargs)
        self.classes = sorted(classes, key=lambda name: (name.lower(), name))  # JSONB keeps no key order
        for index, label in enumerate(self.classes):
            self.fields[f"class_{index}"] = forms.CharField(
                label=label,
                max_length=20,
                required=False,
                initial=codes.get(label, ""),
                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 10}),
            )

    def codes(self) -> dict:
        return {label: self.cleaned_data.get(f"class_{index}", "") for index, label in enumerate(self.classes)}

    def field_for(self, label: str) -> str:
        return f"class_{self.classes.index(label)}"


class ColumnMappingForm(forms.Form):
    """The mapping step: for each field of the declarations layout, one of the file's columns (suggested, or the
    administration's saved choice preselected). Fields are named ``map_<index in COLUMNS>``."""

    def __init__(self, *args, header: list[str], initial_mapping: dict[str, str], **kw):
        super().__init__(*args, **kw)
        from .column_mapping import REQUIRED
        from .declarations import COLUMNS

        choices = [("", _("– not in the file –"))] + [(column, column) for column in header]
        for index, name in enumerate(COLUMNS):
            self.fields[f"map_{index}"] = forms.ChoiceField(
                label=name,
                choices=choices,
                required=False,
                initial=initial_mapping.get(name, ""),
                help_text=_("Required.") if name in REQUIRED else _("Optional (fraud labels, for training)."),
            )
        self.layout_fields = COLUMNS

    def show_errors(self, errors: dict[str, str]) -> None:
        """The service's verdict on the mapping (``services.MappingInvalid.errors``), on the fields concerned."""
        for name, message in errors.items():
            self.add_error(f"map_{self.layout_fields.index(name)}" if name in self.layout_fields else None, message)

    def mapping(self) -> dict[str, str]:
        data = self.cleaned_data
        return {name: data.get(f"map_{index}") or "" for index, name in enumerate(self.layout_fields)}


class JobForm(forms.Form):
    kind = forms.ChoiceField(label=_("Job"), choices=JobKind.choices)
    administration = forms.ModelChoiceField(
        label=_("Administration"),
        queryset=Administration.objects.none(),
        required=False,
        help_text=_("Left empty: the dataset's administration."),
    )
    dataset = forms.ModelChoiceField(
        label=_("Dataset"), queryset=None, required=False, help_text=_("AI-HS without a dataset uses the nomenclature.")
    )
    source_version = forms.ModelChoiceField(label=_("Trained model (scoring only)"), queryset=None, required=False)
    seed = forms.IntegerField(label=_("Random seed"), min_value=0, max_value=2**31 - 1, initial=42)
    rows = forms.IntegerField(label=_("Synthetic rows (AI-Synth only)"), min_value=1, required=False)
    accepted_feedback = forms.BooleanField(
        label=_("AI-HS training: train on the accepted suggestion feedback"),
        required=False,
        help_text=_("Instead of a dataset: the administration's accepted labelled descriptions. The new version "
                    "becomes the champion only if it does better than the champion."),
    )  # fmt: skip
    # The selection simulation's parameters (checked only for that kind of job, in ``clean``).
    train_start = forms.DateField(
        label=_("Simulation: first day of the first training window"),
        required=False,
        help_text=_("Left empty: the dataset's first date. Format YYYY-MM-DD."),
    )
    train_days = forms.IntegerField(
        label=_("Simulation: length of the first training window (days)"), required=False, initial=91
    )
    batch_days = forms.IntegerField(label=_("Simulation: length of a batch (days)"), required=False, initial=7)
    batches = forms.IntegerField(label=_("Simulation: number of batches"), required=False, initial=52)
    rate = forms.FloatField(
        label=_("Simulation: inspection rate"),
        required=False,
        initial=0.05,
        help_text=_("The share of each batch's declarations inspected, more than 0 and at most 1 (0.05 is 5 %)."),
    )
    final_rate = forms.FloatField(
        label=_("Simulation: final inspection rate (optional)"),
        required=False,
        help_text=_("Given, the rate moves in a straight line from the inspection rate (first batch) to this one "
                    "(last batch)."),
    )  # fmt: skip
    strategies = forms.MultipleChoiceField(
        label=_("Simulation: strategies to compare"),
        choices=simulation.STRATEGY_CHOICES,
        required=False,
        initial=list(simulation.DEFAULTS["strategies"]),
        widget=forms.CheckboxSelectMultiple,
    )
    exploration = forms.FloatField(
        label=_("Simulation: exploration share of the hybrids"),
        required=False,
        initial=0.1,
        help_text=_("From 0 to 1; the adaptive hybrid starts from it."),
    )
    retrain_every = forms.IntegerField(
        label=_("Simulation: retrain every n batches"), required=False, initial=1, help_text=_("1: every batch.")
    )
    params = forms.CharField(
        label=_("Advanced parameters (JSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_('Optional engine parameters as a JSON object, e.g. {"epochs": 5}.'),
    )

    def __init__(self, *args, administrations, datasets, versions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["administration"].queryset = administrations.order_by("name_en")
        if administrations.count() == 1:
            self.fields["administration"].initial = administrations.first()
            self.fields["administration"].widget = forms.HiddenInput()
        self.fields["dataset"].queryset = datasets.select_related("administration")
        self.fields["source_version"].queryset = versions.select_related("algorithm")

    def clean_params(self):
        text = self.cleaned_data["params"].strip()
        if not text:
            return {}
        try:
            value = safe_json.loads(text)  # as the API reads it: deep nesting, NaN, huge numbers... are refused
            safe_json.check_value(value)
        except safe_json.UnsafeJSON as error:
            raise forms.ValidationError(str(error)) from None
        if not isinstance(value, dict):
            raise forms.ValidationError(_('Give a JSON object, e.g. {"epochs": 5}.'))
        return value

    def clean(self):
        data = super().clean()
        if data.get("accepted_feedback"):
            if data.get("kind") != JobKind.AIHS_TRAIN:
                self.add_error("accepted_feedback", _("Only an AI-HS training job trains on the feedback."))
            elif data.get("dataset") is not None:
                self.add_error("accepted_feedback", _("Choose a dataset or the accepted feedback, not both."))
        if data.get("kind") == JobKind.DATE_SIMULATE:
            self._clean_simulation(data)
        if not data.get("administration"):
            if data.get("dataset") is not None:
                data["administration"] = data["dataset"].administration
            elif data.get("kind") and services.job_needs_dataset(data["kind"]):
                # The dataset names the administration: what is missing is the dataset.
                self.add_error("dataset", _("Choose a dataset."))
            elif "administration" not in self.errors:
                self.add_error("administration", _("Choose the administration the job is for."))
        return data

    def _clean_simulation(self, data: dict) -> None:
        params = dict(data.get("params") or {})
        for name in ("train_days", "batch_days", "batches", "rate", "final_rate", "exploration", "retrain_every"):
            if data.get(name) is not None:
                params[name] = data[name]
        if data.get("train_start") is not None:
            params["train_start"] = data["train_start"].isoformat()
        params["strategies"] = list(data.get("strategies") or [])
        for name, message in simulation.parameter_errors(params, data.get("dataset")).items():
            if name in self.fields and name not in self.errors:
                self.add_error(name, message)
            elif name not in self.fields:
                self.add_error("params", message)
        data["simulation_params"] = params

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        params = dict(data["params"])
        if data["kind"] == JobKind.DATE_SIMULATE:
            params = dict(data["simulation_params"])
        if data["kind"] == JobKind.SYNTH and data.get("rows"):
            params["rows"] = data["rows"]
        if data.get("accepted_feedback"):
            params["source"] = "accepted_feedback"
        return {
            "kind": data["kind"],
            "administration": data["administration"],
            "dataset": data.get("dataset"),
            "source_version": data.get("source_version"),
            "params": params,
            "seed": data["seed"],
        }


class DatasetFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All")), *DatasetKind.choices], required=False)


class JobFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, help_text=_("Job number, dataset or submitter"))
    kind = forms.ChoiceField(label=_("Job"), choices=[("", _("All")), *JobKind.choices], required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All")), *JobStatus.choices], required=False)


class StaffFilterMixin(forms.Form):
    administration = forms.ModelChoiceField(
        label=_("Administration"), queryset=Administration.objects.none(), required=False
    )

    def __init__(self, *args, administrations, **kwargs):
        """``administrations``: those the list has rows of (a few dozen), not all 186 Members."""
        super().__init__(*args, **kwargs)
        self.fields["administration"].queryset = administrations


class StaffDatasetFilterForm(DatasetFilterForm, StaffFilterMixin):
    pass


class StaffJobFilterForm(JobFilterForm, StaffFilterMixin):
    pass


class CatalogueFilterForm(forms.Form):
    publication = forms.ChoiceField(
        label=_("Publication"), choices=[("", _("All")), *Publication.choices], required=False
    )


class HsSuggestForm(forms.Form):
    description = forms.CharField(label=_("Goods description"), max_length=1000)
    administration = forms.ModelChoiceField(
        label=_("Administration's model"),
        queryset=Administration.objects.order_by("name_en"),
        required=False,
        help_text=_("Staff: answer with this administration's champion model."),
    )


# --- AI-HS: feedback, review, training on the feedback, batch classification (issue 13) ---------------------------
class HsFeedbackForm(forms.Form):
    """Confirm a suggested code or correct it: ``token`` records the suggestions (signed by the server)."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=20000)
    # Only to show the page again if the token is refused; what is recorded comes from the token.
    description = forms.CharField(widget=forms.HiddenInput, required=False, max_length=1000)
    administration = forms.CharField(widget=forms.HiddenInput, required=False, max_length=12)
    code = forms.CharField(
        label=_("Another HS code"),
        max_length=20,
        help_text=_("The six-digit HS 2022 subheading, for example 0901.11."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 10}),
    )

    def clean_code(self):
        from .services import hs6_refusal, normalised_hs_code

        code = normalised_hs_code(self.cleaned_data["code"])
        refusal = hs6_refusal(code)
        if refusal:
            raise forms.ValidationError(refusal)
        return code


class HsLabelledFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, help_text=_("Words of the description, or a code"))
    status = forms.ChoiceField(label=_("Review"), choices=[("", _("All")), *ReviewStatus.choices], required=False)
    feedback = forms.ChoiceField(label=_("Feedback"), choices=[("", _("All")), *FeedbackKind.choices], required=False)


class StaffHsLabelledFilterForm(HsLabelledFilterForm, StaffFilterMixin):
    pass


class HsReviewForm(forms.Form):
    """Accept or reject the ticked labelled descriptions (or one row's button)."""

    decision = forms.ChoiceField(
        label=_("Decision"), choices=[(ReviewStatus.ACCEPTED, _("Accept")), (ReviewStatus.REJECTED, _("Reject"))]
    )
    ids = forms.TypedMultipleChoiceField(label=_("Descriptions"), coerce=int, choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any whole number is accepted here; which ids the user may review is decided by the access layer, and an
        # id that is not theirs is counted as not found, like one that does not exist.
        self.fields["ids"].valid_value = lambda value: str(value).isdigit() and 0 < int(value) < 2**63
        self.fields["ids"].error_messages["required"] = _("Tick at least one description.")


class HsTrainForm(forms.Form):
    administration = forms.ModelChoiceField(label=_("Administration"), queryset=Administration.objects.none())
    seed = forms.IntegerField(label=_("Random seed"), min_value=0, max_value=2**31 - 1, initial=42)

    def __init__(self, *args, administrations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["administration"].queryset = administrations.order_by("name_en")
        if administrations.count() == 1:
            self.fields["administration"].initial = administrations.first()
            self.fields["administration"].widget = forms.HiddenInput()


class HsBatchForm(forms.Form):
    """A CSV of goods descriptions to classify, with the columns to read (found by their usual names if empty)."""

    administration = forms.ModelChoiceField(label=_("Administration"), queryset=Administration.objects.none())
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8 CSV with a header row: one goods description a row and, if you have it, the declared HS "
                    "code (for example a week's declarations)."),
    )  # fmt: skip
    description_column = forms.CharField(
        label=_("Column of the descriptions"),
        max_length=100,
        required=False,
        help_text=_("Left empty: a column named description, goods description or designation."),
    )
    code_column = forms.CharField(
        label=_("Column of the declared codes (optional)"),
        max_length=100,
        required=False,
        help_text=_("Left empty: a column named declared_code, hs_code or HS6 Code, if there is one."),
    )
    name = forms.CharField(label=_("Name"), max_length=200, required=False, help_text=_("Left empty: the file name."))
    seed = forms.IntegerField(label=_("Random seed"), min_value=0, max_value=2**31 - 1, initial=42)

    def __init__(self, *args, administrations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["administration"].queryset = administrations.order_by("name_en")
        if administrations.count() == 1:
            self.fields["administration"].initial = administrations.first()
            self.fields["administration"].widget = forms.HiddenInput()


# --- Image analysis (issue 15) -----------------------------------------------------------------------------------
class ImageClassifyForm(forms.Form):
    """One picture to classify with a trained image model the user may use."""

    picture = forms.FileField(label=_("Picture"), help_text=_("A PNG or JPEG picture, up to 15 MB."))
    version = forms.ModelChoiceField(label=_("Model"), queryset=None, empty_label=None)

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = versions.select_related("algorithm", "administration").order_by("-pk")
        self.fields["version"].label_from_instance = lambda version: (
            f"{version} ({version.administration.code if version.administration else 'WCO'})"
        )
