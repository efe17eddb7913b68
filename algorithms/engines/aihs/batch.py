"""Batch classification (issue 13): a CSV of goods descriptions (a week's declarations, say), with an optional
declared HS code, gets back the five best HS6 codes with their probabilities and bands, and a flag where the
declared code is not among them (a misclassification screen).

Plain Python (no Django). The columns are named by the caller or found by their usual names (``description``,
``goods description``, ``designation``...; ``declared_code``, ``hs_code``, ``HS6 Code``...). A row without a
description, or whose declared code is not an HS 2022 subheading, is kept and flagged, not refused: the file was
already checked when it was uploaded (``algorithms.validation``).

The result file is meant to be opened in a spreadsheet: a cell that a spreadsheet would run as a formula is
neutralised as in every CSV the portal writes (``bacuda_portal.core.csv_cells``).
"""

from __future__ import annotations

import csv
import re
import time
from collections import Counter
from pathlib import Path

from bacuda_portal.core.csv_cells import safe_cell

from ..base import EngineError, EngineResult, ProgressCallback
from . import calibration
from .model import nomenclature

TOP_K = 5
CHUNK = 64  # descriptions scored together (the sentence encoder works in batches)
DESCRIPTION_NAMES = ("description", "goods description", "description of goods", "item description",
                     "commercial description", "goods", "designation", "désignation", "designation of goods",
                     "désignation des marchandises", "libellé", "libelle")  # fmt: skip
CODE_NAMES = ("declared code", "declared hs code", "declared hs", "hs code", "hscode", "hs6 code", "hs6", "hs",
              "tariff code", "commodity code", "code sh", "code")  # fmt: skip
FLAG_NOT_IN_TOP = "declared code not among the top 5"
FLAG_UNKNOWN_CODE = "declared code is not an HS 2022 subheading"
FLAG_NO_DESCRIPTION = "no description"
OUTPUT_HEADER = ("row", "description", "declared_code",
                 *(f"{name}_{i}" for i in range(1, TOP_K + 1) for name in ("code", "probability")),
                 "band", "too_vague", "declared_rank", "flag")  # fmt: skip


def _key(name: str) -> str:
    return re.sub(r"[\s_\-.]+", " ", str(name).strip().lower()).strip()


def find_column(header: list[str], chosen: str | None, usual: tuple[str, ...]) -> str | None:
    """The header's name of the column ``chosen`` (compared without case, spaces or underscores), or, when none
    is chosen, of the first usual name found. None when there is no such column."""
    keys = {_key(name): name for name in reversed(header)}  # the first of two columns with the same key wins
    if chosen:
        return keys.get(_key(chosen))
    for name in usual:
        if name in keys:
            return keys[name]
    return None


def read_header(handle) -> list[str]:
    """The header row of a CSV file opened in binary mode (UTF-8, with or without a byte-order mark)."""
    first = handle.readline(1024 * 1024)
    try:
        text = first.decode("utf-8-sig")
    except UnicodeDecodeError:
        return []
    return next(csv.reader([text]), [])


def _declared(value: str) -> str:
    return re.sub(r"[\s.]", "", value or "")


