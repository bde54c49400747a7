"""What the page of a thing says to a biologist, in sections: who it is and where else it is
known, what the literature says (quotes), what it is related to, and the papers.

Each section comes from one or two small queries bound to the thing, so that a page stays fast
on the embedded store; the raw statements are in `server.describe`.
"""

from dataclasses import dataclass, field

from ingest.namespaces import MKG
from server.display import (
    Cell,
    cell_for_iri,
    compact,
    cut_after,
    cut_before,
    href,
    identifier,
    inverse_phrase,
    labels,
    phrase,
    shorten,
)
from server.engine import Engine
from server.engine.terms import Literal, NamedNode, Quad
from server.lookup import ENTITY_KINDS, KIND_VALUES, kinds, rows, values

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
FABIO = "http://purl.org/spar/fabio/"
REVIEW = FABIO + "ReviewArticle"
ARTICLE = FABIO + "JournalArticle"
JOURNAL = FABIO + "Journal"
FIGURE = str(MKG.Figure)
EXACT_MATCH = "http://www.w3.org/2004/02/skos/core#exactMatch"
ALT_LABEL = "http://www.w3.org/2004/02/skos/core#altLabel"
IDENTIFIER = "http://purl.org/dc/terms/identifier"
DEFINITIONS = (
    "http://www.w3.org/2004/02/skos/core#definition",
    "http://purl.obolibrary.org/obo/IAO_0000115",
    "http://www.w3.org/2000/01/rdf-schema#comment",
    "http://purl.org/dc/terms/description",
)
PAGE_SIZE = 25
# Context kept around a quoted mention in a long text (an abstract), in characters.
_CONTEXT = 90
_LONG_TITLE = 320
_SYNONYMS_SHOWN = 12
# Statements between entities that the page says as sentences, not as associations.
_NOT_FACTS = frozenset({RDF_TYPE, EXACT_MATCH, str(MKG.mentions)})
FRBR_PART = "http://purl.org/vocab/frbr/core#part"


@dataclass(frozen=True)
class Segment:
    """A piece of a quoted text; a marked piece names an entity (linked to its page)."""

    text: str
    marked: bool = False
    link: str | None = None
    title: str | None = None


@dataclass
class Quote:
    """Where a text names the thing: the document, its place in the review, the marked words."""

    source: Cell
    where: str
    order: tuple[int, int]
    year: str | None
    segments: list[Segment]
    # Which text of the source: its 'title' (then the quote is the whole title) or 'abstract'.
    text_field: str


@dataclass(frozen=True)
class Fact:
    """A statement linking the thing to another entity, read as a sentence, with its source."""

    phrase: str
    other: Cell
    source: Cell | None


@dataclass(frozen=True)
class Role:
    """A role a title states for the thing ('metastasis suppressor'), with the words it rests on."""

    role: Cell
    cue: str
    paper: Cell
    number: str | None


@dataclass(frozen=True)
class Related:
    """An entity the thing is associated with: the association and its number of papers."""

    other: Cell
    papers: int
    association: str | None


@dataclass
class Listing:
    """A page of a long list, and where the other pages are."""

    items: list["Entry"]
    total: int
    page: int
    pages: int
    start: int

    @property
    def end(self) -> int:
        """Return the 1-based number of the last item shown."""
        return self.start + len(self.items) - 1


@dataclass(frozen=True)
class Entry:
    """A paper in a list: its reference number, title (linked), authors, journal and year."""

    number: str | None
    title: Cell
    authors: str
    journal: str | None
    year: str | None
    segments: list[Segment] = field(default_factory=list)


@dataclass
class Bibliography:
    """How a paper is cited: authors, journal, volume, pages, year, DOI, its place in the review."""

    authors: list[Cell]
    et_al: bool
    journal: Cell | None
    volume: str | None
    pages: str | None
    year: str | None
    doi: Cell | None
    reference: Cell | None
    review: Cell | None
    printed: str | None
    study_types: list[tuple[Cell, list[str]]]
    title: list[Segment]
    abstract: list[Segment]
    figures: list[tuple[str, Cell, list[Segment]]]


@dataclass
class Profile:
    """Everything the reading part of a thing's page shows."""

    iri: str
    label: str
    kind: str
    kind_name: str | None
    types: list[Cell]
    description: str | None
    synonyms: list[str]
    more_synonyms: int
    identifiers: list[Cell]
    facts: list[Fact] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    quotes: "QuoteListing | None" = None
    related: list[tuple[str, list[Related]]] = field(default_factory=list)
    bibliography: Bibliography | None = None
    named: list[tuple[str, list[Cell]]] = field(default_factory=list)
    stated: list[tuple[Cell, Cell, str]] = field(default_factory=list)
    references: Listing | None = None
    association: tuple[Cell, Cell, Cell] | None = None
    evidence: Listing | None = None


