"""Richer tariff texts for the nomenclature-only model: the EU Combined Nomenclature 2023 (8-digit codes under each
HS 2022 subheading), English and French self-explanatory texts (``algorithms/data/hs/cn2023/``).

An HS6 subheading's UN text is short ("Other"-style texts are only meaningful with their heading); its CN 8-digit
lines name the goods traders write ("Live horses (excl. for slaughter, pure-bred for breeding)", "T-shirts, singlets
and other vests, of cotton, knitted"). A description is compared with every CN line and each HS6 code takes the
best similarity among its lines: a word match (TF-IDF, English and French texts, the better of the two) and a
sentence-embedding match (English texts, shipped as ``cn2023_minilm.npy``).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from . import embed
from . import text as T

CN_DIR = T.DATA_DIR / "cn2023"
CN_FILE = CN_DIR / "cn2023.csv"
EMBEDDINGS_FILE = CN_DIR / "cn2023_minilm.npy"
_EXCLUSION = re.compile(r"\((?:excl|excluding|other than)\.?[^()]*\)", re.IGNORECASE)
_NOTE = re.compile(r"\[[^\]]*\]")
_NO_LINES = np.zeros(0, dtype=np.int64)
FRENCH_MARGIN = 2  # French words (of the French tariff texts) beyond English ones for a description to be French
_FRENCH_WORD = re.compile(r"[a-z]{3,}")
_FRENCH_STOP = frozenset((
    "les", "des", "une", "pour", "avec", "sans", "autres", "autre", "dont", "leurs", "leur", "sur", "par", "aux",
    "que", "qui", "non", "excl", "ainsi", "produits", "sous", "etat", "meme",
))  # fmt: skip


@dataclass(frozen=True)
class NationalTexts:
    codes: list[str]  # CN 8-digit codes, file order
    english: list[str]
    french: list[str]
    hs6_position: np.ndarray  # for each CN line, the position of its HS6 code in ``Nomenclature.codes``


@lru_cache(maxsize=1)
def _rows() -> tuple[tuple[str, str, str], ...]:
    with CN_FILE.open(encoding="utf-8", newline="") as handle:
        return tuple((r["cn8"], r["description_en"], r["description_fr"]) for r in csv.DictReader(handle))


def national_texts(hs6_codes: list[str]) -> NationalTexts:
    """The CN lines whose first six digits are one of ``hs6_codes`` (CN 2023 also has chapter 99's statistical
    codes, which are not goods)."""
    position = {code: i for i, code in enumerate(hs6_codes)}
    rows = [row for row in _rows() if row[0][:6] in position]
    return NationalTexts(
        codes=[r[0] for r in rows],
        english=[r[1] for r in rows],
        french=[r[2] for r in rows],
        hs6_position=np.array([position[r[0][:6]] for r in rows], dtype=np.int64),
    )


def without_exclusions(text: str) -> str:
    """A CN text without its exclusion clauses ("(excl. ...)", "(other than ...)") and bracketed notes
    ("[Euratom]"): embedded with them, a line would sit close to the very goods it excludes."""
    previous = None
    while previous != text:  # until nothing is left to remove
        previous = text
        text = _EXCLUSION.sub("", text)
    text = _NOTE.sub("", text)
    return re.sub(r"\s+", " ", text).strip(" ,;")


def _plain(text: str) -> str:
    """Lower case without accents ("congelées" -> "congelees": one word, not "congel" and "es")."""
    return unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()


def french_tokens(text: str) -> list[str]:
    """Accent-free lower-case words of three letters or more, a plural ``s``/``x`` removed (a light stemmer: the
    French texts serve French descriptions, which the English stemmer would cut badly)."""
    words = (w[:-1] if len(w) > 4 and w[-1] in "sx" else w for w in _FRENCH_WORD.findall(_plain(text)))
    return [w for w in words if w not in _FRENCH_STOP]


def best_per_code(similarities: np.ndarray, hs6_position: np.ndarray, n_codes: int) -> np.ndarray:
    """For each HS6 code, the best similarity among its CN lines (0 for a code without lines)."""
    out = np.zeros(n_codes, dtype=np.float32)
    np.maximum.at(out, hs6_position, similarities.astype(np.float32))
    return out


class NationalIndex:
    """Word and embedding similarity of a description with the CN lines, the best line per HS6 code."""

    def __init__(self, hs6_codes: list[str]):
        self.texts = national_texts(hs6_codes)
        self.n_codes = len(hs6_codes)
        english = [T.grams(T.tokens(T.clean_nomenclature(t))) for t in self.texts.english]
        french = [T.grams(french_tokens(t)) for t in self.texts.french]
        self.english = TfidfVectorizer(analyzer=T.identity, sublinear_tf=True, dtype=np.float32)
        self.english_matrix = self.english.fit_transform(english).tocsr()
        self.french = TfidfVectorizer(analyzer=T.identity, sublinear_tf=True, dtype=np.float32)
        self.french_matrix = self.french.fit_transform(french).tocsr()
        self.embeddings = load_embeddings(len(self.texts.codes))
        order = np.argsort(self.texts.hs6_position, kind="stable")
        starts = np.searchsorted(self.texts.hs6_position[order], np.arange(self.n_codes + 1))
        self.lines_of = {
            code: order[starts[i] : starts[i + 1]] for i, code in enumerate(hs6_codes) if starts[i + 1] > starts[i]
        }

    @lru_cache(maxsize=32)  # noqa: B019 (one index per process; a suggestion asks twice: to score, then to explain)
    def lexical_lines(self, description: str) -> np.ndarray:
        """Word similarity with each CN line: the better of the English and the French texts."""
        english = self.english.transform([T.grams(T.tokens(T.strip_packaging(description)))])
        french = self.french.transform([T.grams(french_tokens(description))])
        return np.maximum(
            (self.english_matrix @ english.T).toarray().ravel(), (self.french_matrix @ french.T).toarray().ravel()
        )

    def is_french(self, description: str) -> bool:
        """Whether the description is in French: at least two more of its words are words of the French tariff
        texts than of the English ones (brand names such as "Chanel le vol noir" stay English)."""
        french_known = sum(word in self.french.vocabulary_ for word in french_tokens(description))
        english_known = sum(word in self.english.vocabulary_ for word in T.tokens(_plain(description)))
        return french_known - english_known >= FRENCH_MARGIN

    def english_rendering(self, description: str, lines: int = 3) -> str:
        """A French description put into English through the EU's parallel texts: the English texts (without
        exclusion clauses) of the ``lines`` CN lines closest to it in French words. The English parts of the model
        (the HS texts and the sentence encoder) then read English."""
        french = self.french.transform([T.grams(french_tokens(description))])
        similarity = (self.french_matrix @ french.T).toarray().ravel()
        best = [int(i) for i in np.argsort(-similarity, kind="stable")[:lines] if similarity[i] > 0]
        return "; ".join(without_exclusions(self.texts.english[i]) for i in best)

    def lexical(self, description: str) -> np.ndarray:
        return best_per_code(self.lexical_lines(description), self.texts.hs6_position, self.n_codes)

    def semantic(self, query_embedding: np.ndarray) -> np.ndarray:
        return best_per_code(self.embeddings @ query_embedding, self.texts.hs6_position, self.n_codes)

    def best_lines(self, description: str, query: np.ndarray, codes: list[str], weights=(1.0, 1.0)) -> dict:
        """For each of ``codes`` (HS6), its CN line closest to the description ({code: (cn8, English text, French
        text)}), by ``weights[0]`` x word + ``weights[1]`` x embedding similarity: shown as why the code matches."""
        lines = [self.lines_of.get(code, _NO_LINES) for code in codes]
        wanted = np.concatenate(lines) if lines else _NO_LINES
        similarity = dict(
            zip(
                wanted.tolist(),
                (
                    weights[0] * self.lexical_lines(description)[wanted]
                    + weights[1] * (self.embeddings[wanted] @ query)
                ).tolist(),
                strict=True,
            )
        )
        texts = self.texts
        out = {}
        for code, code_lines in zip(codes, lines, strict=True):
            if len(code_lines):
                line = max(code_lines.tolist(), key=similarity.__getitem__)
                out[code] = (texts.codes[line], texts.english[line], texts.french[line])
        return out


def load_embeddings(n_lines: int) -> np.ndarray:
    try:
        matrix = np.load(EMBEDDINGS_FILE)
    except OSError as exc:
        raise embed.EmbeddingsUnavailable(f"{EMBEDDINGS_FILE.name} is missing; run make_embeddings.py.") from exc
    if matrix.shape[0] != n_lines:
        raise embed.EmbeddingsUnavailable(f"{EMBEDDINGS_FILE.name} has {matrix.shape[0]} rows for {n_lines} lines.")
    return matrix.astype(np.float32)
