"""The address of the client behind our proxies, for rate limits."""

from django.conf import settings


def client_ip(request) -> str:
    """``BACUDA_TRUSTED_PROXY_COUNT`` hops from the right of X-Forwarded-For, as DRF's throttles and allauth count.

    Entries further left were written by the client and can be anything; with no trusted proxy the header is
    ignored and the connection's address is the client's.
    """
    count = settings.BACUDA_TRUSTED_PROXY_COUNT
    forwarded = request.headers.get("x-forwarded-for")
    if count > 0 and forwarded:
        addresses = [address.strip() for address in forwarded.split(",")]
        return addresses[-min(count, len(addresses))]
    return request.META.get("REMOTE_ADDR", "")
