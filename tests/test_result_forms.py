"""Every result form (SELECT, ASK, CONSTRUCT, DESCRIBE) in every format, HTML included, over HTTP.

Each answer is read back with a client's parser (rdflib) and compared with the same answer in
another format; HTML answers are the query page with its result table. Also here: N-Triples and
TSV for clients that ask for text/plain, and the CORS preflight.
"""

import io
import re
from html.parser import HTMLParser

import pytest
import requests
from conftest import ENGINES
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF
from rdflib.query import Result

from ingest.namespaces import MKG

pytestmark = pytest.mark.engines(*ENGINES)

TNFSF11 = "https://w3id.org/mkg/gene/HGNC_11926"
MKG_PREFIX = "PREFIX mkg: <https://w3id.org/mkg/ontology/>\n"
QUERIES = {
    "SELECT": MKG_PREFIX + "SELECT ?year (COUNT(?p) AS ?papers) "
    "WHERE { ?p mkg:publicationYear ?year } GROUP BY ?year ORDER BY ?year",
    "ASK": MKG_PREFIX + f"ASK {{ <{TNFSF11}> a mkg:Gene }}",
    "CONSTRUCT": MKG_PREFIX + "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "CONSTRUCT { ?g a mkg:Gene ; rdfs:label ?l } WHERE { ?g a mkg:Gene ; rdfs:label ?l }",
    "DESCRIBE": f"DESCRIBE <{TNFSF11}>",
}
SOLUTION_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "html": "text/html",
}
GRAPH_TYPES = {
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "xml": "application/rdf+xml",
    "json-ld": "application/ld+json",
    "html": "text/html",
}
CASES = [(form, fmt) for form in ("SELECT", "ASK") for fmt in SOLUTION_TYPES] + [
    (form, fmt) for form in ("CONSTRUCT", "DESCRIBE") for fmt in GRAPH_TYPES
]
# rdflib's JSON-LD parser builds a ConjunctiveGraph, which rdflib itself deprecates.
JSONLD_WARNING = "ignore:ConjunctiveGraph is deprecated:DeprecationWarning"


def ask(server, query: str, accept: str, method: str = "GET") -> requests.Response:
    url = server.url + "/sparql"
    if method == "POST":
        return requests.post(url, data={"query": query}, headers={"Accept": accept}, timeout=60)
    return requests.get(url, params={"query": query}, headers={"Accept": accept}, timeout=60)


class _ResultPage(HTMLParser):
    """The parts of the query page a test reads: the result table, the boolean, the error."""

    def __init__(self) -> None:
        super().__init__()
        self.header: list[str] = []
        self.rows: list[list[str]] = []
        self.boolean: str | None = None
        self.error: str | None = None
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        ids = dict(attrs).get("id")
        if ids in ("boolean", "error"):
            self._in.append(ids)
            setattr(self, ids, "")
        if tag == "tr" and self._in[-1:] == ["tbody"]:
            self.rows.append([])
        if tag in ("thead", "tbody"):
            self._in.append(tag)
        if tag in ("th", "td"):
            self._in.append(tag)
            if tag == "th":
                self.header.append("")
            else:
                self.rows[-1].append("")

    def handle_endtag(self, tag: str) -> None:
        if self._in and (tag in ("thead", "tbody", "th", "td") and self._in[-1] == tag):
            self._in.pop()
        elif self._in and self._in[-1] in ("boolean", "error") and tag in ("p", "div"):
            self._in.pop()

    def handle_data(self, data: str) -> None:
        where = self._in[-1] if self._in else None
        if where == "th":
            self.header[-1] += data.strip()
        elif where == "td":
            self.rows[-1][-1] += data.strip()
        elif where in ("boolean", "error"):
            setattr(self, where, (getattr(self, where) or "") + data)


def result_page(text: str) -> _ResultPage:
    page = _ResultPage()
    page.feed(text)
    return page


def reference(server, form: str):
    """The answer as N-Triples (graphs) or SPARQL JSON (solutions), read by rdflib."""
    if form in ("CONSTRUCT", "DESCRIBE"):
        response = ask(server, QUERIES[form], "application/n-triples")
        assert response.status_code == 200, response.text
        return Graph().parse(data=response.text, format="nt")
    response = ask(server, QUERIES[form], "application/sparql-results+json")
    assert response.status_code == 200, response.text
    return Result.parse(io.BytesIO(response.content), format="json")


