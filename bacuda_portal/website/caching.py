"""Caching of the public pages: whole pages for anonymous visitors, keyed by language, path and a content version.

Staff publishing a news post or changing a workshop, a course or a scholarship call bumps the content version
(``signals.py``), so every cached page is stale at once without having to know which pages showed it. Pages
also expire after ``BACUDA_PUBLIC_CACHE_SECONDS``, which bounds how old the live key figures can be; 0 turns
the cache off (every request renders its page).
"""

import hashlib
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.translation import get_language

VERSION_KEY = "website:content-version"
CACHEABLE_QUERY_KEYS = {"page"}


def content_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        # A fresh number, never one used before: an evicted version key cannot bring old pages back.
        version = time.time_ns()
        cache.add(VERSION_KEY, version, timeout=None)
        version = cache.get(VERSION_KEY, version)
    return version


def bump_content_version() -> None:
    """Makes every cached public page and figure stale."""
    cache.set(VERSION_KEY, time.time_ns(), timeout=None)


def versioned_key(name: str) -> str:
    return f"website:{content_version()}:{get_language()}:{name}"


def cached_value(name: str, compute):
    """``compute()`` once per content version and language (for the key figures and similar)."""
    if not settings.BACUDA_PUBLIC_CACHE_SECONDS:
        return compute()
    key = versioned_key(name)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=settings.BACUDA_PUBLIC_CACHE_SECONDS)
    return value


def _cacheable_request(request) -> bool:
    # Signed-in users see their own navigation; a pending message must be shown once, not cached.
    return (
        settings.BACUDA_PUBLIC_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and "messages" not in request.COOKIES
        # Only the query strings our pages use: made-up ones must not fill the cache with copies.
        and set(request.GET) <= CACHEABLE_QUERY_KEYS
        and not request.user.is_authenticated
    )


def public_page(view):
    """Serve an anonymous GET of this view from the cache (200 answers without cookies only)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        key = versioned_key(f"page:{path}")
        hit = cache.get(key)
        if hit is not None:
            content, content_type = hit
            response = HttpResponse(content, content_type=content_type)
            response["X-Page-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            cache.set(key, (response.content, response["Content-Type"]), timeout=settings.BACUDA_PUBLIC_CACHE_SECONDS)
            response["X-Page-Cache"] = "miss"
        return response

    return wrapped
