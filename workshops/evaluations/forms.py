"""Forms of the evaluations pages: they parse and check input; the views hand it to the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bacuda_portal.core.forms import BoundedModelMultipleChoiceField

from ..models import Workshop
from . import selectors
from .enums import QuestionKind, QuestionnaireKind
from .services import OptionInput

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
CORRECT_MARK = "*"


class QuestionFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("All types")), *QuestionKind.choices])
    active = forms.ChoiceField(
        label=_("Offered"),
        required=False,
        choices=[("", _("All")), ("yes", _("Offered for new questionnaires")), ("no", _("Retired"))],
    )


class QuestionForm(forms.Form):
    """A bank question. Options are typed one per line, English and French in the same order; a line starting
    with * is a correct answer."""

    text_en = forms.CharField(label=_("Question (English)"), max_length=500)
    text_fr = forms.CharField(label=_("Question (French)"), max_length=500, required=False)
    kind = forms.ChoiceField(label=_("Type"), choices=QuestionKind.choices)
    points = forms.IntegerField(
        label=_("Points"),
        min_value=0,
        max_value=100,
        initial=0,
        help_text=_("Points for a correct answer. Above 0, the question is scored and can be used in knowledge tests."),
    )
    options_en = forms.CharField(
        label=_("Options (English)"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Choice questions: one option per line. Start a line with * to mark a correct answer."),
    )
    options_fr = forms.CharField(
        label=_("Options (French)"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The same options in French, in the same order, one per line (optional)."),
    )
    low_label_en = forms.CharField(label=_("Label of 1 (English)"), max_length=60, required=False)
    low_label_fr = forms.CharField(label=_("Label of 1 (French)"), max_length=60, required=False)
    high_label_en = forms.CharField(label=_("Label of 5 (English)"), max_length=60, required=False)
    high_label_fr = forms.CharField(label=_("Label of 5 (French)"), max_length=60, required=False)
    is_active = forms.BooleanField(label=_("Offered for new questionnaires"), required=False, initial=True)
    measures_application = forms.BooleanField(
        label=_("Measures the application of the learning"),
        required=False,
        help_text=_(
            "Rating questions of follow-up surveys: an answer of 4 or 5 counts the participant as applying what "
            "they learnt at work."
        ),
    )

    @staticmethod
    def _lines(text: str) -> list[str]:
        return [line.strip() for line in (text or "").splitlines() if line.strip()]

    def clean(self):
        data = super().clean()
        english = self._lines(data.get("options_en", ""))
        french = self._lines(data.get("options_fr", ""))
        if french and len(french) != len(english):
            self.add_error(
                "options_fr",
                _("Give as many French options as English ones (%(count)d), or none.") % {"count": len(english)},
            )
            return data
        options = []
        for index, line in enumerate(english):
            correct = line.startswith(CORRECT_MARK)
            text_en = line.lstrip(CORRECT_MARK).strip()
            text_fr = french[index].lstrip(CORRECT_MARK).strip() if french else ""
            if len(text_en) > 300 or len(text_fr) > 300:
                self.add_error("options_en", _("Keep each option under 300 characters."))
                return data
            options.append(OptionInput(text_en=text_en, text_fr=text_fr, is_correct=correct))
        data["options"] = options
        return data

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("options_en", None)
        data.pop("options_fr", None)
        return data

    @classmethod
    def initial_for(cls, question) -> dict:
        options = list(question.options.all())
        return {
            "text_en": question.text_en,
            "text_fr": question.text_fr,
            "kind": question.kind,
            "points": question.points,
            "options_en": "\n".join(f"{CORRECT_MARK if o.is_correct else ''}{o.text_en}" for o in options),
            "options_fr": "\n".join(o.text_fr for o in options) if any(o.text_fr for o in options) else "",
            "low_label_en": question.low_label_en,
            "low_label_fr": question.low_label_fr,
            "high_label_en": question.high_label_en,
            "high_label_fr": question.high_label_fr,
            "is_active": question.is_active,
            "measures_application": question.measures_application,
        }


class QuestionnaireSettingsForm(forms.Form):
    anonymous = forms.BooleanField(
        label=_("Anonymous"), required=False, help_text=_("Staff see the answers but never who gave them.")
    )
    opens_at = forms.DateTimeField(label=_("Opens"), required=False, widget=DATETIME_WIDGET)
    closes_at = forms.DateTimeField(label=_("Closes"), required=False, widget=DATETIME_WIDGET)
    follow_up_months = forms.IntegerField(
        label=_("Months after the workshop"),
        min_value=1,
        max_value=24,
        initial=3,
        help_text=_("For the follow-up survey: how many months after the workshop it is sent."),
    )

    def clean(self):
        data = super().clean()
        opens_at, closes_at = data.get("opens_at"), data.get("closes_at")
        if opens_at and closes_at and closes_at <= opens_at:
            self.add_error("closes_at", _("The closing time must come after the opening time."))
        return data


class QuestionnaireCreateForm(QuestionnaireSettingsForm):
    """A new questionnaire from bank questions. Anonymity: the kind's default unless changed."""

    kind = forms.ChoiceField(label=_("Kind"), choices=QuestionnaireKind.choices)
    questions = BoundedModelMultipleChoiceField(
        label=_("Questions from the bank"),
        queryset=selectors.bank_questions(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The post-test asks the pre-test's questions: leave this empty for it."),
    )
    anonymous_choice = forms.ChoiceField(
        label=_("Anonymous"),
        choices=[
            ("", _("The kind's default (the reaction survey is anonymous)")),
            ("yes", _("Anonymous")),
            ("no", _("Named")),
        ],
        required=False,
    )
    field_order = ["kind", "questions", "anonymous_choice", "opens_at", "closes_at", "follow_up_months"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["anonymous"]
        self.fields["follow_up_months"].required = False  # 3 when left empty

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "questions": list(data.get("questions") or []),
            "anonymous": {"yes": True, "no": False}.get(data.get("anonymous_choice") or ""),
            "opens_at": data.get("opens_at"),
            "closes_at": data.get("closes_at"),
            "follow_up_months": data.get("follow_up_months") or 3,
        }


class QuestionnaireItemsForm(forms.Form):
    """The order and the required flag of a questionnaire's questions, questions to remove and to add."""

    add = BoundedModelMultipleChoiceField(
        label=_("Add questions from the bank"),
        queryset=selectors.bank_questions(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        present = [item.question_id for item in self.items]
        self.fields["add"].queryset = selectors.bank_questions().exclude(pk__in=present)
        for item in self.items:
            key = item.question_id
            self.fields[f"position_{key}"] = forms.IntegerField(
                label=_("Position of “%(question)s”") % {"question": item.question},
                min_value=1,
                max_value=999,
                initial=item.position,
            )
            self.fields[f"required_{key}"] = forms.BooleanField(
                label=_("Answer required"), required=False, initial=item.required
            )
            self.fields[f"remove_{key}"] = forms.BooleanField(label=_("Remove"), required=False)

    def rows(self):
        """``(item, position field, required field, remove field)`` for the template's table."""
        for item in self.items:
            key = item.question_id
            yield item, self[f"position_{key}"], self[f"required_{key}"], self[f"remove_{key}"]

    def ordered_items(self) -> list:
        """``[(question, required), ...]`` in the chosen order, the added questions last."""
        data = self.cleaned_data
        kept = [
            (data[f"position_{item.question_id}"], index, item.question, data[f"required_{item.question_id}"])
            for index, item in enumerate(self.items)
            if not data.get(f"remove_{item.question_id}")
        ]
        kept.sort(key=lambda row: (row[0], row[1]))
        return [(question, required) for _position, _index, question, required in kept] + [
            (question, True) for question in data.get("add") or []
        ]


class CopyQuestionnairesForm(forms.Form):
    source = forms.ModelChoiceField(label=_("Copy the questionnaires of"), queryset=Workshop.objects.none())

    def __init__(self, *args, workshop=None, **kwargs):
        super().__init__(*args, **kwargs)
        if workshop is not None:
            self.fields["source"].queryset = selectors.workshops_to_copy_from(workshop)


class AnswerForm(forms.Form):
    """A participant's answers: one field per question, named ``q<question id>``.

    Every field is optional here: a draft may be incomplete; the service says what is missing on submission.
    """

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        for item in items:
            question = item.question
            label = question.text
            name = f"q{question.pk}"
            if question.kind == QuestionKind.RATING:
                choices = [(str(value), str(value)) for value in range(1, 6)]
                if question.low_label:
                    choices[0] = ("1", f"1 – {question.low_label}")
                if question.high_label:
                    choices[-1] = ("5", f"5 – {question.high_label}")
                field = forms.ChoiceField(choices=choices, widget=forms.RadioSelect)
            elif question.kind == QuestionKind.SINGLE:
                field = forms.ChoiceField(
                    choices=[(str(option.pk), option.text) for option in question.options.all()],
                    widget=forms.RadioSelect,
                )
            elif question.kind == QuestionKind.MULTIPLE:
                field = forms.MultipleChoiceField(
                    choices=[(str(option.pk), option.text) for option in question.options.all()],
                    widget=forms.CheckboxSelectMultiple,
                )
            else:
                field = forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
            field.required = False
            field.label = label
            field.is_required_answer = item.required
            self.fields[name] = field

    def answers(self) -> dict:
        """``{question id: answer}`` as the services take them."""
        return {name[1:]: value for name, value in self.cleaned_data.items() if value not in (None, "", [])}

    @staticmethod
    def initial_from(answers: dict) -> dict:
        return {
            f"q{key}": ([str(v) for v in value] if isinstance(value, list) else str(value))
            for key, value in answers.items()
        }
