"""Describe one thing of the graph: its triples for RDF clients, its statements for people.

The statements a page lists are phrased with the ontology's labels of their properties, read
backwards for the statements pointing to the thing ('mentions' -> 'mentioned by'); a blank node
(the owl:Axiom that names a curated statement's source) is shown by what it says, never by its
identifier.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from server.display import (
    LABELS,
    Cell,
    cell_for_iri,
    cell_for_literal,
    compact,
    href,
    inverse_phrase,
    phrase,
)
from server.engine import Engine
from server.engine.terms import BlankNode, Literal, NamedNode, Quad, Triple

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
# At most this many IRIs are labelled at once (as server.display.labels).
_LABELS_LOOKED_UP = 2000
# Shown first among the statements, in this order; the others follow by their phrase.
_LEADING = (
    RDF_TYPE,
    *LABELS,
    "http://www.w3.org/2004/02/skos/core#altLabel",
    "http://purl.org/dc/terms/identifier",
)
# What an owl:Axiom node (a curated statement's source) says, in reading order.
_AXIOM_PARTS = tuple(
    "http://www.w3.org/2002/07/owl#" + name
    for name in ("annotatedSource", "annotatedProperty", "annotatedTarget")
)
_ONTOLOGY_LABELS = f"""
SELECT ?term ?label WHERE {{
  GRAPH ?graph {{ ?term <{RDFS_LABEL}> ?label }}
  FILTER (STRENDS(STR(?graph), "/graph/ontology"))
}}
"""


@dataclass
class Value:
    """One value of a statement; a blank node comes with what it says instead of its name."""

    cell: Cell
    parts: list[tuple[str, Cell]] = field(default_factory=list)


@dataclass
class Statement:
    """Every value of one property, phrased (inverse phrases for the incoming statements)."""

    predicate: Cell
    values: list[Value] = field(default_factory=list)
    more: int = 0


@dataclass
class Statements:
    """A thing's own statements, those of its '#' parts, and those pointing to it."""

    outgoing: list[Statement]
    parts: list[tuple[str, list[Statement]]]
    incoming: list[Statement]
    incoming_truncated: bool
    count: int


def exists(engine: Engine, iri: str) -> bool:
    """Return whether `iri` occurs in the engine as a subject or an object (False if invalid)."""
    try:
        node = NamedNode(iri)
    except ValueError:
        return False
    return bool(engine.quads(node, None, None, limit=1) or engine.quads(None, None, node, limit=1))


def hash_parts(engine: Engine, iri: str, limit: int) -> list[str]:
    """Return the '#fragment' IRIs of `iri` reachable from it (they share its document)."""
    found: list[str] = []
    frontier = [iri]
    while frontier and len(found) < limit:
        current = frontier.pop()
        for quad in engine.quads(NamedNode(current), None, None, limit=limit):
            value = quad.object
            if (
                isinstance(value, NamedNode)
                and value.value.startswith(iri + "#")
                and value.value not in found
            ):
                found.append(value.value)
                frontier.append(value.value)
    return sorted(found)


def describe_triples(engine: Engine, iri: str, *, limit: int) -> list[Triple]:
    """Return the triples about `iri` and its '#' parts, and up to `limit` pointing to it."""
    triples: dict[Triple, None] = {}
    for subject in (iri, *hash_parts(engine, iri, limit)):
        for quad in engine.quads(NamedNode(subject), None, None, limit=limit * 10):
            triples[Triple(quad.subject, quad.predicate, quad.object)] = None
    for quad in engine.quads(None, None, NamedNode(iri), limit=limit):
        triples[Triple(quad.subject, quad.predicate, quad.object)] = None
    return list(triples)


def ontology_labels(engine: Engine) -> dict[str, str]:
    """Return the rdfs:label of every term the ontology graph labels."""
    found: dict[str, str] = {}
    for row in engine.select(_ONTOLOGY_LABELS):
        term, label = row["term"].value, row["label"].value
        if term not in found or label < found[term]:
            found[term] = label
    return found


def predicate_cell(iri: str, terms: dict[str, str], *, inverse: bool = False) -> Cell:
    """Return a property as a phrase from its ontology label (or its local name), linked."""
    label = terms.get(iri)
    if label is None:
        short = compact(iri)
        label = short.rsplit(":", 1)[-1].rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    text = inverse_phrase(label) if inverse else phrase(label)
    if iri == RDF_TYPE:
        text = "has instance" if inverse else "type"
    return Cell(text, href(iri), compact(iri), None, "uri")


