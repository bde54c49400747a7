"""The mention finder: rules R1-R8 on small lexicons, and the hand-checked titles of the review."""

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.build import ground_reviews
from ingest.entities import Form, load_lexicon
from ingest.errors import LexiconError
from ingest.formindex import FormIndex, MemoryFormIndex
from ingest.ground import Finder, Mention, Passage, ground_review, unmapped_candidates
from ingest.parse import parse_file
from ingest.resources import DEFAULT_SOURCE, source_path
from ingest.textkey import DASHES, form_keys, may_be_plural, plural_stems, tokenize

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


def test_lexicon_refuses_forms_the_finder_cannot_tell_apart(tmp_path: Path) -> None:
    """R8 compares forms by the finder's keys: Greek letters spelled out, dashes joined."""
    directory = _lexicon_with(tmp_path, "forms_genes.tsv", "TGFβ\tHGNC:10718\tcase\t")
    with pytest.raises(LexiconError, match=r"TGF-beta.*already a form of HGNC:10718"):
        load_lexicon(directory)


def test_lexicon_allows_case_sensitive_forms_differing_in_case(tmp_path: Path) -> None:
    directory = _lexicon_with(tmp_path, "forms_genes.tsv", "TGF-Beta\tHGNC:10718\tcase\t")
    lexicon = load_lexicon(directory)
    assert {f.entity for f in lexicon.forms if f.text == "TGF-Beta"} == {"HGNC:10718"}


def test_lexicon_refuses_a_form_of_an_unknown_entity(tmp_path: Path) -> None:
    directory = _lexicon_with(tmp_path, "forms_genes.tsv", "FOO1\tHGNC:999999\tcase\t")
    with pytest.raises(LexiconError, match=r"forms_genes.tsv: row \d+ \('FOO1'\)"):
        load_lexicon(directory)


# ---------------------------------------------------------------- the review, checked by hand

LEXICON = load_lexicon()
REVIEW = parse_file(source_path(DEFAULT_SOURCE))


# Grounded when a test asks, not at import: a mutation tool that changes the finder between
# tests must see its change in these passages too.
@pytest.fixture(name="passages")
def _passages() -> dict[str, Passage]:
    return {p.label: p for p in ground_review(REVIEW, Finder(LEXICON.forms))}


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
def test_hand_checked_titles_are_matched_exactly(passages: dict[str, Passage]) -> None:
    expected = _expected()
    assert len(expected) >= 30
    for source, wanted in sorted(expected.items()):
        passage = passages[source]
        found = {(m.start, m.end, m.text, m.entity) for m in passage.mentions}
        assert found == wanted, (
            f"{source}: {passage.text!r}\n  missing {sorted(wanted - found)}"
            f"\n  extra {sorted(found - wanted)}"
        )


def test_every_mention_quotes_its_text_at_its_offsets(passages: dict[str, Passage]) -> None:
    for passage in passages.values():
        for mention in passage.mentions:
            assert passage.text[mention.start : mention.end] == mention.text


def test_unmapped_candidates_name_cell_lines_and_codes(passages: dict[str, Passage]) -> None:
    texts = {c[2] for p in passages.values() for c in unmapped_candidates(p)}
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


# ------------------------------------------------------------- every rule at its boundaries


def _spans(finder: Finder, text: str) -> list[tuple[int, int, str]]:
    return [(m.start, m.end, m.entity) for m in finder.find(text)]


@pytest.mark.parametrize("dash", sorted(DASHES))
def test_every_dash_of_the_text_matches_a_dash_or_space_of_a_form(dash: str) -> None:
    finder = Finder([_form("Nm23-H1", "NME1", case=True), _form("lymph node", "LN")])
    assert _found(finder, f"Nm23{dash}H1") == [(f"Nm23{dash}H1", "NME1")]
    assert _found(finder, f"lymph{dash}node") == [(f"lymph{dash}node", "LN")]


