"""Real labelled goods descriptions for measuring AI-HS: descriptions written by traders or customs authorities, with
the code a customs authority assigned (never text this project wrote).

A real set is a CSV with the columns ``description``, ``hs_code`` (6 to 12 digits; the first six are an HS 2022
subheading), ``kind`` (``technical`` for descriptions from rulings, ``title`` for short commercial titles),
``source`` (the set's name, e.g. ``hmrc-atar``) and ``group`` (the source document, e.g. a ruling number). The
files live in ``BACUDA_AIHS_REAL_DATA_DIR`` (environment) or ``algorithms/data/hs/real/``; each source folder
carries its licence and a PROVENANCE.md (see ``algorithms/data/hs/README.md``).

Independence: the test and validation splits of the ATLAS set of CBP CROSS rulings and the HSCodeComp test set are
kept for an independent check of this project; a file whose ``source`` names them is refused here, so no figure,
weight or temperature can come from them.

Splits are by group, never by row: every description of the same HS6 subheading falls in the same split (two
rulings on the same goods are near-duplicates), chosen by a hash of the subheading, so the split does not change
when rows are added. ``validation`` chooses weights and the temperature; ``test`` is reported.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from .text import DATA_DIR

KINDS = {
    "technical": "technical descriptions (rulings)",
    "title": "short commercial titles and parcel declaration lines",
}
FRENCH = "descriptions in French (rulings), read through the EU's parallel tariff texts"
REFUSED_SOURCES = re.compile(r"(atlas.*(test|valid))|hscodecomp", re.IGNORECASE)
_CODE = re.compile(r"^\d{6,12}$")


@dataclass(frozen=True)
class RealExample:
    description: str
    code: str  # HS6
    kind: str
    source: str
    group: str

    @property
    def split(self) -> str:
        digest = hashlib.sha256(f"aihs-split:{self.code}".encode()).digest()
        return "validation" if digest[0] % 2 == 0 else "test"


def data_dir() -> Path:
    return Path(os.environ.get("BACUDA_AIHS_REAL_DATA_DIR") or (DATA_DIR / "real"))


def normalised(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def read_real_csv(path: Path, valid_codes: set[str]) -> list[RealExample]:
    """The usable rows of one real set (rows whose code is not an HS 2022 subheading are skipped)."""
    out = []
    with Path(path).open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            source = (row.get("source") or Path(path).stem).strip()
            if REFUSED_SOURCES.search(source):
                raise ValueError(f"{path}: the source {source!r} is kept for the independent check; do not use it.")
            code = re.sub(r"[\s.]", "", row.get("hs_code") or "")
            description = (row.get("description") or "").strip()
            kind = (row.get("kind") or "technical").strip()
            if not description or not _CODE.match(code) or code[:6] not in valid_codes or kind not in KINDS:
                continue
            out.append(RealExample(description, code[:6], kind, source, (row.get("group") or "").strip()))
    return out


def real_examples(valid_codes: set[str], split: str | None = None, root: Path | None = None) -> list[RealExample]:
    """Every real example found (one CSV per source, in sub-folders too), deduplicated by normalised text (the
    first occurrence is kept), optionally restricted to one split."""
    root = Path(root) if root else data_dir()
    if not root.is_dir():
        return []
    seen: set[str] = set()
    out = []
    for path in sorted(root.rglob("*.csv")):
        for example in read_real_csv(path, valid_codes):
            key = normalised(example.description)
            if key in seen:
                continue
            seen.add(key)
            if split is None or example.split == split:
                out.append(example)
    return out


def by_kind(examples: list[RealExample], is_french=None) -> dict[str, list[RealExample]]:
    """The examples of each kind of text that has any, descriptions in French (``is_french``) apart as ``french``:
    a model reads them differently, and their figures should not hide in the English ones."""
    groups: dict[str, list[RealExample]] = {}
    for example in examples:
        kind = "french" if is_french is not None and is_french(example.description) else example.kind
        groups.setdefault(kind, []).append(example)
    return {kind: groups[kind] for kind in (*KINDS, "french") if kind in groups}


def sources(examples: list[RealExample]) -> list[str]:
    return sorted({e.source for e in examples})
