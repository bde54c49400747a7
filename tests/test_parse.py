"""The page parser: every field of the review and its 163 references, lossless; clear errors."""

import re
import string
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.errors import PageFormatError
from ingest.journals import load_journals
from ingest.parse import (
    LINK_LABELS,
    _journal_splitter,
    parse_citation,
    parse_file,
    parse_page,
    render_citation,
    render_links,
)
from ingest.records import Author, Citation
from ingest.resources import DEFAULT_SOURCE, source_path

SEED = source_path(DEFAULT_SOURCE)
SEED_TEXT = SEED.read_text(encoding="utf-8")
REVIEW = parse_file(SEED)
BY_NUMBER = {reference.number: reference for reference in REVIEW.references}


def _raw_reference_lines() -> dict[int, tuple[str, str | None]]:
    """Read the reference lines and their link lines straight from the page, independently."""
    lines = SEED_TEXT.splitlines()
    found = {}
    for index, line in enumerate(lines):
        match = re.match(r"^  (\d+)\. (.*)$", line)
        if match:
            link = lines[index + 2] if lines[index + 2].startswith("    ") else None
            found[int(match.group(1))] = (match.group(2), link)
    return found


RAW = _raw_reference_lines()


def test_parse_finds_all_163_references_in_order() -> None:
    assert [r.number for r in REVIEW.references] == list(range(1, 164))
    assert len(RAW) == 163


def test_parse_review_fields() -> None:
    citation = REVIEW.citation
    assert citation.title == "Tumor metastasis: mechanistic insights and clinical challenges"
    assert citation.authors == (Author("Steeg", "P."),)
    assert (citation.journal, citation.volume, citation.first_page, citation.last_page) == (
        "Nat Med",
        "12",
        "895",
        "904",
    )
    assert citation.year == 2006
    assert REVIEW.doi == "10.1038/nm1469"
    assert REVIEW.article_type == "Review Article"
    assert REVIEW.journal_title == "Nature Medicine"
    assert REVIEW.abstract.startswith("Metastatic disease is the primary cause of death")
    assert REVIEW.abstract.endswith("key obstacles to their clinical development.")


def test_parse_figure_titles() -> None:
    assert [(f.number, f.title) for f in REVIEW.figures] == [
        (1, "The tumor metastatic process."),
        (2, "Dynamic signaling in invasion."),
        (3, "Tumor cell\u2013microenvironment interactions in osteoclastic bone metastases."),
        (
            4,
            "Surveillance Epidemiology and End Result (SEER) program stage distribution of "
            "cancer at diagnosis.",
        ),
    ]


@pytest.mark.parametrize("number", range(1, 164))
def test_reference_renders_back_to_its_raw_line(number: int) -> None:
    reference = BY_NUMBER[number]
    raw, link_line = RAW[number]
    assert reference.raw == raw
    assert render_citation(reference.citation) == raw
    if link_line is None:
        assert reference.links == ()
    else:
        assert render_links(reference.links) == link_line


def test_reference_with_volume_note_and_letter_pages() -> None:
    citation = BY_NUMBER[30].citation
    assert (citation.volume, citation.volume_note) == ("76", "Spec No 1")
    assert (citation.first_page, citation.last_page) == ("S11", "S22")
    assert BY_NUMBER[54].citation.volume_note == "Suppl.3"


def test_reference_with_page_note() -> None:
    citation = BY_NUMBER[83].citation
    assert (citation.first_page, citation.last_page, citation.page_note) == ("1", "23", "vii")
    assert citation.title == "Brain Metastases"


def test_reference_with_name_suffix() -> None:
    authors = BY_NUMBER[140].citation.authors
    assert authors[1] == Author("Goulet", "R.", suffix="III")
    assert [a.family for a in authors] == ["Wang", "Goulet", "Stanton", "Sadaria", "Nakshatri"]


def test_unconventional_separator_is_recorded() -> None:
    """Reference 87 prints '&' after its first author as well as before its last."""
    authors = BY_NUMBER[87].citation.authors
    assert [a.family for a in authors] == ["Entschladen", "Drell", "Lang", "Joseph", "Zaenker"]
    assert authors[1].separator == " & "
    assert all(a.separator is None for a in authors[2:])


def test_names_with_particles_hyphens_and_apostrophes() -> None:
    assert BY_NUMBER[29].citation.authors[0] == Author("de Vos", "F.Y.")
    assert BY_NUMBER[16].citation.authors[3] == Author("Vande Woude", "G.F.")
    assert BY_NUMBER[35].citation.authors[0] == Author("O'Reilly", "M.S.")
    assert BY_NUMBER[116].citation.authors[0] == Author("D'Angelo", "A.")
    assert BY_NUMBER[66].citation.authors[0] == Author("Neville-Webbe", "H.L.")
    assert BY_NUMBER[109].citation.authors[0] == Author("Vander Griend", "D.")


