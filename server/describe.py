"""Describe one thing of the graph: its statements, what points to it, its mentions, evidence."""

from dataclasses import dataclass, field
from itertools import islice

import pyoxigraph
from pyoxigraph import NamedNode, Triple

from server.views import LABELS, Cell, cell_for_iri, compact, labels, select, shorten

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
IDENTIFIER = "http://purl.org/dc/terms/identifier"
EXACT_MATCH = "http://www.w3.org/2004/02/skos/core#exactMatch"
DOI = "http://prismstandard.org/namespaces/basic/2.0/doi"
MKG = "https://w3id.org/mkg/ontology/"
OA = "http://www.w3.org/ns/oa#"
DCTERMS = "http://purl.org/dc/terms/"
# Shown first on a page, in this order; every other predicate follows by its short name.
_LEADING = (RDF_TYPE, *LABELS, "http://www.w3.org/2004/02/skos/core#altLabel", IDENTIFIER)


@dataclass
class Value:
    """One object (or subject) of a statement, with the graph it is in."""

    cell: Cell
    graph: str | None


@dataclass
class Statement:
    """Every value of one predicate."""

    predicate: Cell
    values: list[Value] = field(default_factory=list)


@dataclass
class Mention:
    """Where the text of a document names the thing: the quoted words and their context."""

    source: Cell
    exact: str
    prefix: str
    suffix: str
    annotation: Cell


@dataclass
class Association:
    """A derived association the thing takes part in, with the other party and its evidence."""

    node: Cell
    kind: Cell
    other: Cell | None
    evidence_count: str


@dataclass
class ThingView:
    """What the HTML page of a thing shows."""

    iri: str
    label: str
    types: list[Cell]
    identifiers: list[Cell]
    outgoing: list[Statement]
    parts: list[tuple[str, list[Statement]]]
    incoming: list[Statement]
    incoming_truncated: bool
    mentions: list[Mention]
    mentions_truncated: bool
    associations: list[Association]
    evidence: list[Cell]
    limit: int


def exists(store: pyoxigraph.Store, iri: str) -> bool:
    """Return whether `iri` occurs in the store as a subject or an object (False if invalid)."""
    try:
        node = NamedNode(iri)
    except ValueError:
        return False
    return (
        next(store.quads_for_pattern(node, None, None), None) is not None
        or next(store.quads_for_pattern(None, None, node), None) is not None
    )


def _hash_parts(store: pyoxigraph.Store, iri: str, limit: int) -> list[str]:
    """Return the '#fragment' IRIs of `iri` reachable from it (they share its document)."""
    found: list[str] = []
    frontier = [iri]
    while frontier and len(found) < limit:
        current = frontier.pop()
        for quad in islice(store.quads_for_pattern(NamedNode(current), None, None), limit):
            value = quad.object
            if (
                isinstance(value, NamedNode)
                and value.value.startswith(iri + "#")
                and value.value not in found
            ):
                found.append(value.value)
                frontier.append(value.value)
    return sorted(found)


def describe_triples(store: pyoxigraph.Store, iri: str, *, limit: int) -> list[Triple]:
    """Return the triples about `iri` and its '#' parts, and up to `limit` pointing to it."""
    triples: dict[Triple, None] = {}
    for subject in (iri, *_hash_parts(store, iri, limit)):
        for quad in islice(store.quads_for_pattern(NamedNode(subject), None, None), limit * 10):
            triples[Triple(quad.subject, quad.predicate, quad.object)] = None
    for quad in islice(store.quads_for_pattern(None, None, NamedNode(iri)), limit):
        triples[Triple(quad.subject, quad.predicate, quad.object)] = None
    return list(triples)


def thing_view(store: pyoxigraph.Store, iri: str, *, limit: int = 500) -> ThingView:
    """Collect everything the page of `iri` shows, with labels for every linked IRI."""
    node = NamedNode(iri)
    out_quads = list(islice(store.quads_for_pattern(node, None, None), limit * 10))
    in_quads = list(islice(store.quads_for_pattern(None, None, node), limit + 1))
    incoming_truncated = len(in_quads) > limit
    in_quads = in_quads[:limit]
    parts = {
        p: list(store.quads_for_pattern(NamedNode(p), None, None))
        for p in _hash_parts(store, iri, limit)
    }
    mention_rows, mentions_truncated = _mention_rows(store, iri, limit)
    associations = _associations(store, iri, limit)
    evidence_iris = [
        q.object.value
        for q in out_quads
        if q.predicate.value == MKG + "evidence" and isinstance(q.object, NamedNode)
    ]
    linked = {iri, *evidence_iris}
    for quads in (out_quads, in_quads, *parts.values()):
        for quad in quads:
            linked.add(quad.predicate.value)
            for term in (quad.subject, quad.object, quad.graph_name):
                if isinstance(term, NamedNode):
                    linked.add(term.value)
    linked.update(row["source"] for row in mention_rows)
    names = labels(store, linked)
    return ThingView(
        iri=iri,
        label=names.get(iri, compact(iri)),
        types=[
            cell_for_iri(q.object.value, names.get(q.object.value))
            for q in out_quads
            if q.predicate.value == RDF_TYPE and isinstance(q.object, NamedNode)
        ],
        identifiers=_identifiers(out_quads),
        outgoing=_statements(out_quads, names, outgoing=True),
        parts=[
            (p[len(iri) + 1 :], _statements(qs, names, outgoing=True)) for p, qs in parts.items()
        ],
        incoming=_statements(in_quads, names, outgoing=False),
        incoming_truncated=incoming_truncated,
        mentions=[_mention(row, names) for row in mention_rows],
        mentions_truncated=mentions_truncated,
        associations=associations,
        evidence=[cell_for_iri(p, names.get(p)) for p in sorted(set(evidence_iris))],
        limit=limit,
    )


