"""Linked-data pages: every thing IRI under the base, the ontology, shapes, VoID, dumps, health."""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import pyoxigraph
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    render_template,
    request,
    send_file,
    url_for,
)
from flask.blueprints import BlueprintSetupState
from markupsafe import Markup

from ingest import layout
from ingest.namespaces import DATASET_IRI, MKG, ONTOLOGY_IRI
from server import describe, negotiation, pictures, servicedesc, views
from server.backend import Unhealthy, backend
from server.errors import error_response
from server.negotiation import Format
from server.querypool import QueryError

bp = Blueprint("pages", __name__)

DUMPS = {
    layout.NQUADS: "application/n-quads",
    layout.TURTLE: "text/turtle",
    layout.OWL: "application/rdf+xml",
}
_DESCRIBE_LIMIT = 500
# /health waits at most this long (or the query time limit, if shorter) for a query process.
HEALTH_TIMEOUT = 5.0


@bp.get("/health")
def health() -> Response:
    """Report what the server serves, after checking that it can answer a query from it (or 503)."""
    data = backend()
    timeout = min(HEALTH_TIMEOUT, float(current_app.config["QUERY_TIMEOUT"]))
    try:
        data.check(timeout=timeout)
    except (Unhealthy, QueryError) as error:
        response = error_response(503, f"cannot answer from {data.description}: {error}")
    else:
        response = jsonify(
            {
                "status": "ok",
                "data": data.description,
                "build": data.build_id,
                "built": data.manifest.get("built"),
                "version": data.manifest.get("version"),
            }
        )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/")
def home() -> str:
    """Show what the graph holds and where to go from here."""
    classes = _class_counts()
    names = views.labels(backend().store, (iri for iri, _ in classes))
    rows = [
        (views.cell_for_iri(iri, names.get(iri)), count, _list_query(iri)) for iri, count in classes
    ]
    return render_template(
        "home.html",
        classes=rows,
        dumps=list(DUMPS) if backend().release else [],
        description=backend().description,
        examples=views.examples(),
        years=_cached_picture("years", _years_chart),
        studies=_cached_picture("studies", _studies_chart),
    )


def _class_counts() -> list[tuple[str, int]]:
    cache = current_app.extensions.setdefault("mkg_cache", {})
    if "classes" not in cache:
        query = (
            "SELECT ?class (COUNT(DISTINCT ?thing) AS ?n) WHERE { ?thing a ?class } "
            "GROUP BY ?class ORDER BY DESC(?n) ?class LIMIT 200"
        )
        rows = views.select(backend().store, query)
        cache["classes"] = [(row["class"].value, int(row["n"].value)) for row in rows]
    return cache["classes"]  # type: ignore[no-any-return]


def _list_query(class_iri: str) -> str:
    text = (
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        f"SELECT ?thing ?label WHERE {{\n  ?thing a <{class_iri}> .\n"
        "  OPTIONAL { ?thing rdfs:label ?label }\n}\nORDER BY ?label ?thing\nLIMIT 1000\n"
    )
    return url_for("sparql.endpoint", query=text)


@bp.get("/dumps/<name>")
def dump(name: str) -> Response:
    """Send one of the build's dump files."""
    release = backend().release
    if release is None:
        abort(404, "this server serves RDF files, not a build: it has no dumps")
    if name not in DUMPS:
        abort(404, f"no dump named {name!r}; the dumps are {', '.join(DUMPS)}")
    if not (release / name).is_file():
        abort(503, f"the dump {name} of build {release.name} is gone from disk")
    return send_file(release / name, mimetype=DUMPS[name], conditional=True, max_age=3600)


@bp.get("/ontology")
@bp.get("/ontology/")
def ontology() -> Response:
    """Send the ontology (Turtle, RDF/XML, ...) or, to a browser, its page."""
    return _document(lambda: servicedesc.ontology(backend().store), str(ONTOLOGY_IRI), "ontology")


@bp.get("/shapes")
def shapes() -> Response:
    """Send the SHACL shapes."""
    return _document(servicedesc.shapes, None, "shapes")


@bp.get("/void")
@bp.get("/.well-known/void")
def void() -> Response:
    """Send the VoID description of the dataset."""
    endpoint = url_for("sparql.endpoint", _external=True)
    return _document(lambda: servicedesc.void(backend().store, endpoint), str(DATASET_IRI), "void")


