"""Which column of an administration's declarations file is which field of the portal's layout.

Every administration's extract has its own column names ("N° déclaration", "HS10 Code", "Poids net"...) and its own
extra columns. ``suggest`` proposes, for each field of the layout (``declarations.COLUMNS``), one of the file's
columns: the administration's saved mapping first (where that column is in the file), then the same name ignoring
case, spaces, underscores and accents, then the English and French names in ``SYNONYMS``, then the closest name
(``difflib``, ratio >= ``FUZZY_AT_LEAST``). A file is taken without asking when every field is found by its own name
or, for the tariff code, by a usual tariff-code name (HS10 Code, Tariff Code...), and nothing else is in it; else the
user confirms the mapping on the upload's mapping step (``check`` says what is wrong with one).

Columns the mapping does not use are kept as extra columns of the stored dataset (see ``extra_columns.py``).
"""

import difflib
import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .declarations import COLUMNS, HS6_CODE, LABEL_COLUMNS, TARIFF_CODE

FUZZY_AT_LEAST = 0.8
REQUIRED = tuple(column for column in COLUMNS if column not in LABEL_COLUMNS)

# The usual names of each field, English and French (compared after ``normalised``).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "Declaration ID": ("declaration", "declaration number", "declaration no", "declaration nr", "decl id", "decl no",
                       "numero de declaration", "no declaration", "n declaration", "id declaration",
                       "reference declaration", "declaration reference"),
    "Date": ("declaration date", "date of declaration", "acceptance date", "date de declaration",
             "date d enregistrement", "registration date"),
    "Office ID": ("office", "customs office", "office code", "bureau", "bureau de douane", "code bureau",
                  "bureau id"),
    "Process Type": ("process", "procedure", "procedure type", "customs procedure", "type de procedure", "regime",
                     "regime douanier"),
    "Import Type": ("type of import", "type d importation", "type importation"),
    "Import Use": ("use", "import purpose", "usage", "utilisation", "usage import"),
    "Payment Type": ("payment", "payment method", "mode de paiement", "type de paiement"),
    "Mode of Transport": ("transport mode", "transport", "mode de transport", "moyen de transport"),
    "Declarant ID": ("declarant", "declarant code", "broker", "customs broker", "code declarant", "declarant id"),
    "Importer ID": ("importer", "importer code", "consignee", "importateur", "code importateur", "destinataire"),
    "Seller ID": ("seller", "supplier", "exporter", "vendeur", "fournisseur", "exportateur", "code fournisseur"),
    "Courier ID": ("courier", "express carrier", "coursier", "transporteur express"),
    HS6_CODE: ("hs code", "hs6", "hs8", "hs10", "hs8 code", "hs10 code", "hs 6", "hs 8", "hs 10", "tariff code",
               "tariff line", "tariff number", "commodity code", "commodity", "national tariff code", "cn code",
               "code sh", "sh6", "sh8", "sh10", "code tarifaire", "position tarifaire", "ligne tarifaire",
               "nomenclature", "code marchandise", "code nc"),
    "Country of Departure": ("departure country", "country of export", "export country", "country of dispatch",
                             "dispatch country", "pays de provenance", "pays d expedition", "pays de depart",
                             "provenance"),
    "Country of Origin": ("origin", "origin country", "pays d origine", "origine"),
    "Tax Rate": ("duty rate", "rate", "rate of duty", "taux", "taux de droit", "taux de taxe", "taux droit"),
    "Tax Type": ("duty type", "type of tax", "type de taxe", "type de droit"),
    "Country of Origin Indicator": ("origin indicator", "preferential origin", "indicateur d origine",
                                    "indicateur origine"),
    "Net Mass": ("net weight", "weight", "mass", "poids net", "masse nette", "poids"),
    "Item Price": ("price", "value", "customs value", "item value", "invoice value", "valeur", "valeur en douane",
                   "prix", "valeur article"),
    "Fraud": ("fraud label", "offence", "infringement", "fraude", "infraction"),
    "Critical Fraud": ("critical", "serious fraud", "fraude critique", "fraude grave"),
}  # fmt: skip

# How a suggestion was found, strongest first.
SAVED, SAME_NAME, SYNONYM, FUZZY = "saved", "same_name", "synonym", "fuzzy"


def normalised(name: str) -> str:
    """A column name compared without case, accents, spaces, underscores or punctuation ("N°_Déclaration" ->
    "n declaration")."""
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def _squeezed(name: str) -> str:
    return normalised(name).replace(" ", "")


