"""What the HTML templates show: example queries, links for IRIs, labels, result tables."""

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pyoxigraph
from flask import current_app, request

from ingest.namespaces import PREFIXES
from ingest.resources import data_path

LABELS = (
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://purl.org/dc/terms/title",
    "http://xmlns.com/foaf/0.1/name",
)
_LABEL_LOOKUP_LIMIT = 2000
_LABEL_WIDTH = 120


@dataclass(frozen=True)
class Example:
    """A named query from queries/: file stem, the question it asks, its text."""

    name: str
    question: str
    text: str


def load_examples(directory: Path | None = None) -> list[Example]:
    """Read every .rq file of queries/ (its first line is a '#' comment with the question)."""
    try:
        folder = directory or data_path("queries")
    except FileNotFoundError:
        return []
    examples = []
    for path in sorted(folder.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        first = text.splitlines()[0] if text else ""
        question = first.lstrip("#").strip() if first.startswith("#") else path.stem
        examples.append(Example(path.stem, question, text))
    return examples


def examples() -> list[Example]:
    """Return the named queries read when the app started."""
    return current_app.extensions["mkg_examples"]  # type: ignore[no-any-return]


def prefixes() -> dict[str, str]:
    """Return the prefixes used to write Turtle and to shorten IRIs on pages."""
    return {name: str(namespace) for name, namespace in PREFIXES.items()}


def base_iri() -> str:
    """Return the base IRI whose things this server describes."""
    return str(current_app.config["BASE_IRI"])


def local_path(iri: str) -> str | None:
    """Return the path on this server that describes `iri`, or None when it is not ours."""
    base = base_iri()
    if not iri.startswith(base) or iri == base:
        return None
    return request.script_root + "/" + quote(iri[len(base) :], safe="/:@-._~!$&'()*+,;=")


def href(iri: str) -> str | None:
    """Return where a link to `iri` should go: our page for it, or the IRI itself if on the web."""
    local = local_path(iri)
    if local is not None:
        return local
    return iri if iri.startswith(("http://", "https://")) else None


def compact(iri: str) -> str:
    """Return a prefixed name for `iri` when a known prefix fits, else the IRI."""
    for name, namespace in prefixes().items():
        if iri.startswith(namespace):
            local = iri[len(namespace) :]
            if local and "/" not in local and "#" not in local:
                return f"{name}:{local}"
    base = base_iri()
    if iri.startswith(base) and iri != base:
        return iri[len(base) :]
    return iri


def shorten(text: str, width: int = _LABEL_WIDTH) -> str:
    """Return `text` cut to `width` characters with an ellipsis."""
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def labels(store: pyoxigraph.Store, iris: Iterable[str]) -> dict[str, str]:
    """Return a label (rdfs:label, skos:prefLabel, dcterms:title, foaf:name) for each IRI found."""
    wanted = sorted({iri for iri in iris if iri})[:_LABEL_LOOKUP_LIMIT]
    if not wanted:
        return {}
    values = " ".join(f"<{iri}>" for iri in wanted if ">" not in iri)
    properties = " ".join(f"<{p}>" for p in LABELS)
    query = (
        f"SELECT ?x ?p ?label WHERE {{ VALUES ?x {{ {values} }} VALUES ?p {{ {properties} }} "
        "?x ?p ?label }"
    )
    found: dict[str, tuple[int, str]] = {}
    for row in select(store, query):
        rank = LABELS.index(row["p"].value)
        iri, label = row["x"].value, row["label"].value
        if iri not in found or (rank, label) < found[iri]:
            found[iri] = (rank, label)
    return {iri: label for iri, (_, label) in found.items()}


def select(store: pyoxigraph.Store, query: str, **options: Any) -> pyoxigraph.QuerySolutions:
    """Run a SELECT query on the union of the graphs and return its solutions."""
    result = store.query(query, use_default_graph_as_union=True, **options)
    if not isinstance(result, pyoxigraph.QuerySolutions):
        raise TypeError("not a SELECT query")
    return result


@dataclass(frozen=True)
class Cell:
    """One displayed RDF term: text, optional link, tooltip and a note (datatype or language)."""

    text: str
    link: str | None = None
    title: str | None = None
    note: str | None = None
    kind: str = "literal"


def cell_for_iri(iri: str, label: str | None = None) -> Cell:
    """Return the cell of an IRI: its label if known, linked to its page."""
    short = compact(iri)
    text = shorten(label) if label else short
    return Cell(text, href(iri), iri if label or short != iri else None, None, "uri")


def cell_for_json(term: dict[str, Any], names: dict[str, str]) -> Cell:
    """Return the cell of a SPARQL JSON term."""
    kind = term["type"]
    if kind == "uri":
        return cell_for_iri(term["value"], names.get(term["value"]))
    if kind == "bnode":
        return Cell(f"_:{term['value']}", kind="bnode")
    if kind == "triple":
        parts = term["value"]
        text = " ".join(
            cell_for_json(parts[k], names).text for k in ("subject", "predicate", "object")
        )
        return Cell(f"<< {text} >>", kind="triple")
    note = f"@{term['xml:lang']}" if "xml:lang" in term else None
    if "datatype" in term:
        note = compact(term["datatype"])
    return Cell(term["value"], None, None, note, "literal")


@dataclass(frozen=True)
class Table:
    """A result for the page: column names and rows of cells, or a boolean."""

    columns: list[str]
    rows: list[list[Cell | None]]
    boolean: bool | None = None


def result_table(data: dict[str, Any]) -> Table:
    """Return a SPARQL JSON result as a table of cells, IRIs labelled from the store."""
    from server.backend import backend

    if "boolean" in data:
        return Table([], [], bool(data["boolean"]))
    columns = list(data["head"]["vars"])
    bindings = data["results"]["bindings"]
    iris = (
        term["value"]
        for row in bindings
        for term in row.values()
        if term["type"] == "uri" and local_path(term["value"]) is not None
    )
    names = labels(backend().store, iris)
    rows = [
        [cell_for_json(row[name], names) if name in row else None for name in columns]
        for row in bindings
    ]
    return Table(columns, rows)
