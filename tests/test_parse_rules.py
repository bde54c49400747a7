"""Every rule and check of the parser (ingest/parse.py), each with a test that fails when it breaks.

The page checks run on a small page in the publisher's layout (MINI below): each test damages it
in one place and expects the one-line error naming that line, exactly. The reference rules run on
single lines, at the boundaries of each rule. A mutation tool (docs/testing.md) measures whether
these tests notice a changed rule.
"""

from pathlib import Path

import pytest

from ingest.errors import PageFormatError
from ingest.parse import MAX_PAGE_BYTES, parse_file, parse_page, read_page

NB = "\u00a0"
BULLET = "  \u2022 "
LONG = "Q" * 70  # longer than the 60 characters an error message quotes

MINI = "\n".join(
    [
        "iBet uBet web content aggregator. Adding the entire web to your favor.",
        "Link to original content: https://doi.org/10.1038/nrc0001",
        "Seeds and soils | Nature Reviews Cancer",
        "Skip to main content",
        BULLET + "Review Article",
        BULLET + "Published: 01 May 2007",
        "",
        "Seeds and soils",
        "",
        "Metastasis is the spread of cancer.",
        "",
        "Figure 1: The cascade.",
        "",
        "References",
        "",
        "  1. Paget, S. The distribution of secondary growths in cancer of the breast. Lancet 1, "
        "571\u2013573 (1889).",
        "",
        f"    Article{NB} Google Scholar{NB}",
        "",
        "  2. Fidler, I. J. The seed and soil hypothesis revisited. Nature Rev. Cancer 3, "
        "453\u2013458 (2003).",
        "",
        "  3. Weinberg, R. A. The Biology of Cancer (Garland Science, New York, 2007).",
        "",
        "Download references",
        "",
        "Cite this article",
        "",
        "Keller, A. Seeds and soils. Nat Rev Cancer 7, 412\u2013420 (2007). "
        "https://doi.org/10.1038/nrc0001",
        "",
        BULLET + "DOI: https://doi.org/10.1038/nrc0001",
        "",
    ]
)
REFERENCES = MINI[MINI.index("  1. Paget") : MINI.index("Download references")]
FIDLER = MINI[MINI.index("  2. Fidler") : MINI.index("\n", MINI.index("  2. Fidler"))]


def _until(needle: str) -> str:
    """Return MINI up to the end of the line holding `needle`: a page cut short there."""
    return MINI[: MINI.index("\n", MINI.index(needle)) + 1]


def _replace(old: str, new: str) -> str:
    assert MINI.count(old) == 1, old
    return MINI.replace(old, new)


def _parse_error(text: str) -> str:
    with pytest.raises(PageFormatError) as caught:
        parse_page(text, source="page.txt")
    return str(caught.value)


def test_the_small_page_parses() -> None:
    review = parse_page(MINI, source="page.txt")
    assert review.citation.title == "Seeds and soils"
    assert (review.doi, review.article_type) == ("10.1038/nrc0001", "Review Article")
    assert review.journal_title == "Nature Reviews Cancer"
    assert review.abstract == "Metastasis is the spread of cancer."
    assert [(f.number, f.title) for f in review.figures] == [(1, "The cascade.")]
    assert [(r.number, r.line, r.partial) for r in review.references] == [
        (1, 16, None),
        (2, 20, None),
        (3, 22, None),
    ]
    assert review.references[0].links == ("Article", "Google Scholar")
    assert review.references[1].raw == FIDLER.removeprefix("  2. ")
    assert review.source == "page.txt"


# ------------------------------------------------------------------------------- page damage

