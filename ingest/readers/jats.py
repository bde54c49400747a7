"""Read a JATS article (NISO Z39.96: PubMed Central's and publishers' XML) into a Review.

Read: the article's metadata (title, authors, journal, volume, pages, year, DOI, PMID, PMCID,
article type), its abstract, its figures' captions, its reference list (`element-citation` and
`mixed-citation`, every `publication-type`, the `pub-id`s each prints) and, from the body, every
sentence that points to a reference (`xref ref-type="bibr"`): a citation context.

A reference that cannot be read completely (no title, an unknown publication type, a
`mixed-citation` printed as plain text in a style other than the publisher's) is kept with the
names, year and identifiers read, and a note. Left out: affiliations, funding, keywords, issue
numbers, tables, formulas, supplementary material, and the body text outside citing sentences.
"""

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from lxml import etree

from ingest.errors import PageFormatError
from ingest.identifiers import normalise_doi, normalise_pmcid, normalise_pmid
from ingest.parse import read_citation
from ingest.readers.common import (
    clean,
    edition_of,
    group,
    pages_of,
    partial,
    person,
    reference,
    work,
    year_of,
)
from ingest.readers.safexml import local, parse_xml, text_of
from ingest.records import Author, Citation, Figure, Kind, Pointer, Reference, Review, Sentence

XLINK = "{http://www.w3.org/1999/xlink}href"

# publication-type -> kind; 'book' with a chapter title is a chapter.
_KINDS = {
    "journal": Kind.JOURNAL_ARTICLE,
    "book": Kind.BOOK,
    "chapter": Kind.CHAPTER,
    "book-chapter": Kind.CHAPTER,
    "confproc": Kind.CONFERENCE_ABSTRACT,
    "conf-proc": Kind.CONFERENCE_ABSTRACT,
    "conference": Kind.CONFERENCE_ABSTRACT,
    "thesis": Kind.THESIS,
    "dissertation": Kind.THESIS,
    "web": Kind.WEB_PAGE,
    "webpage": Kind.WEB_PAGE,
    "website": Kind.WEB_PAGE,
    "data": Kind.DATA_SET,
    "dataset": Kind.DATA_SET,
    "database": Kind.DATABASE,
    "patent": Kind.PATENT,
    "report": Kind.REPORT,
    "gov": Kind.REPORT,
    "preprint": Kind.PREPRINT,
}
_DEGREE = re.compile(r"\b(Ph\.?D|D\.?Phil|M\.?D|M\.?Sc|M\.?Phil|M\.?A|B\.?Sc|Dr\.? ?med)\b")
_DASHES = ("\u2013", "-", "\u2014", "\u2010", "\u2011", "\u2012")
# Words after which a full stop ends no sentence.
_ABBREVIATIONS = frozenset(
    {"al", "e.g", "i.e", "fig", "figs", "ref", "refs", "vs", "cf", "ca", "approx", "no", "dr",
     "eq", "sect", "suppl", "vol", "st", "mr", "ms", "prof", "inc", "ltd", "co", "resp", "viz"}
)  # fmt: skip
# Elements that tag the fields of a citation: a mixed-citation with none of them is printed text.
_FIELDS = frozenset(
    {"person-group", "name", "string-name", "collab", "article-title", "chapter-title",
     "part-title", "data-title", "source", "year", "volume", "fpage", "lpage", "page-range",
     "elocation-id", "publisher-name", "publisher-loc", "edition", "conf-name", "patent",
     "institution", "date-in-citation"}
)  # fmt: skip
# Elements of a paragraph whose text is not part of its sentences.
_SKIPPED = frozenset({"fig", "table-wrap", "disp-formula", "supplementary-material", "fn"})


def read_jats(data: bytes, *, source: str) -> Review:
    """Read a JATS article into a Review, or raise PageFormatError naming the line."""
    root = parse_xml(data, source=source).getroot()
    if local(root) != "article":
        raise PageFormatError(source, root.sourceline, f"expected <article>, found <{root.tag}>")
    meta = root.find("front/article-meta")
    if meta is None:
        raise PageFormatError(source, root.sourceline, "the article has no <front><article-meta>")
    citation = _article(root, meta)
    if not citation.title:
        raise PageFormatError(source, meta.sourceline, "the article has no <article-title>")
    refs = root.findall("back/ref-list//ref")
    if not refs:
        raise PageFormatError(source, root.sourceline, "the article has no <ref-list>")
    references, numbers = _references(refs, source=source)
    body = root.find("body")
    return Review(
        citation=citation,
        doi=citation.doi or "",
        article_type=root.get("article-type") or "",
        journal_title=text_of(root.find("front/journal-meta//journal-title")),
        abstract=_abstract(meta),
        figures=_figures(root),
        references=references,
        source=source,
        sentences=tuple(_sentences(body, numbers)) if body is not None else (),
    )


