"""What a user is told when a query goes wrong, by `mkg query`, by /sparql and on the query page.

No traceback and no parser internals: a syntax error gives its line, column, the text with a
caret and a hint; a missing query file, a remote endpoint that fails and a parameter value that
names nothing are each said in one plain message.
"""

import http.server
import json
import socket
import threading
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner
from conftest import ENGINES

from server.cli import main

pytestmark = pytest.mark.engines(*ENGINES)

QUERIES = Path(__file__).resolve().parents[1] / "queries"
MKG_LINE = "PREFIX mkg: <https://w3id.org/mkg/ontology/>"
UNDECLARED = "SELECT ?gene WHERE {\n  ?gene a mkg:Gene .\n}"
PARSER_INTERNALS = ("expected CONSTRUCT", "[_]", "\\u{", "..=", "Traceback")


def closed_endpoint() -> str:
    """Return the URL of a SPARQL endpoint on 127.0.0.1 that nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}/sparql"


@pytest.fixture(scope="module")
def failing_endpoint():
    """A local endpoint that answers every request with HTTP 500."""

    class Failing(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the handler's name)
            self._fail()

        def do_POST(self) -> None:  # noqa: N802
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self._fail()

        def _fail(self) -> None:
            body = b"the endpoint is down"
            self.send_response(500)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Failing)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/sparql"
    server.shutdown()
    server.server_close()


# ------------------------------------------------------------------------------ mkg query


def mkg_query(seed_out: Path, *args: str):
    return CliRunner().invoke(main, ["query", *args, "--build-dir", str(seed_out)])


def test_cli_missing_query_file_is_one_line(seed_out: Path) -> None:
    """Regression, issue "the first hour of a new user", item 2: `mkg query queries/99-nope.rq`
    printed a Python traceback."""
    result = mkg_query(seed_out, str(QUERIES / "99-nope.rq"))
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: no query file {QUERIES / '99-nope.rq'}; the .rq files")
    assert "17-papers-mentioning-an-entity.rq" in result.output
    assert len(result.output.splitlines()) == 1


def test_cli_misspelt_query_file_suggests_the_nearest(seed_out: Path) -> None:
    result = mkg_query(seed_out, str(QUERIES / "05-genes-at-site.rq"))
    assert result.exit_code == 1
    assert result.output == (
        f"Error: no query file {QUERIES / '05-genes-at-site.rq'}; "
        f"did you mean {QUERIES / '05-genes-at-a-site.rq'}?\n"
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "SELEC * { ?s ?p ?o }",
            "Error: SPARQL syntax error at line 1, column 1: 'SELEC' is not a SPARQL keyword\n"
            "  SELEC * { ?s ?p ?o }\n"
            "  ^^^^^\n"
            "hint: did you mean SELECT?\n",
        ),
        (
            "",
            "Error: SPARQL syntax error: the query is empty\n"
            "hint: write a query, such as SELECT * WHERE { ?s ?p ?o } LIMIT 10\n",
        ),
        (
            UNDECLARED,
            "Error: SPARQL syntax error at line 2, column 11: the prefix mkg: is not declared\n"
            "    ?gene a mkg:Gene .\n"
            "            ^^^^^^^^\n"
            f"hint: add this line at the top of the query: {MKG_LINE}\n",
        ),
    ],
    ids=["misspelt-keyword", "empty", "undeclared-prefix"],
)
def test_cli_syntax_errors_point_at_the_mistake(seed_out: Path, query: str, expected: str) -> None:
    """Regression, issue "the first hour of a new user", item 2: syntax errors spoke the
    parser's internals ("expected CONSTRUCT", "expected [_]", lines of Unicode ranges)."""
    result = mkg_query(seed_out, query)
    assert result.exit_code == 1
    assert result.output == expected


def test_cli_federated_query_that_cannot_connect_names_the_endpoint(seed_out: Path) -> None:
    """Regression, issue "the first hour of a new user", item 2: a SERVICE that cannot be
    reached printed a traceback from server/cli.py."""
    endpoint = closed_endpoint()
    result = mkg_query(seed_out, f"SELECT * WHERE {{ SERVICE <{endpoint}> {{ ?s ?p ?o }} }}")
    assert result.exit_code == 1
    assert result.output.startswith(
        f"Error: the remote SPARQL endpoint <{endpoint}> (SERVICE) failed: "
    )
    assert "Traceback" not in result.output and len(result.output.splitlines()) == 1


def test_cli_federated_query_whose_endpoint_fails_names_it(
    seed_out: Path, failing_endpoint: str
) -> None:
    result = mkg_query(seed_out, f"ASK {{ SERVICE <{failing_endpoint}> {{ ?s ?p ?o }} }}")
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: the remote SPARQL endpoint <{failing_endpoint}>")
    assert "Error 500" in result.output


def test_cli_a_name_parameter_that_names_nothing_says_so(seed_out: Path) -> None:
    """Regression, issue "the first hour of a new user", item 2: `--param site=bones` silently
    gave 0 rows. 'bones' is now a synonym of UBERON's bone element; a misspelling names nothing."""
    query = str(QUERIES / "05-genes-at-a-site.rq")
    result = mkg_query(seed_out, query, "--param", "site=bonez")
    assert result.exit_code == 1
    assert result.output == (
        "Error: no entity in the graph is named 'bonez' (site=bonez); "
        "the nearest names are 'bone', 'bones'\n"
    )


def test_cli_a_synonym_names_its_entity(seed_out: Path) -> None:
    query = str(QUERIES / "05-genes-at-a-site.rq")
    result = mkg_query(seed_out, query, "--param", "site=bones")
    assert result.exit_code == 0, result.output
    assert "TNFSF11" in result.output


def test_cli_names_are_matched_ignoring_case(seed_out: Path) -> None:
    query = str(QUERIES / "05-genes-at-a-site.rq")
    result = mkg_query(seed_out, query, "--param", "site=BONE")
    assert result.exit_code == 0, result.output
    assert "TNFSF11" in result.output


def test_cli_every_name_that_names_nothing_is_listed(seed_out: Path) -> None:
    query = str(QUERIES / "10-genes-shared-by-two-sites.rq")
    result = mkg_query(seed_out, query, "--param", "first=lungz", "--param", "second=qqqqqq")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "Error: no entity in the graph is named 'lungz' (first=lungz); "
        "the nearest names are 'lung', 'lungs'",
        "no entity in the graph is named 'qqqqqq' (second=qqqqqq); names are matched to labels "
        "and synonyms, ignoring case",
    ]


def test_cli_a_bad_param_is_one_line(seed_out: Path) -> None:
    query = str(QUERIES / "05-genes-at-a-site.rq")
    result = mkg_query(seed_out, query, "--param", "site")
    assert result.exit_code == 1
    assert result.output == "Error: --param takes NAME=VALUE, not 'site'\n"


# ------------------------------------------------------------------------------ /sparql


def sparql_json(server, query: str) -> requests.Response:
    return requests.get(
        server.url + "/sparql",
        params={"query": query},
        headers={"Accept": "application/sparql-results+json"},
        timeout=60,
    )


@pytest.mark.parametrize(
    ("query", "line", "column", "message", "hint"),
    [
        ("SELEC * { ?s ?p ?o }", 1, 1, "'SELEC' is not a SPARQL keyword", "did you mean SELECT?"),
        (
            UNDECLARED,
            2,
            11,
            "the prefix mkg: is not declared",
            f"add this line at the top of the query: {MKG_LINE}",
        ),
    ],
    ids=["misspelt-keyword", "undeclared-prefix"],
)
def test_json_syntax_error_has_line_column_caret_and_hint(
    live_server, query: str, line: int, column: int, message: str, hint: str
) -> None:
    """Regression, issue "the first hour of a new user", item 2: /sparql answered "error at
    1:10: expected CONSTRUCT" for `SELEC * {…}`."""
    response = sparql_json(live_server, query)
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == 400
    assert (body["line"], body["column"], body["hint"]) == (line, column, hint)
    assert body["error"].startswith(
        f"SPARQL syntax error at line {line}, column {column}: {message}\n"
    )
    assert "^" in body["error"] and body["error"].endswith(f"hint: {hint}")
    assert not any(internal in body["error"] for internal in PARSER_INTERNALS)


