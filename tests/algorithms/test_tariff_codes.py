"""National tariff codes (tariff_codes.py), extra columns (extra_columns.py) and the column suggestions
(column_mapping.py): known answers."""

import pandas as pd
import pytest

from algorithms import column_mapping, extra_columns, tariff_codes
from algorithms.tariff_codes import CodeRefused, read_code, width_from_name


@pytest.mark.parametrize(
    ("cell", "width", "national", "hs6", "restored"),
    [
        ("4202311090", 10, "4202311090", "420231", False),  # HS10 as published
        ("710807000", 10, "0710807000", "071080", True),  # HS10 read as a number: zero restored
        ("710807000", None, "0710807000", "071080", True),  # no hint: 710807 is not HS 2022, 071080 is
        ("910111000", None, "0910111000", "091011", True),  # both 910111 and 091011 exist: the odd length decides
        ("305100000", None, "0305100000", "030510", True),  # neither exists (older nomenclature): still padded
        ("0101.21.00", 8, "01012100", "010121", False),  # HS8 with dots
        ("1012100", 8, "01012100", "010121", True),  # HS8 without its zero
        ("71080", 6, "071080", "071080", True),  # HS6 without its zero
        ("71080", None, "071080", "071080", True),
        ("090111", 6, "090111", "090111", False),
        ("4202311090.0", 10, "4202311090", "420231", False),  # a spreadsheet's float
        ("847130 00 00", None, "8471300000", "847130", False),  # spaces
    ],
)
def test_read_code_known_answers(cell, width, national, hs6, restored):
    assert read_code(cell, width=width) == tariff_codes.TariffCode(national, hs6, restored)


def test_a_nine_digit_national_code_whose_own_six_digits_are_in_the_nomenclature_is_kept():
    # 847130 is a subheading, 084713 is not: a nine-digit national code (Japan publishes nine), not a lost zero.
    assert "847130" in tariff_codes.hs6_codes() and "084713" not in tariff_codes.hs6_codes()
    assert read_code("847130000", width=None) == tariff_codes.TariffCode("847130000", "847130", False)
    # ...unless the column says it carries ten digits.
    assert read_code("847130000", width=10).restored


@pytest.mark.parametrize(
    "cell", ["", "7108", "abc123", "1234567890123", "4.20231109E+09", "71080", "1 0", "4202311090"]
)
def test_what_is_not_a_tariff_code_is_refused_with_a_reason(cell):
    # Five digits in an HS10 column is not a code; ten digits in an HS6 column are not what its name says.
    width = {"71080": 10, "4202311090": 6}.get(cell)
    with pytest.raises(CodeRefused) as refused:
        read_code(cell, width=width)
    assert str(refused.value)


def test_the_shipped_nomenclature_and_the_width_a_column_name_announces():
    codes = tariff_codes.hs6_codes()
    assert len(codes) == 5612 and "010121" in codes and "999999" not in codes
    assert [width_from_name(n) for n in ("HS10 Code", "HS6 Code", "hs_8", "Tariff Code", "HS2022")] == [
        10,
        6,
        8,
        None,
        None,
    ]


PUBLIC_HS10_HEADER = [
    "Declaration ID", "Date", "Office ID", "Process Type", "Import Type", "Import Use", "Payment Type",
    "Mode of Transport", "Declarant ID", "Importer ID", "Seller ID", "Courier ID", "HS10 Code",
    "Country of Departure", "Country of Origin", "Tax Rate", "Tax Type", "Country of Origin Indicator", "Net Mass",
    "Item Price", "Fraud", "Critical Fraud",
]  # fmt: skip


def test_the_public_hs10_header_is_taken_without_asking():
    suggestion = column_mapping.suggest(PUBLIC_HS10_HEADER)
    assert suggestion.automatic and suggestion.mapping["HS6 Code"] == "HS10 Code" and not suggestion.extra


