"""The drug lexicon: well-formed, grounded in the page, equal to the offline reference tables."""

import csv
import gzip
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest.resources import DEFAULT_SOURCE, lexicon_path, source_path
from ingest.tsv import read_tsv, split_multi

DRUG_COLUMNS = ["id", "label", "chebi", "chembl", "drugbank", "pubchem", "mesh", "kind", "note"]
FORM_COLUMNS = ["form", "id", "match", "note"]
TARGET_COLUMNS = ["drug_id", "hgnc_id", "symbol", "source", "note"]
KINDS = {"small molecule", "antibody", "protein", "reagent"}
# Primary-id prefix -> the cross-reference column that repeats the primary id.
PRIMARY = {"CHEBI": "chebi", "DRUGBANK": "drugbank", "MESH": "mesh"}
# The mention finder treats these as one character; the page check must do the same.
DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2013": "-"})
SOURCES = {
    "drugbank": re.compile(r"^http://identifiers\.org/drugbank/(DB\d{5})$"),
    "chembl": re.compile(r"^http://identifiers\.org/chembl\.compound/(CHEMBL\d+)$"),
}


@pytest.fixture(scope="module")
def drugs() -> list[dict[str, str]]:
    return read_tsv(lexicon_path("drugs.tsv"))


@pytest.fixture(scope="module")
def forms() -> list[dict[str, str]]:
    return read_tsv(lexicon_path("forms_drugs.tsv"))


@pytest.fixture(scope="module")
def targets() -> list[dict[str, str]]:
    return read_tsv(lexicon_path("drug_targets.tsv"))


def _header(name: str) -> list[str]:
    lines = lexicon_path(name).read_text(encoding="utf-8").splitlines()
    return next(line for line in lines if line and not line.startswith("#")).split("\t")


def _comments(name: str) -> str:
    lines = lexicon_path(name).read_text(encoding="utf-8").splitlines()
    return "\n".join(line for line in lines if line.startswith("#"))


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate(DASHES)).casefold()


# --- always: shape, order, internal consistency ---------------------------------------------


@pytest.mark.parametrize(
    ("name", "columns"),
    [
        ("drugs.tsv", DRUG_COLUMNS),
        ("forms_drugs.tsv", FORM_COLUMNS),
        ("drug_targets.tsv", TARGET_COLUMNS),
    ],
)
def test_drug_tables_have_the_documented_columns(name: str, columns: list[str]) -> None:
    assert _header(name) == columns
    assert read_tsv(lexicon_path(name)), name


def test_drugs_sorted_by_id_and_unique(drugs) -> None:
    ids = [row["id"] for row in drugs]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)


def test_drug_ids_kinds_and_primary_columns_agree(drugs) -> None:
    for row in drugs:
        prefix, _, local = row["id"].partition(":")
        assert prefix in PRIMARY and local, row["id"]
        column = PRIMARY[prefix]
        # The primary id is repeated in its own cross-reference column.
        expected = row["id"] if prefix in ("CHEBI", "MESH") else local
        assert expected in split_multi(row[column]), row["id"]
        if prefix != "CHEBI":
            assert row["chebi"] == "", row["id"]
        assert row["kind"] in KINDS, row["id"]
        assert row["label"] and row["label"] == row["label"].strip(), row["id"]


def test_forms_sorted_unique_with_valid_match_modes(forms) -> None:
    keys = [(row["form"], row["id"]) for row in forms]
    assert keys == sorted(keys)
    texts = [row["form"] for row in forms]
    assert len(set(texts)) == len(texts), "a form maps to one id"
    assert {row["match"] for row in forms} <= {"case", "nocase"}
    assert all(row["form"] == row["form"].strip() for row in forms)


def test_every_form_id_is_a_drug_and_every_drug_has_a_form(drugs, forms) -> None:
    ids = {row["id"] for row in drugs}
    assert {row["id"] for row in forms} - ids == set()
    assert ids - {row["id"] for row in forms} == set()


def test_forms_occur_in_the_page_or_are_marked_variants(forms) -> None:
    page = _normalise(source_path(DEFAULT_SOURCE).read_text(encoding="utf-8"))
    missing = [
        row["form"]
        for row in forms
        if _normalise(row["form"]) not in page and not row["note"].startswith("variant")
    ]
    assert missing == []


def test_targets_sorted_unique_and_drugs_exist(drugs, targets) -> None:
    keys = [(row["drug_id"], row["hgnc_id"]) for row in targets]
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)
    assert {row["drug_id"] for row in targets} - {row["id"] for row in drugs} == set()
    assert all(re.fullmatch(r"HGNC:\d+", row["hgnc_id"]) for row in targets)


def test_target_sources_name_the_drugs_own_record(drugs, targets) -> None:
    by_id = {row["id"]: row for row in drugs}
    for row in targets:
        drug = by_id[row["drug_id"]]
        matches = {column: pattern.match(row["source"]) for column, pattern in SOURCES.items()}
        column, match = next(((c, m) for c, m in matches.items() if m), (None, None))
        assert match, row["source"]
        assert match.group(1) in split_multi(drug[column]), (row["drug_id"], row["source"])


def test_drugs_without_targets_are_explained_in_the_header(drugs, targets) -> None:
    header = _comments("drug_targets.tsv")
    untargeted = {row["id"] for row in drugs} - {row["drug_id"] for row in targets}
    assert [drug_id for drug_id in sorted(untargeted) if drug_id not in header] == []


# --- with the reference tables: every id live, every label and cross-reference confirmed ----


def _stream(path: Path) -> Iterator[dict[str, str]]:
    csv.field_size_limit(10**9)
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)


