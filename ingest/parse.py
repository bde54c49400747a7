"""Parse a review page of the publisher's text format into records (no RDF here).

The page is read line by line against the known layout: site chrome (skipped, but
recognised), the article header, abstract, figure titles, the numbered reference list
and the back matter holding the review's own citation. A line that fits nowhere is a
`PageFormatError` naming the line and what was expected there.
"""

import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import PageFormatError
from ingest.records import Author, Citation, Figure, Reference, Review

NBSP = "\u00a0"
EN_DASH = "\u2013"
BULLET = "  \u2022 "

# The link labels the publisher prints under a reference, in the order it prints them.
LINK_LABELS = ("Article", "CAS", "PubMed", "PubMed Central", "Google Scholar")

_BANNER = "iBet uBet web content aggregator. Adding the entire web to your favor."
_CHROME_PREFIXES = (
    "Skip to main content",
    "Thank you for visiting nature.com.",
)
_PAYWALL_PREFIXES = (
    "This is a preview of subscription content",
    "Access options",
    "Buy this article",
    "Prices may be subject to local taxes",
)
_BACK_HEADINGS = frozenset(
    {
        "Acknowledgements",
        "Author information",
        "Authors and Affiliations",
        "Authors",
        "Ethics declarations",
        "Competing interests",
        "Rights and permissions",
        "Reprints and permissions",
        "About this article",
        "Cite this article",
        "Download citation",
        "This article is cited by",
        "Search",
        "Quick links",
        "Nature Briefing",
    }
)
# Back-matter headings followed by one free-text paragraph (kept out of the graph).
_PARAGRAPH_HEADINGS = frozenset({"Acknowledgements", "Competing interests"})
_NEWSLETTER_PREFIXES = (
    "Sign up for the Nature Briefing newsletter",
    "Get the most important science stories of the day",
)

_REFERENCE_LINE = re.compile(r"^  (\d+)\. (.*)$")
_FIGURE_LINE = re.compile(r"^Figure (\d+): (.+)$")
_LINK_LINE = re.compile(r"^    (\S.*)$")
_DOI_URL = re.compile(r"https?://(?:dx\.)?doi\.org/(10\.\d{4,9}/\S+)$")
_BACK_BULLET = re.compile(r"^  \u2022 (Published|Issue Date|DOI):(?: (.*))?$")

_PAGE = r"[A-Za-z]{0,2}\d+[A-Za-z]?"
# Notes printed after a volume number: special issues, supplements, parts.
_VOLUME_NOTE = r"Spec No \d+|Suppl\.?\s?\d*|Pt \d+"
_TAIL = re.compile(
    rf"^(?P<head>.*?) (?P<volume>\d+)(?: (?P<vnote>{_VOLUME_NOTE}))?, "
    rf"(?P<first>{_PAGE})(?:{EN_DASH}(?P<last>{_PAGE}))?(?:, (?P<pnote>[^()]+))? "
    r"\((?P<year>\d{4})\)\.$"
)
_YEAR_END = re.compile(r"\(\d{4}\)\.$")
_INITIALS = r"[A-Z][a-z]?\.(?:-?[A-Za-z][a-z]?\.)*"
_SUFFIXES = r"Jr\.|Sr\.|II|III|IV|2nd|3rd|4th"
_AUTHOR = re.compile(
    rf"(?P<family>[^\s,&.][^,&]*?), (?P<given>{_INITIALS})"
    rf"(?:, (?P<suffix>{_SUFFIXES})(?=[, ]))?"
)
_TITLE_ENDS = ("?", "!")


class _Lines:
    """A cursor over the page's lines, 1-based, that skips blank lines on request."""

    def __init__(self, source: str, lines: list[str]) -> None:
        self.source = source
        self.lines = lines
        self.index = 0

    def error(self, message: str, line: int | None = None) -> PageFormatError:
        where = line if line is not None else min(self.index + 1, len(self.lines))
        return PageFormatError(self.source, where, message)

    def skip_blank(self) -> None:
        while self.index < len(self.lines) and not self.lines[self.index].strip():
            self.index += 1

    def peek(self) -> str | None:
        self.skip_blank()
        return self.lines[self.index] if self.index < len(self.lines) else None

    def take(self, expected: str) -> str:
        line = self.peek()
        if line is None:
            raise self.error(f"the page ends early; expected {expected}")
        self.index += 1
        return line

    @property
    def number(self) -> int:
        """Return the 1-based number of the line most recently taken."""
        return self.index


