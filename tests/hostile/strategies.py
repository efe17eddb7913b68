"""Hostile values for form fields: arbitrary unicode, control characters (NUL included), overlong text, numbers
and dates in odd shapes, and now and then something well formed, so that later checks are reached too."""

import string

from hypothesis import strategies as st

CONTROL = "".join(chr(code) for code in [*range(0, 32), 127, 0x85, 0x2028, 0x2029, 0x202E, 0xFEFF])

hostile_text = st.one_of(
    st.text(),  # any unicode, control characters included (surrogates are not valid in a decoded request)
    st.text(alphabet=CONTROL, min_size=1, max_size=20),
    st.text(min_size=300, max_size=1200),  # overlong
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "a\x00b",
            '=HYPERLINK("http://evil")',
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "../../etc/passwd",
            "%00",
            "-1",
            "0",
            "1e309",
            "NaN",
            "99999999999999999999999999",
            "2026-02-30",
            "9999-12-31",
            "0001-01-01",
            "x@example.org",
            "KEN",
            "EUR",
            "true",
        ]
    ),
    st.integers().map(str),
    st.dates().map(str),
    st.text(alphabet=string.digits, min_size=1, max_size=40),
)


def hostile_data(field_names: list[str]):
    """A form's POST data: for each field, absent, one hostile value, or several (as a multi-valued field)."""
    value = st.one_of(hostile_text, st.lists(hostile_text, min_size=2, max_size=3))
    return st.fixed_dictionaries({}, optional=dict.fromkeys(field_names, value))
