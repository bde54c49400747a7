"""The page parser: every field of the review and its 163 references, lossless; clear errors."""

import os
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
    read_citation,
    render_citation,
    render_links,
)
from ingest.records import Author, Citation, Kind
from ingest.resources import DEFAULT_SOURCE, source_path


def examples(count: int) -> int:
    """Return how many examples a property test draws.

    MKG_HYPOTHESIS_EXAMPLES sets the number; under mutation testing (mutmut sets
    MUTANT_UNDER_TEST) each property test draws at most 20, so that a run takes minutes.
    """
    if "MKG_HYPOTHESIS_EXAMPLES" in os.environ:
        return int(os.environ["MKG_HYPOTHESIS_EXAMPLES"])
    return min(count, 20) if "MUTANT_UNDER_TEST" in os.environ else count


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


@pytest.mark.parametrize(
    ("line", "title", "journal"),
    [
        # 'cancer. Cell' has the key of the catalogue's 'Cancer Cell'; it is not printed as one.
        ("Hanahan, D. & Weinberg, R. A. The hallmarks of cancer. Cell 100, 57\u201370 (2000).",
         "The hallmarks of cancer", "Cell"),
        # The longest journal wins over the known journal its name ends with.
        ("Fidler, I. J. The seed and soil hypothesis revisited. Nature Rev. Cancer 3, 453 (2003).",
         "The seed and soil hypothesis revisited", "Nature Rev. Cancer"),
        # A journal only the NLM catalogue holds, with a title ending in two known journals.
        ("Smith, A. Bone and Blood. Cell Rep. 3, 1\u20132 (2001).", "Bone and Blood", "Cell Rep."),
    ],
)  # fmt: skip
def test_known_journals_split_only_where_they_are_printed_as_names(
    line: str, title: str, journal: str
) -> None:
    """A journal name matched by its key must also have the shape of a printed name."""
    citation, partial = read_citation(line)
    assert partial is None
    assert (citation.title, citation.journal) == (title, journal)


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


@settings(max_examples=examples(300), deadline=None)
@given(_citations())
def test_parse_inverts_render(citation: Citation) -> None:
    assert parse_citation(render_citation(citation), split=_SPLIT) == citation


@settings(max_examples=examples(100), deadline=None)
@given(st.lists(st.sampled_from(LINK_LABELS), min_size=1, max_size=5, unique=True))
def test_link_labels_render_with_non_breaking_spaces(labels: list[str]) -> None:
    line = render_links(labels)
    assert line.startswith("    ") and line.endswith("\u00a0")
    assert [part.strip() for part in line.split("\u00a0")[:-1]] == labels


# ---------------------------------------------------------------- property: every kind round-trips
#
# Strategies that build citations of every kind the publisher's style prints, from names with
# particles, suffixes, group names, non-Latin and combining characters, titles ending in '?' or
# '!', journals known to the lexicon or only shaped like journal names, DOIs, URLs and errata;
# each must print and read back to the same record.

_SURNAMES = (
    "Smith", "Kang", "Massagué", "Nguyen", "Weinberg", "Müller", "Østergaard", "Łukasz",
    "Öztürk", "García-Pérez", "Al-Hajj", "O'Reilly", "D'Angelo", "MacDonald", "McLean",
    "Иванов", "Петрова", "Παπαδόπουλος", "Mu\u0308ller", "Jo\u0301nsson", "Zaenker",
    "Pantel", "Alix-Panabières", "Ng", "Li",
)  # fmt: skip
_PARTICLES = ("", "", "", "de ", "van ", "van der ", "von der ", "van 't ", "de la ", "Le ", "del ")
_GROUPS = (
    "The Cancer Genome Atlas Network",
    "Early Breast Cancer Trialists' Collaborative Group (EBCTCG)",
    "World Health Organization",
    "ICGC/TCGA Pan-Cancer Analysis of Whole Genomes Consortium",
    "National Cancer Institute",
)
_UPPER = "ABCDEFGHIJKLMNOPRSTVWZИПΔÖ"
_initial = st.one_of(
    st.sampled_from(_UPPER).map(lambda c: c + "."),
    st.sampled_from(["Ch.", "Th.", "Yu.", "Zh."]),
)
_given = st.builds(
    lambda first, rest, style: style.join([first, *rest]),
    _initial,
    st.lists(st.sampled_from(_UPPER).map(lambda c: c + "."), max_size=2),
    st.sampled_from(["", " ", "-"]),
)
_person = st.builds(
    Author,
    family=st.builds(lambda p, s: p + s, st.sampled_from(_PARTICLES), st.sampled_from(_SURNAMES)),
    given=_given,
)
_suffixed = st.one_of(
    _person,
    st.builds(lambda a, s: replace_author(a, suffix=s, suffix_separator=", "), _person,
              st.sampled_from(["III", "Jr.", "II", "Sr."])),
    st.builds(lambda a, s: replace_author(a, suffix=s, suffix_separator=" "), _person,
              st.sampled_from(["Jr", "Jr.", "Sr"])),
)  # fmt: skip


