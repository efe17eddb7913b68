"""A fixed-window counter in the cache for public forms (a lost-link request, a contact message)."""

from django.core.cache import cache


def over_limit(key: str, *, limit: int, window: int) -> bool:
    """Count one more request under ``key``; True once more than ``limit`` came in the ``window`` seconds."""
    key = f"rate-limit:{key}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count > limit
