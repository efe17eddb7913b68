"""AI-Synth: learns a table of declarations and generates a synthetic one in the same 22-column layout.

Method (details, figures and limits in ``algorithms/engines/SYNTH_NOTES.md``): a conditional hot-deck sampler.
Every synthetic row is put together from several different real rows of the learned table:

1. **Goods**: the joint value of HS6 code, the two countries, tax rate, tax type, Fraud and Critical Fraud (the
   "goods key") is drawn from its real frequency distribution. These columns are kept together because they are
   tied (a tariff rate belongs to an HS code, an origin and a tax type; fraud risk to the goods); the public data's
   own generator treated them as one categorical column.
2. **Net mass** is drawn from the real masses of the same goods key (so its relation to the goods and the fraud
   label holds) and then perturbed by a random factor exp(N(0, ``numeric_noise``)); **Item Price** is that mass
   times a unit price (price per kg) of the same goods key, as in the source data.
3. **Declaration circumstances** (office, process, import type and use, payment, transport, courier, origin
   marking, date) and **parties** (declarant, importer, seller) come from two further real rows, each drawn
   among the rows of the same HS6 code and fraud label (``donor_key`` "hs6"; "goods": of the same goods key),
   or, when there are fewer than ``min_group`` other rows, of the same HS4 code and fraud label, then of the same
   fraud label. The goods' own row is excluded. The date is moved by a few days at random. A row whose
   circumstances and parties differ in fewer than ``min_differences`` columns from some real row of the same goods
   draws them again from coarser groups, so that synthetic rows are not closer to real rows than unseen real rows.
4. IDs: declarant, importer, seller and courier IDs are the real (already pseudonymised) IDs, drawn as above so
   that their frequencies and their ties to goods and fraud are kept and a fraud model trained on synthetic data
   can be used on real data. With ``pseudonymise_ids`` every ID is replaced by a fresh random code of the same
   length (one code per ID, so the frequency structure stays). Declaration IDs are always fresh 8-digit numbers
   that do not occur in the learned data.
5. Any synthetic row equal to a real row on every column but the Declaration ID is drawn again.

Deterministic for a given seed (numpy's PCG64 generator; no threads in the generator).

The engine lives in one module per part (``data``, ``sampling``, ``engine``); this package re-exports their
names, so callers write ``synth.train_and_generate``.
"""

from .data import (
    CHECK_CHUNK,
    CIRCUMSTANCE_COLUMNS,
    DEFAULT_PARAMS,
    GENERATE_CHUNK,
    GOODS_COLUMNS,
    ID_COLUMNS,
    MAX_REDRAWS,
    MAX_ROWS,
    METRICS_MAX_ROWS,
    MIN_LEARNING_ROWS,
    PARTY_COLUMNS,
    SynthModel,
    dataset_columns,
    is_labelled,
    layout_strings,
    load_dataset,
    write_layout_csv,
)
from .engine import split_holdout, train_and_generate
from .sampling import fit, generate

__all__ = [
    "CHECK_CHUNK",
    "CIRCUMSTANCE_COLUMNS",
    "DEFAULT_PARAMS",
    "GENERATE_CHUNK",
    "GOODS_COLUMNS",
    "ID_COLUMNS",
    "MAX_REDRAWS",
    "MAX_ROWS",
    "METRICS_MAX_ROWS",
    "MIN_LEARNING_ROWS",
    "PARTY_COLUMNS",
    "SynthModel",
    "dataset_columns",
    "fit",
    "generate",
    "is_labelled",
    "layout_strings",
    "load_dataset",
    "split_holdout",
    "train_and_generate",
    "write_layout_csv",
]