def replace_author(author: Author, **changes: object) -> Author:
    import dataclasses

    return dataclasses.replace(author, **changes)


@st.composite
def _names(draw: st.DrawFn, *, allow_empty: bool = False, allow_group: bool = True) -> tuple:
    """Return (authors, et al.): persons, or a group alone or after persons."""
    kind = draw(st.sampled_from(["persons", "persons", "group", "none"]))
    if kind == "none" and allow_empty:
        return (), False
    if kind == "group" and allow_group:
        before = draw(st.lists(_suffixed, max_size=2))
        return (*before, Author(draw(st.sampled_from(_GROUPS)), None)), False
    authors = tuple(draw(st.lists(_suffixed, min_size=1, max_size=5)))
    return authors, len(authors) == 1 and draw(st.booleans())


_WORDS = (
    "metastasis", "tumour", "cells", "bone", "lung", "niche", "dormancy", "signalling", "of",
    "the", "and", "in", "mice", "breast", "cancer", "CXCR4", "TGF-β", "HER2-positive",
    "15-year", "circulating", "clusters", "seed", "soil", "colonization", "models",
)  # fmt: skip
_sentence = st.lists(st.sampled_from(_WORDS), min_size=2, max_size=9).map(" ".join)


@st.composite
def _titles(draw: st.DrawFn) -> str:
    """Return a sentence-case title, perhaps with a subtitle, a second sentence, '?' or '!'."""
    words = draw(_sentence)
    title = "Why " + words if words.startswith(("of ", "the ", "and ", "in ")) else words
    title = title[0].upper() + title[1:]
    endings = ["", "", ": a review of models", ". metastasis revisited", "?", "!"]
    ending = draw(st.sampled_from(endings))
    return title + ending


def _journals() -> list[str]:
    """Return the lexicon's journals and every journal of the NLM journal catalogue.

    Each catalogue journal is printed as the publisher prints it: the ISO abbreviation where it
    has periods, else the MEDLINE abbreviation with a period after each abbreviated word ('Cell
    Rep' -> 'Cell Rep.'); a name with no abbreviated word is printed as it is ('Lab Chip').
    """
    from ingest.catalogue.journals import load_catalogue, load_key_rules

    abbreviated = set(load_key_rules().words.values())
    journals = set(load_journals())
    for journal in load_catalogue():
        if journal.iso_abbr and "." in journal.iso_abbr:
            journals.add(journal.iso_abbr)
        elif journal.med_abbr:
            words = journal.med_abbr.split(" ")
            dotted = [
                w + "." if len(words) > 1 and w.casefold() in abbreviated else w for w in words
            ]
            journals.add(" ".join(dotted))
    # Printed names are single-spaced. A name with a number or ending in a bracketed qualifier
    # ('Vital Health Stat. 14', 'Res. Rep. (Montgomery, Ala.)') cannot be told from the volume,
    # nor one whose periods join words ('Ser.P-70', 'N.I.D.I.'): the publisher prints neither.
    journals = {
        " ".join(name.split())
        for name in journals
        if name[0].isalpha() and not re.search(r"[0-9]|\)$|\.\w", name)
    }
    return sorted(journals) + [
        "Proc. Natl Acad. Sci. USA",
        "Nature Rev. Cancer",
        "npj Breast Cancer",
    ]