PAGE_DAMAGE = [
    ("ends in the header", _until("aggregator"),
     "page.txt:2: the page ends early; expected the page header ('  \u2022 Review Article')"),
    ("a link that is no link",
     _replace("content: https://doi.org/10.1038/nrc0001", "content: nowhere"),
     "page.txt:2: expected a link after 'Link to original content:'"),
    ("a link to another DOI",
     _replace("content: https://doi.org/10.1038/nrc0001", "content: https://doi.org/10.1038/nrc9"),
     "page.txt:2: the page links to DOI 10.1038/nrc9 but cites itself as 10.1038/nrc0001"),
    ("a line before the page title", _replace("Seeds and soils |", LONG + "\nSeeds and soils |"),
     f"page.txt:3: unexpected line in the page header: {LONG[:60]!r} (expected the site banner, "
     "'Link to original content: \u2026' or 'Title | Journal')"),
    ("an indented line before the type", _replace("Skip to main content", "   " + LONG),
     f"page.txt:4: unexpected line in the page header: {('   ' + LONG)[:60]!r} (expected the "
     "article-type bullet '  \u2022 Review Article')"),
    ("an empty article type", _replace(BULLET + "Review Article", BULLET),
     "page.txt:5: expected the article type (e.g. '  \u2022 Review Article')"),
    ("an article type ending in a colon", _replace("Review Article", "Review Article:"),
     "page.txt:5: expected the article type (e.g. '  \u2022 Review Article')"),
    ("no Published bullet", _replace(BULLET + "Published: 01 May 2007", "Published " + LONG),
     f"page.txt:6: expected '  \u2022 Published:', found {('Published ' + LONG)[:60]!r}"),
    ("ends before Published", _until("Review Article"),
     "page.txt:6: the page ends early; expected '  \u2022 Published:'"),
    ("ends before the title", _until("Published:"),
     "page.txt:7: the page ends early; expected the article title"),
    ("another title", _replace("\nSeeds and soils\n", "\nSeeds and soil\n"),
     "page.txt:8: expected the article title 'Seeds and soils' (from the page title), "
     "found 'Seeds and soil'"),
    ("no abstract", _replace("Metastasis is the spread of cancer.", "Introduction"),
     "page.txt:10: expected the abstract after the title"),
    ("ends in the body", _until("Figure 1"),
     "page.txt:13: the page ends early; expected 'References' (the reference list)"),
    ("a figure out of order", _replace("Figure 1:", "Figure 2:"),
     "page.txt:12: figure 2 follows figure 0; expected figure 1"),
    ("a figure number with a leading zero", _replace("Figure 1:", "Figure 01:"),
     "page.txt:12: figure number '01' has a leading zero; expected 1"),
    ("a figure number of seven digits", _replace("Figure 1:", "Figure 1234567:"),
     "page.txt:12: figure number 1234567\u2026 has 7 digits; expected at most 6"),
    ("a figure number in other digits", _replace("Figure 1:", "Figure \u0661:"),
     "page.txt:12: figure number '\u0661' is not written in digits"),
    ("ends after the references heading", _until("References"),
     "page.txt:15: the page ends after reference 0; expected more references or "
     "'Download references' (is the page truncated?)"),
    ("ends after a reference", _until("  2. Fidler"),
     "page.txt:21: the page ends after reference 2; expected more references or "
     "'Download references' (is the page truncated?)"),
    ("a line that is no reference", _replace("  2. Fidler", LONG + "\n\n  2. Fidler"),
     f"page.txt:20: unexpected line {LONG[:60]!r}; expected a numbered reference "
     "'  N. Authors. Title. Journal Volume, pages (year).'"),
    ("a reference twice", _replace("  2. Fidler", "  1. Fidler"),
     "page.txt:20: reference 1 appears twice (first at line 16)"),
    ("a reference missing", _replace("  2. Fidler", "  3. Fidler"),
     "page.txt:20: reference 3 follows reference 1; reference 2 is missing"),
    ("a reference without text", _replace(FIDLER, "  2. \t"),
     "page.txt:20: reference 2 has no text"),
    ("a reference number of seven digits", _replace("  2. Fidler", "  1234567. Fidler"),
     "page.txt:20: reference number 1234567\u2026 has 7 digits; expected at most 6"),
    ("a reference number with a leading zero", _replace("  2. Fidler", "  02. Fidler"),
     "page.txt:20: reference number '02' has a leading zero; expected 2"),
    ("a reference number of zeros", _replace("  2. Fidler", "  00. Fidler"),
     "page.txt:20: reference number '00' has a leading zero; expected 0"),
    ("an empty reference list", _replace(REFERENCES, ""),
     "page.txt:16: the reference list is empty"),
    ("a back heading for the first reference", _replace(REFERENCES, "Acknowledgements\n\n"),
     "page.txt:16: unexpected line 'Acknowledgements'; expected a numbered reference "
     "'  N. Authors. Title. Journal Volume, pages (year).'"),
    ("link labels without the last space", _replace(f"Scholar{NB}", "Scholar"),
     "page.txt:18: expected the link labels of reference 1 separated by non-breaking spaces"),
    ("link labels spaced otherwise", _replace(f"Article{NB} Google", f"Article{NB}  Google"),
     "page.txt:18: the link labels of reference 1 are not in the publisher's layout"),
    ("an empty link label", _replace(f"Article{NB} Google", f"Article{NB} {NB} Google"),
     "page.txt:18: the link labels of reference 1 are not in the publisher's layout"),
    ("a citation without its link", _replace(" https://doi.org/10.1038/nrc0001\n\n", "\n\n"),
     "page.txt:28: expected the review's citation ending in its https://doi.org/ link"),
    ("a citation read partly", _replace("412\u2013420 (2007).", "412\u2013420 2007."),
     "page.txt:28: the review's citation ends in a year that is not printed as '(YYYY).'"),
    ("a citation of another title", _replace("A. Seeds and soils.", "A. Seeds and soil."),
     "page.txt:28: the review's citation names the title 'Seeds and soil', but the page's "
     "title is 'Seeds and soils'"),
    ("a DOI bullet without a link", _replace("DOI: https://doi.org/10.1038/nrc0001", "DOI: nrc1"),
     "page.txt:30: expected a doi.org link after '\u2022 DOI:'"),
    ("a DOI bullet of another DOI", _replace("DOI: https://doi.org/10.1038/nrc0001",
                                             "DOI: https://doi.org/10.1038/nrc2"),
     "page.txt:30: DOI 10.1038/nrc2 differs from the cited DOI 10.1038/nrc0001"),
    ("a DOI bullet of another DOI before the citation",
     _replace("Cite this article\n", BULLET + "DOI: https://doi.org/10.1038/nrc2\n\n"
              "Cite this article\n"),
     "page.txt:26: DOI 10.1038/nrc2 differs from the cited DOI 10.1038/nrc0001"),
    ("no citation", _replace("Cite this article\n", "Related links\n"),
     "page.txt:31: the page has no 'Cite this article' citation with a DOI "
     "(is the page truncated?)"),
    ("a citation before its heading",
     _replace("Cite this article\n", "Acknowledgements\n\nWe thank the reviewers.\n\n"
              "Cite this article\n"),
     None),  # the text under another heading is no citation: the page parses
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"), [c[1:] for c in PAGE_DAMAGE], ids=[c[0] for c in PAGE_DAMAGE]
)
def test_page_damage_is_one_line_naming_the_line(text: str, expected: str | None) -> None:
    if expected is None:
        parse_page(text, source="page.txt")
        return
    assert _parse_error(text) == expected


def test_a_page_without_a_link_line_parses() -> None:
    review = parse_page(
        _replace("Link to original content: https://doi.org/10.1038/nrc0001\n", ""), source="p"
    )
    assert review.doi == "10.1038/nrc0001"


