"""Validate graphs against the SHACL shapes and report violations in plain words."""

from dataclasses import dataclass
from pathlib import Path

from pyshacl import validate
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from ingest.errors import ValidationError
from ingest.namespaces import SH
from ingest.resources import data_path


@dataclass(frozen=True)
class Violation:
    """One SHACL result: which node, which property, what is wrong."""

    focus: str
    path: str
    message: str
    severity: str
    shape: str

    def __str__(self) -> str:
        path = f" {self.path}" if self.path else ""
        return f"{self.severity}: <{self.focus}>{path}: {self.message} [{self.shape}]"


@dataclass(frozen=True)
class Report:
    """The outcome of validating one graph."""

    conforms: bool
    violations: tuple[Violation, ...]

    def text(self, limit: int = 20) -> str:
        """Return a readable report naming up to `limit` violations."""
        if self.conforms:
            return "conforms"
        lines = [f"{len(self.violations)} SHACL violation(s):"]
        lines += [f"  {violation}" for violation in self.violations[:limit]]
        if len(self.violations) > limit:
            lines.append(f"  ... and {len(self.violations) - limit} more")
        return "\n".join(lines)


def load_shapes(path: Path | None = None) -> Graph:
    """Return the shapes graph (all Turtle files of shapes/ unless `path` names one)."""
    graph = Graph()
    paths = [path] if path is not None else sorted(data_path("shapes").glob("*.ttl"))
    for shapes_file in paths:
        graph.parse(shapes_file, format="turtle")
    return graph


def load_ontology() -> Graph:
    """Return the ontology graph from ontology/mkg.ttl."""
    return Graph().parse(data_path("ontology/mkg.ttl"), format="turtle")


def class_hierarchy(ontology: Graph) -> Graph:
    """Return the rdfs:subClassOf statements of an ontology."""
    hierarchy = Graph()
    for triple in ontology.triples((None, RDFS.subClassOf, None)):
        hierarchy.add(triple)
    return hierarchy


def validate_graph(data: Graph, *, shapes: Graph, ontology: Graph | None = None) -> Report:
    """Validate `data` (with the ontology's class hierarchy mixed in) against `shapes`."""
    conforms, results, _ = validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    if not isinstance(results, Graph):
        raise ValidationError(f"the shapes could not be applied: {results}")
    return Report(bool(conforms), _violations(results, shapes))


def _violations(results: Graph, shapes: Graph) -> tuple[Violation, ...]:
    found = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        severity = _value(results, result, SH.resultSeverity).rpartition("#")[2]
        found.append(
            Violation(
                focus=_value(results, result, SH.focusNode),
                path=_short(_value(results, result, SH.resultPath)),
                message=_value(results, result, SH.resultMessage),
                severity=severity,
                shape=_shape_name(results.value(result, SH.sourceShape), shapes),
            )
        )
    return tuple(sorted(found, key=lambda v: (v.focus, v.path, v.message)))


def _value(graph: Graph, node: Node, predicate: URIRef) -> str:
    term = graph.value(node, predicate)
    return "" if term is None else str(term)


def _shape_name(shape: Node | None, shapes: Graph) -> str:
    """Name the NodeShape a result came from, also when it came from an anonymous property shape."""
    for predicate in (SH.property, SH.sparql):
        parent = shapes.value(None, predicate, shape)
        if parent is not None:
            return _short(str(parent))
    return _short(str(shape))


def _short(iri: str) -> str:
    return iri.rpartition("/")[2] if iri.startswith("http") else iri
