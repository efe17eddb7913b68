"""AI-HS pages beyond the suggestion itself (issue 13): confirming or correcting a suggestion, the administration's
review of its labelled descriptions, training on the accepted ones, batch classification. Thin, like every view:
parse, ask ``access``, call one service, render."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from bacuda_portal.core.choices import choice_labels
from bacuda_portal.core.csv_export import export_format, table_response
from bacuda_portal.core.pages import add_service_errors, query_without_page
from bacuda_portal.members.models import Administration

from . import access, hs, selectors, services
from .enums import FeedbackKind, JobKind, ReviewStatus
from .forms import (
    HsBatchForm,
    HsFeedbackForm,
    HsLabelledFilterForm,
    HsReviewForm,
    HsSuggestForm,
    HsTrainForm,
    StaffHsLabelledFilterForm,
)
from .models import AlgorithmVersion

LABEL_PAGE_SIZE = 50


# --- Feedback on a suggestion -----------------------------------------------------------------------------------
def feedback_for(request, answer: dict, administration, form: HsFeedbackForm | None = None) -> dict | None:
    """What the suggestion page needs to confirm or correct this answer; None when the answer was not made for an
    administration the user acts for (staff who chose none)."""
    if administration is None or not access.can_act_for(request.user, administration):
        return None
    token = hs.feedback_token(answer=answer, administration=administration, user=request.user)
    if form is None:
        form = HsFeedbackForm(
            initial={"token": token, "description": answer["description"], "administration": administration.pk}
        )
    return {"token": token, "form": form, "administration": administration}


def _suggest_url(request, description: str, administration) -> str:
    query = {"description": description}
    if access.is_staff(request.user) and administration is not None:
        query["administration"] = administration.pk
    return f"{reverse('algorithms:hs_suggest')}?{urlencode(query)}"


def _suggest_page(request, *, description: str, administration, feedback_form: HsFeedbackForm, status: int):
    """The suggestion page again, answering ``description`` afresh, with the refused feedback form (and what was
    typed in it)."""
    staff = access.is_staff(request.user)
    data = {"description": description}
    if staff and administration is not None:
        data["administration"] = administration.pk
    form = HsSuggestForm(data)
    if not staff:
        del form.fields["administration"]
    answer = feedback = None
    if form.is_valid():
        answer = hs.suggest(administration=administration, description=form.cleaned_data["description"])
        feedback = feedback_for(request, answer, administration, form=feedback_form)
    context = {"form": form, "answer": answer, "feedback": feedback}
    return render(request, "algorithms/hs_suggest.html", context, status=status)


def _administration_posted(request, form: HsFeedbackForm):
    """For showing the page again after a refused token: the user's own administration, or (staff) the one the
    form names, if it exists."""
    if not access.is_staff(request.user):
        return access.administration_of(request.user)
    value = str(form.data.get("administration") or "")
    return Administration.objects.filter(pk=int(value)).first() if value.isdigit() and len(value) < 12 else None


@require_POST
@login_required
def hs_feedback(request):
    """Confirm one of the suggested codes or correct it: kept as a labelled description awaiting review."""
    access.require_model_user(request.user)
    form = HsFeedbackForm(request.POST)
    try:
        recorded = hs.read_feedback_token(request.POST.get("token", ""), user=request.user)
    except hs.FeedbackTokenInvalid:
        form.is_valid()  # shows what was typed again, with its own errors
        messages.error(request, _("This suggestion is too old or was not made for you: here it is again."))
        description = " ".join(str(form.data.get("description", ""))[:1000].split())
        return _suggest_page(
            request,
            description=description,
            administration=_administration_posted(request, form),
            feedback_form=form,
            status=400,
        )
    administration = Administration.objects.filter(pk=recorded["administration_id"]).first()
    if administration is None or not access.can_act_for(request.user, administration):
        raise Http404
    if form.is_valid():
        try:
            label = services.hs_feedback_record(
                administration=administration,
                description=recorded["description"],
                code=form.cleaned_data["code"],
                suggestions=recorded["suggestions"],
                model_version=AlgorithmVersion.objects.filter(pk=recorded["version_id"]).first(),
                model_name=recorded["model_name"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if label.feedback == FeedbackKind.CONFIRMED:
                text = _("Thank you: your confirmation of %(code)s was recorded; your administration reviews it.")
            else:
                text = _("Thank you: your correction to %(code)s was recorded; your administration reviews it.")
            messages.success(request, text % {"code": label.code})
            return redirect(_suggest_url(request, recorded["description"], administration))
    return _suggest_page(
        request, description=recorded["description"], administration=administration, feedback_form=form, status=400
    )


# --- The administration's review ----------------------------------------------------------------------------------
def _labelled_page(request, *, review_form=None, train_form=None, status: int = 200):
    visible = access.labelled_visible_to(request.user)
    if access.is_staff(request.user):
        form = StaffHsLabelledFilterForm(request.GET or None, administrations=selectors.administrations_in(visible))
    else:
        form = HsLabelledFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    labels = selectors.labelled_list(
        visible,
        search=filters.get("q", ""),
        status=filters.get("status", ""),
        feedback=filters.get("feedback", ""),
        administration=filters.get("administration"),
    )
    if request.method == "GET" and (file_format := export_format(request)):
        return _labelled_export(request, labels, file_format)
    page = Paginator(labels, LABEL_PAGE_SIZE).get_page(request.GET.get("page"))
    statuses, feedbacks = choice_labels(ReviewStatus), choice_labels(FeedbackKind)
    for label in page:
        label.status_label = statuses.get(label.status, label.status)
        label.feedback_label = feedbacks.get(label.feedback, label.feedback)
    administrations = access.administrations_for_upload(request.user)
    ticked = set()
    if review_form is not None:
        ticked = {value for value in review_form.data.getlist("ids") if str(value).isdigit()}
    context = {
        "form": form,
        "page": page,
        "query": query_without_page(request),
        "counts": selectors.labelled_counts(visible),
        "review_form": review_form or HsReviewForm(),
        "ticked": ticked,
        "train_form": train_form or HsTrainForm(administrations=administrations),
    }
    return render(request, "algorithms/hs_labelled_list.html", context, status=status)


def _labelled_export(request, labels, file_format):
    statuses, feedbacks = choice_labels(ReviewStatus), choice_labels(FeedbackKind)
    return table_response(
        file_format=file_format,
        filename="aihs-labelled-descriptions",
        header=[_("Id"), _("Administration"), _("Goods description"), _("HS code"), _("Feedback"), _("Review"),
                _("Suggested codes (probability)"), _("Model used"), _("Given by"), _("Given"), _("Reviewed by"),
                _("Reviewed")],
        rows=(
            (label.pk, label.administration.code, label.description, label.code,
             feedbacks.get(label.feedback, label.feedback), statuses.get(label.status, label.status),
             "; ".join(f"{item.get('code')} ({float(item.get('confidence', 0)):.2f})" for item in label.suggestions),
             label.model_name, label.created_by.email if label.created_by else "", label.created_at,
             label.reviewed_by.email if label.reviewed_by else "", label.reviewed_at)
            for label in labels.iterator(chunk_size=500)
        ),
        actor=request.user,
        action="algorithms.hs_labels.exported",
    )  # fmt: skip


@login_required
def hs_labelled_list(request):
    """The administration's labelled goods descriptions to review: search, filters, paging, CSV export."""
    access.require_model_user(request.user)
    return _labelled_page(request)


