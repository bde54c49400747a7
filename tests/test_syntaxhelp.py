"""Engine errors in the user's terms (server.syntaxhelp): position, caret, plain hint.

Each case runs the real engine on the query, then checks what a user is shown: the line and
column of the mistake, the line of text with a caret under it, and a hint that says what to do.
"""

import pyoxigraph
import pytest

from ingest.namespaces import PREFIXES
from server.syntaxhelp import explain, remote_failure

ENGINE = pyoxigraph.Store()


def engine_error(query: str) -> str:
    """Return the engine's own message for a query it cannot parse."""
    with pytest.raises(SyntaxError) as caught:
        ENGINE.query(query)
    return str(caught.value)


def explained(query: str):
    return explain(query, engine_error(query))


def caret_under(text: str) -> str:
    """Return the characters the caret line of an explanation points at."""
    lines = text.splitlines()
    shown, caret = lines[1], lines[2]
    start = caret.index("^")
    return shown[start : start + caret.count("^")]


@pytest.mark.parametrize(
    ("query", "word", "keyword", "line", "column"),
    [
        ("SELEC * { ?s ?p ?o }", "SELEC", "SELECT", 1, 1),
        ("CONSTRCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRCT", "CONSTRUCT", 1, 1),
        ("SELECT * WHRE { ?s ?p ?o }", "WHRE", "WHERE", 1, 10),
        ("SELECT * WHERE {\n  ?s ?p ?o FILTR (?o)\n}", "FILTR", "FILTER", 2, 12),
        ("SELECT ?x WHERE { ?x ?p ?o } LIMT 3", "LIMT", "LIMIT", 1, 30),
        ("select * where { ?s ?p ?o } limit 10 offst 3", "offst", "OFFSET", 1, 38),
    ],
)
def test_a_misspelt_keyword_is_named_with_the_nearest_one(query, word, keyword, line, column):
    """Regression, issue "the first hour of a new user", item 2: `SELEC * {…}` said "expected
    CONSTRUCT", at a column past the mistake."""
    explanation = explained(query)
    assert (explanation.line, explanation.column) == (line, column)
    assert explanation.message == f"{word!r} is not a SPARQL keyword"
    assert explanation.hint == f"did you mean {keyword}?"
    assert caret_under(explanation.where()) == word
    assert "expected" not in explanation.text()


@pytest.mark.parametrize("query", ["", "   \n\t", "# only a comment\n"])
def test_an_empty_query_says_so(query: str) -> None:
    """Regression, issue "the first hour of a new user", item 2: an empty query said
    "expected [_]"."""
    explanation = explained(query)
    assert explanation.message == "the query is empty"
    assert explanation.text().startswith("SPARQL syntax error: the query is empty\nhint: ")
    assert "[_]" not in explanation.text()


@pytest.mark.parametrize("prefix", sorted(PREFIXES))
def test_a_known_undeclared_prefix_gets_its_prefix_line(prefix: str) -> None:
    """Regression, issue "the first hour of a new user", item 2: an undeclared `mkg:` printed
    lines of Unicode ranges and never named the prefix."""
    query = f"SELECT ?s WHERE {{\n  ?s ?p {prefix}:Thing .\n}}"
    explanation = explained(query)
    assert explanation.message == f"the prefix {prefix}: is not declared"
    assert (explanation.line, explanation.column) == (2, 9)
    assert caret_under(explanation.where()) == f"{prefix}:Thing"
    namespace = str(PREFIXES[prefix])
    assert explanation.hint == (
        f"add this line at the top of the query: PREFIX {prefix}: <{namespace}>"
    )
    assert "\\u{" not in explanation.text()
    # The hint is the fix: with its line added the query parses.
    ENGINE.query(f"PREFIX {prefix}: <{namespace}>\n{query}")


def test_an_unknown_prefix_is_declared_by_the_user_or_was_misspelt() -> None:
    explanation = explained(
        "PREFIX mkg: <https://w3id.org/mkg/ontology/>\nSELECT * { ?s a mgk:Gene }"
    )
    assert explanation.message == "the prefix mgk: is not declared"
    assert explanation.hint.startswith("did you mean mkg:?")
    explanation = explained("SELECT * { ?s a zzz:Gene }")
    assert explanation.hint == "declare it at the top of the query: PREFIX zzz: <namespace IRI>"


def test_a_prefixed_name_ending_in_a_dot_is_still_an_undeclared_prefix() -> None:
    # The engine's message names no prefix here: the local name could have gone on.
    explanation = explained("SELECT * { ?s a mkg:Gene. }")
    assert explanation.message == "the prefix mkg: is not declared"


def test_declared_prefixes_are_not_blamed() -> None:
    query = "PREFIX mkg: <https://w3id.org/mkg/ontology/>\nSELECT * { ?s a mkg:Gene ; FILTR }"
    assert explained(query).message == "'FILTR' is not a SPARQL keyword"


def test_the_first_mistake_is_the_one_shown() -> None:
    explanation = explained("SELEC * { ?s a mkg:Gene }")
    assert explanation.message == "'SELEC' is not a SPARQL keyword"


@pytest.mark.parametrize(
    ("query", "message", "hint"),
    [
        ('ASK { ?s ?p "abc }', "this string is never closed", 'end the string with " on the'),
        ("ASK { ?s ?p '''abc }", "this string is never closed", "end the string with '''"),
        (
            "SELECT * WHERE {\n  ?s ?p ?o\n",
            "the query ends before the { opened at line 1, column 16 is closed",
            "add the missing }",
        ),
        ("SELECT * { ?s ?p ?o } }", "this } closes nothing", "remove it, or open a {"),
        (
            "SELECT ?x WHERE { ?x ?p ?y . FILTER (?y > 3 }",
            "this } closes a (",
            "close the ( with ) first",
        ),
        (
            "SELECT (COUNT(*) AS ?n { ?s ?p ?o }",
            "unexpected '{'",
            "expected ); the ( opened at line 1, column 8 is still open",
        ),
        ("SELECT * WHERE { ?s ?p ?o } GROUP ?s", "unexpected end of the query", "expected BY"),
        ("SELECT * WHERE { ?s ?p ?o } LIMIT", "the query ends too early, after 'LIMIT'", None),
        ("PREFIX x: <http://x.org/>", "the query has no SELECT, CONSTRUCT, DESCRIBE or ASK", None),
        ("SELECT * { ?s a <http://x y> }", "<http://x y> is not a valid IRI", "write the IRI"),
    ],
)
def test_other_mistakes_are_said_plainly(query: str, message: str, hint: str | None) -> None:
    explanation = explained(query)
    assert explanation.message == message
    assert explanation.line is not None and explanation.column is not None
    if hint is not None:
        assert explanation.hint.startswith(hint)
    assert "[_]" not in explanation.text() and "..=" not in explanation.text()


def test_positions_count_characters_and_lines_as_the_engine_does() -> None:
    query = (
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\r\n"
        'SELECT * {\r\n\t?s rdfs:label "é😀" ; foaf:name ?n }'
    )
    explanation = explained(query)
    assert (explanation.line, explanation.column) == (3, 23)
    assert caret_under(explanation.where()) == "foaf:name"


def test_the_json_fields_are_line_column_and_hint() -> None:
    explanation = explained("SELEC * {}")
    assert explanation.fields() == {"line": 1, "column": 1, "hint": "did you mean SELECT?"}
    assert explanation.text() == (
        "SPARQL syntax error at line 1, column 1: 'SELEC' is not a SPARQL keyword\n"
        "  SELEC * {}\n"
        "  ^^^^^\n"
        "hint: did you mean SELECT?"
    )


def test_a_long_line_is_cut_around_the_mistake() -> None:
    query = "SELECT * { " + "?s ?p ?o . " * 30 + "?s a mkg:Gene }"
    lines = explained(query).where().splitlines()
    assert len(lines[1]) < 120
    assert caret_under("\n".join(lines)) == "mkg:Gene"


def test_a_message_without_a_position_is_kept() -> None:
    explanation = explain("SELECT * { ?s ?p ?o }", "something else went wrong")
    assert explanation.text() == "SPARQL syntax error: something else went wrong"


def test_a_remote_failure_names_the_endpoint() -> None:
    """Regression, issue "the first hour of a new user", item 2: a SERVICE that cannot be
    reached gave a traceback (CLI) or a 400 that did not name the endpoint (server)."""
    query = "PREFIX up: <http://up.example/>\nSELECT * { SERVICE up:sparql { ?s ?p ?o } }"
    failure = remote_failure(
        query, ConnectionRefusedError("Connection refused (os error 111)"), base=None
    )
    assert failure is not None
    assert failure.endpoints == ("http://up.example/sparql",)
    assert failure.message == (
        "the remote SPARQL endpoint <http://up.example/sparql> (SERVICE) failed: "
        "Connection refused (os error 111)"
    )


def test_a_remote_failure_among_several_endpoints_names_the_one_the_error_names() -> None:
    query = "SELECT * { SERVICE <http://a.example/s> { ?s ?p ?o } SERVICE <http://b.example/s> {} }"
    error = OSError(
        "Error 500 Internal Server Error returned by http://b.example/s with payload:\nboom"
    )
    failure = remote_failure(query, error, base=None)
    assert failure.message == (
        "the remote SPARQL endpoint <http://b.example/s> (SERVICE) failed: "
        "Error 500 Internal Server Error returned by http://b.example/s"
    )
    failure = remote_failure(query, OSError("Connection refused"), base=None)
    assert failure.message.startswith(
        "one of the remote SPARQL endpoints this query calls (<http://a.example/s>, "
        "<http://b.example/s>) failed"
    )


def test_no_remote_failure_without_service() -> None:
    assert remote_failure("SELECT * { ?s ?p ?o }", OSError("disk"), base=None) is None


@pytest.mark.parametrize("query", ["SELECT WHERE { ?s ?p ?o }", "SELECT DISTINCT {", "SELECT {"])
def test_a_select_without_variables_says_so(query: str) -> None:
    explanation = explained(query)
    assert explanation.message == "SELECT names no variables to return"
    assert explanation.hint.endswith("or * for all")
