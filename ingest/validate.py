"""Validate graphs against the SHACL shapes and report violations in plain words."""

from collections.abc import Iterable, Sequence
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


def validate_graph(
    data: Graph,
    *,
    shapes: Graph,
    ontology: Graph | None = None,
    use_shapes: Sequence[URIRef] | None = None,
) -> Report:
    """Validate `data` (with the ontology's class hierarchy mixed in) against `shapes`.

    With `use_shapes`, only those node shapes (and the shapes they refer to) are applied.
    """
    conforms, results, _ = validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        advanced=True,
        allow_warnings=True,
        use_shapes=list(use_shapes) if use_shapes is not None else None,
    )
    if not isinstance(results, Graph):
        raise ValidationError(f"the shapes could not be applied: {results}")
    return Report(bool(conforms), _violations(results, shapes))


def merge_reports(reports: Iterable[Report]) -> Report:
    """Return one report for a graph validated in parts (each part a group of shapes)."""
    reports = list(reports)
    violations = {v for report in reports for v in report.violations}
    conforms = all(report.conforms for report in reports)
    return Report(conforms, tuple(sorted(violations, key=lambda v: (v.focus, v.path, v.message))))


# Relative costs for splitting the shapes between processes, measured with pySHACL on the seed
# document: a property check on one focus node costs about as much as 1/25 of a whole-graph
# SPARQL constraint per triple of data.
_SPARQL_COST_PER_TRIPLE = 1 / 25


def shape_groups(shapes: Graph, data: Graph, count: int) -> list[list[URIRef]]:
    """Split the node shapes into `count` groups of about equal validation cost on `data`.

    Validating every group (`use_shapes`) and merging the reports gives the same violations as
    validating with all the shapes at once: each node shape is applied on its own.
    """
    costs: list[tuple[float, URIRef]] = []
    for shape in set(shapes.subjects(RDF.type, SH.NodeShape)):
        if not isinstance(shape, URIRef):
            continue
        targets = len(list(shapes.objects(shape, SH.targetNode)))
        for target_class in shapes.objects(shape, SH.targetClass):
            classes = set(data.transitive_subjects(RDFS.subClassOf, target_class))
            targets += sum(1 for c in classes for _ in data.subjects(RDF.type, c))
        checks = 1 + len(list(shapes.objects(shape, SH.property)))
        sparql = len(list(shapes.objects(shape, SH.sparql)))
        costs.append((targets * checks + sparql * len(data) * _SPARQL_COST_PER_TRIPLE, shape))
    groups: list[list[URIRef]] = [[] for _ in range(max(1, count))]
    loads = [0.0] * len(groups)
    # Longest job first onto the least loaded group.
    for cost, shape in sorted(costs, key=lambda item: (-item[0], str(item[1]))):
        lightest = loads.index(min(loads))
        groups[lightest].append(shape)
        loads[lightest] += cost
    return [sorted(group, key=str) for group in groups if group]


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
