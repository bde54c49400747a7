"""The endpoint over the current build, over real HTTP: formats, negotiation, pages, clients."""

import csv
import http.client
import io
import json
import statistics
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from conftest import ENGINES
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.query import Result

from ingest.namespaces import DATASET_IRI, MKG

pytestmark = pytest.mark.engines(*ENGINES)

SD = "http://www.w3.org/ns/sparql-service-description#"
YEARS = """PREFIX mkg: <https://w3id.org/mkg/ontology/>
SELECT ?year (COUNT(?paper) AS ?papers) WHERE { ?paper mkg:publicationYear ?year }
GROUP BY ?year ORDER BY ?year"""
CONSTRUCT = """PREFIX mkg: <https://w3id.org/mkg/ontology/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
CONSTRUCT { ?gene a mkg:Gene ; rdfs:label ?label } WHERE { ?gene a mkg:Gene ; rdfs:label ?label }"""
RESULT_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_TYPES = {
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "xml": "application/rdf+xml",
    "json-ld": "application/ld+json",
}
# rdflib's JSON-LD parser builds a ConjunctiveGraph, which rdflib itself deprecates.
JSONLD_WARNING = "ignore:ConjunctiveGraph is deprecated:DeprecationWarning"
ENTITY_CLASSES = (
    "Gene",
    "GeneFamily",
    "Drug",
    "AnatomicalSite",
    "Cancer",
    "CellType",
    "Organism",
    "MetastaticProcess",
)


def sparql(server, query: str, **kwargs) -> requests.Response:
    """GET /sparql with `query` and return the response."""
    params = {"query": query, **kwargs.pop("params", {})}
    return requests.get(server.url + "/sparql", params=params, timeout=60, **kwargs)


def rows(server, query: str) -> list[dict[str, str]]:
    """Return SELECT results as dicts of plain values."""
    response = sparql(server, query)
    assert response.status_code == 200, response.text
    bindings = response.json()["results"]["bindings"]
    return [{name: term["value"] for name, term in row.items()} for row in bindings]


def local(server, iri: str) -> str:
    """Return the URL of this server that describes a thing IRI."""
    return server.url + "/" + iri.removeprefix("https://w3id.org/mkg/")


def test_health_reports_the_build(live_server, built_dir: Path) -> None:
    health = requests.get(live_server.url + "/health", timeout=10).json()
    assert health["status"] == "ok"
    assert health["data"] == f"build {(built_dir / 'current').resolve().name}"


@pytest.mark.parametrize("fmt", sorted(RESULT_TYPES))
def test_select_results_parse_back_in_every_format(live_server, fmt: str) -> None:
    expected = {(row["year"], row["papers"]) for row in rows(live_server, YEARS)}
    response = sparql(live_server, YEARS, headers={"Accept": RESULT_TYPES[fmt]})
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith(RESULT_TYPES[fmt])
    result = Result.parse(io.BytesIO(response.content), format=fmt)
    assert [str(v) for v in result.vars] == ["year", "papers"]
    assert {(str(row[0]), str(row[1])) for row in result} == expected
    if fmt == "csv":
        table = list(csv.reader(io.StringIO(response.text)))
        assert table[0] == ["year", "papers"] and len(table) == len(expected) + 1


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_ask_results_parse_back(live_server, fmt: str) -> None:
    ask = "ASK { ?review a <http://purl.org/spar/fabio/ReviewArticle> }"
    response = sparql(live_server, ask, headers={"Accept": RESULT_TYPES[fmt]})
    assert Result.parse(io.BytesIO(response.content), format=fmt).askAnswer is True


@pytest.mark.filterwarnings(JSONLD_WARNING)
def test_construct_results_parse_back_in_every_format(live_server) -> None:
    graphs = {}
    for fmt, media_type in GRAPH_TYPES.items():
        response = sparql(live_server, CONSTRUCT, headers={"Accept": media_type})
        assert response.status_code == 200
        assert response.headers["Content-Type"].startswith(media_type)
        graphs[fmt] = Graph().parse(data=response.content, format=fmt)
    reference = graphs.pop("nt")
    assert len(reference) > 20
    for fmt, graph in graphs.items():
        assert isomorphic(graph, reference), fmt