@pytest.fixture(scope="module")
def chebi(reference_dir, drugs) -> dict[str, dict[str, str]]:
    wanted = {row["chebi"] for row in drugs if row["chebi"]}
    return {
        row["chebi_id"]: row
        for row in _stream(reference_dir / "chebi.tsv.gz")
        if row["chebi_id"] in wanted
    }


@pytest.fixture(scope="module")
def drugbank(reference_dir, drugs) -> dict[str, list[dict[str, str]]]:
    wanted = {row["drugbank"] for row in drugs if row["drugbank"]}
    found: dict[str, list[dict[str, str]]] = {}
    for row in _stream(reference_dir / "drugs.tsv"):
        if row["drugbank_id"] in wanted:
            found.setdefault(row["drugbank_id"], []).append(row)
    return found


@pytest.fixture(scope="module")
def mesh(reference_dir, drugs) -> dict[str, dict[str, str]]:
    wanted = {row["mesh"].removeprefix("MESH:") for row in drugs if row["mesh"]}
    found = {}
    for name in ("mesh_descriptors.tsv", "mesh_supplementary.tsv.gz"):
        for row in _stream(reference_dir / name):
            if row["mesh_id"] in wanted:
                found[row["mesh_id"]] = row
    return found


@pytest.fixture(scope="module")
def patterns(reference_dir) -> dict[str, re.Pattern[str]]:
    wanted = {"chebi", "chembl.compound", "drugbank", "pubchem.compound", "mesh", "hgnc"}
    return {
        row["prefix"]: re.compile(row["pattern"])
        for row in _stream(reference_dir / "bioregistry_prefixes.tsv")
        if row["prefix"] in wanted
    }


def _linked_rows(drug: dict[str, str], drugbank) -> list[dict[str, str]]:
    """Return the drugs.tsv rows of the drug's DrugBank id that the tables tie to this drug."""
    label = drug["label"].casefold()
    return [
        row
        for row in drugbank.get(drug["drugbank"], [])
        if (drug["chebi"] and drug["chebi"] in split_multi(row["chebi_ids"]))
        or row["name"].casefold() == label
        or label in {synonym.casefold() for synonym in split_multi(row["synonyms"])}
    ]


def test_chebi_ids_live_and_labels_equal_chebi_names(drugs, chebi) -> None:
    for row in drugs:
        if not row["chebi"]:
            continue
        record = chebi.get(row["chebi"])
        assert record is not None, row["chebi"]
        assert record["obsolete"] == "false", row["chebi"]
        if row["id"] == row["chebi"]:
            assert row["label"] == record["name"], row["id"]


def test_labels_without_chebi_are_names_of_their_records(drugs, drugbank, mesh) -> None:
    for row in drugs:
        if row["id"].startswith("DRUGBANK:"):
            assert _linked_rows(row, drugbank), row["id"]
        elif row["id"].startswith("MESH:"):
            record = mesh[row["id"].removeprefix("MESH:")]
            names = [record["label"], *split_multi(record["synonyms"])]
            word = re.compile(rf"(?<!\w){re.escape(row['label'])}(?!\w)", re.IGNORECASE)
            assert any(word.search(name) for name in names), row["id"]


def test_cross_references_confirmed_by_chebi_or_drugs_rows(drugs, chebi, drugbank) -> None:
    columns = {  # lexicon column -> (ChEBI column, drugs.tsv column)
        "chembl": ("chembl_ids", "chembl_ids"),
        "drugbank": ("drugbank_ids", "drugbank_id"),
        "pubchem": ("pubchem_cids", "pubchem_cids"),
        "mesh": ("mesh_ids", "mesh_id"),
    }
    for row in drugs:
        record = chebi.get(row["chebi"], {})
        linked = _linked_rows(row, drugbank)
        for column, (chebi_column, drugs_column) in columns.items():
            for value in split_multi(row[column]):
                if column == "mesh" and value == row["id"]:
                    continue  # the primary id itself, checked against MeSH below
                confirmed = value in split_multi(record.get(chebi_column, "")) or any(
                    value in split_multi(other[drugs_column]) for other in linked
                )
                assert confirmed, (row["id"], column, value)


def test_mesh_ids_exist(drugs, mesh) -> None:
    ids = [row["mesh"].removeprefix("MESH:") for row in drugs if row["mesh"]]
    assert [mesh_id for mesh_id in ids if mesh_id not in mesh] == []


def test_ids_match_bioregistry_patterns(drugs, targets, patterns) -> None:
    checks = []
    for row in drugs:
        checks += [("chebi", value.removeprefix("CHEBI:")) for value in split_multi(row["chebi"])]
        checks += [("chembl.compound", value) for value in split_multi(row["chembl"])]
        checks += [("drugbank", value) for value in split_multi(row["drugbank"])]
        checks += [("pubchem.compound", value) for value in split_multi(row["pubchem"])]
        checks += [("mesh", value.removeprefix("MESH:")) for value in split_multi(row["mesh"])]
    checks += [("hgnc", row["hgnc_id"].removeprefix("HGNC:")) for row in targets]
    assert [(p, v) for p, v in checks if not patterns[p].fullmatch(v)] == []


def test_target_genes_are_approved_with_matching_symbols(targets, reference_dir) -> None:
    wanted = {row["hgnc_id"] for row in targets}
    genes = {
        row["hgnc_id"]: row
        for row in _stream(reference_dir / "hgnc_genes.tsv")
        if row["hgnc_id"] in wanted
    }
    for row in targets:
        gene = genes.get(row["hgnc_id"])
        assert gene is not None, row["hgnc_id"]
        assert gene["status"] == "Approved", row["hgnc_id"]
        assert gene["symbol"] == row["symbol"], row["hgnc_id"]
