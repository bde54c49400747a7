"""Plain records of what a review page prints: no RDF here.

A reference line is read into a `Citation` of one `Kind`. A citation holds the fields its kind
prints and leaves the others at their empty defaults, so that one renderer per kind can print the
line back from the record, character for character (`ingest.parse.render_citation`). The few
fields that hold only the printed punctuation of a line (a separator, a label such as "eds") are
named for what they print.
"""

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """The kinds of work a reference line of the publisher's style can cite."""

    JOURNAL_ARTICLE = "journal-article"
    # Accepted or submitted, printed with its journal and a status instead of volume and pages.
    IN_PRESS = "in-press"
    # Published online ahead of its issue: journal and DOI link instead of volume and pages.
    ONLINE_FIRST = "online-first"
    PREPRINT = "preprint"
    BOOK = "book"
    CHAPTER = "chapter"
    CONFERENCE_ABSTRACT = "conference-abstract"
    THESIS = "thesis"
    REPORT = "report"
    WEB_PAGE = "web-page"
    DATABASE = "database"
    DATA_SET = "data-set"
    PATENT = "patent"
    PERSONAL_COMMUNICATION = "personal-communication"
    UNPUBLISHED = "unpublished"


@dataclass(frozen=True)
class Author:
    """A name as printed in a list of names: family name, initials, optional suffix.

    A name printed without initials (a consortium, group or organisation) has `given` None.
    """

    family: str
    given: str | None
    suffix: str | None = None
    # The punctuation printed before this name, kept only where it differs from the
    # publisher's convention (", " between names, " & " before the last one).
    separator: str | None = None
    # How the suffix is attached: ", III" (the default) or " Jr" (a space).
    suffix_separator: str = ", "

    @property
    def is_group(self) -> bool:
        """Tell whether this is a group name (printed without initials)."""
        return self.given is None

    @property
    def printed(self) -> str:
        """Return the name as the publisher prints it: 'Family, I.I.' or 'Family, I., III'."""
        if self.given is None:
            return self.family
        name = f"{self.family}, {self.given}"
        return f"{name}{self.suffix_separator}{self.suffix}" if self.suffix else name


@dataclass(frozen=True)
class Erratum:
    """A correction printed after the citation it corrects: '; erratum 401, 200 (1999)'."""

    label: str
    volume: str
    first_page: str
    last_page: str | None
    year: int
    journal: str | None = None


@dataclass(frozen=True)
class Citation:
    """The bibliographic fields of one printed citation; which ones are set depends on `kind`."""

    authors: tuple[Author, ...]
    et_al: bool
    title: str
    journal: str | None
    volume: str | None
    volume_note: str | None
    first_page: str | None
    last_page: str | None
    page_note: str | None
    year: int | None
    kind: Kind = Kind.JOURNAL_ARTICLE
    # "eds" or "ed." printed after the names of a book's editors cited as its authors.
    author_label: str | None = None
    doi: str | None = None
    # A link as printed (a URL, a doi.org link or an accession), for the kinds that print one.
    url: str | None = None
    # "in the press", "submitted", "personal communication", "unpublished data", ...
    status: str | None = None
    # What is printed between the names and a status: " ", ", " or " (" (then closed by ")").
    status_separator: str | None = None
    # A book, or the book a chapter is in.
    book_title: str | None = None
    edition: str | None = None
    editors: tuple[Author, ...] = ()
    editor_label: str | None = None
    publisher: str | None = None
    place: str | None = None
    # The website, repository, preprint server or meeting printed before a link or abstract number.
    venue: str | None = None
    accessed: str | None = None
    degree: str | None = None
    # A word of the printed form: 'thesis' or 'dissertation' after a degree, 'Preprint at'.
    label: str | None = None
    # The series or number of a report ('IARC Scientific Publications No. 155').
    series: str | None = None
    patent_label: str | None = None
    patent_number: str | None = None
    abstract_label: str | None = None
    abstract_number: str | None = None
    erratum: Erratum | None = None
    # A DOI or URL printed after the line's final period.
    trailing_link: str | None = None
    # The PubMed and PubMed Central identifiers an input gives ('16892035', 'PMC2749247'),
    # normalised by ingest.identifiers; the publisher's page prints neither.
    pmid: str | None = None
    pmcid: str | None = None
    # The IRI path and key of the work when the build found it to be a work that another
    # citation also names ('paper/kang-2003-cancer-cell-3-537'; ingest/identity.py): one paper,
    # one node. None: the key is made from the fields (ingest.namespaces.work_key).
    key: str | None = None


@dataclass(frozen=True)
class Reference:
    """One numbered entry of the reference list, with the raw text it was parsed from.

    A reference that could not be read completely has `partial` set to a note saying what could
    not be read; its citation then holds only the fields read with confidence.
    """

    number: int
    citation: Citation
    links: tuple[str, ...]
    raw: str
    line: int
    partial: str | None = None


@dataclass(frozen=True)
class Figure:
    """A figure of the review: its number and title as printed."""

    number: int
    title: str


@dataclass(frozen=True)
class Pointer:
    """An in-text pointer to a reference: the words that cite it in a sentence ('12', '3–5').

    A pointer implied by a range ('12–15' also cites 13 and 14) has no offsets of its own.
    """

    reference: int
    text: str
    start: int | None
    end: int | None


@dataclass(frozen=True)
class Sentence:
    """A sentence of the review's body that points to references: a citation context."""

    number: int
    text: str
    pointers: tuple[Pointer, ...]
    # The title of the section the sentence is in, and the line of the file it starts on.
    section: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class Review:
    """The review article a page describes, with its figures and numbered references."""

    citation: Citation
    doi: str
    article_type: str
    journal_title: str
    abstract: str
    figures: tuple[Figure, ...]
    references: tuple[Reference, ...]
    source: str
    # The sentences of the body that cite references (full text only: JATS).
    sentences: tuple[Sentence, ...] = ()
