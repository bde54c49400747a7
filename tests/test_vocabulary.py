"""The grounding index (ingest/vocabulary): artefact, ambiguity rules, curated layer, precision."""

import csv
import gzip
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest.entities import load_lexicon
from ingest.formindex import FormIndex
from ingest.ground import Finder, ground_review
from ingest.parse import parse_file
from ingest.resources import DEFAULT_SOURCE, source_path
from ingest.textkey import form_keys
from ingest.vocabulary import ARTEFACT, load_vocabulary, read_exclusions
from ingest.vocabulary import make_index as generator
from ingest.vocabulary.rules import (
    ABBREVIATION,
    CONTEXT,
    ENDOGENOUS,
    ENGLISH,
    GROUND,
    GROUNDING_STATUSES,
    LONG,
    OUTRANKED,
    SHARED,
    SHORT,
    YIELDS,
    Claim,
    gene_symbol_case_sensitive,
    name_case_sensitive,
    resolve,
)
from ingest.vocabulary.store import cache_directories, cache_file

DATA = Path(__file__).parent / "data" / "vocabulary"
CHANGED = DATA / "changed_mentions.tsv"
EXPECTED = Path(__file__).parent / "data" / "expected_mentions.tsv"
PARAGRAPHS = ("breast-bone", "melanoma-brain")
STATUSES = {
    GROUND, CONTEXT, SHORT, LONG, ENGLISH, ABBREVIATION, ENDOGENOUS, OUTRANKED, YIELDS, SHARED
}  # fmt: skip
# CURIE prefix of the index -> Bioregistry prefix whose pattern its local part must match.
BIOREGISTRY = {
    "HGNC": "hgnc",
    "NCBIGene": "ncbigene",
    "UniProtKB": "uniprot",
    "FPLX": "fplx",
    "CHEBI": "chebi",
    "DRUGBANK": "drugbank",
    "CHEMBL.COMPOUND": "chembl.compound",
    "PUBCHEM.COMPOUND": "pubchem.compound",
    "MESH": "mesh",
    "UBERON": "uberon",
    "CL": "cl",
    "MONDO": "mondo",
    "NCIT": "ncit",
    "DOID": "doid",
    "NCBITaxon": "ncbitaxon",
}
# Curated entities the index does not hold itself, and why (the curated layer adds them).
NOT_IN_INDEX = {
    "MESH:C122096": "salvicine: a MeSH supplementary concept that no drugs.tsv or ChEBI row names",
    "MESH:C511761": "DC101: a MeSH supplementary concept that no drugs.tsv or ChEBI row names",
    "MESH:D043168": "angiostatin: a MeSH heading with no DrugBank or ChEBI drug (a class)",
    "NCBITaxon:10090": "mouse: MeSH Mice lists two taxa (10090, 10092); left to the curation",
}


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def vocabulary(tmp_path_factory: pytest.TempPathFactory):
    """The shipped vocabulary, unpacked into a cache of the test run (not the user's cache)."""
    return load_vocabulary(cache_dir=tmp_path_factory.mktemp("vocabulary-cache"))


def _lines() -> list[str]:
    with gzip.open(ARTEFACT, "rt", encoding="utf-8", newline="\n") as handle:
        return handle.read().split("\n")


@pytest.fixture(scope="module")
def artefact() -> dict[str, list[list[str]]]:
    """The artefact's lines by kind: header comments, entity rows and name rows."""
    lines = _lines()
    assert lines[-1] == "", "the artefact ends with a newline"
    found: dict[str, list[list[str]]] = {"#": [], "E": [], "N": []}
    for line in lines[:-1]:
        if line.startswith("#"):
            found["#"].append([line])
        else:
            found[line[:1]].append(line.split("\t"))
    return found


@pytest.fixture(scope="module")
def names(artefact) -> dict[tuple[str, str], list[str]]:
    """Name rows by (entity, text)."""
    return {(row[1], row[2]): row for row in artefact["N"]}


def _status(names, entity: str, text: str) -> str:
    return names[(entity, text)][5]


def _rows(path: Path) -> Iterator[dict[str, str]]:
    csv.field_size_limit(10**9)
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)


# ---------------------------------------------------------------- the artefact


def test_artefact_is_a_byte_stable_gzip_of_modest_size() -> None:
    data = ARTEFACT.read_bytes()
    assert data[:2] == b"\x1f\x8b"
    assert data[4:8] == b"\x00\x00\x00\x00", "gzip mtime must be 0"
    assert len(data) <= 15 * 1024 * 1024
    assert _lines()[0] == "#mkg-vocabulary 2"


