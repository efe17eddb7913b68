"""Loads the shipped reference data (regions and WCO Members) into the database.

Written against model classes passed in, so the data migration (historical models) and the
``load_wco_members`` command (through ``services.reference_data_sync``) share one implementation.
"""

import csv
from dataclasses import dataclass, field
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
MEMBERS_FILE = DATA_DIR / "wco_members.csv"
REGIONS_FILE = DATA_DIR / "wco_regions.csv"


@dataclass
class SyncResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0


def read_csv(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV file whose leading ``#`` lines are provenance notes."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def sync(region_model, administration_model, *, members_file: Path, regions_file: Path) -> SyncResult:
    """Create or update rows matched by code; never deletes or retires (staff do that in the admin)."""
    regions = {}
    for order, row in enumerate(read_csv(regions_file)):
        region, _created = region_model.objects.update_or_create(
            code=row["code"], defaults={"name_en": row["name_en"], "name_fr": row["name_fr"], "sort_order": order}
        )
        regions[region.code] = region
    existing = {administration.code: administration for administration in administration_model.objects.all()}
    result = SyncResult()
    for row in read_csv(members_file):
        values = {
            "iso_alpha2": row["iso_alpha2"],
            "iso_alpha3": row["iso_alpha3"],
            "iso_numeric": row["iso_numeric"],
            "name_en": row["name_en"],
            "name_fr": row["name_fr"],
            "region": regions[row["region"]],
            "kind": row["kind"],
            "joined_year": int(row["joined"]) if row.get("joined") else None,
        }
        administration = existing.get(row["code"])
        if administration is None:
            administration_model.objects.create(code=row["code"], **values)
            result.created.append(row["code"])
            continue
        changed = [name for name, value in values.items() if getattr(administration, name) != value]
        if changed:
            for name in changed:
                setattr(administration, name, values[name])
            administration.save()
            result.updated.append(row["code"])
        else:
            result.unchanged += 1
    return result
