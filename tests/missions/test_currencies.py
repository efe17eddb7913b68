import re

import pytest
from django.core.exceptions import ValidationError

from workshops.missions.currencies import ISO_4217_CODES, validate_currency_code


def test_the_list_holds_the_active_iso_4217_codes_of_money():
    assert 150 <= len(ISO_4217_CODES) <= 165
    assert all(re.fullmatch(r"[A-Z]{3}", code) for code in ISO_4217_CODES)
    assert {"EUR", "USD", "CHF", "KES", "XOF", "XAF", "XCG", "SLE", "ZWG", "VES"} <= ISO_4217_CODES


@pytest.mark.parametrize("code", ["HRK", "SLL", "ZWL", "CUC", "XAU", "XXX", "XTS", "XDR", "USN"])
def test_withdrawn_codes_funds_metals_and_test_codes_are_not_money(code):
    assert code not in ISO_4217_CODES


@pytest.mark.parametrize("code", ["XYZ", "eur", "EURO", ""])
def test_an_unknown_code_is_refused_by_name(code):
    with pytest.raises(ValidationError) as error:
        validate_currency_code(code)
    assert error.value.messages == [f"{code} is not an ISO 4217 currency code."]


def test_a_known_code_passes():
    validate_currency_code("EUR")
