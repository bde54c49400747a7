"""Parse a review page of the publisher's text format into records (no RDF here).

The page is read line by line against the publisher's article layout: site chrome (skipped, but
recognised), the article header, the abstract, the body or its preview (figure titles are kept,
boxes, glossary and section text are passed over), the numbered reference list and the back
matter holding the review's own citation. Damage to the page as a whole (an empty, oversized,
truncated or mis-encoded page, missing or repeated reference numbers, a line that fits nowhere)
is a `PageFormatError` naming the line and what was expected there.

A single reference line is read by the structure of the publisher's reference style, from its
end: the ending ('(2003).', '(Publisher, Place, 2007).', '(in the press).', 'personal
communication.') tells the kind of work, and each kind's fields are taken off from the right; the
names are read from the left. A line that cannot be read completely is kept with the fields read
with confidence and a note (`Reference.partial`); it never stops the page.

Every step is linear in the length of its input: lines are split on their structure with string
searches and with regular expressions applied to short, bounded pieces only.
"""

import functools
import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

from ingest.errors import PageFormatError
from ingest.records import Author, Citation, Erratum, Figure, Kind, Reference, Review

NBSP = "\u00a0"
EN_DASH = "\u2013"
BULLET = "  \u2022 "

# Documented limits (README, docs/input-format.md): a page is at most 20 MiB, a line 64 KiB.
MAX_PAGE_BYTES = 20 * 1024 * 1024
MAX_LINE_CHARS = 64 * 1024
# Reference and figure numbers are short; a longer digit run is damage, not a number.
MAX_NUMBER_DIGITS = 6

# The link labels the publisher prints under a reference, in the order it prints them.
LINK_LABELS = ("Article", "MathSciNet", "ADS", "CAS", "PubMed", "PubMed Central", "Google Scholar")

_BANNER = "iBet uBet web content aggregator. Adding the entire web to your favor."
_CHROME_PREFIXES = (
    "Skip to main content",
    "Thank you for visiting nature.com.",
)
_PAYWALL_PREFIXES = (
    "This is a preview of subscription content",
    "Access options",
    "Buy this article",
    "Rent or buy this article",
    "Prices may be subject to local taxes",
    "Prices vary by article type",
    "Subscribe to this journal",
    "Receive ",
    "Get just this article",
    "from$",
    "to$",
)
# Lines between the title and the abstract on the fuller layout: author bullets, the journal line
# ("Nature Reviews Cancer volume 6, pages 449-458 (2006)Cite this article") and metrics.
_ARTICLE_INFO_SUFFIXES = ("Cite this article",)
_ABSTRACT_HEADINGS = frozenset({"Abstract", "Summary"})
# Where the abstract ends: the paywall, a figure, a section of the body, or the references.
_BODY_HEADINGS = frozenset(
    {
        "References",
        "Similar content being viewed by others",
        "Key points",
        "Introduction",
        "Main",
        "Glossary",
        "Conclusions",
        "Conclusion",
        "Concluding remarks",
        "Perspectives",
        "Outlook",
    }
)
_BACK_HEADINGS = frozenset(
    {
        "Acknowledgements",
        "Acknowledgments",
        "Funding",
        "Author information",
        "Authors and Affiliations",
        "Authors",
        "Contributions",
        "Corresponding author",
        "Corresponding authors",
        "Ethics declarations",
        "Competing interests",
        "Peer review",
        "Peer review information",
        "Additional information",
        "Publisher's note",
        "Publisher\u2019s note",
        "Change history",
        "Supplementary information",
        "Electronic supplementary material",
        "Related links",
        "Glossary",
        "Rights and permissions",
        "Reprints and permissions",
        "Reprints and Permissions",
        "About this article",
        "Cite this article",
        "Download citation",
        "Share this article",
        "Subjects",
        "Further reading",
        "This article is cited by",
        "Comments",
        "Search",
        "Quick links",
        "Nature Briefing",
    }
)

_FIGURE_LINE = re.compile(r"(Figure|Fig\.) (\d+): (\S.*)")
_LINK_LINE = re.compile(r"    \S")
_LINK_LABEL = re.compile(r"[A-Za-z](?:[A-Za-z ]*[A-Za-z])?")
_DOI_URL = re.compile(r"https?://(?:dx\.)?doi\.org/(10\.\d{4,9}/\S+)")
_BACK_BULLET = re.compile(r"  \u2022 ([A-Z][A-Za-z ]{0,30}):(?: (.*))?")
_HEADER_URL = re.compile(r"https?://\S+")


class JournalIndex(Protocol):
    """What the parser needs to know of journals: how a printed name matches, and its words."""

    def status(self, printed: str) -> str:
        """Return 'exact', 'normalised', 'ambiguous' or 'unknown' for a printed journal name."""
        ...

    def knows_word(self, word: str) -> bool:
        """Tell whether an abbreviated word ('Biophys.') occurs in a known journal name."""
        ...


_NOT_KEY = re.compile(r"[^0-9a-z]")


def journal_key(printed: str) -> str:
    """Return the matching key of a printed journal name: its lower-cased letters and digits."""
    return _NOT_KEY.sub("", printed.lower())


