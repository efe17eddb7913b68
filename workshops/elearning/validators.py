"""Field validators of the e-learning app, shared by the models, the forms and the API."""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .enums import CourseLanguage

# The WCO's learning platform. A published course links there from the public website, so a link to any other
# site (or a plain-http one) is a typing mistake, not a course.
CLIKC_HOST = "clikc.wcoomd.org"


def validate_course_languages(value) -> None:
    """A non-empty list of distinct language codes from ``CourseLanguage``."""
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise ValidationError(_("Languages must be a list of language codes."), code="languages_type")
    if not value:
        raise ValidationError(_("Choose at least one language."), code="languages_empty")
    unknown = sorted(set(value) - set(CourseLanguage.values))
    if unknown:
        raise ValidationError(
            _("Unknown language code(s): %(codes)s."), code="languages_unknown", params={"codes": ", ".join(unknown)}
        )
    if len(set(value)) != len(value):
        raise ValidationError(_("Each language may be listed only once."), code="languages_duplicate")


def validate_clikc_url(value: str) -> None:
    if not value:
        return
    parts = urlsplit(value)
    if parts.scheme != "https" or (parts.hostname or "").lower() != CLIKC_HOST:
        raise ValidationError(
            _("Enter the course's address on CLiKC!, starting with https://%(host)s/."),
            code="clikc_url",
            params={"host": CLIKC_HOST},
        )
