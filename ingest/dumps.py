"""Write the dumps of a build: sorted N-Quads, Turtle, and the OWL (RDF/XML) export for Protégé."""

import hashlib
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import OWL, RDF

from ingest.namespaces import FABIO, METADATA_GRAPH, ONTOLOGY_GRAPH, ONTOLOGY_IRI, PREFIXES

# Classes whose instances are terms of the ontology, not individuals.
_TERM_TYPES = frozenset(
    {
        OWL.Class,
        OWL.ObjectProperty,
        OWL.DatatypeProperty,
        OWL.AnnotationProperty,
        OWL.Ontology,
        OWL.NamedIndividual,
        RDF.Property,
    }
)
# xsd:gYear is outside the OWL 2 datatype map; the export keeps mkg:publicationYear instead.
_NOT_OWL_DL = frozenset({FABIO.hasPublicationYear})


def write_dumps(dataset: Dataset, directory: Path, *, exclude: Iterable[URIRef] = ()) -> str:
    """Write mkg.nq, mkg.ttl and mkg.owl into `directory`; return the SHA-256 of mkg.nq."""
    excluded = set(exclude)
    graphs = sorted(
        (g for g in dataset.graphs() if len(g) and g.identifier not in excluded),
        key=lambda g: str(g.identifier),
    )
    quads = nquads(graphs)
    (directory / "mkg.nq").write_bytes(quads)
    union = _bound(Graph())
    for graph in graphs:
        union += graph
    union.serialize(directory / "mkg.ttl", format="turtle", encoding="utf-8")
    (directory / "mkg.owl").write_bytes(rdf_xml(owl_export(graphs)))
    return hashlib.sha256(quads).hexdigest()


def rdf_xml(graph: Graph) -> bytes:
    """Return a graph as RDF/XML with its statements in sorted order (same input, same bytes)."""
    lines = sorted(graph.serialize(format="nt", encoding="utf-8").splitlines())
    triples = pyoxigraph.parse(b"\n".join(lines) + b"\n", format=pyoxigraph.RdfFormat.N_TRIPLES)
    prefixes = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    data = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.RDF_XML, prefixes=prefixes)
    assert data is not None
    return data


def nquads(graphs: Iterable[Graph]) -> bytes:
    """Return the graphs as sorted N-Quads, so that equal input gives equal bytes."""
    lines: list[bytes] = []
    for graph in graphs:
        label = f" {graph.identifier.n3()} .".encode()
        triples = graph.serialize(format="nt", encoding="utf-8")
        for line in triples.splitlines():
            if line.strip():
                lines.append(line.removesuffix(b" .") + label)
    lines.sort()
    return b"\n".join(lines) + b"\n"


def owl_export(graphs: Iterable[Graph]) -> Graph:
    """Return ontology + individuals as one OWL 2 DL graph with every individual declared."""
    export = _bound(Graph())
    for graph in graphs:
        if graph.identifier == METADATA_GRAPH:
            continue
        for triple in graph:
            if triple[1] not in _NOT_OWL_DL:
                export.add(triple)
    individuals = {
        subject
        for subject, cls in export.subject_objects(RDF.type)
        if cls not in _TERM_TYPES and isinstance(subject, URIRef)
    }
    for individual in sorted(individuals):
        export.add((individual, RDF.type, OWL.NamedIndividual))
    if ONTOLOGY_GRAPH not in {g.identifier for g in graphs}:
        export.add((ONTOLOGY_IRI, RDF.type, OWL.Ontology))
    return export


def _bound(graph: Graph) -> Graph:
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph
