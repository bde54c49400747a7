"""Plain records of what a review page prints: no RDF here."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Author:
    """A name as printed in an author list: family name, initials, optional suffix."""

    family: str
    given: str
    suffix: str | None = None
    # The punctuation printed before this name, kept only where it differs from the
    # publisher's convention (", " between names, " & " before the last one).
    separator: str | None = None

    @property
    def printed(self) -> str:
        """Return the name as the publisher prints it: 'Family, I.I.' or 'Family, I., III'."""
        name = f"{self.family}, {self.given}"
        return f"{name}, {self.suffix}" if self.suffix else name


@dataclass(frozen=True)
class Citation:
    """The bibliographic fields of one printed citation."""

    authors: tuple[Author, ...]
    et_al: bool
    title: str
    journal: str
    volume: str
    volume_note: str | None
    first_page: str
    last_page: str | None
    page_note: str | None
    year: int


@dataclass(frozen=True)
class Reference:
    """One numbered entry of the reference list, with the raw text it was parsed from."""

    number: int
    citation: Citation
    links: tuple[str, ...]
    raw: str
    line: int


@dataclass(frozen=True)
class Figure:
    """A figure of the review: its number and title as printed."""

    number: int
    title: str


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
