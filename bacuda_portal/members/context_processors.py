from django.utils.functional import SimpleLazyObject

from . import access


def portal_user(request):
    """What the base layout needs to draw the navigation; evaluated only when a template reads it."""
    user = getattr(request, "user", None)
    return {
        "is_wco_staff": SimpleLazyObject(lambda: access.is_wco_staff(user)),
        "own_administration": SimpleLazyObject(lambda: access.administration_of(user)),
    }
