"""Decide which SPARQL endpoints a query would call (SERVICE), and whether this server lets it.

The decision is taken on the parsed query: rdflib's SPARQL 1.1 parser (written from the spec's
grammar) turns the text into algebra, and every `ServiceGraphPattern` in it is a call, with its
endpoint resolved against the query's BASE and prefixes. Two readers are asked, and a query runs
only if neither sees a call to an endpoint off the allow-list:

- the parser's algebra (the authority; a query it cannot parse is *unverified*);
- the lexer of `server.sparqltext`, an independent second reading, whose known targets veto too.

An unverified query that names the letters SERVICE anywhere is refused unless the query processes
run without network (`server.sandbox`), in which case the lexer's reading decides: a misread there
cannot reach anything. A query whose text holds no "SERVICE" in any case or escape is never parsed
(nothing else can call out), which keeps the check off the path of ordinary queries.

An engine the server cannot seal (a remote SPARQL endpoint, a Virtuoso it runs) is sent only
queries the parser reads, that call no function but SPARQL 1.1's and name none of an engine's
built-in namespaces (`remote_refusal`): Virtuoso, for one, runs its SQL built-ins from SPARQL,
and some of them fetch URLs.
"""

import re
import sys
from dataclasses import dataclass
from functools import lru_cache

from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import URIRef

from server.sparqltext import QueryTextError, inspect_query

UNKNOWN_TARGET = "(an endpoint not known before the query runs)"
# The only functions SPARQL 1.1 calls by IRI are the XSD constructor casts.
_XSD = "http://www.w3.org/2001/XMLSchema#"
# IRI schemes engines read as their own built-ins rather than as data (Virtuoso's bif: and sql:).
_BUILTIN_SCHEMES = ("bif:", "sql:")
# The parser is recursive: longer or deeper queries are left unverified rather than risk the stack.
_MAX_PARSED_TEXT = 64 * 1024
_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


@dataclass(frozen=True)
class Reading:
    """What the parser found: the endpoints called (None for a variable), the functions called
    by IRI, the IRIs in engines' built-in namespaces, or why it could not read the query."""

    targets: tuple[str | None, ...]
    unverified: str | None = None
    functions: tuple[str, ...] = ()
    builtins: tuple[str, ...] = ()
    # Where the parser stopped on a syntax error: line and column (1-based), and what it expected.
    syntax_error: tuple[int, int, str] | None = None


def mentions_service(text: str) -> bool:
    """Return whether the letters of SERVICE appear anywhere, in any case or escape.

    SPARQL 1.1 lets codepoint escapes stand anywhere in a query, and some engines fold letters such
    as 'ſ' (long s) or 'ı' (dotless i) to ASCII: the test is on the decoded, upper-cased text.
    """
    decoded = _UCHAR.sub(lambda m: _chr(m.group(1) or m.group(2)), text)
    return "SERVICE" in decoded.upper() or "service" in decoded.casefold()


def _chr(hex_digits: str) -> str:
    value = int(hex_digits, 16)
    return chr(value) if value <= sys.maxunicode else "\ufffd"


@lru_cache(maxsize=512)
def parsed_targets(text: str, base: str | None) -> Reading:
    """Return the SERVICE endpoints of the query's algebra, resolved (None for a variable)."""
    if len(text) > _MAX_PARSED_TEXT:
        return Reading((), f"the query is longer than {_MAX_PARSED_TEXT} characters")
    # The engine ends a comment at CR as well as LF; the parser only at LF. Outside comments a CR
    # is whitespace, and inside long strings it changes a value, never the structure.
    normal = text.replace("\r", "\n")
    try:
        algebra = translateQuery(parseQuery(normal), base=base).algebra
    except RecursionError:
        return Reading((), "the query is nested too deeply to be read")
    # The parser's failure is the answer here, whatever it raises.
    except Exception as error:  # noqa: BLE001
        first = str(error).splitlines()[0] if str(error) else type(error).__name__
        line, column = getattr(error, "lineno", None), getattr(error, "col", None)
        where = None
        if isinstance(line, int) and isinstance(column, int):
            where = (line, column, str(getattr(error, "msg", "")).removeprefix("Expected "))
        return Reading((), f"it does not parse as SPARQL 1.1 ({first[:120]})", syntax_error=where)
    found: list[str | None] = []
    functions: list[str] = []
    builtins: list[str] = []
    _collect(algebra, found, functions, builtins)
    return Reading(
        tuple(found), functions=tuple(dict.fromkeys(functions)), builtins=tuple(builtins)
    )


def _collect(node: object, found: list[str | None], functions: list[str], iris: list[str]) -> None:
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            if item.name == "ServiceGraphPattern":
                term = item.get("term")
                found.append(str(term) if isinstance(term, URIRef) else None)
            elif item.name == "Function" and isinstance(item.get("iri"), URIRef):
                functions.append(str(item["iri"]))
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
        elif isinstance(item, URIRef) and str(item).lower().startswith(_BUILTIN_SCHEMES):
            iris.append(str(item))


def _lexed_targets(text: str, base: str | None) -> list[str | None]:
    try:
        return inspect_query(text, base=base).services
    except QueryTextError:
        return [None]


def refused_services(
    text: str, *, base: str | None, allowed: frozenset[str], sealed: bool
) -> tuple[list[str], str | None]:
    """Return the endpoints this query may not call, and why it could not be verified (or None).

    `sealed` says the query processes have no network: then an unverified query is judged by the
    lexer alone. Without it, an unverified query that mentions SERVICE is refused outright.
    """
    if not mentions_service(text):
        return [], None
    reading = parsed_targets(text, base)
    lexed = _lexed_targets(text, base)
    if reading.unverified is not None:
        # A query that does not parse is never sent to an engine that is not sealed (it is a
        # syntax error there), so the lexer may judge it as it does for sealed query processes:
        # the same query gets the same answer (a syntax error, not a refusal) on every engine.
        if not sealed and reading.syntax_error is None:
            return [UNKNOWN_TARGET], reading.unverified
        targets = lexed
    else:
        targets = [*reading.targets, *(target for target in lexed if target is not None)]
    refused = [
        UNKNOWN_TARGET if target is None else target
        for target in targets
        if target is None or target not in allowed
    ]
    return list(dict.fromkeys(refused)), reading.unverified


def remote_refusal(text: str, *, base: str | None) -> str | None:
    """Return why a query may not be sent to an engine that is not sealed, or None if it may.

    Such an engine gets only what the parser reads: a query it cannot read, one calling a
    function by IRI other than an XSD cast, or one naming an engine's built-ins is refused.
    """
    reading = parsed_targets(text, base)
    if reading.unverified is not None:
        return f"this endpoint cannot check the query: {reading.unverified}"
    functions = [iri for iri in reading.functions if not iri.startswith(_XSD)]
    if functions:
        return (
            "the query calls functions that are not SPARQL 1.1 ("
            + ", ".join(f"<{iri}>" for iri in functions[:5])
            + "); this endpoint's engine is given standard functions only"
        )
    if reading.builtins:
        return (
            f"the query names the engine built-in <{reading.builtins[0]}>; this endpoint's "
            "engine is given standard SPARQL 1.1 only"
        )
    return None
