"""Read a CSL-JSON reference list (Zotero, Mendeley, pandoc, citeproc) into references.

The file is a JSON array of CSL items (or one item); each item is one reference, in order, and
the citing work is given apart (`mkg build refs.json --citing-doi ...`). Read of each item: its
type, title, authors and editors, container title (the short form first), volume, page,
issued year, DOI, PMID, PMCID, URL, accessed date, publisher and place, edition, genre (a
thesis's degree), number and authority (a patent's), event (a meeting). Left out: abstract,
issue, month and day, ISSN, language, keywords, notes, and every field not named above.
"""

import json
from typing import Any

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
    "article-journal": Kind.JOURNAL_ARTICLE,
    "article": Kind.JOURNAL_ARTICLE,
    "book": Kind.BOOK,
    "chapter": Kind.CHAPTER,
    "paper-conference": Kind.CONFERENCE_ABSTRACT,
    "thesis": Kind.THESIS,
    "webpage": Kind.WEB_PAGE,
    "post-weblog": Kind.WEB_PAGE,
    "dataset": Kind.DATA_SET,
    "database": Kind.DATABASE,
    "patent": Kind.PATENT,
    "report": Kind.REPORT,
    "personal_communication": Kind.PERSONAL_COMMUNICATION,
    "manuscript": Kind.UNPUBLISHED,
}


def read_csl(text: str, *, source: str, citing: Citation) -> Review:
    """Read a CSL-JSON array of items as the reference list of `citing`."""
    return reference_list_review(
        read_csl_references(text, source=source), citing=citing, source=source
    )


def read_csl_references(text: str, *, source: str) -> list[Reference]:
    """Read the items of a CSL-JSON file into numbered references."""
    items = _items(text, source=source)
    return [_reference(n, item, line, source=source) for n, (item, line) in enumerate(items, 1)]


def _items(text: str, *, source: str) -> list[tuple[dict[str, object], int]]:
    """Return the items with the line each starts on (json reads them; this finds where)."""
    decoder = json.JSONDecoder()
    start = len(text) - len(text.lstrip())
    try:
        if text[start : start + 1] != "[":
            item, _ = decoder.raw_decode(text, start)
            return [(_object(item, 1, source), _line(text, start))]
        items: list[tuple[dict[str, object], int]] = []
        position = start + 1
        while True:
            position = _skip(text, position)
            if text[position : position + 1] == "]":
                break
            item, end = decoder.raw_decode(text, position)
            items.append((_object(item, len(items) + 1, source), _line(text, position)))
            position = _skip(text, end)
            if text[position : position + 1] == ",":
                position += 1
        rest = text[position + 1 :].strip()
        if rest:
            raise PageFormatError(source, _line(text, position + 1), "text after the JSON array")
        return items
    except json.JSONDecodeError as error:
        raise PageFormatError(source, error.lineno, f"malformed JSON: {error.msg}") from None


def _skip(text: str, position: int) -> int:
    while position < len(text) and text[position].isspace():
        position += 1
    return position


