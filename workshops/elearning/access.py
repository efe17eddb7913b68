"""Who may see or change e-learning courses: the one place the app decides it.

Course development is WCO staff work: staff see and change everything; everyone else is told "not found"
(pages and API alike). The admin follows the same rule through ``members.access.has_admin_permission``.
Published courses reach the public through ``selectors.published_courses``, not through these pages.
"""

from django.db.models import QuerySet
from django.http import Http404

from bacuda_portal.members.access import is_wco_staff

from .models import ChecklistItem, Course, Milestone


def can_manage_courses(user) -> bool:
    return is_wco_staff(user)


def require_course_manager(user) -> None:
    """For pages without an object (the list, the create form): 404 for anyone but staff."""
    if not can_manage_courses(user):
        raise Http404


def courses_visible_to(user) -> QuerySet[Course]:
    return Course.objects.all() if can_manage_courses(user) else Course.objects.none()


def get_course_for(user, code: str) -> Course:
    """The course of a management page, or 404 for anyone who may not manage it."""
    course = courses_visible_to(user).select_related("owner", "vendor").filter(code=code).first()
    if course is None:
        raise Http404
    return course


def get_milestone_for(user, pk: int) -> Milestone:
    milestone = Milestone.objects.filter(course__in=courses_visible_to(user), pk=pk).select_related("course").first()
    if milestone is None:
        raise Http404
    return milestone


def get_checklist_item_for(user, pk: int) -> ChecklistItem:
    item = ChecklistItem.objects.filter(course__in=courses_visible_to(user), pk=pk).select_related("course").first()
    if item is None:
        raise Http404
    return item
