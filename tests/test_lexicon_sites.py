"""Checks of the anatomy, cancer, cell-type and process lexicons against the reference tables."""

import csv
import re
from functools import cache
from pathlib import Path

import pytest

from ingest.resources import DEFAULT_SOURCE, lexicon_path, source_path
from ingest.tsv import read_tsv, split_multi

# entity table -> (forms table, primary-id column, expected header)
TABLES = {
    "anatomy.tsv": ("forms_anatomy.tsv", "uberon_id", ["uberon_id", "label", "note"]),
    "cancers.tsv": ("forms_cancers.tsv", "mondo_id", ["mondo_id", "label", "ncit", "doid", "note"]),
    "cell_types.tsv": ("forms_cell_types.tsv", "cl_id", ["cl_id", "label", "note"]),
    "processes.tsv": ("forms_processes.tsv", "class", ["class", "label", "go", "note"]),
}
FORMS_HEADER = ["form", "id", "match", "note"]
# reference table, its id column, and the entity table it checks
ONTOLOGY_TABLES = {
    "anatomy.tsv": ("uberon.tsv", "id"),
    "cell_types.tsv": ("cell_ontology.tsv", "id"),
    "cancers.tsv": ("mondo.tsv", "mondo_id"),
}
MKG_ONTOLOGY = "https://w3id.org/mkg/ontology/"
DASHES = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2212]")


def _rows(name: str) -> list[dict[str, str]]:
    return read_tsv(lexicon_path(name))


def _header(name: str) -> list[str]:
    lines = lexicon_path(name).read_text(encoding="utf-8").splitlines()
    return next(line for line in lines if line and not line.startswith("#")).split("\t")


@cache
def _reference(path: Path, key: str) -> dict[str, dict[str, str]]:
    csv.field_size_limit(10**9)
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return {row[key]: row for row in reader}


def _normalise(text: str) -> str:
    """Fold dashes to '-' and runs of whitespace to one space, as the mention finder does."""
    return re.sub(r"\s+", " ", DASHES.sub("-", text))


def _occurs(form: str, text: str, *, case: bool) -> bool:
    pattern = r"(?<![0-9A-Za-z])" + re.escape(_normalise(form)) + r"(?![0-9A-Za-z])"
    return re.search(pattern, text, 0 if case else re.IGNORECASE) is not None


def _pattern(reference_dir: Path, prefix: str) -> re.Pattern[str]:
    return re.compile(
        _reference(reference_dir / "bioregistry_prefixes.tsv", "prefix")[prefix]["pattern"]
    )


def _check_curie(curie: str, prefix: str, reference_dir: Path) -> None:
    head, _, local = curie.partition(":")
    assert head.lower() == prefix, f"{curie}: expected prefix {prefix.upper()}"
    assert _pattern(reference_dir, prefix).fullmatch(local), f"{curie}: bad {prefix} id"


@pytest.mark.parametrize("name", [*TABLES, *(forms for forms, _, _ in TABLES.values())])
def test_lexicon_tables_parse_sorted_with_expected_header(name: str) -> None:
    rows = _rows(name)
    assert rows, f"{name} has no rows"
    expected = TABLES[name][2] if name in TABLES else FORMS_HEADER
    assert _header(name) == expected
    keys = [
        (row[expected[0]], row[expected[1]]) if name not in TABLES else row[expected[0]]
        for row in rows
    ]
    assert keys == sorted(keys), f"{name} is not sorted"
    assert len(set(keys)) == len(keys), f"{name} has duplicate rows"


@pytest.mark.parametrize("name", TABLES)
def test_entity_ids_unique_and_every_entity_has_a_form(name: str) -> None:
    forms_name, id_column, _ = TABLES[name]
    ids = [row[id_column] for row in _rows(name)]
    assert len(ids) == len(set(ids)), f"{name} has duplicate ids"
    assert all(row["label"] for row in _rows(name)), f"{name} has an empty label"
    form_ids = {row["id"] for row in _rows(forms_name)}
    assert form_ids <= set(ids), f"{forms_name} names unknown ids: {form_ids - set(ids)}"
    assert set(ids) <= form_ids, f"{name} entities without a form: {set(ids) - form_ids}"


