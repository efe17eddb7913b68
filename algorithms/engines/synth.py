"""AI-Synth: learns a table of declarations and generates a synthetic one in the same 22-column layout.

Method (details, figures and limits in ``algorithms/engines/SYNTH_NOTES.md``): a conditional hot-deck sampler.
Every synthetic row is put together from several different real rows of the learned table:

1. **Goods**: the joint value of HS6 code, the two countries, tax rate, tax type, Fraud and Critical Fraud (the
   "goods key") is drawn from its real frequency distribution. These columns are kept together because they are
   tied (a tariff rate belongs to an HS code, an origin and a tax type; fraud risk to the goods); the public data's
   own generator treated them as one categorical column.
2. **Net mass** is drawn from the real masses of the same goods key (so its relation to the goods and the fraud
   label holds) and then perturbed by a random factor exp(N(0, ``numeric_noise``)); **Item Price** is that mass
   times a unit price (price per kg) of the same goods key, as in the source data.
3. **Declaration circumstances** (office, process, import type and use, payment, transport, courier, origin
   marking, date) and **parties** (declarant, importer, seller) come from two further real rows, each drawn
   among the rows of the same HS6 code and fraud label (``donor_key`` "hs6"; "goods": of the same goods key),
   or, when there are fewer than ``min_group`` other rows, of the same HS4 code and fraud label, then of the same
   fraud label. The goods' own row is excluded. The date is moved by a few days at random. A row whose
   circumstances and parties differ in fewer than ``min_differences`` columns from some real row of the same goods
   draws them again from coarser groups, so that synthetic rows are not closer to real rows than unseen real rows.
4. IDs: declarant, importer, seller and courier IDs are the real (already pseudonymised) IDs, drawn as above so
   that their frequencies and their ties to goods and fraud are kept and a fraud model trained on synthetic data
   can be used on real data. With ``pseudonymise_ids`` every ID is replaced by a fresh random code of the same
   length (one code per ID, so the frequency structure stays). Declaration IDs are always fresh 8-digit numbers
   that do not occur in the learned data.
5. Any synthetic row equal to a real row on every column but the Declaration ID is drawn again.

Deterministic for a given seed (numpy's PCG64 generator; no threads in the generator).
"""

from __future__ import annotations

import csv
import json
import string
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from algorithms.declarations import (
    COLUMNS,
    CRITICAL_FRAUD,
    DATE,
    DECLARATION_ID,
    FRAUD,
    HS6_CODE,
    ITEM_PRICE,
    LABEL_COLUMNS,
    NET_MASS,
    NUMERIC_COLUMNS,
    TAX_RATE,
    read_declarations,
)
from algorithms.engines.base import EngineError, EngineResult, ProgressCallback

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


