"""Text normalisation for goods descriptions and nomenclature texts (no external models).

A light English stemmer (plurals only), a stop-word list that also drops the nomenclature's filler words, and the
trade-vocabulary lexicon (``algorithms/data/hs/lexicon.csv``) that maps the words traders write ("laptop",
"t-shirt") to the words the nomenclature uses ("portable automatic data processing machines", "T-shirts").
"""

from __future__ import annotations

import csv
import itertools
import re
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent.parent / "data" / "hs"

_STOP = """
    a an and are as at be by for from in into is it its of on or than that the their this to with without
    whether not other others otherwise nec n.e.c kind kinds used use heading headings item items subheading no
    nos chapter including excluding exceeding excluded such similar thereof therefor therewith those which whose
    any all also but both each either less more only same so etc eg ie per some made up put presented form forms
    type types containing contain consist consisting mainly solely wholly partly chiefly new pcs pc piece pieces
    set sets assorted brand model quality grade bulk carton cartons ctn ctns pack packs packed packing bag bags
    kg kgs gram grams g mt ton tons tonne tonnes litre litres liter liters l ml cm mm inch inches size sizes
    colour colours color colors
"""
STOP_WORDS = frozenset(_STOP.split())
# Words we keep even though they look like filler: they decide between subheadings.
KEEP_WORDS = frozenset({"bag", "bags", "packing", "carton", "cartons", "new", "used", "set", "sets"})

_IRREGULAR = {
    "shoes": "shoe",
    "toes": "toe",
    "canoes": "canoe",
    "buses": "bus",
    "knives": "knife",
    "leaves": "leaf",
    "halves": "half",
    "loaves": "loaf",
    "wolves": "wolf",
    "men": "man",
    "women": "woman",
    "children": "child",
    "teeth": "tooth",
    "geese": "goose",
    "mice": "mouse",
    "oxen": "ox",
    "dice": "die",
    "series": "series",
    "species": "species",
    "glasses": "glass",
    "gas": "gas",
    "gases": "gas",
    "mangoes": "mango",
    "potatoes": "potato",
    "tomatoes": "tomato",
    "boxes": "box",
    "tyres": "tyre",
    "tires": "tyre",
    "tire": "tyre",
    "aluminum": "aluminium",
    "fertilizer": "fertiliser",
    "fertilizers": "fertiliser",
    "jewelry": "jewellery",
    "yoghurt": "yogurt",
    "colour": "color",
    "sulfuric": "sulphuric",
    "sulfate": "sulphate",
    "galvanized": "galvanised",
}

