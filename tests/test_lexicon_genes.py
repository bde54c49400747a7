"""Checks of the gene, gene-family and organism lexicons in ingest/lexicon/."""

import csv
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest.resources import DEFAULT_SOURCE, lexicon_path, source_path
from ingest.tsv import read_tsv, split_multi

ENTITY_COLUMNS = {
    "genes.tsv": ["hgnc_id", "symbol", "name", "ncbigene", "uniprot", "note"],
    "gene_families.tsv": ["fplx_id", "name", "member_hgnc_ids", "member_hgnc_ids_all", "note"],
    "organisms.tsv": ["ncbitaxon_id", "label", "note"],
}
FORM_TABLES = {
    "forms_genes.tsv": "genes.tsv",
    "forms_gene_families.tsv": "gene_families.tsv",
    "forms_organisms.tsv": "organisms.tsv",
}
FORM_COLUMNS = ["form", "id", "match", "note"]
ALL_TABLES = [*ENTITY_COLUMNS, *FORM_TABLES]

# Gene symbols that are also English words or common abbreviations: `case` only, with a note.
AMBIGUOUS_SYMBOLS = {"Met", "Src", "Rho", "Neu", "Prune", "ras", "Fas"}
# Ordinary words that must never be matched case-insensitively.
ENGLISH_WORDS = {"met", "src", "rho", "neu", "prune", "ras", "fas", "trail", "not", "can", "set"}
# Phrases in forms_genes.tsv notes that cite an HGNC column.
CITED_COLUMNS = (("HGNC alias", "alias_symbols"), ("previous HGNC symbol", "previous_symbols"))
# The finder treats these as a plain hyphen.
_DASHES = str.maketrans({"\u2013": "-", "\u2011": "-", "\u2010": "-"})


def _table(name: str) -> list[dict[str, str]]:
    return read_tsv(lexicon_path(name))


def _header(name: str) -> list[str]:
    lines = lexicon_path(name).read_text(encoding="utf-8").splitlines()
    return next(line for line in lines if line and not line.startswith("#")).split("\t")


def _primary(name: str) -> str:
    return ENTITY_COLUMNS[name][0]


def _normal(form: str, match: str) -> str:
    folded = " ".join(form.translate(_DASHES).split())
    return folded.casefold() if match == "nocase" else folded


def _occurs(form: str, match: str, text: str) -> bool:
    pattern = r"(?<![A-Za-z0-9])" + re.escape(_normal(form, "case")) + r"(?![A-Za-z0-9])"
    return re.search(pattern, text, 0 if match == "case" else re.IGNORECASE) is not None


def _rows(path: Path) -> Iterator[dict[str, str]]:
    csv.field_size_limit(10**9)
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)


@pytest.fixture(scope="module")
def page_text() -> str:
    text = source_path(DEFAULT_SOURCE).read_text(encoding="utf-8")
    return " ".join(text.translate(_DASHES).split())


@pytest.fixture(scope="module")
def hgnc(reference_dir: Path) -> dict[str, dict[str, str]]:
    return {row["hgnc_id"]: row for row in _rows(reference_dir / "hgnc_genes.tsv")}


@pytest.fixture(scope="module")
def mesh(reference_dir: Path) -> dict[str, dict[str, str]]:
    return {row["mesh_id"]: row for row in _rows(reference_dir / "mesh_descriptors.tsv")}


@pytest.fixture(scope="module")
def patterns(reference_dir: Path) -> dict[str, re.Pattern[str]]:
    wanted = {"hgnc", "fplx", "ncbitaxon", "ncbigene", "uniprot"}
    found = {
        row["prefix"]: re.compile(row["pattern"])
        for row in _rows(reference_dir / "bioregistry_prefixes.tsv")
        if row["prefix"] in wanted
    }
    assert set(found) == wanted
    return found


def _local(curie: str, prefix: str) -> str:
    assert curie.startswith(prefix + ":"), curie
    return curie[len(prefix) + 1 :]