# ------------------------------------------------------------------------------- the article


def _article(root: etree._Element, meta: etree._Element) -> Citation:
    journal_meta = root.find("front/journal-meta")
    ids = {a.get("pub-id-type"): text_of(a) for a in meta.findall("article-id")}
    authors = []
    for contrib in meta.iter("contrib"):
        if contrib.get("contrib-type", "author") == "author":
            authors.append(_name(contrib))
    first, last = text_of(meta.find("fpage")) or None, text_of(meta.find("lpage")) or None
    if first is None:
        first = text_of(meta.find("elocation-id")) or None
    return work(
        Kind.JOURNAL_ARTICLE,
        authors=authors,
        title=text_of(meta.find("title-group/article-title")),
        journal=_journal_abbreviation(journal_meta),
        volume=text_of(meta.find("volume")),
        pages=(first, last),
        year=_pub_year(meta),
        doi=ids.get("doi"),
        pmid=ids.get("pmid"),
        pmcid=ids.get("pmcid") or ids.get("pmc"),
    )


def _journal_abbreviation(journal_meta: etree._Element | None) -> str | None:
    if journal_meta is None:
        return None
    titles = {
        a.get("abbrev-type", ""): text_of(a) for a in journal_meta.iter("abbrev-journal-title")
    }
    ids = {j.get("journal-id-type", ""): text_of(j) for j in journal_meta.findall("journal-id")}
    for found in (titles.get("nlm-ta"), ids.get("nlm-ta"), titles.get("iso-abbrev"),
                  titles.get("publisher"), *titles.values()):  # fmt: skip
        if found:
            return found
    return text_of(journal_meta.find(".//journal-title")) or None


def _pub_year(meta: etree._Element) -> int | None:
    dates = meta.findall("pub-date")
    ranked = sorted(
        dates,
        key=lambda d: (
            ("ppub", "collection", "epub", "pub").index(d.get("pub-type") or "pub")
            if (d.get("pub-type") or "pub") in ("ppub", "collection", "epub", "pub")
            else 9
        ),
    )
    for date in ranked:
        year = year_of(text_of(date.find("year")))
        if year is not None:
            return year
    return None


def _name(element: etree._Element) -> Author | None:
    """Return the name a contrib or person-group child holds: a person or a group."""
    name = element if local(element) in ("name", "string-name") else element.find("name")
    if name is None:
        name = element.find("string-name")
    if name is None:
        collab = element if local(element) == "collab" else element.find("collab")
        return group(text_of(collab)) if collab is not None else None
    surname = text_of(name.find("surname"))
    if not surname and local(name) == "string-name":
        return group(text_of(name))
    return person(surname, text_of(name.find("given-names")), text_of(name.find("suffix")))


def _abstract(meta: etree._Element) -> str:
    for abstract in meta.findall("abstract"):
        if abstract.get("abstract-type") in (None, "summary"):
            paragraphs = [text_of(p) for p in abstract.iter("p")]
            return "\n\n".join(p for p in paragraphs if p)
    return ""


def _figures(root: etree._Element) -> tuple[Figure, ...]:
    figures: dict[int, Figure] = {}
    for fig in root.iter("fig"):
        label = text_of(fig.find("label"))
        number = re.fullmatch(r"(?:Figure|Fig\.?)\s*(\d{1,6})\.?:?", label, re.IGNORECASE)
        if number is None:
            continue
        caption = fig.find("caption")
        title = text_of(caption.find("title")) if caption is not None else ""
        if not title and caption is not None:
            title = text_of(caption.find("p"))
        if title:
            figures.setdefault(int(number.group(1)), Figure(int(number.group(1)), title))
    ordered = [figures[n] for n in sorted(figures)]
    # Figure numbers run 1, 2, 3 ...: a gap means the captions are not all there.
    return tuple(f for i, f in enumerate(ordered, start=1) if f.number == i)


# ------------------------------------------------------------------------------ the references


