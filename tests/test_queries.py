"""The named queries: each answers its question on the real build as the review's text says.

Every expectation below was written down by reading the review page (the titles of the cited
papers), not by running the query: rows that must be present, and rows that must not.
"""

import hashlib
import re
from pathlib import Path

import pytest

from ingest.resources import DEFAULT_SOURCE, data_path, source_path
from server.engine import Engine
from server.parameters import (
    ParameterError,
    apply_parameters,
    check_names,
    graph_labels,
    name_parameters,
    parameters,
    term,
)

QUERIES = data_path("queries")
FILES = sorted(p.name for p in QUERIES.glob("*.rq"))
# Queries about what only a review's full text holds (citing sentences) say so in a comment; they
# answer on a build of a JATS review with body text, not on the seed's publisher page.
FULL_TEXT_QUERY = re.compile(r"^# full text:", re.MULTILINE)
FULL_TEXT = {n for n in FILES if FULL_TEXT_QUERY.search((QUERIES / n).read_text(encoding="utf-8"))}


@pytest.fixture(scope="module", params=("oxigraph", "sparql"))
def engine(request: pytest.FixtureRequest) -> str:
    """The engine the queries run on: the embedded store, or Virtuoso filled by `mkg load` (the
    engine of `mkg serve --engine URL`, and of `--engine virtuoso`): they answer the same."""
    return str(request.param)


@pytest.fixture(scope="module")
def store(engine: str, request: pytest.FixtureRequest) -> Engine:
    """The seed build on the engine."""
    return request.getfixturevalue(f"seed_{engine}")


@pytest.fixture(scope="module")
def contexts(engine: str, request: pytest.FixtureRequest) -> Engine:
    """The build of a JATS review with body text (tests/data/contexts/) on the engine."""
    return request.getfixturevalue(f"contexts_{engine}")


def built_for(name: str, engine: str, request: pytest.FixtureRequest) -> Engine:
    """The build a named query is meant for: the full-text build or the seed, on the engine."""
    return request.getfixturevalue(f"{'contexts' if name in FULL_TEXT else 'seed'}_{engine}")


def run(store: Engine, query_file: str, **params: str) -> list[dict[str, str | None]]:
    text = apply_parameters((QUERIES / query_file).read_text(encoding="utf-8"), params)
    results = store.select(text)
    names = results.variables
    return [{n: (row[n].value if row[n] is not None else None) for n in names} for row in results]


def column(rows: list[dict[str, str | None]], name: str) -> list[str | None]:
    return [row[name] for row in rows]


def test_there_are_at_least_15_named_queries() -> None:
    assert len(FILES) >= 15


@pytest.mark.parametrize("name", FILES)
def test_query_file_is_named_and_asks_its_question(name: str) -> None:
    text = (QUERIES / name).read_text(encoding="utf-8")
    assert re.fullmatch(r"\d\d-[a-z0-9-]+\.rq", name)
    first, second = text.splitlines()[:2]
    assert first.startswith("# ") and first.endswith("?"), first
    assert second.startswith("# keywords: "), second


@pytest.mark.parametrize("name", FILES)
def test_query_runs_as_written(engine: str, name: str, request: pytest.FixtureRequest) -> None:
    assert run(built_for(name, engine, request), name), f"{name} returned no rows"


def test_full_text_queries_are_marked() -> None:
    assert "18-what-the-review-says-about-a-gene.rq" in FULL_TEXT
    assert "17-papers-mentioning-an-entity.rq" not in FULL_TEXT


def test_01_most_cited_journal_is_cancer_research(store: Engine) -> None:
    rows = run(store, "01-most-cited-journals.rq")
    assert rows[0] == {
        "journal": "Cancer Res.",
        "title": "Cancer research",
        "nlm_id": "2984705R",
        "papers": "15",
    }
    # Nature Medicine is printed "Nat. Med." in the references and "Nat Med" in the citation.
    assert "Nat. Med." in column(rows, "journal") and "Nat Med" not in column(rows, "journal")


