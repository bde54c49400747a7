"""The registry of entity kinds (ingest/kinds.py) agrees with the ontology, shapes, lexicon,
grounding index, and the server modules that still list kinds of their own."""

import gzip
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import RDF, RDFS, SH

from ingest.entities import _READERS, load_lexicon
from ingest.kinds import BY_CLASS, ENTITY_KINDS, KINDS, entity_kind, kinds_where
from ingest.namespaces import MKG, canonical_iri, entity_iri
from ingest.resources import lexicon_path

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(REPO / "ontology" / "mkg.ttl", format="turtle")


def test_every_entity_class_of_the_ontology_has_a_registry_line_and_vice_versa(ontology) -> None:
    classes = {
        str(cls).removeprefix(str(MKG)) for cls in ontology.subjects(RDFS.subClassOf, MKG.Entity)
    }
    assert classes == set(BY_CLASS)


def test_a_kind_is_called_what_the_ontology_calls_its_class(ontology) -> None:
    for kind in ENTITY_KINDS:
        assert (MKG[kind.cls], RDFS.label, Literal(kind.label, lang="en")) in ontology, kind.name


def test_every_kind_has_a_shape() -> None:
    shapes = Graph().parse(REPO / "shapes" / "mkg-shapes.ttl", format="turtle")
    targets = {
        shapes.value(shape, SH.targetClass) for shape in shapes.subjects(RDF.type, SH.NodeShape)
    }
    for kind in ENTITY_KINDS:
        assert MKG[kind.cls] in targets, kind.name


def test_every_kind_has_lexicon_tables_and_a_reader() -> None:
    for kind in ENTITY_KINDS:
        assert lexicon_path(f"{kind.table}.tsv").is_file(), kind.table
        assert lexicon_path(f"forms_{kind.table}.tsv").is_file(), kind.table
    assert set(_READERS) == set(KINDS)
    assert {entity.kind for entity in load_lexicon().entities.values()} <= set(KINDS)


def test_the_grounding_index_has_only_registered_kinds() -> None:
    artefact = REPO / "ingest" / "vocabulary" / "index.tsv.gz"
    with gzip.open(artefact, "rt", encoding="utf-8") as lines:
        header = next(line for line in lines if line.startswith("# Entities per kind:"))
    counts = header.removeprefix("# Entities per kind:").split(",")
    kinds = {count.split()[0] for count in counts}
    assert kinds <= set(KINDS)
    # Every kind but the curated processes comes from the index.
    assert kinds == set(KINDS) - {"process"}


def test_kinds_have_distinct_names_classes_paths_and_labels() -> None:
    for field in ("name", "cls", "path", "table", "label", "plural", "colour"):
        values = [getattr(kind, field) for kind in ENTITY_KINDS]
        assert len(set(values)) == len(values), field


def test_identifier_prefixes_have_canonical_iris_and_paths_make_iris() -> None:
    for kind in ENTITY_KINDS:
        for prefix in kind.prefixes:
            assert str(canonical_iri(f"{prefix}:1")).startswith("http"), prefix
        identifier = f"{kind.prefixes[0]}:1" if kind.prefixes else "Metastasis"
        assert f"/{kind.path}/" in str(entity_iri(kind.path, identifier))


def test_an_unknown_kind_names_the_known_ones() -> None:
    assert entity_kind("cell_type").cls == "CellType"
    with pytest.raises(KeyError, match="known: gene, gene_family"):
        entity_kind("protein")


def test_flags_select_the_kinds_of_the_hierarchy_and_of_stated_roles() -> None:
    from ingest.mapping_entities import HIERARCHY_KINDS
    from ingest.studies import ROLE_KINDS

    assert HIERARCHY_KINDS == {kind.name for kind in kinds_where(hierarchy=True)}
    assert HIERARCHY_KINDS == {"cancer", "anatomy", "cell_type"}
    assert ROLE_KINDS == {"gene", "gene_family", "drug"}


def test_the_server_reads_the_registry() -> None:
    from ingest.searchindex import KINDS as SEARCH_KINDS
    from server.lookup import ENTITY_KINDS as LOOKUP_KINDS
    from server.lookup import KIND_PARAMETERS
    from server.pictures import KIND_COLOURS

    classes = [str(MKG[kind.cls]) for kind in ENTITY_KINDS]
    assert list(LOOKUP_KINDS) == classes
    assert [LOOKUP_KINDS[c] for c in classes] == [(k.label, k.plural) for k in ENTITY_KINDS]
    assert SEARCH_KINDS[: len(ENTITY_KINDS)] == tuple(kind.label for kind in ENTITY_KINDS)
    assert KIND_COLOURS == {kind.label: kind.colour for kind in ENTITY_KINDS}
    assert KIND_PARAMETERS["gene"] == (str(MKG.Gene), str(MKG.GeneFamily))


def test_the_server_lists_that_still_repeat_the_kinds_agree_with_the_registry() -> None:
    """server/pages.py and server/profile.py keep lists of their own (for now): they must agree."""
    from server import pages, profile
    from server.lookup import ENTITY_KINDS as LOOKUP_KINDS
    from server.lookup import KIND_PARAMETERS

    classes = tuple(str(MKG[kind.cls]) for kind in ENTITY_KINDS)
    assert tuple(pages._LEADING_CLASSES[: len(classes)]) == classes
    assert pages._PAPER_FILTERS == {**KIND_PARAMETERS, "entity": tuple(LOOKUP_KINDS)}
    assert tuple(profile.READING_ORDER) == classes
