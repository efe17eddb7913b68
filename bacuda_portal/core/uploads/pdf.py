"""PDF uploads: parsed with pypdf, every object inspected; refused when they carry active content or another file type.

What is refused, and why:
- anything before ``%PDF-`` or after the last ``%%EOF`` (beyond whitespace): that is where a PDF/HTML or PDF/ZIP
  polyglot keeps its second file, and readers ignore it;
- web-page markup (``MARKUP``) in the first bytes a browser sniffs, or anywhere outside stream data: in PDF syntax
  outside streams a ``<`` is only followed by ``<`` (a dictionary) or hex digits, so such a tag is a second file;
- JavaScript anywhere (an action, a ``/JS`` entry, the document's JavaScript names tree);
- actions that leave the document or send data (``/Launch``, ``/SubmitForm``, ``/ImportData``, ``/GoToR``,
  ``/GoToE``, a ``javascript:`` URI), and media actions;
- actions that run by themselves (``/OpenAction`` and ``/AA``) unless they only go to a page: many ordinary PDFs
  open at a given page or zoom with ``/OpenAction`` (a destination or a ``/GoTo`` action), which does no harm;
- embedded files (``/EmbeddedFiles``, ``/EF``, file attachment annotations), XFA forms and rich media
  (``/RichMedia``, ``/3D``, ``/Movie``, ``/Sound``, ``/Screen``);
- a PDF that cannot be opened without a password (its content cannot be inspected), one pypdf cannot parse, and
  one with more objects than can be inspected in a reasonable time (``MAX_OBJECTS``).

Every indirect object the cross-reference data lists is resolved through pypdf, including those kept in
compressed object streams, and its dictionaries and arrays are walked; pypdf decodes names, so ``/J#61vaScript``
is seen as ``/JavaScript``. Because a viewer that rebuilds a damaged cross-reference table may find objects pypdf
did not, the bytes outside streams (names unescaped) and the decoded object streams are also searched for the
names that only active content uses.
"""

import io
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from pypdf import PasswordType, PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NullObject, StreamObject

from .signatures import MARKUP, PDF_HEADER, SNIFF_WINDOW, markup_error

PDF_WHITESPACE = b"\x00\t\n\x0c\r "
# Stream data, from the keyword after the stream's dictionary to ``endstream`` (the lookbehind keeps the
# ``stream`` inside ``endstream`` from opening a new one).
_STREAM_DATA = re.compile(rb"(?<![A-Za-z])stream[ \t]*(?:\r\n|\r|\n).*?endstream", re.DOTALL)
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
# Names that only active content uses, as they appear in the raw bytes once unescaped.
_RAW_ACTIVE_NAMES = re.compile(
    rb"/(JS|JavaScript|Launch|SubmitForm|ImportData|EmbeddedFiles?|FileAttachment|XFA|RichMedia\w*)(?![A-Za-z0-9])"
)
_SCRIPT_URI = re.compile(r"^\s*(?:javascript|vbscript|data)\s*:", re.IGNORECASE)

JAVASCRIPT = "javascript"
LAUNCH = "launch"
SUBMIT = "submit"
AUTOMATIC_ACTION = "automatic_action"
EMBEDDED_FILES = "embedded_files"
XFA = "xfa"
MULTIMEDIA = "multimedia"