def test_et_al_is_recorded() -> None:
    assert BY_NUMBER[5].citation.et_al
    assert BY_NUMBER[5].citation.authors == (Author("Knapp", "S."),)
    assert not BY_NUMBER[4].citation.et_al


def test_titles_keep_the_printed_typos() -> None:
    assert "cell lne reduces" in BY_NUMBER[34].citation.title
    assert "metastatic potneial" in BY_NUMBER[34].citation.title
    assert BY_NUMBER[37].citation.title.startswith("Vascular channel gformation")
    assert "growt h factor" in BY_NUMBER[90].citation.title
    assert BY_NUMBER[105].citation.title.endswith("micrmetastases")


def test_titles_and_journals_with_periods_split_on_the_lexicon() -> None:
    assert BY_NUMBER[53].citation.title == "Mechanisms of disease. Mechanisms of bone metastasis"
    assert BY_NUMBER[53].citation.journal == "N. Engl. J. Med."
    assert BY_NUMBER[45].citation.journal == "Drugs Today (Barc.)"
    assert BY_NUMBER[17].citation.journal == "Proc. Natl. Acad. Sci. USA"
    assert BY_NUMBER[61].citation.title.startswith("Heat shock protein 90 as a molecular target")
    assert BY_NUMBER[31].citation.title.endswith("vascular \u201cdemand\u201d")


def test_link_labels_are_parsed_in_order() -> None:
    assert BY_NUMBER[17].links == ("Article", "CAS", "PubMed", "PubMed Central", "Google Scholar")
    assert BY_NUMBER[18].links == ("CAS", "PubMed", "Google Scholar")
    assert BY_NUMBER[1].links == ("Article", "Google Scholar")


def test_every_journal_printed_is_in_the_lexicon() -> None:
    journals = load_journals()
    assert {r.citation.journal for r in REVIEW.references} <= journals.keys()
    assert REVIEW.citation.journal in journals


# ---------------------------------------------------------------- bad input


def _write(tmp_path: Path, text: str | bytes, name: str = "page.txt") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _error(path: Path) -> str:
    with pytest.raises(PageFormatError) as caught:
        parse_file(path)
    message = str(caught.value)
    assert "\n" not in message
    return message


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def test_empty_file_is_refused(tmp_path: Path) -> None:
    message = _error(_write(tmp_path, ""))
    assert message == "page.txt: the file is empty; expected the text of a review page"


def test_truncated_page_names_the_last_reference(tmp_path: Path) -> None:
    text = SEED_TEXT[: SEED_TEXT.index("  42. ")]
    message = _error(_write(tmp_path, text))
    assert "the page ends after reference 41" in message
    assert "truncated" in message


def test_page_cut_before_its_citation_is_refused(tmp_path: Path) -> None:
    text = SEED_TEXT[: SEED_TEXT.index("Cite this article")]
    message = _error(_write(tmp_path, text))
    assert "no 'Cite this article' citation" in message


def test_reference_without_year_is_kept_partly_read_with_its_line(tmp_path: Path) -> None:
    text = SEED_TEXT.replace(
        "Nat. Rev. Cancer 3, 362\u2013374 (2003).", "Nat. Rev. Cancer 3, 362\u2013374."
    )
    review = parse_file(_write(tmp_path, text))
    reference = review.references[7]
    assert (reference.number, reference.line) == (8, _line_of(text, "  8. Friedl"))
    assert reference.partial == "has no year (expected '(YYYY).' at the end)"
    assert reference.raw.startswith("Friedl, P. & Wolf, K.")
    assert [a.printed for a in reference.citation.authors] == ["Friedl, P.", "Wolf, K."]
    assert all(r.partial is None for r in review.references if r.number != 8)


def test_duplicate_reference_number(tmp_path: Path) -> None:
    text = SEED_TEXT.replace("  43. Motzer", "  42. Motzer")
    message = _error(_write(tmp_path, text))
    assert f"page.txt:{_line_of(text, '  42. Motzer')}: reference 42 appears twice" in message


def test_missing_reference_number(tmp_path: Path) -> None:
    start = SEED_TEXT.index("  43. Motzer")
    end = SEED_TEXT.index("  44. Arao")
    text = SEED_TEXT[:start] + SEED_TEXT[end:]
    message = _error(_write(tmp_path, text))
    assert f"page.txt:{_line_of(text, '  44. Arao')}: reference 44 follows reference 42" in message
    assert "reference 43 is missing" in message


