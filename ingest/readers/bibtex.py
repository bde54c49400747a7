"""Read a BibTeX or BibLaTeX reference list with bibtexparser 2 (Zotero, JabRef, Mendeley).

Each entry is one reference, in the file's order; the citing work is given apart. LaTeX is
decoded (`{\\'e}` -> é, `--` -> –) and names split into their parts by bibtexparser. Read: the
entry type, title, authors and editors (BibTeX's 'and others' is 'et al.'), journal
(`shortjournal`, then `journal` or `journaltitle`), book title, volume, pages, year (or
`date`), doi, pmid, pmcid (or `eprint` of type pubmed), url, urldate, publisher, address or
location, edition, school or institution, a thesis's type, a patent's number and location,
and a meeting (`eventtitle`, then `booktitle`). A block bibtexparser cannot read, or an entry
with no title, is an error naming its line. Left out: abstract, keywords, issue (`number` of an
article), month, ISSN, note, file, and every other field.
"""

import logging
from typing import Any

import bibtexparser
from bibtexparser import middlewares
from bibtexparser.model import Entry
from pylatexenc.latex2text import LatexNodes2Text

from ingest.errors import PageFormatError
from ingest.readers.common import (
    clean,
    edition_of,
    group,
    pages_of,
    person,
    reference,
    reference_list_review,
    work,
    year_of,
)
from ingest.records import Author, Citation, Kind, Reference, Review

_KINDS = {
    "article": Kind.JOURNAL_ARTICLE,
    "book": Kind.BOOK,
    "inbook": Kind.CHAPTER,
    "incollection": Kind.CHAPTER,
    "inproceedings": Kind.CONFERENCE_ABSTRACT,
    "conference": Kind.CONFERENCE_ABSTRACT,
    "phdthesis": Kind.THESIS,
    "mastersthesis": Kind.THESIS,
    "thesis": Kind.THESIS,
    "online": Kind.WEB_PAGE,
    "electronic": Kind.WEB_PAGE,
    "www": Kind.WEB_PAGE,
    "dataset": Kind.DATA_SET,
    "patent": Kind.PATENT,
    "techreport": Kind.REPORT,
    "report": Kind.REPORT,
    "unpublished": Kind.UNPUBLISHED,
}
_DEGREES = {"phdthesis": "PhD", "mastersthesis": "MSc"}
_DECODER = LatexNodes2Text()


def read_bibtex(text: str, *, source: str, citing: Citation) -> Review:
    """Read the entries of a BibTeX file as the reference list of `citing`."""
    return reference_list_review(
        read_bibtex_references(text, source=source), citing=citing, source=source
    )


def read_bibtex_references(text: str, *, source: str) -> list[Reference]:
    """Read the entries of a BibTeX file into numbered references."""
    # Names are split before LaTeX is decoded, so that a name in braces stays one name
    # ('{Metastasis Genome Consortium}'); their parts are decoded in `_names`.
    stack = [
        middlewares.ResolveStringReferencesMiddleware(),
        middlewares.RemoveEnclosingMiddleware(),
        middlewares.SeparateCoAuthors(),
        middlewares.SplitNameParts(),
        middlewares.LatexDecodingMiddleware(),
    ]
    # bibtexparser logs each block it cannot read; they are reported below, as one error.
    logger = logging.getLogger("bibtexparser")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        library = bibtexparser.parse_string(text, parse_stack=stack)
    finally:
        logger.setLevel(level)
    if library.failed_blocks:
        block = library.failed_blocks[0]
        error = getattr(block, "error", None)
        reason = str(error) if error is not None and str(error) else "a block that cannot be read"
        raise PageFormatError(source, (block.start_line or 0) + 1, f"malformed BibTeX: {reason}")
    if not library.entries:
        raise PageFormatError(source, 1, "no BibTeX entry (expected '@article{key, ...}')")
    return [_reference(n, entry, source=source) for n, entry in enumerate(library.entries, 1)]


def _field(entry: Entry, *names: str) -> str | None:
    for name in names:
        found = entry.fields_dict.get(name) or entry.fields_dict.get(name.capitalize())
        if found is not None and isinstance(found.value, str) and clean(found.value):
            return clean(found.value.replace("{", "").replace("}", ""))
    return None


def _names(entry: Entry, name: str) -> tuple[list[Author | None], bool]:
    found = entry.fields_dict.get(name)
    if found is None or not isinstance(found.value, list):
        return [], False
    names: list[Author | None] = []
    et_al = False
    for parts in found.value:
        if not isinstance(parts, middlewares.NameParts):
            continue
        if parts.last == ["others"] and not parts.first:
            et_al = True
            continue
        family = _decoded(" ".join([*parts.von, *parts.last]))
        if not parts.first and not parts.von:
            names.append(group(family))
        else:
            given = _decoded(" ".join(parts.first))
            names.append(person(family, given, _decoded(" ".join(parts.jr)) or None))
    return names, et_al


