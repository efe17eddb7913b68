from django.conf import settings
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from . import access
from .authentication import two_factor_refusal

# Paths a staff member without two-factor authentication may still reach: setting it up, signing out,
# switching language, and static files.
_ALLOWED_PREFIXES = ("/static/", "/i18n/", "/healthz")
_ALLOWED_URL_NAMES = (
    "mfa_activate_totp",
    "mfa_index",
    "account_logout",
    "mfa_reauthenticate",
    "account_reauthenticate",
)


class StaffTwoFactorMiddleware:
    """With ``BACUDA_STAFF_MFA_REQUIRED``, WCO staff must set up TOTP before they reach anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.BACUDA_STAFF_MFA_REQUIRED and self._must_set_up(request):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": two_factor_refusal()}, status=403)
            messages.warning(request, _("WCO staff must set up two-factor authentication before continuing."))
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    def _must_set_up(self, request) -> bool:
        if not access.is_wco_staff(request.user) or request.path.startswith(_ALLOWED_PREFIXES):
            return False
        if any(request.path == reverse(name) for name in _ALLOWED_URL_NAMES):
            return False
        return access.needs_two_factor_setup(request.user)
