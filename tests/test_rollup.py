"""The roll-up of the pictures' rows and columns along the graph's skos:broader hierarchy.

Cancers and sites join the organ-level term nearest to them on their chain of parents
(server/rollup.py); the chains come from the graph (the build writes them from the shipped
vocabulary), and the levels are MONDO and UBERON ids checked against the reference tables.
"""

import csv
from pathlib import Path

import pytest

from ingest.namespaces import entity_iri
from ingest.vocabulary import load_vocabulary
from server import rollup

PATHS = {"MONDO": "disease", "UBERON": "anatomy", "CL": "cell"}
BASE = "https://w3id.org/mkg/"


def iri(curie: str) -> str:
    return str(entity_iri(PATHS[curie.partition(":")[0]], curie))


@pytest.fixture(scope="module")
def vocabulary(tmp_path_factory: pytest.TempPathFactory):
    return load_vocabulary(cache_dir=tmp_path_factory.mktemp("vocabulary-cache"))


def chains(vocabulary, *curies: str) -> rollup.Hierarchy:
    """Return the hierarchy the build writes for terms named `curies`: every chain up to its top."""
    links, frontier, seen = [], list(curies), set(curies)
    while frontier:
        term = vocabulary.entity(frontier.pop())
        for parent in term.parents:
            links.append((iri(term.id), iri(parent), vocabulary.entity(parent).label))
            if parent not in seen:
                seen.add(parent)
                frontier.append(parent)
    return rollup.Hierarchy.from_links(links)


@pytest.mark.parametrize(
    ("curie", "label", "group"),
    [
        ("MONDO:0007254", "breast cancer", "breast cancer"),
        ("MONDO:0004989", "breast carcinoma", "breast cancer"),
        ("MONDO:0004988", "breast adenocarcinoma", "breast cancer"),
        ("MONDO:0021100", "breast neoplasm", "breast cancer"),
        ("MONDO:0021063", "malignant colon neoplasm", "colorectal cancer"),
        ("MONDO:0002032", "colon carcinoma", "colorectal cancer"),
        ("MONDO:0005008", "colorectal adenocarcinoma", "colorectal cancer"),
        ("MONDO:0005233", "non-small cell lung carcinoma", "lung cancer"),
        ("MONDO:0005086", "renal cell carcinoma", "kidney cancer"),
        ("MONDO:0005611", "bladder transitional cell carcinoma", "urinary bladder cancer"),
        ("MONDO:0005140", "ovarian carcinoma", "ovarian cancer"),
        ("MONDO:0004992", "cancer", rollup.UNNAMED),
        ("MONDO:0005070", "neoplasm", rollup.UNNAMED),
        ("MONDO:0005105", "melanoma", None),
        ("MONDO:0005096", "squamous cell carcinoma", None),
        ("MONDO:0009693", "plasma cell myeloma", None),
        ("MONDO:0009807", "osteosarcoma", None),
    ],
)
def test_cancers_join_the_organ_cancer_nearest_on_their_mondo_chain(
    vocabulary, curie, label, group
) -> None:
    found = chains(vocabulary, curie).cancer_key(iri(curie), label)
    assert (found[1] if found else None) == group


@pytest.mark.parametrize(
    ("curie", "label", "group"),
    [
        ("UBERON:0000955", "brain", "central nervous system"),
        ("UBERON:0000391", "leptomeninx", "central nervous system"),
        ("UBERON:0002371", "bone marrow", "bone element"),
        ("UBERON:0002481", "bone tissue", "bone element"),
        ("UBERON:0002048", "lung", "lung"),
        ("UBERON:0000178", "blood", None),
        ("UBERON:0001986", "endothelium", None),
    ],
)
def test_sites_join_the_organ_level_site_they_are_in(vocabulary, curie, label, group) -> None:
    found = chains(vocabulary, curie).site_key(iri(curie), label)
    assert (found[1] if found else None) == group


def test_the_nearest_level_wins_and_ties_go_to_the_first_listed() -> None:
    # a -> b -> c (a level), a -> d (a level): d is nearer; e -> f, g (both levels, as near).
    hierarchy = rollup.Hierarchy.from_links(
        [
            (BASE + "x/A_1", BASE + "x/A_2", "b"),
            (BASE + "x/A_2", BASE + "x/A_3", "c"),
            (BASE + "x/A_1", BASE + "x/A_4", "d"),
            (BASE + "x/A_5", BASE + "x/A_6", "f"),
            (BASE + "x/A_5", BASE + "x/A_7", "g"),
        ]
    )
    levels = {"A:7": "A:7", "A:3": "A:3", "A:4": "A:4", "A:6": "A:6"}
    assert hierarchy.level(BASE + "x/A_1", levels) == BASE + "x/A_4"
    assert hierarchy.level(BASE + "x/A_5", levels) == BASE + "x/A_7"
    assert hierarchy.level(BASE + "x/A_3", levels) == BASE + "x/A_3"  # a level is its own
    assert hierarchy.level(BASE + "x/A_9", levels) is None


