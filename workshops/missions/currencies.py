"""ISO 4217 currency codes that travel amounts may be expressed in, and their validator.

Source: ISO 4217 List One, "Current currency & funds code list", published by the maintenance agency SIX
Financial Information (https://www.six-group.com/en/products-services/financial-information/data-standards.html),
as it stood on 2025-01-01 (ANG and its successor XCG are both listed until ANG is withdrawn; SLE replaced SLL,
ZWG replaced ZWL, VED and VES are both current).

Only codes of money people pay with are kept. Left out on purpose, because no expense is ever paid in them:
fund codes (BOV, CHE, CHW, CLF, COU, MXV, USN, UYI, UYW), precious metals (XAG, XAU, XPD, XPT), bond-market
units (XBA, XBB, XBC, XBD), the SDR and its relatives (XDR, XSU, XUA), and the testing and "no currency"
codes (XTS, XXX).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# A block of codes, as the published table lists them, is easier to check against it than one code a line.
ISO_4217_CODES: frozenset[str] = frozenset(
    """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD
    CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD
    GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT
    LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR
    NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP
    STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VED VES VND VUV WST XAF XCD
    XCG XOF XPF YER ZAR ZMW ZWG
    """.split()  # noqa: SIM905
)


def is_currency_code(value: str) -> bool:
    return value in ISO_4217_CODES


def validate_currency_code(value: str) -> None:
    """Refuses anything but an upper-case ISO 4217 code from ``ISO_4217_CODES`` (forms upper-case what is typed)."""
    if value not in ISO_4217_CODES:
        raise ValidationError(
            _("%(code)s is not an ISO 4217 currency code."), code="currency_unknown", params={"code": value}
        )
