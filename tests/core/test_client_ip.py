"""Rate limits key on the client's address: X-Forwarded-For counts only as far as our own proxies wrote it."""

import pytest
from django.test import RequestFactory
from rest_framework.throttling import AnonRateThrottle

from bacuda_portal.core.client_ip import client_ip

CASES = [
    (0, None, "10.0.0.1"),
    (0, "203.0.113.7", "10.0.0.1"),  # no proxy of ours: the header is the client's own words
    (1, None, "10.0.0.1"),
    (1, "203.0.113.7", "203.0.113.7"),
    (1, "6.6.6.6, 203.0.113.7", "203.0.113.7"),  # the client wrote 6.6.6.6, our proxy appended the real one
    (2, "6.6.6.6, 203.0.113.7, 10.1.1.1", "203.0.113.7"),
    (2, "203.0.113.7", "203.0.113.7"),  # fewer hops than proxies: the leftmost
]


@pytest.mark.parametrize(("proxies", "forwarded", "expected"), CASES)
def test_client_ip(settings, proxies, forwarded, expected):
    settings.BACUDA_TRUSTED_PROXY_COUNT = proxies
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", **headers)
    assert client_ip(request) == expected


@pytest.mark.parametrize(("proxies", "forwarded", "expected"), CASES)
def test_the_api_throttles_identify_the_client_the_same_way(settings, proxies, forwarded, expected):
    # The test settings switch throttling off; its client identification is what the settings decide.
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": proxies}
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", **headers)
    assert AnonRateThrottle().get_ident(request) == expected


def test_the_api_ignores_forwarded_headers_by_default():
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert AnonRateThrottle().get_ident(request) == "10.0.0.1"
