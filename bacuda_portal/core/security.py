"""Security headers on every response, and the Content-Security-Policy (Django 5.2 has none built in).

The policy allows scripts, styles, fonts and connections from our own origin only: no inline script, no
``eval``, no inline style, no framing. Every template of ours follows it (tests/website/test_security.py greps
them). Pictures may also be ``data:`` URIs (the two-factor QR code that allauth draws is one).

One path is relaxed, on purpose, and only for styles: the Swagger UI at ``/api/docs/`` (drf-spectacular's page
has an inline ``<style>`` block; its script is served from its own URL by ``SpectacularSwaggerSplitView``). The
Django admin needs no relaxation: its templates have no inline script or style attribute.

HSTS is Django's ``SecurityMiddleware`` (``SECURE_HSTS_SECONDS`` in production settings; sent over HTTPS only);
X-Frame-Options, Referrer-Policy and X-Content-Type-Options are also set by Django's middleware, and set here
again for responses that bypass it (for instance when a middleware further up answers on its own).
"""

from django.conf import settings

BASE_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
# Path prefix -> directives that replace the base ones there.
RELAXED = {
    "/api/docs/": {"style-src": "'self' 'unsafe-inline'"},
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


def _serialise(policy: dict[str, str]) -> str:
    return "; ".join(f"{name} {value}" for name, value in policy.items())


DEFAULT_HEADER = _serialise(BASE_POLICY)
RELAXED_HEADERS = {prefix: _serialise({**BASE_POLICY, **changes}) for prefix, changes in RELAXED.items()}


def policy_for(path: str) -> str:
    for prefix, header in RELAXED_HEADERS.items():
        if path.startswith(prefix):
            return header
    return DEFAULT_HEADER


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", policy_for(request.path))
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", settings.SECURE_REFERRER_POLICY or "same-origin")
        response.headers.setdefault("X-Frame-Options", getattr(settings, "X_FRAME_OPTIONS", "DENY"))
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
