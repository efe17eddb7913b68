"""Retrieval over the HS 2022 nomenclature and nearest-neighbour voting over labelled descriptions.

``NomenclatureIndex`` scores every HS6 subheading for a description from four kinds of evidence, each a cosine
similarity of TF-IDF vectors: the subheading's own text, its heading's text, its chapter's and section's text
(hierarchical context), and character n-grams of subheading + heading (spelling variants, compounds). The query is
first expanded with the trade-vocabulary lexicon. ``LabelledIndex`` adds an administration's own labelled
descriptions: the nearest labelled descriptions vote for their codes. ``Recommender`` mixes both.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.preprocessing import normalize

from . import text as T

# Weights of the evidence, chosen on the tuning part of the evaluation set (see benchmarks/algorithms_aihs.py).
DEFAULT_WEIGHTS = {
    "sub": 0.6,  # the subheading's own text
    "head": 0.2,  # its heading's text
    "chapter": 0.05,  # its chapter's and section's text
    "char": 0.3,  # character 3-5-grams of subheading and heading
    "expansion": 0.8,  # weight of the lexicon's expansions against the description's own words
    "purpose": 0.4,  # weight of what the goods are "for" against the goods themselves
    "replace": 0,  # 0: keep the words a lexicon term matched; 1: drop those of multi-word terms; 2: drop all
    "temperature": 0.04,  # softmax temperature that turns scores into confidences
}
DEFAULT_KNN = {
    "neighbours": 12,  # labelled descriptions that vote
    "power": 3.0,  # a vote weighs similarity ** power
    "trust": 0.55,  # the share of the votes in the final distribution when a neighbour is close enough
    "floor": 0.2,  # below this best similarity the votes are ignored...
    "saturation": 1.0,  # ... above it their share grows linearly up to ``trust`` at this similarity
}


EXAMPLES_PER_CODE = 3  # nearest labelled descriptions shown behind a suggestion
MAX_QUERY_CHARS = 2000  # a goods description longer than this is cut (keeps one suggestion fast)


@dataclass(frozen=True)
class Nomenclature:
    codes: list[str]  # HS6 codes, in file order
    texts: list[str]  # HS6 texts as published
    heading_of: list[str]  # HS4 of each HS6
    headings: dict[str, str]  # HS4 -> text
    chapters: dict[str, str]  # HS2 -> text
    sections: dict[str, str]  # HS2 -> section name
    display: dict[str, str] = field(default_factory=dict)  # HS6 -> text with heading context


@lru_cache(maxsize=1)
def nomenclature() -> Nomenclature:
    """The HS 2022 nomenclature shipped in ``algorithms/data/hs/``."""
    with (T.DATA_DIR / "sections.csv").open(encoding="utf-8-sig", newline="") as handle:
        section_names = {row["section"]: row["name"] for row in csv.DictReader(handle)}
    codes, texts, heading_of = [], [], []
    headings: dict[str, str] = {}
    chapters: dict[str, str] = {}
    sections: dict[str, str] = {}
    with (T.DATA_DIR / "harmonized-system.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code, level = row["hscode"], row["level"]
            if row["section"] == "TOTAL":
                continue  # UN Comtrade's "total" and "not specified" (99, 9999, 999999) rows are not HS codes
            if level == "2":
                chapters[code] = row["description"]
                sections[code] = section_names.get(row["section"], "")
            elif level == "4":
                headings[code] = row["description"]
            elif level == "6":
                codes.append(code)
                texts.append(row["description"])
                heading_of.append(row["parent"])
    display = {
        code: f"{text} — {code[:4]}: {headings.get(code[:4], '')}" for code, text in zip(codes, texts, strict=True)
    }
    return Nomenclature(codes, texts, heading_of, headings, chapters, sections, display)


def _cosine_rows(matrix, vector) -> np.ndarray:
    """Cosine similarity of each (L2-normalised) row of ``matrix`` with one L2-normalised row ``vector``."""
    if sparse.issparse(vector):
        return np.asarray((matrix @ vector.T).todense()).ravel()
    return np.asarray(matrix @ np.asarray(vector).ravel()).ravel()


def _normalise(vector) -> np.ndarray:
    vector = np.asarray(vector).ravel()
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else vector


class CharTfidf:
    """TF-IDF of character 3-5-grams inside words (scikit-learn's ``char_wb``, sublinear tf, smooth idf, L2), for
    documents given as token lists. The n-grams of a document are the sum of its words' n-grams, so they are
    computed once per distinct word rather than once per occurrence: building the nomenclature's matrix takes a
    fraction of the time of ``TfidfVectorizer(analyzer="char_wb")`` and gives the same matrix."""

    def __init__(self, min_df: int = 1):
        self.min_df = min_df

    def _word_counts(self, docs: list[list[str]]):
        rows, cols, vals = [], [], []
        for i, doc in enumerate(docs):
            for word, count in Counter(doc).items():
                j = self.word_index.get(word)
                if j is None:
                    j = self.word_index[word] = len(self.word_index)
                    self._new_words.append(word)
                rows.append(i)
                cols.append(j)
                vals.append(count)
        return rows, cols, vals

    def fit_transform(self, docs: list[list[str]]):
        self.word_index: dict[str, int] = {}
        self._new_words: list[str] = []
        rows, cols, vals = self._word_counts(docs)
        words = sparse.csr_matrix((vals, (rows, cols)), shape=(len(docs), len(self.word_index)), dtype=np.float32)
        self.grams = CountVectorizer(analyzer="char_wb", ngram_range=(3, 5), dtype=np.float32)
        word_grams = self.grams.fit_transform(self._new_words)
        counts = (words @ word_grams).tocsc()
        df = np.diff(counts.indptr)  # documents per n-gram (counts are positive)
        self.keep = np.flatnonzero(df >= self.min_df)
        self.word_grams = word_grams[:, self.keep].tocsr()
        self.idf = (np.log((1 + len(docs)) / (1 + df[self.keep])) + 1).astype(np.float32)
        self._new_words = []
        return self._weigh(counts[:, self.keep].tocsr())

    def transform(self, docs: list[list[str]]):
        known = [[w for w in doc if w in self.word_index] for doc in docs]
        unknown = [" ".join(w for w in doc if w not in self.word_index) for doc in docs]
        rows, cols, vals = [], [], []
        for i, doc in enumerate(known):
            for word, count in Counter(doc).items():
                rows.append(i)
                cols.append(self.word_index[word])
                vals.append(count)
        words = sparse.csr_matrix((vals, (rows, cols)), shape=(len(docs), len(self.word_index)), dtype=np.float32)
        counts = words @ self.word_grams
        if any(unknown):
            extra = self.grams.transform(unknown)[:, self.keep]
            counts = counts + extra
        return self._weigh(sparse.csr_matrix(counts))

    def _weigh(self, counts):
        counts = counts.astype(np.float32)
        counts.data = 1.0 + np.log(counts.data)
        weighted = counts @ sparse.diags(self.idf)
        return normalize(weighted, norm="l2", copy=False).tocsr()


class NomenclatureIndex:
    """Hierarchical TF-IDF retrieval over the nomenclature with lexicon query expansion."""

    def __init__(self, nom: Nomenclature, weights: dict | None = None, *, use_lexicon: bool = True):
        self.nom = nom
        self.weights = {**DEFAULT_WEIGHTS, **(weights or {})}
        self.use_lexicon = use_lexicon
        head_codes = sorted(nom.headings)
        chap_codes = sorted(nom.chapters)
        self._head_row = {c: i for i, c in enumerate(head_codes)}
        self._chap_row = {c: i for i, c in enumerate(chap_codes)}
        sub_toks = [T.tokens(T.clean_nomenclature(t)) for t in nom.texts]
        head_toks = [T.tokens(T.clean_nomenclature(nom.headings[c])) for c in head_codes]
        chap_toks = [T.tokens(f"{nom.chapters[c]} {nom.sections.get(c, '')}") for c in chap_codes]
        self.words = TfidfVectorizer(analyzer=T.identity, sublinear_tf=True, dtype=np.float32)
        matrix = self.words.fit_transform([T.grams(t) for t in sub_toks + head_toks + chap_toks]).tocsr()
        n_sub, n_head = len(sub_toks), len(head_toks)
        self.sub = matrix[:n_sub]
        self.head = matrix[n_sub : n_sub + n_head]
        self.chap = matrix[n_sub + n_head :]
        self.chars = CharTfidf(min_df=2)
        chars = self.chars.fit_transform(sub_toks + head_toks)
        self.char_sub = chars[:n_sub]
        self.char_head = chars[n_sub:]
        self.sub_head = np.array([self._head_row.get(h, 0) for h in nom.heading_of])
        self.sub_chap = np.array([self._chap_row.get(c[:2], 0) for c in nom.codes])

    def query_vectors(self, description: str):
        """Word and character query vectors: the goods' own words, the lexicon expansions (weighted
        ``expansion``) and the purpose ("... for cars", weighted ``purpose``)."""
        w = self.weights
        main, purpose = T.split_purpose(T.mark_negations(T.strip_packaging(description)))
        if self.use_lexicon:
            replace = int(w["replace"])
            main, main_extra = T.rewrite(main, replace)
            purpose, purpose_extra = T.rewrite(purpose, replace)
            parts = [
                (main, 1.0),
                (purpose, w["purpose"]),
                (T.mark_negations(main_extra), w["expansion"]),
                (T.mark_negations(purpose_extra), w["purpose"] * w["expansion"]),
            ]
        else:
            parts = [(main, 1.0), (purpose, w["purpose"])]
        toks = [(T.tokens(text), weight) for text, weight in parts if text]
        toks = [(t, weight) for t, weight in toks if t]
        if not toks:
            return None, None
        words = self.words.transform([T.grams(t) for t, _ in toks])
        chars = self.chars.transform([t for t, _ in toks])
        weights = np.array([weight for _, weight in toks], dtype=np.float32)
        return _normalise(weights @ words), _normalise(weights @ chars)

    def scores(self, description: str) -> np.ndarray:
        """A score for every HS6 code (same order as ``nom.codes``)."""
        w = self.weights
        qw, qc = self.query_vectors(description)
        if qw is None:
            return np.zeros(len(self.nom.codes))
        sub = _cosine_rows(self.sub, qw)
        head = _cosine_rows(self.head, qw)[self.sub_head]
        chap = _cosine_rows(self.chap, qw)[self.sub_chap]
        char = 0.5 * _cosine_rows(self.char_sub, qc) + 0.5 * _cosine_rows(self.char_head, qc)[self.sub_head]
        return w["sub"] * sub + w["head"] * head + w["chapter"] * chap + w["char"] * char

    def probabilities(self, description: str) -> np.ndarray:
        return _softmax(self.scores(description), self.weights["temperature"])


class PlainTfidfIndex:
    """The baseline of issue 5: plain TF-IDF (scikit-learn defaults) over the subheading texts, cosine ranking."""

    def __init__(self, nom: Nomenclature):
        self.nom = nom
        self.vectorizer = TfidfVectorizer()
        self.matrix = self.vectorizer.fit_transform(nom.texts).tocsr()

    def scores(self, description: str) -> np.ndarray:
        return _cosine_rows(self.matrix, self.vectorizer.transform([description]))


class LabelledIndex:
    """Nearest-neighbour voting over an administration's labelled descriptions (word + character TF-IDF)."""

    def __init__(self, descriptions: list[str], codes: list[str], nom: Nomenclature, params: dict | None = None):
        self.params = {**DEFAULT_KNN, **(params or {})}
        self.descriptions = list(descriptions)  # kept to show the nearest examples behind a suggestion
        self.codes = list(codes)
        position = {c: i for i, c in enumerate(nom.codes)}
        self.code_pos = np.array([position[c] for c in self.codes])
        self.n_codes = len(nom.codes)
        toks = [self._tokens(d) for d in descriptions]
        self.words = TfidfVectorizer(analyzer=T.identity, sublinear_tf=True, dtype=np.float32)
        self.chars = CharTfidf(min_df=1)
        self.word_matrix = self.words.fit_transform([T.grams(t) for t in toks]).tocsr()
        self.char_matrix = self.chars.fit_transform(toks)

    @staticmethod
    def _tokens(description: str) -> list[str]:
        return T.tokens(T.expand(T.strip_packaging(description)))

    def similarities(self, description: str) -> np.ndarray:
        toks = self._tokens(description)
        word = _cosine_rows(self.word_matrix, self.words.transform([T.grams(toks)]))
        char = _cosine_rows(self.char_matrix, self.chars.transform([toks]))
        return 0.5 * word + 0.5 * char

    def nearest(self, description: str) -> list[tuple[int, float]]:
        """(row, similarity) of the labelled descriptions that vote for ``description``, closest first."""
        sims = self.similarities(description)
        k = min(int(self.params["neighbours"]), len(sims))
        if k == 0:
            return []
        top = np.argpartition(-sims, k - 1)[:k]
        top = top[np.lexsort((top, -sims[top]))]
        return [(int(i), float(sims[i])) for i in top if sims[i] > 0]

    def vote(self, description: str) -> tuple[np.ndarray, float]:
        """(a distribution over all HS6 codes, the best similarity) from the nearest labelled descriptions."""
        sims = self.similarities(description)
        k = min(int(self.params["neighbours"]), len(sims))
        votes = np.zeros(self.n_codes, dtype=np.float64)
        if k == 0:
            return votes, 0.0
        top = np.argpartition(-sims, k - 1)[:k]
        np.add.at(votes, self.code_pos[top], np.maximum(sims[top], 0.0) ** self.params["power"])
        total = votes.sum()
        if total <= 0:
            return votes, 0.0
        return votes / total, float(sims[top].max())