def _identifiers(quads: list[pyoxigraph.Quad]) -> list[Cell]:
    cells: dict[str, Cell] = {}
    for quad in quads:
        predicate, value = quad.predicate.value, quad.object
        if predicate == EXACT_MATCH and isinstance(value, NamedNode):
            cells[value.value] = Cell(value.value, value.value, None, None, "uri")
        elif not isinstance(value, pyoxigraph.Literal):
            continue
        elif predicate == IDENTIFIER:
            cells[value.value] = Cell(value.value)
        elif predicate == DOI:
            doi = value.value
            cells[doi] = Cell(f"doi:{doi}", f"https://doi.org/{doi}", None, None, "uri")
    # The identifiers themselves first, then the IRIs they match, each group sorted.
    return sorted(cells.values(), key=lambda cell: (cell.kind == "uri", cell.text))


def _term_cell(term: object, names: dict[str, str]) -> Cell:
    if isinstance(term, NamedNode):
        return cell_for_iri(term.value, names.get(term.value))
    if isinstance(term, pyoxigraph.BlankNode):
        return Cell(f"_:{term.value}", kind="bnode")
    if isinstance(term, pyoxigraph.Literal):
        note = f"@{term.language}" if term.language else None
        if not term.language and not term.datatype.value.endswith("#string"):
            note = compact(term.datatype.value)
        return Cell(term.value, None, None, note)
    return Cell(str(term))


def _statements(
    quads: list[pyoxigraph.Quad], names: dict[str, str], *, outgoing: bool
) -> list[Statement]:
    grouped: dict[str, Statement] = {}
    for quad in quads:
        predicate = quad.predicate.value
        statement = grouped.setdefault(
            predicate, Statement(cell_for_iri(predicate, names.get(predicate)))
        )
        term = quad.object if outgoing else quad.subject
        graph = quad.graph_name.value if isinstance(quad.graph_name, NamedNode) else None
        statement.values.append(Value(_term_cell(term, names), graph))

    def order(predicate: str) -> tuple[int, str]:
        rank = _LEADING.index(predicate) if predicate in _LEADING else len(_LEADING)
        return rank, compact(predicate)

    return [grouped[p] for p in sorted(grouped, key=order)]


_MENTIONS = """
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?thing ?annotation ?source ?exact ?prefix ?suffix WHERE {
  ?annotation oa:hasBody ?thing ; oa:hasTarget ?target .
  ?target oa:hasSource ?source ; oa:hasSelector ?selector .
  ?selector oa:exact ?exact .
  OPTIONAL { ?selector oa:prefix ?prefix }
  OPTIONAL { ?selector oa:suffix ?suffix }
}
ORDER BY ?source ?annotation
"""


def _mention_rows(
    store: pyoxigraph.Store, iri: str, limit: int
) -> tuple[list[dict[str, str]], bool]:
    rows = select(
        store,
        _MENTIONS + f"LIMIT {limit + 1}",
        substitutions={pyoxigraph.Variable("thing"): NamedNode(iri)},
    )
    names = ("annotation", "source", "exact", "prefix", "suffix")
    found = [
        {name: row[name].value if row[name] is not None else "" for name in names} for row in rows
    ]
    return found[:limit], len(found) > limit


def _mention(row: dict[str, str], names: dict[str, str]) -> Mention:
    return Mention(
        source=cell_for_iri(row["source"], names.get(row["source"])),
        exact=row["exact"],
        prefix=row["prefix"],
        suffix=row["suffix"],
        annotation=cell_for_iri(row["annotation"]),
    )


_ASSOCIATIONS = """
PREFIX mkg: <https://w3id.org/mkg/ontology/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?thing ?association ?kind ?kindLabel ?other ?otherLabel ?count WHERE {
  { ?association mkg:subject ?thing . OPTIONAL { ?association mkg:object ?other } }
  UNION
  { ?association mkg:object ?thing . OPTIONAL { ?association mkg:subject ?other } }
  OPTIONAL { ?association a ?kind . OPTIONAL { ?kind rdfs:label ?kindLabel } }
  OPTIONAL { ?other rdfs:label ?otherLabel }
  OPTIONAL { ?association mkg:evidenceCount ?count }
}
ORDER BY DESC(?count) ?association
"""


def _associations(store: pyoxigraph.Store, iri: str, limit: int) -> list[Association]:
    rows = select(
        store,
        _ASSOCIATIONS + f"LIMIT {limit}",
        substitutions={pyoxigraph.Variable("thing"): NamedNode(iri)},
    )
    found: dict[str, Association] = {}
    for row in rows:
        node = row["association"].value
        if node in found:
            continue
        kind = row["kind"]
        other = row["other"]
        found[node] = Association(
            node=cell_for_iri(node),
            kind=cell_for_iri(kind.value, _value(row["kindLabel"])) if kind else Cell(""),
            other=cell_for_iri(other.value, _value(row["otherLabel"])) if other else None,
            evidence_count=_value(row["count"]) or "",
        )
    return list(found.values())


def _value(term: object) -> str | None:
    return None if term is None else shorten(str(getattr(term, "value", term)))