class NameIndex:
    """A JournalIndex over a list of printed journal names (the curated lexicon)."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names = frozenset(names)
        keys: dict[str, set[str]] = {}
        for name in self.names:
            keys.setdefault(journal_key(name), set()).add(name)
        self.keys = keys
        self.words = frozenset(w for n in self.names for w in n.split(" ") if w.endswith("."))

    def status(self, printed: str) -> str:
        """Return 'exact', 'normalised' or 'unknown' for a printed journal name."""
        if printed in self.names:
            return "exact"
        found = self.keys.get(journal_key(printed), set())
        if len(found) > 1:
            return "ambiguous"
        return "normalised" if found else "unknown"

    def knows_word(self, word: str) -> bool:
        """Tell whether an abbreviated word occurs in one of the names."""
        return word in self.words


class CatalogueIndex:
    """A JournalIndex over the curated lexicon and the NLM journal catalogue (ingest/catalogue/).

    A name matches as `ingest.journals.resolve_journal` says (the lexicon first); the words
    known to be abbreviations are those of the lexicon's names and the abbreviations the
    catalogue's key rules learned from the NLM tables ('biophys', 'natl', 'pharmacol').
    """

    def __init__(self) -> None:
        from ingest.catalogue.journals import load_key_rules
        from ingest.journals import load_journals, resolve_journal

        self._resolve = functools.lru_cache(maxsize=1 << 16)(resolve_journal)
        lexicon = {
            w[:-1].casefold() for n in load_journals() for w in n.split(" ") if w[-1:] == "."
        }
        self.words = frozenset(load_key_rules().words.values()) | lexicon

    def status(self, printed: str) -> str:
        """Return 'exact', 'normalised', 'ambiguous' or 'unknown' for a printed journal name."""
        return self._resolve(printed).status

    def knows_word(self, word: str) -> bool:
        """Tell whether an abbreviated word ('Biophys.') is one the journal tables abbreviate to."""
        return word[:-1].casefold() in self.words


@functools.cache
def default_journals() -> JournalIndex:
    """Return the journal index of the curated lexicon and the NLM journal catalogue."""
    return CatalogueIndex()


def _journal_splitter(journals: Iterable[str]) -> JournalIndex:
    """Return a journal index over the given printed names."""
    return NameIndex(journals)


# ---------------------------------------------------------------------------------- page text


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

    def advance(self) -> str:
        """Take the line `peek` has just shown (there is one)."""
        self.index += 1
        return self.lines[self.index - 1]

    @property
    def number(self) -> int:
        """Return the 1-based number of the line most recently taken."""
        return self.index


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def split_lines(text: str, *, source: str) -> list[str]:
    """Split a page into lines on \\n, \\r\\n and \\r only, refusing overlong lines.

    Other separators that `str.splitlines` honours (U+2028, form feed, ...) stay in the text: a
    title that contains one is still one line, and later line numbers stay right.
    """
    lines = _LINE_BREAK.split(text)
    for number, line in enumerate(lines, start=1):
        if len(line) > MAX_LINE_CHARS:
            raise PageFormatError(
                source,
                number,
                f"the line is {len(line):,} characters long; lines of up to "
                f"{MAX_LINE_CHARS:,} characters are read (is this a review page?)",
            )
    return lines


_MOJIBAKE = ("\u00e2\u20ac", "\u00c3\u00a9", "\u00c2\u00a0")


def read_page(path: Path) -> str:
    """Return the text of a page file, refusing empty, oversized, non-UTF-8 and HTML input."""
    name = path.name
    size = path.stat().st_size
    if size > MAX_PAGE_BYTES:
        raise PageFormatError(
            name,
            None,
            f"the file is {size:,} bytes; pages of up to {MAX_PAGE_BYTES:,} bytes (20 MiB) are "
            "read (is this a review page?)",
        )
    data = path.read_bytes()
    if not data.strip():
        raise PageFormatError(name, None, "the file is empty; expected the text of a review page")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise PageFormatError(
            name,
            data[:nul].count(b"\n") + 1,
            "the file holds NUL bytes (is it UTF-16?); expected the page saved as UTF-8 text",
        )
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
    for marker in _MOJIBAKE:
        at = text.find(marker)
        if at >= 0:
            raise PageFormatError(
                name,
                text.count("\n", 0, at) + 1,
                f"the text holds {marker!r}, UTF-8 decoded twice; save the page again as UTF-8",
            )
    first = text.lstrip("\ufeff").lstrip().lower()
    if first.startswith(("<!doctype html", "<html", "<?xml")) or "<body" in first[:2000]:
        raise PageFormatError(
            name, 1, "this is an HTML document; expected the page's text (save the page as text)"
        )
    return text


def parse_file(path: Path, *, journals: Collection[str] | JournalIndex | None = None) -> Review:
    """Parse the page file at `path` into a Review."""
    return parse_page(read_page(path), source=path.name, journals=journals)


def _index(journals: Collection[str] | JournalIndex | None) -> JournalIndex:
    if journals is None:
        return default_journals()
    if isinstance(journals, (NameIndex, CatalogueIndex)) or not isinstance(journals, Collection):
        return journals
    return NameIndex(journals)


def parse_page(
    text: str, *, source: str, journals: Collection[str] | JournalIndex | None = None
) -> Review:
    """Parse the text of a review page into a Review with its figures and references."""
    if len(text) > MAX_PAGE_BYTES:
        raise PageFormatError(
            source, None, f"the page is {len(text):,} characters; pages of up to 20 MiB are read"
        )
    index = _index(journals)
    lines = _Lines(source, split_lines(text.removeprefix("\ufeff"), source=source))
    header = _parse_header(lines)
    title = lines.take("the article title")
    if title != header.page_title:
        raise lines.error(
            f"expected the article title {header.page_title!r} (from the page title), "
            f"found {title!r}",
            lines.number,
        )
    abstract = _parse_abstract(lines)
    figures = _parse_body(lines)
    references = _parse_references(lines, index)
    citation, doi, cited_at = _parse_back_matter(lines, index)
    if citation.title != title:
        raise lines.error(
            f"the review's citation names the title {citation.title!r}, "
            f"but the page's title is {title!r}",
            cited_at,
        )
    if header.doi_link is not None:
        linked_at, linked = header.doi_link
        if linked.lower() != doi.lower():
            raise lines.error(
                f"the page links to DOI {linked} but cites itself as {doi}", linked_at
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


# ---------------------------------------------------------------------------------- layout


@dataclass
class _Header:
    doi_link: tuple[int, str] | None  # the line of 'Link to original content:' and its DOI
    page_title: str
    journal_title: str
    article_type: str


def _parse_header(lines: _Lines) -> _Header:
    doi_link = None
    page_title = journal_title = None
    while True:
        line = lines.take("the page header ('  \u2022 Review Article')")
        if line == _BANNER or line.startswith(_CHROME_PREFIXES):
            continue
        if line.startswith("Link to original content: "):
            link = line.removeprefix("Link to original content: ")
            if not _HEADER_URL.fullmatch(link):
                raise lines.error("expected a link after 'Link to original content:'", lines.number)
            match = _DOI_URL.fullmatch(link)
            doi_link = (lines.number, match.group(1)) if match else None
            continue
        if page_title is None:
            if " | " in line:
                page_title, _, journal_title = line.rpartition(" | ")
                continue
            raise lines.error(
                f"unexpected line in the page header: {line[:60]!r} (expected the site banner, "
                "'Link to original content: …' or 'Title | Journal')",
                lines.number,
            )
        if line.startswith(BULLET):
            break
        if line.startswith(" "):
            raise lines.error(
                f"unexpected line in the page header: {line[:60]!r} (expected the article-type "
                "bullet '  \u2022 Review Article')",
                lines.number,
            )
        # Other lines between the page title and the article type are site navigation.
    article_type = line.removeprefix(BULLET).strip()
    if not article_type or article_type.endswith(":"):
        raise lines.error(
            "expected the article type (e.g. '  \u2022 Review Article')", lines.number
        )
    while True:
        bullet = lines.take("'  \u2022 Published:'")
        if bullet.startswith(BULLET + "Published:"):
            break
        if not bullet.startswith(BULLET):
            raise lines.error(
                f"expected '  \u2022 Published:', found {bullet[:60]!r}", lines.number
            )
    assert page_title is not None and journal_title is not None
    return _Header(doi_link, page_title, journal_title, article_type)


def _is_article_info(line: str) -> bool:
    return line.startswith(BULLET) or line.endswith(_ARTICLE_INFO_SUFFIXES)


def _ends_a_sentence(line: str) -> bool:
    return line.rstrip().endswith((".", "?", "!", ")", "\u201d", '"', "\u2019", "]"))


def _parse_abstract(lines: _Lines) -> str:
    while (line := lines.peek()) is not None and (
        _is_article_info(line) or line in _ABSTRACT_HEADINGS
    ):
        lines.advance()
    paragraphs: list[str] = []
    while (line := lines.peek()) is not None:
        if (
            line.startswith(_PAYWALL_PREFIXES)
            or _FIGURE_LINE.fullmatch(line)
            or line in _BODY_HEADINGS
            # A further paragraph that ends no sentence is a heading of the body.
            or (paragraphs and not _ends_a_sentence(line))
        ):
            break
        paragraphs.append(lines.advance())
    if not paragraphs:
        raise lines.error("expected the abstract after the title")
    return "\n\n".join(paragraphs)


def _number(text: str, lines: _Lines, what: str) -> int:
    """Read a printed reference or figure number: digits, no leading zero, not too long."""
    if len(text) > MAX_NUMBER_DIGITS:
        raise lines.error(
            f"{what} number {text[:12]}… has {len(text):,} digits; expected at most "
            f"{MAX_NUMBER_DIGITS}",
            lines.number,
        )
    if not text.isascii() or not text.isdigit():
        raise lines.error(f"{what} number {text!r} is not written in digits", lines.number)
    if text.startswith("0"):
        raise lines.error(
            f"{what} number {text!r} has a leading zero; expected {text.lstrip('0') or '0'}",
            lines.number,
        )
    return int(text)


def _parse_body(lines: _Lines) -> tuple[Figure, ...]:
    """Pass over the body (or its preview) up to 'References', keeping the figure titles."""
    figures: list[Figure] = []
    while True:
        line = lines.take("'References' (the reference list)")
        if line == "References":
            return tuple(figures)
        match = _FIGURE_LINE.fullmatch(line)
        if match is None:
            continue
        number = _number(match.group(2), lines, "figure")
        if number != len(figures) + 1:
            raise lines.error(
                f"figure {number} follows figure {len(figures)}; "
                f"expected figure {len(figures) + 1}",
                lines.number,
            )
        figures.append(Figure(number, match.group(3)))


_REFERENCE_START = re.compile(r"  (\d+)\. ")


def _parse_references(lines: _Lines, index: JournalIndex) -> tuple[Reference, ...]:
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
            lines.advance()
            break
        if line in _BACK_HEADINGS and references:
            break
        lines.advance()
        line_number = lines.number
        match = _REFERENCE_START.match(line)
        if match is None:
            raise lines.error(
                f"unexpected line {line[:60]!r}; expected a numbered reference '  N. Authors. "
                "Title. Journal Volume, pages (year).'",
                line_number,
            )
        number = _number(match.group(1), lines, "reference")
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
        raw = line[match.end() :]
        if not raw.strip():
            raise lines.error(f"reference {number} has no text", line_number)
        citation, partial = read_citation(raw, journals=index)
        links = _parse_links(lines, number)
        references.append(Reference(number, citation, links, raw, line_number, partial))
    if not references:
        raise lines.error("the reference list is empty", lines.number)
    return tuple(references)


def _parse_links(lines: _Lines, number: int) -> tuple[str, ...]:
    line = lines.peek()
    if line is None or not _LINK_LINE.match(line):
        return ()
    lines.advance()
    # '    Article\xa0 CAS\xa0 Google Scholar\xa0': each label followed by a non-breaking space.
    body = line[4:]
    if not body.endswith(NBSP):
        raise lines.error(
            f"expected the link labels of reference {number} separated by non-breaking spaces",
            lines.number,
        )
    labels = tuple(body[:-1].split(NBSP + " "))
    if not all(_LINK_LABEL.fullmatch(label) for label in labels):
        raise lines.error(
            f"the link labels of reference {number} are not in the publisher's layout",
            lines.number,
        )
    return labels


def _parse_back_matter(lines: _Lines, index: JournalIndex) -> tuple[Citation, str, int]:
    """Read the back matter; return the review's citation, its DOI and the citation's line."""
    under_cite_this_article = False
    cited: tuple[Citation, str, int] | None = None
    doi_bullets: list[tuple[int, str]] = []
    while (line := lines.peek()) is not None:
        lines.advance()
        if line in _BACK_HEADINGS:
            under_cite_this_article = line == "Cite this article"
            continue
        bullet = _BACK_BULLET.fullmatch(line)
        if bullet and bullet.group(1) == "DOI" and bullet.group(2):
            match = _DOI_URL.fullmatch(bullet.group(2))
            if match is None:
                raise lines.error("expected a doi.org link after '\u2022 DOI:'", lines.number)
            doi_bullets.append((lines.number, match.group(1)))
            continue
        if under_cite_this_article and cited is None:
            text, _, url = line.rpartition(" ")
            match = _DOI_URL.fullmatch(url)
            if match is None:
                raise lines.error(
                    "expected the review's citation ending in its https://doi.org/ link",
                    lines.number,
                )
            found, partial = read_citation(text, journals=index)
            if partial is not None:
                raise lines.error(f"the review's citation {partial}", lines.number)
            cited = (found, match.group(1), lines.number)
        # Any other line is the text of a back-matter section (kept out of the graph).
    if cited is None:
        raise lines.error(
            "the page has no 'Cite this article' citation with a DOI (is the page truncated?)"
        )
    doi = cited[1]
    for number, bullet_doi in doi_bullets:
        if bullet_doi.lower() != doi.lower():
            raise lines.error(f"DOI {bullet_doi} differs from the cited DOI {doi}", number)
    return cited


# ---------------------------------------------------------------------------------- names

_SUFFIXES = frozenset({"Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV", "V", "2nd", "3rd", "4th"})
# Only these are recognised after a space ("Hall, R. O. Jr"); a numeral could start a title.
_SPACED_SUFFIXES = frozenset({"Jr.", "Jr", "Sr.", "Sr"})
_MAX_FAMILY = 80
_MAX_GROUP = 200
_AUTHOR_LABELS = ("(eds)", "(ed.)")


def _starts_binomial(text: str, start: int) -> bool:
    """Tell whether 'X. word' at `start` opens a title ('E. coli', 'C. elegans'), not initials.

    After spaced initials ('Weinberg, R. A. The ...') a capital letter and a full stop could be
    one more initial or the start of a title; a lower-case word of four letters or more after
    it is a species name, so the title starts there.
    """
    if not text.startswith(" ", start + 2):
        return False
    end = start + 3
    while end < len(text) and end - start < 8 and text[end].isalpha() and text[end].islower():
        end += 1
    return end - (start + 3) >= 4


def _read_initials(text: str, start: int) -> int | None:
    """Return where printed initials starting at `start` end ('F.Y.', 'R. A.', 'J.-P.')."""
    position = start
    count = 0
    while position < len(text):
        letter = text[position]
        if not letter.isalpha() or (count == 0 and not letter.isupper()):
            break
        end = position + 1
        while (
            end < len(text) and end - position < 3 and text[end].isalpha() and text[end].islower()
        ):
            end += 1
        if end >= len(text) or text[end] != ".":
            break
        count += 1
        position = end + 1
        if position < len(text) and text[position].isalpha():
            continue
        if text.startswith("-", position) or (
            text.startswith(" ", position)
            and position + 2 < len(text)
            and text[position + 1].isupper()
            and text[position + 2] == "."
            and not _starts_binomial(text, position + 1)
        ):
            position += 1
            continue
        break
    if count == 0:
        return None
    if text[position - 1] != ".":
        return None
    return position


def _family_ok(family: str) -> bool:
    if not family or family != family.strip() or "&" in family or family.endswith(" et al"):
        return False
    if any(c.isdigit() for c in family):
        return False
    # A full stop inside a family name only follows a short prefix ('St. John').
    stop = family.find(". ")
    return stop < 0 or (stop <= 3 and family.find(". ", stop + 1) < 0)


def _read_suffix(text: str, end: int, limit: int) -> tuple[str, str, int] | None:
    """Read a generational suffix after initials (', III' or ' Jr'); return it and its end."""
    for separator in (", ", " "):
        if not text.startswith(separator, end):
            continue
        after = end + len(separator)
        stop = after
        while stop < limit and stop - after < 4 and (text[stop].isalnum() or text[stop] == "."):
            stop += 1
        word = text[after:stop]
        if stop < limit and text[stop] not in ", ":
            continue
        if word in _SUFFIXES and (separator == ", " or word in _SPACED_SUFFIXES):
            return word, separator, stop
    return None


def _read_name(text: str, start: int, limit: int) -> tuple[Author, int] | None:
    """Read one 'Family, I.' name (with an optional suffix) at `start`; return it and its end."""
    comma = text.find(", ", start, min(limit, start + _MAX_FAMILY + 2))
    if comma <= start or not _family_ok(text[start:comma]):
        return None
    end = _read_initials(text, comma + 2)
    if end is None or end > limit:
        return None
    author = Author(text[start:comma], text[comma + 2 : end])
    suffix = _read_suffix(text, end, limit)
    if suffix is not None:
        word, separator, end = suffix
        author = replace(author, suffix=word, suffix_separator=separator)
    return author, end


@dataclass(frozen=True)
class _Names:
    authors: tuple[Author, ...]
    et_al: bool
    label: str | None
    end: int


def _conventional_check(found: list[tuple[str, Author]], et_al: bool) -> tuple[Author, ...]:
    authors = []
    for index, (printed, author) in enumerate(found):
        conventional = conventional_separator(index, len(found), et_al=et_al)
        authors.append(replace(author, separator=printed if printed != conventional else None))
    return tuple(authors)


_GROUP_CONNECTORS = frozenset({"with", "from", "für", "under", "into", "upon"})


def _read_group(text: str, start: int, limit: int) -> tuple[Author, int] | None:
    """Read a group name ('The Cancer Genome Atlas Network.') up to its full stop."""
    stop = text.find(". ", start, min(limit, start + _MAX_GROUP))
    if stop <= start:
        return None
    name = text[start:stop]
    if ", " in name or not name[0].isupper():
        return None
    # A group is named in title case ('World Health Organization'); a lower-case word of four
    # letters or more makes the sentence the start of a title instead.
    words = name.split(" ")
    if words[-1][:1].islower():
        return None
    for word in words:
        if len(word) >= 4 and word[0].islower() and word not in _GROUP_CONNECTORS:
            return None
    return Author(name, None), stop + 1


class _BrokenNames(Exception):
    """A list of names that starts like one but cannot be read to its end."""


def read_names(text: str, start: int = 0, limit: int | None = None) -> _Names | None:
    """Read a list of names ('Kang, Y., Lee, J. & Lo, K. et al.') at `start`.

    The list ends at the space before the title (or at `limit`); `end` is where the title begins.
    Return None when no list of names can be read at `start`.
    """
    try:
        return _names(text, start, len(text) if limit is None else limit)
    except _BrokenNames:
        return None


def _names(text: str, start: int, limit: int) -> _Names | None:
    """Read a list of names; None if none starts here, _BrokenNames if one starts but breaks."""
    found: list[tuple[str, Author]] = []
    separator = ""
    position = start
    et_al = False
    while True:
        name = _read_name(text, position, limit)
        if name is None:
            name = _read_group(text, position, limit)
            if name is None:
                if found:
                    raise _BrokenNames()
                return None
            found.append((separator, name[0]))
            position = name[1]
            break
        found.append((separator, name[0]))
        position = name[1]
        if text.startswith(", ", position):
            separator, position = ", ", position + 2
        elif text.startswith(" & ", position):
            separator, position = " & ", position + 3
        else:
            break
    if text.startswith(" et al.", position):
        et_al, position = True, position + len(" et al.")
    label = None
    for candidate in _AUTHOR_LABELS:
        if text.startswith(" " + candidate, position):
            label, position = candidate[1:-1], position + len(candidate) + 1
            break
    if position < limit:
        if not text.startswith(" ", position):
            raise _BrokenNames()
        position += 1
    return _Names(_conventional_check(found, et_al), et_al, label, min(position, limit))


def conventional_separator(index: int, count: int, *, et_al: bool) -> str:
    """Return the separator the publisher prints before the name at 0-based `index`."""
    if index == 0:
        return ""
    return " & " if index == count - 1 and not et_al else ", "


def render_authors(authors: Iterable[Author], *, et_al: bool) -> str:
    """Render a list of names the way the publisher prints it."""
    authors = list(authors)
    parts = []
    for index, author in enumerate(authors):
        separator = author.separator
        if separator is None:
            separator = conventional_separator(index, len(authors), et_al=et_al)
        parts.append(separator + author.printed)
    text = "".join(parts)
    if authors and authors[-1].is_group and not et_al:
        text += "."
    return text + (" et al." if et_al else "")


# ---------------------------------------------------------------------------------- pieces

_TITLE_ENDS = ("?", "!")
# A printed page or article number: "571", "S11", "e1234", "eaat6280", "302ra133", "1.e5".
_PAGE = re.compile(r"[A-Za-z]{0,4}\d{1,9}(?:[A-Za-z]{1,3}\d{0,6})?(?:\.e\d{1,4})?")
_VOLUME = re.compile(r"\d{1,6}[A-Za-z]?")
_VOLUME_NOTE = re.compile(
    r"Spec No \d{1,3}|Suppl\.?\s?\d{0,3}|Pt \d{1,3}"
    r"|\((?:\d{1,3} )?Suppl\.?(?: \d{1,3})?\)|\(Pt \d{1,3}\)"
)
_YEAR = re.compile(r"(?:1[5-9]|20|21)\d\d")
_DOI = re.compile(r"10\.\d{4,9}/\S+")
_DOI_IN_TEXT = re.compile(r"\b10\.\d{4,9}/[^\s()]+")
_URL_IN_TEXT = re.compile(r"https?://[^\s()<>]+")
# An accession number printed instead of a link (GSE12345, E-MTAB-1234, PXD001234).
ACCESSION = re.compile(r"[A-Z]{1,6}[-_]?(?:[A-Z]{1,6}-)?\d{3,12}")
_ABSTRACT_LABELS = ("abstr.", "Abstr.", "abstract", "Abstract")
# An abstract number with at least one digit: "1047", "LB-123", "PD2-04".
_ABSTRACT_NUMBER = re.compile(r"(?=[A-Za-z0-9-]*\d)[A-Za-z0-9]{1,8}(?:-[A-Za-z0-9]{1,6})?")
_EDITION = re.compile(r"(?:\d{1,2}(?:st|nd|rd|th)|[A-Z][a-z]{2,10}) edn")
_BOOK_VOLUME = re.compile(r"[0-9]{1,4}[A-Z]?")
_DEGREE = re.compile(
    r"Ph\.?D\.?|D\.?Phil\.?|M\.?D\.?|M\.?Sc\.?|M\.?Phil\.?|M\.?A\.?|M\.?S\.?|B\.?Sc\.?|"
    r"Doctoral|Master's|Masters|Diploma|Habilitation|DSc|MRes"
)
_THESIS_WORDS = ("thesis", "Thesis", "dissertation", "Dissertation")
_IN_PRESS = ("in the press", "in press", "submitted", "accepted", "accepted for publication")
_UNPUBLISHED = (
    "unpublished data",
    "unpublished observations",
    "unpublished results",
    "unpublished work",
    "unpublished",
    "data not shown",
    "manuscript in preparation",
    "in preparation",
)
_PERSONAL = ("personal communication",)
_STATUS_SEPARATORS = (", ", " (", " ")
_ERRATUM_LABELS = ("erratum", "correction", "corrigendum", "addendum")
_PREPRINT_SERVERS = frozenset(
    {"bioRxiv", "medRxiv", "arXiv", "Research Square", "SSRN", "ChemRxiv", "Preprints", "OSF"}
)
_PREPRINT_DOIS = ("10.1101/", "10.21203/", "10.2139/", "10.26434/", "10.20944/", "10.31219/")
_DATA_REPOSITORIES = frozenset(
    {
        "figshare",
        "Figshare",
        "Dryad",
        "Dryad Digital Repository",
        "Zenodo",
        "Mendeley Data",
        "Gene Expression Omnibus",
        "GEO",
        "ArrayExpress",
        "Sequence Read Archive",
        "SRA",
        "European Nucleotide Archive",
        "ENA",
        "PRIDE",
        "ProteomeXchange",
        "dbGaP",
        "European Genome-phenome Archive",
        "EGA",
        "Protein Data Bank",
        "PDB",
        "Synapse",
        "Harvard Dataverse",
        "Dataverse",
        "PANGAEA",
        "OSF",
    }
)
_DATA_DOIS = ("10.5061/", "10.6084/", "10.5281/", "10.17632/", "10.7910/", "10.1594/", "10.7303/")
_DATABASE_WORDS = (
    "database",
    "Database",
    "Online Mendelian Inheritance in Man",
    "OMIM",
    "COSMIC",
    "GenBank",
    "UniProt",
    "Ensembl",
    "cBioPortal",
    "dbSNP",
    "KEGG",
    "Reactome",
    "PubChem",
    "ClinicalTrials.gov",
    "Human Protein Atlas",
    "GTEx",
    "Catalogue of Somatic Mutations",
)
_REPORT_WORDS = re.compile(
    r"\b(?:[Rr]eport|Rep\.|White [Pp]aper|Working [Pp]aper|Bulletin|Fact [Ss]heet|"
    r"Facts (?:&|and) Figures|Statistics|Technical [Nn]ote|Series|Publications?|No\. \d)"
)
# A place printed in two parts ('Cold Spring Harbor, New York'): the second is a region.
_REGIONS = frozenset(
    {"New York", "NY", "USA", "UK", "MA", "CA", "NJ", "PA", "MD", "IL", "CT", "England"}
)
# Words of journal names that start in lower case ('npj Breast Cancer', 'J. Natl Cancer Inst.').
_JOURNAL_CONNECTORS = frozenset(
    {"and", "of", "the", "&", "in", "de", "des", "der", "du", "la", "le", "et", "und", "fur",
     "f\u00fcr", "y", "i", "npj", "on"}
)  # fmt: skip
_MAX_JOURNAL = 160
# Endings of full words that no abbreviated journal word has ('Revisited.', 'Directions.').
_WORD_ENDINGS = ("ing", "tion", "tions", "sion", "sions", "ness", "ities", "ysis", "osis", "ated",
                 "ized", "ised", "isited", "ives", "ections")  # fmt: skip


class _Unread(Exception):
    """A reference line that cannot be read completely; `note` says what could not be read."""

    def __init__(self, note: str) -> None:
        super().__init__(note)
        self.note = note


def _pages(text: str) -> tuple[str, str | None] | None:
    first, dash, last = text.partition(EN_DASH)
    if not _PAGE.fullmatch(first) or (dash and not _PAGE.fullmatch(last)):
        return None
    return first, (last if dash else None)


def _split_volume(text: str) -> tuple[str, str, str | None] | None:
    """Split '... Journal 76 Spec No 1' into (before, volume, volume note), reading from the end."""
    tail = text[-40:]
    for note in _VOLUME_NOTE.finditer(tail):
        if note.end() == len(tail) and tail[: note.start()].endswith(" "):
            head = text[: len(text) - len(tail) + note.start() - 1]
            before, _, volume = head.rpartition(" ")
            if _VOLUME.fullmatch(volume):
                return before, volume, note.group(0)
    before, _, volume = text.rpartition(" ")
    if _VOLUME.fullmatch(volume):
        return before, volume, None
    return None


@dataclass(frozen=True)
class _Locator:
    before: str
    volume: str | None
    volume_note: str | None
    first_page: str
    last_page: str | None
    page_note: str | None


def _locator(body: str) -> _Locator | None:
    """Read 'Journal 76 Suppl.3, 733–738, vii' from the end of `body`."""
    head, comma, pages = body.rpartition(", ")
    if not comma:
        return None
    note = None
    found = _pages(pages)
    if found is None:
        if "(" in pages or ")" in pages or len(pages) > 40:
            return None
        note = pages
        head, comma, pages = head.rpartition(", ")
        found = _pages(pages)
        if not comma or found is None:
            return None
    volume = _split_volume(head)
    if volume is None:
        return None
    before, number, volume_note = volume
    return _Locator(before, number, volume_note, found[0], found[1], note)


def _is_abbreviation(word: str, index: JournalIndex) -> bool:
    """Tell whether a word ending in '.' inside a journal name reads as an abbreviation.

    Abbreviated journal words are cut before a vowel ('Biol.', 'Pharmacol.', 'Neurosci.'); a
    capitalised word that ends a sentence of the title is a full word ('Revisited.',
    'Directions.', 'Medicine.').
    """
    letters = word[:-1].strip("()")
    if index.knows_word(word) or len(letters) <= 4:
        return True
    if not letters.replace("-", "").isalpha():
        return False
    lowered = letters.lower()
    return not lowered.endswith(_WORD_ENDINGS) and not (lowered[-1] == "e" and len(lowered) > 6)


def _journal_word(word: str) -> bool:
    if word in _JOURNAL_CONNECTORS:
        return True
    if not word or word[-1] in ":,;":
        return False
    core = word.strip("()").rstrip(".")
    if not core or any(c.isdigit() for c in core) and not (word[0] == "(" or word[-1] == ")"):
        return False
    first = core[0]
    return first.isupper() or (first.islower() and any(c.isupper() for c in core[1:]))


def _journal_like(name: str, index: JournalIndex) -> bool:
    """Tell whether `name` has the shape of a printed journal name ('Proc. Natl Acad. Sci. USA')."""
    words = name.split(" ")
    if len(name) > _MAX_JOURNAL or not words[0] or words[0] in ("and", "of", "the", "&", "in"):
        return False
    if not all(_journal_word(word) for word in words):
        return False
    return all(_is_abbreviation(word, index) for word in words[:-1] if word.endswith("."))


@dataclass(frozen=True)
class _Split:
    title: str
    journal: str


_QUOTES = ("\u201d", '"', "\u2019")


def _terminated(title: str) -> bool:
    """Tell whether a printed title ends its own sentence ('?', '!' or a quote after one)."""
    if title.endswith(_TITLE_ENDS):
        return True
    return title.endswith(_QUOTES) and title[:-1].endswith((".", "?", "!"))


def _title_ending(text: str, end: int) -> bool:
    """Tell whether the title can end just before position `end` ('... bone. Nat. Med.')."""
    return end > 0 and (text[end - 1] in ".?!" or _terminated(text[max(0, end - 2) : end]))


def _split_title(text: str, index: JournalIndex) -> _Split | None:
    """Split 'Title. Journal' on the structure of the line.

    The candidates are the sentence ends of the text, read from its end over at most
    `_MAX_JOURNAL` characters; the longest candidate that has the shape of a journal name or is
    a known journal wins ('Nature Rev. Cancer' over the known 'Cancer'). A known journal that
    would be longer still but follows no sentence end ('... in the soil Clin. Exp. Metastasis')
    means the title's full stop is missing: the line is not split.
    """
    chosen = None
    unended = None
    position = len(text)
    while True:
        position = text.rfind(" ", 0, position)
        if position <= 0 or len(text) - position - 1 > _MAX_JOURNAL:
            break
        journal = text[position + 1 :]
        status = index.status(journal) if journal[:1].isalpha() else "unknown"
        # A name matched only by its key must also look like one: 'cancer. Cell' has the key
        # of 'Cancer Cell' but is the end of a title and a journal.
        shaped = _journal_like(journal, index)
        known = status == "exact" or (status == "normalised" and shaped)
        if not _title_ending(text, position):
            if known:
                unended = journal
            continue
        if known or shaped:
            chosen = position
    if chosen is None:
        return None
    if unended is not None and len(unended) > len(text) - chosen - 1:
        raise _Unread(f"has no full stop between its title and the journal {unended!r}")
    title = _title_of(text[:chosen])
    if not title:
        return None
    return _Split(title, text[chosen + 1 :])


def _last_title_end(text: str, end: int, span: int) -> int:
    """Return the last space before `end` (within `span` characters) that follows a title's end.

    -1 when there is none: the space after '.', '?', '!' or a closing quote after one of them.
    """
    position = end
    lowest = max(0, end - span)
    while position > lowest:
        position = text.rfind(" ", lowest, position)
        if position <= 0:
            return -1
        if _title_ending(text, position):
            return position
    return -1


def _title_of(text: str) -> str:
    """Return a title as recorded: its final full stop dropped, '?', '!' and quotes kept."""
    return text if _terminated(text) else text.removesuffix(".")


def _printed_title(title: str) -> str:
    """Return a title as printed before what follows it: with its full stop."""
    return title if _terminated(title) else title + "."


def _paren_group(text: str) -> tuple[str, str] | None:
    """Split 'before (content).' into before and content, matching the brackets from the end."""
    if not text.endswith(")."):
        return None
    depth = 0
    position = len(text) - 2
    lowest = max(0, len(text) - 400)
    while position >= lowest:
        char = text[position]
        if char == ")":
            depth += 1
        elif char == "(":
            depth -= 1
            if depth == 0:
                if position == 0 or text[position - 1] != " ":
                    return None
                return text[: position - 1], text[position + 1 : -2]
        position -= 1
    return None


# ---------------------------------------------------------------------------------- citations


def read_citation(
    text: str, *, journals: JournalIndex | Collection[str] | None = None
) -> tuple[Citation, str | None]:
    """Read one reference line; return its citation and, if it was read only partly, a note.

    A partly read citation holds only what was read with confidence: the names, the year, a DOI
    or URL; the note says what could not be read.
    """
    index = _index(journals)
    try:
        citation = _read(text, index)
    except _Unread as unread:
        return _partial(text), unread.note
    if render_citation(citation) != text:
        return _partial(text), "could not be read back exactly as printed"
    return citation, None


def parse_citation(text: str, *, split: JournalIndex | Collection[str] | None = None) -> Citation:
    """Read a reference line completely, or raise PageFormatError saying what is missing."""
    citation, partial = read_citation(text, journals=split)
    if partial is not None:
        raise PageFormatError("<citation>", None, partial)
    return citation


def _partial(text: str) -> Citation:
    """Return what a line that could not be read holds with confidence."""
    names = read_names(text)
    year = None
    group = _paren_group(text)
    if group is not None:
        last = group[1].rpartition(", ")[2]
        if _YEAR.fullmatch(last):
            year = int(last)
    doi = _DOI_IN_TEXT.search(text)
    url = _URL_IN_TEXT.search(text)
    return Citation(
        authors=names.authors if names else (),
        et_al=names.et_al if names else False,
        title="",
        journal=None,
        volume=None,
        volume_note=None,
        first_page=None,
        last_page=None,
        page_note=None,
        year=year,
        doi=doi.group(0).rstrip(".,;") if doi else None,
        url=url.group(0).rstrip(".,;") if url else None,
    )


def _read(text: str, index: JournalIndex) -> Citation:
    trailing = None
    head, space, last = text.rpartition(" ")
    if space and head.endswith(".") and _is_link(last):
        text, trailing = head, last
    erratum = None
    cut = text.rfind("; ", max(0, len(text) - 160))
    if cut > 0 and text[cut + 2 :].startswith(_ERRATUM_LABELS):
        erratum = _read_erratum(text[cut + 2 :])
        text = text[:cut] + "."
    citation = _read_main(text, index)
    return replace(citation, erratum=erratum, trailing_link=trailing)


def _is_link(token: str) -> bool:
    return token.startswith(("http://", "https://", "doi:", "<http")) and len(token) > 8


def _read_erratum(text: str) -> Erratum:
    label, _, rest = text.partition(" ")
    if not rest.endswith(")."):
        raise _Unread("has an erratum that does not end in '(YYYY).'")
    body, _, year = rest[:-2].rpartition(" (")
    if not _YEAR.fullmatch(year):
        raise _Unread("has an erratum without its year")
    locator = _locator(body)
    if locator is None or locator.volume_note or locator.page_note:
        raise _Unread("has an erratum whose volume and pages could not be read")
    journal = locator.before or None
    return Erratum(
        label, locator.volume or "", locator.first_page, locator.last_page, int(year), journal
    )


def _status_of(text: str, statuses: tuple[str, ...]) -> bool:
    return text.lower() in statuses


def _read_main(text: str, index: JournalIndex) -> Citation:
    if not text.endswith("."):
        raise _Unread("does not end in a full stop")
    group = _paren_group(text)
    if group is None:
        return _read_plain_end(text, index)
    before, content = group
    if _YEAR.fullmatch(content):
        return _read_year_end(before, int(content), index)
    if _status_of(content, _IN_PRESS):
        return _read_in_press(before, content, " (", index)
    if _status_of(content, _PERSONAL + _UNPUBLISHED):
        return _read_status(before, content, " (")
    if content.startswith("accessed "):
        return _read_link_kinds(before, None, content.removeprefix("accessed "), index)
    year, semicolon, accessed = content.partition("; accessed ")
    if semicolon and _YEAR.fullmatch(year):
        return _read_link_kinds(before, int(year), accessed, index)
    if ", " in content:
        return _read_publisher_end(before, content, index)
    raise _Unread(f"ends in '({content[:40]})', which is no ending of the publisher's style")


def _read_plain_end(text: str, index: JournalIndex) -> Citation:
    body = text[:-1]
    lowered = body[-40:].lower()
    for statuses in (_PERSONAL, _UNPUBLISHED, _IN_PRESS):
        for status in statuses:
            if not lowered.endswith(status) or len(body) <= len(status):
                continue
            printed = body[-len(status) :]
            before = body[: -len(status)]
            if statuses is _IN_PRESS:
                if before.endswith(". "):
                    return _read_in_press(before[:-2], printed, ". ", index)
                continue
            for separator in (", ", " "):
                if before.endswith(separator):
                    return _read_status(before[: -len(separator)], printed, separator)
    if not _YEAR_END_HINT.search(text[-8:]):
        raise _Unread("has no year (expected '(YYYY).' at the end)")
    raise _Unread("ends in a year that is not printed as '(YYYY).'")


_YEAR_END_HINT = re.compile(r"\d{4}\)?\.$")
_NO_NAMES = _Names((), False, None, 0)


def _names_and_rest(text: str, *, required: bool = False) -> tuple[_Names, str]:
    """Read the names at the start of `text`; return them and the text after them.

    No names at all is an anonymous work (unless `required`); names that start but cannot be
    read to their end make the line unreadable.
    """
    try:
        names = _names(text, 0, len(text))
    except _BrokenNames:
        raise _Unread(f"has a list of names that could not be read: {text[:60]!r}") from None
    if names is None:
        if required:
            raise _Unread(f"has no names where expected: {text[:40]!r}")
        return _NO_NAMES, text
    return names, text[names.end :]


def _with_names(text: str, read: Callable[[_Names, str], Citation]) -> Citation:
    """Read the names, then the rest; a lone group name may be the title's first sentence."""
    names, rest = _names_and_rest(text)
    try:
        return read(names, rest)
    except _Unread:
        if len(names.authors) == 1 and names.authors[0].is_group and not names.et_al:
            return read(_NO_NAMES, text)
        raise


