"""Linked-data pages: every thing IRI under the base, the ontology, shapes, VoID, dumps, health,
the home page, the pictures and the lists of papers naming given entities."""

from collections.abc import Callable
from typing import Any

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
from markupsafe import Markup

from ingest import layout
from ingest.namespaces import DATASET_IRI, METADATA_GRAPH, MKG, ONTOLOGY_IRI
from server import charts, describe, negotiation, profile, servicedesc
from server.display import Cell, base_iri, cell_for_iri, compact, href, labels, local_path
from server.display import shorten as shorten_text
from server.engine import QueryError, Unhealthy, engine
from server.engine.terms import NamedNode, Triple, is_iri
from server.errors import error_response
from server.examples import examples
from server.lookup import ENTITY_KINDS, rows, values
from server.negotiation import Format

bp = Blueprint("pages", __name__)

DUMPS = {
    layout.NQUADS: "application/n-quads",
    layout.TURTLE: "text/turtle",
    layout.OWL: "application/rdf+xml",
}
_DESCRIBE_LIMIT = 500
# The classes of the build's own description (VoID, PROV), which its class partitions leave out.
_METADATA_CLASSES = frozenset(
    {
        "http://rdfs.org/ns/void#Dataset",
        "http://www.w3.org/ns/prov#Entity",
        "http://www.w3.org/ns/prov#Activity",
        "http://www.w3.org/ns/prov#SoftwareAgent",
    }
)
# /health waits at most this long (or the query time limit, if shorter) for a query process.
HEALTH_TIMEOUT = 5.0
_FABIO = "http://purl.org/spar/fabio/"
# What a biologist looks for, in this order, on the home page; the rest is machinery.
_LEADING_CLASSES = (
    str(MKG.Gene),
    str(MKG.GeneFamily),
    str(MKG.Drug),
    str(MKG.Cancer),
    str(MKG.AnatomicalSite),
    str(MKG.CellType),
    str(MKG.MetastaticProcess),
    str(MKG.Organism),
    _FABIO + "JournalArticle",
    _FABIO + "ReviewArticle",
)
_PLURALS = {
    **{iri: many for iri, (_, many) in ENTITY_KINDS.items()},
    _FABIO + "JournalArticle": "papers",
    _FABIO + "ReviewArticle": "reviews",
}


@bp.app_context_processor
def _site_context() -> dict[str, Any]:
    """Give every page the address of the search page, when this server has one."""
    found = [rule for rule in current_app.url_map.iter_rules() if rule.rule == "/search"]
    return {"search_url": request.script_root + "/search" if found else None}


@bp.get("/health")
def health() -> Response:
    """Report what the server serves, after checking that it can answer a query from it (or 503)."""
    data = engine()
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
    names = labels(engine(), (iri for iri, _ in classes))
    leading = {iri: count for iri, count in classes if iri in _LEADING_CLASSES}
    found = [
        (_class_cell(iri, names.get(iri)), leading[iri], _list_query(iri))
        for iri in _LEADING_CLASSES
        if iri in leading
    ]
    machinery = [
        (cell_for_iri(iri, names.get(iri)), count, _list_query(iri))
        for iri, count in classes
        if iri not in leading
    ]
    return render_template(
        "home.html",
        classes=found,
        machinery=machinery,
        dumps=list(DUMPS) if engine().release else [],
        description=engine().description,
        examples=examples(),
        years=charts.cached("years-half", lambda: charts.years_chart(charts.HALF_WIDTH)),
        studies=charts.cached("studies-half", lambda: charts.studies_chart(charts.HALF_WIDTH)),
    )


def _class_cell(iri: str, label: str | None) -> Cell:
    cell = cell_for_iri(iri, label)
    plural = _PLURALS.get(iri)
    return Cell(plural.capitalize(), cell.link, cell.title, None, "uri") if plural else cell


# The build counts the things of each class in its VoID description (class partitions), all but
# those of the description itself (the metadata graph): counting them again read every typed
# thing of every review's graph (seconds at 100 reviews).
_VOID_COUNTS = f"""PREFIX void: <http://rdfs.org/ns/void#>
SELECT ?class ?n WHERE {{
  {{ <{DATASET_IRI}> void:classPartition ?partition . ?partition void:class ?class ;
      void:entities ?n }}
  UNION
  {{ SELECT ?class (COUNT(DISTINCT ?thing) AS ?n) WHERE {{
      GRAPH <{METADATA_GRAPH}> {{ ?thing a ?class }} }} GROUP BY ?class }}
}}"""


def _class_counts() -> list[tuple[str, int]]:
    def count() -> list[tuple[str, int]]:
        found = rows(engine(), _VOID_COUNTS)
        if not any(row["class"] not in _METADATA_CLASSES for row in found):
            query = (
                "SELECT ?class (COUNT(DISTINCT ?thing) AS ?n) WHERE { ?thing a ?class } "
                "GROUP BY ?class"
            )
            found = rows(engine(), query)
        counts: dict[str, int] = {}
        for row in found:
            counts[row["class"]] = max(counts.get(row["class"], 0), int(row["n"]))
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:200]

    return charts.cached("classes", count)