@dataclass
class QuoteListing:
    """A page of the quotes of a thing."""

    items: list[Quote]
    total: int
    page: int
    pages: int
    start: int
    papers: int

    @property
    def end(self) -> int:
        """Return the 1-based number of the last quote shown."""
        return self.start + len(self.items) - 1


def profile(
    engine: Engine,
    iri: str,
    *,
    quads: list[Quad],
    terms: dict[str, str],
    page: int = 1,
) -> Profile:
    """Return the reading view of `iri`, from its own statements `quads` and a few queries."""
    types = [_text(q.object) for q in quads if q.predicate.value == RDF_TYPE]
    predicates = {q.predicate.value for q in quads}
    kind_name = next((ENTITY_KINDS[t][0] for t in ENTITY_KINDS if t in types), None)
    if REVIEW in types:
        kind = "review"
    elif ARTICLE in types or any(t.startswith(FABIO) and t != JOURNAL for t in types):
        kind = "paper"
    elif FIGURE in types:
        kind = "figure"
    elif kind_name is not None:
        kind = "entity"
    elif str(MKG.subject) in predicates and str(MKG.object) in predicates:
        kind = "association"
    else:
        kind = "other"
    names = labels(engine, [iri, *types])
    view = Profile(
        iri=iri,
        label=names.get(iri) or compact(iri),
        kind=kind,
        kind_name=kind_name,
        types=[cell_for_iri(t, names.get(t)) for t in sorted(set(types))],
        description=_description(engine, quads, types),
        synonyms=[],
        more_synonyms=0,
        identifiers=_identifiers(quads),
    )
    view.synonyms, view.more_synonyms = _synonyms(quads, view.label)
    if kind == "entity":
        view.facts = _facts(engine, iri, terms)
        view.roles = _roles(engine, iri)
        view.quotes = _quotes(engine, iri, page)
        view.related = _related(engine, iri)
    elif kind in ("paper", "review", "figure"):
        view.bibliography = _bibliography(engine, iri, quads, kind)
        view.named = _named(engine, iri)
        view.stated = _stated(engine, iri)
        if kind == "review":
            view.references = _references(engine, iri, page)
    elif kind == "association":
        view.association = _association(engine, iri, quads)
        view.evidence = _evidence(engine, iri, page)
    return view


def _description(engine: Engine, quads: list[Quad], types: list[str]) -> str | None:
    for predicate in DEFINITIONS:
        for quad in quads:
            if quad.predicate.value == predicate and isinstance(quad.object, Literal):
                return _text(quad.object)
    # A process is an instance of its ontology class: say what the class is.
    specific = [t for t in types if t.startswith(str(MKG)) and t not in ENTITY_KINDS]
    if not specific:
        return None
    found = rows(
        engine,
        f"SELECT ?text WHERE {{ VALUES ?class {{ {values(specific)} }} "
        "?class skos:definition ?text } LIMIT 1",
    )
    return found[0]["text"] if found else None


def _synonyms(quads: list[Quad], label: str) -> tuple[list[str], int]:
    seen = {label.casefold()}
    found = []
    for quad in quads:
        if quad.predicate.value == ALT_LABEL and _text(quad.object).casefold() not in seen:
            seen.add(_text(quad.object).casefold())
            found.append(_text(quad.object))
    found.sort(key=str.casefold)
    return found[:_SYNONYMS_SHOWN], max(0, len(found) - _SYNONYMS_SHOWN)


def _identifiers(quads: list[Quad]) -> list[Cell]:
    """Return the thing's identifiers as links out, its primary identifier first."""
    primary = {
        _text(q.object) for q in quads if q.predicate.value == IDENTIFIER and _text(q.object)
    }
    cells: dict[str, Cell] = {}
    for quad in quads:
        if quad.predicate.value != EXACT_MATCH or not isinstance(quad.object, NamedNode):
            continue
        target = _text(quad.object)
        found = identifier(target)
        text = found[1] if found else target
        cells[text] = Cell(text, target, target, None, "uri")
    shown = {text.replace(" ", ":").casefold() for text in cells}
    main = {value.casefold() for value in primary}
    for value in primary:
        if value.casefold() not in shown:
            cells[value] = Cell(value)

    def order(cell: Cell) -> tuple[bool, str]:
        return cell.text.replace(" ", ":").casefold() not in main, cell.text.casefold()

    return sorted(cells.values(), key=order)


