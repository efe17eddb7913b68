"""While the database refuses connections, answer a clear 503 page instead of a bare 500.

``DatabaseUnavailableMiddleware`` sits first in ``MIDDLEWARE``. An ``OperationalError`` or ``InterfaceError`` raised
by a view is turned into the 503 page by ``process_exception``; one raised by an inner middleware (loading the
session or the user) has already become a 500 response when it comes back out, so the ``got_request_exception``
signal marks the request and the middleware swaps that 500 for the 503 page. The page is rendered without a
request (no context processors), so it needs no database. Recovery needs nothing: each request opens a new
connection (``CONN_HEALTH_CHECKS`` drops a dead persistent one first).
"""

import logging
import sys

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpResponse
from django.template import loader

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30
_MARK = "_bacuda_database_unavailable"


def unavailable_response() -> HttpResponse:
    response = HttpResponse(loader.get_template("503.html").render({}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


@receiver(got_request_exception, dispatch_uid="bacuda_database_unavailable")
def _mark_database_errors(sender, request=None, **kwargs):
    error = sys.exc_info()[1]
    if request is not None and isinstance(error, DATABASE_ERRORS):
        setattr(request, _MARK, True)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, _MARK, False):
            return unavailable_response()
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            logger.error("Database unavailable: %s", exception)
            return unavailable_response()
        return None