def run_batch(
    suggester,
    descriptions_csv: Path,
    *,
    workdir: Path,
    seed: int,
    progress: ProgressCallback,
    params: dict,
) -> EngineResult:
    """Classify every row of ``descriptions_csv`` with ``suggester`` (anything with ``suggest``; ``suggest_many``
    is used when it has it) and write ``suggestions.csv``. ``params``: ``description_column`` and
    ``code_column``, each found by its usual names when not given. Lets JobCancelled (raised by ``progress``)
    propagate."""
    options = dict(params or {})
    unknown = sorted(set(options) - {"description_column", "code_column"})
    if unknown:
        raise EngineError(f"Unknown parameter(s) for AI-HS batch classification: {', '.join(unknown)}.")
    started = time.perf_counter()
    path = Path(descriptions_csv)
    progress(1, "Reading the descriptions")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        total = sum(1 for row in reader if any(cell.strip() for cell in row))
    description_column = find_column(header, options.get("description_column"), DESCRIPTION_NAMES)
    if description_column is None:
        raise EngineError(f"No column of goods descriptions (columns: {', '.join(header) or 'none'}).")
    code_column = find_column(header, options.get("code_column") or None, CODE_NAMES)
    if options.get("code_column") and code_column is None:
        raise EngineError(f"No column {options['code_column']!r} (columns: {', '.join(header)}).")
    valid = set(nomenclature().codes)
    counts: Counter = Counter()
    out = Path(workdir) / "suggestions.csv"
    batch = getattr(suggester, "suggest_many", None)
    with path.open(encoding="utf-8-sig", newline="") as source, out.open("w", encoding="utf-8", newline="") as target:
        writer = csv.writer(target, lineterminator="\n")
        writer.writerow(OUTPUT_HEADER)
        rows = csv.DictReader(source)
        pending: list[tuple[int, dict]] = []
        done = 0
        for line, row in enumerate(rows, start=2):
            if not any((value or "").strip() for value in row.values() if isinstance(value, str)):
                continue
            pending.append((line, row))
            if len(pending) == CHUNK:
                done += _classify(pending, suggester, batch, description_column, code_column, valid, writer, counts)
                pending = []
                progress(2 + int(96 * done / max(total, 1)), f"Classified {done:,} of {total:,} descriptions")
        done += _classify(pending, suggester, batch, description_column, code_column, valid, writer, counts)
    seconds = time.perf_counter() - started
    metrics = {
        "seed": seed,
        "rows": done,
        "description_column": description_column,
        "code_column": code_column or "",
        "with_declared_code": counts["declared"],
        "declared_first": counts["declared_first"],
        "declared_in_top5": counts["declared_in_top"],
        "flagged_not_in_top5": counts[FLAG_NOT_IN_TOP],
        "flagged_unknown_declared_code": counts[FLAG_UNKNOWN_CODE],
        "no_description": counts[FLAG_NO_DESCRIPTION],
        "too_vague": counts["too_vague"],
        "bands": {name: counts[f"band_{name}"] for _low, name in calibration.BANDS},
        "seconds": round(seconds, 2),
        "ms_per_row": round(1000 * seconds / max(done, 1), 1),
    }
    summary = f"AI-HS batch: {done:,} descriptions classified"
    if code_column:
        summary += (
            f"; {counts['declared']:,} with a declared code, {counts[FLAG_NOT_IN_TOP]:,} of them not among the top "
            f"{TOP_K} and {counts[FLAG_UNKNOWN_CODE]:,} not an HS 2022 subheading"
        )
    progress(100, "Done")
    return EngineResult(metrics=metrics, artifacts={"suggestions": out}, summary=summary + ".")


def _classify(pending, suggester, batch, description_column, code_column, valid, writer, counts) -> int:
    descriptions = [(row.get(description_column) or "").strip() for _line, row in pending]
    if batch is not None:
        answers = batch(descriptions, TOP_K)
    else:
        answers = [suggester.suggest(description, TOP_K) if description else [] for description in descriptions]
    for (line, row), description, suggestions in zip(pending, descriptions, answers, strict=True):
        declared = _declared(row.get(code_column) or "") if code_column else ""
        codes = [str(item["code"]) for item in suggestions[:TOP_K]]
        top = float(suggestions[0]["confidence"]) if suggestions else 0.0
        vague = calibration.too_vague(suggestions)
        band = calibration.band(top) if suggestions else ""
        rank = ""
        flag = ""
        if not description:
            flag = FLAG_NO_DESCRIPTION
        if declared:
            counts["declared"] += 1
            if declared[:6] not in valid or not declared.isdigit() or len(declared) < 6:
                flag = flag or FLAG_UNKNOWN_CODE
            elif declared[:6] in codes:
                rank = codes.index(declared[:6]) + 1
                counts["declared_in_top"] += 1
                counts["declared_first"] += rank == 1
            elif description:
                flag = FLAG_NOT_IN_TOP
        counts[flag] += bool(flag)
        counts["too_vague"] += vague and bool(description)
        counts[f"band_{band}"] += bool(band)
        cells = [line, description, row.get(code_column, "") if code_column else ""]
        for i in range(TOP_K):
            item = suggestions[i] if i < len(suggestions) else None
            cells += [item["code"], f"{float(item['confidence']):.4f}"] if item else ["", ""]
        cells += [band, "yes" if vague and description else "no", rank, flag]
        writer.writerow([safe_cell(cell) for cell in cells])
    return len(pending)


def classify_batch(
    model_path: Path | None,
    descriptions_csv: Path,
    *,
    workdir: Path,
    seed: int,
    progress: ProgressCallback,
    params: dict,
) -> EngineResult:
    """The job's engine function: the model in ``model_path`` (None: the nomenclature-only default model)."""
    from . import default_model
    from .engine import load

    progress(0, "Loading the model")
    suggester = load(model_path) if model_path is not None else default_model()
    return run_batch(suggester, descriptions_csv, workdir=workdir, seed=seed, progress=progress, params=params)