def test_02_papers_per_year(store: Engine) -> None:
    rows = {row["year"]: row["papers"] for row in run(store, "02-papers-per-year.rq")}
    assert rows["1889"] == "1"  # Paget's seed and soil
    assert rows["1971"] == "1"  # Folkman's tumor angiogenesis
    assert min(rows, key=int) == "1889"
    assert max(rows, key=int) == "2006"


def test_03_paper_details_in_printed_order(store: Engine) -> None:
    rows = run(store, "03-paper-details.rq", reference="140")
    assert column(rows, "author") == [
        "Wang, Z.",
        "Goulet, R., III",
        "Stanton, K.J.",
        "Sadaria, M.",
        "Nakshatri, H.",
    ]
    assert {row["journal"] for row in rows} == {"Anticancer Res."}
    assert {row["year"] for row in rows} == {"2005"}


def test_04_organotropism(store: Engine) -> None:
    rows = run(store, "04-organotropism.rq")
    pairs: dict[tuple, list[str]] = {}
    for row in rows:
        pairs.setdefault((row["cancer"], row["site"]), []).append(row["reference"])
    bone = pairs[("breast cancer", "bone element")]
    assert bone == ["55", "57", "58", "60", "64"]  # one row each, in reference order
    assert {row["papers"] for row in rows if row["site"] == "bone element"} >= {"5"}
    assert ("breast cancer", "lung") in pairs  # ref 91, "Genes that mediate breast cancer ..."
    assert ("cervical carcinoma", "lymph node") in pairs  # ref 151
    # "breast cancer" is one mention, not also the organ: no breast-cancer-in-the-breast row.
    assert ("breast cancer", "mammary gland") not in pairs


def test_05_genes_at_a_site(store: Engine) -> None:
    bone = set(column(run(store, "05-genes-at-a-site.rq"), "gene"))
    assert bone == {"TNFSF11", "PDGFR", "HSP90"}  # refs 64, 58, 60
    lung = set(column(run(store, "05-genes-at-a-site.rq", site="lung"), "gene"))
    assert {"MTDH", "ARHGDIB", "NFKBIB", "SELE", "PTP4A3", "FASLG", "TGFB"} <= lung
    assert "VEGFA" not in lung
    brain = set(column(run(store, "05-genes-at-a-site.rq", site="cerebral"), "gene"))
    assert {"VEGFA", "STAT3"} <= brain  # refs 89, 90; 88


def test_06_drugs_for_bone_genes(store: Engine) -> None:
    rows = run(store, "06-drugs-for-site-genes.rq")
    found = {(row["gene"], row["drug"], row["target"]) for row in rows}
    assert ("TNFSF11", "denosumab", "TNFSF11") in found
    assert ("HSP90", "tanespimycin", "HSP90AA1") in found
    assert ("PDGFR", "sorafenib", "PDGFRB") in found
    assert "bevacizumab" not in column(rows, "drug")  # VEGF-A is not tied to bone in the titles
    sources = {row["drug"]: row["target_source"] for row in rows}
    assert sources["denosumab"] == "http://identifiers.org/drugbank/DB06643"


def test_07_drug_identities_and_cancers(store: Engine) -> None:
    found = run(store, "07-drugs-identity-and-cancers.rq")
    rows = {row["drug"]: row for row in found}
    cancers: dict[str, set] = {}
    for row in found:
        cancers.setdefault(row["drug"], set()).add(row["cancer"])
    bevacizumab = rows["bevacizumab"]
    assert bevacizumab["identifier"] == "DRUGBANK:DB00112"
    assert cancers["bevacizumab"] >= {
        "colorectal cancer",
        "breast cancer",
        "kidney cancer",
    }
    assert rows["paclitaxel"]["chebi"] == "http://purl.obolibrary.org/obo/CHEBI_45863"
    assert "http://identifiers.org/chembl.compound/CHEMBL428647" in rows["paclitaxel"]["chembl"]
    assert cancers["melphalan"] == {None}  # ref 139 names no cancer