@require_POST
@login_required
def hs_labelled_review(request):
    """Accept or reject the ticked descriptions (or one row's button: ``row`` = "accepted:12"), one transaction
    each, and say how it went."""
    access.require_model_user(request.user)
    data = request.POST.copy()
    if data.get("row"):
        decision, _sep, pk = str(data["row"]).partition(":")
        data.setlist("ids", [pk])
        data["decision"] = decision
    form = HsReviewForm(data)
    if not form.is_valid():
        return _labelled_page(request, review_form=form, status=400)
    decision = form.cleaned_data["decision"]
    summary = services.hs_labels_review(
        visible=access.labelled_visible_to(request.user), ids=form.cleaned_data["ids"], status=decision, by=request.user
    )
    if summary["changed"]:
        text = (
            ngettext("%(count)d description accepted.", "%(count)d descriptions accepted.", summary["changed"])
            if decision == ReviewStatus.ACCEPTED
            else ngettext("%(count)d description rejected.", "%(count)d descriptions rejected.", summary["changed"])
        )
        messages.success(request, text % {"count": summary["changed"]})
    if summary["unchanged"]:
        messages.warning(
            request,
            ngettext(
                "%(count)d description already had that decision.",
                "%(count)d descriptions already had that decision.",
                summary["unchanged"],
            )
            % {"count": summary["unchanged"]},
        )
    if summary["not_found"]:
        messages.error(
            request,
            ngettext(
                "%(count)d description was not found.", "%(count)d descriptions were not found.", summary["not_found"]
            )
            % {"count": summary["not_found"]},
        )
    query = request.GET.urlencode()
    return redirect(reverse("algorithms:hs_labelled_list") + (f"?{query}" if query else ""))