@dataclass
class _Header:
    doi_link: str | None
    page_title: str
    journal_title: str
    article_type: str


def read_page(path: Path) -> str:
    """Return the text of a page file, refusing empty, non-UTF-8 and HTML input."""
    data = path.read_bytes()
    name = path.name
    if not data.strip():
        raise PageFormatError(name, None, "the file is empty; expected the text of a review page")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise PageFormatError(
            name,
            line,
            f"not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start}); "
            "expected the page saved as UTF-8 text",
        ) from None
    first = text.lstrip("\ufeff").lstrip().lower()
    if first.startswith(("<!doctype html", "<html", "<?xml")) or "<body" in first[:2000]:
        raise PageFormatError(
            name, 1, "this is an HTML document; expected the page's text (save the page as text)"
        )
    return text


def parse_file(path: Path, *, journals: Collection[str] | None = None) -> Review:
    """Parse the page file at `path` into a Review."""
    return parse_page(read_page(path), source=path.name, journals=journals)


def parse_page(text: str, *, source: str, journals: Collection[str] | None = None) -> Review:
    """Parse the text of a review page into a Review with its figures and references."""
    if journals is None:
        from ingest.journals import load_journals

        journals = load_journals().keys()
    split = _journal_splitter(journals)
    lines = _Lines(source, text.lstrip("\ufeff").splitlines())
    header = _parse_header(lines)
    title = lines.take("the article title")
    if title != header.page_title:
        raise lines.error(
            f"expected the article title {header.page_title!r} (from the page title), "
            f"found {title!r}",
            lines.number,
        )
    abstract = _parse_abstract(lines)
    figures = _parse_figures(lines)
    references = _parse_references(lines, split)
    citation, doi = _parse_back_matter(lines, split)
    if citation.title != title:
        raise lines.error(
            f"the review's citation names the title {citation.title!r}, "
            f"but the page's title is {title!r}"
        )
    if header.doi_link is not None and header.doi_link.lower() != doi.lower():
        raise lines.error(
            f"the page links to DOI {header.doi_link} but cites itself as {doi}", None
        )
    return Review(
        citation=citation,
        doi=doi,
        article_type=header.article_type,
        journal_title=header.journal_title,
        abstract=abstract,
        figures=figures,
        references=references,
        source=source,
    )


def _parse_header(lines: _Lines) -> _Header:
    doi_link = None
    page_title = journal_title = None
    while True:
        line = lines.take("the page header ('  \u2022 Review Article')")
        if line == _BANNER or line.startswith(_CHROME_PREFIXES):
            continue
        if line.startswith("Link to original content: "):
            match = _DOI_URL.match(line.removeprefix("Link to original content: "))
            if match is None:
                raise lines.error("expected a doi.org link after 'Link to original content:'")
            doi_link = match.group(1)
            continue
        if " | " in line and page_title is None:
            page_title, _, journal_title = line.rpartition(" | ")
            continue
        if line.startswith(BULLET) and page_title is not None:
            break
        raise lines.error(
            f"unexpected line in the page header: {line[:60]!r} (expected the site banner, "
            "'Link to original content: …', 'Title | Journal' or the article-type bullet)",
            lines.number,
        )
    article_type = line.removeprefix(BULLET).strip()
    if not article_type or article_type.endswith(":"):
        raise lines.error(
            "expected the article type (e.g. '  \u2022 Review Article')", lines.number
        )
    published = lines.take("'  \u2022 Published:'")
    if not published.startswith(BULLET + "Published:"):
        raise lines.error(f"expected '  \u2022 Published:', found {published[:60]!r}", lines.number)
    assert journal_title is not None
    return _Header(doi_link, page_title, journal_title, article_type)


def _parse_abstract(lines: _Lines) -> str:
    paragraphs: list[str] = []
    while (line := lines.peek()) is not None:
        if line.startswith(_PAYWALL_PREFIXES) or _FIGURE_LINE.match(line) or line == "References":
            break
        paragraphs.append(lines.take("the abstract"))
    if not paragraphs:
        raise lines.error("expected the abstract after the title")
    return "\n\n".join(paragraphs)


def _parse_figures(lines: _Lines) -> tuple[Figure, ...]:
    figures: list[Figure] = []
    while (line := lines.peek()) is not None and line != "References":
        lines.take("figure titles or 'References'")
        if line.startswith(_PAYWALL_PREFIXES):
            continue
        match = _FIGURE_LINE.match(line)
        if match is None:
            raise lines.error(
                f"unexpected line {line[:60]!r}; expected 'Figure N: title' or 'References'",
                lines.number,
            )
        number = int(match.group(1))
        if number != len(figures) + 1:
            raise lines.error(
                f"figure {number} follows figure {len(figures)}; "
                f"expected figure {len(figures) + 1}",
                lines.number,
            )
        figures.append(Figure(number, match.group(2)))
    lines.take("'References'")
    return tuple(figures)