def test_non_utf8_file_is_refused(tmp_path: Path) -> None:
    data = SEED_TEXT.encode("utf-8").replace(b"Paget, S.", "P\xe4get, S.".encode("latin-1"))
    message = _error(_write(tmp_path, data))
    assert message.startswith(f"page.txt:{_line_of(SEED_TEXT, '  1. Paget')}: not UTF-8 text")


def test_html_file_is_refused(tmp_path: Path) -> None:
    html = "<!DOCTYPE html>\n<html><head><title>Tumor metastasis</title></head><body></body></html>"
    message = _error(_write(tmp_path, html, name="page.html"))
    assert message == (
        "page.html:1: this is an HTML document; expected the page's text (save the page as text)"
    )


def test_journal_in_no_lexicon_is_read_by_the_structure_of_the_line(tmp_path: Path) -> None:
    text = SEED_TEXT.replace("Carcinogenesis 26, 513", "Carcinogenes. Rep. 26, 513")
    reference = parse_file(_write(tmp_path, text)).references[2]
    assert reference.partial is None
    assert reference.citation.journal == "Carcinogenes. Rep."
    assert reference.citation.title == "Modeling metastasis in vivo"


def test_unexpected_line_in_header(tmp_path: Path) -> None:
    text = SEED_TEXT.replace(
        "Link to original content: https://dx.doi.org/10.1038/nm1469",
        "Something the site never printed",
        1,
    )
    message = _error(_write(tmp_path, text))
    assert f"page.txt:{_line_of(text, 'Something')}: unexpected line in the page header" in message


def test_a_link_label_the_parser_does_not_know_is_kept(tmp_path: Path) -> None:
    text = SEED_TEXT.replace(
        "    CAS\u00a0 PubMed\u00a0 Google Scholar\u00a0", "    Scopus\u00a0", 1
    )
    assert parse_file(_write(tmp_path, text)).references[17].links == ("Scopus",)


def test_small_page_parses(repo_root: Path) -> None:
    review = parse_file(repo_root / "tests/data/review_small.txt")
    assert len(review.references) == 12
    assert review.citation == REVIEW.citation


def test_parse_page_takes_a_journal_list() -> None:
    """With one known journal, every other one is read by the structure of its line."""
    review = parse_page(SEED_TEXT, source="seed", journals=["Lancet"])
    assert [r.citation for r in review.references] == [r.citation for r in REVIEW.references]


# ---------------------------------------------------------------- property: render o parse = id

_JOURNALS = sorted(load_journals())
_SPLIT = _journal_splitter(_JOURNALS)
_family = st.from_regex(r"(de |van |Vande |O')?[A-Z][a-z]{1,9}(-[A-Z][a-z]{1,8})?", fullmatch=True)
_initials = st.from_regex(r"[A-Z]\.([A-Z]\.){0,2}", fullmatch=True)
_author = st.builds(
    Author,
    family=_family,
    given=_initials,
    suffix=st.sampled_from([None, None, None, "III", "Jr."]),
)
_word = st.text(alphabet=string.ascii_letters + "-'0123456789", min_size=1, max_size=12)
_title = (
    st.lists(_word, min_size=1, max_size=12)
    .map(" ".join)
    .flatmap(
        lambda words: st.sampled_from(["", ": a study", ". Part two", "?"]).map(
            lambda end: words + end
        )
    )
    # A title opening with a lone capital ('A. study') reads as one more spaced initial.
    .filter(lambda title: not re.match(r"[A-Za-z0-9'-]\b", title))
)
_page = st.from_regex(r"S?[1-9][0-9]{0,4}", fullmatch=True)


@st.composite
def _citations(draw: st.DrawFn) -> Citation:
    authors = tuple(draw(st.lists(_author, min_size=1, max_size=6)))
    et_al = len(authors) == 1 and draw(st.booleans())
    return Citation(
        authors=authors,
        et_al=et_al,
        title=draw(_title).capitalize(),
        journal=draw(st.sampled_from(_JOURNALS)),
        volume=str(draw(st.integers(1, 999))),
        volume_note=draw(st.sampled_from([None, None, "Suppl.3", "Spec No 1"])),
        first_page=draw(_page),
        last_page=draw(st.one_of(st.none(), _page)),
        page_note=draw(st.sampled_from([None, None, "vii"])),
        year=draw(st.integers(1850, 2030)),
    )


@settings(max_examples=300, deadline=None)
@given(_citations())
def test_parse_inverts_render(citation: Citation) -> None:
    assert parse_citation(render_citation(citation), split=_SPLIT) == citation


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(LINK_LABELS), min_size=1, max_size=5, unique=True))
def test_link_labels_render_with_non_breaking_spaces(labels: list[str]) -> None:
    line = render_links(labels)
    assert line.startswith("    ") and line.endswith("\u00a0")
    assert [part.strip() for part in line.split("\u00a0")[:-1]] == labels