@pytest.mark.parametrize(
    "link",
    ["https://doi.org/10.1038/NRC0001", "https://dx.doi.org/10.1038/nrc0001",
     "https://www.nature.com/articles/nrc0001"],
)  # fmt: skip
def test_the_link_line_may_write_the_doi_otherwise_or_not_be_a_doi(link: str) -> None:
    text = _replace("content: https://doi.org/10.1038/nrc0001", f"content: {link}")
    assert parse_page(text, source="p").doi == "10.1038/nrc0001"


def test_a_page_title_holding_the_separator_splits_at_the_last() -> None:
    text = MINI.replace("Seeds and soils", "Seeds | soils")
    review = parse_page(text, source="p")
    assert (review.citation.title, review.journal_title) == (
        "Seeds | soils",
        "Nature Reviews Cancer",
    )


def test_navigation_lines_and_bullets_in_the_header_are_passed_over() -> None:
    text = _replace(
        BULLET + "Published: 01 May 2007",
        f"{BULLET}Open access\n{BULLET}Published: 01 May 2007",
    ).replace("Skip to main content", "Skip to main content\nNature Reviews Cancer\nAdvertisement")
    assert parse_page(text, source="p").article_type == "Review Article"


def test_a_byte_order_mark_is_ignored() -> None:
    assert parse_page("\ufeff" + MINI, source="p").doi == "10.1038/nrc0001"


def test_the_abstract_skips_the_article_information_and_its_heading() -> None:
    text = _replace(
        "\nMetastasis is",
        f"\n{BULLET}Ann Keller\nNature Reviews Cancer volume 7, pages 412\u2013420 (2007)Cite this "
        f"article\n\n{BULLET}1234 Accesses\n\nAbstract\n\nMetastasis is",
    )
    assert parse_page(text, source="p").abstract == "Metastasis is the spread of cancer."


@pytest.mark.parametrize("end", [".", "?", "!", ")", "\u201d", '"', "\u2019", "]", ". "])
def test_a_further_paragraph_ending_a_sentence_is_abstract(end: str) -> None:
    text = _replace("spread of cancer.\n", f"spread of cancer.\n\nIt kills{end}\n")
    assert parse_page(text, source="p").abstract.endswith(f"It kills{end}")


@pytest.mark.parametrize(
    "stop",
    ["Key points", "Receive 51 print issues and online access.", "Figure 1: The cascade.",
     "Fig. 1: The cascade.", "Glossary"],
)  # fmt: skip
def test_the_abstract_ends_at_a_heading_the_paywall_or_a_figure(stop: str) -> None:
    text = _replace("spread of cancer.\n\nFigure 1: The cascade.", f"spread of cancer.\n\n{stop}")
    assert parse_page(text, source="p").abstract == "Metastasis is the spread of cancer."


def test_a_further_paragraph_ending_no_sentence_is_a_heading() -> None:
    text = _replace("spread of cancer.\n", "spread of cancer.\n\nOrgan tropism\n\nIt kills.\n")
    assert parse_page(text, source="p").abstract == "Metastasis is the spread of cancer."


def test_figure_titles_are_read_in_both_forms_and_the_rest_of_the_body_passed_over() -> None:
    text = _replace(
        "Figure 1: The cascade.\n",
        "Figure 1: The cascade.\n\nBox 1 | Seeds\n\nFig. 2: Soils.\n\nFigure 3 shows more.\n",
    )
    figures = parse_page(text, source="p").figures
    assert [(f.number, f.title) for f in figures] == [(1, "The cascade."), (2, "Soils.")]


def test_a_back_heading_ends_the_reference_list() -> None:
    text = _replace("Download references", "Acknowledgements")
    assert [r.number for r in parse_page(text, source="p").references] == [1, 2, 3]


def test_doi_bullets_may_come_first_and_write_the_doi_in_capitals() -> None:
    text = _replace(
        "Cite this article\n",
        f"{BULLET}DOI: https://doi.org/10.1038/NRC0001\n\n{BULLET}DOI:\n\nCite this article\n",
    )
    assert parse_page(text, source="p").doi == "10.1038/nrc0001"


def test_text_under_cite_this_article_after_the_citation_is_passed_over() -> None:
    text = _replace("\n\n" + BULLET + "DOI:", "\n\nDownload citation\n\n" + BULLET + "DOI:")
    text = text.replace(
        "https://doi.org/10.1038/nrc0001\n\nDownload",
        "https://doi.org/10.1038/nrc0001\nSee also https://x.org/y\nDownload",
    )
    assert parse_page(text, source="p").doi == "10.1038/nrc0001"


# ------------------------------------------------------------------------------- the file


def _file_error(path: Path) -> str:
    with pytest.raises(PageFormatError) as caught:
        parse_file(path)
    return str(caught.value)