def _list_query(class_iri: str) -> str:
    if class_iri in (_FABIO + "JournalArticle", _FABIO + "ReviewArticle"):
        text = (
            "PREFIX mkg: <https://w3id.org/mkg/ontology/>\n"
            "PREFIX biro: <http://purl.org/spar/biro/>\n"
            "PREFIX dcterms: <http://purl.org/dc/terms/>\n\n"
            f"SELECT ?reference ?paper ?title ?year WHERE {{\n  ?paper a <{class_iri}> ;\n"
            "    dcterms:title ?title .\n"
            "  OPTIONAL { ?paper mkg:publicationYear ?year }\n"
            "  OPTIONAL { ?entry biro:references ?paper ; mkg:referenceNumber ?reference }\n"
            "}\nORDER BY ?reference\nLIMIT 1000\n"
        )
    else:
        text = (
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n\n"
            f"SELECT ?thing ?label WHERE {{\n  ?thing a <{class_iri}> .\n"
            "  OPTIONAL { ?thing rdfs:label ?label }\n}\nORDER BY ?label ?thing\nLIMIT 1000\n"
        )
    return url_for("sparql.endpoint", query=text)


@bp.get("/dumps/<name>")
def dump(name: str) -> Response:
    """Send one of the build's dump files."""
    release = engine().release
    if release is None:
        abort(404, "this server serves RDF files, not a build on this machine: it has no dumps")
    if name not in DUMPS:
        abort(404, f"no dump named {name!r}; the dumps are {', '.join(DUMPS)}")
    if not (release / name).is_file():
        abort(503, f"the dump {name} of build {release.name} is gone from disk")
    return send_file(release / name, mimetype=DUMPS[name], conditional=True, max_age=3600)


@bp.get("/ontology")
@bp.get("/ontology/")
def ontology() -> Response:
    """Send the ontology (Turtle, RDF/XML, ...) or, to a browser, its page."""
    return _document(lambda: servicedesc.ontology(engine()), str(ONTOLOGY_IRI), "ontology")


@bp.get("/shapes")
def shapes() -> Response:
    """Send the SHACL shapes."""
    return _document(servicedesc.shapes, None, "shapes")


@bp.get("/void")
@bp.get("/.well-known/void")
def void() -> Response:
    """Send the VoID description of the dataset."""
    endpoint = url_for("sparql.endpoint", _external=True)
    return _document(lambda: servicedesc.void(engine(), endpoint), str(DATASET_IRI), "void")


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


def _document(triples: Callable[[], list[Triple]], iri: str | None, name: str) -> Response:
    fmt = request.environ.get("mkg.format") or _negotiate()
    if fmt is negotiation.HTML:
        if iri is not None and describe.exists(engine(), iri):
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
    served = engine()
    base = base_iri()
    iri, fmt = base + key, None
    if not describe.exists(served, iri):
        stem, dot, extension = key.rpartition(".")
        fmt = negotiation.by_extension(negotiation.GRAPHS, extension) if dot else None
        if fmt is None or not describe.exists(served, base + stem):
            return _not_found(iri)
        iri = base + stem
    fmt = fmt or _negotiate()
    if fmt is negotiation.HTML:
        return _thing_page(iri, downloads=_downloads(local_path(iri) or request.path))
    triples = describe.describe_triples(served, iri, limit=_DESCRIBE_LIMIT)
    response = Response(servicedesc.serialize(triples, fmt.name), content_type=fmt.content_type)
    response.headers["Vary"] = "Accept"
    response.headers["Content-Location"] = f"{local_path(iri)}.{fmt.extension}"
    return response