def test_artefact_rows_are_sorted_and_well_formed(artefact) -> None:
    entities = artefact["E"]
    assert [row[1] for row in entities] == sorted(row[1] for row in entities)
    assert all(len(row) == 7 and row[2] in generator_kinds() for row in entities)
    ids = {row[1] for row in entities}
    assert len(ids) == len(entities), "an entity is listed once"
    kind_of = {row[1]: row[2] for row in entities}
    for row in entities:
        parents = row[6].split("|") if row[6] else []
        assert parents == sorted(set(parents)), row
        # Parents are terms of the same kind in the index, for the ontologies only.
        assert all(kind_of.get(parent) == row[2] for parent in parents), row
        assert not parents or row[2] in ("anatomy", "cancer", "cell_type"), row
    rows = artefact["N"]
    assert [row[1:] for row in rows] == sorted(row[1:] for row in rows)
    for row in rows:
        assert len(row) == 7, row
        _, entity, text, origin, match, status, keys = row
        assert entity in ids and text == text.strip() and text, row
        assert match in ("case", "nocase") and status in STATUSES, row
        assert bool(keys) == (status in GROUNDING_STATUSES), row


def generator_kinds() -> set[str]:
    return {"gene", "gene_family", "drug", "anatomy", "cancer", "cell_type", "organism"}


def test_artefact_keys_are_the_textkey_keys_of_their_names(artefact) -> None:
    for row in artefact["N"]:
        if not row[6]:
            continue
        keys = row[6].split("|")
        assert len(keys) == len(set(keys)) and set(keys) <= set(form_keys(row[2])), row


def test_artefact_header_names_every_input_with_checksum_version_and_licence(artefact) -> None:
    header = "\n".join(line[0] for line in artefact["#"])
    for name in [*generator.SOURCES, "english-words"]:
        match = re.search(rf"^#   {re.escape(name)}\t([0-9a-f]{{64}})\t[^\t]+\t[^\t]+\t[^\t]+$",
                          header, re.MULTILINE)  # fmt: skip
        assert match, f"{name} is not described in the header"


def test_artefact_header_counts_are_the_rows(artefact) -> None:
    header = {line[0].split(":")[0]: line[0] for line in artefact["#"]}
    kinds = Counter(row[2] for row in artefact["E"])
    expected = ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items()))
    assert header["# Entities per kind"] == f"# Entities per kind: {expected}"
    kind_of = {row[1]: row[2] for row in artefact["E"]}
    statuses = Counter((kind_of[row[1]], row[5]) for row in artefact["N"])
    for kind in kinds:
        counts = ", ".join(f"{s} {n}" for (k, s), n in sorted(statuses.items()) if k == kind)
        assert header[f"# Names of {kind}"] == f"# Names of {kind}: {counts}"


def test_every_approved_gene_and_the_other_kinds_are_in_the_index(artefact) -> None:
    kinds = Counter(row[2] for row in artefact["E"])
    assert kinds["gene"] == 43837  # every Approved row of hgnc_genes.tsv
    assert kinds["gene_family"] == 783  # every FamPlex entity
    assert kinds["anatomy"] == 14971 and kinds["cell_type"] == 3324  # live UBERON, CL terms
    assert kinds["drug"] > 15000 and kinds["cancer"] > 4000 and kinds["organism"] >= 10


# ---------------------------------------------------------------- the rules on small inputs

ENGLISH_WORDS = frozenset({"met", "set", "marrow", "water", "notch", "aspirin", "all", "clear"})
ABBREVIATIONS = frozenset({"PCR"})


def _record(entity: str, kind: str, label: str, *names: tuple[str, str]) -> generator.Record:
    record = generator.Record(entity, kind, label)
    for text, origin in names:
        record.name(text, origin, symbol=kind == "gene" and origin in generator_symbols())
    return record


def generator_symbols() -> set[str]:
    return {"symbol", "previous", "alias"}


def _resolve(*records: generator.Record) -> dict[tuple[str, str], Claim]:
    claims = [claim for record in records for claim in record.claims]
    resolve(claims, ENGLISH_WORDS, ABBREVIATIONS)
    return {(claim.entity, claim.text): claim for claim in claims}


def test_v1_names_of_two_characters_or_without_letters_ground_nothing() -> None:
    found = _resolve(
        _record("HGNC:1", "gene", "AB1", ("AB1", "symbol"), ("AB", "alias"), ("12-3", "alias"))
    )
    assert found[("HGNC:1", "AB1")].status == GROUND
    assert found[("HGNC:1", "AB")].status == SHORT
    assert found[("HGNC:1", "12-3")].status == SHORT