def _file(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "page.txt"
    path.write_bytes(data)
    return path


def test_a_file_of_exactly_the_size_limit_is_read(tmp_path: Path) -> None:
    data = MINI.encode("utf-8")
    path = _file(tmp_path, data + b"\n" * (MAX_PAGE_BYTES - len(data)))
    assert path.stat().st_size == MAX_PAGE_BYTES
    assert read_page(path).startswith(MINI)


def test_a_text_of_exactly_the_size_limit_is_read() -> None:
    padding = ("x" * 60_000 + "\n") * ((MAX_PAGE_BYTES - len(MINI)) // 60_001)
    text = MINI + padding
    text += "\n" * (MAX_PAGE_BYTES - len(text))
    assert parse_page(text, source="p").doi == "10.1038/nrc0001"
    assert _parse_error(text + "\n") == (
        f"page.txt: the page is {MAX_PAGE_BYTES + 1:,} characters; pages of up to 20 MiB are read"
    )


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"\x00abc", "page.txt:1: the file holds NUL bytes (is it UTF-16?); expected the page "
         "saved as UTF-8 text"),
        (b"a\nb\nc\x00d\ne\x00", "page.txt:3: the file holds NUL bytes (is it UTF-16?); expected "
         "the page saved as UTF-8 text"),
        (b"ab\n\xff", "page.txt:2: not UTF-8 text (byte 0xff at offset 3); expected the page "
         "saved as UTF-8 text"),
        ("\u00e2\u20acx".encode(), "page.txt:1: the text holds '\u00e2\u20ac', UTF-8 decoded "
         "twice; save the page again as UTF-8"),
        ("\n\na \u00c3\u00a9\n\u00c3\u00a9".encode(), "page.txt:3: the text holds '\u00c3\u00a9', "
         "UTF-8 decoded twice; save the page again as UTF-8"),
        ("a\u00c2\u00a0".encode(), "page.txt:1: the text holds '\u00c2\\xa0', UTF-8 decoded "
         "twice; save the page again as UTF-8"),
        (b" \n ", "page.txt: the file is empty; expected the text of a review page"),
    ],
)  # fmt: skip
def test_a_file_that_is_not_utf8_text_is_refused_naming_the_line(
    tmp_path: Path, data: bytes, expected: str
) -> None:
    assert _file_error(_file(tmp_path, data)) == expected


HTML = "page.txt:1: this is an HTML document; expected the page's text (save the page as text)"


@pytest.mark.parametrize(
    "text",
    ["<!DOCTYPE html><html>", "\ufeff  <HTML lang=en>", "\n <?xml version='1.0'?>",
     "Title\n" + "x" * 1989 + "<BODY>"],
)  # fmt: skip
def test_an_html_document_is_refused(tmp_path: Path, text: str) -> None:
    assert _file_error(_file(tmp_path, text.encode())) == HTML


def test_a_body_tag_after_the_first_2000_characters_is_text(tmp_path: Path) -> None:
    text = "Title\n" + "x" * 1990 + "<body>"
    message = _file_error(_file(tmp_path, text.encode()))
    assert message != HTML


# ------------------------------------------------------------------------------- journal indexes


def test_journal_key_keeps_lower_case_letters_and_digits() -> None:
    from ingest.parse import journal_key

    assert journal_key("Proc. Natl Acad. Sci. USA") == "procnatlacadsciusa"
    assert journal_key("Drugs Today (Barc.) 2") == "drugstodaybarc2"


@pytest.mark.parametrize(
    ("printed", "status"),
    [("Nat. Med.", "exact"), ("nat med", "ambiguous"), ("Cell", "exact"), ("CELL.", "normalised"),
     ("Blood", "unknown")],
)  # fmt: skip
def test_a_name_index_matches_exactly_then_by_key(printed: str, status: str) -> None:
    from ingest.parse import NameIndex

    index = NameIndex(["Nat. Med.", "Nat Med", "Cell"])
    assert index.status(printed) == status


def test_a_name_index_knows_the_abbreviated_words_of_its_names() -> None:
    from ingest.parse import NameIndex

    index = NameIndex(["Nat. Med.", "Clin. Exp. Metastasis"])
    assert [index.knows_word(w) for w in ("Med.", "Exp.", "Nat", "Metastasis.")] == [
        True, True, False, False,
    ]  # fmt: skip


def test_the_catalogue_index_answers_as_the_lexicon_then_the_catalogue() -> None:
    from ingest.parse import default_journals

    index = default_journals()
    assert [
        index.status(n) for n in ("Nat. Med.", "Cell Rep.", "cancer. Cell", "Acta Crystallogr. A")
    ] == ["exact", "exact", "normalised", "ambiguous"]
    assert index.status("J. R. Stat. Soc. B") == "unknown"
    # Words the NLM tables abbreviate to, and those of the lexicon's names ('Invest.', 'Updat.').
    assert [index.knows_word(w) for w in ("Biophys.", "NATL.", "Invest.", "Updat.")] == [True] * 4
    assert [index.knows_word(w) for w in ("Revisited.", "Metastasis.", "I.")] == [False] * 3


def test_journal_lookups_are_cached_within_a_bound() -> None:
    from ingest.parse import CatalogueIndex

    assert CatalogueIndex()._resolve.cache_info().maxsize == 1 << 16  # type: ignore[attr-defined]


# ------------------------------------------------------------------------------- reference lines

LINES = Path(__file__).parent / "data" / "reference_lines.txt"


def _describe_lines() -> str:
    from test_pages import describe_citation

    from ingest.parse import read_citation

    out = []
    for line in LINES.read_text(encoding="utf-8").split("\n"):
        if not line or line.startswith("#"):
            continue
        citation, partial = read_citation(line)
        head = f"partly read: {partial}" if partial is not None else citation.kind.value
        out += [f"line: {line}", head, *describe_citation(citation), ""]
    return "\n".join(out)


def test_reference_lines_read_as_expected() -> None:
    """Each line of reference_lines.txt reads as reference_lines.expected says.

    Regenerate the expected file only for an intended change, and read its diff:
    MKG_REGENERATE_EXPECTED=1 pytest tests/test_parse_rules.py -k reference_lines
    """
    import os

    expected = LINES.with_suffix(".expected")
    found = _describe_lines()
    if os.environ.get("MKG_REGENERATE_EXPECTED"):
        expected.write_text(found, encoding="utf-8")
    assert found == expected.read_text(encoding="utf-8")


# ------------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("text", "end"),
    [
        ("F.Y. Title", 4), ("R. A. The", 5), ("J.-P. Capp", 5), ("Yu. H. F. Title", 9),
        ("Chr. X", 4),  # an initial is a capital and at most two small letters
        ("Chri. X", None), ("u.V.", None), ("J.-p. X", 5), ("Ö. Ü.", 5), ("Zh.K.I. Jr", 7),
        ("R. A. E. coli", 5),  # 'E. coli' opens the title
        ("R. A", 2), ("F.Y.", 4), ("F.-", None), ("J.-1", None), ("A. B. C. D", 8),
    ],
)  # fmt: skip
def test_initials_end_where_the_rules_say(text: str, end: int | None) -> None:
    from ingest.parse import _read_initials

    assert _read_initials(text, 0) == end


