"""Who may see or change what in the experts registry: the one place it is decided.

WCO staff see and manage every expert. An expert who signs in sees their own profile and keeps its contact
details, languages, availability and CV up to date; their accreditation, expertise areas and account link are
decided by staff. Everybody else finds nothing: any expert they may not see is reported as "not found".
"""

from django.db.models import QuerySet
from django.http import Http404

from bacuda_portal.members.access import is_wco_staff

from .models import AvailabilityWindow, Expert


def expert_of(user) -> Expert | None:
    """The expert profile linked to a user account, or None (cached on the user object)."""
    if not (user and user.is_authenticated and user.is_active):
        return None
    if not hasattr(user, "_bacuda_expert"):
        user._bacuda_expert = Expert.objects.filter(user=user).first()
    return user._bacuda_expert


def get_own_profile(user) -> Expert | None:
    """The signed-in user's own profile with what its page shows (``get_expert_for``'s joins), or None.

    One query for both: it also becomes ``expert_of``'s cached answer.
    """
    if not (user and user.is_authenticated and user.is_active):
        return None
    user._bacuda_expert = (
        Expert.objects.select_related("user", "administration__region", "nationality__region").filter(user=user).first()
    )
    return user._bacuda_expert


def is_own_profile(user, expert: Expert) -> bool:
    own = expert_of(user)
    return own is not None and own.pk == expert.pk


def can_manage_experts(user) -> bool:
    """List, search, export, create, edit every field, and change accreditation: WCO staff only."""
    return is_wco_staff(user)


def can_view_expert(user, expert: Expert) -> bool:
    return can_manage_experts(user) or is_own_profile(user, expert)


def can_edit_profile(user, expert: Expert) -> bool:
    """Contact details, languages, availability and CV: staff, and the expert themselves."""
    return can_manage_experts(user) or is_own_profile(user, expert)


def experts_visible_to(user) -> QuerySet[Expert]:
    if can_manage_experts(user):
        return Expert.objects.all()
    own = expert_of(user)
    return Expert.objects.filter(pk=own.pk) if own else Expert.objects.none()


def get_expert_for(user, pk: int) -> Expert:
    """The expert page's object, or 404 for anyone who may not see it."""
    expert = (
        experts_visible_to(user)
        .select_related("user", "administration__region", "nationality__region")
        .filter(pk=pk)
        .first()
    )
    if expert is None:
        raise Http404
    return expert


def get_expert_for_staff(user, pk: int) -> Expert:
    if not can_manage_experts(user):
        raise Http404
    return get_expert_for(user, pk)


def get_availability_window_for(user, expert: Expert, pk: int) -> AvailabilityWindow:
    """A window of ``expert`` that ``user`` may remove, or 404."""
    if not can_edit_profile(user, expert):
        raise Http404
    window = AvailabilityWindow.objects.filter(expert=expert, pk=pk).first()
    if window is None:
        raise Http404
    return window
