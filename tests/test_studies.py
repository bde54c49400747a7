"""Study types and stated roles: every cue and rule on small strings, and the 163 titles by hand."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.entities import Form, load_lexicon
from ingest.ground import Finder, Mention, ground_review
from ingest.parse import parse_file
from ingest.resources import DEFAULT_SOURCE, source_path
from ingest.studies import (
    CUE_RULES,
    ROLE_KINDS,
    ROLES,
    STUDY_TYPES,
    StudyCue,
    classify_citation,
    classify_study,
    find_roles,
)
from ingest.tsv import read_tsv

DATA = Path(__file__).parent / "data"
EXPECTED_TYPES = DATA / "expected_study_types.tsv"
EXPECTED_ROLES = DATA / "expected_roles.tsv"


# ------------------------------------------------------------------------------ study types


def _types(title: str, journal: str = "J. Biol. Chem.") -> set[tuple[str, str, str]]:
    return {(c.study_type, c.cue, c.field) for c in classify_study(title, journal)}


def test_study_type_keys_are_the_documented_set() -> None:
    assert set(STUDY_TYPES) == {
        "clinical-trial", "animal-model", "cell-based", "human-tissue", "review", "methods"
    }  # fmt: skip
    assert all(definition.strip() for definition in STUDY_TYPES.values())


def test_every_cue_rule_names_a_type_a_field_and_a_reason() -> None:
    for rule in CUE_RULES:
        assert rule.study_type in STUDY_TYPES, rule
        assert rule.field in ("title", "journal"), rule
        assert len(rule.why) > 10, rule


@pytest.mark.parametrize(
    ("title", "cue"),
    [
        ("A randomized trial of X", "randomized"),
        ("a randomised comparison of X and Y", "randomised"),
        ("a placebo-controlled study", "placebo-controlled"),
        ("a placebo\u2013controlled study", "placebo\u2013controlled"),
        ("A phase I/II dose-escalation study of X", "phase I/II"),
        ("results of a phase II study", "phase II"),
        ("Phase III evaluation of X", "Phase III"),
        ("A pilot trial of X", "trial"),
    ],
)
def test_clinical_trial_cues(title: str, cue: str) -> None:
    assert ("clinical-trial", cue, "title") in _types(title)


@pytest.mark.parametrize(
    "title",
    [
        "Phase I trial design for solid tumor studies",  # the design of trials: methods
        "The design of clinical trials for new compounds",
        "Gefitinib: a review of clinical trials",  # plural: trials as a subject
        "Matrix metalloproteinase inhibitors and cancer: Trials and tribulations",
        "Activity of SU11248 in patients with metastatic renal cell carcinoma",  # a cohort
        "Phases of tumour growth",
    ],
)
def test_not_a_clinical_trial(title: str) -> None:
    assert "clinical-trial" not in {t for t, _, _ in _types(title)}


@pytest.mark.parametrize(
    ("title", "cue"),
    [
        ("growth of human breast cancer in the bone of nude mice", "nude mice"),
        ("prolong survival in mice", "mice"),
        ("inbred mouse strains", "mouse"),
        ("a murine fibrosarcoma", "murine"),
        ("metastasis in rats", "rats"),
        ("Treatment of canine hemangiosarcoma", "canine"),
        ("osteosarcoma in dogs", "dogs"),
        ("breast cancer xenografts", "xenografts"),
        ("an orthotopic gastric cancer model", "orthotopic"),
        ("pancreatic cancer growing orthotopically", "orthotopically"),
    ],
)
def test_animal_model_cues(title: str, cue: str) -> None:
    assert ("animal-model", cue, "title") in _types(title)


@pytest.mark.parametrize(
    "title",
    [
        "Modeling metastasis in vivo",  # in vivo may be a person
        "A relevant model of human invasive bladder cancer",  # "model" and "human"
        "Ramification of the mousetrap",  # whole words only
    ],
)
def test_not_an_animal_model(title: str) -> None:
    assert "animal-model" not in {t for t, _, _ in _types(title)}


@pytest.mark.parametrize(
    ("title", "cue"),
    [
        ("a human breast cancer cell line", "cell line"),
        ("cell growth arrest in tumor cell lines", "cell lines"),
        ("a human breast carcinoma cell lne reduces", "cell lne"),
        ("melanoma cells in vivo and in vitro", "in vitro"),
        ("lung metastasis of A549 lung carcinoma cells by X", "A549 lung carcinoma cells"),
        ("sensitivity of MCF\u20137 breast cancer cells", "MCF\u20137 breast cancer cells"),
        ("in MDA-MB-435 breast carcinoma cells", "MDA-MB-435 breast carcinoma cells"),
        ("of EpH4 betaMEKDD mammary epithelial cells", "EpH4 betaMEKDD mammary epithelial cells"),
        ("C8161 cells arrest in lung", "C8161 cells"),
    ],
)  # fmt: skip
def test_cell_based_cues(title: str, cue: str) -> None:
    assert ("cell-based", cue, "title") in _types(title)


@pytest.mark.parametrize(
    "title",
    [
        "Breast cancer cells induce osteoclast formation",  # cells without a named line
        "Prospective identification of tumorigenic breast cancer cells",
        "dormancy of AT6.1 prostate cancer micrometastases",  # a named line without cells
        "MDA-MB-435 breast cancer xenografts in nude mice",
        "Stem cells, cancer, and cancer stem cells",
    ],
)
def test_not_cell_based(title: str) -> None:
    assert "cell-based" not in {t for t, _, _ in _types(title)}


@pytest.mark.parametrize(
    ("title", "cue"),
    [
        ("survival in patients with recurrent melanoma", "patients"),
        ("metastases in women who receive trastuzumab", "women"),
        ("tumor progression in men with prostate cancer", "men"),
        ("an analysis of 1541 necropsies", "necropsies"),
        ("an autopsy series", "autopsy"),
        ("a prospective cohort", "cohort"),
        ("Prognostic significance of micrometastatic tumour cells", "Prognostic"),
        ("a predictive marker of metachronous liver metastases", "metachronous"),
        ("Molecular portraits of human breast tumours", "human breast tumours"),
        ("profiles of primary breast tumors maintained in metastases", "primary breast tumors"),
        ("a signature of metastasis in primary solid tumors", "primary solid tumors"),
        ("primary tumors and their metastases", "primary tumors"),
    ],
)
def test_human_tissue_cues(title: str, cue: str) -> None:
    assert ("human-tissue", cue, "title") in _types(title)


@pytest.mark.parametrize(
    "title",
    [
        "growth of human breast cancer in the bone",  # "human" alone
        "human melanoma cells",
        "reduces primary tumor growth",  # singular: growth measured, not samples
        "Mechanisms of disease",
        "the specimens of the menisci",  # whole words only
    ],
)
def test_not_human_tissue(title: str) -> None:
    assert "human-tissue" not in {t for t, _, _ in _types(title)}


@pytest.mark.parametrize(
    ("title", "journal", "cue", "field"),
    [
        ("Integrin signalling", "Nat. Rev. Mol. Cell Biol.", "Rev.", "journal"),
        ("Endothelial cell effects of cytotoxics", "Cancer Treat. Rev.", "Rev.", "journal"),
        ("In vivo phage display", "Curr. Opin. Chem. Biol.", "Opin.", "journal"),
        ("The tumor microenvironment", "Drug Resist. Updat.", "Updat.", "journal"),
        ("Chemokine biology in cancer", "Semin. Immunol.", "Semin.", "journal"),
        ("Focal adhesions", "Trends Cell Biol.", "Trends", "journal"),
        ("Tumour microenvironment - opinion: targets", "Nat. Rev. Cancer", "opinion", "title"),
        ("Gefitinib: a review of clinical trials", "Fundam. Clin. Pharmacol.", "review", "title"),
        ("An overview of dormancy", "Cancer", "overview", "title"),
        ("Mechanisms of disease. Bone", "N. Engl. J. Med.", "Mechanisms of disease.", "title"),
    ],
)  # fmt: skip
def test_review_cues(title: str, journal: str, cue: str, field: str) -> None:
    assert ("review", cue, field) in _types(title, journal)


@pytest.mark.parametrize(
    ("title", "journal"),
    [
        ("Estudio de metastasis", "Rev. Esp. Oncol."),  # a leading Rev. is Revista
        ("Neurotransmitters and chemokines regulate migration", "Curr. Pharm. Des."),
        ("Brain Metastases", "Neurol. Clin."),
        ("The mechanisms of disease progression", "Cancer"),  # not the series header
    ],
)
def test_not_a_review(title: str, journal: str) -> None:
    assert "review" not in {t for t, _, _ in _types(title, journal)}


def test_a_trial_title_outranks_a_review_journal() -> None:
    cues = classify_study("A phase I/II dose-escalation trial of bevacizumab", "Semin. Oncol.")
    assert [(c.study_type, c.cue) for c in cues] == [("clinical-trial", "phase I/II")]
    assert _types("A review of trials", "Semin. Oncol.") == {("review", "review", "title")}


@pytest.mark.parametrize(
    ("title", "cue"),
    [
        ("Technical considerations for studying metastasis", "Technical"),
        ("A novel method for imaging apoptosis", "method"),
        ("Imaging angiogenesis: applications", "Imaging"),
        ("Protease-activated quantum dot probes", "probes"),
        ("Characterization of a 67Ga/68Ga radiopharmaceutical", "radiopharmaceutical"),
        ("Modeling metastasis in vivo", "Modeling"),
        ("The design of clinical trials for new compounds", "design of clinical trials"),
        ("Phase I trial design for solid tumor studies", "Phase I trial design"),
    ],
)
def test_methods_cues(title: str, cue: str) -> None:
    assert ("methods", cue, "title") in _types(title)


def test_one_cue_per_type_the_first_in_the_title_then_the_journal() -> None:
    cues = classify_study("Mice, rats and women: an overview and a review", "Trends Mol. Med.")
    assert [(c.study_type, c.cue, c.field) for c in cues] == [
        ("animal-model", "Mice", "title"),
        ("human-tissue", "women", "title"),
        ("review", "overview", "title"),
    ]
    cues = classify_study("Survival of nude mice in men", "Trends Mol. Med.")
    assert [(c.study_type, c.cue, c.field, c.start) for c in cues] == [
        ("review", "Trends", "journal", 0),
        ("animal-model", "nude mice", "title", 12),
        ("human-tissue", "men", "title", 25),
    ]
    assert classify_study("nude mice and mice", "") == (
        StudyCue("animal-model", "nude mice", "title", 0, 9),
    )


def test_no_cue_is_unknown() -> None:
    assert classify_study("The pathogenesis of cancer metastasis", "Nature") == ()


def test_cue_offsets_quote_the_field() -> None:
    title, journal = "Trastuzumab in women: a review", "Nat. Rev. Cancer"
    for cue in classify_study(title, journal):
        text = title if cue.field == "title" else journal
        assert text[cue.start : cue.end] == cue.cue


# ---------------------------------------------------------------------------- roles, unit


def _roles(
    text: str,
    genes: tuple[str, ...] = (),
    families: tuple[str, ...] = (),
    drugs: tuple[str, ...] = (),
    others: tuple[str, ...] = (),
) -> set[tuple[str, str, str, str]]:
    """Return (entity, role, quote, cue) found in `text`; each form is its own entity id."""
    kinds = {
        **{g: "gene" for g in genes},
        **{f: "gene_family" for f in families},
        **{d: "drug" for d in drugs},
        **{o: "cell_type" for o in others},
    }
    forms = [Form(text=name, entity=name, case_sensitive=True, ambiguous=False) for name in kinds]
    mentions = Finder(forms).find(text)
    roles = find_roles(text, mentions, kinds)
    for role in roles:
        assert text[role.start : role.end] == role.quote
        assert role.cue in role.quote
    return {(r.entity, r.role, r.quote, r.cue) for r in roles}


def test_role_keys_are_a_small_documented_set() -> None:
    assert set(ROLES) == {
        "metastasis-suppressor", "metastasis-promoter", "metastasis-inhibitor", "growth-inhibitor"
    }  # fmt: skip
    assert ROLE_KINDS == {"gene", "gene_family", "drug"}


def test_s1_gene_before_metastasis_suppressor() -> None:
    nm23 = "Nm23\u2013H1"
    assert _roles(f"{nm23} metastasis suppressor phosphorylation of KSR", genes=(nm23, "KSR")) == {
        (nm23, "metastasis-suppressor", f"{nm23} metastasis suppressor", "metastasis suppressor")
    }  # fmt: skip


def test_s2_metastasis_suppressor_gene_before_the_gene() -> None:
    quote = "metastasis suppressor gene RhoGDI2"
    assert _roles(f"a target of the lung {quote}", genes=("RhoGDI2",)) == {
        ("RhoGDI2", "metastasis-suppressor", quote, "metastasis suppressor")
    }  # fmt: skip
    found = _roles("the metastasis suppressors KAI1 and KISS1", genes=("KAI1", "KISS1"))
    assert {(e, r) for e, r, _, _ in found} == {
        ("KAI1", "metastasis-suppressor"), ("KISS1", "metastasis-suppressor")
    }  # fmt: skip


def test_s3_gene_called_a_metastasis_suppressor() -> None:
    found = _roles("KISS1 is a metastasis suppressor", genes=("KISS1",))
    assert {(e, r) for e, r, _, _ in found} == {
        ("KISS1", "metastasis-suppressor")
    }  # fmt: skip


def test_a_gene_name_holding_the_cue_is_not_a_statement() -> None:
    text = "breast cancer metastasis suppressor 1 binds SIN3"
    assert _roles(text, genes=("breast cancer metastasis suppressor 1", "SIN3")) == set()


def test_p_subject_verb_with_a_list_of_subjects() -> None:
    quote = "PRL-3 and PRL-1 promote cell migration, invasion, and metastasis"
    assert _roles(quote, genes=("PRL-3", "PRL-1")) == {
        ("PRL-3", "metastasis-promoter", quote, "promote"),
        ("PRL-1", "metastasis-promoter", quote, "promote"),
    }


def test_p_gain_of_function_subjects() -> None:
    found = _roles(
        "Activation of stat3 in human melanoma promotes brain metastasis", genes=("stat3",)
    )
    assert {(e, r, c) for e, r, _, c in found} == {("stat3", "metastasis-promoter", "promotes")}
    found = _roles(
        "High expression of PRL-3 promotes liver metastasis in colorectal cancer", genes=("PRL-3",)
    )
    assert {q for _, _, q, _ in found} == {"High expression of PRL-3 promotes liver metastasis"}
    found = _roles(
        "VEGF expression promotes the growth of brain metastases in nude mice", genes=("VEGF",)
    )
    assert {q for _, _, q, _ in found} == {
        "VEGF expression promotes the growth of brain metastases"
    }
    found = _roles(
        "Expression of angiostatin cDNA in a murine fibrosarcoma suppresses primary tumor growth "
        "and produces long-term dormancy of metastases",
        drugs=("angiostatin",),
    )
    assert {(e, r) for e, r, _, _ in found} == {("angiostatin", "growth-inhibitor")}


def test_p_loss_of_function_subjects_take_no_role() -> None:
    assert (
        _roles(
            "P-selectin deficiency attenuates tumor growth and metastasis", genes=("P-selectin",)
        )
        == set()
    )
    assert (
        _roles("Inhibition of PDGFR signaling restricts tumor growth", families=("PDGFR",)) == set()
    )


def test_p_subject_must_open_its_clause() -> None:
    # The object of "binds" is not the subject of "promotes"; the subject is.
    found = _roles(
        "Prune cAMP phosphodiesterase binds nm23-H1 and promotes cancer metastasis",
        genes=("Prune", "nm23-H1"),
    )
    assert {(e, r, c) for e, r, _, c in found} == {("Prune", "metastasis-promoter", "promotes")}
    # A combination is not either drug.
    assert (
        _roles(
            "The lactone parthenolide in combination with docetaxel reduces metastasis",
            drugs=("parthenolide", "docetaxel"),
        )
        == set()
    )
    assert (
        _roles(
            "The association of CD9 with the alpha6beta4 integrin supports liver metastasis",
            genes=("CD9",),
            families=("alpha6beta4 integrin",),
        )
        == set()
    )
    assert _roles("Irradiation and paclitaxel reduce metastasis", drugs=("paclitaxel",)) == set()


def test_p_dash_joined_mention_is_a_modifier() -> None:
    assert _roles("Bcl-2-mediated cell survival promotes metastasis", genes=("Bcl-2",)) == set()
    assert _roles("ARF6-GTP promotes metastasis", genes=("ARF6",)) == set()


def test_p_coordinated_predicates() -> None:
    text = (
        "The HSP90 inhibitor, 17-AAG, enhances osteoclast formation and potentiates bone metastasis"
    )
    assert _roles(text, families=("HSP90",), drugs=("17-AAG",)) == {
        (
            "17-AAG",
            "metastasis-promoter",
            "17-AAG, enhances osteoclast formation and potentiates bone metastasis",
            "potentiates",
        )
    }
    text = "TGF beta signaling impairs Neu-induced tumorigenesis while promoting lung metastasis"
    assert {(e, r, c) for e, r, _, c in _roles(text, families=("TGF beta",), genes=("Neu",))} == {
        ("TGF beta", "growth-inhibitor", "impairs"),
        ("TGF beta", "metastasis-promoter", "promoting"),
    }


def test_p_object_ends_at_by_but_and_a_colon() -> None:
    text = "TGF-beta facilitates breast carcinoma metastasis by promoting tumor cell survival"
    assert {q for _, _, q, _ in _roles(text, families=("TGF-beta",))} == {
        "TGF-beta facilitates breast carcinoma metastasis"
    }
    assert _roles("X inhibits angiogenesis: a new route to metastasis", genes=("X",)) == set()
    assert _roles("X promotes survival but not metastasis", genes=("X",)) == set()


def test_p_targets_and_directions() -> None:
    assert _roles("ZD6474 inhibits tumor growth", drugs=("ZD6474",)) == {
        ("ZD6474", "growth-inhibitor", "ZD6474 inhibits tumor growth", "inhibits")
    }
    assert {
        r
        for _, r, _, _ in _roles(
            "X reduces primary tumor growth, metastatic potential and angiogenesis", genes=("X",)
        )
    } == {"growth-inhibitor", "metastasis-inhibitor"}
    # No growth promoter in the set; "growth arrest" and "growth factor" are not tumour growth.
    assert _roles("X promotes tumor growth", genes=("X",)) == set()
    assert _roles("X induces cell growth arrest in tumor cell lines", genes=("X",)) == set()
    assert _roles("X inhibits growth factor signalling", genes=("X",)) == set()
    assert _roles("X inhibits glycolytic flux", genes=("X",)) == set()
    # A target too far from its verb is not its object.
    assert _roles("X promotes a b c d e f g h i metastasis", genes=("X",)) == set()


def test_p_necessary_for_metastasis() -> None:
    found = _roles(
        "The membrane-cytoskeleton linker ezrin is necessary for osteosarcoma metastasis",
        genes=("ezrin",),
    )
    assert found == {
        (
            "ezrin",
            "metastasis-promoter",
            "ezrin is necessary for osteosarcoma metastasis",
            "is necessary for",
        )
    }
    found = _roles(
        "Expression of VEGF is necessary but not sufficient for growth of brain metastasis",
        genes=("VEGF",),
    )
    assert {c for _, _, _, c in found} == {"is necessary but not sufficient for"}


def test_only_genes_families_and_drugs_take_roles() -> None:
    assert _roles("Granulocytes mediate lung metastasis", others=("Granulocytes",)) == set()
    assert _roles("Macrophages promote metastasis", others=("Macrophages",)) == set()


def test_n1_inhibition_of_target_by_entities() -> None:
    text = "Inhibition of anchorage-independent growth and lung metastasis by IkappaBbeta"
    assert _roles(text, genes=("IkappaBbeta",)) == {
        ("IkappaBbeta", "metastasis-inhibitor", text, "Inhibition")
    }
    text = (
        "Suppression of metastatic colonization by the context-dependent activation of the"
        " JNK kinase kinases JNKK1/MKK4 and MKK7"
    )
    found = _roles(text, families=("JNK kinase kinases",), genes=("JNKK1", "MKK4", "MKK7"))
    assert {(e, r) for e, r, _, _ in found} == {
        ("JNKK1", "metastasis-inhibitor"),
        ("MKK4", "metastasis-inhibitor"),
        ("MKK7", "metastasis-inhibitor"),
    }
    # Not the gene but a form of it; no target; a dash-joined mention.
    assert (
        _roles(
            "Inhibition of lung colony formation by a soluble form of E-selectin",
            genes=("E-selectin",),
        )
        == set()
    )
    assert (
        _roles(
            "Inhibition of lung metastasis by a soluble form of E-selectin", genes=("E-selectin",)
        )
        == set()
    )
    assert _roles("Inhibition of apoptosis by X", genes=("X",)) == set()
    assert _roles("Inhibition of metastasis by X-derived peptides", genes=("X",)) == set()


def test_n2_metastasis_suppression_by_entity() -> None:
    text = "Metastasis suppression by breast cancer metastasis suppressor 1 involves signaling"
    assert _roles(text, genes=("breast cancer metastasis suppressor 1",)) == {
        ("breast cancer metastasis suppressor 1", "metastasis-inhibitor",
         "Metastasis suppression by breast cancer metastasis suppressor 1", "suppression")
    }  # fmt: skip


def test_n3_anti_metastatic_effect_of_entity() -> None:
    assert _roles("Antimetastatic effect of salvicine on xenografts", drugs=("salvicine",)) == {
        (
            "salvicine",
            "metastasis-inhibitor",
            "Antimetastatic effect of salvicine",
            "Antimetastatic",
        )
    }
    assert {
        e
        for e, _, _, _ in _roles(
            "Anti-metastatic properties of S137 and S247", drugs=("S137", "S247")
        )
    } == {"S137", "S247"}


def test_n4_class_nouns() -> None:
    text = "A screen identifies Bcl-xL as an enhancer of metastasis, but not primary tumor growth"
    assert _roles(text, genes=("Bcl-xL",)) == {
        ("Bcl-xL", "metastasis-promoter", "Bcl-xL as an enhancer of metastasis", "enhancer")
    }
    text = "Endostatin: an endogenous inhibitor of angiogenesis and tumor growth"
    assert _roles(text, drugs=("Endostatin",)) == {
        ("Endostatin", "growth-inhibitor", text, "inhibitor")
    }
    # An inhibitor of a receptor is a target relation, not a role.
    assert _roles("X, a multitargeted inhibitor of growth factor receptors", drugs=("X",)) == set()


def test_n5_apposition_with_a_relative_clause() -> None:
    text = "Metadherin, a cell surface protein in breast tumors that mediates lung metastasis"
    assert _roles(text, genes=("Metadherin",)) == {
        ("Metadherin", "metastasis-promoter", text, "mediates")
    }
    assert (
        _roles(
            "Tumor cells secrete a VPF that promotes accumulation of ascites fluid", genes=("VPF",)
        )
        == set()
    )


WORDS = [
    "X", "Y", "F", "promotes", "inhibits", "metastasis", "tumor", "growth", "of", "by", "and",
    "Inhibition", "expression", "in", "the", "a", "metastasis suppressor", "is", "necessary",
    "for", ",", ":", "-", "cells", "that", "as", "an", "enhancer", "while", "promoting",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=14))
def test_roles_always_quote_their_offsets_and_cover_a_mention(words: list[str]) -> None:
    text = " ".join(words)
    kinds = {"X": "gene", "Y": "drug", "F": "gene_family"}
    forms = [Form(text=n, entity=n, case_sensitive=True, ambiguous=False) for n in kinds]
    mentions = Finder(forms).find(text)
    for role in find_roles(text, mentions, kinds):
        assert text[role.start : role.end] == role.quote
        assert role.role in ROLES and role.cue in role.quote
        assert any(
            m.entity == role.entity and role.start <= m.start and m.end <= role.end
            for m in mentions
        )


def test_find_roles_refuses_mentions_that_do_not_fit() -> None:
    with pytest.raises(ValueError, match="not at"):
        find_roles("X promotes metastasis", [Mention("X", 1, 2, "X", "X")], {"X": "gene"})
    with pytest.raises(ValueError, match="no kind"):
        find_roles("X promotes metastasis", [Mention("X", 0, 1, "X", "X")], {})


# ---------------------------------------------------------------- the review, checked by hand

REVIEW = parse_file(source_path(DEFAULT_SOURCE))
LEXICON = load_lexicon()
KINDS = {entity.id: entity.kind for entity in LEXICON.entities.values()}
PASSAGES = {p.label: p for p in ground_review(REVIEW, Finder(LEXICON.forms))}
REFERENCES = {f"ref-{r.number}": r for r in REVIEW.references}


def _check_layout(path: Path, columns: list[str]) -> list[dict[str, str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    body = [line for line in lines if not line.startswith("#")]
    assert lines[0].startswith("#") and body[0].split("\t") == columns
    rows = read_tsv(path)
    keys = [row[columns[0]] for row in rows]
    assert keys == sorted(keys), f"{path.name}: rows are not sorted by {columns[0]}"
    return rows


def test_expected_study_types_cover_every_reference() -> None:
    rows = _check_layout(EXPECTED_TYPES, ["source", "study_type", "cue", "field"])
    assert {row["source"] for row in rows} == set(REFERENCES) and len(REFERENCES) == 163
    for row in rows:
        assert row["study_type"] in {*STUDY_TYPES, "unknown"}, row
        if row["study_type"] == "unknown":
            assert row["cue"] == row["field"] == "", row
            assert [r for r in rows if r["source"] == row["source"]] == [row], row


def test_study_types_of_the_163_papers_match_the_hand_reading() -> None:
    expected = {
        (row["source"], row["study_type"], row["cue"], row["field"])
        for row in read_tsv(EXPECTED_TYPES)
    }
    found = set()
    for source, reference in REFERENCES.items():
        cues = classify_citation(reference.citation)
        found |= {(source, c.study_type, c.cue, c.field) for c in cues}
        if not cues:
            found.add((source, "unknown", "", ""))
        for cue in cues:
            text = reference.citation.title if cue.field == "title" else reference.citation.journal
            assert text[cue.start : cue.end] == cue.cue, (source, cue)
    assert found == expected, (
        f"missing {sorted(expected - found)}\nextra {sorted(found - expected)}"
    )


def test_roles_of_the_163_titles_match_the_hand_reading() -> None:
    rows = _check_layout(EXPECTED_ROLES, ["source", "entity", "role", "quote"])
    expected = {(row["source"], row["entity"], row["role"], row["quote"]) for row in rows}
    found = set()
    for source in REFERENCES:
        passage = PASSAGES[source]
        for role in find_roles(passage.text, passage.mentions, KINDS):
            assert passage.text[role.start : role.end] == role.quote, (source, role)
            assert role.cue in role.quote and role.role in ROLES, (source, role)
            assert KINDS[role.entity] in ROLE_KINDS, (source, role)
            mention = [m for m in passage.mentions if m.entity == role.entity]
            assert any(role.start <= m.start and m.end <= role.end for m in mention), role
            found.add((source, role.entity, role.role, role.quote))
    assert found == expected, (
        f"missing {sorted(expected - found)}\nextra {sorted(found - expected)}"
    )


def test_expected_roles_name_lexicon_entities_and_roles() -> None:
    for row in read_tsv(EXPECTED_ROLES):
        assert row["role"] in ROLES, row
        assert KINDS.get(row["entity"]) in ROLE_KINDS, row
        assert row["quote"] in PASSAGES[row["source"]].text, row


def test_the_review_title_abstract_and_figures_state_no_role() -> None:
    for label in ("review-title", "abstract", "figure-1", "figure-2", "figure-3", "figure-4"):
        passage = PASSAGES[label]
        assert find_roles(passage.text, passage.mentions, KINDS) == (), label