def test_runs_of_separators_are_one_separator() -> None:
    finder = Finder([_form("non-small cell", "NSC"), _form("lymph node", "LN")])
    for text in ("non - small cell", "non--small  cell", "non \u2013 small\ncell"):
        assert _found(finder, text) == [(text, "NSC")], text
    assert _found(finder, "lymph \u2013  node") == [("lymph \u2013  node", "LN")]


def test_a_space_in_a_form_never_matches_nothing() -> None:
    finder = Finder([_form("lymph node", "LN"), _form("IL 6", "IL6", case=True)])
    assert _found(finder, "lymphnode and IL6") == []


def test_a_joined_form_does_not_match_a_split_text() -> None:
    finder = Finder([_form("nonsmall cell", "NSC")])
    assert _found(finder, "non-small cell") == []
    assert _found(finder, "nonsmall cell") == [("nonsmall cell", "NSC")]


def test_every_way_of_joining_the_dashes_of_a_form() -> None:
    finder = Finder([_form("a-b-c", "ABC")])
    for text in ("a b c", "ab c", "a bc", "abc", "a-bc", "ab-c"):
        assert _found(finder, text) == [(text, "ABC")], text
    assert _found(finder, "a b") == []


def test_punctuation_matches_exactly_but_separators_around_it_do_not_count() -> None:
    finder = Finder([_form("MMP-2/9", "MMP29", case=True)])
    for text in ("MMP-2/9", "MMP2/9", "MMP-2 / 9", "MMP 2/ 9"):
        assert _found(finder, text) == [(text, "MMP29")], text
    assert _found(finder, "MMP-2,9") == []
    assert _found(finder, "MMP-29") == []


def test_a_form_may_start_with_punctuation() -> None:
    finder = Finder([_form("(-)-epicatechin", "EC")])
    assert _found(finder, "of (\u2212)-epicatechin.") == [("(\u2212)-epicatechin", "EC")]


def test_greek_letters_match_their_names_in_nocase_forms() -> None:
    finder = Finder([_form("alpha6beta4 integrin", "A6B4"), _form("NF-kappaB", "NFKB")])
    assert _found(finder, "\u03b16\u03b24 integrin") == [("\u03b16\u03b24 integrin", "A6B4")]
    assert _found(finder, "ALPHA6BETA4 INTEGRIN") == [("ALPHA6BETA4 INTEGRIN", "A6B4")]
    assert _found(finder, "NF\u03baB and NF-\u039aB") == [
        ("NF\u03baB", "NFKB"),
        ("NF-\u039aB", "NFKB"),
    ]


def test_a_form_written_with_a_greek_letter_matches_its_name() -> None:
    finder = Finder([_form("\u03b21 integrin", "B1"), _form("mu-opioid receptor", "MOR")])
    for text in ("beta1 integrin", "\u03b21 integrin", "Beta1-integrin"):
        assert _found(finder, text) == [(text, "B1")], text
    for text in ("\u03bc-opioid receptor", "\u00b5-opioid receptor"):
        assert _found(finder, text) == [(text, "MOR")], text


def test_typographic_apostrophes_read_as_one() -> None:
    finder = Finder([_form("Hodgkin's lymphoma", "HL")])
    assert _found(finder, "Hodgkin\u2019s lymphoma") == [("Hodgkin\u2019s lymphoma", "HL")]


def test_greek_letters_in_case_forms_read_as_their_lower_case_names() -> None:
    finder = Finder(
        [_form("IkappaBbeta", "NFKBIB", case=True), _form("TGF-\u03b2", "T", case=True)]
    )
    assert _found(finder, "I\u03baB\u03b2") == [("I\u03baB\u03b2", "NFKBIB")]
    # A capital Greek letter is the same letter: its name is compared in lower case.
    assert _found(finder, "I\u039aB\u0392") == [("I\u039aB\u0392", "NFKBIB")]
    assert _found(finder, "IKAPPABBETA ikappabbeta IkappaBBeta") == []
    assert _found(finder, "TGF-beta TGFbeta TGF\u03b2") == [
        ("TGF-beta", "T"),
        ("TGFbeta", "T"),
        ("TGF\u03b2", "T"),
    ]
    assert _found(finder, "TGF-BETA tgf-\u03b2") == []