@bp.get("/<any(ontology, shapes, void):name>.<ext>")
def document_file(name: str, ext: str) -> Response:
    """Send /ontology.ttl, /shapes.rdf, /void.jsonld and the like."""
    fmt = negotiation.by_extension(negotiation.GRAPHS[:-1], ext)
    if fmt is None:
        abort(404, f"no {name} as .{ext}; try .ttl, .nt, .rdf or .jsonld")
    view: dict[str, Callable[[], Response]] = {
        "ontology": ontology,
        "shapes": shapes,
        "void": void,
    }
    request.environ["mkg.format"] = fmt
    return view[name]()


def _document(
    triples: Callable[[], list[pyoxigraph.Triple]], iri: str | None, name: str
) -> Response:
    fmt = request.environ.get("mkg.format") or _negotiate()
    if fmt is negotiation.HTML:
        if iri is not None and describe.exists(backend().store, iri):
            return _thing_page(iri, downloads=_downloads(url_for(f"pages.{name}")))
        text = servicedesc.serialize(triples(), "turtle").decode("utf-8")
        page = render_template(
            "document.html", title=name, text=text, downloads=_downloads(url_for(f"pages.{name}"))
        )
        return Response(page, content_type=fmt.content_type)
    response = Response(servicedesc.serialize(triples(), fmt.name), content_type=fmt.content_type)
    response.headers["Vary"] = "Accept"
    return response


def _negotiate() -> Format:
    fmt = negotiation.negotiate(negotiation.GRAPHS, request.accept_mimetypes)
    if fmt is None:
        offered = ", ".join(f.media_type for f in negotiation.GRAPHS)
        abort(406, f"cannot send this as {request.headers.get('Accept')}; available: {offered}")
    return fmt


def _downloads(path: str) -> list[tuple[Format, str]]:
    return [(fmt, f"{path.rstrip('/')}.{fmt.extension}") for fmt in negotiation.GRAPHS[:-1]]


@bp.get("/<path:key>")
def thing(key: str) -> Response:
    """Describe a thing IRI under the base: HTML for browsers, RDF by Accept or suffix."""
    store = backend().store
    base = views.base_iri()
    iri, fmt = base + key, None
    if not describe.exists(store, iri):
        stem, dot, extension = key.rpartition(".")
        fmt = negotiation.by_extension(negotiation.GRAPHS, extension) if dot else None
        if fmt is None or not describe.exists(store, base + stem):
            return _not_found(iri)
        iri = base + stem
    fmt = fmt or _negotiate()
    if fmt is negotiation.HTML:
        return _thing_page(iri, downloads=_downloads(views.local_path(iri) or request.path))
    triples = describe.describe_triples(store, iri, limit=_DESCRIBE_LIMIT)
    response = Response(servicedesc.serialize(triples, fmt.name), content_type=fmt.content_type)
    response.headers["Vary"] = "Accept"
    response.headers["Content-Location"] = f"{views.local_path(iri)}.{fmt.extension}"
    return response


def _thing_page(iri: str, *, downloads: list[tuple[Format, str]]) -> Response:
    view = describe.thing_view(backend().store, iri, limit=_DESCRIBE_LIMIT)
    page = render_template(
        "thing.html", view=view, downloads=downloads, neighbourhood=_cached_neighbourhood(iri)
    )
    response = Response(page, content_type=negotiation.HTML.content_type)
    response.headers["Vary"] = "Accept"
    return response


def _not_found(iri: str) -> Response:
    word = iri.rstrip("/").rsplit("/", 1)[-1]
    search = _label_search(word)
    # The hint is a template rendered with autoescaping, so it is safe to embed as markup.
    hint = Markup(render_template("not_found_hint.html", iri=iri, search=search))
    return error_response(404, f"No thing <{iri}> in this graph", extra_html=hint)


def _label_search(word: str) -> str:
    # Cut first, then escape: a cut after the escaping could split an escape in two.
    literal = word[:100].replace("\\", "\\\\").replace('"', '\\"')
    literal = literal.replace("\n", " ").replace("\r", " ")
    text = (
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
        "SELECT DISTINCT ?thing ?label WHERE {\n"
        "  ?thing rdfs:label|skos:altLabel ?label .\n"
        f'  FILTER (CONTAINS(LCASE(STR(?label)), LCASE("{literal}")))\n'
        "}\nLIMIT 100\n"
    )
    return url_for("sparql.endpoint", query=text)