def _softmax(scores: np.ndarray, temperature: float) -> np.ndarray:
    z = (scores - scores.max()) / max(temperature, 1e-6)
    e = np.exp(z)
    return e / e.sum()


class Recommender:
    """Ranked HS6 suggestions for a goods description."""

    def __init__(self, index: NomenclatureIndex, labelled: LabelledIndex | None = None, info: dict | None = None):
        self.index = index
        self.labelled = labelled
        self.info = info or {}

    @property
    def nomenclature(self) -> Nomenclature:
        return self.index.nom

    def distribution(self, description: str, base: np.ndarray | None = None) -> np.ndarray:
        """A probability for every HS6 code (order of ``nomenclature.codes``). ``base``: the index's probabilities
        for this description when already computed (see :meth:`suggest_many`)."""
        probs = self.index.probabilities(description) if base is None else base
        if self.labelled is None:
            return probs
        votes, best = self.labelled.vote(description)
        if best <= 0:
            return probs
        params = self.labelled.params
        closeness = (best - params["floor"]) / max(params["saturation"] - params["floor"], 1e-6)
        trust = params["trust"] * min(1.0, max(0.0, closeness))
        return (1.0 - trust) * probs + trust * votes

    def rank(self, description: str, k: int, base: np.ndarray | None = None) -> list[tuple[str, float]]:
        return [(code, p) for code, p, _heading in self._ranked(self.distribution(description, base), k)]

    def _ranked(self, probs: np.ndarray, k: int) -> list[tuple[str, float, float]]:
        """The ``k`` most probable codes with their probability and their heading's (the sum over its codes)."""
        k = max(0, min(k, len(probs)))
        if k == 0:
            return []
        top = np.argpartition(-probs, k - 1)[:k]
        top = top[np.lexsort((top, -probs[top]))]
        heading_of, n_headings = self._heading_positions()
        headings = np.bincount(heading_of, weights=probs, minlength=n_headings)
        return [(self.index.nom.codes[i], float(probs[i]), float(headings[heading_of[i]])) for i in top]

    def _heading_positions(self) -> tuple[np.ndarray, int]:
        if getattr(self, "_heading_of", None) is None:
            headings = sorted({code[:4] for code in self.index.nom.codes})
            row = {heading: i for i, heading in enumerate(headings)}
            self._heading_of = (np.array([row[code[:4]] for code in self.index.nom.codes]), len(headings))
        return self._heading_of

    def reads_as_french(self, description: str) -> bool:
        return bool(self.read_as(description))

    def read_as(self, description: str) -> str:
        """How the model read a description in French: its English rendering through the EU's parallel tariff
        texts (empty for a description read as it is, or for a model that does not translate)."""
        english_text = getattr(self.index, "english_text", None)
        if english_text is None or not description or not description.strip():
            return ""
        english = english_text(description[:MAX_QUERY_CHARS])
        return "" if english == description[:MAX_QUERY_CHARS] else english

    def suggest_many(self, descriptions: list[str], k: int = 5) -> list[list[dict]]:
        """:meth:`suggest` for each description; an index that can score several descriptions at once (the
        sentence encoder works in batches) does so, about twice as fast a description."""
        cut = [description[:MAX_QUERY_CHARS] if description else "" for description in descriptions]
        usable = [i for i, description in enumerate(cut) if description.strip() and T.tokens(description)]
        bases: dict[int, np.ndarray] = {}
        if usable and hasattr(self.index, "probabilities_many"):
            bases = dict(zip(usable, self.index.probabilities_many([cut[i] for i in usable]), strict=True))
        return [self.suggest(cut[i], k, base=bases.get(i), explain=False) for i in range(len(cut))]

    def suggest(
        self, description: str, k: int = 5, base: np.ndarray | None = None, *, explain: bool = True
    ) -> list[dict]:
        """Up to ``k`` suggestions, best first: ``code`` (HS6), ``description`` (the nomenclature text with its
        heading), ``confidence`` (0..1, the model's probability, never increasing down the list),
        ``heading_confidence`` (the probability of its heading: the sum over the heading's subheadings), and why:
        ``subheading`` and ``heading`` (the nomenclature texts, with ``heading_code``), for the default model the
        closest 8-digit tariff line (``tariff_code``, ``tariff_line``, ``tariff_line_fr``: EU Combined Nomenclature
        2023) and, for a model with labelled descriptions, ``examples`` (the nearest labelled descriptions with that
        code).

        ``explain=False`` leaves out the tariff lines (a batch of descriptions shows codes, not reasons).

        An empty or blank description, or one without a single word the models know, gives an empty list."""
        if not description or not description.strip():
            return []
        description = description[:MAX_QUERY_CHARS]
        if not T.tokens(description):
            return []
        nom = self.index.nom
        suggestions = [
            {
                "code": code,
                "description": nom.display[code],
                "confidence": round(min(1.0, max(0.0, p)), 4),
                "heading_confidence": round(min(1.0, max(0.0, heading)), 4),
                **self._nomenclature_text(code),
            }
            for code, p, heading in self._ranked(self.distribution(description, base), k)
        ]
        if explain and hasattr(self.index, "tariff_lines"):
            lines = self.index.tariff_lines(description, [item["code"] for item in suggestions])
            for item in suggestions:
                item["tariff_code"], item["tariff_line"], item["tariff_line_fr"] = lines.get(item["code"], ("", "", ""))
        if self.labelled is not None:
            self._add_examples(description, suggestions)
        return suggestions

    def _nomenclature_text(self, code: str) -> dict:
        """Why a code can match: its subheading's and its heading's texts in the nomenclature."""
        nom = self.index.nom
        return {
            "subheading": nom.texts[self._positions()[code]],
            "heading_code": code[:4],
            "heading": nom.headings.get(code[:4], ""),
        }

    def _positions(self) -> dict[str, int]:
        if getattr(self, "_position", None) is None:
            self._position = {code: i for i, code in enumerate(self.index.nom.codes)}
        return self._position

    def _add_examples(self, description: str, suggestions: list[dict], per_code: int = EXAMPLES_PER_CODE) -> None:
        """Each suggestion's ``examples``: the nearest labelled descriptions with that code (the ones that voted
        for it), closest first."""
        labelled = self.labelled
        wanted = {item["code"]: item.setdefault("examples", []) for item in suggestions}
        for row, similarity in labelled.nearest(description):
            examples = wanted.get(labelled.codes[row])
            if examples is not None and len(examples) < per_code:
                examples.append(
                    {
                        "description": labelled.descriptions[row],
                        "code": labelled.codes[row],
                        "similarity": round(similarity, 3),
                    }
                )