def test_roll_up_keeps_single_terms_and_labels_groups(vocabulary) -> None:
    named = {
        "MONDO:0004989": "breast carcinoma",
        "MONDO:0007254": "breast cancer",
        "MONDO:0005105": "melanoma",
        "MONDO:0004992": "cancer",
        "MONDO:0005138": "lung carcinoma",
    }
    hierarchy = chains(vocabulary, *named)
    labels = {iri(curie): label for curie, label in named.items()}
    weights = dict(zip(labels, (8, 26, 6, 14, 1), strict=True))
    groups = rollup.roll_up(labels, weights, hierarchy.cancer_key)
    carcinoma, cancer = groups[iri("MONDO:0004989")], groups[iri("MONDO:0007254")]
    assert carcinoma is cancer and cancer.members == (iri("MONDO:0007254"), iri("MONDO:0004989"))
    assert cancer.label == "breast cancer" and cancer.key == "cancer group: MONDO:0007254"
    melanoma = groups[iri("MONDO:0005105")]
    assert melanoma.label == "melanoma" and melanoma.members == (iri("MONDO:0005105"),)
    # A lone term keeps its own label, but for a cancer of no named type.
    assert groups[iri("MONDO:0005138")].label == "lung carcinoma"
    unnamed = groups[iri("MONDO:0004992")]
    assert unnamed.label == rollup.UNNAMED and unnamed.key == rollup.UNNAMED_KEY


def test_a_group_term_the_graph_lacks_keeps_the_levels_label() -> None:
    # Only "breast neoplasm" is named: its group is breast cancer, which no link names.
    hierarchy = rollup.Hierarchy.from_links([])
    found = hierarchy.cancer_key(iri("MONDO:0021100"), "breast neoplasm")
    assert found == ("cancer group: MONDO:0007254", "breast cancer")


def test_roll_up_reads_the_hierarchy_of_the_build(seed_oxigraph) -> None:
    hierarchy = rollup.hierarchy(seed_oxigraph)
    brain = hierarchy.site_key(iri("UBERON:0000955"), "brain")
    assert brain == ("site group: UBERON:0001017", "central nervous system")
    assert hierarchy.labels[iri("MONDO:0004993")] == "carcinoma"  # a broader term, in the graph
    colon = hierarchy.cancer_key(iri("MONDO:0002032"), "colon carcinoma")
    assert colon == ("cancer group: MONDO:0005575", "colorectal cancer")


# ---------------------------------------------------------------- the levels, in the sources


def _table(path: Path, key: str) -> dict[str, dict[str, str]]:
    csv.field_size_limit(10**9)
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return {row[key]: row for row in reader}


def _ancestors(rows: dict[str, dict[str, str]], term: str) -> set[str]:
    found: set[str] = set()
    frontier = [term]
    while frontier:
        for parent in rows.get(frontier.pop(), {}).get("parents", "").split("|"):
            if parent and parent not in found:
                found.add(parent)
                frontier.append(parent)
    return found


def test_every_cancer_level_is_a_live_mondo_cancer_with_its_label(reference_dir: Path) -> None:
    mondo = _table(reference_dir / "mondo.tsv", "mondo_id")
    for cancer, label, neoplasm, neoplasm_label in rollup.ORGAN_CANCERS:
        row = mondo[cancer]
        assert row["label"] == label and row["obsolete"] == "false", cancer
        assert row["is_cancer"] == "true", cancer
        if neoplasm is not None:
            # The organ's neoplasm is just above its cancer, on its is_a path.
            assert mondo[neoplasm]["label"] == neoplasm_label, neoplasm
            assert neoplasm in _ancestors(mondo, cancer), (cancer, neoplasm)
    for curie, label in rollup.GENERAL_CANCERS.items():
        assert mondo[curie]["label"] == label


def test_every_site_level_is_a_live_uberon_term_with_its_label(reference_dir: Path) -> None:
    uberon = _table(reference_dir / "uberon.tsv", "id")
    for curie, label in rollup.SITE_LEVELS.items():
        assert uberon[curie]["label"] == label and uberon[curie]["obsolete"] == "false", curie