# Pictures: charts of the papers, the organotropism heat maps, entity neighbourhoods. The build is
# read-only, so the charts that do not depend on the page are drawn once per app and kept.

_PREFIXES = f"""PREFIX mkg: <{MKG}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX cito: <http://purl.org/spar/cito/>
PREFIX biro: <http://purl.org/spar/biro/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX fabio: <http://purl.org/spar/fabio/>
"""
# The entity classes a picture tells apart, in the order that decides a thing with two of them.
ENTITY_KINDS = {
    str(MKG.Gene): "gene",
    str(MKG.GeneFamily): "gene family",
    str(MKG.Drug): "drug",
    str(MKG.AnatomicalSite): "anatomical site",
    str(MKG.Cancer): "cancer",
    str(MKG.CellType): "cell type",
    str(MKG.MetastaticProcess): "metastatic process",
    str(MKG.Organism): "organism",
}
NEIGHBOURS_SHOWN = 12
_KIND_VALUES = " ".join(f"<{iri}>" for iri in ENTITY_KINDS)


def _rows(query: str, **bindings: str) -> list[dict[str, str]]:
    """Run a SELECT on the store, `bindings` naming the IRI of variables; values as strings."""
    if bindings:
        # pyoxigraph substitutes only projected variables: bind the others with VALUES.
        names = " ".join(f"?{name}" for name in bindings)
        iris = " ".join(str(pyoxigraph.NamedNode(iri)) for iri in bindings.values())
        head, brace, body = query.partition("WHERE {")
        query = f"{head}{brace}\n  VALUES ({names}) {{ ({iris}) }}{body}"
    solutions = views.select(backend().store, _PREFIXES + query)
    names_out = [variable.value for variable in solutions.variables]
    return [
        {name: row[name].value for name in names_out if row[name] is not None} for row in solutions
    ]


def _cached_picture(name: str, draw: Callable[[], Markup]) -> Markup:
    cache = current_app.extensions.setdefault("mkg_pictures", {})
    key = (name, request.script_root)
    if key not in cache:
        cache[key] = draw()
    return cache[key]  # type: ignore[no-any-return]


def _years_chart() -> Markup:
    rows = _rows(
        "SELECT ?year (COUNT(DISTINCT ?paper) AS ?papers) WHERE {\n"
        "  ?review cito:cites ?paper . ?paper mkg:publicationYear ?year .\n"
        "} GROUP BY ?year ORDER BY ?year"
    )
    bars = [
        pictures.Bar(row["year"], int(row["papers"]), _papers_of_year_query(row["year"]))
        for row in rows
        if row["year"].isdigit()
    ]
    if not bars:
        return Markup("")
    total = sum(bar.count for bar in bars)
    svg = pictures.bar_chart(
        bars,
        ident="papers-per-year",
        title="Cited papers per year of publication",
        description=(
            f"{total} cited papers in {len(bars)} years, from {bars[0].label} to {bars[-1].label}"
            "; each bar is labelled with its number of papers and links to them."
        ),
    )
    return Markup(svg)


def _papers_of_year_query(year: str) -> str:
    text = (
        _PREFIXES + "\nSELECT ?reference ?paper ?title WHERE {\n"
        f"  ?paper mkg:publicationYear {int(year)} ; dcterms:title ?title .\n"
        "  ?entry biro:references ?paper ; mkg:referenceNumber ?reference .\n"
        "}\nORDER BY ?reference\n"
    )
    return url_for("sparql.endpoint", query=text)


def _studies_chart() -> Markup:
    rows = _rows(
        "SELECT ?type ?label (COUNT(DISTINCT ?paper) AS ?papers) WHERE {\n"
        "  ?review cito:cites ?paper . ?paper mkg:studyType ?type .\n"
        "  OPTIONAL { ?type rdfs:label ?label }\n"
        "} GROUP BY ?type ?label ORDER BY DESC(?papers) ?label"
    )
    seen: dict[str, pictures.Bar] = {}
    for row in rows:
        iri = row["type"]
        if iri not in seen:
            label = row.get("label") or views.compact(iri)
            seen[iri] = pictures.Bar(label, int(row["papers"]), views.href(iri))
    bars = list(seen.values())
    if not bars:
        return Markup("")
    svg = pictures.bar_chart(
        bars,
        ident="papers-per-study-type",
        title="Cited papers per study type",
        description=(
            "Study types read from each cited paper's title and journal; a paper with cues for "
            "two types counts in both. Each bar links to its study type."
        ),
        horizontal=True,
    )
    return Markup(svg)


