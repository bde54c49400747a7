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
    for shape in NODE_SHAPES:
        assert (FIXTURES / f"{shape}.valid.ttl").is_file(), shape
        assert (FIXTURES / f"{shape}.invalid.ttl").is_file(), shape
    assert {p.name.split(".")[0] for p in FIXTURES.glob("*.ttl")} == set(NODE_SHAPES)


def test_fixtures_are_up_to_date_with_their_generator(tmp_path: Path) -> None:
    """The fixtures are written by make_fixtures.py; edit it, not them, and run it again."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.HERE = tmp_path
    module.main()
    for written in tmp_path.glob("*.ttl"):
        assert written.read_text(encoding="utf-8") == (FIXTURES / written.name).read_text(
            encoding="utf-8"
        ), written.name


@pytest.mark.parametrize("shape", NODE_SHAPES)
def test_shape_accepts_its_valid_fixture(shape: str) -> None:
    report = _validate(FIXTURES / f"{shape}.valid.ttl")
    assert report.conforms, report.text()


INVALID = sorted(p.name for p in FIXTURES.glob("*.invalid*.ttl"))


@pytest.mark.parametrize("fixture", INVALID)
def test_shape_rejects_its_invalid_fixture(fixture: str) -> None:
    shape = fixture.split(".")[0]
    report = _validate(FIXTURES / fixture)
    assert not report.conforms
    assert shape in {violation.shape for violation in report.violations}, report.text()
