"""The W3C SPARQL 1.1 Protocol tests, reproduced as raw HTTP requests against `mkg serve`.

Source: the 34 tests of `sparql11/protocol/manifest.ttl` in the W3C rdf-tests repository; their
data (data1.nt, data2.nt, data3.nt) is copied in tests/data/server/ and served as the named
graphs the manifest names. Requests are sent as the manifest encodes them (method, path and
query string, Content-Type, body bytes); paths start at /sparql instead of /sparql/.

Applicable and reproduced (27 of 34):
  the 13 query_* tests, the 7 bad_query_* tests (bad_multiple_queries included), and the 7
  bad_update_* tests (bad_multiple_updates included), which expect a 4xx: a read-only endpoint
  refuses them (403, "read-only", or 415 for a body it cannot read) before looking at them.

Not applicable to a read-only endpoint (7): update_dataset_default_graph,
update_dataset_default_graphs, update_dataset_named_graphs, update_dataset_full,
update_post_form, update_post_direct and update_base_uri. Each expects a SPARQL Update to
succeed (2xx) and then checks its effect with a query; this endpoint refuses every update by
design. They are still sent here, and the tests check that each is refused with 403 and a
message saying the endpoint is read-only, and that the data did not change.

Also not applicable: the Graph Store Protocol tests (graph-store-protocol/, http-rdf-update/),
because the server does not offer the Graph Store Protocol (it loads no data over HTTP). The
three Service Description tests (service-description/) are reproduced in test_server.py.
"""

from dataclasses import dataclass

import pytest
import requests
from conftest import ENGINES

pytestmark = pytest.mark.engines(*ENGINES)

D = "http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata{}.rdf"
FORM = {"content-type": "application/x-www-form-urlencoded"}
DIRECT = {"content-type": "application/sparql-query"}
UPDATE = {"content-type": "application/sparql-update"}


@dataclass(frozen=True)
class Case:
    """One request of the manifest and what its response must be."""

    name: str
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    status: int  # 2 for 2xx/3xx, 4 for 4xx
    boolean: bool | None = None
    result: str | None = None  # "boolean", "tabular" or "RDF"


def _text(body: str) -> bytes:
    return body.encode("utf-8")


QUERY_CASES = [
    Case(
        "query_post_form",
        "POST",
        f"/sparql?default-graph-uri={D.format(0)}",
        FORM,
        _text("query=ASK%20%7B%7D"),
        2,
        True,
        "boolean",
    ),
    Case(
        "query_dataset_default_graphs_get",
        "GET",
        "/sparql?query=ASK%20%7B%20%3Chttp%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata1.rdf"
        "%3E%20a%20%3Ftype%20.%20%3Chttp%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata2.rdf"
        f"%3E%20a%20%3Ftype%20.%20%7D&default-graph-uri={D.format(1)}&default-graph-uri={D.format(2)}",
        {},
        None,
        2,
        True,
        "boolean",
    ),
    Case(
        "query_dataset_default_graphs_post",
        "POST",
        f"/sparql?default-graph-uri={D.format(1)}&default-graph-uri={D.format(2)}",
        DIRECT,
        _text(
            "ASK { <http://kasei.us/2009/09/sparql/data/data1.rdf> a ?type . "
            "<http://kasei.us/2009/09/sparql/data/data2.rdf> a ?type . }"
        ),
        2,
        True,
        "boolean",
    ),
    Case(
        "query_dataset_named_graphs_post",
        "POST",
        f"/sparql?named-graph-uri={D.format(1)}&named-graph-uri={D.format(2)}",
        DIRECT,
        _text(
            "ASK { GRAPH ?g1 { <http://kasei.us/2009/09/sparql/data/data1.rdf> a ?type } "
            "GRAPH ?g2 { <http://kasei.us/2009/09/sparql/data/data2.rdf> a ?type } }"
        ),
        2,
        True,
        "boolean",
    ),
    Case(
        "query_dataset_named_graphs_get",
        "GET",
        "/sparql?query=ASK%20%7B%20GRAPH%20%3Fg1%20%7B%20%3Chttp%3A%2F%2Fkasei.us%2F2009%2F09%2F"
        "sparql%2Fdata%2Fdata1.rdf%3E%20a%20%3Ftype%20%7D%20GRAPH%20%3Fg2%20%7B%20%3Chttp%3A%2F%2F"
        "kasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata2.rdf%3E%20a%20%3Ftype%20%7D%20%7D"
        f"&named-graph-uri={D.format(1)}&named-graph-uri={D.format(2)}",
        {},
        None,
        2,
        True,
        "boolean",
    ),
    Case(
        "query_dataset_full",
        "POST",
        f"/sparql?default-graph-uri={D.format(3)}&named-graph-uri={D.format(1)}"
        f"&named-graph-uri={D.format(2)}",
        DIRECT,
        _text(
            "ASK {\n  <http://kasei.us/2009/09/sparql/data/data3.rdf> a ?type\n"
            "  GRAPH ?g1 { <http://kasei.us/2009/09/sparql/data/data1.rdf> a ?type }\n"
            "  GRAPH ?g2 { <http://kasei.us/2009/09/sparql/data/data2.rdf> a ?type }\n}"
        ),
        2,
        True,
        "boolean",
    ),
    Case(
        "query_multiple_dataset",
        "POST",
        f"/sparql?named-graph-uri={D.format(1)}&named-graph-uri={D.format(2)}",
        DIRECT,
        _text(
            "ASK FROM <http://kasei.us/2009/09/sparql/data/data3.rdf> { GRAPH ?g1 { "
            "<http://kasei.us/2009/09/sparql/data/data1.rdf> a ?type } GRAPH ?g2 { "
            "<http://kasei.us/2009/09/sparql/data/data2.rdf> a ?type } }"
        ),
        2,
        True,
        "boolean",
    ),
    Case(
        "query_get",
        "GET",
        f"/sparql?query=ASK%20%7B%7D&default-graph-uri={D.format(0)}",
        {},
        None,
        2,
        True,
        "boolean",
    ),
    Case(
        "query_content_type_select",
        "POST",
        f"/sparql?default-graph-uri={D.format(0)}",
        DIRECT,
        _text("SELECT (1 AS ?value) {}"),
        2,
        None,
        "tabular",
    ),
    Case(
        "query_content_type_ask",
        "POST",
        f"/sparql?default-graph-uri={D.format(0)}",
        DIRECT,
        _text("ASK {}"),
        2,
        None,
        "boolean",
    ),
    Case(
        "query_content_type_describe",
        "POST",
        f"/sparql?default-graph-uri={D.format(0)}",
        DIRECT,
        _text("DESCRIBE <http://example.org/>"),
        2,
        None,
        "RDF",
    ),
    Case(
        "query_content_type_construct",
        "POST",
        f"/sparql?default-graph-uri={D.format(0)}",
        DIRECT,
        _text("CONSTRUCT { <s> <p> 1 } WHERE {}"),
        2,
        None,
        "RDF",
    ),
    Case("query_post_direct", "POST", "/sparql", DIRECT, _text("ASK {}"), 2, True, "boolean"),
]