@pytest.mark.parametrize(
    ("text", "binomial"),
    [("E. coli", True), ("C. elegans", True), ("E. colis", True), ("E. col kills", False),
     ("E.coli", False), ("E. Coli", False), ("E. c", False)],
)  # fmt: skip
def test_a_capital_then_a_small_word_of_four_letters_opens_a_binomial(
    text: str, binomial: bool
) -> None:
    from ingest.parse import _starts_binomial

    assert _starts_binomial(text, 0) is binomial
    assert _starts_binomial("Ab " + text, 3) is binomial


@pytest.mark.parametrize(
    ("family", "ok"),
    [("Smith", True), ("St. John", True), ("Mac. Donald", True), ("Stan. Lee", False),
     ("St. Jo. X", False), ("Smith & Jones", False), ("Smith et al", False), ("Sm1th", False),
     (" Smith", False), ("Smith ", False), ("", False)],
)  # fmt: skip
def test_a_family_name_has_no_digit_ampersand_or_full_stop_past_a_short_prefix(
    family: str, ok: bool
) -> None:
    from ingest.parse import _family_ok

    assert _family_ok(family) is ok


@pytest.mark.parametrize(
    ("text", "suffix", "separator", "end"),
    [
        ("Hall, R. O., III & X", "III", ", ", 16), ("Hall, R. O. Jr & X", "Jr", " ", 14),
        ("Hall, R. O. III & X", None, ", ", 11),  # only Jr and Sr follow a space
        ("Hall, R. O., Jr. & X", "Jr.", ", ", 16), ("Hall, R. O., IIII & X", None, ", ", 11),
        ("Hall, R. O., 2nd. X", None, ", ", 11), ("Hall, R. O., Jr", "Jr", ", ", 15),
        ("Hall, R. O. Sr.", "Sr.", " ", 15), ("Hall, R. O., III, X", "III", ", ", 16),
        ("Hall, R. O., IIIx", None, ", ", 11), ("Hall, R. O., Jr.X", None, ", ", 11),
    ],
)  # fmt: skip
def test_a_suffix_follows_the_initials(
    text: str, suffix: str | None, separator: str, end: int
) -> None:
    from ingest.parse import _read_name

    found = _read_name(text, 0, len(text))
    assert found is not None
    author, stop = found
    assert (author.family, author.given, author.suffix) == ("Hall", "R. O.", suffix)
    assert (author.suffix_separator, stop) == (separator, end)


def test_a_name_ends_within_its_limit_and_a_family_name_is_at_most_80_characters() -> None:
    from ingest.parse import _read_name

    assert _read_name("Hall, R. O.", 0, 10) is None
    assert _read_name("Hall, R. O.", 0, 11) is not None
    assert _read_name(", R. O.", 0, 7) is None
    assert _read_name("X" * 80 + ", A.", 0, 200) is not None
    assert _read_name("X" * 81 + ", A.", 0, 200) is None


@pytest.mark.parametrize(
    ("text", "group"),
    [
        ("The Cancer Genome Atlas Network. Title", "The Cancer Genome Atlas Network"),
        ("Group with Others. X", "Group with Others"),  # a connector of four letters
        ("Group for the study of cancer. X", None),  # a small word of four letters or more
        ("Group the. X", None),  # the last word in small letters
        ("group Name. X", None), ("Name, Inc. X", None), ("A. X", "A"),
        ("A" * 198 + ". X", "A" * 198), ("A" * 199 + ". X", None),
    ],
)  # fmt: skip
def test_a_group_name_is_a_sentence_in_title_case(text: str, group: str | None) -> None:
    from ingest.parse import _read_group

    found = _read_group(text, 0, len(text))
    assert (found[0].family if found else None) == group
    if found:
        assert found[0].given is None and found[1] == len(group) + 1


def test_a_group_name_ends_within_its_limit() -> None:
    from ingest.parse import _read_group

    assert _read_group("Abc. X", 0, 4) is None
    assert _read_group("Abc. X", 0, 5) is not None
    assert _read_group("X Abc. Y", 2, 8) is not None


# ------------------------------------------------------------------------------- what a line lacks