def _line(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def _object(item: object, number: int, source: str) -> dict[str, object]:
    if not isinstance(item, dict):
        raise PageFormatError(source, None, f"item {number} is not a JSON object (a CSL item)")
    return item


def _names(value: object) -> list[Author | None]:
    names: list[Author | None] = []
    if not isinstance(value, list):
        return names
    for name in value:
        if not isinstance(name, dict):
            continue
        if "literal" in name:
            names.append(group(str(name["literal"])))
            continue
        family = " ".join(
            str(name[part]) for part in ("non-dropping-particle", "family") if name.get(part)
        )
        names.append(person(family, _str(name.get("given")), _str(name.get("suffix"))))
    return names


def _str(value: object) -> str | None:
    if value is None:
        return None
    return clean(str(value)) or None


def _year(value: object) -> int | None:
    if isinstance(value, dict):
        parts = value.get("date-parts")
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
            return year_of(str(parts[0][0]))
        return year_of(_str(value.get("raw") or value.get("literal")))
    return year_of(_str(value))


def _date(value: object) -> str | None:
    if isinstance(value, dict):
        parts = value.get("date-parts")
        if isinstance(parts, list) and parts and isinstance(parts[0], list):
            return "-".join(f"{int(p):02d}" if i else str(p) for i, p in enumerate(parts[0]))
        return _str(value.get("raw") or value.get("literal"))
    return _str(value)


def _reference(number: int, item: dict[str, object], line: int, *, source: str) -> Reference:
    kind_name = str(item.get("type", ""))
    kind = _KINDS.get(kind_name)
    label = f"item {number} ({item.get('id', 'no id')})"
    if kind is None:
        raise PageFormatError(
            source, line, f"{label} has the CSL type {kind_name!r}, which mkg does not read"
        )
    title = _str(item.get("title"))
    if not title and kind not in (Kind.CHAPTER, Kind.PERSONAL_COMMUNICATION, Kind.UNPUBLISHED):
        raise PageFormatError(source, line, f"{label} has no title")
    citation = _citation(kind, item)
    raw = json.dumps(item, ensure_ascii=False, sort_keys=True)
    return reference(number, citation, raw=raw, line=line, what=label)


def _citation(kind: Kind, item: dict[str, object]) -> Citation:
    get = item.get
    container = _str(get("container-title-short")) or _str(get("journalAbbreviation"))
    container = container or _str(get("container-title"))
    common: dict[str, Any] = {
        "authors": _names(get("author"))
        or (_names(get("inventor")) if kind is Kind.PATENT else []),
        "year": _year(get("issued")),
        "doi": _str(get("DOI")),
        "pmid": _str(get("PMID")),
        "pmcid": _str(get("PMCID")),
    }
    url, title = _str(get("URL")), _str(get("title"))
    publisher, place = _str(get("publisher")), _str(get("publisher-place"))
    pages = pages_of(_str(get("page")) or _str(get("page-first")))
    if kind is Kind.JOURNAL_ARTICLE:
        return work(
            kind, title=title, journal=container, volume=_str(get("volume")), pages=pages, **common
        )
    if kind is Kind.BOOK:
        return work(
            kind,
            title=title,
            edition=edition_of(_str(get("edition"))),
            publisher=publisher,
            place=place,
            volume=_str(get("volume")),
            **common,
        )
    if kind is Kind.CHAPTER:
        editors = tuple(e for e in _names(get("editor")) if e is not None)
        return work(
            kind,
            title=title,
            book_title=_str(get("container-title")),
            editors=editors,
            edition=edition_of(_str(get("edition"))),
            publisher=publisher,
            place=place,
            pages=pages,
            **common,
        )
    if kind is Kind.CONFERENCE_ABSTRACT:
        venue = _str(get("event-title")) or _str(get("event")) or container
        return work(kind, title=title, venue=venue, pages=pages, **common)
    if kind is Kind.THESIS:
        genre = _str(get("genre")) or ""
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
        return work(kind, title=title, url=url, accessed=_date(get("accessed")), **common)
    if kind is Kind.DATA_SET:
        return work(kind, title=title, venue=_str(get("publisher")) or container, url=url, **common)
    if kind is Kind.PATENT:
        authority = _str(get("authority")) or ""
        label = f"{authority} Patent".strip() if authority else "Patent"
        return work(
            kind, title=title, patent_label=label, patent_number=_str(get("number")), **common
        )
    if kind in (Kind.PERSONAL_COMMUNICATION, Kind.UNPUBLISHED):
        status = (
            "personal communication" if kind is Kind.PERSONAL_COMMUNICATION else "unpublished data"
        )
        return work(kind, title=title, status=status, **common)
    return work(
        kind,
        title=title,
        publisher=publisher,
        place=place,
        series=_str(get("collection-title")),
        **common,
    )
