"""Read a RIS reference list (EndNote, Zotero, Mendeley, PubMed's export) with rispy.

Each record (`TY` ... `ER`) is one reference, in order; the citing work is given apart. Read:
the type, title (TI, T1), authors (AU, A1), editors (A2, ED), journal (J2, JO, JA, then T2 or
JF), book title (T2, BT), volume, start and end page, year (PY, Y1, DA), DOI, PMID (AN when the
database is PubMed, or a note 'PMID: ...'), PMCID (C2 or a note), URL, access date (Y2),
publisher, place, edition, type of work (a thesis's degree), patent number (M1, IS). A record
of a type that is no kind of work mkg reads is an error naming its line. Left out: abstract,
keywords, issue, ISSN, notes other than identifiers, and every other tag.
"""

import re
from typing import Any

import rispy

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
    "JOUR": Kind.JOURNAL_ARTICLE,
    "EJOUR": Kind.JOURNAL_ARTICLE,
    "JFULL": Kind.JOURNAL_ARTICLE,
    "INPR": Kind.JOURNAL_ARTICLE,
    "BOOK": Kind.BOOK,
    "EBOOK": Kind.BOOK,
    "EDBOOK": Kind.BOOK,
    "CHAP": Kind.CHAPTER,
    "ECHAP": Kind.CHAPTER,
    "CONF": Kind.CONFERENCE_ABSTRACT,
    "CPAPER": Kind.CONFERENCE_ABSTRACT,
    "ABST": Kind.CONFERENCE_ABSTRACT,
    "THES": Kind.THESIS,
    "ELEC": Kind.WEB_PAGE,
    "BLOG": Kind.WEB_PAGE,
    "DATA": Kind.DATA_SET,
    "DBASE": Kind.DATABASE,
    "PAT": Kind.PATENT,
    "RPRT": Kind.REPORT,
    "GOVDOC": Kind.REPORT,
    "PCOMM": Kind.PERSONAL_COMMUNICATION,
    "UNPB": Kind.UNPUBLISHED,
    "MANSCPT": Kind.UNPUBLISHED,
}
_TYPE_LINE = re.compile(r"^TY  - ?(.*)$")
_NOTE_ID = re.compile(r"\b(PMID|PMCID)\s*:\s*(PMC\d+|\d+)", re.IGNORECASE)


def read_ris(text: str, *, source: str, citing: Citation) -> Review:
    """Read the records of a RIS file as the reference list of `citing`."""
    return reference_list_review(
        read_ris_references(text, source=source), citing=citing, source=source
    )


def read_ris_references(text: str, *, source: str) -> list[Reference]:
    """Read the records of a RIS file into numbered references."""
    lines = [n for n, line in enumerate(text.splitlines(), 1) if _TYPE_LINE.match(line.rstrip())]
    for line in lines:
        kind = _TYPE_LINE.match(text.splitlines()[line - 1].rstrip())
        assert kind is not None
        name = kind.group(1).strip()
        if name not in rispy.TYPE_OF_REFERENCE_MAPPING:
            raise PageFormatError(
                source, line, f"unknown RIS type {name!r} (RIS types are JOUR, BOOK, CHAP, ...)"
            )
        if name not in _KINDS:
            raise PageFormatError(
                source, line, f"the RIS type {name!r} is no kind of work mkg reads"
            )
    try:
        records = rispy.loads(text)
    except (OSError, ValueError) as error:
        raise PageFormatError(source, None, f"malformed RIS: {error}") from None
    if len(records) != len(lines):
        raise PageFormatError(
            source, None, f"malformed RIS: {len(lines)} 'TY' lines but {len(records)} records read"
        )
    if not records:
        raise PageFormatError(source, 1, "no RIS record (expected 'TY  - JOUR' ...)")
    return [
        _reference(n, r, line, source=source)
        for n, (r, line) in enumerate(zip(records, lines, strict=True), 1)
    ]


def _one(record: dict[str, Any], *keys: str) -> str | None:
    for key in keys:
        value = record.get(key)
        if isinstance(value, list):
            value = value[0] if value else None
        if value:
            return clean(str(value)) or None
    return None


def _unknown(record: dict[str, Any], tag: str) -> list[str]:
    unknown = record.get("unknown_tag") or {}
    return [str(v) for v in unknown.get(tag, [])]


def _names(values: list[str]) -> list[Author | None]:
    names: list[Author | None] = []
    for value in values:
        family, comma, given = value.partition(",")
        given_name, _, suffix = given.partition(",")
        names.append(person(family, given_name, suffix or None) if comma else group(value))
    return names