def _base(names: _Names, **fields: Any) -> Citation:
    return Citation(
        authors=names.authors,
        et_al=names.et_al,
        author_label=names.label,
        title=fields.pop("title", ""),
        journal=fields.pop("journal", None),
        volume=fields.pop("volume", None),
        volume_note=fields.pop("volume_note", None),
        first_page=fields.pop("first_page", None),
        last_page=fields.pop("last_page", None),
        page_note=fields.pop("page_note", None),
        year=fields.pop("year", None),
        **fields,
    )


def _read_status(before: str, status: str, separator: str) -> Citation:
    names, rest = _names_and_rest(before + " ", required=True)
    if rest or names.label is not None:
        raise _Unread(f"has something other than names before {status!r}")
    kind = Kind.PERSONAL_COMMUNICATION if status.lower() in _PERSONAL else Kind.UNPUBLISHED
    return _base(names, kind=kind, status=status, status_separator=separator)


def _read_in_press(before: str, status: str, separator: str, index: JournalIndex) -> Citation:
    def read(names: _Names, rest: str) -> Citation:
        split = _split_title(rest, index)
        if split is not None:
            title, journal = split.title, split.journal
        else:
            title, journal = (_title_of(rest) if separator == " (" else rest), None
        if not title:
            raise _Unread("has no title before its status")
        return _base(
            names,
            kind=Kind.IN_PRESS,
            title=title,
            journal=journal,
            status=status,
            status_separator=separator,
        )

    return _with_names(before, read)