@require_POST
@login_required
def hs_labelled_train(request):
    """Queue an AI-HS training job on the administration's accepted descriptions; the champion alias moves to the
    new version only if it does better than the champion on the same held-out descriptions."""
    access.require_model_user(request.user)
    form = HsTrainForm(request.POST, administrations=access.administrations_for_upload(request.user))
    if form.is_valid():
        try:
            job = services.job_submit(
                kind=JobKind.AIHS_TRAIN,
                administration=form.cleaned_data["administration"],
                params={"source": services.FEEDBACK_SOURCE},
                seed=form.cleaned_data["seed"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Job #%(id)d was queued.") % {"id": job.pk})
            return redirect(job)
    return _labelled_page(request, train_form=form, status=400)


# --- The comparison with the champion, on a version's and a job's page ---------------------------------------------
def _percent(value) -> str:
    return f"{100 * float(value):.1f}" if isinstance(value, int | float) else "–"


def comparison_for(metrics) -> dict | None:
    """The figures of an AI-HS version and of the champion it was compared with, on the same held-out
    descriptions, and the decision in words; None for metrics without a comparison."""
    comparison = (metrics or {}).get("comparison") if isinstance(metrics, dict) else None
    if not isinstance(comparison, dict) or not isinstance(comparison.get("new"), dict):
        return None
    new, champion = comparison["new"], comparison.get("champion")
    champion = champion if isinstance(champion, dict) else {}
    labels = {
        "hs6_top5": _("Right HS6 code in the top five"),
        "hs6_top1": _("Right HS6 code first"),
        "hs4_top5": _("Right HS4 heading in the top five"),
    }
    rows = [(label, _percent(new.get(key)), _percent(champion.get(key))) for key, label in labels.items()]
    version = comparison.get("champion_version")
    if isinstance(version, dict) and version.get("number"):
        champion_name = _("the champion, version %(number)s") % {"number": version["number"]}
    else:
        champion_name = _("the champion, the model built on the HS nomenclature alone")
    values = {
        "n": comparison.get("n_holdout", 0),
        "new": _percent(new.get("hs6_top5")),
        "old": _percent(champion.get("hs6_top5")),
        "new1": _percent(new.get("hs6_top1")),
        "old1": _percent(champion.get("hs6_top1")),
        "champion": champion_name,
        "error": comparison.get("error", ""),
    }
    reasons = {
        "better": _("Made the champion: on the same %(n)s held-out descriptions it found the right HS6 code in its "
                    "top five for %(new)s %% of them, %(champion)s for %(old)s %%."),
        "not_better": _("Kept as the challenger, not the champion: on the same %(n)s held-out descriptions it found "
                        "the right HS6 code in its top five for %(new)s %% of them (first: %(new1)s %%), which is not "
                        "better than %(champion)s (%(old)s %%; first: %(old1)s %%)."),
        "champion_changed": _("Kept as the challenger: the champion changed while the job ran, so this comparison no "
                              "longer holds. Train again to compare with the new champion."),
        "error": _("Kept as the challenger: the champion could not be measured (%(error)s)."),
        "no_comparison": _("Kept as the challenger: the job measured no comparison."),
    }  # fmt: skip
    decision = comparison.get("decision") if isinstance(comparison.get("decision"), dict) else {}
    reason = reasons.get(decision.get("reason"))
    return {
        "rows": rows,
        "n": values["n"],
        "champion_name": champion_name,
        "champion_model": comparison.get("champion_model", ""),
        "decision": reason % values if reason else "",
        "made_champion": decision.get("reason") == "better",
    }


# --- Batch classification -------------------------------------------------------------------------------------------
@login_required
def hs_batch(request):
    """Upload a CSV of goods descriptions; a batch job returns the top five codes of each, flagging the rows whose
    declared code is not among them."""
    from .views import upload_too_large

    access.require_model_user(request.user)
    administrations = access.administrations_for_upload(request.user)
    refusal = upload_too_large(request) if request.method == "POST" else ""
    if refusal:
        context = {"form": HsBatchForm(administrations=administrations), "report": None, "refusal": refusal}
        return render(request, "algorithms/hs_batch.html", {**context, "jobs": []}, status=413)
    form = HsBatchForm(request.POST or None, request.FILES or None, administrations=administrations)
    report, status = None, 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                job = services.hs_batch_submit(
                    administration=data["administration"],
                    uploaded=data["file"],
                    name=data["name"] or (data["file"].name or "")[:200] or _("Goods descriptions"),
                    description_column=data["description_column"].strip(),
                    code_column=data["code_column"].strip(),
                    seed=data["seed"],
                    by=request.user,
                )
            except services.DatasetRejected as rejected:
                report = rejected.report
                form.add_error("file", _("The file was refused: see the problems below."))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Job #%(id)d was queued.") % {"id": job.pk})
                return redirect(job)
    jobs = selectors.job_list(access.jobs_visible_to(request.user), kind=JobKind.AIHS_BATCH)[:5]
    context = {"form": form, "report": report, "refusal": "", "jobs": jobs}
    return render(request, "algorithms/hs_batch.html", context, status=status)


def batch_summary(job) -> dict | None:
    """The counts a batch classification job's page shows first."""
    metrics = job.metrics or {}
    if job.kind != JobKind.AIHS_BATCH or "rows" not in metrics:
        return None
    suggestions = next((artifact for artifact in job.artifacts.all() if artifact.name == "suggestions"), None)
    return {**metrics, "has_codes": bool(metrics.get("code_column")), "file": suggestions}