def _facts(engine: Engine, iri: str, terms: dict[str, str]) -> list[Fact]:
    """Return the statements linking the thing to other entities (curated targets, families)."""
    found = rows(
        engine,
        f"""SELECT ?direction ?property ?other ?source WHERE {{
  {{ ?thing ?property ?other BIND("out" AS ?direction) }}
  UNION {{ ?other ?property ?thing BIND("in" AS ?direction) }}
  VALUES ?class {{ {KIND_VALUES} }} ?other a ?class .
  OPTIONAL {{
    ?axiom owl:annotatedProperty ?property ; dcterms:source ?source ;
      owl:annotatedSource ?from ; owl:annotatedTarget ?to .
    FILTER ((?direction = "out" && ?from = ?thing && ?to = ?other)
      || (?direction = "in" && ?from = ?other && ?to = ?thing))
  }}
}}""",
        thing=iri,
    )
    names = labels(engine, [row["other"] for row in found])
    facts: dict[tuple[str, str, str], Fact] = {}
    for row in found:
        if row["property"] in _NOT_FACTS:
            continue
        label = terms.get(row["property"]) or compact(row["property"]).rsplit(":", 1)[-1]
        said = phrase(label) if row["direction"] == "out" else inverse_phrase(label)
        source = row.get("source")
        source_cell = None
        if source:
            scheme = identifier(source)
            source_cell = Cell(scheme[0] if scheme else compact(source), href(source), source)
        key = (said, row["other"], source or "")
        facts[key] = Fact(said, cell_for_iri(row["other"], names.get(row["other"])), source_cell)
    return sorted(facts.values(), key=lambda f: (f.phrase, f.other.text.casefold()))


def _roles(engine: Engine, iri: str) -> list[Role]:
    found = rows(
        engine,
        """SELECT ?role ?roleLabel ?cue ?paper ?title ?number WHERE {
  ?statement mkg:roleOf ?thing ; mkg:role ?role ; mkg:statedIn ?paper .
  OPTIONAL { ?statement mkg:cue ?cue }
  OPTIONAL { ?role rdfs:label ?roleLabel }
  OPTIONAL { ?paper dcterms:title ?title }
  OPTIONAL { ?entry biro:references ?paper ; mkg:referenceNumber ?number }
}""",
        thing=iri,
    )
    roles = {
        (row["role"], row["paper"]): Role(
            cell_for_iri(row["role"], row.get("roleLabel")),
            row.get("cue", ""),
            Cell(shorten(row.get("title") or compact(row["paper"]), 160), href(row["paper"])),
            row.get("number"),
        )
        for row in found
    }
    return sorted(roles.values(), key=lambda r: (_number(r.number), r.role.text))


_MENTIONS = """SELECT ?source ?field ?exact ?prefix ?suffix ?start ?end ?title ?abstract ?number
  ?year ?figure ?review WHERE {
  ?annotation oa:hasBody ?thing ; oa:hasTarget ?target .
  ?target oa:hasSource ?source ; oa:hasSelector ?quote , ?position .
  ?quote oa:exact ?exact .
  ?position oa:start ?start ; oa:end ?end .
  OPTIONAL { ?quote oa:prefix ?prefix }
  OPTIONAL { ?quote oa:suffix ?suffix }
  OPTIONAL { ?target mkg:field ?field }
  OPTIONAL { ?source dcterms:title ?title }
  OPTIONAL { ?source dcterms:abstract ?abstract }
  OPTIONAL { ?entry biro:references ?source ; mkg:referenceNumber ?number }
  OPTIONAL { ?source mkg:publicationYear ?year }
  OPTIONAL { ?source mkg:figureNumber ?figure }
  OPTIONAL { ?source a fabio:ReviewArticle BIND (true AS ?review) }
}"""


# What orders and places the quotes of a thing, without their texts: one row per annotation.
# The selectors are left to _MENTIONS (a valid build gives every target both, see the shapes):
# joined here, they cost more than the rest of the query.
_QUOTE_KEYS = """SELECT ?annotation ?source ?field ?number ?figure ?review ?label ?prefLabel ?title
  ?name WHERE {
  ?annotation oa:hasBody ?thing ; oa:hasTarget ?target .
  ?target oa:hasSource ?source .
  OPTIONAL { ?target mkg:field ?field }
  OPTIONAL { ?entry biro:references ?source ; mkg:referenceNumber ?number }
  OPTIONAL { ?source mkg:figureNumber ?figure }
  OPTIONAL { ?source a fabio:ReviewArticle BIND (true AS ?review) }
  OPTIONAL { ?source rdfs:label ?label }
  OPTIONAL { ?source skos:prefLabel ?prefLabel }
  OPTIONAL { ?source dcterms:title ?title }
  OPTIONAL { ?source foaf:name ?name }
}"""
# The label properties a query reads with the thing it labels (?label ?prefLabel ?title ?name
# for rdfs:label, skos:prefLabel, dcterms:title, foaf:name), in the order of
# server.display.LABELS: reading them in the query costs milliseconds where a label lookup of
# the same things afterwards costs seconds on a large build.
_LABEL_COLUMNS = ("label", "prefLabel", "title", "name")