@dataclass(frozen=True)
class _HeatMaps:
    """The two organotropism maps, drawn over the same columns (anatomical sites)."""

    cancers: Markup
    genes: Markup
    cancer_rows: int
    gene_rows: int
    sites: int


def _heat_maps() -> _HeatMaps:
    cancers = _rows(
        "SELECT ?row ?site (COUNT(DISTINCT ?paper) AS ?papers) WHERE {\n"
        "  ?review cito:cites ?paper . ?paper mkg:mentions ?row , ?site .\n"
        "  ?row a mkg:Cancer . ?site a mkg:AnatomicalSite .\n"
        "} GROUP BY ?row ?site"
    )
    genes = _rows(
        "SELECT ?row ?site ?association (COUNT(DISTINCT ?paper) AS ?papers) WHERE {\n"
        "  ?association a mkg:GeneSiteAssociation ; mkg:subject ?row ; mkg:object ?site ;\n"
        "    mkg:evidence ?paper .\n"
        "} GROUP BY ?row ?site ?association"
    )
    names = views.labels(
        backend().store, (row[k] for row in (*cancers, *genes) for k in ("row", "site"))
    )
    site_totals: dict[str, int] = {}
    for row in (*cancers, *genes):
        site_totals[row["site"]] = site_totals.get(row["site"], 0) + int(row["papers"])
    columns = [
        pictures.Label(iri, names.get(iri, views.compact(iri)), views.href(iri))
        for iri in sorted(site_totals, key=lambda s: (-site_totals[s], _sort_text(names, s)))
    ]
    cancer_cells = {
        (row["row"], row["site"]): pictures.HeatCell(
            int(row["papers"]), url_for("pages.papers", cancer=row["row"], site=row["site"])
        )
        for row in cancers
    }
    gene_cells = {
        (row["row"], row["site"]): pictures.HeatCell(
            int(row["papers"]), views.href(row["association"])
        )
        for row in genes
    }
    cancer_rows = _heat_rows(cancer_cells, names)
    gene_rows = _heat_rows(gene_cells, names)
    # One row-label width for both maps, so that their columns line up.
    label_width = pictures.row_label_width([*cancer_rows, *gene_rows])
    cancer_map = pictures.heat_map(
        cancer_rows,
        columns,
        cancer_cells,
        ident="organotropism-cancers",
        label_width=label_width,
        title="Cancers and anatomical sites named in the same cited titles",
        description=(
            "A row per cancer, a column per anatomical site; each cell counts the cited papers "
            "whose titles name both, and links to the list of those papers."
        ),
    )
    gene_map = pictures.heat_map(
        gene_rows,
        columns,
        gene_cells,
        ident="organotropism-genes",
        label_width=label_width,
        title="Genes and anatomical sites: gene-site associations",
        description=(
            "A row per gene or gene family, a column per anatomical site; each cell counts the "
            "evidence papers of the gene-site association and links to the association."
        ),
    )
    return _HeatMaps(
        Markup(cancer_map), Markup(gene_map), len(cancer_rows), len(gene_rows), len(columns)
    )


def _sort_text(names: dict[str, str], iri: str) -> str:
    return names.get(iri, iri).lower()


def _heat_rows(
    cells: dict[tuple[str, str], pictures.HeatCell], names: dict[str, str]
) -> list[pictures.Label]:
    totals: dict[str, int] = {}
    for (row, _), cell in cells.items():
        totals[row] = totals.get(row, 0) + cell.count
    order = sorted(totals, key=lambda iri: (-totals[iri], _sort_text(names, iri)))
    return [
        pictures.Label(iri, names.get(iri, views.compact(iri)), views.href(iri)) for iri in order
    ]


# The named queries that answer with the numbers of the stats page.
_STATS_QUERIES = (
    "02-papers-per-year",
    "15-papers-per-study-type",
    "04-organotropism",
    "05-genes-at-a-site",
)


@bp.get("/stats")
def stats() -> str:
    """Show the graph in pictures: papers per year and study type, the organotropism maps."""
    maps = current_app.extensions.setdefault("mkg_pictures", {}).get(("maps", request.script_root))
    if maps is None:
        maps = _heat_maps()
        current_app.extensions["mkg_pictures"][("maps", request.script_root)] = maps
    names = {example.name for example in views.examples()}
    same = [name for name in _STATS_QUERIES if name in names]
    return render_template(
        "stats.html",
        years=_cached_picture("years", _years_chart),
        studies=_cached_picture("studies", _studies_chart),
        maps=maps,
        queries=[(name, url_for("sparql.endpoint", example=name)) for name in same],
    )


