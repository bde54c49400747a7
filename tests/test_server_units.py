"""Unit tests of the server's parts: the query reader, content negotiation, result writers."""

import io
import re

import pyoxigraph
import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib.query import Result
from werkzeug.datastructures import MIMEAccept

from server import negotiation
from server.engine import results
from server.federation import UNKNOWN_TARGET, refused_services
from server.sparqltext import QueryTextError, inspect_query, tokenize

ALLOWED = frozenset({"http://allowed.example/sparql"})


@pytest.mark.parametrize(
    ("query", "targets"),
    [
        ("SELECT * { SERVICE <http://a.example/s> { ?s ?p ?o } }", ["http://a.example/s"]),
        ("select * { service silent <http://a.example/s> {} }", ["http://a.example/s"]),
        ("SELECT*WHERE{SERVICESILENT<http://a.example/s>{}}", [None]),
        (
            "PREFIX e: <http://a.example/>\nSELECT * { SERVICE e:s\\.x {} }",
            ["http://a.example/s.x"],
        ),
        ("BASE <http://a.example/p/>\nSELECT * { SERVICE <s> {} }", ["http://a.example/p/s"]),
        ("SELECT * { SERVICE <http://a.example/\\u0073> {} }", ["http://a.example/s"]),
        ("SELECT * { SERVICE ?endpoint {} }", [None]),
        ("SELECT * { ?s ?p ?o.SERVICE <http://a.example/s> {} }", ["http://a.example/s"]),
        ("SELECT * { SERVICE undeclared:s {} }", [None]),
    ],
)
def test_service_targets_are_found_however_written(query: str, targets: list) -> None:
    assert inspect_query(query).services == targets


@pytest.mark.parametrize(
    "query",
    [
        'SELECT * { ?s ?p "SERVICE <http://a.example/s> {}" }',
        "SELECT * { ?s ?p '''it's a SERVICE <http://a.example/s>''' }",
        "SELECT * { ?s ?p ?o } # SERVICE <http://a.example/s> {}",
        "SELECT * { ?s <http://a.example/#SERVICE> ?service . ?s ex:service ?o }",
        "PREFIX service: <http://a.example/>\nSELECT * { ?s service:x ?o }",
    ],
)
def test_service_in_strings_comments_iris_and_names_is_not_a_call(query: str) -> None:
    assert inspect_query(query).services == []


def _refused(query: str) -> list[str]:
    return refused_services(query, base=None, allowed=ALLOWED, sealed=False)[0]


def test_allow_list_is_exact() -> None:
    assert _refused("SELECT * { SERVICE <http://allowed.example/sparql> {} }") == []
    assert _refused("SELECT * { SERVICE <http://allowed.example/sparql/x> {} }") == [
        "http://allowed.example/sparql/x"
    ]
    assert _refused("SELECT * { SERVICE ?e {} }") == [UNKNOWN_TARGET]


