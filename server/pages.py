"""Linked-data pages: every thing IRI under the base, the ontology, shapes, VoID, dumps, health."""

from collections.abc import Callable

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
from markupsafe import Markup

from ingest.namespaces import DATASET_IRI, ONTOLOGY_IRI
from server import describe, negotiation, servicedesc, views
from server.backend import backend
from server.errors import error_response
from server.negotiation import Format

bp = Blueprint("pages", __name__)

DUMPS = {
    "mkg.nq": "application/n-quads",
    "mkg.ttl": "text/turtle",
    "mkg.owl": "application/rdf+xml",
}
_DESCRIBE_LIMIT = 500


@bp.get("/health")
def health() -> Response:
    """Report that the server is up and what it serves."""
    data = backend()
    return jsonify(
        {
            "status": "ok",
            "data": data.description,
            "built": data.manifest.get("built"),
            "version": data.manifest.get("version"),
        }
    )


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
    page = render_template("thing.html", view=view, downloads=downloads)
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
    literal = word.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("\r", " ")
    text = (
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
        "SELECT DISTINCT ?thing ?label WHERE {\n"
        "  ?thing rdfs:label|skos:altLabel ?label .\n"
        f'  FILTER (CONTAINS(LCASE(STR(?label)), LCASE("{literal[:100]}")))\n'
        "}\nLIMIT 100\n"
    )
    return url_for("sparql.endpoint", query=text)