PARTIAL_NOTES = [
    ("Keller, A. Organotropism in the soil Clin. Exp. Metastasis 23, 1\u201312 (2006).",
     "has no full stop between its title and the journal 'Clin. Exp. Metastasis'"),
    ("Olumi, A. F. Fibroblasts. Cancer Res. 59, 5002\u20135011 (1999); erratum 60, 1451 2000.",
     "has an erratum that does not end in '(YYYY).'"),
    ("Olumi, A. F. Fibroblasts. Cancer Res. 59, 5002\u20135011 (1999); erratum 60, 1451 (20x0).",
     "has an erratum without its year"),
    ("Olumi, A. F. Fibroblasts. Cancer Res. 59, 5002\u20135011 (1999); erratum sixty (2000).",
     "has an erratum whose volume and pages could not be read"),
    ("Olumi, A. F. Fibroblasts. Cancer Res. 59, 5002\u20135011 (1999)",
     "does not end in a full stop"),
    ("Olumi, A. F. Fibroblasts. Cancer Res. 59, 5002\u20135011 (Springer).",
     "ends in '(Springer)', which is no ending of the publisher's style"),
    ("Olumi, A. F. Fibroblasts. Cancer Res. 59, 5002\u20135011 1999.",
     "ends in a year that is not printed as '(YYYY).'"),
    ("Olumi, A. F. Fibroblasts. Cancer Res. 59, 5002\u20135011.",
     "ends in a year that is not printed as '(YYYY).'"),
    ("Steeg, P. S. personal communicaton.", "has no year (expected '(YYYY).' at the end)"),
    ("Olumi, A. F., Smith, J.Title here. Cancer Res. 59, 5002 (1999).",
     "has a list of names that could not be read: "
     "'Olumi, A. F., Smith, J.Title here. Cancer Res.'"),
    ("The authors, unpublished data.", "has no names where expected: 'The authors '"),
    ("Olumi, A. F. Title. personal communication.",
     "has something other than names before 'personal communication'"),
    ("Olumi, A. F. (in press).", "has no title before its status"),
    ("Olumi, A. F. Fibroblasts. Cancer Res. 5002 (1999).",
     "has no 'Volume, pages' before its year (expected 'Journal 12, 895\u2013904')"),
    ("Olumi, A. F. carcinoma fibroblasts 59, 5002 (1999).",
     "names no journal that could be told from the title (expected 'Title. Journal Volume, "
     "pages (year).'); the text before the volume is 'F. carcinoma fibroblasts'"),
    ("Olumi, A. F. Fibroblasts. Cancer Res. x, abstr. 12 (1999).",
     "has an abstract number after something that is not a volume"),
    ("Olumi, A. F. carcinoma fibroblasts abstr. 12 (1999).",
     "names no journal before its abstract number"),
    ("Olumi, A. F. Fibroblasts PhD thesis, Univ. X (1999).",
     "has a thesis whose title, degree or institution could not be read"),
    ("Olumi, A. F. PhD thesis, Univ. X (1999).", "has a thesis with no title"),
    ("Olumi, A. F. Fibroblasts. US Patent (1999).", "has a patent without its number"),
    ("Olumi, A. F. US Patent 1,234 (1999).", "has a patent with no title"),
    ("Olumi, A. F. Fibroblasts. <http://x.org/abc (1999).",
     "has a link with unmatched angle brackets"),
    ("Olumi, A. F. Fibroblasts. http://x.org/abc> (1999).",
     "has a link with unmatched angle brackets"),
    ("Olumi, A. F. http://x.org/abc (1999).", "has a link with no title before it"),
    ("Olumi, A. F. Fibroblasts (accessed 1 May 2020).",
     "has no link before its year or access date"),
    ("Olumi, A. F. Fibroblasts (2001; accessed 1 May 2020).",
     "has no link before its year or access date"),
    ("Olumi, A. F. Fibroblasts (Springer, Berlin).",
     "ends in '(Springer, Berlin)' without a year after the publisher"),
    ("Olumi, A. F. Fibroblasts Abstract 12 presented at Meeting (Place, 1999).",
     "has a meeting presentation whose abstract number could not be read"),
    ("Olumi, A. F. Fibroblasts. Abstract presented at Meeting (Place, 1999).",
     "has a meeting presentation whose title could not be read"),
    ("Olumi, A. F. Abstract 12 presented at Meeting (Place, 1999).",
     "has a meeting presentation with no title"),
    ("Olumi, A. F. in Book (eds Smith & Jones) 1\u20132 (Springer, 1999).",
     "has a chapter whose editors could not be read"),
    ("Olumi, A. F. 12 (Springer, 1999).", "has no title before its publisher"),
    ("Lyden D. et al. Id1 and Id3. Nature 401, 670\u2013677 (1999).",
     "could not be read back exactly as printed"),
]  # fmt: skip


@pytest.mark.parametrize(("line", "note"), PARTIAL_NOTES)
def test_a_line_read_partly_says_what_it_lacks(line: str, note: str) -> None:
    from ingest.parse import parse_citation, read_citation

    assert read_citation(line)[1] == note
    with pytest.raises(PageFormatError) as caught:
        parse_citation(line)
    assert str(caught.value) == f"<citation>: {note}"


def test_a_line_read_partly_keeps_names_year_doi_and_url() -> None:
    from ingest.parse import read_citation

    line = (
        "Olumi, A. F. et al. in Book https://doi.org/10.1000/abc, (eds Smith & Jones) 1\u20132 "
        "(Springer, 2001)."
    )
    citation, note = read_citation(line)
    assert note == "has a chapter whose editors could not be read"
    assert [(a.family, a.given) for a in citation.authors] == [("Olumi", "A. F.")]
    assert citation.et_al is True
    assert (citation.year, citation.doi, citation.url) == (
        2001, "10.1000/abc", "https://doi.org/10.1000/abc",
    )  # fmt: skip
    assert citation.title == "" and citation.kind.value == "journal-article"
    bare, _ = read_citation("Some words without names, 1999x.")
    assert (bare.authors, bare.et_al, bare.year, bare.doi, bare.url) == (
        (),
        False,
        None,
        None,
        None,
    )


# ------------------------------------------------------------------------------- title and journal


@pytest.mark.parametrize(
    ("word", "abbreviation"),
    [("Biophys.", True), ("Med.", True), ("(Barc.", True), ("Ab1c.", True), ("Ab1cd.", False),
     ("Neurosci.", True), ("Pharmacol.", True), ("Revisited.", False), ("Medicine.", False),
     ("Directions.", False), ("Oncogene.", False), ("Natlee.", True), ("Abcdefe.", False),
     ("Cardio-vasc.", True), ("Nursing.", False)],
)  # fmt: skip
def test_an_abbreviated_journal_word_is_cut_before_a_vowel(word: str, abbreviation: bool) -> None:
    from ingest.parse import NameIndex, _is_abbreviation

    assert _is_abbreviation(word, NameIndex(["Lancet"])) is abbreviation
    # A word of a known journal name is an abbreviation whatever its ending.
    assert _is_abbreviation(word, NameIndex([f"Adv. {word}"])) is True


