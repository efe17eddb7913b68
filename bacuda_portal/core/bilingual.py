"""Content entered in English and French: the text in the reader's language, and a mark when the other one
stands in for it.

Every bilingual content field of the portal goes through :func:`in_reader_language` (or the
:func:`bilingual_property` built on it), so a French page shows the French text where there is one and, where
there is none, the English text marked as such (``{{ value|bilingual }}`` in templates, see
``core/templatetags/bilingual.py``).
"""

from django.utils.translation import get_language


def reader_language() -> str:
    """``"fr"`` on French pages, ``"en"`` everywhere else."""
    return "fr" if (get_language() or "en").startswith("fr") else "en"


class LocalizedText(str):
    """A string that knows its language and whether it stands in for a missing translation.

    It is a plain ``str`` everywhere (titles, CSV cells, e-mails); the ``bilingual`` template filter reads
    ``language`` and ``is_fallback`` to mark the stand-in on pages.
    """

    language: str
    is_fallback: bool

    # Defaults, so that copy and pickle (which call ``cls(str_value)`` and then restore the attributes) work.
    def __new__(cls, value: str = "", language: str = "en", is_fallback: bool = False) -> "LocalizedText":
        text = super().__new__(cls, value or "")
        text.language = language
        text.is_fallback = is_fallback
        return text


def in_reader_language(*, en: str, fr: str) -> LocalizedText:
    """The text in the reader's language; the other language's text, marked as a fallback, when it is empty."""
    en, fr = en or "", fr or ""
    if reader_language() == "fr":
        if fr:
            return LocalizedText(fr, language="fr")
        return LocalizedText(en, language="en", is_fallback=bool(en))
    if en:
        return LocalizedText(en, language="en")
    return LocalizedText(fr, language="fr", is_fallback=bool(fr))


def bilingual_property(english: str, french: str, doc: str = "") -> property:
    """A read-only model attribute: the pair of fields ``english``/``french`` in the reader's language."""

    def getter(obj) -> LocalizedText:
        return in_reader_language(en=getattr(obj, english), fr=getattr(obj, french))

    return property(getter, doc=doc or f"{english} or {french}, in the reader's language (see core.bilingual).")


class ChosenWhenRendered:
    """Both texts, the reader's one chosen when the value is turned into a string.

    For e-mail contexts: a message is rendered in its recipient's language, which is not the language of the
    request that queued it.
    """

    def __init__(self, *, en: str, fr: str) -> None:
        self.en, self.fr = en or "", fr or ""

    def __str__(self) -> str:
        return in_reader_language(en=self.en, fr=self.fr)

    def __repr__(self) -> str:
        return f"ChosenWhenRendered(en={self.en!r}, fr={self.fr!r})"


def row_in_reader_language(row: dict, english_key: str) -> LocalizedText:
    """For ``.values()`` rows: ``row[english_key]`` or ``row[english_key + "_fr"]`` in the reader's language."""
    return in_reader_language(en=row[english_key], fr=row[f"{english_key}_fr"])