def test_case_forms_match_only_as_written_and_nocase_in_any_case() -> None:
    finder = Finder([_form("c-Met", "MET", case=True), _form("Straße", "S")])
    assert _found(finder, "c-Met cMet c Met") == [
        ("c-Met", "MET"),
        ("cMet", "MET"),
        ("c Met", "MET"),
    ]
    assert _found(finder, "C-Met c-MET c-met") == []
    # Full case folding: the sharp s folds to 'ss'.
    assert _found(finder, "STRASSE") == [("STRASSE", "S")]


def test_accents_and_compatibility_forms_are_ignored() -> None:
    finder = Finder([_form("Sjogren", "SJ", case=True)])
    assert _found(finder, "Sj\u00f6gren") == [("Sj\u00f6gren", "SJ")]


def test_plurals_in_s_and_es() -> None:
    finder = Finder([_form("box", "BOX"), _form("macrophage", "MAC"), _form("lymph node", "LN")])
    for text in ("boxes", "boxs", "BOXES", "macrophages", "macrophagees", "lymph nodes"):
        assert len(_found(finder, text)) == 1, text
    for text in ("boxess", "boxen", "boxe", "lymphs node", "boxes'"[:-1] + "x"):
        assert _found(finder, text) == [], text


def test_forms_ending_in_s_or_a_digit_and_case_forms_have_no_plural() -> None:
    finder = Finder(
        [_form("metastasis", "M"), _form("AIDS", "A"), _form("p53", "P"),
         _form("VEGF", "V", case=True)]
    )  # fmt: skip
    assert _found(finder, "metastasiss metastasises AIDSes aidss p53s p53es VEGFs VEGFes") == []


def test_plural_of_a_joined_form() -> None:
    finder = Finder([_form("pre-metastatic niche", "N")])
    assert _found(finder, "premetastatic niches") == [("premetastatic niches", "N")]


def test_matches_start_and_end_at_token_boundaries() -> None:
    finder = Finder([_form("Met", "MET", case=True), _form("VEGF", "V", case=True)])
    assert _found(finder, "Metastasis VEGF165 aVEGF VEGF_A (VEGF)") == [
        ("VEGF", "V"),
        ("VEGF", "V"),
    ]
    assert _spans(finder, "VEGF_A (VEGF)") == [(0, 4, "V"), (8, 12, "V")]


def test_mentions_may_touch() -> None:
    finder = Finder([_form("X1", "X", case=True), _form("/Y2", "Y", case=True)])
    assert _spans(finder, "X1/Y2") == [(0, 2, "X"), (2, 5, "Y")]


def test_mentions_on_neighbouring_tokens_are_both_kept() -> None:
    finder = Finder([_form("bone marrow", "BM"), _form("stroma", "S")])
    assert _spans(finder, "bone marrow stroma") == [(0, 11, "BM"), (12, 18, "S")]


def test_candidates_sharing_one_token_keep_the_longest() -> None:
    finder = Finder([_form("breast cancer", "BC"), _form("cancer cells", "CC")])
    assert _spans(finder, "breast cancer cells") == [(0, 13, "BC")]
    assert _spans(finder, "breast cancers cells") == [(0, 14, "BC")]
    assert _spans(finder, "cancer cells of the breast cancer") == [(0, 12, "CC"), (20, 33, "BC")]


def test_longest_means_most_characters_not_most_tokens() -> None:
    finder = Finder([_form("x y z", "XYZ"), _form("z wwwwwwww", "ZW")])
    assert _spans(finder, "x y z wwwwwwww") == [(4, 14, "ZW")]


def test_equal_lengths_go_to_the_leftmost_then_the_smallest_entity() -> None:
    finder = Finder([_form("colon cancer", "CO"), _form("cancer cells", "CA")])
    assert _spans(finder, "colon cancer cells") == [(0, 12, "CO")]
    finder = Finder([_form("ras", "E2"), _form("RAS", "E1", case=True), _form("Ras", "E3")])
    assert _spans(finder, "RAS") == [(0, 3, "E1")]
    assert _spans(finder, "ras") == [(0, 3, "E2")]