_ALL_JOURNALS = _journals()
_year = st.integers(1850, 2030)
_doi = st.from_regex(r"10\.[0-9]{4,5}/[a-z0-9][a-z0-9.-]{2,20}[a-z0-9]", fullmatch=True)
_pages = st.one_of(
    st.tuples(_page, st.none()),
    st.tuples(_page, _page),
    st.tuples(st.from_regex(r"e[0-9]{3,6}|[0-9]{3}ra[0-9]{2,3}", fullmatch=True), st.none()),
)
_volume_note = st.sampled_from(
    [None, None, None, "Suppl.3", "Spec No 1", "Suppl 2", "Pt 1", "(Suppl. 15)"]
)
_publisher = st.sampled_from(
    ["Garland Science", "Springer", "Lippincott Williams & Wilkins", "IARC"]
)
_place = st.sampled_from([None, "New York", "Philadelphia", "Lyon", "Cold Spring Harbor, New York"])


def _base_citation(authors: tuple, et_al: bool, kind: Kind, **fields: object) -> Citation:
    values: dict[str, object] = dict(
        title="", journal=None, volume=None, volume_note=None, first_page=None, last_page=None,
        page_note=None, year=None,
    )  # fmt: skip
    values.update(fields)
    return Citation(authors=authors, et_al=et_al, kind=kind, **values)  # type: ignore[arg-type]


@st.composite
def _any_citation(draw: st.DrawFn) -> Citation:
    kind = draw(st.sampled_from(list(Kind)))
    authors, et_al = draw(_names(allow_empty=kind in _ANONYMOUS_KINDS))
    title = draw(_titles())
    if not authors:
        # Title case would make the first sentence of an anonymous title read as a group name.
        title = "Annual review of " + title[0].lower() + title[1:]
    year = draw(_year)
    journal = draw(st.sampled_from(_ALL_JOURNALS))
    return _KIND_BUILDERS[kind](draw, authors, et_al, title, year, journal)


_ANONYMOUS_KINDS = {Kind.JOURNAL_ARTICLE, Kind.BOOK, Kind.REPORT, Kind.WEB_PAGE}


def _article(draw, authors, et_al, title, year, journal):  # type: ignore[no-untyped-def]
    first, last = draw(_pages)
    erratum = None
    if draw(st.integers(0, 4)) == 0:
        from ingest.records import Erratum

        erratum = Erratum(
            draw(st.sampled_from(["erratum", "correction"])),
            str(draw(st.integers(1, 999))),
            draw(_page),
            None,
            year + 1,
            draw(st.sampled_from([None, journal])),
        )
    links = [None, None, "https://doi.org/10.1038/nm1469", "doi:10.1000/x1"]
    trailing = draw(st.sampled_from(links))
    return _base_citation(
        authors, et_al, Kind.JOURNAL_ARTICLE, title=title, journal=journal,
        volume=str(draw(st.integers(1, 999))), volume_note=draw(_volume_note), first_page=first,
        last_page=last, page_note=draw(st.sampled_from([None, None, "vii"])), year=year,
        erratum=erratum, trailing_link=trailing,
    )  # fmt: skip


def _in_press(draw, authors, et_al, title, year, journal):  # type: ignore[no-untyped-def]
    status, separator = draw(
        st.sampled_from([("in the press", " ("), ("in press", " ("), ("submitted", " (")])
    )
    with_journal = draw(st.booleans())
    return _base_citation(
        authors, et_al, Kind.IN_PRESS, title=title if with_journal else title.rstrip("?!") or title,
        journal=journal if with_journal else None, status=status, status_separator=separator,
    )  # fmt: skip


def _online_first(draw, authors, et_al, title, year, journal):  # type: ignore[no-untyped-def]
    doi = draw(_doi)
    url = draw(st.sampled_from([f"https://doi.org/{doi}", f"doi:{doi}"]))
    return _base_citation(
        authors, et_al, Kind.ONLINE_FIRST, title=title, journal=journal, year=year, doi=doi, url=url
    )