_TOKEN_RE = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Reduce a lower-case word to a singular-ish stem (plurals and possessives only)."""
    word = word.replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    word = word.rstrip("'")
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if len(word) <= 3:
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("sses") or word.endswith(("xes", "zes", "ches", "shes")):
        return word[:-2]
    if word.endswith("oes"):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def tokens(text: str) -> list[str]:
    """Stemmed content tokens of ``text``: lower-cased, no stop words, no numbers or measures (``1500cc``)."""
    out = []
    for raw in _TOKEN_RE.findall(text.lower().replace("-", " ")):
        if raw[0].isdigit():
            continue
        if raw in STOP_WORDS and raw not in KEEP_WORDS:
            continue
        word = stem(raw)
        if len(word) < 2 or (word in STOP_WORDS and word not in KEEP_WORDS):
            continue
        out.append(word)
    return out


def analyzer(text: str) -> list[str]:
    """Word unigrams and bigrams of the stemmed content tokens (for scikit-learn's vectorizers)."""
    return grams(tokens(text))


def grams(toks: list[str]) -> list[str]:
    """Unigrams and bigrams of a token list."""
    return toks + [f"{a} {b}" for a, b in itertools.pairwise(toks)]


def identity(value):
    """An analyzer for already-analysed documents (module level, so vectorizers stay picklable)."""
    return value


def char_text(text: str) -> str:
    """The text the character n-gram model reads: stemmed content tokens joined by spaces."""
    return " ".join(tokens(text))


_NEGATION_RE = re.compile(
    r"\((?:excluding|excl\.|other than|not including|except|not)[^()]*\)|"
    r"\b(?:other than|otherwise than|excluding|not including|except)\b[^;,()]*|\bexcl\.[^;,()]*|"
    r"(?<!whether or )\bnot\b(?!\s+(?:exceeding|more|less|over|under)\b)[^;,()]*",
    re.IGNORECASE,
)
_REFERENCE_RE = re.compile(
    r"\b(?:n\.e\.c\.|nec)\b[^;,()]*|\b(?:heading|item|subheading|chapter)s?\s+no\.?\s*[\d.]+", re.I
)


# What becomes of the words a text negates: "drop" removes them, "placeholder" replaces each negated clause by one
# common token (so that "Coffee; not roasted" is not a shorter, better match for "roasted coffee" than "Coffee;
# roasted"), "mark" turns each word into a distinct "no..." token. On the tuning part of the evaluation set:
# HS6 top-1 0.641 / 0.626 / 0.582 and HS6 top-5 0.916 / 0.916 / 0.908 for placeholder / drop / mark.
NEGATION_MODE = "placeholder"


def _mark(match: re.Match) -> str:
    words = _TOKEN_RE.findall(match.group(0).lower().replace("-", " "))
    negators = {"other", "than", "otherwise", "excluding", "excl", "not", "including", "except", "non", "un"}
    marked = [
        f"no{stem(w)}"
        for w in words
        if w not in negators and not w[0].isdigit() and w not in STOP_WORDS and len(stem(w)) > 1
    ]
    return " " + " ".join(marked) + " "


_NON_RE = re.compile(r"\bnon[- ]([a-z]+)", re.IGNORECASE)


def mark_negations(text: str, mode: str | None = None) -> str:
    """Take out what a text is NOT about ("not roasted", "other than pure-bred", "(excluding ...)", "non-alloy"), so
    that "pure-bred horses" does not match "Horses; other than pure-bred" on those words (see ``NEGATION_MODE`` for
    what replaces them). Quantities ("not exceeding 1.5%") stay."""
    mode = mode or NEGATION_MODE
    replace = {"mark": _mark, "placeholder": " negated "}.get(mode, " ")
    text = _NEGATION_RE.sub(replace, text)
    return _NON_RE.sub((lambda m: f" no{stem(m.group(1).lower())} ") if mode == "mark" else " ", text)


def clean_nomenclature(text: str) -> str:
    """A nomenclature text without its negations (see :func:`mark_negations`) and references to other headings."""
    text = mark_negations(text)
    text = _REFERENCE_RE.sub(" ", text)
    return re.sub(r"\s+", " ", text).strip()


_PACKAGING_RE = re.compile(
    r"\b(?:(?:packed |put up )?in|\d+(?:[.,]\d+)?\s*(?:ml|cl|l|ltr|g|gr|kg|kgs|lb|lbs|oz|pcs|s|x)?)\s+"
    r"(?:(?:bulk|mesh|pp|pe|pet|plastic|paper|jute|poly|woven|small|big|jumbo|tin|glass|retail)\s+)?"
    r"(?:bags?|sacks?|cartons?|boxe?s?|drums?|bottles?|cans?|jars?|tins?|pouch(?:es)?|bales?|punnets?|packs?|"
    r"containers?|pallets?|totes?|flexitanks?|crates?|trays?|sachets?|jerrycans?|ibcs?)\b",
    re.IGNORECASE,
)


def strip_packaging(text: str) -> str:
    """Remove how the goods are packed ("in 50kg bags", "330ML CANS"): it is not what the goods are."""
    return _PACKAGING_RE.sub(" ", text)


def split_purpose(text: str) -> tuple[str, str]:
    """Split "brake pads for Toyota Corolla" into the goods ("brake pads") and what they are for."""
    match = re.search(r"\b(?:for|suitable for|fits|fit for|compatible with)\b", text, re.IGNORECASE)
    if not match or match.start() == 0:
        return text, ""
    return text[: match.start()], text[match.end() :]


@lru_cache(maxsize=1)
def lexicon() -> dict[tuple[str, ...], str]:
    """The trade-vocabulary lexicon: stemmed term tokens -> expansion text (duplicate terms are merged)."""
    out: dict[tuple[str, ...], str] = {}
    with (DATA_DIR / "lexicon.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            key = tuple(stem(w) for w in _TOKEN_RE.findall(row["term"].lower().replace("-", " ")))
            expansion = (row.get("expansion") or "").strip()
            if key and expansion:
                out[key] = f"{out[key]} {expansion}" if key in out else expansion
    return out


def rewrite(text: str, replace: int = 0) -> tuple[str, str]:
    """(the words of ``text`` that no lexicon term consumed, the expansions of the terms found), longest match
    first. ``replace``: 0 keeps every word, 1 drops the words of multi-word terms ("t shirt"), 2 drops all matched
    words (the expansion stands for them)."""
    lex = lexicon()
    raw = _TOKEN_RE.findall(text.lower().replace("-", " "))
    words = [stem(w) for w in raw]
    kept: list[str] = []
    extra: list[str] = []
    i = 0
    while i < len(words):
        for size in range(min(3, len(words) - i), 0, -1):
            key = tuple(words[i : i + size])
            if key in lex:
                extra.append(lex[key])
                if replace == 0 or (replace == 1 and size == 1):
                    kept.extend(raw[i : i + size])
                i += size
                break
        else:
            kept.append(raw[i])
            i += 1
    return " ".join(kept), " ".join(extra)


def expansions(text: str) -> str:
    """The lexicon expansions of the trade terms in ``text`` (longest match first), as one text."""
    return rewrite(text)[1]


def expand(text: str) -> str:
    """``text`` followed by the lexicon expansions of the trade terms it contains."""
    extra = expansions(text)
    return f"{text} {extra}" if extra else text