@pytest.mark.parametrize(
    ("word", "journal"),
    [("of", True), ("and", True), ("npj", True), ("Cancer:", False), ("Res.,", False),
     ("Res;", False), ("", False), ("()", False), (".Cancer", False), ("Cancer", True),
     ("Xenobiotica", True), ("Xeno.", True), ("eLife", True), ("mBio", True), ("cancer", False),
     ("(Barc)", True), ("B12", False), ("(B12)", True), ("B12)", True), ("(B12", True),
     ("(2013)", False)],
)  # fmt: skip
def test_a_journal_word_is_capitalised_bracketed_or_a_connector(word: str, journal: bool) -> None:
    from ingest.parse import _journal_word

    assert _journal_word(word) is journal


@pytest.mark.parametrize(
    ("name", "journal"),
    [("and Cancer", False), ("of Cancer", False), ("the Cancer", False), ("& Cancer", False),
     ("in Cancer", False), ("The Cancer", True), (" Cancer", False), ("Revisited. Cancer", False),
     ("Cancer Revisited. Res", False), ("Cancer Revisited.", True), ("Cancer  Res.", False),
     ("Cancer Res.", True), (" ".join(["Ab"] * 52) + "ccccc", True),
     (" ".join(["Ab"] * 52) + "cccccc", False)],
)  # fmt: skip
def test_a_journal_name_has_journal_words_and_abbreviations(name: str, journal: bool) -> None:
    from ingest.parse import NameIndex, _journal_like

    assert _journal_like(name, NameIndex(["Lancet"])) is journal


@pytest.mark.parametrize(
    ("title", "terminated"),
    [("Why?", True), ("No!", True), ('the "soil."', True), ("the \u201csoil?\u201d", True),
     ("the \u2018soil!\u2019", True), ('the "soil"', False), ("soil.", False), ('."', True),
     ('"', False)],
)  # fmt: skip
def test_a_title_ends_its_own_sentence_with_a_question_exclamation_or_quote(
    title: str, terminated: bool
) -> None:
    from ingest.parse import _terminated

    assert _terminated(title) is terminated


@pytest.mark.parametrize(
    ("text", "end", "ending"),
    [("Title. Nature", 6, True), ("Title Nature", 5, False), ("Title.", 0, False),
     (". X", 1, True), ('the "soil." Nature', 11, True), ('."', 2, True), ("Why? X", 4, True),
     ("No! X", 3, True)],
)  # fmt: skip
def test_a_title_can_end_after_a_full_stop_question_exclamation_or_quote(
    text: str, end: int, ending: bool
) -> None:
    from ingest.parse import _title_ending

    assert _title_ending(text, end) is ending


JOURNAL_160 = " ".join(["Ab"] * 52) + "ccccc"  # the longest journal name read


def _split(text: str, names: list[str]) -> tuple[str, str] | str | None:
    from ingest.parse import NameIndex, _split_title, _Unread

    try:
        found = _split_title(text, NameIndex(names))
    except _Unread as unread:
        return unread.note
    return (found.title, found.journal) if found else None


@pytest.mark.parametrize(
    ("text", "names", "split"),
    [
        ("Title. Nature Rev. Cancer", ["Cancer"], ("Title", "Nature Rev. Cancer")),
        ("Title in the soil Clin. Exp. Metastasis", ["Clin. Exp. Metastasis"],
         "has no full stop between its title and the journal 'Clin. Exp. Metastasis'"),
        ("Title. Nature Rev Cancer", ["Cancer"], ("Title", "Nature Rev Cancer")),
        ("the hallmarks of cancer. Cell", ["Cancer Cell"], ("the hallmarks of cancer", "Cell")),
        ("Title. cancer Res.", ["cancer Res."], ("Title", "cancer Res.")),
        ("Title. cancer res.", ["Cancer Res."], None),
        ("Why metastasis? Nature", [], ("Why metastasis?", "Nature")),
        ("title without journal", [], None),
        (". Nature", [], None),
        ("Title. 1 Nature", [], None),
        ("Title. " + JOURNAL_160, [], ("Title", JOURNAL_160)),
        ("Title. " + JOURNAL_160 + "c", [], None),
    ],
)  # fmt: skip
def test_title_and_journal_split_at_the_longest_journal_after_a_sentence_end(
    text: str, names: list[str], split: tuple[str, str] | str | None
) -> None:
    assert _split(text, names) == split


# ---------------------------------------------------------------- statuses and meetings
# Found by the mutation run over ingest/parse.py (docs/testing.md): rules no test checked.


def test_a_meeting_presentation_without_an_abstract_number_has_no_label_or_number() -> None:
    from ingest.parse import read_citation
    from ingest.records import Kind

    line = (
        "Smith, J. & Jones, K. A title of work. Presented at the AACR Annual Meeting "
        "(Chicago, 2006)."
    )
    citation, note = read_citation(line)
    assert note is None
    assert citation.kind is Kind.CONFERENCE_ABSTRACT
    assert (citation.abstract_label, citation.abstract_number) == (None, None)


def test_an_abstract_number_after_two_spaces_is_not_read_and_the_note_says_why() -> None:
    """The label, number and 'presented at' are split on single spaces, as printed."""
    from ingest.parse import read_citation

    line = (
        "Smith, J. A title of work. abstr.  123 presented at the AACR Annual Meeting "
        "(Chicago, 2006)."
    )
    _, note = read_citation(line)
    assert note == "has a meeting presentation whose title could not be read"


def test_a_title_before_a_status_after_a_full_stop_keeps_its_own_final_period() -> None:
    """'Work on A.. Submitted.': the title is 'Work on A.'; only ' (' statuses drop a period."""
    from ingest.parse import read_citation, render_citation

    line = "Smith, J. Work on A.. Submitted."
    citation, note = read_citation(line)
    assert note is None
    assert (citation.title, citation.status_separator) == ("Work on A.", ". ")
    assert render_citation(citation) == line


def test_a_status_without_a_recorded_separator_is_printed_in_brackets() -> None:
    """Readers of other formats give no separator: the publisher's ' (in press).' is used."""
    from ingest.parse import render_citation
    from ingest.records import Author, Citation, Kind

    citation = Citation(
        authors=(Author("Smith", "J."),), et_al=False, title="A title of work",
        journal="Nature", volume=None, volume_note=None, first_page=None, last_page=None,
        page_note=None, year=None, kind=Kind.IN_PRESS, status="in press",
    )  # fmt: skip
    assert render_citation(citation) == "Smith, J. A title of work. Nature (in press)."


# ---------------------------------------------------------------- chapters and line ends


@pytest.mark.parametrize(
    ("line", "note"),
    [
        (
            "Smith, J. A chapter. in Cancer Biology (eds Jones, K. et al.) 12–15 "
            "(Springer, New York, 2000).",
            "has a chapter whose editors could not be read",
        ),
        (
            "Smith, J. A chapter. in  (Springer, New York, 2000).",
            "has a chapter with no book title after 'in'",
        ),
        # Eight characters: the year hint looks at the line's last eight.
        ("Ab 2000.", "ends in a year that is not printed as '(YYYY).'"),
    ],
)
def test_a_line_read_partly_says_what_could_not_be_read(line: str, note: str) -> None:
    from ingest.parse import read_citation

    assert read_citation(line)[1] == note


def test_a_chapter_without_pages_has_none_and_a_one_word_book_title_is_not_pages() -> None:
    from ingest.parse import read_citation

    chapter, note = read_citation(
        "Smith, J. A chapter. in Cancer Biology (Springer, New York, 2000)."
    )
    assert note is None
    assert (chapter.first_page, chapter.last_page) == (None, None)
    # A book title of one word is the title even when it reads like a page number.
    novel, note = read_citation("Smith, J. A chapter. in 1984 (Secker & Warburg, London, 1949).")
    assert note is None
    assert (novel.book_title, novel.first_page) == ("1984", None)


def test_a_thesis_without_a_degree_has_none() -> None:
    from ingest.parse import read_citation

    thesis, note = read_citation("Smith, J. A title of work. Thesis, Univ. Cambridge (2004).")
    assert note is None
    assert (thesis.degree, thesis.label, thesis.publisher) == (None, "Thesis", "Univ. Cambridge")


def test_an_erratum_keeps_its_page_range() -> None:
    from ingest.parse import read_citation
    from ingest.records import Erratum

    line = "Smith, J. A title of work. Nature 400, 10–12 (1999); erratum 401, 200–201 (1999)."
    citation, note = read_citation(line)
    assert note is None
    assert citation.erratum == Erratum("erratum", "401", "200", "201", 1999, None)


@pytest.mark.parametrize("locator", ["401 Suppl 1, 200", "401, 200 vii"])
def test_an_erratum_with_a_volume_or_page_note_is_not_read(locator: str) -> None:
    """An erratum prints volume and pages only: a note on either makes the line partial."""
    from ingest.parse import read_citation

    line = f"Smith, J. A title of work. Nature 400, 10–12 (1999); erratum {locator} (1999)."
    assert read_citation(line)[1] == "has an erratum whose volume and pages could not be read"


def test_a_preprint_keeps_its_access_date() -> None:
    from ingest.parse import read_citation

    line = (
        "Smith, J. A title of work. Preprint at bioRxiv https://doi.org/10.1101/123456 "
        "(accessed 3 May 2020)."
    )
    preprint, note = read_citation(line)
    assert note is None
    assert (preprint.venue, preprint.doi, preprint.accessed) == (
        "bioRxiv",
        "10.1101/123456",
        "3 May 2020",
    )


def test_a_link_in_angle_brackets_is_read_by_what_it_links_to() -> None:
    """'<https://doi.org/10.6084/...>' is a data set's DOI; the brackets stay in the printed URL."""
    from ingest.parse import read_citation
    from ingest.records import Kind

    line = (
        "Smith, J. A title of work. figshare <https://doi.org/10.6084/m9.figshare.853801> (2014)."
    )
    data, note = read_citation(line)
    assert note is None
    assert (data.kind, data.doi) == (Kind.DATA_SET, "10.6084/m9.figshare.853801")
    assert data.url == "<https://doi.org/10.6084/m9.figshare.853801>"


def test_a_partly_read_line_keeps_a_doi_or_url_ending_in_a_letter() -> None:
    """Only the punctuation that ends the line is cut from a kept DOI or URL (182X keeps its X)."""
    from ingest.parse import read_citation

    doi_line = "Smith, J. A title of work without a year. https://doi.org/10.1000/182X."
    kept, note = read_citation(doi_line)
    assert note is not None
    assert kept.doi == "10.1000/182X"
    url_line = "Smith, J. A title of work without a year https://example.org/aX."
    assert read_citation(url_line)[0].url == "https://example.org/aX"


@pytest.mark.parametrize(("letters", "read"), [(33, True), (34, False)])
def test_a_patent_office_label_is_read_up_to_40_characters(letters: int, read: bool) -> None:
    """'US Patent', 'European Patent' ...: a label of 41 characters or more is no office."""
    from ingest.parse import read_citation
    from ingest.records import Kind

    label = "A" * letters + " Patent"  # 40 and 41 characters
    citation, note = read_citation(f"Smith, J. A title of work. {label} 6,123,456 (2000).")
    if read:
        assert note is None
        assert (citation.kind, citation.patent_label) == (Kind.PATENT, label)
    else:
        assert note == "has a patent whose title or office could not be read"
