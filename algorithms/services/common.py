"""What several parts share: why a dataset upload is refused, and the checks of an HS6 code."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .. import column_mapping
from ..validation import ValidationReport


# --- Datasets ---------------------------------------------------------------------------------------------------
class DatasetRejected(ValidationError):
    """The upload failed validation; ``report`` lists the problems by row and column."""

    def __init__(self, report: ValidationReport):
        self.report = report
        super().__init__([problem.message for problem in report.problems[:1]] or [_("The file was refused.")])


class MappingNeeded(ValidationError):
    """The file's columns are not the layout's: the user must map them (``suggestion``: what the portal proposes,
    the administration's saved mapping first; ``header``: the file's columns)."""

    def __init__(self, header: list[str], suggestion: column_mapping.Suggestion):
        self.header, self.suggestion = header, suggestion
        super().__init__(_("The file's columns differ from the declarations layout: map them to its fields."))


class MappingInvalid(ValidationError):
    """The mapping the user gave cannot be used; ``errors``: field ("" for the whole) -> why."""

    def __init__(self, header: list[str], errors: dict[str, str]):
        self.header, self.errors = header, errors
        super().__init__(list(errors.values())[:1])


def hs6_refusal(code: str) -> str:
    """Why ``code`` (dots and spaces already removed) is not an HS 2022 subheading; "" when it is one."""
    from ..engines.aihs.model import nomenclature

    if not code.isdigit() or len(code) != 6:
        if code.isdigit() and len(code) == 5 and not code.startswith("0"):
            return _("Give six digits: a leading zero may have been lost (write 010121, not 10121).")
        return _("Give the six-digit HS subheading, for example 0901.11 or 090111.")
    if code not in set(nomenclature().codes):
        return _("%(code)s is not a subheading of the HS 2022 nomenclature.") % {"code": code}
    return ""


def normalised_hs_code(text: str) -> str:
    """An HS code as typed (``0901.11``, ``0901 11``) as digits only."""
    return "".join(str(text or "").split()).replace(".", "")