def test_renamed_french_and_fuzzy_columns_are_suggested_and_extras_listed():
    header = ["N° Déclaration", "date_declaration", "Bureau", "Process_Type", "import type", "Import Use",
              "Payment Type", "Transport mode", "Déclarant", "Importateur", "Fournisseur", "Courier ID",
              "Code tarifaire", "Pays de provenance", "Pays d'origine", "Taux", "Tax Type",
              "Country of Origin Indicatr", "Poids net", "Valeur en douane", "Container count",
              "Inspector"]  # fmt: skip
    suggestion = column_mapping.suggest(header)
    assert suggestion.mapping == {
        "Declaration ID": "N° Déclaration", "Date": "date_declaration", "Office ID": "Bureau",
        "Process Type": "Process_Type", "Import Type": "import type", "Import Use": "Import Use",
        "Payment Type": "Payment Type", "Mode of Transport": "Transport mode", "Declarant ID": "Déclarant",
        "Importer ID": "Importateur", "Seller ID": "Fournisseur", "Courier ID": "Courier ID",
        "HS6 Code": "Code tarifaire", "Country of Departure": "Pays de provenance",
        "Country of Origin": "Pays d'origine", "Tax Rate": "Taux", "Tax Type": "Tax Type",
        "Country of Origin Indicator": "Country of Origin Indicatr", "Net Mass": "Poids net",
        "Item Price": "Valeur en douane",
    }  # fmt: skip
    assert suggestion.how["Country of Origin Indicator"] == column_mapping.FUZZY
    assert suggestion.how["Process Type"] == column_mapping.SAME_NAME  # case and underscores ignored
    assert suggestion.extra == ["Container count", "Inspector"]
    assert not suggestion.automatic  # renamed and extra columns: the user confirms
    # The administration's saved choice comes first.
    saved = column_mapping.suggest(header, {"Item Price": "Container count"})
    assert saved.mapping["Item Price"] == "Container count" and saved.how["Item Price"] == column_mapping.SAVED


def test_check_names_what_is_wrong_with_a_mapping():
    header = ["A", "B", "C"]
    assert column_mapping.check(header, ["A"]) == {"": "Give the mapping as an object of field name to column name."}
    errors = column_mapping.check(header, {"Declaration ID": "A", "Date": "A", "Colour": "B", "Fraud": "C"})
    assert errors["Date"] == "The column “A” is already used for Declaration ID."
    assert errors[""] == "Unknown fields: Colour."
    assert errors["Office ID"] == "Choose the file's column for this field."
    assert errors["Critical Fraud"].startswith("Fraud and Critical Fraud go together")
    assert column_mapping.check(header, {"Date": "Z"})["Date"] == "There is no column “Z” in the file."


def test_extra_columns_are_typed_and_the_usable_ones_listed():
    tracker = extra_columns.ExtraColumnTracker(["Containers", "Inspector", "Reference", "Blank"])
    rows = [("2", "ANN", "R1", ""), ("3.5", "BOB", "R2", " "), ("", "ANN", "R3", "")]
    for values in rows:
        tracker.add(dict(zip(tracker.columns, values, strict=True)))
    kinds = tracker.kinds()
    assert {column: info["kind"] for column, info in kinds.items()} == {
        "Containers": "numeric",
        "Inspector": "categorical",
        "Reference": "categorical",
        "Blank": "empty",
    }
    usable = extra_columns.usable(kinds)
    assert usable.numeric == ["Containers"] and usable.categorical == ["Inspector"]  # Reference: an identifier
    frame = pd.DataFrame({"Declaration ID": ["1", "2", "3"], "Tariff Code": ["0710807000", "4202311090", "0710807000"],
                          **{c: [r[i] for r in rows] for i, c in enumerate(tracker.columns)}})  # fmt: skip
    features = extra_columns.feature_columns(frame)
    assert features.numeric == ["Containers"] and features.categorical == ["Tariff Code", "Inspector"]
    assert extra_columns.feature_columns(frame, kinds=kinds).categorical == ["Tariff Code", "Inspector"]