@pytest.mark.filterwarnings(JSONLD_WARNING)
@pytest.mark.parametrize(("form", "fmt"), CASES, ids=[f"{f}-{t}" for f, t in CASES])
def test_every_form_answers_in_every_format(live_server, form: str, fmt: str) -> None:
    """Regression, issue "the first hour of a new user", item 1: every CONSTRUCT or DESCRIBE
    asked for as HTML answered 400 "AttributeError: 'str' object has no attribute 'value'"."""
    graph_form = form in ("CONSTRUCT", "DESCRIBE")
    media_type = (GRAPH_TYPES if graph_form else SOLUTION_TYPES)[fmt]
    response = ask(live_server, QUERIES[form], media_type)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].split(";")[0] == media_type
    expected = reference(live_server, form)
    if fmt == "html":
        page = result_page(response.text)
        assert page.error is None, page.error
        if form == "ASK":
            assert page.boolean == "true"
        elif graph_form:
            assert page.header == ["subject", "predicate", "object"]
            assert len(page.rows) == len(expected) > 0
            assert response.headers["MKG-Rows"] == str(len(expected))
        else:
            assert page.header == ["year", "papers"]
            years = [str(row[0]) for row in expected]
            # A cell shows the value, then its datatype.
            assert len(page.rows) == len(years)
            assert [
                row[0][: len(year)] for row, year in zip(page.rows, years, strict=True)
            ] == years
    elif graph_form:
        graph = Graph().parse(data=response.content, format=fmt)
        assert len(graph) > 0 and isomorphic(graph, expected)
        if form == "DESCRIBE":
            assert (URIRef(TNFSF11), RDF.type, MKG.Gene) in graph
    elif form == "ASK" and fmt in ("csv", "tsv"):
        # SPARQL's CSV and TSV have no boolean form; the engine writes the word.
        assert response.text.strip() == "true"
    elif form == "ASK":
        assert Result.parse(io.BytesIO(response.content), format=fmt).askAnswer is True
    else:
        result = Result.parse(io.BytesIO(response.content), format=fmt)
        assert [str(v) for v in result.vars] == ["year", "papers"]
        assert [tuple(map(str, row)) for row in result] == [tuple(map(str, r)) for r in expected]


@pytest.mark.parametrize("form", ["CONSTRUCT", "DESCRIBE", "SELECT", "ASK"])
def test_the_query_page_shows_every_form(live_server, form: str) -> None:
    """Regression, issue "the first hour of a new user", item 1: the query page (a form POST
    with format=html) answered CONSTRUCT and DESCRIBE with an AttributeError."""
    response = requests.post(
        live_server.url + "/sparql", data={"query": QUERIES[form], "format": "html"}, timeout=60
    )
    assert response.status_code == 200, response.text
    page = result_page(response.text)
    assert page.error is None, page.error
    assert page.rows or page.boolean == "true"
    if form in ("CONSTRUCT", "DESCRIBE"):
        count = len(reference(live_server, form))
        assert re.search(rf"\b{count} triples? in ", response.text)
        assert 'href="/gene/HGNC_11926"' in response.text


def test_graphs_asked_for_as_text_plain_are_n_triples(live_server) -> None:
    """Regression, issue "the first hour of a new user", item 7: `Accept: text/plain` alone got
    406, and rdflib asking for N-Triples got Turtle."""
    response = ask(live_server, QUERIES["CONSTRUCT"], "text/plain")
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("application/n-triples")
    graph = Graph().parse(data=response.text, format="nt")
    assert isomorphic(graph, reference(live_server, "CONSTRUCT"))


def test_rdflib_reads_a_thing_page_as_n_triples(live_server) -> None:
    """Regression, issue "the first hour of a new user", item 7: rdflib's format="nt" sends
    `Accept: text/plain, */*;q=0.1` and got Turtle, which its N-Triples parser rejects."""
    graph = Graph().parse(live_server.url + "/gene/HGNC_11926", format="nt")
    assert (URIRef(TNFSF11), RDF.type, MKG.Gene) in graph
    response = requests.get(
        live_server.url + "/gene/HGNC_11926", headers={"Accept": "text/plain"}, timeout=30
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/n-triples")


def test_solutions_asked_for_as_text_plain_are_tsv(live_server) -> None:
    """TSV, not CSV: its terms keep their N-Triples form (IRIs, datatypes, languages)."""
    response = ask(live_server, QUERIES["SELECT"], "text/plain")
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("text/tab-separated-values")
    result = Result.parse(io.BytesIO(response.content), format="tsv")
    expected = reference(live_server, "SELECT")
    assert [tuple(map(str, row)) for row in result] == [tuple(map(str, r)) for r in expected]


def test_text_wildcards_still_prefer_the_main_text_formats(live_server) -> None:
    response = ask(live_server, QUERIES["SELECT"], "text/*")
    assert response.headers["Content-Type"].startswith("text/csv")
    response = ask(live_server, QUERIES["CONSTRUCT"], "text/*")
    assert response.headers["Content-Type"].startswith("text/turtle")


def preflight(server, headers: str | None) -> requests.Response:
    sent = {"Origin": "https://yasgui.example", "Access-Control-Request-Method": "POST"}
    if headers is not None:
        sent["Access-Control-Request-Headers"] = headers
    return requests.options(server.url + "/sparql", headers=sent, timeout=10)


def allowed(response: requests.Response) -> set[str]:
    value = response.headers["Access-Control-Allow-Headers"]
    return {name.strip().lower() for name in value.split(",")}


def test_preflight_allows_the_safe_headers_a_client_asks_for(live_server) -> None:
    """Regression, issue "the first hour of a new user", item 7: the preflight allowed only
    Accept and Content-Type, so a client sending Cache-Control or If-None-Match was blocked."""
    response = preflight(
        live_server, "content-type, cache-control, if-none-match, x-requested-with"
    )
    assert response.status_code == 204
    assert {"content-type", "cache-control", "if-none-match", "x-requested-with"} <= allowed(
        response
    )
    assert "Access-Control-Request-Headers" in response.headers["Vary"]


def test_preflight_does_not_allow_credentials_or_unknown_headers(live_server) -> None:
    response = preflight(live_server, "Authorization, Cookie, X-Custom, Accept")
    assert response.status_code == 204
    assert allowed(response) == {"accept", "content-type"}


def test_preflight_without_requested_headers_allows_accept_and_content_type(live_server) -> None:
    assert allowed(preflight(live_server, None)) == {"accept", "content-type"}
