"""The database refuses connections for a moment: pages answer the 503 page in the site's style (not a bare 500),
and the portal recovers by itself when the database is back, persistent connections included.

On PostgreSQL the app talks to the server through a TCP proxy the test stops and starts (the real server is never
touched); on SQLite the database file is pointed at a folder that does not exist, which SQLite refuses the same way."""

from pathlib import Path

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse

from tests.faults.proxy import TcpProxy

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


class Response:
    def __init__(self, status: str, headers: list, body: bytes):
        self.status_code = int(status.split()[0])
        self.headers = dict(headers)
        self.text = body.decode()


class Browser:
    """Requests through Django's real WSGI handler, as gunicorn makes them. (The test client disconnects
    ``close_old_connections`` from the request signals, so it cannot show how connections recover.)"""

    def __init__(self, cookies: str = ""):
        self.handler = WSGIHandler()
        self.cookies = cookies

    def get(self, path: str) -> Response:
        environ = RequestFactory().get(path, HTTP_COOKIE=self.cookies).environ
        started = {}
        result = self.handler(environ, lambda status, headers, exc_info=None: started.update(s=status, h=headers))
        try:
            body = b"".join(result)
        finally:
            result.close()  # request_finished: what the server does after each response
        return Response(started["s"], started["h"], body)


class Outage:
    """Switch the default connection's route to the database off and on."""

    def __init__(self, tmp_path: Path):
        self.saved = dict(connection.settings_dict)
        self.tmp_path = tmp_path
        self.proxy = None
        connection.close()
        # Persistent connections with health checks, as in production: a dead connection must be replaced.
        connection.settings_dict["CONN_MAX_AGE"] = 600
        connection.settings_dict["CONN_HEALTH_CHECKS"] = True
        if connection.vendor == "postgresql":
            self.proxy = TcpProxy(self.saved["HOST"] or "127.0.0.1", int(self.saved["PORT"] or 5432)).start()
            connection.settings_dict["HOST"], connection.settings_dict["PORT"] = "127.0.0.1", str(self.proxy.port)

    def down(self):
        if self.proxy is not None:
            self.proxy.stop()  # cuts the open connection too: the persistent one is now dead
        else:
            connection.close()
            connection.settings_dict["NAME"] = str(self.tmp_path / "no-such-folder" / "db.sqlite3")

    def up(self):
        if self.proxy is not None:
            self.proxy.start()
        else:
            connection.settings_dict["NAME"] = self.saved["NAME"]

    def restore(self):
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(self.saved)
        if self.proxy is not None:
            self.proxy.stop()


@pytest.fixture
def outage(tmp_path):
    route = Outage(tmp_path)
    yield route
    route.restore()


def test_pages_answer_503_while_the_database_is_down_and_recover_by_themselves(client, outage):
    from tests.factories import StaffFactory

    client.force_login(StaffFactory())
    signed_in = Browser("; ".join(f"{key}={morsel.value}" for key, morsel in client.cookies.items()))
    pages = [reverse("workshops:list"), reverse("workshops:dashboard"), "/api/v1/contact-points/"]
    for url in pages:
        assert signed_in.get(url).status_code == 200, url
    anonymous = Browser()
    verify = reverse("workshops:certificate_verify", kwargs={"code": "ABCDEFGHJKMN"})
    assert anonymous.get(verify).status_code == 404  # looked up, not found: the database answered

    outage.down()
    for url in pages:  # the session and the user are loaded by middleware: the outage shows there first
        response = signed_in.get(url)
        assert response.status_code == 503, url
        assert response.headers["Retry-After"] == "30"
        assert "The portal is temporarily unavailable" in response.text
        assert "Nothing you saved before is lost" in response.text
        assert 'class="site-header"' in response.text  # the site's own layout, not a bare error
    assert anonymous.get(verify).status_code == 503  # the view's own query
    assert anonymous.get(reverse("liveness")).status_code == 503  # the load balancer's probe says so too

    outage.up()
    # No restart and no action: the next requests are served again (the dead persistent connection is dropped).
    for url in pages:
        assert signed_in.get(url).status_code == 200, url
    assert anonymous.get(verify).status_code == 404  # looked up, not found: the database answered
    assert anonymous.get(reverse("liveness")).status_code == 200


def test_the_503_page_is_in_french_for_french_urls(client, outage):
    outage.down()
    verify = reverse("workshops:certificate_verify", kwargs={"code": "ABCDEFGHJKMN"}).replace("/en/", "/fr/", 1)
    response = Browser().get(verify)
    assert response.status_code == 503
    assert '<html lang="fr">' in response.text