def _references(
    refs: list[etree._Element], *, source: str
) -> tuple[tuple[Reference, ...], dict[str, int]]:
    references = []
    numbers: dict[str, int] = {}
    for number, ref in enumerate(refs, start=1):
        if ref.get("id"):
            numbers[ref.get("id", "")] = number
        references.append(_reference(number, ref))
    return tuple(references), numbers


def _reference(number: int, ref: etree._Element) -> Reference:
    cited = [c for c in ref.iter() if local(c) in ("element-citation", "mixed-citation")]
    line = ref.sourceline or 0
    what = f"reference {ref.get('id') or number}"
    if not cited:
        raw = text_of(ref) or f"reference {number}"
        return Reference(number, _empty(), (), raw, line, partial="has no citation element")
    element = next((c for c in cited if local(c) == "element-citation"), cited[0])
    mixed = next((c for c in cited if local(c) == "mixed-citation"), None)
    raw = text_of(mixed) if mixed is not None else _tokens(element)
    if mixed is not None and element is mixed and not _tagged(mixed):
        return _printed(number, mixed, raw=raw, line=line)
    kind_name = (element.get("publication-type") or element.get("citation-type") or "").lower()
    kind = _KINDS.get(kind_name)
    if kind is Kind.BOOK and _first(element, "chapter-title", "part-title") is not None:
        kind = Kind.CHAPTER
    if kind is None:
        partly = _fields(element, Kind.JOURNAL_ARTICLE)
        note = f"has the publication-type {kind_name or '(none)'!r}, which mkg does not read"
        return Reference(number, _keep(partly), (), raw, line, partial=note)
    return reference(number, _fields(element, kind), raw=raw, line=line, what=what)


def _tagged(mixed: etree._Element) -> bool:
    """Tell whether a mixed-citation tags its fields, or is text with only type style and links."""
    return any(local(child) in _FIELDS for child in mixed.iter() if child is not mixed)


def _printed(number: int, mixed: etree._Element, *, raw: str, line: int) -> Reference:
    """Read a mixed-citation printed as plain text, in the publisher's style if it is that.

    The identifiers tagged in it (`pub-id`) are read as such, and left out of the text read.
    """
    ids = _pub_ids(mixed)
    text = copy.deepcopy(mixed)
    etree.strip_elements(text, "pub-id", "object-id", with_tail=False)
    citation, note = read_citation(text_of(text))
    if note is not None:
        kept = _keep(citation, **ids)
        return Reference(number, kept, (), raw, line, partial=f"is plain text that {note}")
    return Reference(number, _with_ids(citation, **ids), (), raw, line)


def _empty() -> Citation:
    return work(Kind.JOURNAL_ARTICLE)


def _keep(citation: Citation, **ids: str | None) -> Citation:
    return partial(_with_ids(citation, **ids))


def _with_ids(citation: Citation, **ids: str | None) -> Citation:
    return replace(
        citation,
        doi=normalise_doi(ids.get("doi")) or citation.doi,
        pmid=normalise_pmid(ids.get("pmid")) or citation.pmid,
        pmcid=normalise_pmcid(ids.get("pmcid")) or citation.pmcid,
    )


def _tokens(element: etree._Element) -> str:
    return " ".join(t.strip() for t in element.itertext() if t.strip())


def _first(element: etree._Element, *tags: str) -> etree._Element | None:
    for tag in tags:
        found = element.find(tag)
        if found is not None:
            return found
    return None


def _pub_ids(element: etree._Element) -> dict[str, str | None]:
    ids: dict[str, str | None] = {}
    for pub_id in element.iter("pub-id", "object-id"):
        kind = (pub_id.get("pub-id-type") or "").lower()
        key = {"doi": "doi", "pmid": "pmid", "pmcid": "pmcid", "pmc": "pmcid"}.get(kind)
        if key is not None and key not in ids:
            ids[key] = text_of(pub_id)
    for link in element.iter("ext-link"):
        if (link.get("ext-link-type") or "").lower() == "doi" and "doi" not in ids:
            ids["doi"] = link.get(XLINK) or text_of(link)
    return ids


def _names(element: etree._Element, role: str) -> tuple[list[Author | None], bool]:
    names: list[Author | None] = []
    et_al = False
    groups = [
        g for g in element.findall("person-group") if g.get("person-group-type", "author") == role
    ]
    holders = groups or ([element] if role == "author" else [])
    for holder in holders:
        for child in holder:
            tag = local(child)
            if tag in ("name", "string-name", "collab"):
                names.append(_name(child))
            elif tag == "etal":
                et_al = True
    return names, et_al


