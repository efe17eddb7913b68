"""Staff pages of the e-learning app: thin; they parse input, ask ``access``, call one service and render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bacuda_portal.core.csv_export import export_format, table_response
from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.pages import query_without_page, run_state_change

from . import access, selectors, services
from .enums import STAGE_ORDER, CourseStage, earlier_stages
from .forms import (
    AdvanceForm,
    ChecklistTickForm,
    CourseEditForm,
    CourseFilterForm,
    CourseForm,
    MilestoneForm,
    SendBackForm,
)
from .models import Milestone

PAGE_SIZE = 50


@login_required
def course_list(request):
    access.require_course_manager(request.user)
    form = CourseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    courses = selectors.course_list(
        visible=access.courses_visible_to(request.user),
        search=filters.get("q", ""),
        stage=filters.get("stage", ""),
        language=filters.get("language", ""),
        overdue_only=filters.get("overdue", False),
    )
    if file_format := export_format(request):
        return table_response(
            file_format=file_format,
            filename="elearning-courses",
            header=[
                _("Code"),
                _("Title (English)"),
                _("Title (French)"),
                _("Stage"),
                _("Languages"),
                _("Owner"),
                _("Vendor"),
                _("Subject-matter experts"),
                _("Planned launch"),
                _("Next milestone due"),
                _("Overdue milestones"),
                _("Checklist items done"),
                _("Checklist items"),
                _("CLiKC! address"),
                _("Published"),
            ],
            rows=(
                (
                    course.code,
                    course.title_en,
                    course.title_fr,
                    course.get_stage_display(),
                    " ".join(course.languages),
                    course.owner.email if course.owner else "",
                    course.vendor.name if course.vendor else "",
                    "; ".join(expert.full_name for expert in course.experts.all()),
                    course.planned_launch_on or "",
                    course.next_due_date or "",
                    course.overdue_milestone_count,
                    course.checklist_done,
                    course.checklist_total,
                    course.clikc_url,
                    timezone.localdate(course.published_at) if course.published_at else "",
                )
                for course in courses.iterator(chunk_size=500)
            ),
            actor=request.user,
            action="elearning.courses.exported",
        )
    page = Paginator(courses, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "elearning/course_list.html", {"form": form, "page": page, "query": query_without_page(request)}
    )


@login_required
def course_create(request):
    access.require_course_manager(request.user)
    form = CourseForm(request.POST or None, initial={"owner": request.user.pk, "languages": ["en"]})
    if request.method == "POST" and form.is_valid():
        try:
            course = services.course_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Course %(code)s created, with the default launch checklist.") % {"code": course.code}
            )
            return redirect(course)
    status = 400 if request.method == "POST" else 200
    return render(request, "elearning/course_form.html", {"form": form, "course": None}, status=status)


@login_required
def course_update(request, code):
    course = access.get_course_for(request.user, code)
    form = CourseEditForm(request.POST or None, instance=course)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            changes = dict(form.cleaned_data)
            expected_version = changes.pop("version")
            try:
                course = services.course_update(
                    course=course, by=request.user, expected_version=expected_version, **changes
                )
            except TransitionError as error:
                form.add_error(None, str(error))
                status = 409
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your changes were saved."))
                return redirect(course)
        # The form keeps what was typed; the page title keeps the saved course's code.
        course.refresh_from_db(fields=["code", "title_en", "title_fr"])
    return render(request, "elearning/course_form.html", {"form": form, "course": course}, status=status)


def _course_page(request, course, *, milestone_form=None, status=200):
    course = selectors.course_detail(course)
    position = STAGE_ORDER.index(course.stage)
    steps = [
        {"value": value, "label": CourseStage(value).label, "done": index < position, "current": index == position}
        for index, value in enumerate(STAGE_ORDER)
    ]
    send_back_form = SendBackForm()
    earlier = earlier_stages(course.stage)
    send_back_form.fields["to_stage"].choices = [(value, CourseStage(value).label) for value in earlier]
    if earlier:
        send_back_form.fields["to_stage"].initial = earlier[-1]
    context = {
        "course": course,
        "steps": steps,
        "milestones": course.milestones.all(),
        "checklist": course.checklist.all(),
        "history": course.stage_changes.all(),
        "experts": course.experts.all(),
        "can_advance": course.stage not in (CourseStage.PILOT, CourseStage.PUBLISHED),
        "can_send_back": bool(earlier) and course.stage != CourseStage.PUBLISHED,
        "can_publish": course.stage == CourseStage.PILOT,
        "publication_blockers": services.publication_blockers(course) if course.stage == CourseStage.PILOT else [],
        "advance_form": AdvanceForm(),
        "send_back_form": send_back_form,
        "milestone_form": milestone_form or MilestoneForm(),
    }
    return render(request, "elearning/course_detail.html", context, status=status)


@login_required
def course_detail(request, code):
    return _course_page(request, access.get_course_for(request.user, code))


@require_POST
@login_required
def course_advance(request, code):
    course = access.get_course_for(request.user, code)
    form = AdvanceForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.course_advance(course=course, by=request.user, note=note)
        messages.success(
            request, _("The course is now in the %(stage)s stage.") % {"stage": course.get_stage_display()}
        )
    except TransitionError as error:
        messages.error(request, str(error))
    return redirect(course)


@require_POST
@login_required
def course_send_back(request, code):
    course = access.get_course_for(request.user, code)
    form = SendBackForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the stage the course goes back to."))
        return redirect(course)
    try:
        services.course_send_back(
            course=course, to_stage=form.cleaned_data["to_stage"], by=request.user, note=form.cleaned_data["note"]
        )
        messages.success(
            request, _("The course was sent back to the %(stage)s stage.") % {"stage": course.get_stage_display()}
        )
    except TransitionError as error:
        messages.error(request, str(error))
    return redirect(course)


@require_POST
@login_required
def course_publish(request, code):
    course = access.get_course_for(request.user, code)
    run_state_change(
        request,
        lambda: services.course_publish(course=course, by=request.user),
        success=_("The course is published on CLiKC!."),
    )
    return redirect(course)


@require_POST
@login_required
def milestone_create(request, code):
    course = access.get_course_for(request.user, code)
    form = MilestoneForm(request.POST, instance=Milestone(course=course))
    if form.is_valid():
        services.milestone_create(course=course, by=request.user, **form.cleaned_data)
        messages.success(request, _("Milestone added."))
        return redirect(course.get_absolute_url() + "#milestones")
    # Show the course again with the form's errors and everything the user typed.
    return _course_page(request, course, milestone_form=form, status=400)


@login_required
def milestone_update(request, pk):
    milestone = access.get_milestone_for(request.user, pk)
    course = milestone.course
    form = MilestoneForm(request.POST or None, instance=milestone)
    if request.method == "POST" and form.is_valid():
        services.milestone_update(milestone=milestone, by=request.user, **form.cleaned_data)
        messages.success(request, _("Milestone saved."))
        return redirect(course.get_absolute_url() + "#milestones")
    status = 400 if request.method == "POST" else 200
    return render(request, "elearning/milestone_form.html", {"form": form, "course": course}, status=status)


@require_POST
@login_required
def milestone_complete(request, pk):
    milestone = access.get_milestone_for(request.user, pk)
    run_state_change(
        request,
        lambda: services.milestone_complete(milestone=milestone, by=request.user),
        success=_("Milestone “%(title)s” marked done.") % {"title": milestone.title},
    )
    return redirect(milestone.course.get_absolute_url() + "#milestones")


@require_POST
@login_required
def milestone_delete(request, pk):
    milestone = access.get_milestone_for(request.user, pk)
    course = milestone.course
    services.milestone_delete(milestone=milestone, by=request.user)
    messages.success(request, _("Milestone “%(title)s” deleted.") % {"title": milestone.title})
    return redirect(course.get_absolute_url() + "#milestones")


@require_POST
@login_required
def checklist_tick(request, pk):
    item = access.get_checklist_item_for(request.user, pk)
    form = ChecklistTickForm(request.POST)
    done = form.is_valid() and form.cleaned_data["done"]
    try:
        services.checklist_item_set_done(item=item, done=done, by=request.user)
    except TransitionError as error:
        messages.error(request, str(error))
    return redirect(item.course.get_absolute_url() + "#checklist")