def test_v1_short_lower_case_synonyms_and_drug_names_ground_nothing() -> None:
    drug = _record("DRUGBANK:DB00001", "drug", "vorinostat", ("saha", "drug-synonym"))
    site = _record("UBERON:1", "anatomy", "pons", ("pons", "label"), ("pll", "synonym"))
    found = _resolve(drug, site)
    assert found[("DRUGBANK:DB00001", "saha")].status == SHORT
    assert found[("UBERON:1", "pll")].status == SHORT
    assert found[("UBERON:1", "pons")].status == GROUND  # a label of four letters stays


def test_v2_names_too_long_to_be_printed_ground_nothing() -> None:
    text = " ".join(["word"] * 13)
    found = _resolve(_record("MONDO:1", "cancer", "x tumour", (text, "synonym")))
    assert found[("MONDO:1", text)].status == LONG


def test_v3_english_words() -> None:
    found = _resolve(
        _record("HGNC:7029", "gene", "MET", ("MET", "symbol")),
        _record("HGNC:2", "gene", "SETD1", ("SETD1", "symbol"), ("SET", "alias")),
        _record("UBERON:2", "anatomy", "bone marrow", ("marrow", "synonym")),
        _record("CHEBI:1", "drug", "water", ("water", "label")),
        _record("CHEBI:2", "drug", "aspirin", ("aspirin", "label")),
        _record("FPLX:Notch", "gene_family", "Notch", ("Notch", "famplex-name")),
    )
    assert found[("HGNC:7029", "MET")].status == CONTEXT
    assert found[("HGNC:2", "SET")].status == ENGLISH
    assert found[("UBERON:2", "marrow")].status == ENGLISH
    assert found[("CHEBI:1", "water")].status == ENGLISH  # no MedlinePlus monograph
    medicine = _record("CHEBI:2", "drug", "aspirin")
    medicine.medicine = True
    medicine.name("aspirin", "label")
    assert _resolve(medicine)[("CHEBI:2", "aspirin")].status == GROUND
    brand = _record("DRUGBANK:DB00002", "drug", "benzoyl peroxide", ("all clear", "drug-synonym"))
    assert _resolve(brand)[("DRUGBANK:DB00002", "all clear")].status == ENGLISH
    notch = found[("FPLX:Notch", "Notch")]
    assert notch.status == GROUND and notch.case_sensitive and notch.keys == ["notch"]


def test_v4_mesh_abbreviations_of_other_things() -> None:
    found = _resolve(
        _record("HGNC:3", "gene", "POLR1", ("POLR1", "symbol"), ("PCR", "alias")),
        _record("HGNC:4", "gene", "PCR", ("PCR", "symbol")),
    )
    assert found[("HGNC:3", "PCR")].status == ABBREVIATION
    assert found[("HGNC:4", "PCR")].status == CONTEXT


def test_v5_building_blocks_are_not_drugs() -> None:
    block = _record("CHEBI:17895", "drug", "L-tyrosine")
    block.endogenous = True
    block.name("tyrosine", "drug-synonym")
    assert _resolve(block)[("CHEBI:17895", "tyrosine")].status == ENDOGENOUS


def test_v6_rank_approved_symbol_beats_another_genes_alias() -> None:
    found = _resolve(
        _record("HGNC:5", "gene", "ERBB2", ("ERBB2", "symbol"), ("NEU1X", "alias")),
        _record("HGNC:6", "gene", "NEU1X", ("NEU1X", "symbol")),
        _record("UBERON:3", "anatomy", "liver", ("liver", "label")),
        _record("UBERON:4", "anatomy", "hepar", ("hepar", "label"), ("liver", "synonym")),
    )
    assert found[("HGNC:6", "NEU1X")].status == GROUND
    assert found[("HGNC:5", "NEU1X")].status == OUTRANKED
    assert found[("UBERON:3", "liver")].status == GROUND
    assert found[("UBERON:4", "liver")].status == OUTRANKED


def test_v6_synonyms_chebi_inherits_lose_to_the_drugs_own() -> None:
    parent = _record("DRUGBANK:DB01248", "drug", "docetaxel", ("taxotere", "drug-synonym"))
    salt = _record("CHEBI:59809", "drug", "docetaxel trihydrate", ("taxotere", "chebi-synonym"))
    found = _resolve(parent, salt)
    assert found[("DRUGBANK:DB01248", "taxotere")].status == GROUND
    assert found[("CHEBI:59809", "taxotere")].status == OUTRANKED


