"""Normalised keys of names (ingest.textkey): every rule has a test that fails when it breaks."""

import string

from hypothesis import given
from hypothesis import strategies as st

from ingest.textkey import (
    DASHES,
    MAX_JOINED_DASHES,
    case_key,
    form_keys,
    may_be_plural,
    plural_stems,
    text_key,
    tokenize,
)


def test_dashes_and_spaces_are_one_separator() -> None:
    expected = "non small cell lung cancer"
    assert text_key("non-small cell lung cancer") == expected
    assert text_key("non\u2013small\u00a0cell  lung\u2010cancer") == expected
    assert text_key("non\u2212small cell lung cancer") == expected
    assert text_key("non\u00adsmall cell lung cancer") == expected


def test_every_dash_is_soft() -> None:
    for dash in DASHES:
        assert text_key(f"a{dash}b") == "a b", repr(dash)


def test_punctuation_is_a_token_of_its_own() -> None:
    assert text_key("MMP-2/9") == "mmp 2 / 9"
    assert text_key("(CD44)") == "( cd44 )"
    assert text_key("p53.") == "p53 ."
    assert [t.word for t in tokenize("a/b")] == [True, False, True]


def test_apostrophes_are_one_character() -> None:
    assert text_key("Hodgkin\u2019s") == text_key("Hodgkin's") == "hodgkin ' s"


def test_greek_letters_are_spelled_out_inside_words() -> None:
    assert text_key("TGFβ") == text_key("TGFbeta") == "tgfbeta"
    assert text_key("NF-κB") == "nf kappab"
    assert text_key("α4β1") == "alpha4beta1"
    assert text_key("\u00b5") == "mu"  # the micro sign is a compatibility mu
    assert text_key("ς") == "sigma"  # final sigma: the last word of its name
    assert text_key("Δ") == "delta"


def test_marks_and_compatibility_forms_are_folded() -> None:
    assert text_key("Sjögren") == text_key("Sjo\u0308gren") == "sjogren"
    assert text_key("\ufb01broblast") == "fibroblast"
    assert text_key("CAFÉ") == "cafe"


def test_case_is_folded_in_keys_but_kept_in_case_keys() -> None:
    assert text_key("BRCA1") == text_key("brca1") == "brca1"
    assert case_key("c-Met") == "c Met"
    assert case_key("TGF-β") == "TGF beta"


def test_offsets_point_at_the_token_text() -> None:
    text = "Role of c-Met (HGF receptor) in α4β1-dependent invasion."
    for token in tokenize(text):
        assert text[token.start : token.end].strip()
        assert token.key == text_key(text[token.start : token.end])


def test_a_dash_in_a_form_also_matches_nothing() -> None:
    assert form_keys("non-small cell") == ("non small cell", "nonsmall cell")
    assert form_keys("IL-6") == ("il 6", "il6")
    assert form_keys("c-Met", case_sensitive=True) == ("c Met", "cMet")


def test_a_space_in_a_form_is_never_joined() -> None:
    assert form_keys("IL 6") == ("il 6",)


def test_dashes_next_to_punctuation_stay_separators() -> None:
    assert form_keys("MMP-2/9") == ("mmp 2 / 9", "mmp2 / 9")
    assert form_keys("(-)-epicatechin") == ("( ) epicatechin",)


def test_every_combination_of_joined_dashes() -> None:
    keys = form_keys("a-b-c")
    assert set(keys) == {"a b c", "ab c", "a bc", "abc"}
    assert keys[0] == "a b c"


def test_many_dashes_give_only_the_extremes() -> None:
    form = "-".join("abcdefgh"[: MAX_JOINED_DASHES + 2])
    assert form_keys(form) == (" ".join(form.split("-")), form.replace("-", ""))
    small = "-".join("abcdefgh"[: MAX_JOINED_DASHES + 1])
    assert len(form_keys(small)) == 2**MAX_JOINED_DASHES


def test_empty_forms_have_no_key() -> None:
    assert form_keys(" - ") == ()


def test_plural_stems() -> None:
    assert plural_stems("cells") == ("cell",)
    assert plural_stems("boxes") == ("boxe", "box")
    assert plural_stems("buses") == ("buse",)  # 'bus' ends in 's': it has no plural by R4
    assert plural_stems("s") == ()
    assert plural_stems("cell") == ()
    assert plural_stems("p53s") == ()  # a digit before the 's' is no word to pluralise


def test_which_forms_may_be_plural() -> None:
    assert may_be_plural("metastasis suppressor")
    assert not may_be_plural("metastasis")
    assert not may_be_plural("MMP-2")
    assert not may_be_plural("")


_WORDS = st.text(alphabet=string.ascii_letters + string.digits + "βκ", min_size=1, max_size=8)


@given(st.lists(_WORDS, min_size=1, max_size=6), st.data())
def test_any_soft_separators_give_the_same_key(words: list[str], data: st.DataObject) -> None:
    separators = st.sampled_from([" ", "  ", "-", "\u2013", "\u00a0", "\n", " - "])
    glued = words[0]
    for word in words[1:]:
        glued += data.draw(separators) + word
    assert text_key(glued) == text_key(" ".join(words))
    assert text_key(glued.upper()) == text_key(glued.lower())


@given(st.text(max_size=60))
def test_tokens_are_ordered_and_disjoint(text: str) -> None:
    previous_end = 0
    for token in tokenize(text):
        assert previous_end <= token.start < token.end <= len(text)
        previous_end = token.end
