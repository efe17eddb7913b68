"""One authentication policy for every way into the portal.

A session (pages, the admin, the browsable API) and an API token must both respect the same rules: a
deactivated account is refused (Django's backend and DRF's token check already do), and with
``BACUDA_STAFF_MFA_REQUIRED`` a staff member without an authenticator reaches nothing but the two-factor set-up.
Pages get that from ``middleware.StaffTwoFactorMiddleware``; every DRF authentication class of the portal
derives from ``PortalAuthenticationPolicy`` (settings ``DEFAULT_AUTHENTICATION_CLASSES``; a test walks every API
view), so a token cannot bypass it.
"""

from django.utils.translation import gettext as _
from drf_spectacular.authentication import SessionScheme
from rest_framework import authentication, exceptions

from . import access


def two_factor_refusal() -> str:
    return _("Two-factor authentication is required for staff: set it up on the portal before using the API.")


class PortalAuthenticationPolicy:
    """Mixin for DRF authentication classes: the portal's rules, after the class has found the user."""

    def authenticate(self, request):
        found = super().authenticate(request)
        if found is not None:
            user, _credentials = found
            if not user.is_active:
                raise exceptions.AuthenticationFailed(_("This account is deactivated."))
            if access.needs_two_factor_setup(user):
                raise exceptions.PermissionDenied(two_factor_refusal())
        return found


class PortalTokenAuthentication(PortalAuthenticationPolicy, authentication.TokenAuthentication):
    """``Authorization: Token <key>``, under the portal's policy."""


class PortalSessionAuthentication(PortalAuthenticationPolicy, authentication.SessionAuthentication):
    """The signed-in browser session (with CSRF), under the portal's policy."""


class PortalSessionScheme(SessionScheme):
    """The OpenAPI schema describes the portal's session class as drf-spectacular describes DRF's."""

    target_class = PortalSessionAuthentication
