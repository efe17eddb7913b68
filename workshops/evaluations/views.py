"""Pages of the evaluations app: thin; they parse input, ask ``access``, call one service and render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from bacuda_portal.core.csv_export import export_format, table_response
from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.pages import add_service_errors, query_without_page, run_state_change
from bacuda_portal.reports.charts import Bar, horizontal_bars

from ..views.participants import working_link
from . import access, selectors, services
from .enums import QuestionKind
from .forms import (
    AnswerForm,
    CopyQuestionnairesForm,
    QuestionFilterForm,
    QuestionForm,
    QuestionnaireCreateForm,
    QuestionnaireItemsForm,
    QuestionnaireSettingsForm,
)

PAGE_SIZE = 50


# --- The question bank ---------------------------------------------------------------------------------
@login_required
def question_list(request):
    access.require_evaluation_manager(request.user)
    form = QuestionFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    questions = selectors.question_list(
        search=filters.get("q", ""), kind=filters.get("kind", ""), active=filters.get("active", "")
    )
    if file_format := export_format(request):
        return table_response(
            file_format=file_format,
            filename="question-bank",
            header=[
                _("Id"),
                _("Question (English)"),
                _("Question (French)"),
                _("Type"),
                _("Points"),
                _("Options (English)"),
                _("Options (French)"),
                _("Correct options"),
                _("Questionnaires"),
                _("Offered"),
            ],
            rows=(
                (
                    question.pk,
                    question.text_en,
                    question.text_fr,
                    question.get_kind_display(),
                    question.points,
                    "; ".join(option.text_en for option in question.options.all()),
                    "; ".join(option.text_fr for option in question.options.all()),
                    "; ".join(option.text_en for option in question.options.all() if option.is_correct),
                    question.questionnaire_count,
                    _("yes") if question.is_active else _("no"),
                )
                for question in questions
            ),
            actor=request.user,
            action="evaluations.questions.exported",
        )
    page = Paginator(questions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "evaluations/question_list.html", {"form": form, "page": page, "query": query_without_page(request)}
    )


@login_required
def question_create(request):
    access.require_evaluation_manager(request.user)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_create(by=request.user, **form.service_arguments())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The question was added to the bank."))
            return redirect("evaluations:question_list")
    status = 400 if request.method == "POST" else 200
    return render(request, "evaluations/question_form.html", {"form": form, "question": None}, status=status)


@login_required
def question_update(request, pk):
    question = access.get_question_for(request.user, pk)
    form = QuestionForm(request.POST or None, initial=QuestionForm.initial_for(question))
    if request.method == "POST" and form.is_valid():
        arguments = form.service_arguments()
        try:
            services.question_update(question=question, by=request.user, **arguments)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect("evaluations:question_list")
    status = 400 if request.method == "POST" else 200
    return render(request, "evaluations/question_form.html", {"form": form, "question": question}, status=status)


# --- A workshop's questionnaires -----------------------------------------------------------------------
def _workshop_page(request, workshop, *, create_form=None, copy_form=None, status=200):
    return render(
        request,
        "evaluations/workshop_questionnaires.html",
        {
            "workshop": workshop,
            "questionnaires": selectors.workshop_questionnaires(workshop),
            "create_form": create_form or QuestionnaireCreateForm(),
            "copy_form": copy_form or CopyQuestionnairesForm(workshop=workshop),
        },
        status=status,
    )


@login_required
def workshop_questionnaires(request, pk):
    workshop = access.get_workshop_for(request.user, pk)
    if request.method != "POST":
        return _workshop_page(request, workshop)
    form = QuestionnaireCreateForm(request.POST)
    if form.is_valid():
        try:
            questionnaire = services.questionnaire_create(
                workshop=workshop, by=request.user, **form.service_arguments()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Questionnaire created: %(kind)s.") % {"kind": questionnaire.get_kind_display()}
            )
            return redirect("evaluations:questionnaire_detail", pk=questionnaire.pk)
    return _workshop_page(request, workshop, create_form=form, status=400)


@require_POST
@login_required
def questionnaires_copy(request, pk):
    workshop = access.get_workshop_for(request.user, pk)
    form = CopyQuestionnairesForm(request.POST, workshop=workshop)
    if form.is_valid():
        try:
            copies = services.questionnaires_copy(
                source=form.cleaned_data["source"], workshop=workshop, by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                ngettext("%(count)d questionnaire copied.", "%(count)d questionnaires copied.", len(copies))
                % {"count": len(copies)},
            )
            return redirect("evaluations:workshop_questionnaires", pk=workshop.pk)
    return _workshop_page(request, workshop, copy_form=form, status=400)


def _questionnaire_page(request, questionnaire, *, settings_form=None, items_form=None, status=200):
    questionnaire = selectors.questionnaire_with_items(questionnaire)
    items = list(questionnaire.items.all())
    if settings_form is None:
        settings_form = QuestionnaireSettingsForm(
            initial={
                "anonymous": questionnaire.anonymous,
                "opens_at": questionnaire.opens_at,
                "closes_at": questionnaire.closes_at,
                "follow_up_months": questionnaire.follow_up_months,
            }
        )
    return render(
        request,
        "evaluations/questionnaire_detail.html",
        {
            "questionnaire": questionnaire,
            "items": items,
            "settings_form": settings_form,
            "items_form": items_form or QuestionnaireItemsForm(items=items),
            "accepting": services.is_accepting_answers(questionnaire),
        },
        status=status,
    )


@login_required
def questionnaire_detail(request, pk):
    questionnaire = access.get_questionnaire_for(request.user, pk)
    return _questionnaire_page(request, questionnaire)


@require_POST
@login_required
def questionnaire_settings(request, pk):
    questionnaire = access.get_questionnaire_for(request.user, pk)
    form = QuestionnaireSettingsForm(request.POST)
    if form.is_valid():
        try:
            services.questionnaire_update(questionnaire=questionnaire, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect("evaluations:questionnaire_detail", pk=questionnaire.pk)
        questionnaire.refresh_from_db()
    return _questionnaire_page(request, questionnaire, settings_form=form, status=400)


@require_POST
@login_required
def questionnaire_items(request, pk):
    questionnaire = access.get_questionnaire_for(request.user, pk)
    items = list(selectors.questionnaire_with_items(questionnaire).items.all())
    form = QuestionnaireItemsForm(request.POST, items=items)
    status = 400
    if form.is_valid():
        try:
            services.questionnaire_set_items(questionnaire=questionnaire, by=request.user, items=form.ordered_items())
        except ValidationError as error:
            form.add_error(None, error.messages)
        except TransitionError as error:
            form.add_error(None, str(error))
            status = 409
        else:
            messages.success(request, _("The questions were saved."))
            return redirect("evaluations:questionnaire_detail", pk=questionnaire.pk)
    return _questionnaire_page(request, questionnaire, items_form=form, status=status)


@require_POST
@login_required
def questionnaire_open(request, pk):
    questionnaire = access.get_questionnaire_for(request.user, pk)
    run_state_change(
        request,
        lambda: services.questionnaire_open(questionnaire=questionnaire, by=request.user),
        success=_("The questionnaire is open."),
    )
    return redirect("evaluations:questionnaire_detail", pk=questionnaire.pk)


@require_POST
@login_required
def questionnaire_close(request, pk):
    questionnaire = access.get_questionnaire_for(request.user, pk)
    run_state_change(
        request,
        lambda: services.questionnaire_close(questionnaire=questionnaire, by=request.user),
        success=_("The questionnaire is closed."),
    )
    return redirect("evaluations:questionnaire_detail", pk=questionnaire.pk)


# --- Answering -----------------------------------------------------------------------------------------
def answer_page(request, questionnaire, answerer: access.Answerer, *, back_url: str = ""):
    """The answering form, for a participant or (``answerer.preview``) for staff looking through their eyes.

    A preview saves nothing: a POST checks the answers and shows what the participant would be told.
    """
    questionnaire = selectors.questionnaire_with_items(questionnaire)
    items = list(questionnaire.items.all())
    nomination = answerer.nomination
    blocked = None
    if nomination is not None:
        try:
            services.check_may_answer(questionnaire, nomination)
        except TransitionError as error:
            blocked = str(error)
    # A preview never shows a participant's draft: an anonymous draft is theirs alone, even before it is sent.
    draft = None if answerer.preview or nomination is None else services.find_draft(questionnaire, nomination)
    initial = AnswerForm.initial_from(draft.answers) if draft else {}
    form = AnswerForm(request.POST or None, items=items, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        answers = form.answers()
        submitting = "submit" in request.POST
        if answerer.preview or nomination is None:
            _cleaned, errors = services.clean_answers(items, answers, complete=submitting)
            for key, message in errors.items():
                form.add_error(f"q{key}", message)
            messages.info(request, _("Preview: nothing was saved."))
            status = 400 if errors else 200
        elif blocked:
            form.add_error(None, blocked)
            status = 409
        else:
            try:
                if submitting:
                    services.submit(nomination=nomination, questionnaire=questionnaire, answers=answers)
                else:
                    services.save_draft(nomination=nomination, questionnaire=questionnaire, answers=answers)
            except TransitionError as error:
                form.add_error(None, str(error))
                status = 409
            except ValidationError as error:
                add_service_errors(form, error)
                if submitting:
                    form.add_error(None, _("Some answers are missing or invalid: your answers were kept as a draft."))
                status = 400
            else:
                if submitting:
                    messages.success(request, _("Thank you: your answers were recorded."))
                else:
                    messages.success(request, _("Your answers were saved as a draft. You can come back to finish."))
                return redirect(request.get_full_path())
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "evaluations/answer.html",
        {
            "questionnaire": questionnaire,
            "items": items,
            "form": form,
            "answerer": answerer,
            "blocked": blocked,
            "has_draft": draft is not None,
            "back_url": back_url,
        },
        status=status,
    )


@login_required
def questionnaire_preview(request, pk):
    questionnaire = access.get_questionnaire_for(request.user, pk)
    answerer = access.nomination_for_answering(request, questionnaire, nomination_pk=request.GET.get("as"))
    return answer_page(request, questionnaire, answerer)


# --- Results -------------------------------------------------------------------------------------------
def _add_charts(results) -> None:
    """One SVG bar chart (the dashboard's kit) per rating or choice question."""
    for questionnaire_results in results.questionnaires:
        for question_result in questionnaire_results.questions:
            if question_result.question.kind != QuestionKind.TEXT:
                question_result.chart = horizontal_bars(
                    question_result.question.text,
                    [
                        Bar(
                            _("%(option)s (correct)") % {"option": bucket.label} if bucket.correct else bucket.label,
                            bucket.count,
                            "chart-bar-alt" if bucket.correct else "chart-bar",
                        )
                        for bucket in question_result.buckets
                    ],
                )


def _percent(value):
    return "" if value is None else round(value, 1)


def _results_rows(results):
    for questionnaire_results in results.questionnaires:
        kind = questionnaire_results.questionnaire.get_kind_display()
        yield (
            kind,
            _("Response rate"),
            "",
            questionnaire_results.submitted,
            _percent(questionnaire_results.response_rate),
        )
        if questionnaire_results.withheld:
            yield (kind, _("Answers withheld until more participants have answered (anonymity)"), "", "", "")
            continue
        for question_result in questionnaire_results.questions:
            text = question_result.question.text
            if question_result.average is not None:
                yield (kind, text, _("Average"), question_result.answered, round(question_result.average, 2))
            if question_result.correct_share is not None:
                yield (
                    kind,
                    text,
                    _("Answered correctly"),
                    question_result.answered,
                    _percent(question_result.correct_share),
                )
            for bucket in question_result.buckets:
                label = _("%(option)s (correct)") % {"option": bucket.label} if bucket.correct else bucket.label
                yield (kind, text, label, bucket.count, _percent(bucket.share))
            for answer in question_result.texts:
                yield (kind, text, answer, "", "")


def _gain_rows(gain):
    for row in gain.rows:
        yield (
            row.full_name,
            row.administration,
            "" if row.pre is None else row.pre,
            "" if row.post is None else row.post,
            row.maximum or "",
            "" if row.gain is None else row.gain,
            _percent(row.gain_percent),
            "" if row.normalised_gain is None else round(row.normalised_gain, 3),
        )


@login_required
def workshop_results(request, pk):
    workshop = access.get_workshop_for(request.user, pk)
    results = selectors.workshop_results(workshop)
    if file_format := export_format(request):
        if request.GET.get("table") == "gain":
            return table_response(
                file_format=file_format,
                filename=f"knowledge-gain-{workshop.pk}",
                header=[
                    _("Participant"),
                    _("Administration"),
                    _("Pre-test score"),
                    _("Post-test score"),
                    _("Maximum score"),
                    _("Gain (points)"),
                    _("Gain (% of the maximum)"),
                    _("Normalised gain"),
                ],
                rows=_gain_rows(results.knowledge_gain) if results.knowledge_gain else (),
                actor=request.user,
                action="evaluations.knowledge_gain.exported",
            )
        return table_response(
            file_format=file_format,
            filename=f"evaluation-results-{workshop.pk}",
            header=[_("Questionnaire"), _("Question"), _("Answer"), _("Count"), _("Percentage or value")],
            rows=_results_rows(results),
            actor=request.user,
            action="evaluations.results.exported",
        )
    _add_charts(results)
    return render(
        request,
        "evaluations/results.html",
        {
            "workshop": workshop,
            "results": results,
            "threshold": selectors.ANONYMOUS_RESULTS_THRESHOLD,
            "gain_csv": reverse("evaluations:workshop_results", kwargs={"pk": workshop.pk}) + "?format=csv&table=gain",
        },
    )


@never_cache
def participant_answer(request, token, pk):
    """Public, by the participant's personal link: answer one of their workshop's questionnaires."""
    link, refusal = working_link(request, token)
    if refusal:
        return refusal
    questionnaire = access.get_questionnaire_for_participant(link.nomination, pk)
    answerer = access.Answerer(nomination=link.nomination, preview=False)
    return answer_page(request, questionnaire, answerer, back_url=reverse("participant:page", args=[token]))