# /papers?cancer=IRI&site=IRI lists the cited papers whose titles name all the given entities.
_PAPER_FILTERS: dict[str, tuple[str, ...]] = {
    "cancer": (str(MKG.Cancer),),
    "site": (str(MKG.AnatomicalSite),),
    "gene": (str(MKG.Gene), str(MKG.GeneFamily)),
    "drug": (str(MKG.Drug),),
    "cell": (str(MKG.CellType),),
    "process": (str(MKG.MetastaticProcess),),
    "organism": (str(MKG.Organism),),
    "entity": tuple(ENTITY_KINDS),
}
_MAX_FILTERS = 4


@bp.get("/papers")
def papers() -> str:
    """List the cited papers whose titles name every entity given (cancer=IRI&site=IRI ...)."""
    chosen = _paper_filters()
    bindings = {f"e{index}": iri for index, iri in enumerate(chosen)}
    pattern = " , ".join(f"?{name}" for name in bindings)
    rows = _rows(
        "SELECT ?paper ?title ?year ?number ?journal WHERE {\n"
        f"  ?review cito:cites ?paper . ?paper mkg:mentions {pattern} .\n"
        "  OPTIONAL { ?paper dcterms:title ?title }\n"
        "  OPTIONAL { ?paper mkg:publicationYear ?year }\n"
        "  OPTIONAL { ?entry biro:references ?paper ; mkg:referenceNumber ?number }\n"
        "  OPTIONAL { ?paper dcterms:isPartOf/fabio:hasShortTitle ?journal }\n"
        "}",
        **bindings,
    )
    found: dict[str, dict[str, str]] = {}
    for row in rows:
        best = found.get(row["paper"])
        if best is None or _reference_number(row) < _reference_number(best):
            found[row["paper"]] = row
    listed = sorted(found.values(), key=lambda row: (_reference_number(row), row["paper"]))
    names = views.labels(backend().store, chosen)
    entities = [views.cell_for_iri(iri, names.get(iri)) for iri in chosen]
    return render_template(
        "papers.html",
        entities=entities,
        papers=[(row.get("number"), _paper_cell(row), row) for row in listed],
        query=url_for("sparql.endpoint", query=_papers_query_text(chosen)),
    )


def _paper_cell(row: dict[str, str]) -> views.Cell:
    """Return a link to a paper showing its whole title (the listing's point is the titles)."""
    iri = row["paper"]
    return views.Cell(row.get("title") or views.compact(iri), views.href(iri), iri, None, "uri")


def _reference_number(row: dict[str, str]) -> int:
    number = row.get("number", "")
    return int(number) if number.isdigit() else 1_000_000


def _paper_filters() -> list[str]:
    """Return the entity IRIs of /papers' parameters, or stop with 400/404 and why."""
    base = views.base_iri()
    pairs = list(request.args.items(multi=True))
    unknown = sorted({name for name, _ in pairs} - set(_PAPER_FILTERS))
    if unknown:
        abort(400, f"unknown parameter {unknown[0][:80]!r}: use {', '.join(_PAPER_FILTERS)}")
    if not 1 <= len(pairs) <= _MAX_FILTERS:
        abort(400, f"name 1 to {_MAX_FILTERS} entities, e.g. ?cancer=IRI&site=IRI")
    chosen: list[str] = []
    for name, value in pairs:
        shown = views.shorten(value, 200)
        try:
            pyoxigraph.NamedNode(value)
        except ValueError:
            abort(400, f"{name}={shown!r} is not an IRI")
        if not value.startswith(base) or value == base:
            abort(400, f"{name}={shown!r} is not an IRI of this graph (under {base})")
        if not _has_type(value, _PAPER_FILTERS[name]):
            abort(404, f"no {name} <{shown}> in this graph")
        if value not in chosen:
            chosen.append(value)
    return chosen


def _has_type(iri: str, classes: Iterable[str]) -> bool:
    values = " ".join(f"<{c}>" for c in classes)
    query = _PREFIXES + f"ASK {{ VALUES ?class {{ {values} }} ?thing a ?class }}"
    answer = backend().store.query(
        query,
        use_default_graph_as_union=True,
        substitutions={pyoxigraph.Variable("thing"): pyoxigraph.NamedNode(iri)},
    )
    return bool(answer)


