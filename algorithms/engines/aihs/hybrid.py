"""The default AI-HS model: lexical retrieval over the HS 2022 hierarchy plus sentence embeddings, calibrated.

Each HS6 subheading gets ``lexical + EMBEDDING_WEIGHT * cosine``: ``lexical`` is the hierarchical TF-IDF score of
:class:`~.model.NomenclatureIndex` (the subheading's text, its heading's, its chapter's and section's, and
character n-grams) without the hand-written trade lexicon (on real descriptions the lexicon did not help: see
``benchmarks/README.md``); ``cosine`` is the similarity of all-MiniLM-L6-v2 embeddings of the description and of the
subheading text. Probabilities are a softmax of that score at ``TEMPERATURE``.

``EMBEDDING_WEIGHT`` and ``TEMPERATURE`` were chosen on the *validation* split of the real labelled descriptions
(``realdata.py``; ``python -m benchmarks.algorithms_aihs --tune`` prints them again), never on the test split
that the figures are reported on.
"""

from __future__ import annotations

import numpy as np

from . import calibration, embed
from .model import MAX_QUERY_CHARS, Nomenclature, NomenclatureIndex

EMBEDDING_WEIGHT = 1.5
TEMPERATURE = 0.0684
CALIBRATED_ON = "validation split of the real labelled descriptions (HMRC Advance Tariff Rulings)"


class HybridIndex:
    """Scores every HS6 code for a description (see the module docstring)."""

    kind = "hybrid"

    def __init__(
        self,
        nom: Nomenclature,
        *,
        embedding_weight: float = EMBEDDING_WEIGHT,
        temperature: float = TEMPERATURE,
        lexical: NomenclatureIndex | None = None,
    ):
        self.nom = nom
        self.lexical = lexical or NomenclatureIndex(nom, use_lexicon=False)
        self.embeddings = embed.nomenclature_embeddings(len(nom.codes))
        self.embedding_weight = float(embedding_weight)
        self.temperature = float(temperature)
        self.weights = {"temperature": self.temperature}  # what Recommender reads

    def parts(self, description: str) -> tuple[np.ndarray, np.ndarray]:
        """(lexical scores, embedding cosines), one value per HS6 code."""
        description = description[:MAX_QUERY_CHARS]
        lexical = self.lexical.scores(description)
        query = embed.encode([description])[0]
        return lexical, self.embeddings @ query

    def scores(self, description: str) -> np.ndarray:
        lexical, cosine = self.parts(description)
        return lexical + self.embedding_weight * cosine

    def probabilities(self, description: str) -> np.ndarray:
        return calibration.softmax(self.scores(description), self.temperature)

    def probabilities_many(self, descriptions: list[str]) -> list[np.ndarray]:
        """:meth:`probabilities` of several descriptions, their embeddings computed in one batch."""
        descriptions = [description[:MAX_QUERY_CHARS] for description in descriptions]
        queries = embed.encode(descriptions)
        return [
            calibration.softmax(
                self.lexical.scores(description) + self.embedding_weight * (self.embeddings @ query), self.temperature
            )
            for description, query in zip(descriptions, queries, strict=True)
        ]