def _labelled(found: list[dict[str, str]], column: str) -> dict[str, str]:
    """Return the label of each IRI of `column` from the label columns of `found`.

    The same choice as server.display.labels: the first property of LABELS that has a value,
    the least of its values.
    """
    best: dict[str, tuple[int, str]] = {}
    for row in found:
        for rank, variable in enumerate(_LABEL_COLUMNS):
            if variable in row and (
                row[column] not in best or (rank, row[variable]) < best[row[column]]
            ):
                best[row[column]] = (rank, row[variable])
    return {iri: label for iri, (_, label) in best.items()}


def _annotation_graphs(engine: Engine, iri: str) -> dict[str, str | None]:
    """Return the annotations of the thing, each with the one graph to read it in (by IRI).

    An annotation of a paper cited by several reviews is in each of their graphs: joined over
    the union of the graphs, its copies multiply (minutes for a gene of 100 reviews). Without
    named graphs, every annotation is read in the default graph (None).
    """
    placed = rows(
        engine,
        "SELECT ?annotation ?g WHERE { GRAPH ?g { ?annotation oa:hasBody ?thing } }",
        thing=iri,
    )
    if not placed:
        found = rows(
            engine, "SELECT ?annotation WHERE { ?annotation oa:hasBody ?thing }", thing=iri
        )
        return {row["annotation"]: None for row in found}
    first: dict[str, str | None] = {}
    for row in placed:
        known = first.get(row["annotation"])
        first[row["annotation"]] = min(known, row["g"]) if known else row["g"]
    return first


def _read(
    engine: Engine, iri: str, query: str, graphs: dict[str, str | None]
) -> list[dict[str, str]]:
    """Return the rows of `query` for the annotations `graphs`, each read in its graph."""
    by_graph: dict[str, list[str]] = {}
    for annotation, graph in graphs.items():
        by_graph.setdefault(graph or "", []).append(annotation)
    found = []
    for graph, annotations in sorted(by_graph.items()):
        bound = query.replace(
            "WHERE {", f"WHERE {{\n  VALUES ?annotation {{ {values(sorted(annotations))} }}", 1
        )
        found += rows(engine, in_graph(bound, graph or None), thing=iri)
    return found


def _quotes(engine: Engine, iri: str, page: int) -> QuoteListing:
    """Return the texts that name the thing, the review first, then by reference number.

    The quotes are ordered and counted from a light query (no texts); only the page shown
    reads its texts and selectors.
    """
    graphs = _annotation_graphs(engine, iri)
    keys: dict[tuple[str, str], dict[str, str]] = {}
    annotations: dict[tuple[str, str], list[str]] = {}
    found = _read(engine, iri, _QUOTE_KEYS, graphs)
    for row in found:
        key = (row["source"], row.get("field", ""))
        keys.setdefault(key, row)
        annotations.setdefault(key, []).append(row["annotation"])
    names = _labelled(found, "source")
    ordered = []
    for (source, text_field), first in keys.items():
        if "review" in first:
            where, order = f"the review's {text_field or 'text'}", (0, 0)
        elif "figure" in first:
            where, order = f"figure {first['figure']} of the review", (1, int(first["figure"]))
        else:
            number = first.get("number")
            where = f"reference {number}" if number else "a cited paper"
            order = (2, _number(number))
        title = names.get(source) or compact(source)
        ordered.append((order, shorten(title, 200), source, text_field, where))
    ordered.sort(key=lambda item: item[:4])
    listed, total, page, pages, start = _page(ordered, page)
    shown = {(source, text_field) for _, _, source, text_field, _ in listed}
    wanted = {a for key in shown for a in annotations[key]}
    spans: dict[tuple[str, str], list[dict[str, str]]] = {}
    for row in _read(engine, iri, _MENTIONS, {a: g for a, g in graphs.items() if a in wanted}):
        key = (row["source"], row.get("field", ""))
        if key in shown:
            spans.setdefault(key, []).append(row)
    quotes = []
    for order, text, source, text_field, where in listed:
        found = spans.get((source, text_field), [])
        if not found:
            continue
        quotes.append(
            Quote(
                Cell(text, href(source), source),
                where,
                order,
                found[0].get("year"),
                _marked(
                    found[0].get(text_field) if text_field in ("title", "abstract") else None,
                    found,
                    text_field,
                ),
                text_field,
            )
        )
    papers = sum(1 for item in ordered if item[0][0] == 2)
    return QuoteListing(quotes, total, page, pages, start, papers)


