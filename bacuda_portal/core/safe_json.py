"""JSON from outside (request bodies, form fields), read without recursion or surprises.

Python's decoder recurses once per nested array or object, so ``"[" * 5000`` ends in RecursionError (a server
error) long before any of our code sees the value. ``loads`` measures the nesting on the text first, with regular
expressions and a running sum (no recursion, linear time), and decodes only what is shallow enough. It also refuses
what JSON allows but nothing downstream can take: NaN and Infinity, numbers too large for a float or with more
digits than Python converts, the same key twice in one object (which parsers resolve differently), and unpaired
surrogate escapes (which cannot be encoded as UTF-8, so the database would refuse them).

``check_value`` bounds an already decoded value (depth, size, NUL characters) for fields stored as JSON.
"""

import itertools
import json
import math
import re

from django.conf import settings
from django.utils.translation import gettext as _

# Escapes first (so that \" is not taken for the end of a string), then strings, then everything but brackets.
_ESCAPE = re.compile(r"\\.", re.DOTALL)
_STRING = re.compile(r'"[^"]*"')
_NOT_A_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}
# Object keys quoted in messages are cut to this length.
_KEY_SHOWN = 60
# The most a JSON value stored in a field (a job's parameters...) may take once encoded, unless the field says more.
FIELD_MAX_BYTES = 16_384


class UnsafeJSON(ValueError):
    """JSON text or a value the portal refuses; ``str()`` is the message for the user."""


def max_depth() -> int:
    return settings.BACUDA_JSON_MAX_DEPTH


def nesting_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in JSON ``text``, without decoding it.

    For text that is not valid JSON the figure may be too high, never too low up to the point where the decoder
    would stop: escapes and strings are removed the way the decoder reads them, so every bracket it would descend
    into is counted.
    """
    brackets = _NOT_A_BRACKET.sub("", _STRING.sub("", _ESCAPE.sub("", text)))
    return max(itertools.accumulate(map(_STEP.__getitem__, brackets)), default=0)


def _too_deep(limit: int) -> UnsafeJSON:
    return UnsafeJSON(
        _("The JSON is nested too deeply: at most %(limit)d levels of arrays and objects are accepted.")
        % {"limit": limit}
    )


def _refuse_constant(name: str):
    raise UnsafeJSON(_("NaN and Infinity are not valid JSON numbers."))


def _parse_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e999: valid JSON, but infinite once read
        raise UnsafeJSON(_("A number in the JSON is too large."))
    return value


def _parse_int(text: str) -> int:
    try:
        return int(text)
    except ValueError:  # beyond sys.get_int_max_str_digits(): conversion would be slow, so Python refuses it
        raise UnsafeJSON(_("A number in the JSON has too many digits.")) from None


def _object_without_duplicate_keys(pairs: list) -> dict:
    value = dict(pairs)
    if len(value) != len(pairs):
        seen = set()
        for key, _value in pairs:
            if key in seen:
                raise UnsafeJSON(
                    _("The key %(key)s appears twice in one object.") % {"key": json.dumps(key[:_KEY_SHOWN])}
                )
            seen.add(key)
    return value


def decode_utf8(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise UnsafeJSON(_("The JSON is not valid UTF-8 text.")) from None


def loads(text: str, *, limit: int | None = None):
    """Decode JSON ``text`` nested at most ``limit`` levels (default: ``BACUDA_JSON_MAX_DEPTH``).

    Raises ``UnsafeJSON`` with a message for the user for anything refused, including plain syntax errors.
    """
    limit = max_depth() if limit is None else limit
    if nesting_depth(text) > limit:
        raise _too_deep(limit)
    try:
        value = json.loads(
            text,
            parse_constant=_refuse_constant,
            parse_float=_parse_float,
            parse_int=_parse_int,
            object_pairs_hook=_object_without_duplicate_keys,
        )
    except json.JSONDecodeError as error:
        raise UnsafeJSON(_("Not valid JSON: %(error)s") % {"error": error}) from None
    except RecursionError:  # cannot happen below the limit; kept so that a misconfigured limit is not a 500
        raise _too_deep(limit) from None
    try:
        # Re-encoding is the quickest complete check: only an unpaired surrogate cannot become UTF-8.
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise UnsafeJSON(_("The JSON contains an unpaired surrogate escape (\\ud800-\\udfff).")) from None
    return value


def check_value(value, *, limit: int | None = None, max_bytes: int = FIELD_MAX_BYTES) -> None:
    """Refuse a decoded JSON ``value`` nested deeper than ``limit``, longer than ``max_bytes`` once encoded, or
    holding a NUL character (PostgreSQL cannot store one in JSON). Iterative: the value may come from anywhere."""
    limit = max_depth() if limit is None else limit
    pending = [(value, 0)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict | list):
            if depth + 1 > limit:
                raise _too_deep(limit)
            children = [*item.keys(), *item.values()] if isinstance(item, dict) else item
            pending.extend((child, depth + 1) for child in children)
        elif isinstance(item, str) and "\x00" in item:
            raise UnsafeJSON(_("The JSON contains a NUL character (\\u0000)."))
    try:
        encoded = json.dumps(value, ensure_ascii=False, allow_nan=False).encode("utf-8")
    except (TypeError, ValueError):  # UnicodeEncodeError is a ValueError
        raise UnsafeJSON(_("The JSON cannot be stored.")) from None
    if len(encoded) > max_bytes:
        raise UnsafeJSON(_("The JSON is too large: at most %(limit)d bytes are accepted.") % {"limit": max_bytes})
