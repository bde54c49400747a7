"""How pages show RDF terms: compact names, links to their pages, labels, cells, result tables."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from flask import current_app, request

from ingest.namespaces import PREFIXES, canonical_base
from server.engine import Engine

LABELS = (
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://purl.org/dc/terms/title",
    "http://xmlns.com/foaf/0.1/name",
)
_LABEL_LOOKUP_LIMIT = 2000
_LABEL_WIDTH = 120


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
    """Return `text` cut to at most `width` characters at a word boundary, with an ellipsis."""
    if len(text) <= width:
        return text
    cut = text[: width - 1]
    space = cut.rfind(" ")
    # A single very long word is cut inside it rather than dropped.
    if space > width // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-\u2013") + "\u2026"


def cut_before(text: str, width: int) -> str:
    """Return the end of `text`, at most `width` characters from a word boundary on."""
    if len(text) <= width:
        return text
    tail = text[-width:]
    space = tail.find(" ")
    return "\u2026" + (tail[space + 1 :] if 0 <= space < width // 2 else tail)


def cut_after(text: str, width: int) -> str:
    """Return the start of `text`, at most `width` characters up to a word boundary."""
    return shorten(text, width + 1) if len(text) > width else text


# Ontology labels come in the styles of their vocabularies ('Is Part Of', 'hasBody',
# 'familyName'): pages write them all in one, lower case but for acronyms.
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")


def phrase(label: str) -> str:
    """Return a property label as a lower-case phrase: 'Is Part Of', 'isPartOf' -> 'is part of'."""
    words = []
    for word in _CAMEL.sub(" ", label.strip()).split():
        # Acronyms (DOI, ISSN) and mixed forms (eISSN) keep their case.
        plain = word[:1].isupper() and word[1:].islower() or word.islower()
        words.append(word.lower() if plain else word)
    return " ".join(words)


# Inverse phrases the rules below would get wrong.
_INVERSES = {
    "stated in": "states",
    "role of": "has stated role",
    "classifies": "classified by",
    "assigns study type": "study type assigned by",
    "evidence": "evidence for",
    "subject": "subject of",
    "object": "object of",
    "type": "type of",
    "part": "part of",
    "cue": "cue of",
}


def inverse_phrase(label: str) -> str:
    """Return the phrase of a property read backwards: 'has molecular target' -> 'molecular
    target of', 'mentions' -> 'mentioned by', 'member of' -> 'has member'."""
    text = phrase(label)
    if text in _INVERSES:
        return _INVERSES[text]
    words = text.split()
    if not words:
        return text
    if words[0] == "has" and len(words) > 1:
        return " ".join(words[1:]) + " of"
    if words[0] == "is" and words[-1] == "of" and len(words) > 2:
        return "has " + " ".join(words[1:-1])
    if words[-1] == "of" and len(words) > 1:
        return "has " + " ".join(words[:-1])
    if len(words) == 1 and words[0].endswith("s") and not words[0].endswith("ss"):
        verb = words[0][:-1]
        return (verb + "d" if verb.endswith("e") else verb + "ed") + " by"
    return f"{text} of"


# Where the canonical IRIs of other databases (docs/linking.md) lead, and the name of each.
_SCHEMES = tuple(
    (canonical_base(prefix), name, separator)
    for prefix, name, separator in (
        ("HGNC", "HGNC", ":"),
        ("NCBIGene", "NCBI Gene", " "),
        ("UniProtKB", "UniProt", " "),
        ("CHEMBL.COMPOUND", "ChEMBL", " "),
        ("DRUGBANK", "DrugBank", " "),
        ("PUBCHEM.COMPOUND", "PubChem", " "),
        ("MESH", "MeSH", " "),
        ("FPLX", "FamPlex", ":"),
        ("doi", "DOI", " "),
        ("pubmed", "PMID", " "),
        ("pmc", "PMCID", " "),
        ("ISSN", "ISSN", " "),
        ("NLM", "NLM Catalog", " "),
    )
)
_OBO = "http://purl.obolibrary.org/obo/"


