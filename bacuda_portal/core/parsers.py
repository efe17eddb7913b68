"""How the API reads request bodies: its one JSON parser (``REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]``) and the
answers to bodies Django refuses before any parser runs (``REST_FRAMEWORK["EXCEPTION_HANDLER"]``)."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import JSONParser

from . import safe_json
from .api_writes import StateConflict
from .exceptions import TransitionError


class PortalJSONParser(JSONParser):
    """DRF's JSON parser, made safe for hostile bodies (see ``core.safe_json``): a body nested deeper than
    ``BACUDA_JSON_MAX_DEPTH``, not valid text, or holding what JSON allows but the portal cannot store is a 400 with
    a clear message."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = stream.read().decode(encoding)
        except UnicodeDecodeError:
            raise ParseError(_("The request body is not valid %(encoding)s text.") % {"encoding": encoding}) from None
        try:
            return safe_json.loads(text)
        except safe_json.UnsafeJSON as error:
            raise ParseError(str(error)) from None


class RequestBodyTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"


def exception_handler(exc, context):
    """DRF's handler, which also answers in JSON when Django refuses a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE``
    (413) or with too many form fields or files (400); DRF would leave both to Django's HTML error page.

    A service's refusal reaches an API client as the page would show it: a refused transition (TransitionError) is a
    409 Conflict with the service's reason as ``detail`` (the body was fine, the object's state was not); a Django
    ValidationError is a 400 with the service's reasons, by field where it names them."""
    if isinstance(exc, TransitionError):
        exc = StateConflict(str(exc))
    elif isinstance(exc, DjangoValidationError):
        exc = ApiValidationError(getattr(exc, "message_dict", None) or {"non_field_errors": exc.messages})
    if isinstance(exc, RequestDataTooBig):
        exc = RequestBodyTooLarge(
            _("The request body is too large: at most %(limit)d bytes are accepted.")
            % {"limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE}
        )
    elif isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        exc = ParseError(_("The request has too many fields or files."))
    # Imported here: rest_framework.views reads DEFAULT_PARSER_CLASSES, which names this module, when it loads.
    from rest_framework.views import exception_handler as drf_exception_handler

    return drf_exception_handler(exc, context)