def _fields(element: etree._Element, kind: Kind) -> Citation:
    """Read the fields of an element-citation or a tagged mixed-citation as a citation of `kind`."""
    authors, et_al = _names(element, "author")
    if not authors and kind is Kind.PATENT:
        authors, et_al = _names(element, "inventor")
    editors, _ = _names(element, "editor")
    ids = _pub_ids(element)
    source = text_of(element.find("source"))
    article_title = text_of(_first(element, "article-title", "data-title"))
    chapter_title = text_of(_first(element, "chapter-title", "part-title"))
    first = text_of(element.find("fpage")) or text_of(element.find("elocation-id")) or None
    pages = (first, text_of(element.find("lpage")) or None)
    if pages == (None, None) and element.find("page-range") is not None:
        pages = pages_of(text_of(element.find("page-range")))
    url_element = next(
        (e for e in element.iter("ext-link", "uri") if (e.get("ext-link-type") or "uri") != "doi"),
        None,
    )
    url = (url_element.get(XLINK) or text_of(url_element)) if url_element is not None else None
    common: dict[str, Any] = {
        "authors": authors,
        "et_al": et_al,
        "year": year_of(text_of(element.find("year"))),
        "doi": ids.get("doi"),
        "pmid": ids.get("pmid"),
        "pmcid": ids.get("pmcid"),
    }
    publisher = text_of(_first(element, "publisher-name", "institution")) or None
    place = text_of(element.find("publisher-loc")) or None
    edition = edition_of(text_of(element.find("edition")))
    comment = text_of(element.find("comment"))
    if kind is Kind.JOURNAL_ARTICLE:
        return work(
            kind,
            title=article_title,
            journal=source,
            volume=text_of(element.find("volume")),
            pages=pages,
            **common,
        )
    if kind is Kind.BOOK:
        return work(
            kind,
            title=source or article_title,
            edition=edition,
            publisher=publisher,
            place=place,
            volume=text_of(element.find("volume")) or None,
            **common,
        )
    if kind is Kind.CHAPTER:
        return work(
            kind,
            title=chapter_title or article_title,
            book_title=source,
            editors=tuple(e for e in editors if e is not None),
            edition=edition,
            publisher=publisher,
            place=place,
            pages=pages,
            **common,
        )
    if kind is Kind.CONFERENCE_ABSTRACT:
        venue = text_of(element.find("conf-name")) or source
        return work(kind, title=article_title or source, venue=venue or None, pages=pages, **common)
    if kind is Kind.THESIS:
        degree = _DEGREE.search(comment or source or "")
        return work(
            kind,
            title=article_title or source,
            publisher=publisher,
            degree=degree.group(1) if degree else None,
            label="thesis" if degree else None,
            **common,
        )
    if kind in (Kind.WEB_PAGE, Kind.DATABASE):
        accessed = text_of(element.find("date-in-citation")) or None
        return work(kind, title=article_title or source, url=url, accessed=accessed, **common)
    if kind in (Kind.DATA_SET, Kind.PREPRINT):
        return work(
            kind,
            title=article_title or source,
            venue=source if article_title else None,
            url=url,
            **common,
        )
    if kind is Kind.PATENT:
        patent = element.find("patent")
        country = (patent.get("country") if patent is not None else None) or ""
        number = text_of(patent) if patent is not None else ""
        return work(
            kind,
            title=article_title or source,
            patent_label=f"{country} Patent".strip() if country else "Patent",
            patent_number=number or None,
            **common,
        )
    # Kind.REPORT
    return work(kind, title=article_title or source, publisher=publisher, place=place, **common)


# ----------------------------------------------------------------------------------- the body


@dataclass
class _Span:
    start: int
    end: int
    targets: tuple[str, ...]
    text: str


def _paragraph(p: etree._Element) -> tuple[str, list[_Span]]:
    """Return a paragraph's text and its pointers to references, at their offsets."""
    parts: list[str] = []
    spans: list[_Span] = []
    length = 0

    def walk(element: etree._Element) -> None:
        nonlocal length
        if element.text:
            parts.append(element.text)
            length += len(element.text)
        for child in element:
            tag = local(child)
            if tag not in _SKIPPED:
                if tag == "xref" and child.get("ref-type") == "bibr":
                    start = length
                    walk(child)
                    text = "".join(parts)[start:length]
                    targets = tuple((child.get("rid") or "").split())
                    spans.append(_Span(start, length, targets, text))
                else:
                    walk(child)
            if child.tail:
                parts.append(child.tail)
                length += len(child.tail)

    walk(p)
    return "".join(parts), spans