def _decoded(text: str) -> str:
    """Return a part of a name with its LaTeX decoded ('M{\\"u}ller' -> 'Müller')."""
    if "\\" not in text and "{" not in text and "~" not in text:
        return text
    return clean(_DECODER.latex_to_text(text)).replace("{", "").replace("}", "")


def _reference(number: int, entry: Entry, *, source: str) -> Reference:
    line = (entry.start_line or 0) + 1
    kind = _KINDS.get(entry.entry_type.lower())
    label = f"entry {entry.key!r} (@{entry.entry_type})"
    if kind is None and entry.entry_type.lower() == "misc" and _field(entry, "url", "howpublished"):
        kind = Kind.WEB_PAGE
    if kind is None:
        raise PageFormatError(
            source, line, f"{label}: @{entry.entry_type} is no kind of work mkg reads"
        )
    title = _field(entry, "title")
    if not title and kind not in (Kind.CHAPTER, Kind.UNPUBLISHED):
        raise PageFormatError(source, line, f"{label} has no title; expected title = {{...}}")
    citation = _citation(kind, entry, title)
    return reference(number, citation, raw=(entry.raw or "").strip(), line=line, what=label)


def _citation(kind: Kind, entry: Entry, title: str | None) -> Citation:
    authors, et_al = _names(entry, "author")
    editors, _ = _names(entry, "editor")
    pmid = _field(entry, "pmid")
    if pmid is None and (_field(entry, "eprinttype") or "").lower() == "pubmed":
        pmid = _field(entry, "eprint")
    common: dict[str, Any] = {
        "authors": authors,
        "et_al": et_al,
        "year": year_of(_field(entry, "year", "date")),
        "doi": _field(entry, "doi"),
        "pmid": pmid,
        "pmcid": _field(entry, "pmcid"),
    }
    pages = pages_of(_field(entry, "pages"))
    publisher = _field(entry, "publisher")
    place = _field(entry, "address", "location")
    edition = edition_of(_field(entry, "edition"))
    url = _field(entry, "url", "howpublished")
    if kind is Kind.JOURNAL_ARTICLE:
        journal = _field(entry, "shortjournal", "journal", "journaltitle")
        return work(
            kind,
            title=title,
            journal=journal,
            volume=_field(entry, "volume"),
            pages=pages,
            **common,
        )
    if kind is Kind.BOOK:
        return work(
            kind,
            title=title,
            edition=edition,
            publisher=publisher,
            place=place,
            volume=_field(entry, "volume"),
            **common,
        )
    if kind is Kind.CHAPTER:
        book = _field(entry, "booktitle") or (
            title if entry.entry_type.lower() == "inbook" else None
        )
        chapter = _field(entry, "chapter") if entry.entry_type.lower() == "inbook" else title
        return work(
            kind,
            title=chapter,
            book_title=book,
            editors=tuple(e for e in editors if e),
            edition=edition,
            publisher=publisher,
            place=place,
            pages=pages,
            **common,
        )
    if kind is Kind.CONFERENCE_ABSTRACT:
        venue = _field(entry, "eventtitle", "booktitle")
        return work(kind, title=title, venue=venue, pages=pages, **common)
    if kind is Kind.THESIS:
        degree = _DEGREES.get(entry.entry_type.lower()) or _field(entry, "type")
        if degree:
            degree = degree.replace("thesis", "").replace("Thesis", "").strip() or None
        institution = _field(entry, "school", "institution")
        return work(
            kind,
            title=title,
            publisher=institution,
            degree=degree,
            label="thesis" if degree else None,
            **common,
        )
    if kind is Kind.WEB_PAGE:
        return work(kind, title=title, url=url, accessed=_field(entry, "urldate"), **common)
    if kind is Kind.DATA_SET:
        venue = _field(entry, "publisher", "organization", "howpublished")
        return work(kind, title=title, venue=venue, url=url, **common)
    if kind is Kind.PATENT:
        country = _field(entry, "location", "address") or ""
        label = f"{country} Patent" if country else "Patent"
        return work(
            kind, title=title, patent_label=label, patent_number=_field(entry, "number"), **common
        )
    if kind is Kind.UNPUBLISHED:
        return work(kind, title=title, status="unpublished data", **common)
    institution = _field(entry, "institution", "publisher")
    return work(
        kind,
        title=title,
        publisher=institution,
        place=place,
        series=_field(entry, "series"),
        **common,
    )
