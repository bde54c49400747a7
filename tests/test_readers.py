"""Readers of the standard formats: JATS, PubMed XML, CSL-JSON, RIS, BibTeX give the same records.

The fixtures in tests/data/formats/ are one synthetic review and its reference list of 13 works
written five ways (see their README). Hostile and damaged files are in test_readers_safety.py.
"""

import json
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from ingest.journals import load_journals
from ingest.mapping import add_review
from ingest.namespaces import CITO, FABIO, PRISM, SKOS, paper_iri
from ingest.readers import citing_doi, detect, read_citing, read_input, read_review
from ingest.readers.jats import read_jats
from ingest.readers.pubmed import read_pubmed
from ingest.records import Author, Kind, Review

FORMATS = Path(__file__).parent / "data" / "formats"
JATS = FORMATS / "review.jats.xml"
PUBMED = FORMATS / "review.pubmed.xml"
CSL = FORMATS / "references.csl.json"
RIS = FORMATS / "references.ris"
BIBTEX = FORMATS / "references.bib"
REFERENCE_LISTS = (CSL, RIS, BIBTEX)
REVIEW_DOI = "10.5555/mkg.review.2022.001"
CITING = citing_doi(REVIEW_DOI)

# The 13 works of the fixtures' reference list, in order, by kind.
KINDS = [Kind.JOURNAL_ARTICLE] * 6 + [
    Kind.BOOK,
    Kind.CHAPTER,
    Kind.CONFERENCE_ABSTRACT,
    Kind.THESIS,
    Kind.WEB_PAGE,
    Kind.DATA_SET,
    Kind.PATENT,
]
DOIS = {
    1: "10.5555/mkg.2008.0014",
    2: "10.5555/mkg.2004.0010",
    3: "10.5555/mkg.2008.0118",
    4: "10.5555/mkg.2008.0133",
    6: "10.5555/mkg.2016.0540",
    8: "10.5555/mkg.2015.chap3",
    12: "10.5555/mkg.data.2021.0001",
}
PMIDS = {n: f"9900010{n}" for n in range(1, 7)}
PMCIDS = {1: "PMC9900101", 3: "PMC9900103"}


def _read(path: Path) -> Review:
    citing = CITING if path in REFERENCE_LISTS else None
    return read_review(read_input(path, citing=citing))


@pytest.fixture(scope="module")
def reviews() -> dict[str, Review]:
    return {path.name: _read(path) for path in (JATS, PUBMED, *REFERENCE_LISTS)}


# ------------------------------------------------------------------------------ choosing


@pytest.mark.parametrize(
    ("path", "reader"),
    [(JATS, "jats"), (PUBMED, "pubmed"), (CSL, "csl-json"), (RIS, "ris"), (BIBTEX, "bibtex")],
)
def test_format_is_chosen_by_content_not_by_name(path: Path, reader: str, tmp_path: Path) -> None:
    assert detect(path.read_bytes()) == reader
    renamed = tmp_path / "input.txt"
    renamed.write_bytes(path.read_bytes())
    citing = CITING if path in REFERENCE_LISTS else None
    assert read_input(renamed, citing=citing).reader == reader


def test_the_seed_page_is_still_read_as_a_page(repo_root: Path) -> None:
    page = repo_root / "ingest" / "sources" / "steeg-2006-nature-medicine-review.txt"
    assert detect(page.read_bytes()) == "page"
    assert read_review(read_input(page)).doi == "10.1038/nm1469"


def test_pages_are_picklable_for_the_build_tasks() -> None:
    import pickle

    page = read_input(RIS, citing=CITING)
    assert pickle.loads(pickle.dumps(page)) == page
    assert read_review(pickle.loads(pickle.dumps(page))) == read_review(page)


# ------------------------------------------------------------------------------------ JATS


