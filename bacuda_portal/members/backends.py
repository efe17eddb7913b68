from django.contrib.auth.backends import BaseBackend

from . import access


class AccessLayerPermissionBackend(BaseBackend):
    """Answers permission questions from the access layer, so the admin follows the same rules as the views."""

    def has_perm(self, user_obj, perm, obj=None) -> bool:
        return access.has_admin_permission(user_obj, perm)

    def has_module_perms(self, user_obj, app_label) -> bool:
        return access.has_admin_module_permission(user_obj, app_label)
