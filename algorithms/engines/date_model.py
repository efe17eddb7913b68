"""The DATE network (Kim et al., "DATE: Dual Attentive Tree-aware Embedding for Customs Fraud Detection", KDD 2020).

Pure PyTorch, CPU. A gradient-boosted tree model (XGBoost here) is fitted first; for every declaration the index of
the leaf it falls in, in each tree, is a cross feature (a conjunction of feature tests). The network:

1. embeds each leaf index (``leaf_embedding``) and lets the leaves of one declaration attend to each other
   (multi-head self-attention + layer norm), as in the reference implementation;
2. pools the leaf vectors with an attention whose query is the element-wise product of the importer embedding and
   the HS6 (item) embedding ("dual attentive": the importer and the goods decide which cross features matter);
3. fuses importer, item and pooled vectors through a hidden layer into two heads: the fraud probability (binary
   cross-entropy) and the revenue (regression on the normalised log revenue proxy, mean squared error), trained
   together with ``loss = bce + alpha * mse`` (dual-task learning).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import torch
from torch import nn


class IdVocabulary:
    """Maps an id column (importer, HS6) to embedding indexes; values seen fewer than ``min_count`` times -> 0."""

    def __init__(self, values: pd.Series, min_count: int = 2):
        counts = values.astype(str).value_counts()
        kept = sorted(counts[counts >= min_count].index)
        self.index = {value: i + 1 for i, value in enumerate(kept)}

    def __len__(self) -> int:
        return len(self.index) + 1

    def encode(self, values: pd.Series) -> np.ndarray:
        codes, uniques = pd.factorize(values, use_na_sentinel=False)  # each distinct value looked up once
        return pd.Series(uniques).astype(str).map(self.index).fillna(0).to_numpy(np.int64)[codes]


class PoolingAttention(nn.Module):
    """Additive attention pooling of the leaf vectors, queried by the importer x item vector."""

    def __init__(self, dim: int):
        super().__init__()
        self.key = nn.Linear(dim, dim)
        self.query = nn.Linear(dim, dim, bias=False)
        self.score = nn.Linear(dim, 1, bias=False)

    def forward(self, query: torch.Tensor, leaves: torch.Tensor, keys: torch.Tensor) -> torch.Tensor:
        """``keys`` = ``self.key(leaves)``, passed in so that it can be computed once per leaf, not per row."""
        hidden = torch.relu(keys + self.query(query).unsqueeze(1))  # (batch, trees, dim)
        weights = torch.softmax(self.score(hidden), dim=1)  # (batch, trees, 1)
        return (weights * leaves).sum(dim=1)


class DateNetwork(nn.Module):
    def __init__(
        self,
        n_leaves: int,
        n_importers: int,
        n_items: int,
        dim: int = 16,
        heads: int = 4,
        *,
        self_attention: bool = False,
        n_dense: int = 0,
    ):
        super().__init__()
        self.leaf_embedding = nn.Embedding(n_leaves, dim)
        self.importer_embedding = nn.Embedding(n_importers, dim)
        self.item_embedding = nn.Embedding(n_items, dim)
        self.self_attention = nn.MultiheadAttention(dim, heads, batch_first=True) if self_attention else None
        self.layer_norm = nn.LayerNorm(dim)
        self.pooling = PoolingAttention(dim)
        self.dense = nn.Linear(n_dense, dim) if n_dense else None
        self.hidden = nn.Linear((4 if n_dense else 3) * dim, dim)
        self.dropout = nn.Dropout(0.1)
        self.fraud_head = nn.Linear(dim, 1)
        self.revenue_head = nn.Linear(dim, 1)

    def forward(self, leaves: torch.Tensor, importer: torch.Tensor, item: torch.Tensor, dense: torch.Tensor):
        leaf_vectors = self.leaf_embedding(leaves)
        if self.self_attention is not None:
            attended, _ = self.self_attention(leaf_vectors, leaf_vectors, leaf_vectors, need_weights=False)
            leaf_vectors = self.layer_norm(leaf_vectors + attended)
            keys = self.pooling.key(leaf_vectors)
        else:  # same values, computed on the embedding table (leaves x dim) instead of every row's leaves
            keys = nn.functional.embedding(leaves, self.pooling.key(self.leaf_embedding.weight))
        importer_vector = self.importer_embedding(importer)
        item_vector = self.item_embedding(item)
        pooled = self.pooling(importer_vector * item_vector, leaf_vectors, keys)
        parts = [importer_vector, item_vector, pooled]
        if self.dense is not None:
            parts.append(torch.relu(self.dense(dense)))
        fused = torch.relu(self.hidden(torch.cat(parts, dim=-1)))
        fused = self.dropout(fused)
        return self.fraud_head(fused).squeeze(-1), self.revenue_head(fused).squeeze(-1)


def leaf_indexes(raw_leaves: np.ndarray, nodes_per_tree: int) -> np.ndarray:
    """XGBoost ``pred_leaf`` node ids (rows x trees) -> global leaf-embedding indexes."""
    offsets = np.arange(raw_leaves.shape[1], dtype=np.int64) * nodes_per_tree
    return raw_leaves.astype(np.int64) + offsets


PREDICT_BATCH = 1024  # rows per forward pass: the (batch x trees x dim) tensors stay in the CPU cache


def predict(
    network: DateNetwork,
    leaves: np.ndarray,
    importer: np.ndarray,
    item: np.ndarray,
    dense: np.ndarray,
    batch: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Fraud probability and normalised revenue output for every row, ``batch`` (default ``PREDICT_BATCH``) rows
    per forward pass.

    Every forward pass has exactly ``batch`` rows (a short last batch is padded with copies of its first row and
    the padding dropped). The CPU kernels' results can depend, in the last bit, on a row's place in its pass
    and on the pass's size; with fixed-size passes, scoring a file in chunks of a multiple of ``batch`` rows puts
    every row at the same place of the same rows as scoring it in one piece, so the figures are identical."""
    batch = batch or PREDICT_BATCH
    network.eval()
    probabilities, revenues = [], []
    with torch.inference_mode():
        for start in range(0, len(leaves), batch):
            rows = np.arange(start, min(start + batch, len(leaves)))
            size = len(rows)
            if size < batch:
                rows = np.concatenate([rows, np.full(batch - size, start)])
            logit, revenue = network(
                torch.from_numpy(leaves[rows]),
                torch.from_numpy(importer[rows]),
                torch.from_numpy(item[rows]),
                torch.from_numpy(dense[rows]),
            )
            probabilities.append(torch.sigmoid(logit[:size]).numpy())
            revenues.append(torch.clamp(revenue[:size], min=0).numpy())
    if not probabilities:
        return np.zeros(0), np.zeros(0)
    return np.concatenate(probabilities).astype(float), np.concatenate(revenues).astype(float)


def train_epoch(
    network: DateNetwork,
    optimizer: torch.optim.Optimizer,
    tensors: tuple[torch.Tensor, ...],
    *,
    batch: int,
    alpha: float,
    generator: torch.Generator,
) -> float:
    """One pass over the training rows in a seeded random order; returns the mean loss."""
    leaves, importer, item, dense, label, revenue = tensors
    network.train()
    order = torch.randperm(len(label), generator=generator)
    bce = nn.BCEWithLogitsLoss()
    total, steps = 0.0, 0
    for start in range(0, len(order), batch):
        rows = order[start : start + batch]
        logit, revenue_out = network(leaves[rows], importer[rows], item[rows], dense[rows])
        loss = bce(logit, label[rows]) + alpha * nn.functional.mse_loss(revenue_out, revenue[rows])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += float(loss.detach())
        steps += 1
    return total / max(steps, 1)