def test_v7_a_drug_yields_to_other_kinds() -> None:
    found = _resolve(
        _record("HGNC:6081", "gene", "INS", ("insulin", "name")),
        _record("MESH:D007328", "drug", "insulin", ("insulin", "label")),
    )
    assert found[("HGNC:6081", "insulin")].status == GROUND
    assert found[("MESH:D007328", "insulin")].status == YIELDS


def test_v7_families_beat_member_aliases_and_approved_symbols_beat_families() -> None:
    found = _resolve(
        _record("FPLX:AKT", "gene_family", "AKT", ("AKT", "famplex-name")),
        _record("HGNC:391", "gene", "AKT1", ("AKT1", "symbol"), ("AKT", "alias")),
        _record("FPLX:RHO", "gene_family", "RHO", ("RHO", "famplex-name")),
        _record("HGNC:10012", "gene", "RHO", ("RHO", "symbol")),
    )
    assert found[("FPLX:AKT", "AKT")].status == GROUND
    assert found[("HGNC:391", "AKT")].status == OUTRANKED
    assert found[("HGNC:10012", "RHO")].status == GROUND
    assert found[("FPLX:RHO", "RHO")].status == OUTRANKED


def test_v8_a_name_of_two_entities_grounds_nothing() -> None:
    found = _resolve(
        _record("HGNC:7", "gene", "ABC1", ("ABC1", "symbol"), ("P170", "alias")),
        _record("HGNC:8", "gene", "ABC2", ("ABC2", "symbol"), ("P170", "alias")),
        _record("UBERON:0000426", "anatomy", "extravillous trophoblast"),
        _record("CL:0008036", "cell_type", "extravillous trophoblast"),
    )
    assert found[("HGNC:7", "P170")].status == SHARED
    assert found[("HGNC:8", "P170")].status == SHARED


def test_v8_of_two_drugs_of_one_name_chebis_wins() -> None:
    found = _resolve(
        _record("CHEBI:80630", "drug", "irinotecan", ("irinotecan", "label")),
        _record("DRUGBANK:DB05482", "drug", "irinotecan", ("irinotecan", "label")),
    )
    assert found[("CHEBI:80630", "irinotecan")].status == GROUND
    assert found[("DRUGBANK:DB05482", "irinotecan")].status == OUTRANKED


def test_a_name_as_written_beats_one_joined_at_a_dash() -> None:
    found = _resolve(
        _record("HGNC:31645", "gene", "MIR93", ("MIR93", "symbol")),
        _record("HGNC:31646", "gene", "MIR9-3", ("MIR9-3", "symbol")),
    )
    assert found[("HGNC:31645", "MIR93")].keys == ["mir93"]
    assert found[("HGNC:31646", "MIR9-3")].keys == ["mir9 3"]


def test_case_rules() -> None:
    assert gene_symbol_case_sensitive("MET") and gene_symbol_case_sensitive("c-Met")
    assert not gene_symbol_case_sensitive("STAT3") and not gene_symbol_case_sensitive("p53")
    assert gene_symbol_case_sensitive("H1")  # too short to match in any case
    assert name_case_sensitive("NSCLC") and name_case_sensitive("DC101")
    assert not name_case_sensitive("breast cancer") and not name_case_sensitive("Taxol")


# ---------------------------------------------------------------- the rules in the shipped index


@pytest.mark.parametrize(
    ("entity", "text", "status"),
    [
        ("HGNC:7029", "MET", CONTEXT),  # V3: an approved symbol that is an English word
        ("HGNC:10760", "SET", CONTEXT),
        ("HGNC:1516", "CAT", CONTEXT),
        ("HGNC:12731", "WAS", CONTEXT),
        ("HGNC:16712", "AGO", ENGLISH),  # V3: an alias that is an English word
        ("UBERON:0002046", "thyroid", ENGLISH),  # V3: a synonym that is an English word
        ("UBERON:0002398", "hand", SHORT),  # V1: four lower-case letters, a synonym
        ("MONDO:0005070", "tumor", ENGLISH),
        ("CHEBI:15377", "water", ENGLISH),  # V3: a drug without a monograph
        ("HGNC:5172", "HR", SHORT),  # V1
        ("HGNC:7178", "ECM", GROUND),  # an alias the curated exclusions remove
        ("CHEBI:17895", "L-tyrosine", ENDOGENOUS),  # V5
        ("FPLX:AKT", "AKT", GROUND),  # V7: the family beats AKT1's alias
        ("HGNC:391", "AKT", OUTRANKED),
        ("FPLX:RAS", "RAS", GROUND),
        ("HGNC:10012", "RHO", CONTEXT),  # V7: rhodopsin's symbol beats the family's name
        ("FPLX:RHO", "RHO", OUTRANKED),
        ("CHEBI:5391", "glucagon", YIELDS),  # V7: the drug yields to the gene GCG's name
        ("HGNC:12680", "VEGF", OUTRANKED),  # V7: the family beats VEGFA's previous symbol
        ("HGNC:11926", "RANKL", GROUND),
        ("HGNC:11998", "p53", GROUND),
        ("MONDO:0007256", "HCC", SHARED),  # V8: a cancer's and a gene's abbreviation
        ("HGNC:24587", "HCC", SHARED),
        ("HGNC:31645", "MIR93", GROUND),
        ("CHEBI:80630", "irinotecan", GROUND),
    ],
)
def test_shipped_index_applies_the_rules(names, entity: str, text: str, status: str) -> None:
    assert _status(names, entity, text) == status