def _marked(text: str | None, spans: list[dict[str, str]], text_field: str) -> list[Segment]:
    """Return the text with the spans marked, cut to the context around them when long."""
    places = []
    for span in spans:
        start, end = span.get("start", ""), span.get("end", "")
        if (
            text
            and start.isdigit()
            and end.isdigit()
            and text[int(start) : int(end)] == span["exact"]
        ):
            places.append((int(start), int(end)))
    if not text or not places:
        # Without the whole text, the quote's own context, cut at word boundaries.
        span = spans[0]
        return [
            Segment(cut_before(span.get("prefix", ""), 60)),
            Segment(span["exact"], marked=True),
            Segment(cut_after(span.get("suffix", ""), 60)),
        ]
    long = len(text) > _LONG_TITLE or text_field == "abstract"
    segments: list[Segment] = []
    position = 0
    for begin, finish in sorted(set(places)):
        if begin < position:
            continue
        gap = text[position:begin]
        if long and position == 0:
            gap = cut_before(gap, _CONTEXT)
        elif long and len(gap) > 2 * _CONTEXT:
            gap = (
                cut_after(gap, _CONTEXT).rstrip("\u2026")
                + " \u2026 "
                + cut_before(gap, _CONTEXT).lstrip("\u2026")
            )
        segments += [Segment(gap), Segment(text[begin:finish], marked=True)]
        position = finish
    rest = text[position:]
    segments.append(Segment(cut_after(rest, _CONTEXT) if long else rest))
    return [s for s in segments if s.text]


_ASSOCIATIONS = f"""SELECT ?association ?other ?count ?class ?label ?prefLabel ?title ?name
  WHERE {{
  {{ ?association mkg:subject ?thing ; mkg:object ?other }}
  UNION {{ ?association mkg:object ?thing ; mkg:subject ?other }}
  OPTIONAL {{ ?association mkg:evidenceCount ?count }}
  OPTIONAL {{ VALUES ?class {{ {KIND_VALUES} }} ?other a ?class }}
  OPTIONAL {{ ?other rdfs:label ?label }}
  OPTIONAL {{ ?other skos:prefLabel ?prefLabel }}
  OPTIONAL {{ ?other dcterms:title ?title }}
  OPTIONAL {{ ?other foaf:name ?name }}
}}"""
# The order in which a biologist reads the kinds of related entities.
READING_ORDER = (
    str(MKG.Gene),
    str(MKG.GeneFamily),
    str(MKG.Drug),
    str(MKG.Cancer),
    str(MKG.AnatomicalSite),
    str(MKG.CellType),
    str(MKG.MetastaticProcess),
    str(MKG.Organism),
)


def _related(engine: Engine, iri: str) -> list[tuple[str, list[Related]]]:
    """Return the entities the thing is associated with, by kind, the most papers first."""
    found = rows(engine, _ASSOCIATIONS, thing=iri)
    names = _labelled(found, "other")
    best: dict[str, tuple[Related, str]] = {}
    for row in found:
        count = int(row["count"]) if row.get("count", "").isdigit() else 0
        other = row["other"]
        kind = row.get("class", "")
        if other in best and best[other][0].papers >= count:
            if kind in READING_ORDER and best[other][1] not in READING_ORDER:
                best[other] = (best[other][0], kind)
            continue
        cell = cell_for_iri(other, names.get(other))
        best[other] = (Related(cell, count, href(row["association"])), kind)
    groups: dict[str, list[Related]] = {}
    for related, kind in best.values():
        groups.setdefault(kind, []).append(related)
    ordered = []
    for kind in (*READING_ORDER, ""):
        if kind in groups:
            items = sorted(groups[kind], key=lambda r: (-r.papers, r.other.text.casefold()))
            title = ENTITY_KINDS[kind][1] if kind in ENTITY_KINDS else "other"
            ordered.append((title, items))
    return ordered


def home_graph(engine: Engine, iri: str) -> str | None:
    """Return the graph to read a document's own statements from, or None (no named graph).

    A paper cited by several reviews is in each of their graphs; joined over the union of the
    graphs, every copy meets every other. A review is read in its own graph (the one with its
    reference list), anything else in the first graph, by IRI, that types it.
    """
    for predicate in (FRBR_PART, RDF_TYPE):
        found = engine.quads(NamedNode(iri), NamedNode(predicate), None)
        graphs = sorted({q.graph_name.value for q in found if isinstance(q.graph_name, NamedNode)})
        if graphs:
            return graphs[0]
    return None


def in_graph(query: str, graph: str | None) -> str:
    """Return `query` with its WHERE block read in `graph` alone (unchanged for None)."""
    if graph is None:
        return query
    head, brace, body = query.partition("WHERE {")
    inner, _, tail = body.rpartition("}")
    return f"{head}{brace}\n  GRAPH {NamedNode(graph)} {{{inner}}}\n}}{tail}"