def identifier(iri: str) -> tuple[str, str] | None:
    """Return the database and the identifier an external IRI stands for, or None.

    'http://identifiers.org/ncbigene/4982' -> ('NCBI Gene', 'NCBI Gene 4982');
    'http://purl.obolibrary.org/obo/UBERON_0002048' -> ('UBERON', 'UBERON:0002048').
    """
    if iri.startswith(_OBO):
        prefix, underscore, local = iri[len(_OBO) :].partition("_")
        if underscore and prefix.isalnum() and local:
            return prefix, f"{prefix}:{local}"
        return None
    for namespace, name, separator in _SCHEMES:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return name, f"{name}{separator}{iri[len(namespace) :]}"
    return None


def labels(engine: Engine, iris: Iterable[str]) -> dict[str, str]:
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
    for row in engine.select(query):
        rank = LABELS.index(row["p"].value)
        iri, label = row["x"].value, row["label"].value
        if iri not in found or (rank, label) < found[iri]:
            found[iri] = (rank, label)
    return {iri: label for iri, (_, label) in found.items()}


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


# Compact names of the canonical IRIs of other databases, for result tables (Bioregistry
# prefixes; identifiers.org IRIs carry theirs).
_DISPLAY_PREFIXES = tuple(
    (canonical_base(prefix), name)
    for prefix, name in (
        ("UniProtKB", "uniprot"),
        ("doi", "doi"),
        ("pubmed", "pubmed"),
        ("pmc", "pmc"),
        ("ISSN", "issn"),
        ("NLM", "nlm"),
    )
)
_IDENTIFIERS_ORG = re.compile(r"^https?://identifiers\.org/([a-z][a-z0-9.]*)/([^/?#]+)$")


def compact_name(iri: str) -> str:
    """Return the compact name of `iri`: a known prefix, a database's prefix, or our path."""
    short = compact(iri)
    if short != iri:
        return short
    match = _IDENTIFIERS_ORG.match(iri)
    if match:
        return f"{match.group(1)}:{match.group(2)}"
    for namespace, name in _DISPLAY_PREFIXES:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{name}:{iri[len(namespace) :]}"
    return iri


def cell_for_result_iri(iri: str, label: str | None = None) -> Cell:
    """Return the cell of an IRI in a result table: its compact name, and its label as a note."""
    return Cell(compact_name(iri), href(iri), iri, shorten(label, 60) if label else None, "uri")


_XSD = "http://www.w3.org/2001/XMLSchema#"
_NUMBERS = frozenset(
    _XSD + name
    for name in (
        "integer decimal double float int long short byte nonNegativeInteger positiveInteger "
        "negativeInteger nonPositiveInteger unsignedInt unsignedLong unsignedShort unsignedByte"
    ).split()
)
# Datatypes whose values read plainly without their name.
_PLAIN = (
    _NUMBERS
    | {_XSD + name for name in ("string", "boolean", "gYear", "date", "dateTime")}
    | {"http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}
)


def cell_for_literal(value: str, datatype: str | None, language: str | None) -> Cell:
    """Return the cell of a literal: numbers and dates plain, other datatypes named in a note."""
    if language:
        return Cell(value, note=f"@{language}")
    if datatype in _NUMBERS:
        return Cell(value, kind="number")
    if datatype is None or datatype in _PLAIN:
        return Cell(value)
    return Cell(value, note=compact(datatype))


def cell_for_json(term: dict[str, Any], names: dict[str, str]) -> Cell:
    """Return the cell of a SPARQL JSON term in a result table."""
    kind = term["type"]
    if kind == "uri":
        return cell_for_result_iri(term["value"], names.get(term["value"]))
    if kind == "bnode":
        return Cell(f"_:{term['value']}", kind="bnode")
    if kind == "triple":
        parts = term["value"]
        text = " ".join(
            cell_for_json(parts[k], names).text for k in ("subject", "predicate", "object")
        )
        return Cell(f"<< {text} >>", kind="triple")
    return cell_for_literal(term["value"], term.get("datatype"), term.get("xml:lang"))


@dataclass(frozen=True)
class Table:
    """A result for the page: column names and rows of cells, or a boolean."""

    columns: list[str]
    rows: list[list[Cell | None]]
    boolean: bool | None = None


def result_table(data: dict[str, Any]) -> Table:
    """Return a SPARQL JSON result as a table of cells, IRIs labelled from the engine."""
    from server.engine import engine

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
    names = labels(engine(), iris)
    rows = [
        [cell_for_json(row[name], names) if name in row else None for name in columns]
        for row in bindings
    ]
    return Table(columns, rows)
