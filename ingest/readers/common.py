"""What every reader of a structured format shares: names, pages, years, and complete citations.

The readers of JATS, PubMed XML, CSL-JSON, RIS and BibTeX each take their format's fields and
hand them to `work(...)`, so that the same reference gives the same `Citation` whatever the
format: names become family name and initials as the publisher prints them ('Kang, Y.', the
form the graph keys a person by), pages split at their dash, an edition reads '3rd edn', DOIs,
PubMed and PubMed Central IDs are normalised (ingest.identifiers). `complete(...)` says what a
citation of its kind lacks; a reader keeps such a reference with what it read and that note.
"""

import re
import unicodedata
from collections.abc import Iterable

from ingest.identifiers import normalise_doi, normalise_pmcid, normalise_pmid
from ingest.records import Author, Citation, Kind, Reference, Review

_SPACE = re.compile(r"\s+")
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d|21\d\d)(?!\d)")
_PAGE_DASH = re.compile(r"\s*[-\u2010-\u2015\u2212]+\s*")
_ORDINALS = {1: "st", 2: "nd", 3: "rd"}
# Words of a given name that are not initials: particles printed before a family name.
_PARTICLES = frozenset({"van", "von", "de", "der", "den", "da", "del", "della", "di", "du", "le"})


def clean(text: str | None) -> str:
    """Return text with its runs of whitespace made one space, and stripped."""
    return _SPACE.sub(" ", text or "").strip()


def title_of(text: str | None) -> str:
    """Return a title as printed, without the full stop a format may end it with."""
    title = clean(text)
    if title.endswith(".") and not title.endswith(("..", " et al.")):
        title = title[:-1]
    return title


def initials(given: str | None) -> str | None:
    """Return a given name as the publisher prints it: 'Peter M.' -> 'P.M.', 'Jean-Paul' -> 'J.-P.'.

    A name already in initials keeps them ('XH' -> 'X.H.', 'R. A.' -> 'R.A.'); None stays None.
    """
    if given is None or not clean(given):
        return None
    parts: list[str] = []
    for word in clean(given).replace(".", ". ").split():
        word = word.strip(".,")
        # A particle is printed in lower case ('Ludwig van'); 'Da' or 'Le' is a given name.
        if not word or word in _PARTICLES:
            continue
        hyphenated = [piece for piece in word.split("-") if piece]
        if len(hyphenated) > 1:
            parts.append("-".join(_initial(piece) for piece in hyphenated))
        elif word.isupper() and len(word) <= 3 and word.isalpha():
            # 'XH' in PubMed's and some JATS files' style: each capital is an initial.
            parts.append("".join(f"{letter}." for letter in word))
        else:
            parts.append(_initial(word))
    return "".join(parts) or None


def _initial(word: str) -> str:
    first = word[0]
    # A letter with a combining mark keeps the mark ('Ö.'); digraphs are not guessed.
    mark = ""
    for char in word[1:]:
        if unicodedata.combining(char):
            mark += char
        else:
            break
    return f"{first}{mark}."


def person(family: str, given: str | None, suffix: str | None = None) -> Author | None:
    """Return a printed name of a person, or None when there is no family name."""
    family = clean(family)
    if not family:
        return None
    return Author(family, initials(given) or "", clean(suffix) or None, suffix_separator=" ")


def group(name: str) -> Author | None:
    """Return a group author (a consortium, an organisation), or None when there is no name."""
    name = clean(name).rstrip(".")
    return Author(name, None) if name else None


def year_of(text: str | int | None) -> int | None:
    """Return the first four-digit year in a date as a format writes it ('2003/06//', '2003')."""
    if text is None:
        return None
    found = _YEAR.search(str(text))
    return int(found.group(1)) if found else None


def pages_of(text: str | None) -> tuple[str | None, str | None]:
    """Return the first and last page of a range ('537-549', '537–49' -> '537', '549')."""
    text = clean(text)
    if not text:
        return None, None
    first, _, last = _PAGE_DASH.sub("-", text).partition("-")
    first, last = first.strip(), last.strip()
    if last and first.isdigit() and last.isdigit() and len(last) < len(first):
        last = first[: len(first) - len(last)] + last  # '537-49' prints 537 to 549
    return first or None, last or None


def edition_of(text: str | None) -> str | None:
    """Return an edition as the publisher prints it: '3', '3rd', '3rd ed.' -> '3rd edn'."""
    text = clean(text)
    if not text:
        return None
    number = re.match(r"(\d{1,2})(?:st|nd|rd|th)?\b", text)
    if number is None:
        return text if text.endswith(" edn") else f"{text.rstrip('.')} edn"
    value = int(number.group(1))
    suffix = "th" if 10 <= value % 100 <= 20 else _ORDINALS.get(value % 10, "th")
    return f"{value}{suffix} edn"