def _bibliography(engine: Engine, iri: str, quads: list[Quad], kind: str) -> Bibliography:
    own: dict[str, str] = {}
    for quad in quads:
        own.setdefault(quad.predicate.value, _text(quad.object))
    home = home_graph(engine, iri)
    authors = rows(
        engine,
        in_graph(
            """SELECT ?position ?person ?family ?given WHERE {
  ?thing mkg:hasAuthorship ?authorship .
  ?authorship mkg:author ?person ; mkg:authorPosition ?position .
  OPTIONAL { ?person foaf:familyName ?family }
  OPTIONAL { ?person foaf:givenName ?given }
}""",
            home,
        ),
        thing=iri,
    )
    authors.sort(key=lambda row: _number(row["position"]))
    entry = rows(
        engine,
        in_graph(
            """SELECT ?entry ?number ?review ?printed WHERE {
  ?entry biro:references ?thing ; mkg:referenceNumber ?number .
  OPTIONAL { ?review frbr:part ?entry }
  OPTIONAL { ?entry dcterms:bibliographicCitation ?printed }
} LIMIT 1""",
            home,
        ),
        thing=iri,
    )
    studies = rows(
        engine,
        in_graph(
            """SELECT ?type ?cue WHERE {
  ?thing mkg:studyType ?type .
  FILTER (?type != mkg:unknown)
  OPTIONAL { ?c mkg:classifies ?thing ; mkg:assignsStudyType ?type ; mkg:cue ?cue }
}""",
            home,
        ),
        thing=iri,
    )
    journal_iri = own.get("http://purl.org/dc/terms/isPartOf")
    linked = [x for x in (journal_iri, entry[0].get("review") if entry else None) if x]
    names = labels(engine, linked + sorted({row["type"] for row in studies}))
    study_types: dict[str, tuple[Cell, list[str]]] = {}
    for row in studies:
        cell, cues = study_types.setdefault(
            row["type"], (cell_for_iri(row["type"], names.get(row["type"])), [])
        )
        if row.get("cue") and row["cue"] not in cues:
            cues.append(row["cue"])
    first, last = own.get(_PRISM + "startingPage"), own.get(_PRISM + "endingPage")
    doi = own.get(_PRISM + "doi")
    reference = None
    review = None
    if entry:
        number = entry[0]["number"]
        reference = Cell(f"reference {number}", href(entry[0]["entry"]), entry[0]["entry"])
        if entry[0].get("review"):
            review_iri = entry[0]["review"]
            review = cell_for_iri(review_iri, names.get(review_iri))
    texts = _document_texts(engine, iri, kind, home)
    return Bibliography(
        authors=[
            Cell(
                " ".join(x for x in (row.get("family"), row.get("given")) if x)
                or compact(row["person"]),
                href(row["person"]),
            )
            for row in authors
        ],
        et_al=own.get(str(MKG.etAl)) == "true",
        journal=cell_for_iri(journal_iri, names.get(journal_iri)) if journal_iri else None,
        volume=own.get(_PRISM + "volume"),
        pages="\u2013".join(p for p in (first, last) if p) or None,
        year=own.get(str(MKG.publicationYear)) or own.get(FABIO + "hasPublicationYear"),
        doi=Cell(f"doi:{doi}", f"https://doi.org/{doi}", None, None, "uri") if doi else None,
        reference=reference,
        review=review,
        printed=entry[0].get("printed") if entry else None,
        study_types=sorted(study_types.values(), key=lambda item: item[0].text),
        title=texts.get((iri, "title"), []),
        abstract=texts.get((iri, "abstract"), []),
        figures=_figures(engine, iri, texts) if kind == "review" else [],
    )


_PRISM = "http://prismstandard.org/namespaces/basic/2.0/"


_DOCUMENT_MENTIONS = """SELECT ?source ?field ?entity ?start ?end ?exact WHERE {
  ?target oa:hasSource ?source ; oa:hasSelector ?position , ?quote .
  ?annotation oa:hasTarget ?target ; oa:hasBody ?entity .
  ?position oa:start ?start ; oa:end ?end .
  ?quote oa:exact ?exact .
  ?target mkg:field ?field .
}"""


def _document_texts(
    engine: Engine, iri: str, kind: str, home: str | None
) -> dict[tuple[str, str], list[Segment]]:
    """Return the title and abstract of a document (and of its figures), entities marked."""
    sources = [iri]
    if kind == "review":
        sources += [
            row["figure"]
            for row in rows(
                engine, "SELECT ?figure WHERE { ?thing mkg:hasFigure ?figure }", thing=iri
            )
        ]
    found = rows(
        engine,
        in_graph(
            _DOCUMENT_MENTIONS.replace(
                "WHERE {", f"WHERE {{\n  VALUES ?source {{ {values(sources)} }}", 1
            ),
            home,
        ),
    )
    texts = rows(
        engine,
        in_graph(
            f"""SELECT ?source ?title ?abstract WHERE {{
  VALUES ?source {{ {values(sources)} }}
  OPTIONAL {{ ?source dcterms:title ?title }}
  OPTIONAL {{ ?source dcterms:abstract ?abstract }}
}}""",
            home,
        ),
    )
    names = labels(engine, [row["entity"] for row in found])
    kinds_of = kinds(engine, sorted({row["entity"] for row in found}))
    spans: dict[tuple[str, str], list[tuple[int, int, str]]] = {}
    for row in found:
        if row["start"].isdigit() and row["end"].isdigit():
            spans.setdefault((row["source"], row["field"]), []).append(
                (int(row["start"]), int(row["end"]), row["entity"])
            )
    result: dict[tuple[str, str], list[Segment]] = {}
    for row in texts:
        for text_field in ("title", "abstract"):
            text = row.get(text_field)
            if text:
                key = (row["source"], text_field)
                result[key] = _linked(text, spans.get(key, []), names, kinds_of)
    return result


