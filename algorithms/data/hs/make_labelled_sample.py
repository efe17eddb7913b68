"""Regenerate labelled_sample.csv from labelled_phrases.csv (seeded templates; see README.md).

.venv/bin/python algorithms/data/hs/make_labelled_sample.py
"""

import csv
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 2022
VARIANTS = 4
COUNTRIES = ["China", "India", "Turkey", "Brazil", "Viet Nam", "Thailand", "Kenya", "South Africa", "UAE", "Germany"]
QUALITIES = ["grade A", "assorted", "new", "premium quality", "export quality", "first quality", "standard"]
PACKING = ["in cartons", "packed in bags", "on pallets", "x 100 pcs", "1 lot", "as per proforma invoice"]
TEMPLATES = [
    "{p}",
    "{P}",
    "{p}, origin {country}",
    "{q} {p}",
    "{p} {pack}",
    "{P} - {q}",
    "{p} ({country})",
    "{q} {p} {pack}",
]


def main() -> None:
    rng = random.Random(SEED)  # noqa: S311 (a seeded, reproducible split)
    with (HERE / "labelled_phrases.csv").open(encoding="utf-8", newline="") as handle:
        phrases = list(csv.DictReader(handle))
    rows = []
    for row in phrases:
        for template in rng.sample(TEMPLATES, VARIANTS):
            text = template.format(
                p=row["phrase"],
                P=row["phrase"].upper(),
                country=rng.choice(COUNTRIES),
                q=rng.choice(QUALITIES),
                pack=rng.choice(PACKING),
            )
            rows.append((text, row["hs_code"]))
    rng.shuffle(rows)
    with (HERE / "labelled_sample.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["description", "hs_code"])
        writer.writerows(rows)
    print(f"{len(rows)} rows from {len(phrases)} phrases")


if __name__ == "__main__":
    main()