def test_08_cascade_steps_per_gene(store: Engine) -> None:
    rows = run(store, "08-cascade-steps-per-gene.rq")
    assert {row["process"] for row in rows if row["gene"] == "EGFR"} == {
        "intravasation",
        "cell motility",
    }
    assert "metastasis" not in {row["process"] for row in rows}


def test_10_genes_shared_by_lung_and_liver(store: Engine) -> None:
    rows = run(store, "10-genes-shared-by-two-sites.rq")
    assert column(rows, "gene") == ["PTP4A3"]  # ref 79: "liver and lung metastases"


def test_11_cell_types_per_site(store: Engine) -> None:
    rows = {(row["site"], row["cell_type"]): row for row in run(store, "11-cell-types-per-site.rq")}
    assert ("bone element", "osteoblast") in rows  # ref 52
    assert ("lung", "granulocyte") in rows  # ref 102
    assert ("liver", "fibroblast") in rows  # ref 68
    assert ("brain", "osteoclast") not in rows


def test_12_single_paper_associations_quote_their_words(store: Engine) -> None:
    rows = run(store, "12-single-paper-associations.rq")
    quotes = {(row["association"], row["subject_quote"], row["object_quote"]) for row in rows}
    assert ("denosumab \u2013 plasma cell myeloma", "denosumab", "multiple myeloma") in quotes
    assert ("MTDH \u2013 lung", "Metadherin", "lung") in quotes
    # VEGF-A and brain are tied by two papers (refs 89 and 90): not a single-paper association.
    assert "VEGFA \u2013 brain" not in column(rows, "association")


def test_13_identifier_crosswalk(store: Engine) -> None:
    rows = run(store, "13-identifier-crosswalk.rq")
    assert set(column(rows, "match")) == {
        "http://identifiers.org/hgnc/12680",
        "http://identifiers.org/ncbigene/7422",
        "http://purl.uniprot.org/uniprot/P15692",
    }
    drug = run(store, "13-identifier-crosswalk.rq", name="Taxol")
    assert "http://identifiers.org/drugbank/DB01229" in column(drug, "match")


def test_14_graph_provenance(store: Engine) -> None:
    [row] = run(store, "14-graph-provenance.rq")
    assert row["source_file"] == DEFAULT_SOURCE
    assert row["sha256"] == hashlib.sha256(source_path(DEFAULT_SOURCE).read_bytes()).hexdigest()
    assert row["software"] == "0.1.0"
    assert row["licence"] == "https://creativecommons.org/licenses/by/4.0/"
    assert row["built"] is not None


def test_16_associations_of_every_kind(store: Engine) -> None:
    kinds = set(column(run(store, "16-associations-by-kind.rq"), "kind"))
    assert kinds == {
        "gene-site association",
        "gene-cancer association",
        "gene-process association",
        "drug-cancer association",
        "drug-site association",
        "drug-gene association",
    }


def test_17_papers_mentioning_nm23_h1(store: Engine) -> None:
    rows = run(store, "17-papers-mentioning-an-entity.rq")
    assert column(rows, "reference") == ["112", "114", "116", "117", "118"]
    assert set(column(rows, "quote")) == {"Nm23\u2013H1", "nm23-H1"}
    # ref 115 names nm23-H2, another gene (NME2)
    assert "115" not in column(rows, "reference")