def _ids(record: dict[str, Any]) -> dict[str, str | None]:
    ids: dict[str, str | None] = {"doi": _one(record, "doi")}
    database = (_one(record, "name_of_database") or "") + " " + " ".join(_unknown(record, "DB"))
    accession = _one(record, "accession_number")
    if accession and ("pubmed" in database.lower() or "medline" in database.lower()):
        ids["pmid"] = accession
    pmcid = _one(record, "custom2")
    if pmcid and pmcid.upper().startswith("PMC"):
        ids["pmcid"] = pmcid
    for note in [*(record.get("notes") or []), *(record.get("note") and [record["note"]] or [])]:
        for scheme, value in _NOTE_ID.findall(str(note)):
            ids.setdefault("pmid" if scheme.upper() == "PMID" else "pmcid", value)
    return ids


def _reference(number: int, record: dict[str, Any], line: int, *, source: str) -> Reference:
    name = record.get("type_of_reference", "")
    kind = _KINDS[name]
    label = f"record {number} (TY {name})"
    title = _one(record, "title", "primary_title")
    if kind is Kind.CHAPTER:
        title = title or None
    if not title and kind not in (Kind.CHAPTER, Kind.PERSONAL_COMMUNICATION, Kind.UNPUBLISHED):
        raise PageFormatError(source, line, f"{label} has no title (TI)")
    citation = _citation(kind, record, title)
    raw = rispy.dumps([record]).strip()
    return reference(number, citation, raw=raw, line=line, what=label)


def _citation(kind: Kind, record: dict[str, Any], title: str | None) -> Citation:
    authors = _names(record.get("authors") or record.get("first_authors") or [])
    editors = tuple(
        e for e in _names((record.get("secondary_authors") or []) + _unknown(record, "ED")) if e
    )
    year = year_of(_one(record, "year", "publication_year", "date"))
    common: dict[str, Any] = {"authors": authors, "year": year, **_ids(record)}
    pages = (_one(record, "start_page"), _one(record, "end_page"))
    if pages[1] is None and pages[0] and "-" in pages[0]:
        pages = pages_of(pages[0])
    publisher, place = _one(record, "publisher"), _one(record, "place_published")
    edition = edition_of(_one(record, "edition"))
    url = _one(record, "urls")
    secondary = _one(record, "secondary_title")
    if kind is Kind.JOURNAL_ARTICLE:
        journal = _one(record, "alternate_title1", "journal_name", "alternate_title2")
        journal = journal or secondary or _one(record, "alternate_title3")
        return work(
            kind, title=title, journal=journal, volume=_one(record, "volume"), pages=pages, **common
        )
    if kind is Kind.BOOK:
        return work(
            kind,
            title=title,
            edition=edition,
            publisher=publisher,
            place=place,
            volume=_one(record, "volume"),
            **common,
        )
    if kind is Kind.CHAPTER:
        book = secondary or " ".join(_unknown(record, "BT")) or None
        return work(
            kind,
            title=title,
            book_title=book,
            editors=editors,
            edition=edition,
            publisher=publisher,
            place=place,
            pages=pages,
            **common,
        )
    if kind is Kind.CONFERENCE_ABSTRACT:
        return work(kind, title=title, venue=secondary, pages=pages, **common)
    if kind is Kind.THESIS:
        genre = _one(record, "type_of_work") or ""
        degree = genre.replace("thesis", "").replace("Thesis", "").strip() or None
        return work(
            kind,
            title=title,
            publisher=publisher,
            degree=degree,
            label="thesis" if degree else None,
            **common,
        )
    if kind in (Kind.WEB_PAGE, Kind.DATABASE):
        return work(kind, title=title, url=url, accessed=_one(record, "access_date"), **common)
    if kind is Kind.DATA_SET:
        return work(kind, title=title, venue=publisher or secondary, url=url, **common)
    if kind is Kind.PATENT:
        country = _one(record, "place_published") or ""
        label = f"{country} Patent" if country else "Patent"
        number = _one(record, "note", "number")
        return work(kind, title=title, patent_label=label, patent_number=number, **common)
    if kind in (Kind.PERSONAL_COMMUNICATION, Kind.UNPUBLISHED):
        status = (
            "personal communication" if kind is Kind.PERSONAL_COMMUNICATION else "unpublished data"
        )
        return work(kind, title=title, status=status, **common)
    return work(kind, title=title, publisher=publisher, place=place, series=secondary, **common)