def test_jats_article_metadata(reviews: dict[str, Review]) -> None:
    review = reviews[JATS.name]
    citation = review.citation
    assert citation.title == "Seeds, soils and signals: how breast cancer chooses bone and lung"
    assert citation.authors == (Author("Rivera", "A.M.", None, suffix_separator=" "),
                                Author("Okafor", "C.", None, suffix_separator=" "))  # fmt: skip
    assert (citation.journal, citation.volume, citation.first_page, citation.last_page) == (
        "Cancer Metastasis Rev", "41", "101", "130",
    )  # fmt: skip
    assert citation.year == 2022  # the print date, not the online one
    assert (review.doi, citation.pmid, citation.pmcid) == (REVIEW_DOI, "99000000", "PMC9900000")
    assert review.article_type == "review-article"
    assert review.journal_title == "Cancer and Metastasis Reviews"
    assert review.abstract.startswith("Breast cancer spreads to bone and lung")
    assert review.abstract.count("\n\n") == 1  # two paragraphs
    assert [(f.number, f.title) for f in review.figures] == [
        (1, "The metastatic cascade from the primary breast tumour to bone"),
        (2, "CXCR4 and TGF-β signalling in the bone metastatic niche"),
    ]


def test_jats_reads_every_publication_type_and_both_citation_styles(
    reviews: dict[str, Review],
) -> None:
    references = reviews[JATS.name].references
    assert [r.citation.kind for r in references] == KINDS
    assert all(r.partial is None for r in references)
    # ref 2 and 8 are tagged mixed-citations: their raw text is the printed citation.
    assert references[1].raw.startswith("Moreau J-P, Tanaka H. Lung metastasis")
    assert references[7].raw.startswith("Achebe N. Circulating tumour cells. In: Orlov D")
    # ref 3 holds both (citation-alternatives): the fields from the element, the text printed.
    assert references[2].raw.startswith("van der Berg A, Schmidt L.")
    assert references[2].citation.authors[0].family == "van der Berg"


def test_jats_reference_fields_per_kind(reviews: dict[str, Review]) -> None:
    refs = {r.number: r.citation for r in reviews[JATS.name].references}
    assert (refs[1].journal, refs[1].volume, refs[1].first_page, refs[1].last_page) == (
        "Cancer Cell", "14", "211", "224",
    )  # fmt: skip
    assert refs[2].authors[0] == Author("Moreau", "J.-P.", None, suffix_separator=" ")
    assert refs[6].authors == (Author("Metastasis Genome Consortium", None),)
    book = refs[7]
    assert (book.title, book.edition, book.publisher, book.place, book.year) == (
        "The Biology of Metastasis", "2nd edn", "Garland Science", "New York", 2014,
    )  # fmt: skip
    chapter = refs[8]
    assert (chapter.title, chapter.book_title, chapter.first_page, chapter.last_page) == (
        "Circulating tumour cells", "Metastasis: Methods and Protocols", "45", "67",
    )  # fmt: skip
    assert chapter.editors == (Author("Orlov", "D.", None, suffix_separator=" "),)
    assert refs[9].venue == "Annual Meeting of the Metastasis Research Society 2019"
    assert (refs[10].degree, refs[10].publisher) == ("PhD", "University of Edinburgh")
    assert (refs[11].url, refs[11].accessed) == (
        "https://www.example.org/metastatic-cancer", "2020-05-01",
    )  # fmt: skip
    assert (refs[12].venue, refs[12].url) == ("Zenodo", "https://data.example.org/ctc-scrnaseq")
    assert (refs[13].patent_label, refs[13].patent_number) == ("US Patent", "9999001")
    assert refs[13].authors == (Author("Rivera", "A.M.", None, suffix_separator=" "),)


@pytest.mark.parametrize("path", [JATS, CSL, RIS, BIBTEX])
def test_identifiers_of_every_reference(path: Path, reviews: dict[str, Review]) -> None:
    refs = {r.number: r.citation for r in reviews[path.name].references}
    assert {n: c.doi for n, c in refs.items() if c.doi} == DOIS
    assert {n: c.pmid for n, c in refs.items() if c.pmid} == PMIDS
    assert {n: c.pmcid for n, c in refs.items() if c.pmcid} == PMCIDS


def test_jats_plain_mixed_citation_in_the_publisher_style_is_read() -> None:
    data = _jats_with_reference(
        '<mixed-citation publication-type="journal">Kang, Y. et al. A multigenic program '
        "mediating breast cancer metastasis to bone. <i>Cancer Cell</i> 3, 537–549 (2003)."
        '<pub-id pub-id-type="pmid">99000999</pub-id></mixed-citation>'
    )
    (reference,) = read_jats(data, source="plain.xml").references
    assert reference.partial is None
    citation = reference.citation
    assert (citation.authors[0].family, citation.et_al, citation.journal) == (
        "Kang", True, "Cancer Cell",
    )  # fmt: skip
    assert (citation.volume, citation.first_page, citation.year, citation.pmid) == (
        "3", "537", 2003, "99000999",
    )  # fmt: skip