def test_17_finds_papers_by_a_synonym_the_vocabulary_gives(store: Engine) -> None:
    """Issue "the first hour of a new user", item 3: HGNC's alias RANKL names TNFSF11, which
    ref 64 prints as 'receptor activator of nuclear factor-kappaB ligand'."""
    rows = run(store, "17-papers-mentioning-an-entity.rq", name="RANKL")
    assert column(rows, "reference") == ["64"]
    assert run(store, "17-papers-mentioning-an-entity.rq", name="OPGL") == rows
    # A hidden label (TRANCE, an alias that is an English word) does not pick the gene.
    assert run(store, "17-papers-mentioning-an-entity.rq", name="TRANCE") == []


def test_18_what_the_review_says_about_nme1(contexts: Engine) -> None:
    """Each sentence of the JATS review that names NME1, with each paper it cites there."""
    rows = run(contexts, "18-what-the-review-says-about-a-gene.rq")
    assert [(row["sentence"], row["reference"]) for row in rows] == [
        ("1", "1"),
        ("2", "1"),
        ("2", "2"),
    ]
    assert rows[0]["text"].startswith("NME1 was the first metastasis suppressor gene")
    assert rows[0]["section"] == "Metastasis suppressors"
    assert (
        rows[0]["title"]
        == "Evidence for a novel gene associated with low tumor metastatic potential"
    )
    assert rows[2]["doi"] == "10.5555/mkg-ctx-2"  # Kang et al. 2003, lower case
    assert {row["gene"] for row in rows} == {"NME1"}


def test_18_names_a_gene_by_a_synonym(contexts: Engine) -> None:
    # The sentence prints "RANKL" (an HGNC alias of TNFSF11) and cites ref 6 (Body et al.).
    rows = run(contexts, "18-what-the-review-says-about-a-gene.rq", gene="RANKL")
    assert [(row["gene"], row["sentence"], row["reference"]) for row in rows] == [
        ("TNFSF11", "7", "6")
    ]
    assert run(contexts, "18-what-the-review-says-about-a-gene.rq", gene="tnfsf11") == rows
    # The range "2–4" cites 3 too; "Metadherin" (sentence 5) is MTDH's name.
    mtdh = run(contexts, "18-what-the-review-says-about-a-gene.rq", gene="MTDH")
    assert [(row["sentence"], row["reference"]) for row in mtdh] == [("5", "3")]
    # A drug is no gene: the query does not answer for bevacizumab.
    assert run(contexts, "18-what-the-review-says-about-a-gene.rq", gene="bevacizumab") == []


def test_18_answers_nothing_on_a_publisher_page(store: Engine) -> None:
    # The seed's page has no body text: NME1 is named in titles, in no citing sentence.
    assert run(store, "18-what-the-review-says-about-a-gene.rq") == []


# ---------------------------------------------------------------- parameters


def test_parameters_are_listed_with_defaults() -> None:
    text = (QUERIES / "10-genes-shared-by-two-sites.rq").read_text(encoding="utf-8")
    assert parameters(text) == {"first_name": '"lung"', "second_name": '"liver"'}


def test_parameter_values_cannot_change_the_query() -> None:
    text = (QUERIES / "05-genes-at-a-site.rq").read_text(encoding="utf-8")
    hostile = 'bone" } ?s ?p ?o . FILTER (true'
    replaced = apply_parameters(text, {"site": hostile})
    assert 'VALUES ?site_name { "bone\\" } ?s ?p ?o . FILTER (true" }' in replaced
    assert term("<http://example.org/x>") == "<http://example.org/x>"
    with pytest.raises(ParameterError):
        term("<http://example.org/x> } {")


def test_unknown_parameter_is_refused() -> None:
    text = (QUERIES / "05-genes-at-a-site.rq").read_text(encoding="utf-8")
    with pytest.raises(ParameterError, match="has no parameter 'organ' \\(it has: site\\)"):
        apply_parameters(text, {"organ": "bone"})


def test_queries_travel_with_the_package() -> None:
    assert Path(QUERIES).is_dir()


