"""The engine's settings, the learned model's shape, and reading and writing the declarations' layout."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from algorithms.declarations import (
    COLUMNS,
    CRITICAL_FRAUD,
    DATE,
    FRAUD,
    HS6_CODE,
    ITEM_PRICE,
    LABEL_COLUMNS,
    NET_MASS,
    NUMERIC_COLUMNS,
    TAX_RATE,
    read_declarations,
)
from algorithms.engines.base import EngineError

GOODS_COLUMNS = (HS6_CODE, "Country of Departure", "Country of Origin", TAX_RATE, "Tax Type", FRAUD, CRITICAL_FRAUD)
CIRCUMSTANCE_COLUMNS = (
    "Office ID",
    "Process Type",
    "Import Type",
    "Import Use",
    "Payment Type",
    "Mode of Transport",
    "Courier ID",
    "Country of Origin Indicator",
    DATE,
)
PARTY_COLUMNS = ("Declarant ID", "Importer ID", "Seller ID")
ID_COLUMNS = ("Declarant ID", "Importer ID", "Seller ID", "Courier ID")

DEFAULT_PARAMS = {
    "holdout_fraction": 0.2,  # share of the dataset kept out of learning, to measure utility and privacy
    "numeric_noise": 0.05,  # sigma of the log-normal factor applied to Net Mass
    "date_jitter_days": 3,  # dates move by up to this many days
    "min_group": 2,  # fewest other rows a goods key needs to be a donor pool by itself
    "pseudonymise_ids": False,  # replace declarant/importer/seller/courier IDs by fresh codes
    "min_differences": 3,  # fewest detail columns in which a row must differ from every real row of its goods
    "donor_key": "hs6",  # finest grouping of donor rows: "hs6" (HS6 code and fraud) or "goods" (the goods key)
}
MIN_LEARNING_ROWS = 50
MAX_ROWS = 1_000_000
MAX_REDRAWS = 20
METRICS_MAX_ROWS = 60_000  # metrics on a sample of a larger synthetic set
GENERATE_CHUNK = 100_000  # synthetic rows drawn at once
CHECK_CHUNK = 20_000  # synthetic rows checked at once against the real rows of their goods key


@dataclass
class SynthModel:
    """What the sampler learned: the real table (as the donor pool) and its grouping levels."""

    table: pd.DataFrame
    levels: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = field(default_factory=list)  # (group, order, start)
    unit_price: np.ndarray = field(default_factory=lambda: np.zeros(0))
    date_range: tuple[np.datetime64, np.datetime64] | None = None
    detail_codes: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.int32))
    circumstance_width: int = 0


# --------------------------------------------------------------------------------------------- reading/writing
def dataset_columns(path: Path) -> list[str]:
    """The header of a CSV file; raises EngineError if the file is empty or not UTF-8 text."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            header = handle.readline()
    except (OSError, UnicodeDecodeError) as exc:
        raise EngineError(f"The dataset file cannot be read as UTF-8 text: {exc}")
    if not header.strip():
        raise EngineError("The dataset is empty.")
    return [c.strip() for c in next(csv.reader([header]), [])]


def is_labelled(columns: list[str]) -> bool:
    """Whether the header has the Fraud and Critical Fraud columns (known only after inspection)."""
    return all(c in columns for c in LABEL_COLUMNS)


def load_dataset(path: Path) -> pd.DataFrame:
    """Reads and checks a declarations CSV; raises EngineError with a clear reason.

    A dataset without the two label columns is accepted: they are filled with 0 here (one class), the sampler then
    ignores them and ``train_and_generate`` writes the synthetic file without them.
    """
    present = dataset_columns(path)
    if any(c in present for c in LABEL_COLUMNS) and not is_labelled(present):
        raise EngineError("The dataset has only one of the Fraud and Critical Fraud columns: give both or neither.")
    missing = [c for c in COLUMNS if c not in present and c not in LABEL_COLUMNS]
    if missing:
        raise EngineError("The dataset lacks columns of the declaration layout: " + ", ".join(missing) + ".")
    try:
        frame = read_declarations(path)
    except UnicodeDecodeError as exc:
        raise EngineError(f"The dataset file cannot be read as UTF-8 text: {exc}")
    except pd.errors.ParserError as exc:
        raise EngineError(f"The dataset is not a well-formed CSV file: {exc}")
    except (ValueError, TypeError) as exc:
        raise EngineError(f"The dataset has values of the wrong type (dates, numbers or labels): {exc}")
    if len(frame) == 0:
        raise EngineError("The dataset has no rows.")
    for column in LABEL_COLUMNS:
        if column not in frame:
            frame[column] = 0
    if not frame[FRAUD].isin([0, 1]).all() or not frame[CRITICAL_FRAUD].isin([0, 1, 2]).all():
        raise EngineError("Fraud must be 0 or 1 and Critical Fraud 0, 1 or 2.")
    frame = frame[list(COLUMNS)].reset_index(drop=True)
    for column in COLUMNS:
        if column not in (DATE, *NUMERIC_COLUMNS, *LABEL_COLUMNS):
            frame[column] = frame[column].astype(str)
    if not np.isfinite(frame[list(NUMERIC_COLUMNS)].to_numpy(float)).all():
        raise EngineError("The dataset has missing or infinite numbers in Tax Rate, Net Mass or Item Price.")
    if (frame[[NET_MASS, ITEM_PRICE]].to_numpy(float) < 0).any():
        raise EngineError("The dataset has negative Net Mass or Item Price values.")
    return frame


def _number_text(values: np.ndarray) -> list[str]:
    return [repr(float(v)) for v in values]


def layout_strings(frame: pd.DataFrame) -> pd.DataFrame:
    """The table as the strings of the CSV layout (dates YYYY-MM-DD, numbers as Python floats, labels as ints)."""
    out = pd.DataFrame(index=frame.index)
    for column in COLUMNS:
        values = frame[column]
        if column == DATE:
            out[column] = pd.to_datetime(values).dt.strftime("%Y-%m-%d")
        elif column in NUMERIC_COLUMNS:
            out[column] = _number_text(values.to_numpy(float))
        elif column in LABEL_COLUMNS:
            out[column] = values.astype(int).astype(str)
        else:
            out[column] = values.astype(str)
    return out


def write_layout_csv(frame: pd.DataFrame, path: Path, *, labelled: bool = True) -> None:
    """Writes the CSV layout; without ``labelled``, the Fraud and Critical Fraud columns are left out."""
    text = layout_strings(frame)
    if not labelled:
        text = text.drop(columns=list(LABEL_COLUMNS))
    text.to_csv(path, index=False)
