"""Warm-up of the in-process AI-HS model for web processes (see ``bacuda_portal/wsgi.py``)."""

import logging
import threading

logger = logging.getLogger(__name__)


def _build() -> None:
    try:
        from .engines import aihs

        aihs.default_model().suggest("warm-up: cotton shirts", 1)  # loads the encoder as well as the indexes
    except Exception:  # a failed warm-up only means the first request builds it, and says why then
        logger.exception("AI-HS warm-up failed")


def preload_aihs_in_background() -> threading.Thread:
    thread = threading.Thread(target=_build, name="aihs-preload", daemon=True)
    thread.start()
    return thread