def _preprint(draw, authors, et_al, title, year, journal):  # type: ignore[no-untyped-def]
    server = draw(st.sampled_from([None, "bioRxiv", "medRxiv", "Research Square"]))
    number = draw(st.integers(100000, 999999))
    url = f"https://doi.org/10.1101/{number}" if server else f"https://arxiv.org/abs/1912.{number}"
    doi = f"10.1101/{number}" if server else None
    return _base_citation(
        authors, et_al, Kind.PREPRINT, title=title, year=year, label="Preprint at", venue=server,
        url=url, doi=doi,
    )  # fmt: skip


def _book_fields(draw):  # type: ignore[no-untyped-def]
    return dict(
        edition=draw(st.sampled_from([None, None, "2nd edn", "7th edn"])),
        volume=draw(st.sampled_from([None, None, "2", "406"])),
        publisher=draw(_publisher),
        place=draw(_place),
    )


def _book_title(title: str) -> str:
    # One sentence in title case: a second one naming a numbered report would read as a series.
    return title.split(". ")[0].rstrip("?!").title()


def _book(draw, authors, et_al, title, year, journal):  # type: ignore[no-untyped-def]
    editors = authors and not authors[-1].is_group
    label = draw(st.sampled_from([None, None, "eds", "ed."])) if editors else None
    return _base_citation(
        authors, et_al, Kind.BOOK, title=_book_title(title), year=year, author_label=label,
        **_book_fields(draw),
    )  # fmt: skip


def _report(draw, authors, et_al, title, year, journal):  # type: ignore[no-untyped-def]
    # An anonymous title of two sentences reads as a group author and a title.
    numbered = "IARC Scientific Publications No. 155"
    series = draw(st.sampled_from([None, numbered])) if authors else None
    return _base_citation(
        authors, et_al, Kind.REPORT, title=_book_title(title) + " Report 2014", year=year,
        series=series, publisher=draw(_publisher), place=draw(_place),
    )  # fmt: skip


def _chapter(draw, authors, et_al, title, year, journal):  # type: ignore[no-untyped-def]
    editors = tuple(draw(st.lists(_person, min_size=1, max_size=3)))
    label = "eds" if len(editors) > 1 else draw(st.sampled_from(["ed.", "eds"]))
    first, last = draw(st.sampled_from([(None, None), ("135", "152"), ("12", None)]))
    fields = _book_fields(draw)
    return _base_citation(
        authors, et_al, Kind.CHAPTER, title=draw(st.sampled_from(["", title])),
        book_title=_book_title(draw(_titles())), editors=editors, editor_label=label,
        first_page=first, last_page=last, year=year, **fields,
    )  # fmt: skip


def _conference(draw, authors, et_al, title, year, journal):  # type: ignore[no-untyped-def]
    label = draw(st.sampled_from(["abstr.", "Abstr.", "abstract", "Abstract"]))
    number = draw(st.from_regex(r"[0-9]{2,5}|LB-[0-9]{2,3}|PD[0-9]-[0-9]{2}", fullmatch=True))
    if draw(st.booleans()):
        numbered = draw(st.booleans())
        return _base_citation(
            authors, et_al, Kind.CONFERENCE_ABSTRACT, title=title,
            abstract_label=label if numbered else None,
            abstract_number=number if numbered else None,
            venue=("presented" if numbered else "Presented")
            + " at the American Association for Cancer Research Annual Meeting",
            place="Chicago", year=year,
        )  # fmt: skip
    volume = draw(st.sampled_from([None, "24", "108"]))
    return _base_citation(
        authors, et_al, Kind.CONFERENCE_ABSTRACT, title=title, journal=journal, volume=volume,
        volume_note=draw(st.sampled_from([None, "(Suppl.)"])) if volume else None,
        abstract_label=label, abstract_number=number, year=year,
    )  # fmt: skip