@pytest.mark.parametrize(
    ("query", "form", "dataset"),
    [
        ("PREFIX a: <http://a/>\nBASE <http://b/>\n# hi\nselect * {}", "SELECT", False),
        ("ASK FROM <http://g> {}", "ASK", True),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT", False),
        ("DESCRIBE <http://a>", "DESCRIBE", False),
        ("SELECT * FROM NAMED <http://g> { GRAPH ?g {} }", "SELECT", True),
        ("CLEAR ALL", "CLEAR", False),
        ("LOAD <http://a/data.ttl>", "LOAD", False),
        ("WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "WITH", False),
    ],
)
def test_query_form_and_dataset_clauses(query: str, form: str, dataset: bool) -> None:
    info = inspect_query(query)
    assert (info.form, info.has_dataset_clause) == (form, dataset)


def test_unterminated_string_is_a_text_error() -> None:
    with pytest.raises(QueryTextError, match="line 2"):
        tokenize('SELECT *\n{ ?s ?p "open }')


@given(st.text(alphabet=st.characters(exclude_characters='"\\\n\r'), max_size=40))
def test_nothing_inside_a_string_is_a_keyword(text: str) -> None:
    query = f'SELECT * {{ ?s ?p "{text}SERVICE <http://a.example/>" }}'
    assert inspect_query(query).services == []


ACCEPTS = [
    ("", "json"),
    ("*/*", "json"),
    ("text/csv;q=0.5, application/sparql-results+xml", "xml"),
    ("text/*", "csv"),
    ("application/json", "json"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "html"),
    ("image/png", None),
]


@pytest.mark.parametrize(("accept", "expected"), ACCEPTS)
def test_negotiation_of_solution_formats(accept: str, expected: str | None) -> None:
    values = [
        (part.split(";")[0].strip(), float(part.split("q=")[1]) if "q=" in part else 1.0)
        for part in accept.split(",")
        if part
    ]
    chosen = negotiation.negotiate(negotiation.SOLUTIONS, MIMEAccept(values))
    assert (chosen.name if chosen else None) == expected


def test_format_names_and_extensions() -> None:
    assert negotiation.by_name(negotiation.GRAPHS, ["json-ld"]).name == "jsonld"
    assert negotiation.by_name(negotiation.GRAPHS, ["nonsense", "text/turtle"]).name == "turtle"
    assert negotiation.by_name(negotiation.SOLUTIONS, ["xml"]).name == "xml"
    assert negotiation.by_name(negotiation.GRAPHS, ["xml"]).name == "rdfxml"
    assert negotiation.by_extension(negotiation.GRAPHS, "owl").name == "rdfxml"
    assert negotiation.by_extension(negotiation.GRAPHS, "csv") is None


SOLUTIONS_QUERY = (
    "SELECT ?text ?iri ?lang ?number ?unbound { VALUES (?text ?iri ?lang ?number) "
    '{ ("tab\\there, \\"quoted\\"\\nnewline" <http://a.example/x> "mot"@fr 42) } }'
)


@pytest.mark.parametrize("fmt", results.SOLUTION_FORMATS)
def test_result_writers_round_trip_through_rdflib(fmt: str) -> None:
    out = io.BytesIO()
    solutions = pyoxigraph.Store().query(SOLUTIONS_QUERY)
    assert results.write_solutions(solutions, out, fmt=fmt, max_rows=10) == (1, False)
    parsed = Result.parse(io.BytesIO(out.getvalue()), format=fmt)
    row = list(parsed)[0]
    assert str(row[0]) == 'tab\there, "quoted"\nnewline'
    assert str(row[1]) == "http://a.example/x"
    assert str(row[2]) == "mot"
    assert str(row[3]) == "42"
    assert row[4] is None


MANY_ROWS_QUERY = """
SELECT ?s ?o ?x ?b WHERE {
  VALUES ?s { <http://a.example/1> <http://a.example/2> <http://a.example/3> }
  VALUES (?o ?x) { ("a" UNDEF) ("b"@en 1) (<http://a.example/1> "2.5"^^<http://www.w3.org/2001/XMLSchema#decimal>)
                   ("tab\\there" UNDEF) }
  BIND (BNODE() AS ?b)
} ORDER BY ?s ?o"""


@pytest.mark.parametrize("fmt", results.SOLUTION_FORMATS)
def test_result_writers_agree_with_the_engines_own_serializer(
    fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Repeated terms come from the writer's memory of encoded terms, also when it overflows."""
    monkeypatch.setattr(results._Encoded, "_LIMIT", 3)
    store = pyoxigraph.Store()
    out = io.BytesIO()
    assert results.write_solutions(store.query(MANY_ROWS_QUERY), out, fmt=fmt, max_rows=100) == (
        12,
        False,
    )
    native = store.query(MANY_ROWS_QUERY).serialize(format=results.RESULT_FORMATS[fmt])
    if fmt == "csv":  # lossy, so not parsed back: compared as text, blank node labels aside
        label = re.compile(rb"_:\w+")
        assert label.sub(b"_", out.getvalue()) == label.sub(b"_", native)
        assert len(set(label.findall(out.getvalue()))) == 12
        return
    ours = pyoxigraph.parse_query_results(out.getvalue(), format=results.RESULT_FORMATS[fmt])
    theirs = pyoxigraph.parse_query_results(native, format=results.RESULT_FORMATS[fmt])

    def rows(solutions):  # blank node labels differ between serializers; shapes must not
        return [tuple(str(t) if not isinstance(t, pyoxigraph.BlankNode) else "_" for t in row)
                for row in solutions]  # fmt: skip

    assert rows(ours) == rows(theirs)
    assert len({row[3] for row in pyoxigraph.parse_query_results(
        out.getvalue(), format=results.RESULT_FORMATS[fmt])}) == 12  # fmt: skip


COUNTING_QUERIES = {
    # query: rows (unbound rows, no variables, markup and separators inside literals)
    MANY_ROWS_QUERY: 12,
    "SELECT ?a WHERE { VALUES ?a { UNDEF UNDEF } }": 2,
    "SELECT * WHERE { }": 1,
    "SELECT ?a WHERE { FILTER (false) }": 0,
    'SELECT ?a ?b WHERE { VALUES (?a ?b) { ("<result>x" 1) ("},{\\"y\\n\\r\\n" UNDEF) } }': 2,
}


@pytest.mark.parametrize("fmt", results.SOLUTION_FORMATS)
@pytest.mark.parametrize("query", COUNTING_QUERIES, ids=range(len(COUNTING_QUERIES)))
def test_engine_serialized_answers_are_counted_exactly(fmt: str, query: str) -> None:
    store = pyoxigraph.Store()
    rows = COUNTING_QUERIES[query]
    answer = results.serialize_solutions(
        store.query(query), fmt=fmt, max_rows=rows, max_bytes=1 << 20
    )
    assert answer is not None
    data, counted = answer
    assert counted == rows
    native = store.query(query).serialize(format=results.RESULT_FORMATS[fmt])
    label = re.compile(rb"[0-9a-f]{12,}")  # fresh blank nodes in each run
    assert label.sub(b"_", data) == label.sub(b"_", native)
    if rows:
        over = results.serialize_solutions(
            store.query(query), fmt=fmt, max_rows=rows - 1, max_bytes=1 << 20
        )
        assert over is None
    too_big = results.serialize_solutions(
        store.query(query), fmt=fmt, max_rows=rows, max_bytes=len(data) // 2
    )
    assert too_big is None


def test_result_writers_stop_at_the_row_limit() -> None:
    out = io.BytesIO()
    solutions = pyoxigraph.Store().query("SELECT ?n { VALUES ?n { 1 2 3 4 5 } }")
    assert results.write_solutions(solutions, out, fmt="json", max_rows=3) == (3, True)
    triples = pyoxigraph.Store().query(
        "CONSTRUCT { <http://a.example/s> <http://a.example/p> ?n } WHERE { VALUES ?n { 1 2 3 } }"
    )
    out = io.BytesIO()
    written = results.write_triples(triples, out, fmt="ntriples", max_rows=2, prefixes={})
    assert written == (2, True)
    assert out.getvalue().count(b"\n") == 2


def test_app_factory_serves_files_through_the_flask_client(monkeypatch, repo_root) -> None:
    """create_app reads MKG_* settings from the environment; a config dict wins over them."""
    from server import create_app

    monkeypatch.setenv("MKG_MAX_ROWS", "2")
    monkeypatch.setenv("MKG_QUERY_PROCESSES", "1")
    things = repo_root / "tests" / "data" / "server" / "things.trig"
    app = create_app({"TESTING": True, "DATA_FILES": [(str(things), None)]})
    try:
        assert app.config["MAX_ROWS"] == 2
        client = app.test_client()
        response = client.get("/sparql", query_string={"query": "SELECT * { ?s ?p ?o }"})
        assert response.status_code == 200
        assert len(response.get_json()["results"]["bindings"]) == 2
        assert response.headers["MKG-Truncated"] == "true; max-rows=2"
        page = client.get("/gene/HGNC_11909", headers={"Accept": "text/html"})
        assert page.status_code == 200 and b"TNFRSF11B" in page.data
    finally:
        app.extensions["mkg"].close()
