"""The container health check: ``python -m bacuda_portal.healthcheck`` exits 0 when ``/healthz`` answers 200.

It asks the web server in the same container, as the proxy would: with a host name from ``DJANGO_ALLOWED_HOSTS``
(any other is refused) and ``X-Forwarded-Proto: https`` (plain HTTP is redirected to HTTPS in production). It imports
nothing from Django, so that a check every 30 seconds costs a few milliseconds.
"""

import http.client
import os
import sys


def allowed_host() -> str:
    """A concrete host name that ``DJANGO_ALLOWED_HOSTS`` accepts: ".example.org" accepts "example.org"."""
    for pattern in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(","):
        host = pattern.strip().lstrip("*.")
        if host:
            return host
    return "localhost"


def main() -> int:
    port = int(os.environ.get("BACUDA_HEALTHCHECK_PORT", "8000"))
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", "/healthz", headers={"Host": allowed_host(), "X-Forwarded-Proto": "https"})
        status = connection.getresponse().status
    except OSError as error:
        print(f"healthcheck: {error}", file=sys.stderr)
        return 1
    if status != 200:
        print(f"healthcheck: /healthz answered {status}", file=sys.stderr)
    return 0 if status == 200 else 1


if __name__ == "__main__":
    sys.exit(main())