# In the order a message lists them.
FEATURE_LABELS = {
    JAVASCRIPT: _("JavaScript"),
    LAUNCH: _("an action that starts a program or opens another file"),
    SUBMIT: _("a form action that sends or imports data"),
    AUTOMATIC_ACTION: _("an action that runs by itself when the document or a page is opened"),
    EMBEDDED_FILES: _("embedded files"),
    XFA: _("an XFA form"),
    MULTIMEDIA: _("multimedia content (sound, video, 3D or rich media)"),
}
_ACTION_FEATURES = {
    "/JavaScript": JAVASCRIPT,
    "/Launch": LAUNCH,
    "/GoToR": LAUNCH,
    "/GoToE": LAUNCH,
    "/SubmitForm": SUBMIT,
    "/ImportData": SUBMIT,
    "/Rendition": MULTIMEDIA,
    "/Movie": MULTIMEDIA,
    "/Sound": MULTIMEDIA,
    "/RichMediaExecute": MULTIMEDIA,
}
_RAW_NAME_FEATURES = {
    b"JS": JAVASCRIPT,
    b"JavaScript": JAVASCRIPT,
    b"Launch": LAUNCH,
    b"SubmitForm": SUBMIT,
    b"ImportData": SUBMIT,
    b"EmbeddedFile": EMBEDDED_FILES,
    b"EmbeddedFiles": EMBEDDED_FILES,
    b"FileAttachment": EMBEDDED_FILES,
    b"XFA": XFA,
}
_MEDIA_SUBTYPES = {"/RichMedia", "/3D", "/Movie", "/Sound", "/Screen"}
_NAVIGATION_ACTIONS = {"/GoTo"}
_MAX_ACTION_CHAIN = 64  # /Next links followed from one automatic action
# Every object is parsed (about 0.1 ms each), so their number bounds the time a check takes. A 5 MB PDF of 3,800
# text pages has 11,400 objects; a file of tiny objects made to tie up the server is refused instead.
MAX_OBJECTS = 50_000

BROKEN_MESSAGE = _("This PDF seems damaged or incomplete. Please save it again as PDF and upload it once more.")


def check_pdf(data: bytes) -> None:
    """Refuse (ValidationError) a PDF that is not only a PDF, that cannot be inspected or that has active content."""
    syntax = outside_streams(data)
    check_pdf_envelope(data, syntax)
    features = _names_in_syntax(syntax)
    features |= _object_features(data)
    if features:
        found = ", ".join(str(label) for feature, label in FEATURE_LABELS.items() if feature in features)
        raise ValidationError(
            _("This PDF contains %(found)s, which we do not accept. Print it to a plain PDF and upload that."),
            code="pdf_active_content",
            params={"found": found},
        )


def check_pdf_envelope(data: bytes, syntax: bytes) -> None:
    """The bytes around and between the PDF's objects (``syntax``: the file without its stream data): a header at
    offset 0, nothing after the end, no markup."""
    if not data.startswith(PDF_HEADER):
        raise ValidationError(
            _("This PDF has other data before its PDF header. Save it again as PDF and upload it once more."),
            code="pdf_leading_data",
        )
    end = data.rfind(b"%%EOF")
    if end < 0:
        raise ValidationError(BROKEN_MESSAGE, code="pdf_broken")
    if data[end + len(b"%%EOF") :].strip(PDF_WHITESPACE):
        raise ValidationError(
            _("This file has other data after the end of the PDF. Save it again as PDF and upload it once more."),
            code="trailing_data",
        )
    if MARKUP.search(data, 0, SNIFF_WINDOW) or MARKUP.search(syntax):
        raise markup_error("pdf")


def outside_streams(data: bytes) -> bytes:
    """The file without its stream data: the PDF syntax a parser reads as objects."""
    return _STREAM_DATA.sub(b" stream endstream", data)


def _names_in_syntax(syntax: bytes) -> set[str]:
    unescaped = _NAME_ESCAPE.sub(lambda match: bytes([int(match.group(1), 16)]), syntax)
    found = set()
    for match in _RAW_ACTIVE_NAMES.finditer(unescaped):
        name = match.group(1)
        found.add(MULTIMEDIA if name.startswith(b"RichMedia") else _RAW_NAME_FEATURES[name])
    return found


def _open(data: bytes) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False, xref_stream_maximum_entries=MAX_OBJECTS)
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            # Only an owner password (restrictions on printing or copying) opens with an empty password;
            # a user password hides the content from our check, so the file cannot be accepted.
            raise ValidationError(
                _("This PDF is protected by a password, so we cannot check it. "
                  "Save a copy without a password and upload that."),
                code="pdf_encrypted",
            )  # fmt: skip
        pages = reader.trailer["/Root"]["/Pages"]
        if not isinstance(pages, DictionaryObject) or not pages.get("/Kids"):
            raise ValidationError(BROKEN_MESSAGE, code="pdf_broken")  # no page at all
    except ValidationError:
        raise
    except Exception:  # a parser fed hostile bytes can fail in many ways; each means "not a PDF we can read"
        raise ValidationError(BROKEN_MESSAGE, code="pdf_broken") from None
    return reader


