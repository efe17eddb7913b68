"""The strategies' names and labels, and the parameters' defaults and bounds (no model library imported)."""

STRATEGY_NAMES = ("random", "profiles", "lightgbm", "date", "hybrid_random", "hybrid_bate", "adaptive")
STRATEGY_LABELS = {
    "random": "Random",
    "profiles": "Risky profiles",
    "lightgbm": "LightGBM exploitation",
    "date": "DATE exploitation",
    "hybrid_random": "LightGBM + random exploration",
    "hybrid_bate": "LightGBM + bATE-style exploration",
    "adaptive": "Adaptive hybrid (LightGBM + bATE-style)",
}
DEFAULT_STRATEGIES = ("random", "profiles", "lightgbm", "hybrid_bate")
DEFAULTS = {
    "train_start": None,  # "YYYY-MM-DD"; None: the dataset's first date
    "train_days": 91,
    "batch_days": 7,
    "batches": 52,
    "rate": 0.05,  # share of each batch inspected (0, 1]
    "final_rate": None,  # None: a fixed rate; else the rate moves linearly from ``rate`` to it over the batches
    "strategies": list(DEFAULT_STRATEGIES),
    "exploration": 0.1,  # exploration share of the hybrids (the adaptive hybrid's starting share)
    "retrain_every": 1,
    "threads": 1,
}
# name -> (low, high, whole number, low bound excluded)
BOUNDS = {
    "train_days": (1, 3660, True, False),
    "batch_days": (1, 366, True, False),
    "batches": (1, 520, True, False),
    "rate": (0, 1, False, True),
    "final_rate": (0, 1, False, True),
    "exploration": (0, 1, False, False),
    "retrain_every": (1, 520, True, False),
    "threads": (1, 16, True, False),
}