def statements(
    engine: Engine,
    iri: str,
    *,
    terms: dict[str, str],
    shown: int = 20,
    limit: int = 500,
) -> Statements:
    """Collect the statements of `iri` for a page: at most `shown` values of each property."""
    node = NamedNode(iri)
    # Sorted, so that the values shown first are the same whatever order the engine gives.
    out_quads = sorted(engine.quads(node, None, None, limit=limit * 10), key=_quad_order)
    in_quads = sorted(engine.quads(None, None, node, limit=limit + 1), key=_quad_order)
    truncated = len(in_quads) > limit
    in_quads = in_quads[:limit]
    parts = {
        p: sorted(engine.quads(NamedNode(p), None, None), key=_quad_order)
        for p in hash_parts(engine, iri, limit)
    }
    count = len(out_quads) + len(in_quads) + sum(len(quads) for quads in parts.values())
    # Only the values shown are labelled: a review cites hundreds of papers.
    out_shown, in_shown = _first_of_each(out_quads, shown), _first_of_each(in_quads, shown)
    blanks = _blank_statements(
        engine,
        [
            term
            for quads in (out_shown, in_shown)
            for quad in quads
            for term in (quad.subject, quad.object)
            if isinstance(term, BlankNode)
        ],
    )
    linked = {
        term.value
        for quads in (out_shown, in_shown, *parts.values(), *blanks.values())
        for quad in quads
        for term in (quad.subject, quad.object)
        if isinstance(term, NamedNode)
    }
    names = _labels(engine, linked)
    context = _Context(names, terms, blanks)
    return Statements(
        outgoing=context.group(out_quads, outgoing=True, shown=shown),
        parts=[
            (p[len(iri) + 1 :], context.group(quads, outgoing=True, shown=shown))
            for p, quads in parts.items()
        ],
        incoming=context.group(in_quads, outgoing=False, shown=shown),
        incoming_truncated=truncated,
        count=count,
    )


def _labels(engine: Engine, iris: Iterable[str]) -> dict[str, str]:
    """Return a label for each IRI found, chosen as server.display.labels chooses (the first
    property of LABELS that has a value, the least of its values).

    One pattern per property, joined by UNION: the embedded store answers that in milliseconds
    for a page's hundred links at 100 reviews, where a VALUES of the properties joined with the
    IRIs takes a few milliseconds per IRI.
    """
    wanted = sorted({iri for iri in iris if iri and ">" not in iri})[:_LABELS_LOOKED_UP]
    if not wanted:
        return {}
    patterns = " UNION ".join(
        f"{{ ?x <{p}> ?label BIND ({rank} AS ?rank) }}" for rank, p in enumerate(LABELS)
    )
    query = (
        f"SELECT ?x ?rank ?label WHERE {{ VALUES ?x {{ {' '.join(f'<{i}>' for i in wanted)} }} "
        f"{patterns} }}"
    )
    found: dict[str, tuple[int, str]] = {}
    for row in engine.select(query):
        iri, choice = row["x"].value, (int(row["rank"].value), row["label"].value)
        if iri not in found or choice < found[iri]:
            found[iri] = choice
    return {iri: label for iri, (_, label) in found.items()}


def _first_of_each(quads: list[Quad], shown: int) -> list[Quad]:
    """Return the first `shown` quads of each predicate."""
    seen: dict[str, int] = {}
    kept = []
    for quad in quads:
        number = seen[quad.predicate.value] = seen.get(quad.predicate.value, 0) + 1
        if number <= shown:
            kept.append(quad)
    return kept


def _blank_statements(engine: Engine, nodes: Iterable[BlankNode]) -> dict[BlankNode, list[Quad]]:
    return {
        node: sorted(engine.quads(node, None, None, limit=50), key=_part_order) for node in nodes
    }


def _part_order(quad: Quad) -> tuple[int, str, str]:
    """Order what a blank node says: the statement it is about first, then the rest."""
    predicate = quad.predicate.value
    rank = _AXIOM_PARTS.index(predicate) if predicate in _AXIOM_PARTS else len(_AXIOM_PARTS)
    return rank, predicate, _term_order(quad.object)


def _quad_order(quad: Quad) -> tuple[str, str, str]:
    """Order quads by predicate, then by the values an engine may give in any order."""
    return (
        quad.predicate.value,
        _term_order(quad.object),
        _term_order(quad.subject),
    )


def _term_order(term: object) -> str:
    # Blank nodes are named differently by every engine: they sort together, unordered.
    return "" if isinstance(term, BlankNode) else str(term)


@dataclass
class _Context:
    names: dict[str, str]
    terms: dict[str, str]
    blanks: dict[BlankNode, list[Quad]]

    def cell(self, term: object) -> Cell:
        if isinstance(term, NamedNode):
            return cell_for_iri(term.value, self.names.get(term.value))
        if isinstance(term, Literal):
            return cell_for_literal(term.value, term.datatype.value, term.language)
        if isinstance(term, BlankNode):
            return Cell("a statement about a statement", kind="statement")
        return Cell(str(term))

    def value(self, term: object) -> Value:
        value = Value(self.cell(term))
        if isinstance(term, BlankNode):
            value.parts = [
                (predicate_cell(q.predicate.value, self.terms).text, self.cell(q.object))
                for q in self.blanks.get(term, [])
                if q.predicate.value != RDF_TYPE and not isinstance(q.object, BlankNode)
            ]
        return value

    def group(self, quads: list[Quad], *, outgoing: bool, shown: int) -> list[Statement]:
        grouped: dict[str, Statement] = {}
        for quad in quads:
            predicate = quad.predicate.value
            statement = grouped.get(predicate)
            if statement is None:
                cell = predicate_cell(predicate, self.terms, inverse=not outgoing)
                statement = grouped[predicate] = Statement(cell)
            if len(statement.values) >= shown:
                statement.more += 1
                continue
            statement.values.append(self.value(quad.object if outgoing else quad.subject))

        def order(predicate: str) -> tuple[int, str]:
            rank = _LEADING.index(predicate) if predicate in _LEADING else len(_LEADING)
            return rank, grouped[predicate].predicate.text

        return [grouped[p] for p in sorted(grouped, key=order)]