def _object_features(data: bytes) -> set[str]:
    reader = _open(data)
    if sum(len(numbers) for numbers in reader.xref.values()) + len(reader.xref_objStm) > MAX_OBJECTS:
        raise ValidationError(
            _("This PDF is too complex for us to check (more than %(limit)d objects). "
              "Save a smaller version, with fewer pages, and upload that."),
            code="pdf_too_complex",
            params={"limit": MAX_OBJECTS},
        )  # fmt: skip
    found: set[str] = set()
    try:
        objects = [reader.trailer]
        for generation, numbers in reader.xref.items():
            objects.extend(IndirectObject(number, generation, reader).get_object() for number in numbers)
        objects.extend(IndirectObject(number, 0, reader).get_object() for number in reader.xref_objStm)
        for value in objects:
            _walk(value, found)
            if isinstance(value, StreamObject) and value.get("/Type") == "/ObjStm":
                found |= _names_in_syntax(value.get_data())
    except Exception:  # as in _open: an object pypdf cannot read is a damaged file
        raise ValidationError(BROKEN_MESSAGE, code="pdf_broken") from None
    return found


def _walk(value, found: set[str]) -> None:
    """Inspect one object and the direct objects inside it (indirect ones are inspected on their own)."""
    stack = [value]
    while stack:
        current = stack.pop()
        if isinstance(current, DictionaryObject):  # a stream's dictionary too
            _inspect_dictionary(current, found)
            stack.extend(item for item in current.values() if not isinstance(item, IndirectObject))
        elif isinstance(current, ArrayObject):
            stack.extend(item for item in current if not isinstance(item, IndirectObject))


def _inspect_dictionary(dictionary: DictionaryObject, found: set[str]) -> None:
    keys = set(dictionary.keys())
    if keys & {"/JS", "/JavaScript"}:
        found.add(JAVASCRIPT)
    if keys & {"/EmbeddedFiles", "/EmbeddedFile", "/EF"}:
        found.add(EMBEDDED_FILES)
    if "/XFA" in keys:
        found.add(XFA)
    if keys & {"/RichMediaContent", "/RichMediaSettings", "/3DD"}:
        found.add(MULTIMEDIA)
    kind = str(dictionary.get("/Type", ""))
    subtype = str(dictionary.get("/Subtype", ""))
    if kind == "/EmbeddedFile" or subtype == "/FileAttachment":
        found.add(EMBEDDED_FILES)
    if subtype in _MEDIA_SUBTYPES:
        found.add(MULTIMEDIA)
    action = str(dictionary.get("/S", ""))
    if action in _ACTION_FEATURES:
        found.add(_ACTION_FEATURES[action])
    uri = dictionary.get("/URI")
    if isinstance(uri, str | bytes) and _SCRIPT_URI.match(uri if isinstance(uri, str) else uri.decode("latin-1")):
        found.add(JAVASCRIPT)
    if "/OpenAction" in keys and not _only_navigation(dictionary["/OpenAction"]):
        found.add(AUTOMATIC_ACTION)
    if "/AA" in keys:
        triggers = _resolve(dictionary["/AA"])
        if not isinstance(triggers, DictionaryObject) or not all(_only_navigation(v) for v in triggers.values()):
            found.add(AUTOMATIC_ACTION)


def _resolve(value):
    return value.get_object() if isinstance(value, IndirectObject) else value


def _only_navigation(value) -> bool:
    """Whether an automatic action (with its /Next chain) only goes somewhere in the document."""
    pending = [value]
    for _step in range(_MAX_ACTION_CHAIN):
        if not pending:
            return True
        action = _resolve(pending.pop())
        if action is None or isinstance(action, NullObject | ArrayObject | str | bytes):
            continue  # nothing, or an explicit or named destination: the page the document opens at
        if not isinstance(action, DictionaryObject) or str(action.get("/S", "")) not in _NAVIGATION_ACTIONS:
            return False
        following = _resolve(action.get("/Next"))
        if isinstance(following, ArrayObject):
            pending.extend(following)
        elif following is not None:
            pending.append(following)
    return False  # a chain longer than any document needs