def _read_year_end(body: str, year: int, index: JournalIndex) -> Citation:
    last_space = body.rfind(" ")
    last = body[last_space + 1 :]
    if last_space > 0 and _ABSTRACT_NUMBER.fullmatch(last):
        label_at = body.rfind(" ", 0, last_space)
        label = body[label_at + 1 : last_space]
        if label_at > 0 and label in _ABSTRACT_LABELS:
            return _read_abstract(body[:label_at], label, last, year, index)
    if last_space > 0 and _is_link(last):
        return _read_link_kinds(body, year, None, index)
    locator = _locator(body)
    if locator is not None:
        try:
            return _read_article(locator, year, index)
        except _Unread as unread:
            failure: _Unread | None = unread
    else:
        failure = None
    for word in _THESIS_WORDS:
        at = body.rfind(f"{word}, ", max(0, len(body) - 300))
        if at > 0 and body[at - 1] in " .":
            return _read_thesis(body, at, word, year)
    patent = _find_patent(body)
    if patent is not None:
        return _read_patent(body, patent, year)
    if last_space > 0 and ACCESSION.fullmatch(last):
        return _read_link_kinds(body, year, None, index)
    if failure is not None:
        raise failure
    raise _Unread("has no 'Volume, pages' before its year (expected 'Journal 12, 895–904')")