def test_a_chain_of_overlaps_is_settled_as_one() -> None:
    finder = Finder([_form("a b", "AB"), _form("b c d", "BCD"), _form("d e", "DE")])
    # "b c d" is longest; "a b" and "d e" overlap it and go, although they overlap each other not.
    assert _spans(finder, "a b c d e") == [(2, 7, "BCD")]
    assert _spans(finder, "a b c d e a b") == [(2, 7, "BCD"), (10, 13, "AB")]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Met", True),  # nothing follows
        ("Met   ", True),  # only spaces follow: nothing does
        ("Met,", True),
        ("Met-dependent", True),  # the next character is a dash
        ("Met(HGF)", True),
        ("Met x", False),
        ("Met X", True),
        ("Met 5", True),
        ("Met x5", True),
        ("Met \u00c9lan", True),  # any upper-case letter
        ("Met \u00e9lan", False),
        ("Met \u2013 x", False),  # a dash after a space: the next token decides
        ("Met \u2013 X", True),
        ("Met (HGF receptor)", False),  # the next token is '('
        ("  Met x", False),  # leading spaces: still the start of the text
        ("- Met x", True),  # a dash before it: not the start
        (" (Met x", True),
        ("\t(Met x", True),
        ("The Met x", True),
        ("Met\nx", False),
    ],
)
def test_ambiguous_symbol_context(text: str, found: bool) -> None:
    finder = Finder([_form("Met", "MET", case=True, ambiguous=True)])
    assert bool(finder.find(text)) is found


def test_context_is_checked_at_the_end_of_a_longer_ambiguous_match() -> None:
    finder = Finder(
        [
            _form("Met", "MET", case=True, ambiguous=True),
            _form("Met x", "MX", case=True, ambiguous=True),
        ]
    )
    # "Met x" is followed by "y" (no capital): it does not count, and "Met" is followed by "x".
    assert _spans(finder, "Met x y") == []
    assert _spans(finder, "Met x Y") == [(0, 5, "MX")]


def test_unambiguous_forms_need_no_context() -> None:
    finder = Finder([_form("Met", "MET", case=True)])
    assert _spans(finder, "Met with") == [(0, 3, "MET")]


def test_empty_index_and_empty_text() -> None:
    assert Finder([]).find("VEGF") == []
    assert Finder([_form("VEGF", "V")]).find("") == []
    assert Finder([_form("VEGF", "V")]).find("  \u2013 ") == []


# ------------------------------------------------------------------ the index and its lookups


class _SpyIndex:
    """A FormIndex that records what the finder asks."""

    def __init__(
        self, forms: list[Form], *, max_tokens: int | None = None, prefix: bool | None = None
    ):
        self.inner = MemoryFormIndex(forms)
        self.max_tokens = self.inner.max_tokens if max_tokens is None else max_tokens
        self.prefix = prefix
        self.looked_up: list[str] = []
        self.prefixes: list[str] = []

    def lookup(self, key: str):
        self.looked_up.append(key)
        return self.inner.lookup(key)

    def has_prefix(self, key: str) -> bool:
        self.prefixes.append(key)
        return self.inner.has_prefix(key) if self.prefix is None else self.prefix


def test_memory_index_answers_by_key() -> None:
    forms = [_form("non-small cell lung cancer", "NSCLC"), _form("VEGF", "V", case=True)]
    index = MemoryFormIndex(forms)
    assert isinstance(index, FormIndex)
    assert index.lookup("nonsmall cell lung cancer") == [forms[0]]
    assert index.lookup("vegf") == [forms[1]]
    assert list(index.lookup("non")) == []
    assert index.has_prefix("non") and index.has_prefix("non small cell")
    assert index.has_prefix("nonsmall cell lung")
    assert not index.has_prefix("non small cell lung cancer") and not index.has_prefix("vegf")
    assert not index.has_prefix("small")
    assert index.max_tokens == 5
    assert len(index) == 3
    assert MemoryFormIndex([]).max_tokens == 0