@pytest.mark.parametrize("forms_name", [forms for forms, _, _ in TABLES.values()])
def test_forms_have_a_valid_match_and_one_id(forms_name: str) -> None:
    seen: dict[str, str] = {}
    for row in _rows(forms_name):
        assert row["match"] in {"case", "nocase"}, f"{forms_name}: {row['form']!r} match"
        assert row["form"] == row["form"].strip() and row["form"], f"{forms_name}: blank form"
        key = _normalise(row["form"]).lower()
        assert seen.setdefault(key, row["id"]) == row["id"], f"{forms_name}: {row['form']!r}"


def test_no_form_in_two_forms_files() -> None:
    owner: dict[str, str] = {}
    for forms_name, _, _ in TABLES.values():
        for row in _rows(forms_name):
            key = _normalise(row["form"]).lower()
            other = owner.setdefault(key, forms_name)
            assert other == forms_name, f"{row['form']!r} is in {other} and {forms_name}"


@pytest.mark.parametrize("forms_name", [forms for forms, _, _ in TABLES.values()])
def test_forms_are_printed_in_the_seed_page_or_marked_variant(forms_name: str) -> None:
    page = _normalise(source_path(DEFAULT_SOURCE).read_text(encoding="utf-8"))
    missing = [
        row["form"]
        for row in _rows(forms_name)
        if not row["note"].startswith("variant")
        and not _occurs(row["form"], page, case=row["match"] == "case")
    ]
    assert not missing, f"{forms_name}: not in the page and not marked variant: {missing}"


@pytest.mark.parametrize("name", ONTOLOGY_TABLES)
def test_ontology_ids_live_well_formed_and_labelled(name: str, reference_dir: Path) -> None:
    table, key = ONTOLOGY_TABLES[name]
    reference = _reference(reference_dir / table, key)
    id_column = TABLES[name][1]
    prefix = id_column.split("_")[0]
    for row in _rows(name):
        curie = row[id_column]
        _check_curie(curie, prefix, reference_dir)
        assert curie in reference, f"{curie} is not in {table}"
        assert reference[curie]["obsolete"] == "false", f"{curie} is obsolete"
        assert row["label"] == reference[curie]["label"], f"{curie}: label differs from {table}"


def test_cancers_are_cancers_with_the_mondo_cross_references(reference_dir: Path) -> None:
    mondo = _reference(reference_dir / "mondo.tsv", "mondo_id")
    doid = _reference(reference_dir / "doid.tsv", "doid")
    ncit = _reference(reference_dir / "ncit_disease_xrefs.tsv", "ncit_id")
    for row in _rows("cancers.tsv"):
        reference = mondo[row["mondo_id"]]
        assert "true" in (reference["is_cancer"], reference["is_neoplasm"]), row["mondo_id"]
        assert row["ncit"] == reference["xref_ncit"], f"{row['mondo_id']}: ncit differs"
        assert row["doid"] == reference["xref_doid"], f"{row['mondo_id']}: doid differs"
        for curie in split_multi(row["ncit"]):
            _check_curie(curie, "ncit", reference_dir)
            assert curie in ncit, f"{curie} is not in ncit_disease_xrefs.tsv"
        for curie in split_multi(row["doid"]):
            _check_curie(curie, "doid", reference_dir)
            assert curie in doid, f"{curie} is not in doid.tsv"


def test_process_go_ids_are_confirmed_by_a_mapping(reference_dir: Path) -> None:
    confirmed = set()
    for table in ("mesh_xrefs.tsv", "ncit_xrefs.tsv"):
        with (reference_dir / table).open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            confirmed |= {row["target_id"] for row in reader if row["target_namespace"] == "GO"}
    for row in _rows("processes.tsv"):
        for curie in split_multi(row["go"]):
            _check_curie(curie, "go", reference_dir)
            assert curie in confirmed, f"{row['class']}: {curie} is in no GO mapping"


def test_process_classes_are_declared_in_the_ontology(repo_root: Path) -> None:
    path = repo_root / "ontology" / "mkg.ttl"
    if not path.is_file():
        pytest.skip("ontology/mkg.ttl does not exist yet")
    from rdflib import OWL, RDF, Graph, URIRef

    graph = Graph().parse(path, format="turtle")
    for row in _rows("processes.tsv"):
        assert (URIRef(MKG_ONTOLOGY + row["class"]), RDF.type, OWL.Class) in graph, row["class"]