def _read_article(locator: _Locator, year: int, index: JournalIndex) -> Citation:
    def read(names: _Names, rest: str) -> Citation:
        split = _split_title(rest, index)
        if split is None:
            raise _Unread(
                "names no journal that could be told from the title (expected 'Title. Journal "
                f"Volume, pages (year).'); the text before the volume is {rest[-50:]!r}"
            )
        return _base(
            names,
            title=split.title,
            journal=split.journal,
            volume=locator.volume,
            volume_note=locator.volume_note,
            first_page=locator.first_page,
            last_page=locator.last_page,
            page_note=locator.page_note,
            year=year,
        )

    return _with_names(locator.before, read)


def _read_abstract(body: str, label: str, number: str, year: int, index: JournalIndex) -> Citation:
    volume = volume_note = None
    if body.endswith(","):
        found = _split_volume(body[:-1])
        if found is None:
            raise _Unread("has an abstract number after something that is not a volume")
        body, volume, volume_note = found

    def read(names: _Names, rest: str) -> Citation:
        split = _split_title(rest, index)
        if split is None:
            raise _Unread("names no journal before its abstract number")
        return _base(
            names,
            kind=Kind.CONFERENCE_ABSTRACT,
            title=split.title,
            journal=split.journal,
            volume=volume,
            volume_note=volume_note,
            abstract_label=label,
            abstract_number=number,
            year=year,
        )

    return _with_names(body, read)


