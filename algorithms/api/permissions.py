"""Who may use the model endpoints at all."""

from rest_framework import permissions
from rest_framework.exceptions import NotFound

from .. import access


class IsModelUser(permissions.BasePermission):
    """Staff and contact points. Other signed-in users are told "not found"; anonymous 401."""

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if not access.can_use_models(request.user):
            raise NotFound
        return True
