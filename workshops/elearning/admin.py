from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bacuda_portal.core.admin import PortalModelAdmin
from bacuda_portal.core.exceptions import TransitionError

from . import services
from .forms import CourseForm
from .models import ChecklistItem, Course, Milestone, StageChange, Vendor

# The model form field warns about Django 6's default scheme unless told; CLiKC! addresses are https anyway.
URL_FIELD_OVERRIDES = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Vendor)
class VendorAdmin(PortalModelAdmin):
    list_display = ["name", "country", "contact_name", "contact_email", "course_count"]
    search_fields = ["name", "contact_name", "contact_email", "country"]
    list_filter = ["country"]
    readonly_fields = ["created_at", "updated_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(course_count=Count("courses"))

    @admin.display(description=_("courses"), ordering="course_count")
    def course_count(self, obj):
        return obj.course_count


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    fields = ["title", "title_fr", "due_date", "done_on"]


class ChecklistItemInline(admin.TabularInline):
    """Items can be added here; ticking goes through the course page, which records who and when."""

    model = ChecklistItem
    extra = 0
    fields = ["position", "label", "key", "done", "done_by", "done_at"]
    readonly_fields = ["key", "done", "done_by", "done_at"]


class StageChangeInline(admin.TabularInline):
    """The history is written by the stage services only."""

    model = StageChange
    extra = 0
    fields = ["changed_at", "from_stage", "to_stage", "changed_by", "note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by")


class OverdueListFilter(admin.SimpleListFilter):
    title = _("milestones")
    parameter_name = "milestones"

    def lookups(self, request, model_admin):
        return [("overdue", _("With overdue milestones"))]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.filter(pk__in=Milestone.objects.overdue().values("course"))
        return queryset


def _run_for_each(modeladmin, request, queryset, service):
    """Apply a stage service to every selected course; refusals are reported, not raised."""
    done = 0
    for course in queryset:
        try:
            service(course=course, by=request.user)
            done += 1
        except (TransitionError, ValidationError) as error:
            modeladmin.message_user(
                request, f"{course.code}: {' '.join(getattr(error, 'messages', [str(error)]))}", messages.WARNING
            )
    if done:
        modeladmin.message_user(request, _("%(count)d course(s) updated.") % {"count": done}, messages.SUCCESS)


@admin.register(Course)
class CourseAdmin(PortalModelAdmin):
    form = CourseForm  # the course page's form: one field list for both
    list_display = ["code", "title_en", "stage", "owner", "vendor", "planned_launch_on", "overdue_milestones"]
    list_filter = ["stage", OverdueListFilter, "vendor", "planned_launch_on"]
    search_fields = ["code", "title_en", "title_fr", "vendor__name", "owner__email", "owner__full_name"]
    list_select_related = ["owner", "vendor"]
    filter_horizontal = ["experts"]
    readonly_fields = ["stage", "published_at", "version", "created_at", "updated_at"]
    inlines = [MilestoneInline, ChecklistItemInline, StageChangeInline]
    formfield_overrides = URL_FIELD_OVERRIDES
    actions = [*PortalModelAdmin.actions, "advance", "publish"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                overdue_count=Count(
                    "milestones",
                    filter=Q(milestones__done_on__isnull=True, milestones__due_date__lt=timezone.localdate()),
                )
            )
        )

    @admin.display(description=_("overdue milestones"), ordering="overdue_count")
    def overdue_milestones(self, obj):
        return obj.overdue_count

    def save_model(self, request, obj, form, change):
        if change:
            # Admin edits count as a new version too, so that an edit form opened earlier on the course page
            # is refused instead of overwriting them.
            obj.version += 1
            super().save_model(request, obj, form, change)
            return
        # Adding goes through the service: it creates the default launch checklist and the first history entry.
        course = services.course_create(by=request.user, **form.cleaned_data)
        obj.pk = course.pk
        obj._state.adding = False
        obj.refresh_from_db()

    @admin.action(description=_("Advance the selected courses to their next stage"))
    def advance(self, request, queryset):
        _run_for_each(self, request, queryset, services.course_advance)

    @admin.action(description=_("Publish the selected courses on CLiKC!"))
    def publish(self, request, queryset):
        _run_for_each(self, request, queryset, services.course_publish)
