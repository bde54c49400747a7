"""Security headers on every response, and the 404 page's search link (hardening issue)."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pyoxigraph
import pytest
import requests
from conftest import ENGINES

from server.headers import SECURITY_HEADERS

pytestmark = pytest.mark.engines(*ENGINES)

HTML = {"Accept": "text/html"}


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/", HTML),
        ("/sparql", HTML),
        ("/sparql?query=ASK%20%7B%7D", {"Accept": "application/sparql-results+json"}),
        ("/gene/HGNC_11909", HTML),
        ("/gene/HGNC_11909", {"Accept": "text/turtle"}),
        ("/no/such/thing", HTML),
        ("/health", {}),
        ("/static/style.css", {}),
    ],
)
def test_every_response_carries_the_security_headers(things_server, path, headers) -> None:
    response = requests.get(things_server.url + path, headers=headers, timeout=30)
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, (path, name)


def test_the_policy_allows_only_this_server_and_no_framing() -> None:
    policy = SECURITY_HEADERS["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "*" not in policy
    assert SECURITY_HEADERS["X-Content-Type-Options"] == "nosniff"


def test_the_protocol_endpoint_keeps_cors(things_server) -> None:
    response = requests.get(things_server.url + "/sparql", params={"query": "ASK {}"}, timeout=30)
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def _search_query(page: str) -> str:
    link = re.search(r'<a href="([^"]+)">Search the labels', page)
    assert link is not None
    return parse_qs(urlsplit(unescape(link.group(1))).query)["query"][0]


@pytest.mark.parametrize("tail", ["\\", '"', '\\"', "x" * 120, '"\\' * 80, "é\\x"])
def test_the_404_search_link_is_a_valid_query_wherever_the_cut_falls(things_server, tail) -> None:
    """The last word was escaped, then cut at 100 characters: a cut could split an escape."""
    word = "a" * 99 + tail
    response = requests.get(
        things_server.url + "/gene/" + requests.utils.quote(word, safe=""),
        headers=HTML,
        timeout=30,
    )
    assert response.status_code == 404
    query = _search_query(response.text)
    list(pyoxigraph.Store().query(query))  # parses and runs
