"""The Customs Import Declaration layout: the 22 columns a declarations CSV has, and how to read one.

The layout is the one of the public Customs Import Declaration Datasets (Jeong et al., 2022; see
``algorithms/data/README.md``). Every column is read as a string first, so that codes keep their leading zeros
("071080"); numeric columns are converted by the code that needs them.
"""

from pathlib import Path

import pandas as pd

DECLARATION_ID = "Declaration ID"
DATE = "Date"
IMPORTER_ID = "Importer ID"
HS6_CODE = "HS6 Code"
# The national code as published (HS6, HS8 or HS10, a lost leading zero restored): written by the upload next to
# the HS6 Code derived from it (see tariff_codes.py). Not in COLUMNS: a file need not have it.
TARIFF_CODE = "Tariff Code"
TAX_RATE = "Tax Rate"
NET_MASS = "Net Mass"
ITEM_PRICE = "Item Price"
FRAUD = "Fraud"
CRITICAL_FRAUD = "Critical Fraud"

COLUMNS = (
    DECLARATION_ID,
    DATE,
    "Office ID",
    "Process Type",
    "Import Type",
    "Import Use",
    "Payment Type",
    "Mode of Transport",
    "Declarant ID",
    IMPORTER_ID,
    "Seller ID",
    "Courier ID",
    HS6_CODE,
    "Country of Departure",
    "Country of Origin",
    TAX_RATE,
    "Tax Type",
    "Country of Origin Indicator",
    NET_MASS,
    ITEM_PRICE,
    FRAUD,
    CRITICAL_FRAUD,
)
# Known only after inspection: a dataset to score may lack them; a training dataset must have them.
LABEL_COLUMNS = (FRAUD, CRITICAL_FRAUD)
NUMERIC_COLUMNS = (TAX_RATE, NET_MASS, ITEM_PRICE)
CATEGORICAL_COLUMNS = tuple(c for c in COLUMNS if c not in (DECLARATION_ID, DATE, *NUMERIC_COLUMNS, *LABEL_COLUMNS))


def read_declarations(path: str | Path) -> pd.DataFrame:
    """The CSV as strings (empty cells stay ""), with Date parsed and the numeric columns as floats.

    Assumes a file that validation has accepted; it does not report problems row by row.
    Columns beyond the layout (the national ``Tariff Code``, an administration's extra columns) are kept as strings;
    ``extra_columns.py`` says which are numeric or categorical.
    """
    return convert_declarations(pd.read_csv(path, dtype=str, keep_default_na=False))


def convert_declarations(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame read as strings (``dtype=str, keep_default_na=False``), converted like ``read_declarations`` does:
    Date parsed, the numeric columns as floats, the label columns as integers. Used on each chunk of a file that is
    read in chunks (``pd.read_csv(..., chunksize=...)``)."""
    frame[DATE] = pd.to_datetime(frame[DATE], format="%Y-%m-%d")
    for column in NUMERIC_COLUMNS:
        frame[column] = pd.to_numeric(frame[column]).astype(float)
    for column in LABEL_COLUMNS:
        if column in frame:
            frame[column] = pd.to_numeric(frame[column]).astype(int)
    return frame