def test_shipped_index_case(names) -> None:
    assert names[("HGNC:11998", "p53")][4] == "nocase"  # a symbol with a digit
    assert names[("HGNC:7029", "MET")][4] == "case"
    assert names[("MONDO:0005233", "NSCLC")][4] == "case"
    assert names[("MONDO:0007254", "breast cancer")][4] == "nocase"


# ---------------------------------------------------------------- loading and the curated layer


def test_vocabulary_is_a_form_index(vocabulary) -> None:
    forms = vocabulary.forms
    assert isinstance(forms, FormIndex)
    assert forms.max_tokens >= 10
    assert forms.has_prefix("breast") and forms.has_prefix("non small cell lung")
    assert not forms.has_prefix("zzzz qqqq")
    assert [f.entity for f in forms.lookup("cxcr4")] == ["HGNC:2561"]
    assert forms.lookup("zzzz qqqq") == ()


def test_form_index_contract_on_the_shipped_keys(vocabulary, artefact) -> None:
    """Every prefix of a form key has has_prefix True; max_tokens bounds every key."""
    forms = vocabulary.forms
    keys = [key for row in artefact["N"][::40] for key in row[6].split("|") if key]
    keys += [key for form in vocabulary.lexicon.forms for key in form_keys(form.text)]
    for key in keys:
        words = key.split(" ")
        assert len(words) <= forms.max_tokens, key
        for end in range(1, len(words)):
            assert forms.has_prefix(" ".join(words[:end])), key


def test_lookup_returns_case_sensitive_forms_under_their_folded_key(vocabulary) -> None:
    forms = {form.text: form for form in vocabulary.forms.lookup("kras")}
    assert forms["KRAS"].entity == "HGNC:6407" and forms["KRAS"].case_sensitive
    assert forms["K-Ras"].entity == "HGNC:6407"  # FamPlex's grounding map, as written
    (met,) = [f for f in vocabulary.forms.lookup("met") if f.text == "MET"]
    assert met.entity == "HGNC:7029"


def test_a_curated_form_alone_answers_its_key(vocabulary) -> None:
    indexed = {form.entity for form in vocabulary.forms.indexed("vegf")}
    assert "FPLX:VEGF" in indexed
    assert {form.entity for form in vocabulary.forms.lookup("vegf")} == {"HGNC:12680"}


def test_exclusions_remove_index_forms(vocabulary) -> None:
    assert "CL:0000000" in {form.entity for form in vocabulary.forms.indexed("cell")}
    assert vocabulary.forms.lookup("cell") == ()
    assert not [f for f in vocabulary.forms.lookup("tumour") if f.entity == "MONDO:0005070"]


def test_exclusions_are_sorted_and_each_removes_an_index_form_and_no_curated_one(
    vocabulary,
) -> None:
    exclusions = read_exclusions()
    assert [(e.form, e.target) for e in exclusions] == sorted(
        (e.form, e.target) for e in exclusions
    )
    assert all(e.reason for e in exclusions)
    curated_keys = {key for form in vocabulary.lexicon.forms for key in form_keys(form.text)}
    for exclusion in exclusions:
        key = form_keys(exclusion.form)[0]
        assert key not in curated_keys, f"{exclusion.form}: a curated form wins anyway"
        targets = {
            target
            for form in vocabulary.forms.indexed(key)
            for target in (form.entity, vocabulary.entity(form.entity).kind)
        }
        assert exclusion.target in targets, f"{exclusion.form}: nothing to exclude"