def _squeeze(text: str, spans: list[_Span]) -> tuple[str, list[_Span]]:
    """Make every run of whitespace one space (and strip), keeping the spans on their words."""
    kept: list[str] = []
    where: list[int] = []  # old offset -> new offset
    previous_space = True
    for char in text:
        where.append(len(kept))
        if char.isspace():
            if not previous_space:
                kept.append(" ")
            previous_space = True
        else:
            kept.append(char)
            previous_space = False
    where.append(len(kept))
    squeezed = "".join(kept)
    stripped = squeezed.rstrip()
    moved = [
        _Span(where[s.start], min(where[s.end], len(stripped)), s.targets, s.text.strip())
        for s in spans
    ]
    for span in moved:
        while span.start < span.end and stripped[span.start].isspace():
            span.start += 1
    return stripped, moved


def _sentence_ends(text: str, spans: list[_Span]) -> Iterator[int]:
    """Yield the offsets where the sentences of a paragraph end (each after its pointers)."""
    starts = {s.start: s for s in spans}
    i = 0
    while i < len(text):
        char = text[i]
        if char in ".?!" and _ends_sentence(text, i):
            end = i + 1
            while end < len(text) and text[end] in "\"'\u201d\u2019)":
                end += 1
            # Pointers printed after the full stop ('bone.12,13') belong to this sentence.
            while True:
                if end in starts:
                    end = starts[end].end
                elif end < len(text) and text[end] in ",\u2013-" and end + 1 in starts:
                    end += 1
                else:
                    break
            if end >= len(text):
                break
            if text[end] == " " and end + 1 < len(text) and _opens_sentence(text[end + 1]):
                yield end
                i = end
        i += 1
    yield len(text)


def _ends_sentence(text: str, i: int) -> bool:
    if text[i] != ".":
        return True
    word = re.search(r"([A-Za-z.]+)$", text[:i])
    if word is None:
        return not (i > 0 and text[i - 1].isdigit() and i + 1 < len(text) and text[i + 1].isdigit())
    token = word.group(1).lower().strip(".")
    return token not in _ABBREVIATIONS and not re.fullmatch(r"[a-z]", token)


def _opens_sentence(char: str) -> bool:
    return char.isupper() or char.isdigit() or char in "\"'\u201c\u2018(["


def _sentences(body: etree._Element, numbers: dict[str, int]) -> Iterator[Sentence]:
    count = 0
    for p in body.iter("p"):
        if any(local(a) in _SKIPPED for a in p.iterancestors()):
            continue
        raw, spans = _paragraph(p)
        text, spans = _squeeze(raw, spans)
        section = _section(p)
        start = 0
        for end in _sentence_ends(text, spans):
            chunk = text[start:end]
            offset = start + (len(chunk) - len(chunk.lstrip()))
            sentence = text[offset:end].strip()
            start = end
            if not sentence:
                continue
            count += 1
            inside = [s for s in spans if offset <= s.start and s.end <= offset + len(sentence)]
            pointers = tuple(_pointers(inside, sentence, offset, numbers))
            if pointers:
                yield Sentence(count, sentence, pointers, section=section, line=p.sourceline)


def _pointers(
    spans: list[_Span], sentence: str, offset: int, numbers: dict[str, int]
) -> Iterator[Pointer]:
    previous: tuple[_Span, int] | None = None
    for span in spans:
        start, end = span.start - offset, span.end - offset
        targets = [numbers[t] for t in span.targets if t in numbers]
        if previous is not None and targets:
            before, last = previous
            between = sentence[before.end - offset : start]
            # '12–15' between two pointers cites 13 and 14 too.
            if between.strip() in _DASHES and targets[0] > last + 1:
                text = sentence[before.start - offset : end]
                for implied in range(last + 1, targets[0]):
                    yield Pointer(implied, text, None, None)
        for target in targets:
            yield Pointer(target, span.text, start, end)
        if targets:
            previous = (span, targets[-1])


def _section(p: etree._Element) -> str | None:
    for ancestor in p.iterancestors("sec"):
        title = text_of(ancestor.find("title"))
        if title:
            return clean(title)
    return None