def work(
    kind: Kind,
    *,
    authors: Iterable[Author | None] = (),
    et_al: bool = False,
    title: str | None = None,
    journal: str | None = None,
    volume: str | None = None,
    pages: tuple[str | None, str | None] = (None, None),
    year: int | None = None,
    doi: str | None = None,
    pmid: str | None = None,
    pmcid: str | None = None,
    url: str | None = None,
    **fields: object,
) -> Citation:
    """Return the citation of one work, its fields normalised as every reader writes them."""
    first, last = pages
    return Citation(
        kind=kind,
        authors=tuple(a for a in authors if a is not None),
        et_al=et_al,
        title=title_of(title),
        journal=clean(journal) or None,
        volume=clean(volume) or None,
        volume_note=None,
        first_page=first,
        last_page=last if last != first else None,
        page_note=None,
        year=year,
        doi=normalise_doi(doi),
        pmid=normalise_pmid(pmid),
        pmcid=normalise_pmcid(pmcid),
        url=clean(url) or None,
        **fields,  # type: ignore[arg-type]
    )


def complete(citation: Citation) -> str | None:
    """Return what a citation of its kind lacks for the graph to hold it as that kind, or None.

    The note reads 'lacks a title and a journal'.
    """
    kind = citation.kind
    needs: list[str] = []
    if kind is Kind.JOURNAL_ARTICLE:
        if not citation.title:
            needs.append("a title")
        if not citation.journal:
            needs.append("a journal")
        located = citation.volume and citation.first_page and citation.year
        if not located and not (citation.doi and citation.year):
            needs.append("a volume, first page and year (or a DOI and year)")
    elif kind is Kind.CHAPTER:
        needs += _missing(citation, book_title="the book's title", year="a year")
    elif kind in (Kind.BOOK, Kind.REPORT):
        needs += _missing(citation, title="a title", publisher="a publisher", year="a year")
    elif kind in (Kind.CONFERENCE_ABSTRACT,):
        needs += _missing(citation, title="a title", venue="a meeting", year="a year")
    elif kind is Kind.THESIS:
        needs += _missing(citation, title="a title", year="a year")
    elif kind in (Kind.WEB_PAGE, Kind.DATABASE):
        needs += _missing(citation, title="a title", url="a link")
    elif kind in (Kind.DATA_SET, Kind.PREPRINT):
        needs += _missing(citation, title="a title")
        if not citation.url and not citation.doi:
            needs.append("a link or DOI")
    elif kind is Kind.PATENT:
        needs += _missing(citation, title="a title", patent_number="a number", year="a year")
    elif kind in (Kind.PERSONAL_COMMUNICATION, Kind.UNPUBLISHED):
        needs += _missing(citation, authors="names", status="a status")
    if not needs:
        return None
    return f"lacks {_joined(needs)}"


def _missing(citation: Citation, **fields: str) -> list[str]:
    return [what for name, what in fields.items() if not getattr(citation, name)]


def _joined(items: list[str]) -> str:
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def partial(citation: Citation) -> Citation:
    """Return what a citation read only partly keeps: names, year and identifiers."""
    return Citation(
        authors=citation.authors,
        et_al=citation.et_al,
        title="",
        journal=None,
        volume=None,
        volume_note=None,
        first_page=None,
        last_page=None,
        page_note=None,
        year=citation.year,
        doi=citation.doi,
        url=citation.url,
        pmid=citation.pmid,
        pmcid=citation.pmcid,
    )


def reference(number: int, citation: Citation, *, raw: str, line: int, what: str) -> Reference:
    """Return a numbered reference, kept partly with a note when its citation is incomplete."""
    note = complete(citation)
    if note is not None:
        return Reference(number, partial(citation), (), raw, line, partial=f"{what} {note}")
    return Reference(number, citation, (), raw, line)


def citing_doi(doi: str) -> Citation:
    """Return the citation of a citing work known only by its DOI (`mkg build --citing-doi`)."""
    normal = normalise_doi(doi)
    if normal is None:
        raise ValueError(f"not a DOI: {doi!r} (expected '10.' a registrant code '/' a suffix)")
    return work(Kind.JOURNAL_ARTICLE, doi=normal)


def reference_list_review(
    references: Iterable[Reference], *, citing: Citation, source: str
) -> Review:
    """Return the review whose reference list a CSL-JSON, RIS, BibTeX or PubMed file holds."""
    return Review(
        citation=citing,
        doi=citing.doi or "",
        article_type="",
        journal_title=citing.journal or "",
        abstract="",
        figures=(),
        references=tuple(references),
        source=source,
    )