def _read_thesis(body: str, at: int, word: str, year: int) -> Citation:
    institution = body[at + len(word) + 2 :]
    before = body[:at].removesuffix(" ")
    degree = None
    tail = before[-20:]
    for match in _DEGREE.finditer(tail):
        head = before[: len(before) - len(tail) + match.start()]
        if match.end() == len(tail) and head.endswith(" ") and _title_ending(head, len(head) - 1):
            degree = match.group(0)
    if degree is not None:
        before = before[: -len(degree)].removesuffix(" ")
    if not institution or not _title_ending(before, len(before)):
        raise _Unread("has a thesis whose title, degree or institution could not be read")

    def read(names: _Names, rest: str) -> Citation:
        title = _title_of(rest.removesuffix(" "))
        if not title:
            raise _Unread("has a thesis with no title")
        return _base(
            names,
            kind=Kind.THESIS,
            title=title,
            degree=degree,
            label=word,
            publisher=institution,
            year=year,
        )

    return _with_names(before + " ", read)


def _find_patent(body: str) -> int | None:
    offset = max(0, len(body) - 160)
    at = body.lower().rfind("patent", offset)
    return at if at > 0 else None


def _read_patent(body: str, at: int, year: int) -> Citation:
    end = at + len("patent")
    if body[end:].lower().startswith(" application"):
        end += len(" application")
    number = body[end + 1 :]
    if not body.startswith(" ", end) or not any(c.isdigit() for c in number):
        raise _Unread("has a patent without its number")
    start = _last_title_end(body, at, 60)
    label = body[start + 1 : end]
    if start < 0 or len(label) > 40:
        raise _Unread("has a patent whose title or office could not be read")

    def read(names: _Names, rest: str) -> Citation:
        title = _title_of(rest.removesuffix(" "))
        if not title:
            raise _Unread("has a patent with no title")
        return _base(
            names,
            kind=Kind.PATENT,
            title=title,
            patent_label=label,
            patent_number=number,
            year=year,
        )

    return _with_names(body[: start + 1], read)