BAD_CASES = [
    Case(
        "bad_query_method",
        "PUT",
        f"/sparql?query=ASK%20%7B%7D&default-graph-uri={D.format(0)}",
        FORM,
        None,
        4,
    ),
    Case(
        "bad_multiple_queries",
        "GET",
        "/sparql?query=ASK%20%7B%7D&query=SELECT%20%2A%20%7B%7D",
        {},
        None,
        4,
    ),
    Case(
        "bad_query_wrong_media_type",
        "POST",
        "/sparql",
        {"content-type": "text/plain"},
        _text("ASK {}"),
        4,
    ),
    Case("bad_query_missing_form_type", "POST", "/sparql", {}, _text("query=ASK%20%7B%7D"), 4),
    Case("bad_query_missing_direct_type", "POST", "/sparql", {}, _text("ASK {}"), 4),
    Case(
        "bad_query_non_utf8",
        "POST",
        "/sparql",
        {"content-type": "application/sparql-query; charset=UTF-16"},
        "ASK {}".encode("utf-16"),
        4,
    ),
    Case("bad_query_syntax", "GET", "/sparql?query=ASK%20%7B", {}, None, 4),
    Case("bad_update_get", "GET", "/sparql?update=CLEAR%20ALL", {}, None, 4),
    Case(
        "bad_multiple_updates",
        "POST",
        "/sparql",
        FORM,
        _text("update=CLEAR%20NAMED&update=CLEAR%20DEFAULT"),
        4,
    ),
    Case(
        "bad_update_wrong_media_type",
        "POST",
        "/sparql",
        {"content-type": "text/plain"},
        _text("CLEAR NAMED"),
        4,
    ),
    Case("bad_update_missing_form_type", "POST", "/sparql", {}, _text("update=CLEAR%20NAMED"), 4),
    Case(
        "bad_update_non_utf8",
        "POST",
        "/sparql",
        {"content-type": "application/sparql-update; charset=UTF-16"},
        "CLEAR NAMED".encode("utf-16"),
        4,
    ),
    Case("bad_update_syntax", "POST", "/sparql", FORM, _text("update=CLEAR%20XYZ"), 4),
    Case(
        "bad_update_dataset_conflict",
        "POST",
        "/sparql?using-named-graph-uri=http%3A%2F%2Fexample%2Fpeople",
        UPDATE,
        _text(
            "PREFIX foaf:  <http://xmlns.com/foaf/0.1/>\nWITH <http://example/addresses>\n"
            "DELETE { ?person foaf:givenName 'Bill' }\n"
            "INSERT { ?person foaf:givenName 'William' }\n"
            "WHERE {\n    ?person foaf:givenName 'Bill'\n}"
        ),
        4,
    ),
]