@pytest.mark.parametrize("name", ALL_TABLES)
def test_lexicon_table_parses_with_its_header(name: str) -> None:
    expected = ENTITY_COLUMNS.get(name, FORM_COLUMNS)
    assert _header(name) == expected
    rows = _table(name)
    assert rows, name
    for row in rows:
        assert all(row[column] == row[column].strip() for column in expected), row
        assert row[expected[0]], row


@pytest.mark.parametrize("name", list(ENTITY_COLUMNS))
def test_entity_table_is_sorted_with_unique_ids(name: str) -> None:
    ids = [row[_primary(name)] for row in _table(name)]
    assert ids == sorted(ids)
    assert len(ids) == len(set(ids))


def test_gene_symbols_are_unique() -> None:
    symbols = [row["symbol"] for row in _table("genes.tsv")]
    assert len(symbols) == len(set(symbols))


@pytest.mark.parametrize("name", list(FORM_TABLES))
def test_form_table_is_sorted_by_form_then_id(name: str) -> None:
    keys = [(row["form"], row["id"]) for row in _table(name)]
    assert keys == sorted(keys)
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("name", list(FORM_TABLES))
def test_form_match_is_case_or_nocase(name: str) -> None:
    assert {row["match"] for row in _table(name)} <= {"case", "nocase"}


@pytest.mark.parametrize("name", list(FORM_TABLES))
def test_form_ids_exist_in_entity_table(name: str) -> None:
    entity = FORM_TABLES[name]
    ids = {row[_primary(entity)] for row in _table(entity)}
    assert {row["id"] for row in _table(name)} - ids == set()


@pytest.mark.parametrize("name", list(FORM_TABLES))
def test_every_entity_has_a_form(name: str) -> None:
    entity = FORM_TABLES[name]
    ids = {row[_primary(entity)] for row in _table(entity)}
    assert ids - {row["id"] for row in _table(name)} == set()


def test_each_form_maps_to_one_id_across_the_three_tables() -> None:
    """A form (dashes and spaces folded; case folded when nocase) names one entity."""
    rows = [row for name in FORM_TABLES for row in _table(name)]
    exact: dict[str, str] = {}
    for row in rows:
        assert exact.setdefault(_normal(row["form"], "case"), row["id"]) == row["id"], row
    folded = {_normal(r["form"], "nocase"): r["id"] for r in rows if r["match"] == "nocase"}
    for row in rows:
        assert folded.get(_normal(row["form"], "nocase"), row["id"]) == row["id"], row


def test_printed_forms_occur_in_the_seed_page(page_text: str) -> None:
    """Every form not marked as a variant is printed on the shipped review page."""
    missing = [
        (name, row["form"])
        for name in FORM_TABLES
        for row in _table(name)
        if not row["note"].startswith("variant")
        and not _occurs(row["form"], row["match"], page_text)
    ]
    assert missing == []


def test_case_forms_are_printed_or_marked_as_variants(page_text: str) -> None:
    for name in FORM_TABLES:
        for row in _table(name):
            if row["match"] == "case" and not _occurs(row["form"], "case", page_text):
                assert row["note"].startswith("variant"), (name, row)


def test_english_word_symbols_are_case_sensitive_with_a_context_note() -> None:
    for name in FORM_TABLES:
        for row in _table(name):
            if row["form"] in AMBIGUOUS_SYMBOLS:
                assert row["match"] == "case", row
                assert "check context" in row["note"], row
            if row["match"] == "nocase":
                assert _normal(row["form"], "nocase") not in ENGLISH_WORDS, row


def test_family_members_are_listed_as_hgnc_ids() -> None:
    for row in _table("gene_families.tsv"):
        for member in split_multi(row["member_hgnc_ids"]):
            assert re.fullmatch(r"HGNC:\d+", member), row


# --- against the offline reference tables -------------------------------------------------


def test_gene_ids_match_bioregistry_patterns(patterns: dict[str, re.Pattern[str]]) -> None:
    for row in _table("genes.tsv"):
        assert patterns["hgnc"].fullmatch(_local(row["hgnc_id"], "HGNC")), row
        assert patterns["ncbigene"].fullmatch(row["ncbigene"]), row
        assert patterns["uniprot"].fullmatch(row["uniprot"]), row


