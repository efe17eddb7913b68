"""Learning a table (``fit``) and drawing a synthetic one from it (``generate``)."""

from __future__ import annotations

import string

import numpy as np
import pandas as pd

from algorithms.declarations import (
    COLUMNS,
    DATE,
    DECLARATION_ID,
    FRAUD,
    HS6_CODE,
    ITEM_PRICE,
    NET_MASS,
)
from algorithms.engines.base import EngineError, ProgressCallback

from .data import (
    CHECK_CHUNK,
    CIRCUMSTANCE_COLUMNS,
    DEFAULT_PARAMS,
    GENERATE_CHUNK,
    GOODS_COLUMNS,
    ID_COLUMNS,
    MAX_REDRAWS,
    PARTY_COLUMNS,
    SynthModel,
)


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