def _papers_query_text(chosen: list[str]) -> str:
    mentions = " , ".join(str(pyoxigraph.NamedNode(iri)) for iri in chosen)
    return (
        _PREFIXES + "\nSELECT ?reference ?paper ?title WHERE {\n"
        f"  ?paper mkg:mentions {mentions} ; dcterms:title ?title .\n"
        "  ?entry biro:references ?paper ; mkg:referenceNumber ?reference .\n"
        "}\nORDER BY ?reference\n"
    )


@dataclass(frozen=True)
class Neighbourhood:
    """The picture of an entity's neighbours and what its caption says."""

    svg: Markup | None
    shown: int
    total: int
    source: str


_ASSOCIATED = """SELECT ?other ?association ?count ?label ?class WHERE {
  { ?association mkg:subject ?thing ; mkg:object ?other }
  UNION { ?association mkg:object ?thing ; mkg:subject ?other }
  OPTIONAL { ?association mkg:evidenceCount ?count }
  OPTIONAL { ?other rdfs:label ?label }
  OPTIONAL { VALUES ?class { KINDS } ?other a ?class }
}""".replace("KINDS", _KIND_VALUES)
_NAMED_WITH = """SELECT ?other ?class (COUNT(DISTINCT ?paper) AS ?count) (MIN(?name) AS ?label)
WHERE {
  ?review cito:cites ?paper . ?paper mkg:mentions ?thing , ?other .
  VALUES ?class { KINDS } ?other a ?class .
  OPTIONAL { ?other rdfs:label ?name }
  FILTER (?other != ?thing)
} GROUP BY ?other ?class""".replace("KINDS", _KIND_VALUES)


@dataclass
class _Edge:
    count: int
    link: str | None
    label: str
    kinds: set[str]


_NEIGHBOURHOODS_KEPT = 512


def _cached_neighbourhood(iri: str) -> Neighbourhood | None:
    """Return the neighbourhood picture of `iri`, drawn once per app (the build never changes)."""
    cache = current_app.extensions.setdefault("mkg_neighbourhoods", {})
    key = (iri, request.script_root)
    if key not in cache:
        if len(cache) >= _NEIGHBOURHOODS_KEPT:
            # Forget the oldest: a crawler walking every page must not grow the cache forever.
            cache.pop(next(iter(cache)), None)
        cache[key] = _neighbourhood(iri)
    return cache[key]  # type: ignore[no-any-return]


def _neighbourhood(iri: str) -> Neighbourhood | None:
    """Draw an entity with the entities it is associated with (or, lacking any, named with)."""
    kind = _kinds([iri]).get(iri)
    if kind is None:
        return None
    label = views.labels(backend().store, [iri]).get(iri, views.compact(iri))
    source, edges = "associations", _edges(_rows(_ASSOCIATED, thing=iri), None)
    if not edges:
        source, edges = "titles", _edges(_rows(_NAMED_WITH, thing=iri), iri)
    if not edges:
        return Neighbourhood(None, 0, 0, "none")
    neighbours = [
        pictures.Neighbour(
            pictures.Node(other, edge.label, views.href(other), _kind_of(edge.kinds)),
            edge.count,
            edge.link,
        )
        for other, edge in edges.items()
    ]
    shown = min(len(neighbours), NEIGHBOURS_SHOWN)
    how = (
        "its associations; the number on each line counts their evidence papers"
        if source == "associations"
        else "the cited titles that name both; the number on each line counts them"
    )
    svg = pictures.neighbourhood(
        pictures.Node(iri, label, views.href(iri), kind),
        neighbours,
        ident="neighbourhood",
        title=f"{label} and its neighbours",
        description=(
            f"{label} in the middle; around it the {shown} of {len(neighbours)} entities "
            f"linked to it by {how}."
        ),
        limit=NEIGHBOURS_SHOWN,
    )
    return Neighbourhood(Markup(svg), shown, len(neighbours), source)