def _linked(
    text: str,
    spans: list[tuple[int, int, str]],
    names: dict[str, str],
    kinds_of: dict[str, str],
) -> list[Segment]:
    """Return `text` with every named entity marked and linked to its page."""
    segments = []
    position = 0
    for start, end, entity in sorted(spans, key=lambda s: (s[0], -s[1])):
        if start < position or end > len(text):
            continue
        segments.append(Segment(text[position:start]))
        kind = kinds_of.get(entity)
        title = names.get(entity) or compact(entity)
        segments.append(
            Segment(text[start:end], True, href(entity), f"{title} ({kind})" if kind else title)
        )
        position = end
    segments.append(Segment(text[position:]))
    return [s for s in segments if s.text]


def _figures(
    engine: Engine, iri: str, texts: dict[tuple[str, str], list[Segment]]
) -> list[tuple[str, Cell, list[Segment]]]:
    found = rows(
        engine,
        "SELECT ?figure ?number WHERE { ?thing mkg:hasFigure ?figure . "
        "OPTIONAL { ?figure mkg:figureNumber ?number } }",
        thing=iri,
    )
    found.sort(key=lambda row: _number(row.get("number")))
    return [
        (
            row.get("number", ""),
            Cell(f"Figure {row.get('number', '')}".strip(), href(row["figure"]), row["figure"]),
            texts.get((row["figure"], "title"), []),
        )
        for row in found
    ]


def _classes(engine: Engine, iris: list[str]) -> dict[str, str]:
    """Return the entity class of each IRI that has one (the first in ENTITY_KINDS' order)."""
    if not iris:
        return {}
    found = rows(
        engine,
        f"SELECT ?thing ?class WHERE {{ VALUES ?thing {{ {values(iris)} }} "
        f"VALUES ?class {{ {KIND_VALUES} }} ?thing a ?class }}",
    )
    order = list(ENTITY_KINDS)
    classes: dict[str, str] = {}
    for row in sorted(found, key=lambda row: order.index(row["class"])):
        classes.setdefault(row["thing"], row["class"])
    return classes


def _named(engine: Engine, iri: str) -> list[tuple[str, list[Cell]]]:
    """Return the entities the document names, by kind in reading order."""
    found = rows(
        engine,
        """SELECT DISTINCT ?entity WHERE {
  { ?thing mkg:mentions ?entity } UNION { ?thing mkg:hasFigure/mkg:mentions ?entity }
}""",
        thing=iri,
    )
    class_of = _classes(engine, sorted({row["entity"] for row in found}))
    for row in found:
        if row["entity"] in class_of:
            row["class"] = class_of[row["entity"]]
    names = labels(engine, [row["entity"] for row in found])
    groups: dict[str, dict[str, Cell]] = {}
    for row in found:
        kind = row.get("class", "")
        entity = row["entity"]
        if any(entity in members for members in groups.values()):
            continue
        groups.setdefault(kind, {})[entity] = cell_for_iri(entity, names.get(entity))
    ordered = []
    for kind in (*READING_ORDER, ""):
        if kind in groups:
            title = ENTITY_KINDS[kind][1] if kind in ENTITY_KINDS else "other"
            ordered.append(
                (title, sorted(groups[kind].values(), key=lambda cell: cell.text.casefold()))
            )
    return ordered


def _stated(engine: Engine, iri: str) -> list[tuple[Cell, Cell, str]]:
    found = rows(
        engine,
        in_graph(
            """SELECT ?entity ?role ?cue WHERE {
  ?statement mkg:statedIn ?thing ; mkg:roleOf ?entity ; mkg:role ?role .
  OPTIONAL { ?statement mkg:cue ?cue }
}""",
            home_graph(engine, iri),
        ),
        thing=iri,
    )
    role_names = labels(engine, sorted({row["role"] for row in found}))
    for row in found:
        if row["role"] in role_names:
            row["roleLabel"] = role_names[row["role"]]
    names = labels(engine, [row["entity"] for row in found])
    stated = {
        (row["entity"], row["role"]): (
            cell_for_iri(row["entity"], names.get(row["entity"])),
            cell_for_iri(row["role"], row.get("roleLabel")),
            row.get("cue", ""),
        )
        for row in found
    }
    return sorted(stated.values(), key=lambda item: item[0].text.casefold())


