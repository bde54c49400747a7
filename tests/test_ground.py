"""The mention finder: rules R1-R8 on small lexicons, and the hand-checked titles of the review."""

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.entities import Form, load_lexicon
from ingest.errors import LexiconError
from ingest.ground import Finder, ground_review, unmapped_candidates
from ingest.parse import parse_file
from ingest.resources import DEFAULT_SOURCE, source_path

EXPECTED = Path(__file__).parent / "data" / "expected_mentions.tsv"


def _form(text: str, entity: str, *, case: bool = False, ambiguous: bool = False) -> Form:
    return Form(text=text, entity=entity, case_sensitive=case, ambiguous=ambiguous)


def _found(finder: Finder, text: str) -> list[tuple[str, str]]:
    return [(m.text, m.entity) for m in finder.find(text)]


def test_dash_variants_match_each_other() -> None:
    finder = Finder([_form("Nm23-H1", "NME1", case=True)])
    for text in ("Nm23-H1 binds", "Nm23\u2013H1 binds", "Nm23 H1 binds", "Nm23H1 binds"):
        assert _found(finder, text) == [(text.split(" binds")[0], "NME1")], text
    assert _found(finder, "nm23-H1") == []


def test_space_in_form_matches_a_dash() -> None:
    finder = Finder([_form("non-small cell lung cancer", "NSCLC")])
    assert _found(finder, "in non-small-cell lung cancer:") == [
        ("non-small-cell lung cancer", "NSCLC")
    ]
    assert _found(finder, "nonsmall cell lung cancer") == [("nonsmall cell lung cancer", "NSCLC")]


def test_greek_letters_and_their_names_match_each_other() -> None:
    finder = Finder([_form("TGF-beta", "TGFB"), _form("IkappaBbeta", "NFKBIB", case=True)])
    assert _found(finder, "TGF-\u03b2 and I\u03baB\u03b2") == [
        ("TGF-\u03b2", "TGFB"),
        ("I\u03baB\u03b2", "NFKBIB"),
    ]
    assert _found(finder, "by IkappaBbeta.") == [("IkappaBbeta", "NFKBIB")]


def test_case_rules() -> None:
    finder = Finder([_form("VEGF", "VEGFA", case=True), _form("bone marrow", "BM")])
    assert _found(finder, "vegf in BONE MARROW") == [("BONE MARROW", "BM")]


def test_plurals_of_nocase_forms() -> None:
    finder = Finder([_form("cell", "C"), _form("metastasis", "M")])
    assert _found(finder, "cells and metastasis") == [("cells", "C"), ("metastasis", "M")]
    assert _found(finder, "metastasiss") == []


def test_no_match_inside_a_longer_word() -> None:
    finder = Finder([_form("Met", "MET", case=True), _form("VEGF", "VEGFA", case=True)])
    assert _found(finder, "Metastasis of VEGF165 cells") == []
    assert _found(finder, "anti-VEGF and Met-dependent") == [("VEGF", "VEGFA"), ("Met", "MET")]


def test_longest_match_wins_and_nothing_overlaps() -> None:
    finder = Finder(
        [_form("breast", "BREAST"), _form("breast cancer", "BRCA"), _form("cancer", "CANCER")]
    )
    assert _found(finder, "metastatic breast cancer to bone") == [("breast cancer", "BRCA")]
    assert _found(finder, "breast and cancer") == [("breast", "BREAST"), ("cancer", "CANCER")]


def test_ambiguous_symbol_needs_context_at_the_start() -> None:
    finder = Finder([_form("Met", "MET", case=True, ambiguous=True)])
    assert _found(finder, "Met, metastasis, motility and more") == [("Met", "MET")]
    assert _found(finder, "Met-dependent invasion") == [("Met", "MET")]
    assert _found(finder, "Met with resistance") == []
    assert _found(finder, "Met VEGF signals") == [("Met", "MET")]
    assert _found(finder, "Binding of Met to HGF") == [("Met", "MET")]


def _lexicon_with(tmp_path: Path, table: str, row: str) -> Path:
    """Copy the shipped lexicon into tmp_path with one more row in `table`."""
    for path in (source_path().parent / "lexicon").glob("*.tsv"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    with open(tmp_path / table, "a", encoding="utf-8") as handle:
        handle.write(row + "\n")
    return tmp_path


def test_lexicon_refuses_a_form_of_two_entities(tmp_path: Path) -> None:
    directory = _lexicon_with(
        tmp_path, "forms_anatomy.tsv", "breast cancer\tUBERON:0002048\tnocase\t"
    )
    with pytest.raises(LexiconError, match="breast cancer.*already a form of"):
        load_lexicon(directory)


def test_lexicon_refuses_a_form_of_an_unknown_entity(tmp_path: Path) -> None:
    directory = _lexicon_with(tmp_path, "forms_genes.tsv", "FOO1\tHGNC:999999\tcase\t")
    with pytest.raises(LexiconError, match=r"forms_genes.tsv: row \d+ \('FOO1'\)"):
        load_lexicon(directory)


# ---------------------------------------------------------------- the review, checked by hand

LEXICON = load_lexicon()
FINDER = Finder(LEXICON.forms)
PASSAGES = {p.label: p for p in ground_review(parse_file(source_path(DEFAULT_SOURCE)), FINDER)}


def _expected() -> dict[str, set[tuple[int, int, str, str]]]:
    rows: dict[str, set[tuple[int, int, str, str]]] = {}
    with open(EXPECTED, encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
        found = rows.setdefault(row["source"], set())
        if row["id"] != "NONE":
            found.add((int(row["start"]), int(row["end"]), row["text"], row["id"]))
    return rows


@pytest.mark.skipif(not EXPECTED.exists(), reason="the hand-checked expectations are not written")
def test_hand_checked_titles_are_matched_exactly() -> None:
    expected = _expected()
    assert len(expected) >= 30
    for source, wanted in sorted(expected.items()):
        passage = PASSAGES[source]
        found = {(m.start, m.end, m.text, m.entity) for m in passage.mentions}
        assert found == wanted, (
            f"{source}: {passage.text!r}\n  missing {sorted(wanted - found)}"
            f"\n  extra {sorted(found - wanted)}"
        )


def test_every_mention_quotes_its_text_at_its_offsets() -> None:
    for passage in PASSAGES.values():
        for mention in passage.mentions:
            assert passage.text[mention.start : mention.end] == mention.text


def test_unmapped_candidates_name_cell_lines_and_codes() -> None:
    texts = {c[2] for p in PASSAGES.values() for c in unmapped_candidates(p)}
    assert {"MDA-MB-435", "MCF-7", "SU11248"} <= texts
    assert "VEGF" not in texts


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="abcdeMtTV -\u2013EGF\u03b2", max_size=60))
def test_found_mentions_never_overlap_and_quote_the_text(text: str) -> None:
    finder = Finder(
        [_form("Met", "MET", case=True, ambiguous=True), _form("VEGF", "V", case=True),
         _form("tea", "T"), _form("beta", "B"), _form("a-b", "AB")]
    )  # fmt: skip
    mentions = finder.find(text)
    for first, second in zip(mentions, mentions[1:], strict=False):
        assert first.end <= second.start
    for mention in mentions:
        assert text[mention.start : mention.end] == mention.text
        before = text[mention.start - 1] if mention.start else " "
        after = text[mention.end] if mention.end < len(text) else " "
        assert not before.isalnum() and not after.isalnum()