def test_describe_answers_turtle(live_server) -> None:
    gene = rows(live_server, "SELECT ?g { ?g a <https://w3id.org/mkg/ontology/Gene> } LIMIT 1")
    iri = gene[0]["g"]
    response = sparql(live_server, f"DESCRIBE <{iri}>")
    assert response.headers["Content-Type"].startswith("text/turtle")
    graph = Graph().parse(data=response.text, format="turtle")
    assert (URIRef(iri), RDF.type, MKG.Gene) in graph


def _raw_get(server, path: str) -> tuple[int, dict[str, str], bytes]:
    """GET with no Accept header at all (requests always sends one)."""
    parts = urlsplit(server.url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.putrequest("GET", path, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def test_without_accept_graphs_are_turtle_and_solutions_json(live_server) -> None:
    encoded = requests.Request("GET", "http://x/sparql", params={"query": CONSTRUCT}).prepare()
    status, headers, _ = _raw_get(live_server, "/sparql?" + encoded.url.split("?", 1)[1])
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    encoded = requests.Request("GET", "http://x/sparql", params={"query": YEARS}).prepare()
    status, headers, _ = _raw_get(live_server, "/sparql?" + encoded.url.split("?", 1)[1])
    assert status == 200 and headers["Content-Type"].startswith("application/sparql-results+json")


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
        (
            "application/sparql-results+xml;q=0.2, text/tab-separated-values",
            "text/tab-separated-values",
        ),
        ("text/*;q=0.9, application/sparql-results+json;q=0.1", "text/csv"),
        ("*/*", "application/sparql-results+json"),
        ("application/json", "application/sparql-results+json"),
    ],
)
def test_accept_q_values_are_respected(live_server, accept: str, expected: str) -> None:
    response = sparql(live_server, YEARS, headers={"Accept": accept})
    assert response.headers["Content-Type"].split(";")[0] == expected


def test_nothing_acceptable_is_406(live_server) -> None:
    response = sparql(live_server, YEARS, headers={"Accept": "image/png"})
    assert response.status_code == 406
    response = sparql(live_server, CONSTRUCT, headers={"Accept": "text/csv"})
    assert response.status_code == 406


def test_format_parameter_wins_over_accept(live_server) -> None:
    response = sparql(live_server, YEARS, params={"format": "csv"}, headers={"Accept": "text/html"})
    assert response.headers["Content-Type"].startswith("text/csv")
    response = sparql(live_server, CONSTRUCT, params={"format": "jsonld"})
    assert response.headers["Content-Type"].startswith("application/ld+json")


def test_post_form_and_direct_answer_like_get(live_server) -> None:
    url = live_server.url + "/sparql"
    by_get = sparql(live_server, YEARS).json()
    by_form = requests.post(url, data={"query": YEARS}, timeout=30).json()
    by_direct = requests.post(
        url, data=YEARS.encode(), headers={"Content-Type": "application/sparql-query"}, timeout=30
    ).json()
    assert by_get == by_form == by_direct


def test_head_carries_the_same_headers_as_get(live_server) -> None:
    url = live_server.url + "/sparql"
    params = {"query": YEARS}
    got = requests.get(url, params=params, timeout=30)
    head = requests.head(url, params=params, timeout=30)
    assert head.status_code == 200 and head.content == b""
    ignore = {"date", "mkg-query-seconds"}
    assert {k.lower(): v for k, v in head.headers.items() if k.lower() not in ignore} == {
        k.lower(): v for k, v in got.headers.items() if k.lower() not in ignore
    }