def test_the_finder_takes_an_index_or_forms() -> None:
    forms = [_form("VEGF", "V", case=True)]
    index = MemoryFormIndex(forms)
    assert Finder(index).index is index
    assert isinstance(Finder(forms).index, MemoryFormIndex)
    assert _found(Finder(iter(forms)), "VEGF") == [("VEGF", "V")]


def test_keys_are_extended_only_while_a_longer_form_may_follow() -> None:
    index = _SpyIndex([_form("a b", "AB"), _form("c", "C")])
    assert _spans(Finder(index), "a b c d") == [(0, 3, "AB"), (4, 5, "C")]
    assert index.looked_up == ["a", "a b", "b", "c", "d"]
    assert index.prefixes == ["a", "a b", "b", "c", "d"]


def test_keys_are_never_longer_than_max_tokens() -> None:
    index = _SpyIndex([_form("a b c", "ABC")], max_tokens=2, prefix=True)
    assert Finder(index).find("a b c d") == []
    assert max(len(key.split()) for key in index.looked_up) == 2
    assert "a b" in index.looked_up and "c d" in index.looked_up


def test_plural_stems_are_looked_up_with_the_prefix() -> None:
    index = _SpyIndex([_form("lymph node", "LN")])
    assert _spans(Finder(index), "lymph nodes") == [(0, 11, "LN")]
    assert "lymph node" in index.looked_up and "lymph nodes" in index.looked_up


def test_an_index_without_forms_is_never_asked() -> None:
    index = _SpyIndex([])
    assert Finder(index).find("a b c") == []
    assert index.looked_up == [] and index.prefixes == []


# ------------------------------------------------------ against a plain brute-force reference


def _reference_candidates(forms: list[Form], text: str) -> list[Mention]:
    """Try every span of tokens against every form (R1-R5 and R7, plainly)."""
    tokens = tokenize(text)
    first = len(text) - len(text.lstrip())
    candidates = []
    for i in range(len(tokens)):
        for j in range(i, len(tokens)):
            keys = [t.key for t in tokens[i : j + 1]]
            key = " ".join(keys)
            case = " ".join(t.case_key for t in tokens[i : j + 1])
            start, end = tokens[i].start, tokens[j].end
            for form in forms:
                exact = key in form_keys(form.text) and (
                    not form.case_sensitive or case in form_keys(form.text, case_sensitive=True)
                )
                plural = (
                    not form.case_sensitive
                    and may_be_plural(form.text)
                    and any(
                        " ".join([*keys[:-1], stem]) in form_keys(form.text)
                        for stem in plural_stems(keys[-1])
                    )
                )
                if not (exact or plural):
                    continue
                if j + 1 < len(tokens) and tokens[j + 1].key == "like":
                    between = text[end : tokens[j + 1].start]
                    if any(
                        c in "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u00ad" for c in between
                    ):
                        continue  # R9
                if form.ambiguous and start == first and j + 1 < len(tokens):
                    following = text[tokens[j + 1].start : tokens[j + 1].end]
                    if text[end].isspace() and not any(
                        c.isupper() or c.isdigit() for c in following
                    ):
                        continue
                candidates.append(Mention(form.entity, start, end, text[start:end], form.text))
    return candidates


def _reference(forms: list[Form], text: str) -> list[Mention]:
    """Keep the longest reference candidates, then the leftmost, then the smallest id (R6)."""
    kept: list[Mention] = []
    ranked = sorted(
        _reference_candidates(forms, text),
        key=lambda m: (m.start - m.end, m.start, m.entity, m.form),
    )
    for mention in ranked:
        if all(mention.end <= k.start or k.end <= mention.start for k in kept):
            kept.append(mention)
    return sorted(kept, key=lambda m: m.start)