def test_jats_unknown_publication_type_is_kept_partly_with_its_identifiers() -> None:
    data = _jats_with_reference(
        '<element-citation publication-type="standard"><person-group person-group-type="author">'
        "<name><surname>Osei</surname><given-names>K</given-names></name></person-group>"
        "<article-title>A standard</article-title><year>2011</year>"
        '<pub-id pub-id-type="doi">10.5555/mkg.std.1</pub-id></element-citation>'
    )
    (reference,) = read_jats(data, source="standard.xml").references
    assert reference.partial is not None and "'standard'" in reference.partial
    assert (reference.citation.doi, reference.citation.year) == ("10.5555/mkg.std.1", 2011)
    assert reference.citation.title == ""


def test_jats_citation_contexts_point_to_numbered_references(reviews: dict[str, Review]) -> None:
    sentences = reviews[JATS.name].sentences
    assert len(sentences) == 10
    cited = {p.reference for s in sentences for p in s.pointers}
    assert cited == set(range(1, 14))
    ranged = next(s for s in sentences if "Paired sequencing" in s.text)
    # '2–4' cites 3 as well.
    assert [p.reference for p in ranged.pointers] == [2, 3, 4, 6]


def _jats_with_reference(citation: str) -> bytes:
    return (
        '<article xmlns:xlink="http://www.w3.org/1999/xlink"><front><article-meta>'
        "<title-group><article-title>A review</article-title></title-group>"
        '<article-id pub-id-type="doi">10.5555/mkg.jats.1</article-id>'
        "<pub-date><year>2020</year></pub-date></article-meta></front>"
        f'<back><ref-list><ref id="R1">{citation}</ref></ref-list></back></article>'
    ).encode()


# ---------------------------------------------------------------------------------- PubMed


def test_pubmed_review_and_its_reference_list(reviews: dict[str, Review]) -> None:
    review = reviews[PUBMED.name]
    assert review.citation == reviews[JATS.name].citation
    assert review.article_type == "Journal Article; Review"
    assert review.journal_title == "Cancer metastasis reviews"
    assert review.abstract.startswith("Breast cancer spreads")
    references = review.references
    assert len(references) == 13
    # The cited articles the set holds a record of are read from it; the rest are text only.
    assert [r.partial is None for r in references] == [True] * 6 + [False] * 7
    assert references[11].citation.doi == "10.5555/mkg.data.2021.0001"
    assert "text only" in (references[6].partial or "")


def test_pubmed_set_read_as_a_reference_list_of_a_citing_work() -> None:
    review = read_pubmed(PUBMED.read_bytes(), source=PUBMED.name, citing=citing_doi("10.5555/x"))
    assert review.doi == "10.5555/x"
    assert [r.citation.pmid for r in review.references] == ["99000000", *PMIDS.values()]


# ------------------------------------------------------------------ one list, five formats


@pytest.mark.parametrize("path", REFERENCE_LISTS)
def test_reference_list_gives_the_citations_of_the_jats_file(
    path: Path, reviews: dict[str, Review]
) -> None:
    expected = [r.citation for r in reviews[JATS.name].references]
    assert [r.citation for r in reviews[path.name].references] == expected
    assert all(r.partial is None for r in reviews[path.name].references)
    assert reviews[path.name].doi == REVIEW_DOI


def test_pubmed_gives_the_citations_of_the_jats_file(reviews: dict[str, Review]) -> None:
    jats = [r.citation for r in reviews[JATS.name].references]
    read = [r for r in reviews[PUBMED.name].references if r.partial is None]
    assert [r.citation for r in read] == jats[:6]


def _works(review: Review) -> tuple[set[URIRef], Graph]:
    """Map a review; return the works it cites and every statement about them and their parts."""
    graph = Graph()
    add_review(graph, review, journals=load_journals(), persons={})
    node = paper_iri(review.citation)
    works = {w for w in graph.objects(node, CITO.cites) if isinstance(w, URIRef)}
    closure = Graph()
    todo, seen = list(works), set()
    while todo:
        subject = todo.pop()
        if subject in seen:
            continue
        seen.add(subject)
        for triple in graph.triples((subject, None, None)):
            closure.add(triple)
            if isinstance(triple[2], URIRef) and triple[1] != RDF.type and triple[2] != node:
                todo.append(triple[2])
    return works, closure