def test_every_query_is_published_as_an_example(store: Engine) -> None:
    results = store.select(
        """PREFIX sh: <http://www.w3.org/ns/shacl#>
           PREFIX schema: <https://schema.org/>
           PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
           SELECT ?example ?question ?text ?target WHERE {
             GRAPH <https://w3id.org/mkg/graph/examples> {
               ?example a sh:SPARQLSelectExecutable , sh:SPARQLExecutable ;
                        rdfs:comment ?question ; sh:select ?text ; schema:target ?target } }""",
    )
    published = {row["example"].value: row for row in results}
    assert len(published) == len(FILES)
    for name in FILES:
        row = published[f"https://w3id.org/mkg/query/{name.removesuffix('.rq')}"]
        text = (QUERIES / name).read_text(encoding="utf-8")
        assert row["text"].value == text
        assert row["question"].value == text.splitlines()[0].removeprefix("# ")
        assert row["target"].value == "https://w3id.org/mkg/sparql"


def test_09_suppressors_and_promoters(store: Engine) -> None:
    rows = run(store, "09-suppressors-and-promoters.rq")
    found = {(row["role"], row["entity"], row["reference"]) for row in rows}
    for reference in ("112", "117", "118"):  # "Nm23–H1 metastasis suppressor"
        assert ("metastasis suppressor", "NME1", reference) in found
    assert ("metastasis suppressor", "NME2", "115") in found  # "the metastasis suppressor nm23–H2"
    assert ("metastasis suppressor", "ARHGDIB", "119") in found  # "... suppressor gene RhoGDI2"
    assert ("metastasis promoter", "PTP4A3", "78") in found  # "PRL-3 and PRL-1 promote ..."
    assert ("metastasis promoter", "PTP4A1", "78") in found
    assert ("metastasis promoter", "PRUNE1", "116") in found  # Prune "promotes cancer metastasis"
    # In ref 116 nm23-H1 is what Prune binds, not what promotes; in ref 95 Bcl-2 only qualifies
    # "cell survival", which is what promotes metastasis.
    assert ("metastasis promoter", "NME1", "116") not in found
    assert "BCL2" not in {row["entity"] for row in rows}
    nme1 = next(row for row in rows if row["entity"] == "NME1")
    assert nme1["identifier"] == "HGNC:7849"
    assert nme1["uniprot"] == "http://purl.uniprot.org/uniprot/P15531"


def test_15_papers_per_study_type(store: Engine) -> None:
    rows = {row["study_type"]: row for row in run(store, "15-papers-per-study-type.rq")}
    # Refs 40, 41, 63 and 75 print "randomized" or "phase I/II"/"phase II" in their titles.
    assert rows["clinical trial"]["papers"] == "4"
    assert {"animal model study", "review or opinion", "unknown study type"} <= rows.keys()
    assert sum(int(row["papers"]) for row in rows.values()) >= 163
    trial = run(store, "03-paper-details.rq", reference="42")
    assert {row["study_types"] for row in trial} == {"unknown study type"}  # no printed cue


# ---------------------------------------------------------------- duplicate rows

