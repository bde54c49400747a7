"""Read a PubMed / MEDLINE XML set (`PubmedArticleSet`, as PubMed's EFetch and export give it).

Two uses. A set with no `ReferenceList`, given the citing work (`mkg build set.xml --citing-doi
...`), is a reference list: every article of the set is one reference, in order. Otherwise
(`read_input` passes no citing work for a set holding a `ReferenceList`) the set must hold one
article with a `ReferenceList`:
that article is the review, and each of its references is read from the record of the cited
article when the set holds one (matched by PMID, then DOI), else kept partly with the
identifiers its `ArticleIdList` gives (PubMed prints the rest as text only).

Read of each article: title, authors (family name and initials), journal (ISO abbreviation,
else the MEDLINE abbreviation), volume, pages, year, DOI, PMID, PMCID, publication types,
abstract. Left out: MeSH headings, keywords, chemicals, grants, affiliations, issue and month,
comments and corrections, history dates.
"""

from lxml import etree

from ingest.errors import PageFormatError
from ingest.identifiers import normalise_doi, normalise_pmid
from ingest.readers.common import (
    group,
    pages_of,
    partial,
    person,
    reference,
    reference_list_review,
    work,
    year_of,
)
from ingest.readers.safexml import local, parse_xml, text_of
from ingest.records import Author, Citation, Kind, Reference, Review


def read_pubmed(data: bytes, *, source: str, citing: Citation | None = None) -> Review:
    """Read a PubmedArticleSet into a Review, or raise PageFormatError naming the line."""
    root = parse_xml(data, source=source).getroot()
    if local(root) not in ("PubmedArticleSet", "PubmedArticle"):
        raise PageFormatError(
            source, root.sourceline, f"expected <PubmedArticleSet>, found <{local(root)}>"
        )
    articles = [root] if local(root) == "PubmedArticle" else root.findall("PubmedArticle")
    if not articles:
        raise PageFormatError(source, root.sourceline, "the set holds no <PubmedArticle>")
    records = [(a, _article(a, source=source)) for a in articles]
    if citing is not None:
        references = [
            reference(n, c, raw=_raw(c), line=a.sourceline or 0, what=f"PMID {c.pmid}")
            for n, (a, c) in enumerate(records, start=1)
        ]
        return reference_list_review(references, citing=citing, source=source)
    reviews = [(a, c) for a, c in records if a.find("PubmedData/ReferenceList") is not None]
    if len(reviews) != 1:
        found = "no article" if not reviews else f"{len(reviews)} articles"
        raise PageFormatError(
            source,
            root.sourceline,
            f"{found} of the set has a <ReferenceList>; expected one (the review), or give the "
            "citing work with --citing-doi or --citing to read the set as a reference list",
        )
    review, citation = reviews[0]
    by_id: dict[str, Citation] = {}
    for _, cited in records:
        for key in (cited.pmid, cited.doi):
            if key:
                by_id.setdefault(key, cited)
    entries = tuple(_references(review, by_id))
    if not entries:
        raise PageFormatError(source, review.sourceline, "the review's <ReferenceList> is empty")
    abstract = "\n\n".join(text_of(t) for t in review.iter("AbstractText"))
    types = [text_of(t) for t in review.iter("PublicationType")]
    return Review(
        citation=citation,
        doi=citation.doi or "",
        article_type="; ".join(types),
        journal_title=text_of(review.find("MedlineCitation/Article/Journal/Title")),
        abstract=abstract,
        figures=(),
        references=entries,
        source=source,
    )


def _article(element: etree._Element, *, source: str) -> Citation:
    medline = element.find("MedlineCitation")
    article = medline.find("Article") if medline is not None else None
    if medline is None or article is None:
        raise PageFormatError(source, element.sourceline, "the record has no <MedlineCitation>")
    journal = article.find("Journal")
    abbreviation = text_of(journal.find("ISOAbbreviation")) if journal is not None else ""
    if not abbreviation:
        abbreviation = text_of(medline.find("MedlineJournalInfo/MedlineTA"))
    ids = {
        i.get("IdType"): text_of(i) for i in element.findall("PubmedData/ArticleIdList/ArticleId")
    }
    for location in article.findall("ELocationID"):
        ids.setdefault(location.get("EIdType"), text_of(location))
    start = text_of(article.find("Pagination/StartPage")) or None
    end = text_of(article.find("Pagination/EndPage")) or None
    pages = (start, end) if start else pages_of(text_of(article.find("Pagination/MedlinePgn")))
    issue = journal.find("JournalIssue") if journal is not None else None
    year = None
    if issue is not None:
        year = year_of(text_of(issue.find("PubDate/Year"))) or year_of(
            text_of(issue.find("PubDate/MedlineDate"))
        )
    authors: list[Author | None] = []
    for author in article.findall("AuthorList/Author"):
        if author.find("CollectiveName") is not None:
            authors.append(group(text_of(author.find("CollectiveName"))))
        else:
            given = text_of(author.find("ForeName")) or text_of(author.find("Initials"))
            authors.append(
                person(text_of(author.find("LastName")), given, text_of(author.find("Suffix")))
            )
    complete = article.find("AuthorList")
    return work(
        Kind.JOURNAL_ARTICLE,
        authors=authors,
        et_al=complete is not None and complete.get("CompleteYN") == "N",
        title=text_of(article.find("ArticleTitle")),
        journal=abbreviation or None,
        volume=text_of(issue.find("Volume")) if issue is not None else None,
        pages=pages,
        year=year,
        doi=ids.get("doi"),
        pmid=text_of(medline.find("PMID")) or ids.get("pubmed"),
        pmcid=ids.get("pmc") or ids.get("pmcid"),
    )


def _raw(citation: Citation) -> str:
    names = ", ".join(a.printed for a in citation.authors[:3])
    return (
        f"{names}. {citation.title}. {citation.journal} {citation.volume or ''} ({citation.year})."
    )


def _references(review: etree._Element, by_id: dict[str, Citation]) -> list[Reference]:
    found = []
    cited = review.findall("PubmedData/ReferenceList/Reference")
    for number, entry in enumerate(cited, start=1):
        raw = text_of(entry.find("Citation")) or f"reference {number}"
        ids = {i.get("IdType"): text_of(i) for i in entry.findall("ArticleIdList/ArticleId")}
        pmid, doi = normalise_pmid(ids.get("pubmed")), normalise_doi(ids.get("doi"))
        record = by_id.get(pmid or "") or by_id.get(doi or "")
        line = entry.sourceline or 0
        if record is not None:
            found.append(reference(number, record, raw=raw, line=line, what=f"reference {number}"))
            continue
        kept = partial(work(Kind.JOURNAL_ARTICLE, doi=doi, pmid=pmid, pmcid=ids.get("pmc")))
        note = "is given by PubMed as text only, and the set holds no record of it"
        found.append(Reference(number, kept, (), raw, line, partial=note))
    return found