def test_same_reference_list_in_every_format_gives_identical_paper_nodes(
    reviews: dict[str, Review],
) -> None:
    works, graph = _works(reviews[JATS.name])
    assert len(works) == 13
    for path in REFERENCE_LISTS:
        other_works, other = _works(reviews[path.name])
        assert other_works == works, path.name
        missing, extra = set(graph) - set(other), set(other) - set(graph)
        assert not missing and not extra, (path.name, sorted(missing)[:5], sorted(extra)[:5])


def test_pubmed_gives_identical_nodes_for_the_articles_it_holds(
    reviews: dict[str, Review],
) -> None:
    _, graph = _works(reviews[JATS.name])
    works, pubmed = _works(reviews[PUBMED.name])
    articles = {paper_iri(r.citation) for r in reviews[JATS.name].references[:6]}
    assert articles <= works
    for article in articles:
        about = (article, None, None)
        assert set(pubmed.triples(about)) == set(graph.triples(about))


def test_identifiers_become_prism_fabio_and_canonical_iris(reviews: dict[str, Review]) -> None:
    _, graph = _works(reviews[RIS.name])
    first = paper_iri(reviews[RIS.name].references[0].citation)
    assert str(graph.value(first, PRISM.doi)) == "10.5555/mkg.2008.0014"
    assert str(graph.value(first, FABIO.hasPubMedId)) == "99000101"
    assert str(graph.value(first, FABIO.hasPubMedCentralId)) == "PMC9900101"
    assert {str(o) for o in graph.objects(first, SKOS.exactMatch)} >= {
        "https://doi.org/10.5555/mkg.2008.0014",
    }


def test_fixture_numbers(reviews: dict[str, Review]) -> None:
    """The numbers docs/input-format.md gives for the fixtures."""
    jats = reviews[JATS.name].references
    assert len(jats) == 13
    assert Counter(r.citation.kind for r in jats)[Kind.JOURNAL_ARTICLE] == 6
    assert (len(DOIS), len(PMIDS), len(PMCIDS)) == (7, 6, 2)
    items = json.loads(CSL.read_text(encoding="utf-8"))
    assert len(items) == 13


# ------------------------------------------------------------------------- the citing work


def test_citing_work_from_a_record_file(tmp_path: Path) -> None:
    record = tmp_path / "citing.ris"
    record.write_text(
        "TY  - JOUR\nAU  - Rivera, Ana M.\nTI  - Seeds, soils and signals\nT2  - Cancer "
        "Metastasis Rev\nPY  - 2022\nVL  - 41\nSP  - 101\n"
        "DO  - https://doi.org/10.5555/X.1\nER  - \n",
        encoding="utf-8",
    )
    citing = read_citing(record)
    assert (citing.doi, citing.title) == ("10.5555/x.1", "Seeds, soils and signals")
    review = read_review(read_input(RIS, citing=citing))
    assert review.citation == citing and review.doi == "10.5555/x.1"


def test_citing_work_from_a_jats_file() -> None:
    assert read_citing(JATS).doi == REVIEW_DOI


def test_citing_doi_must_be_a_doi() -> None:
    with pytest.raises(ValueError, match="not a DOI"):
        citing_doi("nm1469")


def test_pubmed_review_stays_a_review_when_the_build_names_a_citing_work() -> None:
    review = read_review(read_input(PUBMED, citing=citing_doi("10.5555/other")))
    assert review.doi == REVIEW_DOI and len(review.references) == 13


def test_citing_file_must_hold_one_record_with_a_doi(tmp_path: Path) -> None:
    from ingest.errors import PageFormatError

    with pytest.raises(PageFormatError, match="holds 13 records"):
        read_citing(RIS)
    undated = tmp_path / "citing.bib"
    undated.write_text("@book{a,\n  title = {A review},\n  publisher = {P},\n  year = 2020\n}\n")
    with pytest.raises(PageFormatError, match="has no DOI"):
        read_citing(undated)
