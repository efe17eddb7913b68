"""The web process builds the AI-HS model in the background at start-up (bacuda_portal/wsgi.py)."""

from algorithms.engines import aihs
from algorithms.preload import preload_aihs_in_background


def test_the_warm_up_builds_the_shared_default_model(monkeypatch):
    monkeypatch.setattr(aihs, "_default", None)
    thread = preload_aihs_in_background()
    thread.join(timeout=120)
    assert not thread.is_alive()
    assert aihs._default is not None and aihs.default_model() is aihs._default