def _doi_of(link: str) -> str | None:
    match = _DOI_URL.fullmatch(link)
    if match:
        return match.group(1)
    if link.startswith("doi:") and _DOI.fullmatch(link[4:]):
        return link[4:]
    return None


def _link_kind(venue: str | None, link: str, title: str, names: _Names) -> Kind:
    doi = _doi_of(link) or ""
    if venue in _PREPRINT_SERVERS or doi.startswith(_PREPRINT_DOIS) or "arxiv.org/" in link:
        return Kind.PREPRINT
    if venue in _DATA_REPOSITORIES or doi.startswith(_DATA_DOIS) or ACCESSION.fullmatch(link):
        return Kind.DATA_SET
    named = " ".join([venue or "", title, *(a.family for a in names.authors if a.is_group)])
    if any(word in named for word in _DATABASE_WORDS):
        return Kind.DATABASE
    if doi and venue is not None:
        return Kind.ONLINE_FIRST
    return Kind.WEB_PAGE


def _venue_split(rest: str, index: JournalIndex) -> tuple[str, str | None]:
    """Split 'Title. Venue' before a link; the venue is a journal or a short name."""
    split = _split_title(rest, index)
    if split is not None:
        return split.title, split.journal
    cut = _last_title_end(rest, len(rest), 80)
    venue = rest[cut + 1 :]
    named = venue in _DATA_REPOSITORIES or venue in _PREPRINT_SERVERS
    if cut > 0 and venue.count(" ") < 8 and (named or venue[:1].isupper()):
        return _title_of(rest[:cut]), venue
    return rest, None


def _read_link_kinds(
    body: str, year: int | None, accessed: str | None, index: JournalIndex
) -> Citation:
    before, _, link = body.rpartition(" ")
    if not before or not (_is_link(link) or ACCESSION.fullmatch(link)):
        raise _Unread("has no link before its year or access date")
    if link.startswith("<") != link.endswith(">"):
        raise _Unread("has a link with unmatched angle brackets")
    bare = link.strip("<>")
    doi = _doi_of(bare)

    def read(names: _Names, rest: str) -> Citation:
        rest = rest.removesuffix(" ")
        at = rest.rfind("Preprint at")
        if at == 0 or (at > 1 and rest[at - 1] == " " and rest[at - 2] in ".?!"):
            venue = rest[at + len("Preprint at ") :] or None
            return _base(
                names,
                kind=Kind.PREPRINT,
                title=_title_of(rest[: max(0, at - 1)]),
                label="Preprint at",
                venue=venue,
                url=link,
                doi=doi,
                year=year,
                accessed=accessed,
            )
        title, venue = _venue_split(rest, index)
        if not title:
            raise _Unread("has a link with no title before it")
        kind = _link_kind(venue, bare, title, names)
        if kind is Kind.ONLINE_FIRST and accessed is None:
            return _base(names, kind=kind, title=title, journal=venue, url=link, doi=doi, year=year)
        if kind is Kind.ONLINE_FIRST:
            kind = Kind.WEB_PAGE
        return _base(
            names,
            kind=kind,
            title=title,
            venue=venue,
            url=link,
            doi=doi,
            year=year,
            accessed=accessed,
        )

    return _with_names(before + " ", read)


def _place_split(segments: list[str]) -> tuple[str, str | None]:
    if len(segments) == 1:
        return segments[0], None
    take = 2 if len(segments) >= 3 and segments[-1] in _REGIONS else 1
    return ", ".join(segments[:-take]), ", ".join(segments[-take:])


def _read_publisher_end(before: str, content: str, index: JournalIndex) -> Citation:
    segments = content.split(", ")
    year_text = segments.pop()
    if not _YEAR.fullmatch(year_text) or not all(segments):
        raise _Unread(f"ends in '({content[:40]})' without a year after the publisher")
    year = int(year_text)
    presented = _find_presented(before)
    if presented is not None:
        return _read_meeting(before, presented, ", ".join(segments), year)
    publisher, place = _place_split(segments)

    def read(names: _Names, rest: str) -> Citation:
        rest = rest.removesuffix(" ")
        chapter = _find_chapter(rest)
        if chapter is not None:
            return _read_chapter(names, rest, chapter, publisher, place, year)
        return _read_book(names, rest, publisher, place, year)

    return _with_names(before + " ", read)


def _find_presented(text: str) -> int | None:
    at = text.rfind("resented at ", max(0, len(text) - 300))
    if at <= 1 or text[at - 1] not in "Pp" or text[at - 2] != " ":
        return None
    return at - 1


def _read_meeting(before: str, at: int, place: str, year: int) -> Citation:
    head = before[:at]
    label = number = None
    if not _title_ending(head, len(head) - 1):
        parts = head.removesuffix(" ").rsplit(" ", 2)
        if len(parts) < 3 or parts[1] not in _ABSTRACT_LABELS:
            raise _Unread("has a meeting presentation whose title could not be read")
        if not _ABSTRACT_NUMBER.fullmatch(parts[2]) or not _title_ending(parts[0], len(parts[0])):
            raise _Unread("has a meeting presentation whose abstract number could not be read")
        label, number, head = parts[1], parts[2], parts[0] + " "
    venue = before[at:]

    def read(names: _Names, rest: str) -> Citation:
        title = _title_of(rest.removesuffix(" "))
        if not title:
            raise _Unread("has a meeting presentation with no title")
        return _base(
            names,
            kind=Kind.CONFERENCE_ABSTRACT,
            title=title,
            abstract_label=label,
            abstract_number=number,
            venue=venue,
            place=place,
            year=year,
        )

    return _with_names(head, read)


def _find_chapter(rest: str) -> int | None:
    if rest.startswith("in "):
        return 0
    best = -1
    for marker in (". in ", "? in ", "! in "):
        best = max(best, rest.rfind(marker))
    return best + 2 if best >= 0 else None


def _title_suffixes(text: str) -> tuple[str, str | None, str | None]:
    """Split 'Title Vol. 253 2nd edn' into title, book volume and edition."""
    edition = None
    head, _, last = text.rpartition(" ")
    if last == "edn":
        head2, _, number = head.rpartition(" ")
        if head2 and _EDITION.fullmatch(f"{number} edn"):
            edition, text = f"{number} edn", head2
    volume = None
    head, _, last = text.rpartition(" ")
    if head.endswith(" Vol.") and _BOOK_VOLUME.fullmatch(last):
        volume, text = last, head[: -len(" Vol.")]
    return text, volume, edition