def _thing_page(iri: str, *, downloads: list[tuple[Format, str]]) -> Response:
    served = engine()
    terms = charts.cached("ontology labels", lambda: describe.ontology_labels(served))
    own = sorted(served.quads(NamedNode(iri), None, None), key=lambda quad: str(quad.triple))
    page_number = request.args.get("page", "1")
    view = profile.profile(
        served,
        iri,
        quads=own[: _DESCRIBE_LIMIT * 10],
        terms=terms,
        page=int(page_number) if page_number.isdigit() else 1,
    )
    statements = describe.statements(served, iri, terms=terms, limit=_DESCRIBE_LIMIT)
    neighbourhood = charts.neighbourhood(iri, width=600) if view.kind == "entity" else None
    page = render_template(
        "thing.html",
        view=view,
        statements=statements,
        downloads=downloads,
        neighbourhood=neighbourhood,
        limit=_DESCRIBE_LIMIT,
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
    detailed = request.args.get("terms") == "all"
    maps = charts.cached(
        f"maps-{'detailed' if detailed else 'rolled-up'}",
        lambda: charts.heat_maps(detailed=detailed),
    )
    names = {example.name for example in examples()}
    same = [name for name in _STATS_QUERIES if name in names]
    return render_template(
        "stats.html",
        years=charts.cached("years", charts.years_chart),
        studies=charts.cached("studies", charts.studies_chart),
        maps=maps,
        queries=[(name, url_for("sparql.endpoint", example=name)) for name in same],
    )


# /papers?cancer=IRI&site=IRI lists the cited papers whose titles name a cancer and a site given;
# the values of one parameter are alternatives (cancer=A&cancer=B: A or B), and each value of
# `entity` must be named.
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
_MAX_FILTERS = 16


@bp.get("/papers")
def papers() -> str:
    """List the cited papers whose titles name one entity of each parameter given."""
    groups = _paper_filters()
    patterns = []
    for index, alternatives in enumerate(groups):
        patterns.append(
            f"  VALUES ?e{index} {{ {values(alternatives)} }} ?paper mkg:mentions ?e{index} ."
        )
    found = rows(
        engine(),
        "SELECT ?paper ?title ?year ?number ?journal WHERE {\n"
        + "\n".join(patterns)
        + "\n  ?review cito:cites ?paper .\n"
        "  OPTIONAL { ?paper dcterms:title ?title }\n"
        "  OPTIONAL { ?paper mkg:publicationYear ?year }\n"
        "  OPTIONAL { ?entry biro:references ?paper ; mkg:referenceNumber ?number }\n"
        "  OPTIONAL { ?paper dcterms:isPartOf/fabio:hasShortTitle ?journal }\n"
        "}",
    )
    listed: dict[str, dict[str, str]] = {}
    for row in found:
        best = listed.get(row["paper"])
        if best is None or _reference_number(row) < _reference_number(best):
            listed[row["paper"]] = row
    ordered = sorted(listed.values(), key=lambda row: (_reference_number(row), row["paper"]))
    names = labels(engine(), [iri for group in groups for iri in group])
    entities = [[cell_for_iri(iri, names.get(iri)) for iri in group] for group in groups]
    return render_template(
        "papers.html",
        entities=entities,
        papers=[(row.get("number"), _paper_cell(row), row) for row in ordered],
        query=url_for("sparql.endpoint", query=_papers_query_text(groups)),
    )


def _paper_cell(row: dict[str, str]) -> Cell:
    """Return a link to a paper showing its whole title (the listing's point is the titles)."""
    iri = row["paper"]
    return Cell(row.get("title") or compact(iri), href(iri), iri, None, "uri")


def _reference_number(row: dict[str, str]) -> int:
    number = row.get("number", "")
    return int(number) if number.isdigit() else 1_000_000


def _paper_filters() -> list[list[str]]:
    """Return the entity IRIs of /papers' parameters, grouped, or stop with 400/404 and why."""
    base = base_iri()
    pairs = list(request.args.items(multi=True))
    unknown = sorted({name for name, _ in pairs} - set(_PAPER_FILTERS))
    if unknown:
        abort(400, f"unknown parameter {unknown[0][:80]!r}: use {', '.join(_PAPER_FILTERS)}")
    if not 1 <= len(pairs) <= _MAX_FILTERS:
        abort(400, f"name 1 to {_MAX_FILTERS} entities, e.g. ?cancer=IRI&site=IRI")
    groups: dict[str, list[str]] = {}
    for name, value in pairs:
        shown = shorten_text(value, 200)
        if not is_iri(value):
            abort(400, f"{name}={shown!r} is not an IRI")
        if not value.startswith(base) or value == base:
            abort(400, f"{name}={shown!r} is not an IRI of this graph (under {base})")
        if not _has_type(value, _PAPER_FILTERS[name]):
            abort(404, f"no {name} <{shown}> in this graph")
        key = f"entity {value}" if name == "entity" else name
        if value not in groups.setdefault(key, []):
            groups[key].append(value)
    return list(groups.values())


def _has_type(iri: str, classes: tuple[str, ...]) -> bool:
    query = f"ASK {{ VALUES ?class {{ {values(list(classes))} }} {values([iri])} a ?class }}"
    return engine().ask(query)


def _papers_query_text(groups: list[list[str]]) -> str:
    lines = []
    for index, group in enumerate(groups):
        if len(group) == 1:
            lines.append(f"  ?paper mkg:mentions {values(group)} .")
        else:
            lines.append(f"  VALUES ?entity{index} {{ {values(group)} }}")
            lines.append(f"  ?paper mkg:mentions ?entity{index} .")
    return (
        "PREFIX mkg: <https://w3id.org/mkg/ontology/>\n"
        "PREFIX biro: <http://purl.org/spar/biro/>\n"
        "PREFIX dcterms: <http://purl.org/dc/terms/>\n\n"
        "SELECT DISTINCT ?reference ?paper ?title WHERE {\n"
        + "\n".join(lines)
        + "\n  ?paper dcterms:title ?title .\n"
        "  ?entry biro:references ?paper ; mkg:referenceNumber ?reference .\n"
        "}\nORDER BY ?reference\n"
    )