@dataclass
class Suggestion:
    mapping: dict[str, str]  # field -> the file's column
    how: dict[str, str]  # field -> SAVED, SAME_NAME, SYNONYM or FUZZY
    extra: list[str] = field(default_factory=list)  # the file's columns no field uses, in file order

    @property
    def automatic(self) -> bool:
        """The file can be taken without asking: every required field found by its own name or, for the code, a
        usual tariff-code name; labels both or neither; no extra column."""
        if any(f not in self.mapping for f in REQUIRED) or self.extra:
            return False
        if sum(f in self.mapping for f in LABEL_COLUMNS) == 1:
            return False
        return all(
            how == SAME_NAME or (f == HS6_CODE and how == SYNONYM and _is_code_name(self.mapping[f]))
            for f, how in self.how.items()
        )


def _is_code_name(column: str) -> bool:
    return normalised(column) in {normalised(name) for name in SYNONYMS[HS6_CODE]}


def suggest(header: list[str], saved: dict[str, str] | None = None) -> Suggestion:
    """A column for each field where one is found (see the module's docstring for the order); each column once."""
    columns = [column for column in header if column]
    mapping: dict[str, str] = {}
    how: dict[str, str] = {}
    used: set[str] = set()

    def take(field_name: str, column: str, kind: str) -> None:
        mapping[field_name], how[field_name] = column, kind
        used.add(column)

    for field_name, column in (saved or {}).items():
        if field_name in COLUMNS and column in columns and column not in used and field_name not in mapping:
            take(field_name, column, SAVED)
    by_name = {}
    for column in columns:
        by_name.setdefault(_squeezed(column), column)
    for field_name in COLUMNS:
        column = by_name.get(_squeezed(field_name))
        if field_name not in mapping and column is not None and column not in used:
            take(field_name, column, SAME_NAME)
    for field_name in COLUMNS:
        if field_name in mapping:
            continue
        names = {_squeezed(name) for name in SYNONYMS.get(field_name, ())}
        for column in columns:
            if column not in used and _squeezed(column) in names:
                take(field_name, column, SYNONYM)
                break
    candidates = []
    for field_name in COLUMNS:
        if field_name in mapping:
            continue
        names = [normalised(field_name), *(normalised(name) for name in SYNONYMS.get(field_name, ()))]
        for column in columns:
            if column in used:
                continue
            score = max(difflib.SequenceMatcher(None, normalised(column), name).ratio() for name in names)
            if score >= FUZZY_AT_LEAST:
                candidates.append((score, field_name, column))
    for _score, field_name, column in sorted(candidates, key=lambda c: (-c[0], COLUMNS.index(c[1]), c[2])):
        if field_name not in mapping and column not in used:
            take(field_name, column, FUZZY)
    return Suggestion(mapping=mapping, how=how, extra=[column for column in columns if column not in used])


def mappable(header: list[str]) -> bool:
    """Whether a mapping step can help: distinct, named columns, at least as many as the required fields."""
    named = [column for column in header if column]
    return len(named) == len(header) and len(set(named)) == len(named) and len(named) >= len(REQUIRED)


def check(header: list[str], mapping: object) -> dict[str, str]:
    """What is wrong with a mapping the user gave, by field ("" for the mapping as a whole); {} when it is usable.
    A usable mapping is an object of field -> one of the file's columns, every required field given, each column
    once, both label fields or neither, and no extra column with a name the stored layout uses."""
    if not isinstance(mapping, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()):
        return {"": _("Give the mapping as an object of field name to column name.")}
    errors: dict[str, str] = {}
    unknown = sorted(key for key in mapping if key not in COLUMNS)
    if unknown:
        errors[""] = _("Unknown fields: %(fields)s.") % {"fields": ", ".join(unknown)[:300]}
    given = {key: value for key, value in mapping.items() if key in COLUMNS and value}
    for field_name, column in given.items():
        if column not in header:
            errors[field_name] = _("There is no column “%(name)s” in the file.") % {"name": column[:100]}
    for field_name in REQUIRED:
        if field_name not in given:
            errors.setdefault(field_name, _("Choose the file's column for this field."))
    seen: dict[str, str] = {}
    for field_name, column in given.items():
        if column in seen:
            errors.setdefault(
                field_name, _("The column “%(name)s” is already used for %(field)s.") % {"name": column[:100],
                                                                                         "field": seen[column]}
            )  # fmt: skip
        seen.setdefault(column, field_name)
    if sum(field_name in given for field_name in LABEL_COLUMNS) == 1:
        for field_name in LABEL_COLUMNS:
            errors.setdefault(field_name, _("Fraud and Critical Fraud go together: map both or neither."))
    written = {*COLUMNS, TARIFF_CODE}
    clashing = sorted(column for column in header if column in written and column not in given.values())
    if clashing:
        errors.setdefault(
            "",
            _("The columns %(columns)s are not mapped, and their names are those of the stored layout: map them or "
              "rename them in the file.") % {"columns": ", ".join(clashing)[:300]},
        )  # fmt: skip
    return errors