# A name matches labels and synonyms ignoring case, so a name that an entity carries in two
# cases ("matrix metalloproteinase", "Matrix metalloproteinase") joins the entity twice.
CASE_VARIANT_NAMES = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT (LCASE(STR(?a)) AS ?name) WHERE {
  ?entity rdfs:label|skos:altLabel ?a , ?b .
  FILTER (?a != ?b && LCASE(STR(?a)) = LCASE(STR(?b)))
} ORDER BY ?name"""
# A query may return duplicate rows only if a comment in it says why ("duplicate rows: ...").
DUPLICATES_EXPLAINED = re.compile(r"^#.*\bduplicate rows\b", re.IGNORECASE | re.MULTILINE)


def _runs(store: Engine, text: str) -> list[dict[str, str]]:
    """The parameter values to try: the defaults, then each case-variant name per name parameter."""
    variants = store.select(CASE_VARIANT_NAMES)
    names = [row["name"].value for row in variants]
    assert names, "the seed build has no entity named in two cases any more"
    runs: list[dict[str, str]] = [{}]
    for variable in parameters(text):
        if variable == "name" or variable.endswith("_name"):
            runs += [{variable.removesuffix("_name"): name} for name in names]
    return runs


@pytest.mark.parametrize("name", FILES)
def test_query_returns_no_duplicate_rows(
    store: Engine, engine: str, name: str, request: pytest.FixtureRequest
) -> None:
    """Regression, issue "the first hour of a new user", item 1: query 17 with
    `--param "name=matrix metalloproteinase"` returned 8 rows for 4 papers."""
    text = (QUERIES / name).read_text(encoding="utf-8")
    if DUPLICATES_EXPLAINED.search(text):
        return
    built = built_for(name, engine, request)
    for values in _runs(store, text):
        results = built.select(apply_parameters(text, values))
        rows = [tuple(map(str, row)) for row in results]
        repeated = {row for row in rows if rows.count(row) > 1}
        assert not repeated, f"{name} {values or 'as written'} repeats {sorted(repeated)[:3]}"


def test_17_matrix_metalloproteinase_once_per_paper_and_quote(store: Engine) -> None:
    rows = run(store, "17-papers-mentioning-an-entity.rq", name="matrix metalloproteinase")
    assert column(rows, "reference") == ["9", "10", "59", "145"]


# ---------------------------------------------------------------- names that name nothing


def test_name_parameters_are_those_of_name_variables() -> None:
    text05 = (QUERIES / "05-genes-at-a-site.rq").read_text(encoding="utf-8")
    text03 = (QUERIES / "03-paper-details.rq").read_text(encoding="utf-8")
    text13 = (QUERIES / "13-identifier-crosswalk.rq").read_text(encoding="utf-8")
    assert name_parameters(text05, {"site": "bones"}) == {"site": "bones"}
    assert name_parameters(text13, {"name": "VEGF"}) == {"name": "VEGF"}
    assert name_parameters(text03, {"reference": "4"}) == {}
    assert name_parameters(text13, {"name": "<https://w3id.org/mkg/gene/HGNC_1100>"}) == {}


def test_check_names_suggests_the_nearest_labels(store: Engine) -> None:
    text = (QUERIES / "17-papers-mentioning-an-entity.rq").read_text(encoding="utf-8")
    labels = graph_labels(store)
    check_names(text, {"name": "Matrix Metalloproteinase"}, labels)
    with pytest.raises(ParameterError) as refused:
        check_names(text, {"name": "matrix metaloproteinase"}, labels)
    assert str(refused.value) == (
        "no entity in the graph is named 'matrix metaloproteinase' "
        "(name=matrix metaloproteinase); the nearest names are 'Matrix metalloproteinase', "
        "'Matrix metalloproteinases'"
    )


def test_labels_of_properties_are_no_names(store: Engine) -> None:
    labels = {label.lower() for label in graph_labels(store)}
    assert "bone" in labels
    assert "creator" not in labels  # dcterms:creator's label in the ontology


# ---------------------------------------------------------------- the same answers on every engine

# SPARQL leaves the order of GROUP_CONCAT and the choice of SAMPLE to the engine: Virtuoso and
# Oxigraph answered five named queries differently with them.
UNDEFINED_CHOICES = re.compile(r"\b(GROUP_CONCAT|SAMPLE)\s*\(", re.IGNORECASE)


@pytest.mark.parametrize("name", FILES)
def test_no_named_query_leaves_a_choice_to_the_engine(name: str) -> None:
    text = (QUERIES / name).read_text(encoding="utf-8")
    lines = [line.split("#", 1)[0] for line in text.splitlines()]
    assert not UNDEFINED_CHOICES.search("\n".join(lines)), f"{name} uses GROUP_CONCAT or SAMPLE"
