"""Write a build's graphs as sorted N-Quads parts, and the dumps assembled from them.

Every named graph is written on its own as sorted N-Quads (a part); the dumps are streamed from the
parts without holding the whole dataset in memory: mkg.nq concatenates the parts in graph order,
mkg.ttl and mkg.owl serialize the merged, de-duplicated union. Equal input gives equal bytes.
"""

import hashlib
import heapq
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph
from rdflib import Graph
from rdflib.namespace import OWL, RDF

from ingest.namespaces import FABIO, PREFIXES

# Classes whose instances are terms of the ontology, not individuals.
_TERM_TYPES = frozenset(
    str(term)
    for term in (
        OWL.Class,
        OWL.ObjectProperty,
        OWL.DatatypeProperty,
        OWL.AnnotationProperty,
        OWL.Ontology,
        OWL.NamedIndividual,
        OWL.Axiom,
        RDF.Property,
    )
)
# xsd:gYear is outside the OWL 2 datatype map; the export keeps mkg:publicationYear instead.
_NOT_OWL_DL = frozenset({str(FABIO.hasPublicationYear)})
_RDF_TYPE = pyoxigraph.NamedNode(str(RDF.type))
_NAMED_INDIVIDUAL = pyoxigraph.NamedNode(str(OWL.NamedIndividual))
_PREFIXES = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}


def nquads(graph: Graph) -> bytes:
    """Return one named graph as N-Quads, one statement a line, sorted."""
    label = f" {graph.identifier.n3()} .".encode()
    triples = graph.serialize(format="nt", encoding="utf-8")
    lines = sorted(
        line.removesuffix(b" .") + label for line in triples.splitlines() if line.strip()
    )
    return b"\n".join(lines) + b"\n" if lines else b""


def write_part(graph: Graph, path: Path) -> int:
    """Write a named graph as a sorted N-Quads part; return its number of statements."""
    data = nquads(graph)
    path.write_bytes(data)
    return data.count(b"\n")


def concatenate(parts: Iterable[Path], target: Path) -> str:
    """Write the parts one after another into `target`; return the SHA-256 of the result."""
    digest = hashlib.sha256()
    with open(target, "wb") as out:
        for part in parts:
            with open(part, "rb") as handle:
                while chunk := handle.read(1 << 20):
                    digest.update(chunk)
                    out.write(chunk)
    return digest.hexdigest()


def _triple_lines(part: Path) -> Iterator[bytes]:
    with open(part, "rb") as handle:
        if part.suffix == ".nt":
            yield from handle
            return
        for line in handle:
            # "<s> <p> <o> <g> .": drop the graph; a part's lines share it, so order is kept.
            yield line.rstrip(b"\n").rsplit(b" ", 2)[0] + b" .\n"


@dataclass
class UnionCounts:
    """What a union of triples holds: triples, distinct subjects, properties, class sizes."""

    triples: int = 0
    subjects: int = 0
    properties: set[str] = field(default_factory=set)
    classes: dict[str, int] = field(default_factory=dict)


_TYPE_TOKEN = f"<{RDF.type}>".encode()
_MAX_OPEN = 256


def union_ntriples(parts: Iterable[Path], target: Path) -> UnionCounts:
    """Write the sorted union of the parts' triples, each once, as N-Triples; count it.

    Parts are sorted N-Quads (or N-Triples, ".nt") files. Sorted lines keep a subject's
    triples together, so distinct subjects are counted without remembering them, and a
    class's instances are its distinct rdf:type lines.
    """
    parts = list(parts)
    if len(parts) > _MAX_OPEN:
        # Merge in rounds so that a build of thousands of reviews stays under the usual
        # limit of 1,024 open files (the store has files open too).
        merged = []
        for start in range(0, len(parts), _MAX_OPEN):
            step = target.with_name(f"{target.name}.{start // _MAX_OPEN:04d}.nt")
            union_ntriples(parts[start : start + _MAX_OPEN], step)
            merged.append(step)
        try:
            return union_ntriples(merged, target)
        finally:
            for step in merged:
                step.unlink()
    counts = UnionCounts()
    previous = previous_subject = None
    with open(target, "wb") as out:
        for line in heapq.merge(*(_triple_lines(part) for part in parts)):
            if line == previous:
                continue
            out.write(line)
            previous = line
            counts.triples += 1
            subject, predicate, rest = line.split(b" ", 2)
            if subject != previous_subject:
                counts.subjects += 1
                previous_subject = subject
            counts.properties.add(predicate[1:-1].decode())
            if predicate == _TYPE_TOKEN and rest.startswith(b"<"):
                name = rest[1 : rest.index(b">")].decode()
                counts.classes[name] = counts.classes.get(name, 0) + 1
    return counts


def write_turtle(union: Path, target: Path) -> None:
    """Serialize a sorted N-Triples union as Turtle (triples of a subject stay together)."""
    triples = pyoxigraph.parse(path=str(union), format=pyoxigraph.RdfFormat.N_TRIPLES)
    pyoxigraph.serialize(
        triples, str(target), format=pyoxigraph.RdfFormat.TURTLE, prefixes=_PREFIXES
    )


def write_owl(union: Path, target: Path) -> None:
    """Serialize ontology + individuals as OWL 2 DL RDF/XML, every individual declared."""
    triples = pyoxigraph.parse(path=str(union), format=pyoxigraph.RdfFormat.N_TRIPLES)
    pyoxigraph.serialize(
        _owl_triples(triples), str(target), format=pyoxigraph.RdfFormat.RDF_XML,
        prefixes=_PREFIXES,
    )  # fmt: skip


def _owl_triples(triples: Iterable[pyoxigraph.Triple]) -> Iterator[pyoxigraph.Triple]:
    declared: set[str] = set()
    for triple in triples:
        if triple.predicate.value in _NOT_OWL_DL:
            continue
        yield triple
        subject = triple.subject
        if (
            triple.predicate == _RDF_TYPE
            and isinstance(subject, pyoxigraph.NamedNode)
            and isinstance(triple.object, pyoxigraph.NamedNode)
            and triple.object.value not in _TERM_TYPES
            and subject.value not in declared
        ):
            declared.add(subject.value)
            yield pyoxigraph.Triple(subject, _RDF_TYPE, _NAMED_INDIVIDUAL)