def test_json_empty_query_says_it_is_empty(live_server) -> None:
    response = sparql_json(live_server, "")
    assert response.status_code == 400
    body = response.json()
    assert body["error"].startswith("SPARQL syntax error: the query is empty")
    assert "line" not in body


def test_plain_text_syntax_error_is_the_same_explanation(live_server) -> None:
    response = requests.get(
        live_server.url + "/sparql",
        params={"query": "SELEC * { ?s ?p ?o }"},
        headers={"Accept": "text/plain"},
        timeout=60,
    )
    assert response.status_code == 400
    assert response.text.splitlines()[2] == "  ^^^^^"
    assert response.text.rstrip().endswith("hint: did you mean SELECT?")


def test_query_page_shows_position_caret_and_hint(live_server) -> None:
    """Regression, issue "the first hour of a new user", item 2: the query page showed the
    engine's message for a syntax error."""
    response = requests.post(
        live_server.url + "/sparql", data={"query": UNDECLARED, "format": "html"}, timeout=60
    )
    assert response.status_code == 400
    text = response.text
    assert "SPARQL syntax error at line 2, column 11: the prefix mkg: is not declared" in text
    assert "    ?gene a mkg:Gene .\n            ^^^^^^^^" in text
    assert (
        '<p class="hint" id="error-hint">Hint: add this line at the top of the query: '
        "PREFIX mkg: &lt;https://w3id.org/mkg/ontology/&gt;</p>"
    ) in text
    # The query stays in the editor, to be fixed there.
    assert "?gene a mkg:Gene .\n}</textarea>" in text


def test_query_page_shows_the_empty_query_hint(live_server) -> None:
    response = requests.get(
        live_server.url + "/sparql",
        params={"query": " "},
        headers={"Accept": "text/html"},
        timeout=60,
    )
    assert response.status_code == 400
    assert "SPARQL syntax error: the query is empty" in response.text
    assert 'id="error-hint">Hint: write a query' in response.text


@pytest.fixture(scope="module")
def federating(start_server, built_dir: Path, failing_endpoint: str):
    """A server allowed to call a closed endpoint and one that answers 500."""
    refused = closed_endpoint()
    server = start_server(
        "--build",
        str(built_dir),
        "--workers",
        "1",
        "--threads",
        "1",
        "--allow-service",
        f"{refused} {failing_endpoint}",
    )
    return server, refused, failing_endpoint


def test_remote_failure_is_502_naming_the_endpoint(federating) -> None:
    """Regression, issue "the first hour of a new user", item 2: a federated query whose
    endpoint could not be reached answered 400 without naming the endpoint."""
    server, refused, failing = federating
    for endpoint, cause in ((refused, "Connection refused"), (failing, "Error 500")):
        query = f"SELECT * WHERE {{ SERVICE <{endpoint}> {{ ?s ?p ?o }} }}"
        response = sparql_json(server, query)
        assert response.status_code == 502, response.text
        body = response.json()
        assert body["status"] == 502
        assert body["error"].startswith(f"the remote SPARQL endpoint <{endpoint}> (SERVICE) failed")
        assert cause in body["error"]
        assert body["endpoints"] == [endpoint]


def test_remote_failure_on_the_query_page(federating) -> None:
    server, refused, _ = federating
    query = f"ASK {{ SERVICE <{refused}> {{ ?s ?p ?o }} }}"
    response = requests.post(
        server.url + "/sparql", data={"query": query, "format": "html"}, timeout=60
    )
    assert response.status_code == 502
    assert f"the remote SPARQL endpoint &lt;{refused}&gt; (SERVICE) failed" in response.text


def test_json_errors_keep_their_shape(live_server) -> None:
    """Extra fields never replace "error" and "status"."""
    body = sparql_json(live_server, "SELECT * WHERE { ?s ?p").json()
    assert {"error", "status"} <= set(body) <= {"error", "status", "line", "column", "hint"}
    assert json.dumps(body)