def test_index_entities_a_curated_entity_cross_references_are_that_entity(vocabulary) -> None:
    assert vocabulary.merged["DRUGBANK:DB01248"] == "CHEBI:4672"
    assert vocabulary.entity("DRUGBANK:DB01248").id == "CHEBI:4672"
    assert {form.entity for form in vocabulary.forms.lookup("taxotere")} == {"CHEBI:4672"}
    docetaxel = vocabulary.entity("CHEBI:4672")
    assert docetaxel.label == "docetaxel anhydrous"  # the curated label wins
    assert "taxotere" in docetaxel.synonyms


def test_entities_have_synonyms_and_search_finds_them(vocabulary) -> None:
    gene = vocabulary.entity("HGNC:11926")
    assert gene.label == "TNFSF11" and gene.xrefs == ("NCBIGene:8600", "UniProtKB:O14788")
    assert {"RANKL", "OPGL", "TRANCE"} <= set(gene.synonyms)
    assert [entity.id for entity in vocabulary.search("rankl")] == ["HGNC:11926"]
    assert [entity.id for entity in vocabulary.search("Herceptin")] == ["CHEBI:231601"]
    assert vocabulary.entity("HGNC:999999999") is None


def test_search_only_names_are_the_synonyms_that_ground_nothing(vocabulary) -> None:
    gene = vocabulary.entity("HGNC:11926")
    # TRANCE is an English word (V3); RANKL, OPGL and ODF ground TNFSF11.
    assert gene.search_only == ("TRANCE",)
    assert vocabulary.grounds("RANKL", "HGNC:11926")
    assert not vocabulary.grounds("TRANCE", "HGNC:11926")
    # NPYR is another gene's symbol (V6); "tumor" is an English word (V3).
    assert "NPYR" in vocabulary.entity("HGNC:2561").search_only
    assert {"tumor", "tumour"} <= set(vocabulary.entity("MONDO:0005070").search_only)
    # A curated entity's index names ground it through the merged cross-reference.
    assert "taxotere" not in vocabulary.entity("CHEBI:4672").search_only
    for entity_id in ("HGNC:11926", "HGNC:2561", "MONDO:0005070", "CHEBI:4672"):
        entity = vocabulary.entity(entity_id)
        assert set(entity.search_only) <= set(entity.synonyms)


def _ancestors(vocabulary, entity_id: str) -> dict[str, str]:
    found, frontier = {}, [entity_id]
    while frontier:
        for parent in vocabulary.entity(frontier.pop()).parents:
            if parent not in found:
                found[parent] = vocabulary.entity(parent).label
                frontier.append(parent)
    return found


def test_ontology_terms_have_their_parents_up_to_a_top(vocabulary) -> None:
    carcinoma = vocabulary.entity("MONDO:0004989")  # breast carcinoma
    assert carcinoma.parents == ("MONDO:0004993", "MONDO:0007254")  # carcinoma, breast cancer
    above = _ancestors(vocabulary, "MONDO:0004989")
    assert {"breast cancer", "breast neoplasm", "cancer", "neoplasm"} <= set(above.values())
    # MONDO stops at "neoplasm": its parents are not cancers or neoplasms.
    assert vocabulary.entity("MONDO:0005070").parents == ()
    # UBERON follows is_a and part_of, and stops below "anatomical entity" and the whole body.
    marrow = vocabulary.entity("UBERON:0002371")
    assert "UBERON:0001474" in marrow.parents  # bone marrow is part of the bone element
    brain = _ancestors(vocabulary, "UBERON:0000955")
    assert "UBERON:0001017" in brain and "UBERON:0000061" in brain  # CNS; anatomical structure
    assert not {"UBERON:0001062", "UBERON:0000468"} & set(brain)
    assert vocabulary.entity("UBERON:0000061").parents == ()
    # CL ends at "cell"; genes and drugs have no hierarchy here.
    assert "CL:0000000" in _ancestors(vocabulary, "CL:0000092")
    assert vocabulary.entity("HGNC:11926").parents == ()


def test_entities_of_a_kind_include_the_curated_ones(vocabulary) -> None:
    organisms = {entity.id: entity for entity in vocabulary.entities_of("organism")}
    assert organisms["NCBITaxon:10090"].label == "Mice"  # curated only
    assert organisms["NCBITaxon:10116"].label == "Rats"
    assert "Rattus" in organisms["NCBITaxon:10116"].synonyms
    families = {entity.id: entity for entity in vocabulary.entities_of("gene_family")}
    assert "HGNC:391" in families["FPLX:AKT"].members
    processes = list(vocabulary.entities_of("process"))
    assert {entity.id for entity in processes} == {
        e.id for e in load_lexicon().entities.values() if e.kind == "process"
    }