_PIECES = [
    "a",
    "b",
    "ab",
    "A",
    "B",
    "AB",
    "s",
    "es",
    "bs",
    "abes",
    "\u03b2",
    "\u0392",
    "beta",
    "1",
    "a1",
    "like",
]
_SEPARATORS = [" ", " ", "-", "\u2013", "  ", " - ", "/", ",", "(", ""]


@st.composite
def _forms(draw: st.DrawFn) -> list[Form]:
    forms = []
    for number in range(draw(st.integers(1, 5))):
        words = draw(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=3))
        text = words[0]
        for word in words[1:]:
            text += draw(st.sampled_from([" ", "-", "/"])) + word
        forms.append(
            Form(text=text, entity=f"E{draw(st.integers(0, 3))}{number}",
                 case_sensitive=draw(st.booleans()), ambiguous=draw(st.booleans()))
        )  # fmt: skip
    return forms


@st.composite
def _forms_and_text(draw: st.DrawFn) -> tuple[list[Form], str]:
    """Forms, and a text of pieces, separators and the forms themselves, changed a little."""
    forms = draw(_forms())
    variants = [
        lambda text: text,
        str.upper,
        str.lower,
        lambda text: text + "s",
        lambda text: text + "es",
        lambda text: text.replace("-", ""),
        lambda text: text.replace(" ", "\u2013"),
        lambda text: text.replace("beta", "\u03b2"),
    ]
    text = draw(st.sampled_from(["", " ", "x "]))
    for _ in range(draw(st.integers(0, 8))):
        if draw(st.booleans()):
            piece = draw(st.sampled_from(variants))(draw(st.sampled_from(forms)).text)
        else:
            piece = draw(st.sampled_from(_PIECES))
        text += piece + draw(st.sampled_from(_SEPARATORS))
    return forms, text


@settings(max_examples=400, deadline=None)
@given(_forms_and_text())
def test_the_finder_equals_the_brute_force_reference(case: tuple[list[Form], str]) -> None:
    forms, text = case
    finder = Finder(forms)
    found = finder.find(text)
    assert found == _reference(forms, text)
    # An index may answer has_prefix too often and overstate max_tokens: it costs lookups only.
    loose = _SpyIndex(forms, max_tokens=MemoryFormIndex(forms).max_tokens + 2, prefix=True)
    assert Finder(loose).find(text) == found
    for first, second in zip(found, found[1:], strict=False):
        assert first.end <= second.start
    for mention in found:
        assert text[mention.start : mention.end] == mention.text


@settings(max_examples=200, deadline=None)
@given(_forms_and_text())
def test_the_candidates_equal_the_brute_force_reference(case: tuple[list[Form], str]) -> None:
    forms, text = case
    found = Finder(forms).candidates(text)
    assert sorted(found, key=repr) == sorted(_reference_candidates(forms, text), key=repr)


# ----------------------------------------------------------- unmapped candidates and progress


def _passage(text: str, *mentions: tuple[int, int]) -> Passage:
    found = tuple(
        Mention("E", start, end, text[start:end], text[start:end]) for start, end in mentions
    )
    return Passage("ref-1", "title", text, found)


def test_unmapped_candidates_lie_outside_every_mention() -> None:
    text = "Role of MCF-7 and SU11248 in Met, CD44v6 and Tumour cells"
    assert [c[2] for c in unmapped_candidates(_passage(text))] == [
        "MCF-7", "SU11248", "Met", "CD44v6", "Tumour"
    ]  # fmt: skip
    # A mention covering a candidate, or a part of it, removes it; a neighbouring one does not.
    met = text.index("Met")
    passage = _passage(text, (met, met + 3), (text.index("CD44"), text.index("CD44") + 4))
    assert [c[2] for c in unmapped_candidates(passage)] == ["MCF-7", "SU11248", "Tumour"]
    touching = _passage(text, (met - 3, met), (met + 3, met + 4))
    assert "Met" in [c[2] for c in unmapped_candidates(touching)]


