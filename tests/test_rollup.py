"""The roll-up of the pictures' rows and columns, and its rules checked against MONDO and UBERON.

The graph holds only the terms the texts name, without their parents, so the roll-up rests on
two small rules (server/rollup.py); with the offline reference tables at hand, every group they
form must lie on one MONDO is_a path (cancers) or follow UBERON's parents (sites).
"""

import csv
from pathlib import Path

import pytest

from ingest.tsv import read_tsv
from server import rollup

LEXICON = Path(__file__).resolve().parents[1] / "ingest" / "lexicon"


@pytest.mark.parametrize(
    ("label", "group"),
    [
        ("breast cancer", "breast cancer"),
        ("breast carcinoma", "breast cancer"),
        ("breast adenocarcinoma", "breast cancer"),
        ("breast neoplasm", "breast cancer"),
        ("malignant colon neoplasm", "colorectal cancer"),
        ("colon carcinoma", "colorectal cancer"),
        ("non-small cell lung carcinoma", "lung cancer"),
        ("renal cell carcinoma", "kidney cancer"),
        ("bladder transitional cell carcinoma", "urinary bladder cancer"),
        ("cancer", rollup.UNNAMED),
        ("neoplasm", rollup.UNNAMED),
        ("melanoma", None),
        ("squamous cell carcinoma", None),
        ("plasma cell myeloma", None),
    ],
)
def test_cancers_join_the_cancer_of_the_organ_their_label_names(label, group) -> None:
    assert rollup.cancer_group(label) == group


def test_roll_up_keeps_single_terms_and_labels_groups() -> None:
    labels = {
        "a": "breast carcinoma",
        "b": "breast cancer",
        "c": "melanoma",
        "d": "cancer",
        "e": "lung carcinoma",
    }
    groups = rollup.roll_up(labels, {"a": 8, "b": 26, "c": 6, "d": 14, "e": 1}, rollup.cancer_key)
    assert groups["a"] is groups["b"] and groups["a"].members == ("b", "a")
    assert groups["a"].label == "breast cancer"
    assert groups["c"].label == "melanoma" and groups["c"].members == ("c",)
    # A lone term keeps its own label, but for a cancer of no named type.
    assert groups["e"].label == "lung carcinoma"
    assert groups["d"].label == rollup.UNNAMED and groups["d"].key == rollup.UNNAMED_KEY


def test_sites_roll_up_into_the_site_they_are_part_of() -> None:
    base = "https://w3id.org/mkg/anatomy/"
    labels = {
        base + "UBERON_0000955": "brain",
        base + "UBERON_0000391": "leptomeninx",
        base + "UBERON_0001017": "central nervous system",
        base + "UBERON_0002371": "bone marrow",
        base + "UBERON_0002048": "lung",
    }
    groups = rollup.roll_up(labels, {}, rollup.site_key)
    cns = groups[base + "UBERON_0000955"]
    assert cns is groups[base + "UBERON_0001017"] is groups[base + "UBERON_0000391"]
    assert cns.label == "central nervous system" and cns.members[0] == base + "UBERON_0001017"
    # Bone marrow alone keeps its name; the lung stays itself.
    assert groups[base + "UBERON_0002371"].label == "bone marrow"
    assert groups[base + "UBERON_0002048"].members == (base + "UBERON_0002048",)


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


def test_every_cancer_group_lies_on_its_terms_mondo_path(reference_dir: Path) -> None:
    mondo = _table(reference_dir / "mondo.tsv", "mondo_id")
    named: dict[str, set[str]] = {}
    for term, row in mondo.items():
        for name in [row["label"], *row["synonyms"].split("|")]:
            named.setdefault(name.lower(), set()).add(term)
    for row in read_tsv(LEXICON / "cancers.tsv"):
        term, label = row["mondo_id"], row["label"]
        group = rollup.cancer_group(label)
        if group is None:
            continue
        if group == rollup.UNNAMED:
            # Cancer in general: nothing above it names an organ.
            above = [mondo[parent]["label"] for parent in _ancestors(mondo, term)]
            assert all(rollup.cancer_group(name) in (None, group) for name in above), label
            continue
        path = {term} | _ancestors(mondo, term)
        # The group is the term, an ancestor, or (for 'breast neoplasm') a child on its path.
        on_path = {
            candidate
            for candidate in named.get(group, set())
            if candidate in path or term in _ancestors(mondo, candidate)
        }
        assert on_path, f"{label} ({term}) is not on the MONDO path of any '{group}'"


def test_every_site_parent_is_an_uberon_ancestor(reference_dir: Path) -> None:
    uberon = _table(reference_dir / "uberon.tsv", "id")
    for child, (parent, label) in rollup.SITE_PARENTS.items():
        assert parent in _ancestors(uberon, child), (child, parent)
        assert uberon[parent]["label"] == label