# The update tests expect success; here each must be refused as read-only (see the docstring).
NOT_APPLICABLE = {
    "update_dataset_default_graph": (
        f"/sparql?using-graph-uri={D.format(1)}",
        "CLEAR ALL ;\nINSERT DATA { GRAPH <http://kasei.us/2009/09/sparql/data/data1.rdf> { "
        "<http://kasei.us/2009/09/sparql/data/data1.rdf> a <http://xmlns.com/foaf/0.1/Document> "
        "} }",
    ),
    "update_dataset_default_graphs": (
        f"/sparql?using-graph-uri={D.format(1)}&using-graph-uri={D.format(2)}",
        "DROP ALL ; INSERT { GRAPH <http://example.org/protocol-update-dataset-graphs-test/> { "
        "?s a <http://purl.org/dc/terms/BibliographicResource> } } "
        "WHERE { ?s a <http://xmlns.com/foaf/0.1/Document> }",
    ),
    "update_dataset_named_graphs": (
        f"/sparql?using-named-graph-uri={D.format(1)}&using-named-graph-uri={D.format(2)}",
        "DROP ALL ; INSERT { GRAPH <http://example.org/protocol-update-dataset-named-graphs-test/>"
        " { ?s a <http://purl.org/dc/terms/BibliographicResource> } } "
        "WHERE { GRAPH ?g { ?s a <http://xmlns.com/foaf/0.1/Document> } }",
    ),
    "update_dataset_full": (
        f"/sparql?using-graph-uri={D.format(1)}&using-named-graph-uri={D.format(2)}",
        "DROP ALL ; INSERT { GRAPH <http://example.org/protocol-update-dataset-full-test/> { "
        "?s <http://example.org/in> ?in } } WHERE { GRAPH ?g { ?s a ?t } BIND(?g AS ?in) }",
    ),
    "update_post_form": ("/sparql", None),
    "update_post_direct": ("/sparql", "CLEAR ALL"),
    "update_base_uri": (
        "/sparql",
        "CLEAR SILENT GRAPH <http://example.org/protocol-base-test/> ;\nINSERT DATA { GRAPH "
        "<http://example.org/protocol-base-test/> { <http://example.org/s> <http://example.org/p> "
        "<test> } }",
    ),
}

RESULT_TYPES = {
    "boolean": ("application/sparql-results+json", "application/sparql-results+xml"),
    "tabular": (
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    ),
    "RDF": ("application/rdf+xml", "text/turtle", "application/n-triples"),
}


def _send(server, case: Case) -> requests.Response:
    return requests.request(
        case.method, server.url + case.path, headers=case.headers, data=case.body, timeout=30
    )


@pytest.mark.parametrize("case", QUERY_CASES + BAD_CASES, ids=lambda case: case.name)
def test_w3c_protocol_case(protocol_server, case: Case) -> None:
    response = _send(protocol_server, case)
    assert response.status_code // 100 in ((2, 3) if case.status == 2 else (4,)), response.text
    if case.result is not None:
        media_type = response.headers["Content-Type"].split(";")[0]
        assert media_type in RESULT_TYPES[case.result]
    if case.boolean is not None:
        assert response.json()["boolean"] is case.boolean


def test_w3c_dataset_tests_fail_without_the_protocol_dataset(protocol_server) -> None:
    """The dataset tests are not vacuous: without default-graph-uri the union answers, with a
    default graph that lacks data2 the same ASK is false."""
    ask = (
        "ASK { <http://kasei.us/2009/09/sparql/data/data1.rdf> a ?type . "
        "<http://kasei.us/2009/09/sparql/data/data2.rdf> a ?type . }"
    )
    url = protocol_server.url + "/sparql"
    assert requests.get(url, params={"query": ask}, timeout=30).json()["boolean"] is True
    only_one = {"query": ask, "default-graph-uri": "http://kasei.us/2009/09/sparql/data/data1.rdf"}
    assert requests.get(url, params=only_one, timeout=30).json()["boolean"] is False
    named_only = {"query": ask, "named-graph-uri": "http://kasei.us/2009/09/sparql/data/data1.rdf"}
    assert requests.get(url, params=named_only, timeout=30).json()["boolean"] is False


@pytest.mark.parametrize("name", sorted(NOT_APPLICABLE))
def test_w3c_update_tests_are_refused_as_read_only(protocol_server, name: str) -> None:
    path, body = NOT_APPLICABLE[name]
    if body is None:
        response = requests.post(
            protocol_server.url + path, headers=FORM, data=b"update=CLEAR+ALL", timeout=30
        )
    else:
        response = requests.post(
            protocol_server.url + path, headers=UPDATE, data=body.encode(), timeout=30
        )
    assert response.status_code == 403
    assert "read-only" in response.json()["error"]
    count = requests.get(
        protocol_server.url + "/sparql",
        params={"query": "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"},
        timeout=30,
    ).json()
    assert count["results"]["bindings"][0]["n"]["value"] == "3"
