"""The RDF terms every engine answers with, and reading and writing RDF documents.

The term classes are pyoxigraph's (immutable, hashable, written in Rust): the embedded engine
returns them as they come, the remote engine builds them from the results it reads.
"""

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import pyoxigraph
from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad, Triple, Variable

__all__ = [
    "BlankNode",
    "DefaultGraph",
    "GRAPH_FORMATS",
    "Literal",
    "NamedNode",
    "Quad",
    "Term",
    "Triple",
    "Variable",
    "XSD_STRING",
    "RDF_LANG_STRING",
    "is_iri",
    "parse_file",
    "parse_ntriples",
    "serialize",
    "text_of",
]

Term = NamedNode | BlankNode | Literal | Triple
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
GRAPH_FORMATS = {
    "turtle": pyoxigraph.RdfFormat.TURTLE,
    "ntriples": pyoxigraph.RdfFormat.N_TRIPLES,
    "rdfxml": pyoxigraph.RdfFormat.RDF_XML,
    "jsonld": pyoxigraph.RdfFormat.JSON_LD,
}


def is_iri(text: str) -> bool:
    """Return whether `text` is an absolute IRI."""
    try:
        NamedNode(text)
    except ValueError:
        return False
    return True


def serialize(
    triples: Iterable[Triple], fmt: str, *, prefixes: Mapping[str, str] | None = None
) -> bytes:
    """Return triples as 'turtle', 'ntriples', 'rdfxml' or 'jsonld' (with `prefixes`)."""
    wanted = dict(prefixes) if prefixes and fmt != "ntriples" else None
    data = pyoxigraph.serialize(list(triples), None, GRAPH_FORMATS[fmt], prefixes=wanted)
    return text_of(data).encode("utf-8")


def parse_file(path: Path | str, *, fmt: str | None = None) -> Iterator[Quad]:
    """Read the quads of an RDF file (its format from its extension unless `fmt` is given).

    Raise SyntaxError, ValueError or OSError when it cannot be read.
    """
    extension = fmt or Path(path).suffix.lstrip(".").lower()
    rdf_format = pyoxigraph.RdfFormat.from_extension(extension)
    if rdf_format is None:
        raise ValueError(f"{path}: unknown RDF file extension (use .nq .trig .ttl .nt .rdf)")
    return iter(pyoxigraph.parse(path=str(path), format=rdf_format))


def parse_ntriples(data: bytes) -> Iterator[Triple]:
    """Read N-Triples (or N-Quads, dropping the graphs) from bytes."""
    for quad in pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.N_QUADS):
        yield quad.triple


def text_of(data: bytes | None) -> str:
    """Return serialized bytes from pyoxigraph (which returns them when no output is given)."""
    if data is None:
        raise ValueError("nothing was serialized")
    return data.decode("utf-8")
