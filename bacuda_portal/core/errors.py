"""The portal's own "not found" page in development too.

With ``DEBUG`` on, Django answers a 404 with its technical page, which lists every URL pattern: a denied page
(the access layer answers 404 for anything that is not the user's) then shows a developer's screen to whoever
tries the demo. ``BACUDA_TECHNICAL_404`` (off by default) brings Django's page back for debugging URL patterns.
Production (``DEBUG`` off) renders ``404.html`` through Django's own handler; this middleware does nothing there.
"""

from django.conf import settings
from django.shortcuts import render


class FriendlyNotFoundMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            settings.DEBUG
            and not settings.BACUDA_TECHNICAL_404
            and response.status_code == 404
            and response.get("Content-Type", "").startswith("text/html")
            and not getattr(response, "streaming", False)
        ):
            return render(request, "404.html", status=404)
        return response