# A paper with a second author is listed as "First et al." (counting every paper's authors in a
# sub-select read every paper of the graph).
_ENTRIES = """SELECT ?paper ?title ?year ?journal ?family ?second WHERE {
  ?paper dcterms:title ?title .
  OPTIONAL { ?paper mkg:publicationYear ?year }
  OPTIONAL { ?paper dcterms:isPartOf ?venue . ?venue fabio:hasShortTitle ?journal }
  OPTIONAL { ?paper mkg:hasAuthorship ?first . ?first mkg:authorPosition 1 ; mkg:author ?person .
    ?person foaf:familyName ?family }
  OPTIONAL { ?paper mkg:hasAuthorship ?second . ?second mkg:authorPosition 2 }
}"""


def _references(engine: Engine, iri: str, page: int) -> Listing:
    """Return the review's reference list in its order, one page of it."""
    home = home_graph(engine, iri)
    numbers = rows(
        engine,
        in_graph(
            "SELECT ?number ?paper WHERE { ?thing frbr:part ?entry . "
            "?entry mkg:referenceNumber ?number ; biro:references ?paper }",
            home,
        ),
        thing=iri,
    )
    numbers.sort(key=lambda row: (_number(row["number"]), row["paper"]))
    listed, total, page, pages, start = _page(numbers, page)
    return Listing(_entries(engine, listed, home=home), total, page, pages, start)


def _entries(
    engine: Engine, listed: list[dict[str, str]], *, home: str | None = None
) -> list[Entry]:
    """Return the papers listed as entries; `home` is the graph holding them all, if one does."""
    if not listed:
        return []
    papers = [row["paper"] for row in listed]
    groups: list[tuple[str | None, list[str]]]
    if home is not None:
        groups = [(home, papers)]
    else:
        groups = [(home_graph(engine, paper), [paper]) for paper in papers]
    details: dict[str, dict[str, str]] = {}
    for graph, group in groups:
        query = _ENTRIES.replace("WHERE {", f"WHERE {{\n  VALUES ?paper {{ {values(group)} }}", 1)
        for row in rows(engine, in_graph(query, graph)):
            details.setdefault(row["paper"], row)
    entries = []
    for row in listed:
        detail = details.get(row["paper"], {})
        family = detail.get("family")
        many = "second" in detail
        authors = f"{family} et al." if family and many else family or ""
        entries.append(
            Entry(
                row.get("number"),
                Cell(
                    detail.get("title") or compact(row["paper"]), href(row["paper"]), row["paper"]
                ),
                authors,
                detail.get("journal"),
                detail.get("year"),
            )
        )
    return entries


def _association(engine: Engine, iri: str, quads: list[Quad]) -> tuple[Cell, Cell, Cell]:
    own = {q.predicate.value: _text(q.object) for q in quads}
    subject, object_ = own[str(MKG.subject)], own[str(MKG.object)]
    types = [
        _text(q.object)
        for q in quads
        if q.predicate.value == RDF_TYPE and _text(q.object) != str(MKG.Association)
    ]
    names = labels(engine, [subject, object_, *types])
    kind = types[0] if types else str(MKG.Association)
    return (
        cell_for_iri(subject, names.get(subject)),
        cell_for_iri(object_, names.get(object_)),
        cell_for_iri(kind, names.get(kind)),
    )


def _evidence(engine: Engine, iri: str, page: int) -> Listing:
    """Return the evidence papers of an association, in the order of the reference list."""
    found = rows(
        engine,
        "SELECT ?paper ?number WHERE { ?thing mkg:evidence ?paper . "
        "OPTIONAL { ?entry biro:references ?paper ; mkg:referenceNumber ?number } }",
        thing=iri,
    )
    found.sort(key=lambda row: (_number(row.get("number")), row["paper"]))
    listed, total, page, pages, start = _page(found, page)
    return Listing(_entries(engine, listed), total, page, pages, start)


def _text(term: object) -> str:
    """Return the value of an RDF term (the text of a literal, the IRI of a node)."""
    return str(getattr(term, "value", term))


def _number(text: str | None) -> int:
    return int(text) if text and text.isdigit() else 1_000_000


def _page(items: list, page: int) -> tuple[list, int, int, int, int]:  # type: ignore[type-arg]
    """Return one page of `items`, their number, the page, the pages and the first's number."""
    pages = max(1, -(-len(items) // PAGE_SIZE))
    page = min(max(page, 1), pages)
    start = (page - 1) * PAGE_SIZE
    return items[start : start + PAGE_SIZE], len(items), page, pages, start + 1