def test_cors_headers_and_preflight(live_server) -> None:
    response = sparql(live_server, YEARS, headers={"Origin": "http://example.org"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    preflight = requests.options(
        live_server.url + "/sparql",
        headers={
            "Origin": "http://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
        timeout=10,
    )
    assert preflight.status_code == 204
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in preflight.headers["Access-Control-Allow-Headers"]


def test_json_errors_have_one_shape(live_server) -> None:
    cases = [
        sparql(live_server, "SELECT * WHERE { ?s ?p"),
        requests.get(live_server.url + "/gene/NOT_A_GENE", timeout=10),
        requests.put(live_server.url + "/sparql", timeout=10),
        requests.post(live_server.url + "/sparql", data={"update": "CLEAR ALL"}, timeout=10),
    ]
    for response in cases:
        body = response.json()
        # A syntax error also says where and what to do (test_query_errors.py).
        assert {"error", "status"} <= set(body) <= {"error", "status", "line", "column", "hint"}
        assert body["status"] == response.status_code
        assert isinstance(body["error"], str) and body["error"]
    assert [r.status_code for r in cases] == [400, 404, 405, 403]


def test_syntax_error_gives_the_position(live_server) -> None:
    response = sparql(live_server, "SELECT * WHERE {\n  ?s ?p ?o .\n  FILTER (\n}")
    assert response.status_code == 400
    body = response.json()
    assert (body["line"], body["column"]) == (4, 1)
    assert body["error"].startswith("SPARQL syntax error at line 4, column 1: this } closes a (")


def test_default_graph_is_the_union_and_from_restricts_it(live_server) -> None:
    count = "SELECT (COUNT(*) AS ?n) {} "
    everything = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
    total = int(rows(live_server, everything)[0]["n"])
    ontology = int(
        rows(
            live_server,
            "SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/mkg/graph/ontology> { ?s ?p ?o }",
        )[0]["n"]
    )
    assert 0 < ontology < total
    assert rows(live_server, count)[0]["n"] == "1"


def test_a_cut_result_is_flagged(live_server) -> None:
    response = sparql(live_server, "SELECT * { ?s ?p ?o }")
    assert response.status_code == 200
    assert response.headers["MKG-Truncated"].startswith("true")
    assert response.headers["X-SPARQL-MaxRows"] == "10000"
    assert len(response.json()["results"]["bindings"]) == 10000
    small = sparql(live_server, "SELECT * { ?s ?p ?o } LIMIT 10")
    assert "MKG-Truncated" not in small.headers
    page = sparql(live_server, "SELECT * { ?s ?p ?o }", headers={"Accept": "text/html"})
    assert 'id="truncated"' in page.text


def test_every_named_query_answers(live_server, served_by: str, repo_root: Path) -> None:
    """Each file of queries/ returns rows; print the median latency (bench/ measures speed).

    On another engine each query runs once: the answers are what is tested there.
    """
    latencies = {}
    for path in sorted((repo_root / "queries").glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        times = []
        for _ in range(7 if served_by == "oxigraph" else 1):
            started = time.perf_counter()
            response = sparql(live_server, text)
            times.append(time.perf_counter() - started)
            assert response.status_code == 200, (path.name, response.text)
        # A query about a review's full text (citing sentences) has no rows on the seed's page:
        # tests/test_queries.py runs it on a build of a JATS review with body text.
        if "\n# full text:" not in text:
            assert response.json()["results"]["bindings"], f"{path.name} returned no rows"
        latencies[path.name] = statistics.median(times)
    print("\nmedian latency over 7 runs (HTTP round trip):")
    for name, seconds in latencies.items():
        print(f"  {seconds * 1000:8.1f} ms  {name}")


def test_service_description(live_server) -> None:
    """The three W3C Service Description tests: RDF on GET, sd:endpoint, the schema's shape."""
    url = live_server.url + "/sparql"
    for media_type, fmt in [("text/turtle", "turtle"), ("application/rdf+xml", "xml")]:
        response = requests.get(url, headers={"Accept": media_type}, timeout=10)
        assert response.status_code == 200
        assert response.headers["Content-Type"].startswith(media_type)
        graph = Graph().parse(data=response.content, format=fmt)
        service = URIRef(url)
        assert (service, URIRef(SD + "endpoint"), service) in graph
        assert (service, RDF.type, URIRef(SD + "Service")) in graph
        assert (service, URIRef(SD + "supportedLanguage"), URIRef(SD + "SPARQL11Query")) in graph
        assert (service, URIRef(SD + "feature"), URIRef(SD + "UnionDefaultGraph")) in graph
        names = set(graph.objects(None, URIRef(SD + "name")))
        assert URIRef("https://w3id.org/mkg/graph/ontology") in names


@pytest.mark.parametrize("path", ["/ontology", "/ontology/"])
def test_ontology_in_turtle_and_rdfxml(live_server, path: str) -> None:
    for media_type, fmt in [("text/turtle", "turtle"), ("application/rdf+xml", "xml")]:
        response = requests.get(live_server.url + path, headers={"Accept": media_type}, timeout=10)
        assert response.headers["Content-Type"].startswith(media_type)
        graph = Graph().parse(data=response.content, format=fmt)
        assert (URIRef("https://w3id.org/mkg/ontology/"), RDF.type, OWL.Ontology) in graph
        assert (MKG.Gene, RDF.type, OWL.Class) in graph
    suffixed = requests.get(live_server.url + "/ontology.owl", timeout=10)
    assert suffixed.headers["Content-Type"].startswith("application/rdf+xml")


def test_protege_style_request_gets_rdfxml(live_server) -> None:
    """Protégé's 'open from URL' asks for RDF/XML first."""
    accept = (
        "application/rdf+xml, application/xml; q=0.7, text/xml; q=0.6, text/plain; q=0.1, "
        "*/*; q=0.09"
    )
    response = requests.get(live_server.url + "/ontology", headers={"Accept": accept}, timeout=10)
    assert response.headers["Content-Type"].startswith("application/rdf+xml")


def test_shapes_in_turtle_and_rdfxml(live_server) -> None:
    sh_node_shape = URIRef("http://www.w3.org/ns/shacl#NodeShape")
    for media_type, fmt in [("text/turtle", "turtle"), ("application/rdf+xml", "xml")]:
        response = requests.get(
            live_server.url + "/shapes", headers={"Accept": media_type}, timeout=10
        )
        graph = Graph().parse(data=response.content, format=fmt)
        assert len(set(graph.subjects(RDF.type, sh_node_shape))) > 5


@pytest.mark.parametrize("path", ["/void", "/.well-known/void"])
def test_void_describes_the_dataset_and_its_endpoint(live_server, path: str) -> None:
    response = requests.get(live_server.url + path, headers={"Accept": "text/turtle"}, timeout=10)
    graph = Graph().parse(data=response.text, format="turtle")
    void = "http://rdfs.org/ns/void#"
    assert (URIRef(str(DATASET_IRI)), RDF.type, URIRef(void + "Dataset")) in graph
    endpoint = URIRef(live_server.url + "/sparql")
    assert (URIRef(str(DATASET_IRI)), URIRef(void + "sparqlEndpoint"), endpoint) in graph


@pytest.mark.parametrize("name", ["mkg.nq", "mkg.ttl", "mkg.owl"])
def test_dumps_download_byte_for_byte(live_server, built_dir: Path, name: str) -> None:
    response = requests.get(live_server.url + f"/dumps/{name}", timeout=60)
    assert response.status_code == 200
    assert response.content == (built_dir / "current" / name).read_bytes()


def test_every_kind_of_entity_has_a_page(live_server) -> None:
    for name in ENTITY_CLASSES:
        found = rows(
            live_server,
            f"SELECT ?thing ?label {{ ?thing a <{MKG[name]}> ; "
            "<http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?thing LIMIT 1",
        )
        if not found:
            continue
        iri, label = found[0]["thing"], found[0]["label"]
        page = requests.get(local(live_server, iri), headers={"Accept": "text/html"}, timeout=30)
        assert page.status_code == 200, iri
        assert label.replace("&", "&amp;") in page.text or label in page.text
        turtle = requests.get(local(live_server, iri) + ".ttl", timeout=30)
        graph = Graph().parse(data=turtle.text, format="turtle")
        assert (URIRef(iri), RDFS.label, Literal(label)) in graph


def test_query_page_lists_the_named_questions(live_server, repo_root: Path) -> None:
    page = requests.get(live_server.url + "/sparql", headers={"Accept": "text/html"}, timeout=10)
    assert page.status_code == 200
    for path in sorted((repo_root / "queries").glob("*.rq")):
        assert f'value="{path.stem}"' in page.text
    chosen = sorted((repo_root / "queries").glob("*.rq"))[-1]
    loaded = requests.get(
        live_server.url + "/sparql",
        params={"example": chosen.stem},
        headers={"Accept": "text/html"},
        timeout=10,
    )
    first_line = chosen.read_text(encoding="utf-8").splitlines()[1]
    assert first_line.replace("<", "&lt;").replace(">", "&gt;") in loaded.text


def test_query_page_escapes_the_query_it_echoes(live_server) -> None:
    hostile = "SELECT * { ?s ?p \"</textarea><script>alert('x')</script>\" } LIMIT 1"
    page = requests.post(
        live_server.url + "/sparql", data={"query": hostile, "format": "html"}, timeout=10
    )
    assert page.status_code == 200
    assert "<script>alert" not in page.text
    assert "&lt;/textarea&gt;&lt;script&gt;" in page.text
    broken = requests.post(
        live_server.url + "/sparql",
        data={"query": "SELECT <script> {", "format": "html"},
        timeout=10,
    )
    assert broken.status_code == 400
    assert "<script>" not in broken.text and 'id="error"' in broken.text


def test_results_page_links_entities_to_their_pages(live_server) -> None:
    query = "SELECT ?g { ?g a <https://w3id.org/mkg/ontology/Gene> } LIMIT 3"
    page = sparql(live_server, query, headers={"Accept": "text/html"})
    assert 'href="/gene/' in page.text
    assert page.text.count('class="button"') >= 4


@pytest.mark.filterwarnings(JSONLD_WARNING)
def test_sparqlwrapper_as_a_client(live_server) -> None:
    from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

    endpoint = live_server.url + "/sparql"

    def ask(query: str, fmt: str):
        client = SPARQLWrapper(endpoint)
        client.setQuery(query)
        client.setReturnFormat(fmt)
        return client.query().convert()

    select = (
        "SELECT ?journal WHERE { ?j <http://purl.org/spar/fabio/hasShortTitle> ?journal } LIMIT 5"
    )
    assert len(ask(select, JSON)["results"]["bindings"]) == 5
    assert len(ask(select, XML).getElementsByTagName("result")) == 5
    assert ask(select, CSV).decode("utf-8").splitlines()[0] == "journal"
    assert ask(select, TSV).decode("utf-8").splitlines()[0] == "?journal"

    exists = "ASK { ?review a <http://purl.org/spar/fabio/ReviewArticle> }"
    assert ask(exists, JSON)["boolean"] is True
    assert ask(exists, XML).getElementsByTagName("boolean")[0].firstChild.data == "true"
    assert ask(exists, CSV).decode().strip() == "true"
    assert ask(exists, TSV).decode().strip() == "true"

    gene = ask("SELECT ?g { ?g a <https://w3id.org/mkg/ontology/Gene> } LIMIT 1", JSON)
    iri = gene["results"]["bindings"][0]["g"]["value"]
    for query in (CONSTRUCT, f"DESCRIBE <{iri}>"):
        reference = Graph().parse(data=sparql(live_server, query).text, format="turtle")
        assert len(reference) > 0
        for fmt in (TURTLE, N3):
            graph = Graph().parse(data=ask(query, fmt), format="turtle")
            assert isomorphic(graph, reference), fmt
        for fmt in (RDFXML, XML, JSONLD):
            graph = ask(query, fmt)
            assert isinstance(graph, Graph) and isomorphic(graph, reference), fmt


def test_home_page_shows_the_classes(live_server) -> None:
    page = requests.get(live_server.url + "/", headers={"Accept": "text/html"}, timeout=10)
    assert page.status_code == 200
    assert "Gene" in page.text and "/sparql?query=" in page.text


def test_json_clients_get_json_from_health(live_server) -> None:
    body = json.loads(requests.get(live_server.url + "/health", timeout=10).text)
    assert body["status"] == "ok"
