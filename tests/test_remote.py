"""The guarantees of mkg in front of a SPARQL engine someone else runs (`mkg serve --engine URL`).

The engine is the session's Virtuoso, loaded with `mkg load`; `mkg serve` reaches it through a
recording proxy on 127.0.0.1, so that a test can prove what the engine was sent and what it
never was: no update, no SERVICE off the allow-list, no engine built-in or extension function.
A listener stands for a SERVICE endpoint: it must never be called. Then the time limit, the row
limit, ETags that follow the load, a half-loaded load refused, and the record `mkg load` writes.
"""

import hashlib
import http.server
import json
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs

import pytest
import requests
import urllib3
from conftest import REPO, SERVER_DATA, LiveServer, mkg_load

from ingest import layout
from ingest.namespaces import BUILD_RUN_GRAPH

SELECT_ALL = "SELECT * WHERE { ?s ?p ?o }"
# A join of the whole data with itself, twice: far more than a second's work on any engine.
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i FILTER (?c != ?i) }"


class Recorder:
    """An HTTP proxy to the engine that keeps the text of every query it forwards."""

    def __init__(self, target: str) -> None:
        self.target = target
        self.queries: list[str] = []
        self._http = urllib3.PoolManager(maxsize=8, retries=False)
        recorder = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (the name http.server calls)
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                fields = parse_qs(body.decode("utf-8"))
                recorder.queries.extend(fields.get("query", []) + fields.get("update", []))
                headers = {
                    name: value
                    for name, value in self.headers.items()
                    if name.lower() in ("content-type", "accept")
                }
                answer = recorder._http.request(
                    "POST", recorder.target, body=body, headers=headers, timeout=120
                )
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer.data)))
                self.end_headers()
                self.wfile.write(answer.data)

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sparql"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def sent(self, needle: str) -> list[str]:
        """Return the queries forwarded so far that contain `needle`."""
        return [query for query in self.queries if needle in query]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Listener:
    """A TCP port of 127.0.0.1 that counts the connections made to it (a SERVICE endpoint)."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(8)
        self.socket.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}/sparql"
        self.calls = 0
        self._running = True
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while self._running:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                continue
            self.calls += 1
            connection.close()

    def close(self) -> None:
        self._running = False
        self._thread.join()
        self.socket.close()


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    found = Listener()
    yield found
    found.close()


@pytest.fixture(scope="module")
def recorder(loaded_virtuoso) -> Iterator[Recorder]:
    found = Recorder(loaded_virtuoso.sparql_url)
    yield found
    found.close()


@pytest.fixture(scope="module")
def fronted(recorder: Recorder, listener: Listener, tmp_path_factory) -> Iterator[LiveServer]:
    """`mkg serve --engine URL` in front of the proxy: short time limit (4 s), 3 rows, no cache, and
    SERVICE allowed to one endpoint that is not the listener."""
    env = {
        "MKG_QUERY_TIMEOUT": "4",
        "MKG_MAX_ROWS": "3",
        "MKG_CACHE_MB": "0",
        "MKG_SERVICE_ALLOWLIST": "http://127.0.0.1:9/allowed",
    }
    args = ["--engine", recorder.url, "--load", "mkg", "--workers", "1", "--threads", "4"]
    server = LiveServer(args, tmp_path_factory.mktemp("remote-logs"), env, wait=120.0)
    yield server
    server.stop()


def sparql(server: LiveServer, query: str, **fields: str) -> requests.Response:
    return requests.post(
        server.url + "/sparql",
        data={"query": query, **fields},
        headers={"Accept": "application/sparql-results+json"},
        timeout=60,
    )


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <http://example.org/s> <http://example.org/p> 1 }",
        "CLEAR ALL",
        "DROP GRAPH <https://w3id.org/mkg/graph/ontology>",
    ],
)
def test_updates_are_refused_and_never_sent(fronted, recorder, update) -> None:
    as_query = sparql(fronted, update)
    as_update = requests.post(fronted.url + "/sparql", data={"update": update}, timeout=60)
    assert as_query.status_code == 403 or as_query.status_code == 400
    assert as_update.status_code in (400, 403, 405)
    assert recorder.sent(update.split()[0]) == []
    assert requests.get(fronted.url + "/health", timeout=30).status_code == 200


def test_service_off_the_allow_list_is_refused_and_never_sent(fronted, recorder, listener):
    query = f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"
    hidden = (
        f"PREFIX x: <{listener.url.rsplit('/', 1)[0]}/>\n"
        "SELECT * WHERE { SERVICE x:sparql { ?s ?p ?o } }"
    )
    variable = "SELECT * WHERE { BIND (<http://example.org/> AS ?e) SERVICE ?e { ?s ?p ?o } }"
    for text in (query, hidden, variable, query.replace("SERVICE", "SERVICE SILENT")):
        response = sparql(fronted, text)
        assert response.status_code == 403, text
        assert "allow-list" in response.json()["error"]
    assert recorder.sent("SERVICE") == []
    assert listener.calls == 0


def test_service_to_the_allow_list_is_sent(fronted, recorder) -> None:
    query = "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:9/allowed> { ?s ?p ?o } }"
    sparql(fronted, query)
    assert recorder.sent("http://127.0.0.1:9/allowed")


@pytest.mark.parametrize(
    "query",
    [
        'PREFIX bif: <bif:>\nSELECT * WHERE { ?s ?p ?o FILTER (bif:contains(?o, "bone")) }',
        "PREFIX sql: <sql:>\nSELECT (sql:now() AS ?t) WHERE {}",
        "SELECT (<bif:sprintf>('%d', 1) AS ?x) WHERE {}",
        "SELECT (<http://example.org/f>(?o) AS ?x) WHERE { ?s ?p ?o } LIMIT 1",
        "PREFIX ofn: <http://www.ontotext.com/sparql/functions/>\n"
        "SELECT (ofn:millis(1) AS ?x) WHERE {}",
    ],
)
def test_engine_built_ins_and_extension_functions_are_refused(fronted, recorder, query) -> None:
    response = sparql(fronted, query)
    assert response.status_code == 403, response.text
    assert recorder.sent(query) == []


def test_a_standard_query_and_an_xsd_cast_are_sent(fronted, recorder) -> None:
    query = 'SELECT (xsd:integer("12") AS ?n) WHERE {}'
    query = "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n" + query
    response = sparql(fronted, query)
    assert response.status_code == 200
    assert response.json()["results"]["bindings"][0]["n"]["value"] == "12"
    assert recorder.sent('xsd:integer("12")')


def test_the_row_limit_cuts_and_says_so(fronted) -> None:
    response = sparql(fronted, SELECT_ALL)
    assert response.status_code == 200
    assert len(response.json()["results"]["bindings"]) == 3
    assert response.headers["MKG-Truncated"].startswith("true")
    small = sparql(fronted, SELECT_ALL + " LIMIT 2")
    assert len(small.json()["results"]["bindings"]) == 2
    assert "MKG-Truncated" not in small.headers


def test_every_query_is_pinned_to_the_loads_graphs(fronted, recorder) -> None:
    """Virtuoso's own graphs (its system graphs, other loads) are never seen."""
    graphs = sparql(fronted, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    found = {row["g"]["value"] for row in graphs.json()["results"]["bindings"]}
    assert found and all(g.startswith("https://w3id.org/mkg/graph/") for g in found)
    virtuoso = "SELECT * WHERE { <http://www.openlinksw.com/schemas/virtrdf#> ?p ?o } LIMIT 1"
    assert sparql(fronted, virtuoso).json()["results"]["bindings"] == []
    other = sparql(
        fronted, "SELECT * FROM <http://kasei.us/2009/09/sparql/data/data1.rdf> { ?s ?p ?o }"
    )
    assert other.json()["results"]["bindings"] == []


def test_the_time_limit_is_a_503(fronted) -> None:
    """Last of the tests of `fronted`: the engine may go on with the query for a while."""
    response = sparql(fronted, HEAVY)
    assert response.status_code == 503
    assert "time limit" in response.json()["error"]
    # The server answers the next query at once.
    assert sparql(fronted, "ASK {}").status_code == 200


def _etag(server: LiveServer, query: str) -> str:
    response = requests.get(
        server.url + "/sparql",
        params={"query": query},
        headers={"Accept": "application/sparql-results+json"},
        timeout=60,
    )
    assert response.status_code == 200
    return response.headers["ETag"]


def test_the_etag_changes_with_the_load(loaded_virtuoso, tmp_path, tmp_path_factory) -> None:
    graph = "http://example.org/etag-test"
    first, second = tmp_path / "first.nt", tmp_path / "second.nt"
    first.write_text('<http://example.org/a> <http://example.org/b> "1" .\n')
    second.write_text('<http://example.org/a> <http://example.org/b> "2" .\n')
    query = "SELECT * WHERE { ?s ?p ?o }"
    args = ["--engine", loaded_virtuoso.sparql_url, "--load", "etag", "--workers", "1"]
    logs = tmp_path_factory.mktemp("etag-logs")

    mkg_load(loaded_virtuoso, "--name", "etag", "--data-graph", graph, str(first))
    server = LiveServer(args, logs, wait=120.0)
    try:
        before = _etag(server, query)
        assert _etag(server, query) == before
        mkg_load(loaded_virtuoso, "--name", "etag", "--data-graph", graph, str(second))
        # The server that served the old load says so instead of answering from the new one.
        health = requests.get(server.url + "/health", timeout=30)
        assert health.status_code == 503
        assert "now holds" in health.json()["error"]
    finally:
        server.stop()
    again = LiveServer(args, logs, wait=120.0)
    try:
        assert _etag(again, query) != before
    finally:
        again.stop()


def test_a_half_loaded_load_is_refused(loaded_virtuoso, tmp_path) -> None:
    graph = "http://example.org/half-test"
    data = tmp_path / "half.nt"
    data.write_text(
        "".join(f'<http://example.org/s{n}> <http://example.org/p> "{n}" .\n' for n in range(10))
    )
    mkg_load(loaded_virtuoso, "--name", "half", "--data-graph", graph, str(data))
    # Take away part of what was loaded, as a load that stopped halfway would leave it.
    loaded_virtuoso.isql().run(
        [
            f"SPARQL DELETE DATA {{ GRAPH <{graph}> "
            '{ <http://example.org/s3> <http://example.org/p> "3" } };'
        ]
    )
    done = subprocess.run(
        [sys.executable, "-m", "server.cli", "serve", "--engine", loaded_virtuoso.sparql_url]
        + ["--load", "half", "--port", "0"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode != 0
    assert "only part of the load 'half'" in done.stderr
    assert f"{graph}> holds 9 triples, not 10" in done.stderr or "9" in done.stderr


def test_a_missing_load_is_refused(loaded_virtuoso) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "server.cli", "serve", "--engine", loaded_virtuoso.sparql_url]
        + ["--load", "never-loaded", "--port", "0"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode != 0
    assert "no load named 'never-loaded'" in done.stderr


def test_mkg_load_records_the_build_and_each_graphs_checksum(loaded_virtuoso, built_dir) -> None:
    from server.engine.remote import RemoteEngine

    release = (built_dir / "current").resolve()
    manifest = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    engine = RemoteEngine(loaded_virtuoso.sparql_url, timeout=60).open()
    try:
        record = engine.read_record()
        assert record is not None
        assert record.identifier == release.name == engine.build_id
        assert record.title == f"build {release.name}"
        assert datetime.fromisoformat(record.built) == datetime.fromisoformat(manifest["built"])
        # Every graph of the manifest, each with its count; build-run comes from the store.
        counts = {graph: part.triples for graph, part in record.graphs.items()}
        assert counts == {str(g): int(n) for g, n in manifest["graphs"].items()}
        digests: dict[str, hashlib._Hash] = {}
        with (release / layout.NQUADS).open("rb") as dump:
            for line in dump:
                graph = line.rstrip().rsplit(b" ", 2)[-2].decode("utf-8").strip("<>")
                digests.setdefault(graph, hashlib.sha256()).update(line)
        for graph, digest in digests.items():
            assert record.graphs[graph].sha256 == digest.hexdigest(), graph
        assert str(BUILD_RUN_GRAPH) in record.graphs and str(BUILD_RUN_GRAPH) not in digests
        # The engine holds what the record says, graph by graph.
        assert engine.graph_counts() == counts
    finally:
        engine.close()


def test_the_protocol_data_load_is_served_beside_the_build(loaded_virtuoso) -> None:
    from server.engine.remote import RemoteEngine

    engine = RemoteEngine(loaded_virtuoso.sparql_url, load="protocol", timeout=60).open()
    try:
        assert sorted(engine.graphs()) == [
            f"http://kasei.us/2009/09/sparql/data/data{n}.rdf" for n in (1, 2, 3)
        ]
        lines = sum(
            1
            for n in (1, 2, 3)
            for line in (SERVER_DATA / f"data{n}.nt").read_text().splitlines()
            if line.strip()
        )
        assert engine.size() == lines
    finally:
        engine.close()


def test_the_dumps_name_their_graph_last(built_dir: Path) -> None:
    """The checksum test above reads the graph of a dump line as its last term."""
    with (built_dir / "current" / layout.NQUADS).open("rb") as dump:
        line = next(dump)
    assert line.rstrip().endswith(b"> .")


def test_a_load_of_more_graphs_than_http_headers_is_served(loaded_virtuoso, tmp_path) -> None:
    """Regression: Virtuoso echoes each graph of the dataset as a response header, and a build
    has a graph per document (100 reviews: 107 graphs), past the HTTP client's 100 headers."""
    from server.engine.remote import RemoteEngine

    data = tmp_path / "many.nq"
    data.write_text(
        "".join(
            f'<http://example.org/s{n}> <http://example.org/p> "{n}" <http://example.org/g{n}> .\n'
            for n in range(150)
        )
    )
    mkg_load(loaded_virtuoso, "--name", "many", "--data", str(data))
    engine = RemoteEngine(loaded_virtuoso.sparql_url, load="many", timeout=60).open()
    try:
        assert len(engine.graphs()) == 150
        count = engine.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        assert [int(row["n"].value) for row in count] == [150]
    finally:
        engine.close()


@pytest.mark.parametrize(
    "query",
    [
        "DESCRIBE <https://w3id.org/mkg/process/metastasis>",
        "PREFIX mkg: <https://w3id.org/mkg/ontology/>\n"
        "DESCRIBE ?gene WHERE { ?gene a mkg:Gene } ORDER BY ?gene LIMIT 5",
        "DESCRIBE <https://w3id.org/mkg/ontology/Gene> <https://w3id.org/mkg/graph/ontology>",
    ],
)
def test_describe_answers_as_on_the_embedded_store(seed_oxigraph, seed_sparql, query) -> None:
    """The specification leaves DESCRIBE's answer to the engine (Virtuoso's adds the statements
    with the resource as object): mkg answers it as the embedded store does on every engine."""
    from rdflib import Graph
    from rdflib.compare import isomorphic

    from server.engine import Job

    graphs = []
    for engine in (seed_oxigraph, seed_sparql):
        outcome = engine.run(Job(query, "ntriples", 100_000), timeout=60)
        graphs.append(Graph().parse(data=outcome.body.read(), format="nt"))
        outcome.body.close()
    assert len(graphs[0]) > 0
    assert isomorphic(graphs[0], graphs[1]), (len(graphs[0]), len(graphs[1]))