def _thesis(draw, authors, et_al, title, year, journal):  # type: ignore[no-untyped-def]
    return _base_citation(
        authors, et_al, Kind.THESIS, title=title, year=year,
        degree=draw(st.sampled_from([None, "PhD", "Ph.D.", "MD", "MSc", "DPhil"])),
        label=draw(st.sampled_from(["thesis", "dissertation"])),
        publisher=draw(st.sampled_from(["Univ. Cambridge", "Univ. California, San Francisco"])),
    )  # fmt: skip


def _linked(kind: Kind):  # type: ignore[no-untyped-def]
    def build(draw, authors, et_al, title, year, journal):  # type: ignore[no-untyped-def]
        venues = {
            Kind.WEB_PAGE: [None, "Scientific American Blog Network"],
            Kind.DATABASE: [None],
            Kind.DATA_SET: ["figshare", "Gene Expression Omnibus", "Zenodo"],
        }[kind]
        venue = draw(st.sampled_from(venues))
        if kind is Kind.DATABASE:
            title = "The COSMIC database of " + title[0].lower() + title[1:]
        url = draw(
            st.sampled_from(["http://seer.cancer.gov/csr/1975_2003/", "https://example.org/a?b=1"])
        )
        doi = None
        if kind is Kind.DATA_SET:
            url, doi = draw(st.sampled_from([
                ("https://doi.org/10.6084/m9.figshare.853801", "10.6084/m9.figshare.853801"),
                ("GSE12345", None),
            ]))  # fmt: skip
        when = draw(st.sampled_from(["year", "accessed", "both"]))
        return _base_citation(
            authors, et_al, kind, title=title, venue=venue, url=url, doi=doi,
            year=None if when == "accessed" else year,
            accessed=None if when == "year" else "12 May 2006",
        )  # fmt: skip

    return build


def _patent(draw, authors, et_al, title, year, journal):  # type: ignore[no-untyped-def]
    label, number = draw(st.sampled_from([
        ("US Patent", "6,123,456"), ("US patent application", "2005/0123456"),
        ("WO patent", "2018/123456"), ("European Patent", "EP 1234567 B1"),
    ]))  # fmt: skip
    return _base_citation(
        authors, et_al, Kind.PATENT, title=title, patent_label=label, patent_number=number,
        year=year,
    )  # fmt: skip


def _status(kind: Kind):  # type: ignore[no-untyped-def]
    def build(draw, authors, et_al, title, year, journal):  # type: ignore[no-untyped-def]
        statuses = {
            Kind.PERSONAL_COMMUNICATION: ["personal communication"],
            Kind.UNPUBLISHED: ["unpublished data", "unpublished observations", "in preparation"],
        }[kind]
        persons = tuple(a for a in authors if not a.is_group) or (Author("Steeg", "P. S."),)
        return _base_citation(
            persons, et_al, kind, status=draw(st.sampled_from(statuses)),
            status_separator=draw(st.sampled_from([" ", ", ", " ("])),
        )  # fmt: skip

    return build


_KIND_BUILDERS = {
    Kind.JOURNAL_ARTICLE: _article,
    Kind.IN_PRESS: _in_press,
    Kind.ONLINE_FIRST: _online_first,
    Kind.PREPRINT: _preprint,
    Kind.BOOK: _book,
    Kind.REPORT: _report,
    Kind.CHAPTER: _chapter,
    Kind.CONFERENCE_ABSTRACT: _conference,
    Kind.THESIS: _thesis,
    Kind.WEB_PAGE: _linked(Kind.WEB_PAGE),
    Kind.DATABASE: _linked(Kind.DATABASE),
    Kind.DATA_SET: _linked(Kind.DATA_SET),
    Kind.PATENT: _patent,
    Kind.PERSONAL_COMMUNICATION: _status(Kind.PERSONAL_COMMUNICATION),
    Kind.UNPUBLISHED: _status(Kind.UNPUBLISHED),
}


@settings(max_examples=examples(1500), deadline=None)
@given(_any_citation())
def test_every_kind_prints_and_reads_back(citation: Citation) -> None:
    """render -> read -> render: the record comes back whole, and prints the same line."""
    line = render_citation(citation)
    read, partial = read_citation(line)
    assert partial is None, (line, partial)
    assert read == citation, line
    assert render_citation(read) == line