# --------------------------------------------------------------------------------------------- learning
def _grouping(keys: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Group code per row, row indices sorted by group, and each group's start in that order (+ a final end)."""
    group = keys.groupby(list(keys.columns), sort=True, observed=True).ngroup().to_numpy()
    order = np.argsort(group, kind="stable")
    start = np.searchsorted(group[order], np.arange(group.max() + 2))
    return group, order, start


def fit(frame: pd.DataFrame) -> SynthModel:
    """Learns the grouping levels and unit prices of a checked declaration table."""
    table = frame.reset_index(drop=True)
    fraud = table[FRAUD].astype(str)
    hs6 = table[HS6_CODE].astype(str)
    goods = table[list(GOODS_COLUMNS)].astype(str)
    levels = [
        _grouping(goods),
        _grouping(pd.DataFrame({"hs6": hs6, "fraud": fraud})),
        _grouping(pd.DataFrame({"hs4": hs6.str[:4], "fraud": fraud})),
        _grouping(pd.DataFrame({"fraud": fraud})),
    ]
    mass = table[NET_MASS].to_numpy(float)
    price = table[ITEM_PRICE].to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        unit = np.where(mass > 0, price / mass, np.nan)
    # A row whose mass is zero borrows the median unit price of its goods key, else of its HS6 code, else overall.
    unit_series = pd.Series(unit)
    for key in (goods.agg("|".join, axis=1), hs6):
        unit_series = unit_series.fillna(unit_series.groupby(key.to_numpy()).transform("median"))
    unit_series = unit_series.fillna(unit_series.median() if unit_series.notna().any() else 0.0)
    dates = table[DATE].to_numpy("datetime64[D]")
    details = [c for c in CIRCUMSTANCE_COLUMNS if c != DATE] + list(PARTY_COLUMNS)
    codes = np.stack([pd.factorize(table[c].astype(str))[0] for c in details], axis=1).astype(np.int32)
    return SynthModel(
        table,
        levels,
        unit_series.to_numpy(float),
        (dates.min(), dates.max()),
        codes,
        len(CIRCUMSTANCE_COLUMNS) - 1,
    )


# --------------------------------------------------------------------------------------------- sampling
def _draw_in_group(level, anchors: np.ndarray, rng: np.random.Generator, exclude_anchor: bool) -> np.ndarray:
    """For each anchor row, a random row of the same group (another row when ``exclude_anchor``)."""
    group, order, start = level
    g = group[anchors]
    size = start[g + 1] - start[g]
    if not exclude_anchor:
        return order[start[g] + (rng.random(len(anchors)) * size).astype(np.int64)]
    # Draw among size-1 positions and step over the anchor's own position.
    position_of = np.empty(len(order), dtype=np.int64)
    position_of[order] = np.arange(len(order))
    anchor_pos = position_of[anchors] - start[g]
    pick = (rng.random(len(anchors)) * np.maximum(size - 1, 1)).astype(np.int64)
    pick = np.where(pick >= anchor_pos, pick + 1, pick)
    pick = np.minimum(pick, size - 1)
    return order[start[g] + pick]


def _draw_donors(
    model: SynthModel, anchors: np.ndarray, rng: np.random.Generator, min_group: int, first_level: int
) -> np.ndarray:
    """A donor row per anchor from the finest grouping level with at least ``min_group`` other rows."""
    donors = np.full(len(anchors), -1, dtype=np.int64)
    pending = np.ones(len(anchors), dtype=bool)
    for i, level in enumerate(model.levels):
        if i < first_level:
            continue
        group, _, start = level
        g = group[anchors]
        others = start[g + 1] - start[g] - 1
        last = i == len(model.levels) - 1
        use = pending & ((others >= min_group) | (last & (others >= 1)))
        if use.any():
            donors[use] = _draw_in_group(level, anchors[use], rng, exclude_anchor=True)
            pending &= ~use
    if pending.any():  # a one-row table: nothing else to draw from
        donors[pending] = anchors[pending]
    return donors


def _too_close(model: SynthModel, anchors: np.ndarray, circumstances, parties, min_differences: int) -> np.ndarray:
    """Rows whose details differ in fewer than ``min_differences`` columns from some real row of their goods key.

    The details are the circumstance columns but the date, and the parties: the columns a synthetic row does not
    take from its goods donor. A real row of another goods key differs from the synthetic row in a goods column
    already, so the check is local and cheap (about 25 comparisons per row on the public data).
    """
    if min_differences <= 0 or len(anchors) == 0:
        return np.zeros(len(anchors), dtype=bool)
    codes = model.detail_codes
    width = model.circumstance_width
    group, order, start = model.levels[0]
    close = np.zeros(len(anchors), dtype=bool)
    for first in range(0, len(anchors), CHECK_CHUNK):  # bounded memory for a million rows
        part = slice(first, first + CHECK_CHUNK)
        mine = np.concatenate([codes[circumstances[part], :width], codes[parties[part], width:]], axis=1)
        g = group[anchors[part]]
        size = start[g + 1] - start[g]
        row = np.repeat(np.arange(len(g)), size)
        offset = np.arange(size.sum()) - np.repeat(np.cumsum(size) - size, size)
        members = order[np.repeat(start[g], size) + offset]
        differences = (mine[row] != codes[members]).sum(axis=1)
        closest = np.full(len(g), codes.shape[1] + 1)
        np.minimum.at(closest, row, differences)
        close[part] = closest < min_differences
    return close


def _draw_plan(model: SynthModel, n: int, rng: np.random.Generator, params: dict) -> dict[str, np.ndarray]:
    """The real rows each synthetic row borrows from, and its random perturbations."""
    anchors = rng.integers(0, len(model.table), n)
    first = 0 if params["donor_key"] == "goods" else 1
    plan = {
        "anchors": anchors,
        "mass_rows": _draw_in_group(model.levels[0], anchors, rng, exclude_anchor=False),
        "circumstances": _draw_donors(model, anchors, rng, params["min_group"], first),
        "parties": _draw_donors(model, anchors, rng, params["min_group"], first),
        "mass_factor": np.exp(rng.normal(0.0, params["numeric_noise"], n)),
        "date_shift": rng.integers(-params["date_jitter_days"], params["date_jitter_days"] + 1, n),
    }
    # Rows too close to a real row draw their circumstances and parties again, from ever coarser donor groups.
    for attempt in range(MAX_REDRAWS):
        close = _too_close(model, anchors, plan["circumstances"], plan["parties"], params["min_differences"])
        if not close.any():
            break
        level = min(len(model.levels) - 1, first + 1 + attempt // 3)
        for key in ("circumstances", "parties"):
            plan[key][close] = _draw_donors(model, anchors[close], rng, params["min_group"], level)
    return plan


def _build_rows(model: SynthModel, plan: dict[str, np.ndarray]) -> pd.DataFrame:
    table = model.table
    out = {}
    for column in GOODS_COLUMNS:
        out[column] = table[column].to_numpy()[plan["anchors"]]
    for column in CIRCUMSTANCE_COLUMNS:
        out[column] = table[column].to_numpy()[plan["circumstances"]]
    for column in PARTY_COLUMNS:
        out[column] = table[column].to_numpy()[plan["parties"]]

    mass = table[NET_MASS].to_numpy(float)[plan["mass_rows"]]
    # Keep the source's precision (0.1 kg); a positive mass stays positive.
    noisy = np.where(mass > 0, np.maximum(np.round(mass * plan["mass_factor"], 1), 0.1), 0.0)
    out[NET_MASS] = noisy
    out[ITEM_PRICE] = np.round(noisy * model.unit_price[plan["mass_rows"]], 2)

    dates = out[DATE].astype("datetime64[D]")
    low, high = model.date_range
    moved = dates + plan["date_shift"].astype("timedelta64[D]")
    out[DATE] = pd.to_datetime(np.where((moved < low) | (moved > high), dates, moved))  # stay in the period
    frame = pd.DataFrame(out)
    frame[DECLARATION_ID] = ""
    return frame[list(COLUMNS)]


def _sample_rows(model: SynthModel, n: int, rng: np.random.Generator, params: dict) -> pd.DataFrame:
    return _build_rows(model, _draw_plan(model, n, rng, params))


def _fresh_declaration_ids(n: int, taken: set[str], rng: np.random.Generator) -> np.ndarray:
    if n > 80_000_000:
        raise EngineError("Too many rows asked.")
    chosen: list[str] = []
    seen = set(taken)
    while len(chosen) < n:
        for value in rng.integers(10_000_000, 100_000_000, 2 * (n - len(chosen)) + 16):
            text = str(int(value))
            if text not in seen:
                seen.add(text)
                chosen.append(text)
                if len(chosen) == n:
                    break
    return np.array(chosen, dtype=object)


def _pseudonymise(frame: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Replaces each distinct ID by a fresh random code of the same length (empty stays empty)."""
    alphabet = np.array(list(string.ascii_uppercase + string.digits))
    out = frame.copy()
    for column in ID_COLUMNS:
        values = out[column].astype(str)
        mapping: dict[str, str] = {"": ""}
        used: set[str] = set()
        for value in sorted(set(values) - {""}):
            while True:
                code = "".join(rng.choice(alphabet, len(value)))
                if code not in used and code != value:
                    used.add(code)
                    mapping[value] = code
                    break
        out[column] = values.map(mapping)
    return out


def generate(
    model: SynthModel,
    rows: int,
    *,
    seed: int,
    params: dict | None = None,
    progress: ProgressCallback | None = None,
    avoid: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """``rows`` synthetic declarations, before any ID pseudonymising.

    No row equals a learned row (or a row of ``avoid``, such as the holdout) on every column but the Declaration ID.
    """
    from algorithms.engines.synth_metrics import row_keys

    params = {**DEFAULT_PARAMS, **(params or {})}
    rng = np.random.default_rng(seed)
    parts = []
    for first in range(0, rows, GENERATE_CHUNK):  # bounded memory, and a chance to cancel between chunks
        if progress is not None and first:
            progress(30 + 10 * first // rows, f"generated {first:,} of {rows:,} rows")
        parts.append(_sample_rows(model, min(GENERATE_CHUNK, rows - first), rng, params))
    frame = pd.concat(parts, ignore_index=True)
    real_keys = set(row_keys(model.table))
    if avoid is not None:
        real_keys |= set(row_keys(avoid))
    for attempt in range(MAX_REDRAWS):
        copies = row_keys(frame).isin(real_keys).to_numpy()
        if not copies.any():
            break
        if progress is not None:
            progress(min(45, 40 + attempt), f"drawing again {int(copies.sum())} rows equal to a real row")
        frame.loc[copies] = _sample_rows(model, int(copies.sum()), rng, params).set_index(frame.index[copies])
    else:
        copies = row_keys(frame).isin(real_keys).to_numpy()
        if copies.any():
            raise EngineError("The dataset is too small or too uniform to generate rows that are not copies.")
    taken = set(model.table[DECLARATION_ID]) | (set() if avoid is None else set(avoid[DECLARATION_ID]))
    frame[DECLARATION_ID] = _fresh_declaration_ids(rows, taken, rng)
    return frame.reset_index(drop=True)


# --------------------------------------------------------------------------------------------- the engine
def _checked_params(params: dict, rows: int) -> dict:
    unknown = set(params) - set(DEFAULT_PARAMS)
    if unknown:
        raise EngineError("Unknown parameters: " + ", ".join(sorted(unknown)) + ".")
    merged = {**DEFAULT_PARAMS, **params}
    if not isinstance(rows, int) or not 1 <= rows <= MAX_ROWS:
        raise EngineError(f"The number of rows must be between 1 and {MAX_ROWS:,}.")
    try:
        merged["holdout_fraction"] = float(merged["holdout_fraction"])
        merged["numeric_noise"] = float(merged["numeric_noise"])
        merged["date_jitter_days"] = int(merged["date_jitter_days"])
        merged["min_group"] = int(merged["min_group"])
        merged["min_differences"] = int(merged["min_differences"])
    except (TypeError, ValueError):
        raise EngineError("A parameter has a value of the wrong type.")
    if not 0.0 <= merged["holdout_fraction"] <= 0.5:
        raise EngineError("holdout_fraction must be between 0 and 0.5.")
    if not 0.0 <= merged["numeric_noise"] <= 1.0:
        raise EngineError("numeric_noise must be between 0 and 1.")
    if not 0 <= merged["date_jitter_days"] <= 60:
        raise EngineError("date_jitter_days must be between 0 and 60.")
    if not 1 <= merged["min_group"] <= 100:
        raise EngineError("min_group must be between 1 and 100.")
    if not 0 <= merged["min_differences"] <= 6:
        raise EngineError("min_differences must be between 0 and 6.")
    if merged["donor_key"] not in ("goods", "hs6"):
        raise EngineError('donor_key must be "goods" or "hs6".')
    merged["pseudonymise_ids"] = bool(merged["pseudonymise_ids"])
    return merged


def split_holdout(frame: pd.DataFrame, fraction: float, seed: int) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """A random holdout (stratified by the fraud label) kept out of learning; ``None`` when ``fraction`` is 0."""
    if fraction <= 0:
        return frame, None
    rng = np.random.default_rng([seed, 1])
    held = np.zeros(len(frame), dtype=bool)
    for label in np.unique(frame[FRAUD]):
        rows = np.flatnonzero(frame[FRAUD].to_numpy() == label)
        held[rng.choice(rows, round(len(rows) * fraction), replace=False)] = True
    return frame[~held].reset_index(drop=True), frame[held].reset_index(drop=True)


def train_and_generate(
    dataset_csv: Path, *, workdir: Path, seed: int, rows: int, progress: ProgressCallback, params: dict
) -> EngineResult:
    """Learns ``dataset_csv`` and writes ``rows`` synthetic declarations and a report of metrics into ``workdir``."""
    from algorithms.engines.synth_metrics import evaluate

    started = time.perf_counter()
    params = _checked_params(dict(params or {}), rows)
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)

    progress(2, "reading the dataset")
    frame = load_dataset(Path(dataset_csv))
    labelled = is_labelled(dataset_columns(Path(dataset_csv)))
    learn, holdout = split_holdout(frame, params["holdout_fraction"], seed)
    if len(learn) < MIN_LEARNING_ROWS:
        raise EngineError(
            f"The dataset has too few rows to learn from: {len(learn)} after the holdout, "
            f"at least {MIN_LEARNING_ROWS} are needed."
        )

    progress(10, "learning the dataset")
    model = fit(learn)
    learned_at = time.perf_counter()

    progress(30, "generating synthetic declarations")
    synthetic = generate(model, rows, seed=seed, params=params, progress=progress, avoid=frame)
    generated_at = time.perf_counter()

    def metrics_progress(percent: int, stage: str) -> None:
        progress(50 + percent * 45 // 100, stage)

    rng = np.random.default_rng([seed, 2])
    measured = synthetic
    if len(synthetic) > METRICS_MAX_ROWS:
        measured = synthetic.iloc[np.sort(rng.choice(len(synthetic), METRICS_MAX_ROWS, replace=False))]
    metrics = evaluate(learn, measured, holdout, seed=seed, labelled=labelled, progress=metrics_progress)

    progress(96, "writing the synthetic CSV")
    if params["pseudonymise_ids"]:
        synthetic = _pseudonymise(synthetic, np.random.default_rng([seed, 3]))
    synthetic_path = workdir / "synthetic.csv"
    write_layout_csv(synthetic, synthetic_path, labelled=labelled)
    finished = time.perf_counter()

    metrics.update(
        {
            "rows_learned": len(learn),
            "rows_holdout": 0 if holdout is None else len(holdout),
            "rows_generated": len(synthetic),
            "rows_measured": len(measured),
            "seconds_learning": round(learned_at - started, 2),
            "seconds_generating": round(generated_at - learned_at, 2),
            "seconds_total": round(finished - started, 2),
            "params": params,
            "seed": seed,
            "labelled": labelled,
            "method": "conditional hot-deck sampler (goods key, perturbed mass, donor rows for the other columns)",
        }
    )
    report_path = workdir / "report.json"
    report_path.write_text(json.dumps(metrics, indent=2, sort_keys=True), encoding="utf-8")
    summary = (
        f"Generated {len(synthetic):,} synthetic declarations from {len(learn):,} learned rows in "
        f"{metrics['seconds_total']:.1f} s; column shapes {metrics['column_shapes']:.3f}, pair trends "
        f"{metrics['pair_trends']:.3f}, detection {metrics['detection']:.3f}, exact copies {metrics['exact_copies']}"
    )
    if "utility" in metrics:
        summary += f", utility {metrics['utility']:.3f}"
    if "dcr_synthetic_median" in metrics:
        summary += f", DCR median {metrics['dcr_synthetic_median']:.3f} (holdout {metrics['dcr_holdout_median']:.3f})"
    if "utility" not in metrics:
        summary += "; utility not measured (it needs a holdout and the Fraud label with frauds and non-frauds)"
    if "dcr_synthetic_median" not in metrics:
        summary += "; privacy against a holdout not measured (holdout_fraction is 0)"
    progress(100, "done")
    return EngineResult(
        metrics=metrics, artifacts={"synthetic": synthetic_path, "report": report_path}, summary=summary + "."
    )