def _read_editors(book: str) -> tuple[str, tuple[Author, ...], str | None]:
    """Take '(eds Name, I. & Name, J.)' off the end of a book title."""
    if not book.endswith(")"):
        return book, (), None
    open_at = book.rfind(" (ed", max(0, len(book) - 600))
    inner = book[open_at + 2 : -1] if open_at > 0 else ""
    label, space, names_text = inner.partition(" ")
    if label not in ("eds", "ed.") or not space:
        return book, (), None
    editors = read_names(names_text)
    if editors is None or editors.end != len(names_text) or editors.label or editors.et_al:
        raise _Unread("has a chapter whose editors could not be read")
    return book[:open_at], editors.authors, label


def _read_chapter(
    names: _Names, rest: str, at: int, publisher: str, place: str | None, year: int
) -> Citation:
    chapter_title = _title_of(rest[: at - 1]) if at else ""
    book = rest[at + 3 :]
    first = last = None
    head, _, pages = book.rpartition(" ")
    found = _pages(pages) if head else None
    if found is not None:
        book = head
        first, last = found
    book, editors, label = _read_editors(book)
    title, volume, edition = _title_suffixes(book)
    if not title:
        raise _Unread("has a chapter with no book title after 'in'")
    return _base(
        names,
        kind=Kind.CHAPTER,
        title=chapter_title,
        book_title=title,
        volume=volume,
        edition=edition,
        editors=editors,
        editor_label=label,
        first_page=first,
        last_page=last,
        publisher=publisher,
        place=place,
        year=year,
    )


def _read_book(names: _Names, rest: str, publisher: str, place: str | None, year: int) -> Citation:
    title, volume, edition = _title_suffixes(rest)
    series = None
    cut = title.find(". ", max(0, len(title) - 80))
    while cut > 0:
        tail = title[cut + 2 :]
        if tail[:1].isupper() and _REPORT_WORDS.search(tail) and any(c.isdigit() for c in tail):
            title, series = title[:cut], tail
            break
        cut = title.find(". ", cut + 2)
    if not any(c.isalpha() for c in title):
        raise _Unread("has no title before its publisher")
    is_report = series is not None or bool(_REPORT_WORDS.search(title[-200:]))
    kind = Kind.REPORT if is_report and names.label is None else Kind.BOOK
    return _base(
        names,
        kind=kind,
        title=title,
        volume=volume,
        edition=edition,
        series=series,
        publisher=publisher,
        place=place,
        year=year,
    )


# ---------------------------------------------------------------------------------- rendering


def _render_pages(first: str | None, last: str | None) -> str:
    return (first or "") + (EN_DASH + last if last else "")


def _render_volume(citation: Citation) -> str:
    volume = citation.volume or ""
    return f"{volume} {citation.volume_note}" if citation.volume_note else volume


def _names_prefix(citation: Citation) -> str:
    if not citation.authors:
        return ""
    text = render_authors(citation.authors, et_al=citation.et_al)
    if citation.author_label:
        text += f" ({citation.author_label})"
    return text + " "


def _render_book_title(citation: Citation) -> str:
    text = (citation.book_title if citation.kind is Kind.CHAPTER else citation.title) or ""
    if citation.volume:
        text = f"{text} Vol. {citation.volume}"
    if citation.edition:
        text = f"{text} {citation.edition}"
    return text


def _render_publisher(citation: Citation) -> str:
    parts = [p for p in (citation.publisher, citation.place) if p]
    return f"({', '.join(parts)}, {citation.year})."


def _render_when(citation: Citation) -> str:
    if citation.accessed and citation.year is not None:
        return f"({citation.year}; accessed {citation.accessed})."
    if citation.accessed:
        return f"(accessed {citation.accessed})."
    return f"({citation.year})."


def _render_status(citation: Citation, before: str) -> str:
    separator = citation.status_separator or " ("
    closing = ")" if separator == " (" else ""
    return f"{before}{separator}{citation.status}{closing}."


def _render_article(c: Citation, names: str) -> str:
    locator = f"{_render_volume(c)}, {_render_pages(c.first_page, c.last_page)}"
    if c.page_note:
        locator += f", {c.page_note}"
    return f"{names}{_printed_title(c.title)} {c.journal} {locator} ({c.year})."


def _render_in_press(c: Citation, names: str) -> str:
    if c.journal:
        return _render_status(c, f"{names}{_printed_title(c.title)} {c.journal}")
    return _render_status(c, f"{names}{c.title}")


def _render_abstract(c: Citation, names: str) -> str:
    if c.venue is not None:
        number = f"{c.abstract_label} {c.abstract_number} " if c.abstract_label else ""
        return f"{names}{_printed_title(c.title)} {number}{c.venue} ({c.place}, {c.year})."
    volume = f" {_render_volume(c)}," if c.volume else ""
    return (
        f"{names}{_printed_title(c.title)} {c.journal}{volume} "
        f"{c.abstract_label} {c.abstract_number} ({c.year})."
    )


def _render_thesis(c: Citation, names: str) -> str:
    degree = f"{c.degree} " if c.degree else ""
    return f"{names}{_printed_title(c.title)} {degree}{c.label}, {c.publisher} ({c.year})."


def _render_patent(c: Citation, names: str) -> str:
    return f"{names}{_printed_title(c.title)} {c.patent_label} {c.patent_number} ({c.year})."


def _render_chapter(c: Citation, names: str) -> str:
    chapter = f"{_printed_title(c.title)} " if c.title else ""
    editors = ""
    if c.editor_label:
        editors = f" ({c.editor_label} {render_authors(c.editors, et_al=False)})"
    pages = f" {_render_pages(c.first_page, c.last_page)}" if c.first_page else ""
    return f"{names}{chapter}in {_render_book_title(c)}{editors}{pages} {_render_publisher(c)}"


def _render_book(c: Citation, names: str) -> str:
    series = f". {c.series}" if c.series else ""
    return f"{names}{_render_book_title(c)}{series} {_render_publisher(c)}"


def _render_online_first(c: Citation, names: str) -> str:
    return f"{names}{_printed_title(c.title)} {c.journal} {c.url} ({c.year})."


def _render_linked(c: Citation, names: str) -> str:
    if c.label == "Preprint at":
        venue = f" {c.venue}" if c.venue else ""
        title = f"{_printed_title(c.title)} " if c.title else ""
        return f"{names}{title}Preprint at{venue} {c.url} {_render_when(c)}"
    text = f"{_printed_title(c.title)} {c.venue}" if c.venue else c.title
    return f"{names}{text} {c.url} {_render_when(c)}"


def _render_personal(c: Citation, names: str) -> str:
    return _render_status(c, names.removesuffix(" "))


_RENDERERS: dict[Kind, Callable[[Citation, str], str]] = {
    Kind.JOURNAL_ARTICLE: _render_article,
    Kind.IN_PRESS: _render_in_press,
    Kind.ONLINE_FIRST: _render_online_first,
    Kind.PREPRINT: _render_linked,
    Kind.BOOK: _render_book,
    Kind.REPORT: _render_book,
    Kind.CHAPTER: _render_chapter,
    Kind.CONFERENCE_ABSTRACT: _render_abstract,
    Kind.THESIS: _render_thesis,
    Kind.WEB_PAGE: _render_linked,
    Kind.DATABASE: _render_linked,
    Kind.DATA_SET: _render_linked,
    Kind.PATENT: _render_patent,
    Kind.PERSONAL_COMMUNICATION: _render_personal,
    Kind.UNPUBLISHED: _render_personal,
}


def render_citation(citation: Citation) -> str:
    """Render a Citation back into the publisher's text: the inverse of read_citation."""
    text = _RENDERERS[citation.kind](citation, _names_prefix(citation))
    if citation.erratum is not None:
        erratum = citation.erratum
        journal = f"{erratum.journal} " if erratum.journal else ""
        pages = _render_pages(erratum.first_page, erratum.last_page)
        text = f"{text[:-1]}; {erratum.label} {journal}{erratum.volume}, {pages} ({erratum.year})."
    if citation.trailing_link:
        text += f" {citation.trailing_link}"
    return text


def render_links(labels: Iterable[str]) -> str:
    """Render link labels as the publisher prints them under a reference."""
    return "    " + " ".join(label + NBSP for label in labels)