def _edges(rows: list[dict[str, str]], named_with: str | None) -> dict[str, _Edge]:
    """Return each neighbour's strongest edge; without an association, link the shared titles."""
    edges: dict[str, _Edge] = {}
    for row in rows:
        other = row["other"]
        count = int(row["count"]) if row.get("count", "").isdigit() else 1
        label = row.get("label") or views.compact(other)
        link: str | None
        if named_with is not None:
            link = url_for("pages.papers", entity=[named_with, other])
        else:
            link = views.href(row["association"])
        edge = edges.setdefault(other, _Edge(count, link, label, set()))
        if count > edge.count:
            edge.count, edge.link = count, link
        edge.label = min(edge.label, label)
        if "class" in row:
            edge.kinds.add(row["class"])
    return edges


def _kind_of(classes: set[str]) -> str | None:
    for iri, kind in ENTITY_KINDS.items():
        if iri in classes:
            return kind
    return None


def _kinds(iris: list[str]) -> dict[str, str]:
    """Return the entity kind (gene, drug, ...) of each IRI that has one."""
    values = " ".join(str(pyoxigraph.NamedNode(iri)) for iri in iris)
    rows = _rows(
        f"SELECT ?thing ?class WHERE {{ VALUES ?thing {{ {values} }} "
        f"VALUES ?class {{ {_KIND_VALUES} }} ?thing a ?class }}"
    )
    order = list(ENTITY_KINDS)
    found: dict[str, str] = {}
    for row in sorted(rows, key=lambda row: order.index(row["class"])):
        found.setdefault(row["thing"], ENTITY_KINDS[row["class"]])
    return found


# The query page lists the examples the graph publishes (sh:SPARQLExecutable, as SIB and UniProt
# do), so it shows what clients discover; the queries/ files are the fallback for data without.


@dataclass(frozen=True)
class PublishedExample(views.Example):
    """A named query with its IRI (when the graph publishes it) and its keywords."""

    iri: str | None = None
    keywords: tuple[str, ...] = ()


_EXAMPLES = """
PREFIX sh: <http://www.w3.org/ns/shacl#>
PREFIX schema: <https://schema.org/>
SELECT ?example ?name ?question ?text ?keyword WHERE {
  ?example a sh:SPARQLExecutable ; sh:select|sh:ask|sh:construct|sh:describe ?text .
  OPTIONAL { ?example rdfs:label ?name }
  OPTIONAL { ?example rdfs:comment ?question }
  OPTIONAL { ?example schema:keywords ?keyword }
}
"""
_KEYWORDS_LINE = re.compile(r"^#\s*keywords:\s*(.*)$", re.IGNORECASE | re.MULTILINE)


def published_examples(store: pyoxigraph.Store) -> list[PublishedExample]:
    """Return the example queries the graph publishes, sorted by name (empty when none)."""
    solutions = views.select(store, _PREFIXES + _EXAMPLES)
    found: dict[str, dict[str, Any]] = {}
    for row in solutions:
        iri = row["example"].value
        entry = found.setdefault(iri, {"keywords": set()})
        for name in ("name", "question", "text"):
            if row[name] is not None and name not in entry:
                entry[name] = row[name].value
        if row["keyword"] is not None:
            entry["keywords"].add(row["keyword"].value)
    examples = []
    for iri, entry in found.items():
        name = entry.get("name") or iri.rstrip("/").rsplit("/", 1)[-1]
        examples.append(
            PublishedExample(
                name=name,
                question=entry.get("question") or name,
                text=entry["text"],
                iri=iri,
                keywords=tuple(sorted(entry["keywords"], key=str.lower)),
            )
        )
    return sorted(examples, key=lambda example: example.name)


def with_keywords(example: views.Example) -> PublishedExample:
    """Return a queries/ file's example with the keywords of its '# keywords:' line."""
    match = _KEYWORDS_LINE.search(example.text)
    words = [w.strip() for w in match.group(1).split(",")] if match else []
    return PublishedExample(
        example.name, example.question, example.text, None, tuple(w for w in words if w)
    )


@bp.record_once
def _use_published_examples(state: BlueprintSetupState) -> None:
    """Serve the graph's published examples instead of the files when it has any."""
    app = state.app
    published = published_examples(app.extensions["mkg"].store)
    if published:
        app.extensions["mkg_examples"] = published
        app.extensions["mkg_examples_source"] = "graph"
    else:
        files = app.extensions.get("mkg_examples", [])
        app.extensions["mkg_examples"] = [with_keywords(example) for example in files]
        app.extensions["mkg_examples_source"] = "files"


@bp.app_context_processor
def _example_context() -> dict[str, Any]:
    return {
        "examples_source": current_app.extensions.get("mkg_examples_source", "files"),
        "page_of": views.href,
    }
