"""Validation in worker processes and in shape groups gives the reports of one plain run."""

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from ingest import validation_pool
from ingest.errors import ValidationError
from ingest.namespaces import SH
from ingest.validate import (
    class_hierarchy,
    load_ontology,
    load_shapes,
    merge_reports,
    shape_groups,
    validate_graph,
)
from ingest.validation_pool import ValidationPool

FIXTURES = Path(__file__).parent / "data" / "shapes"
SHAPES = load_shapes()
HIERARCHY = class_hierarchy(load_ontology())
INVALID = sorted(FIXTURES.glob("*.invalid*.ttl"))


def _fixture(path: Path) -> Graph:
    graph = Graph().parse(path, format="turtle")
    graph += HIERARCHY
    return graph


def _all_invalid() -> Graph:
    """Every invalid fixture in one graph: many shapes fail at once."""
    graph = Graph()
    for path in INVALID:
        graph += _fixture(path)
    return graph


def test_shape_groups_share_out_every_node_shape_once() -> None:
    data = _all_invalid()
    shapes = {s for s in SHAPES.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef)}
    for count in (1, 2, 3, 7):
        groups = shape_groups(SHAPES, data, count)
        assert len(groups) == min(count, len(shapes))
        flat = [shape for group in groups for shape in group]
        assert len(flat) == len(set(flat)) and set(flat) == shapes


def test_shape_groups_are_balanced_on_the_costly_shapes() -> None:
    """The whole-document SPARQL checks of the review shape weigh most on a big graph."""
    data = _all_invalid()
    first, second = shape_groups(SHAPES, data, 2)
    review = URIRef("https://w3id.org/mkg/shapes/ReviewArticleShape")
    assert review in first or review in second
    assert first and second


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_validating_in_shape_groups_finds_the_same_violations(path: Path) -> None:
    data = _fixture(path)
    whole = validate_graph(data, shapes=SHAPES)
    parts = [
        validate_graph(data, shapes=SHAPES, use_shapes=group)
        for group in shape_groups(SHAPES, data, 3)
    ]
    merged = merge_reports(parts)
    assert not whole.conforms
    assert merged == whole


@pytest.mark.parametrize("jobs", [1, 2])
def test_pool_reports_match_a_plain_run(jobs: int) -> None:
    # Blank nodes are named anew by each parse: both runs see the same parsed graphs.
    graphs = {path.name: Graph().parse(path, format="turtle") for path in INVALID}
    valid = FIXTURES / "JournalArticleShape.valid.ttl"
    with ValidationPool(SHAPES, HIERARCHY, jobs) as pool:
        for name, graph in graphs.items():
            pool.submit(name, graph, split=2)
        pool.submit("valid", Graph().parse(valid, format="turtle"))
        reports = pool.reports()
    assert set(reports) == {*graphs, "valid"}
    assert reports["valid"].conforms
    for name, graph in graphs.items():
        assert not reports[name].conforms
        assert reports[name] == validate_graph(graph, shapes=SHAPES), name


def test_a_failing_worker_names_the_graph(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("shapes could not be read")

    monkeypatch.setattr(validation_pool, "validate_graph", broken)
    with ValidationPool(SHAPES, HIERARCHY, 2) as pool:
        pool.submit("graph/some-review", Graph())
        with pytest.raises(ValidationError, match="graph/some-review: RuntimeError: shapes could"):
            pool.reports()


def test_a_worker_that_dies_names_the_graph(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    def dying(*args: object, **kwargs: object) -> None:
        os._exit(3)

    monkeypatch.setattr(validation_pool, "validate_graph", dying)
    with ValidationPool(SHAPES, HIERARCHY, 2) as pool:
        pool.submit("graph/some-review", Graph())
        with pytest.raises(ValidationError, match=r"graph/some-review.*exit code 3"):
            pool.reports()


def test_one_job_validates_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[int] = []

    def recording(data: Graph, **kwargs: object):
        seen.append(os.getpid())
        return validate_graph(data, **kwargs)  # type: ignore[arg-type]

    import os

    monkeypatch.setattr(validation_pool, "validate_graph", recording)
    with ValidationPool(SHAPES, HIERARCHY, 1) as pool:
        pool.submit("a", Graph(), split=4)
        assert pool.reports()["a"].conforms
    assert seen == [os.getpid()]