def test_cache_file_is_made_once_per_artefact(tmp_path: Path) -> None:
    first = cache_file(ARTEFACT, cache_dir=tmp_path)
    digest = hashlib.sha256(ARTEFACT.read_bytes()).hexdigest()
    assert first.name == f"vocabulary-{digest[:24]}.sqlite"
    stamp = first.stat().st_mtime_ns
    assert cache_file(ARTEFACT, cache_dir=tmp_path) == first
    assert first.stat().st_mtime_ns == stamp
    assert list(tmp_path.iterdir()) == [first], "no temporary file is left behind"


def test_cache_directory_falls_back_when_one_cannot_be_written(tmp_path, monkeypatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("MKG_VOCABULARY_CACHE", str(blocker / "cache"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    directories = list(cache_directories())
    assert directories[:2] == [blocker / "cache", tmp_path / "xdg" / "mkg"]
    path = cache_file(ARTEFACT)
    assert path.parent == tmp_path / "xdg" / "mkg"


def test_a_foreign_file_is_refused(tmp_path: Path) -> None:
    foreign = tmp_path / "index.tsv.gz"
    with gzip.open(foreign, "wt") as handle:
        handle.write("#something else\n")
    with pytest.raises(ValueError, match="not a mkg-vocabulary 2 file"):
        cache_file(foreign, cache_dir=tmp_path / "cache")


# ---------------------------------------------------------------- precision on texts


def _texts() -> dict[str, str]:
    review = parse_file(source_path(DEFAULT_SOURCE))
    texts = {p.label: p.text for p in ground_review(review, Finder(()))}
    for name in PARAGRAPHS:
        texts[name] = (DATA / f"{name}.txt").read_text(encoding="utf-8").strip()
    return texts


def _changes(vocabulary) -> set[tuple[str, int, int, str, str, str]]:
    full, curated = Finder(vocabulary.forms), Finder(vocabulary.lexicon.forms)
    changes = set()
    for source, text in _texts().items():
        found = {(m.start, m.end, m.text, m.entity) for m in full.find(text)}
        before = {(m.start, m.end, m.text, m.entity) for m in curated.find(text)}
        changes |= {(source, *m, "added") for m in found - before}
        changes |= {(source, *m, "removed") for m in before - found}
    return changes


def _judged() -> list[dict[str, str]]:
    lines = [line for line in CHANGED.read_text(encoding="utf-8").splitlines() if line[:1] != "#"]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def test_full_index_keeps_every_hand_checked_mention_of_the_seed(vocabulary) -> None:
    lines = [line for line in EXPECTED.read_text(encoding="utf-8").splitlines() if line[:1] != "#"]
    expected = defaultdict(set)
    for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
        if row["id"] != "NONE":
            expected[row["source"]].add(
                (int(row["start"]), int(row["end"]), row["text"], row["id"])
            )
    finder = Finder(vocabulary.forms)
    texts = _texts()
    for source, wanted in expected.items():
        found = {(m.start, m.end, m.text, m.entity) for m in finder.find(texts[source])}
        assert wanted <= found, f"{source}: lost {sorted(wanted - found)}"


def test_what_the_full_index_changes_is_judged(vocabulary) -> None:
    """Every mention the index adds (or replaces) is a judged row of changed_mentions.tsv."""
    judged = _judged()
    rows = {
        (r["source"], int(r["start"]), int(r["end"]), r["text"], r["id"], r["change"])
        for r in judged
    }
    changes = _changes(vocabulary)
    assert changes == rows, (
        f"not judged: {sorted(changes - rows)}\n  judged but gone: {sorted(rows - changes)}"
    )
    assert {r["verdict"] for r in judged} <= {"right", "wrong"}
    assert all(r["note"] for r in judged if r["verdict"] == "wrong")


def test_report_of_added_mentions_per_type(vocabulary, capsys) -> None:
    """Print, per text group and type, the mentions the index adds and how many are wrong."""
    judged = [r for r in _judged() if r["change"] == "added"]
    report: Counter[tuple[str, str, str]] = Counter()
    for row in judged:
        group = "seed" if row["source"] not in PARAGRAPHS else row["source"]
        kind = vocabulary.entity(row["id"]).kind
        report[(group, kind, row["verdict"])] += 1
    with capsys.disabled():
        print("\nMentions the full index adds (right / wrong):")
        for group in ("seed", *PARAGRAPHS):
            kinds = sorted({kind for g, kind, _ in report if g == group})
            parts = [
                f"{k} {report[(group, k, 'right')]}/{report[(group, k, 'wrong')]}" for k in kinds
            ]
            print(f"  {group}: " + ", ".join(parts))
        for row in judged:
            if row["verdict"] == "wrong":
                print(f"  wrong: {row['source']} {row['text']!r} -> {row['id']}: {row['note']}")
    seed_wrong = sum(n for (g, _, v), n in report.items() if g == "seed" and v == "wrong")
    assert seed_wrong <= 2, "the index must not add more wrong mentions to the seed"


# ---------------------------------------------------------------- with the reference tables


@pytest.fixture(scope="module")
def patterns(reference_dir: Path) -> dict[str, re.Pattern[str]]:
    wanted = set(BIOREGISTRY.values())
    found = {
        row["prefix"]: re.compile(row["pattern"])
        for row in _rows(reference_dir / "bioregistry_prefixes.tsv")
        if row["prefix"] in wanted
    }
    assert set(found) == wanted
    return found


def test_index_identifiers_match_their_bioregistry_patterns(artefact, patterns) -> None:
    bad = []
    for row in artefact["E"]:
        for curie in [row[1], *row[4].split("|"), *row[5].split("|")]:
            if not curie:
                continue
            prefix, _, local = curie.partition(":")
            if not patterns[BIOREGISTRY[prefix]].fullmatch(local):
                bad.append(curie)
    assert bad == []


def _live_sources(reference: Path) -> dict[str, set[str]]:
    """Return the live ids of each source table, by CURIE prefix."""
    live: dict[str, set[str]] = defaultdict(set)
    for row in _rows(reference / "hgnc_genes.tsv"):
        if row["status"] == "Approved":
            live["HGNC"].add(row["hgnc_id"])
    for row in _rows(reference / "chebi.tsv.gz"):
        if row["obsolete"] == "false":
            live["CHEBI"].add(row["chebi_id"])
    for row in _rows(reference / "drugs.tsv"):
        live["DRUGBANK"].add(f"DRUGBANK:{row['drugbank_id']}")
    for name in ("mesh_descriptors.tsv", "mesh_supplementary.tsv.gz"):
        for row in _rows(reference / name):
            live["MESH"].add(f"MESH:{row['mesh_id']}")
            for taxon in filter(None, row.get("ncbi_taxon_id", "").split("|")):
                live["NCBITaxon"].add(f"NCBITaxon:{taxon}")
    for name, prefix, column in (
        ("uberon.tsv", "UBERON", "id"),
        ("cell_ontology.tsv", "CL", "id"),
        ("mondo.tsv", "MONDO", "mondo_id"),
    ):
        for row in _rows(reference / name):
            if row["obsolete"] == "false":
                live[prefix].add(row[column])
    live["FPLX"] = {row["fplx_id"] for row in _rows(reference / "famplex_entities.tsv")}
    return live


def test_every_index_and_curated_id_is_live_in_the_sources(artefact, reference_dir) -> None:
    live = _live_sources(reference_dir)
    index_ids = {row[1] for row in artefact["E"]}
    dead = sorted(i for i in index_ids if i not in live[i.partition(":")[0]])
    assert dead == []
    curated = [e for e in load_lexicon().entities.values() if e.kind != "process"]
    assert sorted(e.id for e in curated if e.id not in live[e.id.partition(":")[0]]) == []
    absent = sorted(e.id for e in curated if e.id not in index_ids)
    assert absent == sorted(NOT_IN_INDEX)


def _inputs_as_recorded(reference: Path, words: Path) -> bool:
    recorded = {}
    for line in _lines():
        if not line.startswith("#   "):
            if line and not line.startswith("#"):
                break
            continue
        name, digest = line[4:].split("\t")[:2]
        recorded[name] = digest
    actual = {name: generator.sha256(reference / name) for name in generator.SOURCES}
    actual["english-words"] = generator.sha256(words)
    return recorded == actual


def test_regenerating_the_index_gives_the_same_bytes(reference_dir, tmp_path) -> None:
    words = generator.DEFAULT_WORDS
    if not words.is_file():
        pytest.skip("no English word list (apt-get install wamerican)")
    if not _inputs_as_recorded(reference_dir, words):
        pytest.skip("the reference tables or the word list differ from the recorded inputs")
    out = tmp_path / "index.tsv.gz"
    generator.write_index(reference_dir, words, out)
    assert out.read_bytes() == ARTEFACT.read_bytes()