def _parse_references(lines: _Lines, split: "_Splitter") -> tuple[Reference, ...]:
    references: list[Reference] = []
    seen: dict[int, int] = {}
    while True:
        line = lines.peek()
        if line is None:
            last = references[-1].number if references else 0
            raise lines.error(
                f"the page ends after reference {last}; expected more references or "
                "'Download references' (is the page truncated?)"
            )
        if line == "Download references":
            lines.take("'Download references'")
            break
        lines.take("a reference")
        line_number = lines.number
        match = _REFERENCE_LINE.match(line)
        if match is None:
            raise lines.error(
                f"unexpected line {line[:60]!r}; expected a numbered reference '  N. Authors. "
                "Title. Journal Volume, pages (year).'",
                line_number,
            )
        number = int(match.group(1))
        if number in seen:
            raise lines.error(
                f"reference {number} appears twice (first at line {seen[number]})", line_number
            )
        expected = len(references) + 1
        if number != expected:
            raise lines.error(
                f"reference {number} follows reference {expected - 1}; "
                f"reference {expected} is missing",
                line_number,
            )
        seen[number] = line_number
        raw = match.group(2)
        citation = parse_citation(raw, split=split, where=(lines, line_number, number))
        links = _parse_links(lines, number)
        references.append(Reference(number, citation, links, raw, line_number))
    if not references:
        raise lines.error("the reference list is empty")
    return tuple(references)


def _parse_links(lines: _Lines, number: int) -> tuple[str, ...]:
    line = lines.peek()
    if line is None or not _LINK_LINE.match(line):
        return ()
    lines.take("the link labels")
    if not line.endswith(NBSP):
        raise lines.error(
            f"expected the link labels of reference {number} separated by non-breaking spaces",
            lines.number,
        )
    labels = tuple(part.strip() for part in line.strip(" ").split(NBSP)[:-1])
    unknown = [label for label in labels if label not in LINK_LABELS]
    if unknown:
        raise lines.error(
            f"unknown link label {unknown[0]!r} under reference {number}; "
            f"expected some of {', '.join(LINK_LABELS)}",
            lines.number,
        )
    if render_links(labels) != line:
        raise lines.error(
            f"the link labels of reference {number} are not in the publisher's layout",
            lines.number,
        )
    return labels


def _parse_back_matter(lines: _Lines, split: "_Splitter") -> tuple[Citation, str]:
    heading = None
    citation: Citation | None = None
    doi: str | None = None
    while (line := lines.peek()) is not None:
        lines.take("the back matter")
        if line in _BACK_HEADINGS:
            heading = line
            continue
        if line.startswith(_NEWSLETTER_PREFIXES):
            continue
        bullet = _BACK_BULLET.match(line)
        if bullet:
            if bullet.group(1) == "DOI" and bullet.group(2):
                match = _DOI_URL.match(bullet.group(2))
                if match is None:
                    raise lines.error("expected a doi.org link after '\u2022 DOI:'", lines.number)
                if doi is not None and match.group(1) != doi:
                    raise lines.error(
                        f"DOI {match.group(1)} differs from the cited DOI {doi}", lines.number
                    )
            continue
        if heading == "Cite this article" and citation is None:
            text, _, url = line.rpartition(" ")
            match = _DOI_URL.match(url)
            if match is None:
                raise lines.error(
                    "expected the review's citation ending in its https://doi.org/ link",
                    lines.number,
                )
            doi = match.group(1)
            citation = parse_citation(text, split=split, where=(lines, lines.number, None))
            continue
        if heading in _PARAGRAPH_HEADINGS:
            heading = None
            continue
        raise lines.error(f"unexpected line in the back matter: {line[:60]!r}", lines.number)
    if citation is None or doi is None:
        raise lines.error(
            "the page has no 'Cite this article' citation with a DOI (is the page truncated?)"
        )
    return citation, doi


_Splitter = Callable[[str], tuple[str, str] | None]
_Where = tuple[_Lines, int, int | None]