def test_family_and_organism_ids_match_bioregistry_patterns(
    patterns: dict[str, re.Pattern[str]],
) -> None:
    for row in _table("gene_families.tsv"):
        assert patterns["fplx"].fullmatch(_local(row["fplx_id"], "FPLX")), row
        for member in split_multi(row["member_hgnc_ids"]):
            assert patterns["hgnc"].fullmatch(_local(member, "HGNC")), row
    for row in _table("organisms.tsv"):
        assert patterns["ncbitaxon"].fullmatch(_local(row["ncbitaxon_id"], "NCBITaxon")), row


def test_genes_equal_hgnc(hgnc: dict[str, dict[str, str]]) -> None:
    for row in _table("genes.tsv"):
        ref = hgnc.get(row["hgnc_id"])
        assert ref is not None, row
        assert ref["status"] == "Approved", row
        assert row["symbol"] == ref["symbol"], row
        assert row["name"] == ref["name"], row
        assert row["ncbigene"] == ref["ncbi_gene_id"], row
        accessions = split_multi(ref["uniprot_ids"])
        expected = ref["uniprot_preferred"] or (accessions[0] if len(accessions) == 1 else "")
        assert expected and row["uniprot"] == expected, row


def test_gene_form_notes_cite_hgnc_correctly(hgnc: dict[str, dict[str, str]]) -> None:
    """A note naming an approved symbol/name, alias or previous symbol agrees with HGNC."""
    for row in _table("forms_genes.tsv"):
        ref = hgnc[row["id"]]
        note = row["note"].removeprefix("variant: ")
        if note == "approved symbol":
            assert row["form"] == ref["symbol"], row
        if note == "approved name":
            assert row["form"].casefold() == ref["name"].casefold(), row
        for label, column in CITED_COLUMNS:
            found = re.search(re.escape(label) + r"(?: ([^\s;,]+))?", note)
            if found:
                cited = found.group(1) or row["form"]
                assert cited in split_multi(ref[column]), (row, column)


def test_families_equal_famplex(reference_dir: Path, hgnc: dict[str, dict[str, str]]) -> None:
    famplex = {row["fplx_id"]: row for row in _rows(reference_dir / "famplex_entities.tsv")}
    for row in _table("gene_families.tsv"):
        ref = famplex.get(row["fplx_id"])
        assert ref is not None, row
        assert row["name"] == ref["name"], row
        members = split_multi(row["member_hgnc_ids"])
        assert members == split_multi(ref["member_hgnc_ids_direct"]), row
        for member in members:
            assert hgnc[member]["status"] == "Approved", (row, member)
        every = split_multi(row["member_hgnc_ids_all"])
        assert [hgnc[member]["symbol"] for member in every] == split_multi(
            ref["member_genes_all"]
        ), row
        assert set(members) <= set(every), row
        for member in every:
            assert hgnc[member]["status"] == "Approved", (row, member)


def _descriptor(row: dict[str, str], mesh: dict[str, dict[str, str]]) -> dict[str, str]:
    found = re.match(r"MeSH (D\d+) ", row["note"])
    assert found, row
    return mesh[found.group(1)]


def test_organisms_are_confirmed_by_mesh(mesh: dict[str, dict[str, str]]) -> None:
    """Each taxon is in the ncbi_taxon_id cell of the MeSH descriptor its note names."""
    for row in _table("organisms.tsv"):
        descriptor = _descriptor(row, mesh)
        taxon = _local(row["ncbitaxon_id"], "NCBITaxon")
        assert taxon in split_multi(descriptor["ncbi_taxon_id"]), row
        assert row["label"] == descriptor["label"], row


def test_organism_entry_terms_are_mesh_entry_terms(mesh: dict[str, dict[str, str]]) -> None:
    descriptors = {row["ncbitaxon_id"]: _descriptor(row, mesh) for row in _table("organisms.tsv")}
    for row in _table("forms_organisms.tsv"):
        if "MeSH entry term" in row["note"]:
            descriptor = descriptors[row["id"]]
            terms = [descriptor["label"], *split_multi(descriptor["synonyms"])]
            assert row["form"].casefold() in {term.casefold() for term in terms}, row
