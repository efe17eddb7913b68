"""The default AI-HS model: the HS 2022 hierarchy and the EU's 8-digit tariff texts, words and sentence embeddings,
calibrated on real held-out descriptions.

Each HS6 subheading scores the weighted sum of four similarities with the description (``WEIGHTS``):

- ``lexical``: the hierarchical TF-IDF score of :class:`~.model.NomenclatureIndex` (the subheading's text, its
  heading's, its chapter's and section's, and character n-grams), without the hand-written trade lexicon (on real
  descriptions the lexicon did not help: see ``benchmarks/README.md``);
- ``semantic``: the cosine of all-MiniLM-L6-v2 embeddings of the description and of the subheading text;
- ``tariff_lexical`` and ``tariff_semantic``: the best word (English or French) and embedding similarity among the
  subheading's Combined Nomenclature 8-digit lines (:mod:`.national`), which name the goods in many more words.

Probabilities are a softmax of the score at a temperature that depends on the description's length
(``TEMPERATURES``): a line of a few words ("hoody", "dove men bw clean comfort 250m") is right far less often than a
description of the goods in sentences, and one temperature for both would make the short ones look surer than they
are. The weights and the temperatures were chosen on the *validation* split of the real labelled descriptions
(``realdata.py``; ``python -m benchmarks.algorithms_aihs --tune`` prints them again), never on the test split that
the figures are reported on.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from . import calibration, embed
from .model import MAX_QUERY_CHARS, Nomenclature, NomenclatureIndex
from .national import NationalIndex

WEIGHTS = {"lexical": 0.5, "semantic": 0.0, "tariff_lexical": 0.5, "tariff_semantic": 2.25}
SHORT_WORDS = 7  # a description of at most this many words is "short"
# A description read as French is matched through the parallel texts, and is right less often than its scores say.
TEMPERATURES = {"short": 0.1834, "long": 0.1211, "french": 0.2927}


class HybridIndex:
    """Scores every HS6 code for a description (see the module docstring)."""

    kind = "hybrid"

    def __init__(
        self,
        nom: Nomenclature,
        *,
        weights: dict[str, float] | None = None,
        temperatures: dict[str, float] | None = None,
        lexical: NomenclatureIndex | None = None,
    ):
        self.nom = nom
        self.lexical = lexical or NomenclatureIndex(nom, use_lexicon=False)
        self.national = NationalIndex(nom.codes)
        self.embeddings = embed.nomenclature_embeddings(len(nom.codes))
        self.component_weights = {**WEIGHTS, **(weights or {})}
        self.temperatures = {**TEMPERATURES, **(temperatures or {})}

    def parts(self, description: str, query: np.ndarray | None = None) -> dict[str, np.ndarray]:
        """Each similarity, one value per HS6 code (``query``: the description's embedding when already known).

        A French description is read in English through the EU's parallel tariff texts
        (:meth:`~.national.NationalIndex.english_rendering`) by the parts that only know English; its own French
        words still count in ``tariff_lexical``."""
        description = description[:MAX_QUERY_CHARS]
        english = self.english_text(description)
        if query is None or english != description:
            query = self.query_embedding(english)
        return {
            "lexical": self.lexical.scores(english),
            "semantic": self.embeddings @ query,
            "tariff_lexical": np.maximum(self.national.lexical(description), self.national.lexical(english)),
            "tariff_semantic": self.national.semantic(query),
        }

    @lru_cache(maxsize=32)  # noqa: B019 (one index per process)
    def english_text(self, description: str) -> str:
        """The description itself, or its English rendering when it is in French."""
        if self.national.is_french(description):
            return self.national.english_rendering(description) or description
        return description

    @lru_cache(maxsize=32)  # noqa: B019 (one index per process; a suggestion asks twice: to score, then to explain)
    def query_embedding(self, description: str) -> np.ndarray:
        return embed.encode([description])[0]

    def combine(self, parts: dict[str, np.ndarray]) -> np.ndarray:
        return sum(weight * parts[name] for name, weight in self.component_weights.items() if weight)

    def scores(self, description: str) -> np.ndarray:
        return self.combine(self.parts(description))

    def temperature(self, description: str) -> float:
        """The temperature of the description's class: French (read through the parallel texts) when a French
        temperature was fitted, else its length class."""
        if (
            "french" in self.temperatures
            and self.english_text(description[:MAX_QUERY_CHARS]) != description[:MAX_QUERY_CHARS]
        ):
            return self.temperatures["french"]
        return self.temperatures[length_class(description)]

    def probabilities(self, description: str) -> np.ndarray:
        return calibration.softmax(self.scores(description), self.temperature(description))

    def probabilities_many(self, descriptions: list[str]) -> list[np.ndarray]:
        """:meth:`probabilities` of several descriptions, their embeddings computed in one batch."""
        descriptions = [description[:MAX_QUERY_CHARS] for description in descriptions]
        queries = embed.encode(descriptions)
        return [
            calibration.softmax(self.combine(self.parts(description, query)), self.temperature(description))
            for description, query in zip(descriptions, queries, strict=True)
        ]

    def tariff_lines(self, description: str, codes: list[str]) -> dict[str, tuple[str, str, str]]:
        """The 8-digit tariff line of each code closest to the description: (CN code, English text, French text),
        shown as why the code matches."""
        description = description[:MAX_QUERY_CHARS]
        weights = (self.component_weights["tariff_lexical"], self.component_weights["tariff_semantic"])
        query = self.query_embedding(self.english_text(description))
        return self.national.best_lines(description, query, codes, weights)


def length_class(description: str) -> str:
    """ "short" (a line of a few words) or "long" (see ``TEMPERATURES``)."""
    return "short" if len(description.split()) <= SHORT_WORDS else "long"