def _journal_splitter(journals: Iterable[str]) -> _Splitter:
    """Return a function splitting 'authors title. Journal' on the longest known journal."""
    by_length = sorted(set(journals), key=len, reverse=True)

    def split(head: str) -> tuple[str, str] | None:
        for journal in by_length:
            before = head[: -len(journal) - 1]
            if head.endswith(" " + journal) and before.endswith((".", *_TITLE_ENDS)):
                return before, journal
        return None

    return split


def parse_citation(text: str, *, split: _Splitter, where: _Where | None = None) -> Citation:
    """Parse 'Authors. Title. Journal Volume, pages (year).' into a Citation."""

    def fail(message: str) -> PageFormatError:
        if where is None:
            return PageFormatError("<citation>", None, message)
        lines, line, number = where
        subject = f"reference {number}" if number is not None else "the review's citation"
        return lines.error(f"{subject} {message}", line)

    tail = _TAIL.match(text)
    if tail is None:
        if not _YEAR_END.search(text):
            raise fail("has no year (expected '(YYYY).' at the end)")
        raise fail("does not end in 'Journal Volume, first\u2013last page (YYYY).'")
    parts = split(tail.group("head"))
    if parts is None:
        raise fail(
            "names a journal that is not in the journal lexicon (ingest/lexicon/journals.tsv); "
            f"the text before the volume is {tail.group('head')[-50:]!r}"
        )
    body, journal = parts
    authors, et_al, rest = _parse_authors(body, fail)
    title = rest if rest.endswith(_TITLE_ENDS) else rest[:-1]
    if not title:
        raise fail("has no title between its authors and the journal")
    return Citation(
        authors=authors,
        et_al=et_al,
        title=title,
        journal=journal,
        volume=tail.group("volume"),
        volume_note=tail.group("vnote"),
        first_page=tail.group("first"),
        last_page=tail.group("last"),
        page_note=tail.group("pnote"),
        year=int(tail.group("year")),
    )


def _parse_authors(
    text: str, fail: Callable[[str], PageFormatError]
) -> tuple[tuple[Author, ...], bool, str]:
    """Split the author list off the front of `text`; return authors, et al., and the rest."""
    found: list[tuple[str, re.Match[str]]] = []
    separator = ""
    position = 0
    et_al = False
    while True:
        match = _AUTHOR.match(text, position)
        if match is None:
            raise fail(
                f"has no author 'Family, I.' where expected: {text[position : position + 40]!r}"
            )
        found.append((separator, match))
        position = match.end()
        if text.startswith(", ", position) and _AUTHOR.match(text, position + 2):
            separator, position = ", ", position + 2
        elif text.startswith(" & ", position):
            separator, position = " & ", position + 3
        elif text.startswith(" et al. ", position):
            et_al, position = True, position + len(" et al. ")
            break
        elif text.startswith(" ", position):
            position += 1
            break
        else:
            raise fail(f"has an author list that does not end before the title: {text[:60]!r}")
    authors = []
    for index, (printed, match) in enumerate(found):
        conventional = conventional_separator(index, len(found), et_al=et_al)
        authors.append(
            Author(
                family=match.group("family"),
                given=match.group("given"),
                suffix=match.group("suffix"),
                separator=printed if printed != conventional else None,
            )
        )
    return tuple(authors), et_al, text[position:]


def conventional_separator(index: int, count: int, *, et_al: bool) -> str:
    """Return the separator the publisher prints before the author at 0-based `index`."""
    if index == 0:
        return ""
    return " & " if index == count - 1 and not et_al else ", "


def render_authors(authors: Iterable[Author], *, et_al: bool) -> str:
    """Render an author list the way the publisher prints it."""
    authors = list(authors)
    parts = []
    for index, author in enumerate(authors):
        separator = author.separator
        if separator is None:
            separator = conventional_separator(index, len(authors), et_al=et_al)
        parts.append(separator + author.printed)
    return "".join(parts) + (" et al." if et_al else "")


def render_citation(citation: Citation) -> str:
    """Render a Citation back into the publisher's text: the inverse of parse_citation."""
    title = citation.title if citation.title.endswith(_TITLE_ENDS) else citation.title + "."
    volume = citation.volume + (f" {citation.volume_note}" if citation.volume_note else "")
    pages = citation.first_page
    if citation.last_page:
        pages += EN_DASH + citation.last_page
    if citation.page_note:
        pages += f", {citation.page_note}"
    authors = render_authors(citation.authors, et_al=citation.et_al)
    return f"{authors} {title} {citation.journal} {volume}, {pages} ({citation.year})."


def render_links(labels: Iterable[str]) -> str:
    """Render link labels as the publisher prints them under a reference."""
    return "    " + " ".join(label + NBSP for label in labels)