def test_unmapped_candidates_say_why_they_look_like_names() -> None:
    text = "Tumour p53 HGFr Bcl2 SU11248 cells"
    assert unmapped_candidates(_passage(text)) == [
        (7, 10, "p53", "letters and digits"),
        (11, 15, "HGFr", "inner capital"),
        (16, 20, "Bcl2", "letters and digits"),
        (21, 28, "SU11248", "letters and digits"),
    ]
    assert unmapped_candidates(_passage("x Tumour")) == [(2, 8, "Tumour", "capitalised")]
    assert unmapped_candidates(_passage("(Tumour")) == [(1, 7, "Tumour", "capitalised")]
    assert unmapped_candidates(_passage("Tumour pH")) == [(7, 9, "pH", "inner capital")]


def test_unmapped_candidates_accept_mentions_in_any_order() -> None:
    text = "A1 B2 C3 D4"
    passage = _passage(text, (9, 11), (0, 2), (3, 8))
    assert unmapped_candidates(passage) == []
    assert [c[2] for c in unmapped_candidates(_passage(text, (6, 8), (0, 2)))] == ["B2", "D4"]


def test_ground_review_searches_every_text_of_the_review() -> None:
    finder = Finder(LEXICON.forms)
    seen: list[Passage] = []
    passages = ground_review(REVIEW, finder, on_passage=seen.append)
    assert seen == passages
    assert [(p.label, p.field) for p in passages[:3]] == [
        ("review-title", "title"), ("abstract", "abstract"), ("figure-1", "title")
    ]  # fmt: skip
    assert [p.label for p in passages] == [
        "review-title", "abstract", *(f"figure-{n}" for n in range(1, 5)),
        *(f"ref-{n}" for n in range(1, 164)),
    ]  # fmt: skip
    assert {p.field for p in passages[2:]} == {"title"}
    assert passages[0].text == REVIEW.citation.title and passages[1].text == REVIEW.abstract
    assert passages[0].citation is passages[1].citation is REVIEW.citation
    assert [p.figure for p in passages[2:6]] == list(REVIEW.figures)
    assert [p.text for p in passages[2:6]] == [f.title for f in REVIEW.figures]
    assert all(p.citation is None for p in passages[2:6])
    assert [p.citation for p in passages[6:]] == [r.citation for r in REVIEW.references]
    assert all(p.figure is None for p in passages[:2] + passages[6:])
    for passage in passages:
        assert list(passage.mentions) == finder.find(passage.text)
    assert ground_review(REVIEW, finder) == passages


def test_ground_reviews_reports_progress_while_it_lasts() -> None:
    review = parse_file(source_path(DEFAULT_SOURCE))
    messages: list[str] = []
    grounded = ground_reviews([review], lexicon=LEXICON, progress=messages.append, interval=0)
    assert len(grounded) == 1 and len(messages) == 169
    assert messages[0] == "ground: 0/1 reviews, 1 texts"
    assert messages[-1] == "ground: 0/1 reviews, 169 texts"
    quiet: list[str] = []
    ground_reviews([review], lexicon=LEXICON, progress=quiet.append, interval=3600)
    assert quiet == []


def test_r9_a_dash_and_like_after_a_match_is_no_mention() -> None:
    """R9: 'insulin-like growth factors' does not mention insulin; 'insulin' alone does."""
    forms = [Form("insulin", "HGNC:6081", False, False), Form("EGF", "HGNC:3229", True, False)]
    finder = Finder(forms)
    assert finder.find("insulin-like growth factors") == []
    assert finder.find("insulin\u2013like growth factors") == []
    assert finder.find("EGF-like domain") == []
    assert [m.text for m in finder.find("insulin like growth")] == ["insulin"]
    assert [m.text for m in finder.find("insulin-likely")] == ["insulin"]
    assert [m.text for m in finder.find("insulin and like")] == ["insulin"]
    longer = Finder([*forms, Form("insulin-like growth factor", "FPLX:IGF", False, False)])
    assert [m.entity for m in longer.find("insulin-like growth factors")] == ["FPLX:IGF"]
