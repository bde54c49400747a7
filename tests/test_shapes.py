"""SHACL shapes: each accepts its valid fixture and rejects its invalid one; the build conforms."""

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import RDF

from ingest.namespaces import SH
from ingest.resources import data_path
from ingest.validate import class_hierarchy, load_ontology, load_shapes, validate_graph

FIXTURES = Path(__file__).parent / "data" / "shapes"
SHAPES = load_shapes()
HIERARCHY = class_hierarchy(load_ontology())
NODE_SHAPES = sorted(str(s).rpartition("/")[2] for s in SHAPES.subjects(RDF.type, SH.NodeShape))


def _validate(path: Path):
    return validate_graph(Graph().parse(path, format="turtle"), shapes=SHAPES, ontology=HIERARCHY)


def test_every_shapes_file_parses() -> None:
    for path in data_path("shapes").glob("*.ttl"):
        assert len(Graph().parse(path, format="turtle")) > 0


def test_every_node_shape_has_a_message_on_each_constraint() -> None:
    for shape in SHAPES.subjects(RDF.type, SH.NodeShape):
        for constraint in [*SHAPES.objects(shape, SH.property), *SHAPES.objects(shape, SH.sparql)]:
            assert SHAPES.value(constraint, SH.message) is not None, (shape, constraint)


def test_every_node_shape_has_both_fixtures() -> None:
    fixtures = {p.name.split(".")[0] for p in FIXTURES.glob("*.ttl")}
    assert set(NODE_SHAPES) == fixtures


@pytest.mark.parametrize("shape", NODE_SHAPES)
def test_shape_accepts_its_valid_fixture(shape: str) -> None:
    report = _validate(FIXTURES / f"{shape}.valid.ttl")
    assert report.conforms, report.text()


@pytest.mark.parametrize("shape", NODE_SHAPES)
def test_shape_rejects_its_invalid_fixture(shape: str) -> None:
    report = _validate(FIXTURES / f"{shape}.invalid.ttl")
    assert not report.conforms
    assert shape in {violation.shape for violation in report.violations}, report.text()
