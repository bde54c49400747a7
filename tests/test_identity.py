"""One paper, one node: DOI, else PubMed ID, else the key of first author, year, journal, volume
and first page; near-misses stay apart. Identifiers are normalised to the Bioregistry's patterns.
"""

import csv
import re
from dataclasses import replace
from pathlib import Path

import pyoxigraph
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.identifiers import (
    BIOREGISTRY_PATTERNS,
    normalise_doi,
    normalise_pmcid,
    normalise_pmid,
)
from ingest.identity import identify, keyed_review
from ingest.namespaces import paper_iri
from ingest.readers import citing_doi, read_input, read_review
from ingest.readers.common import reference_list_review, work
from ingest.records import Author, Citation, Kind, Reference, Review

FORMATS = Path(__file__).parent / "data" / "formats"

KANG = Author("Kang", "Y.")
ARTICLE = work(
    Kind.JOURNAL_ARTICLE,
    authors=[KANG],
    title="A multigenic program mediating breast cancer metastasis to bone",
    journal="Cancer Cell",
    volume="3",
    pages=("537", "549"),
    year=2003,
)


def _review(*citations: Citation, doi: str = "10.5555/review.1") -> Review:
    references = [Reference(n, c, (), f"ref {n}", n) for n, c in enumerate(citations, 1)]
    return reference_list_review(references, citing=citing_doi(doi), source="test")


def _iris(*reviews: Review) -> list[list[str]]:
    """Return the IRIs of the works each review cites, after the build's identity step."""
    keys = identify(reviews)
    keyed = [keyed_review(review, keys) for review in reviews]
    return [[str(paper_iri(r.citation)) for r in review.references] for review in keyed]


# -------------------------------------------------------------------------- identifiers


@pytest.mark.parametrize(
    "printed",
    [
        "10.5555/MKG.2008.0133",
        "https://doi.org/10.5555/mkg.2008.0133",
        "http://dx.doi.org/10.5555/MKG.2008.0133",
        "doi:10.5555/mkg.2008.0133",
        "DOI: 10.5555/mkg.2008.0133.",
        " 10.5555/mkg.2008.0133 ",
    ],
)
def test_doi_variants_normalise_to_one_form(printed: str) -> None:
    assert normalise_doi(printed) == "10.5555/mkg.2008.0133"


@pytest.mark.parametrize("printed", ["nm1469", "10.1/x", "10.5555/with space", "", "11.5555/x"])
def test_what_is_not_a_doi_is_none(printed: str) -> None:
    assert normalise_doi(printed) is None


def test_pmid_and_pmcid_normalise() -> None:
    assert normalise_pmid("PMID: 16892035") == normalise_pmid("016892035") == "16892035"
    assert normalise_pmid("PMC123") is None and normalise_pmid("0") is None
    assert normalise_pmcid("2749247") == normalise_pmcid("PMC2749247.1") == "PMC2749247"
    assert normalise_pmcid("pmcid: PMC2749247") == "PMC2749247"
    assert normalise_pmcid("PMCX") is None


def test_patterns_are_the_bioregistrys(reference_dir: Path) -> None:
    with open(reference_dir / "bioregistry_prefixes.tsv", encoding="utf-8") as handle:
        rows = {row["prefix"]: row for row in csv.DictReader(handle, delimiter="\t")}
    for prefix, pattern in BIOREGISTRY_PATTERNS.items():
        assert rows[prefix]["pattern"] == pattern, prefix


@settings(max_examples=200, deadline=None)
@given(
    registrant=st.from_regex(r"[0-9]{4,9}", fullmatch=True),
    suffix=st.from_regex(r"[A-Za-z0-9.()_;/-]{1,40}", fullmatch=True).filter(
        lambda s: not s.endswith((".", ";"))
    ),
    prefix=st.sampled_from(["", "doi:", "https://doi.org/", "http://dx.doi.org/", "DOI "]),
    upper=st.booleans(),
)
def test_doi_normalisation_is_idempotent_and_fits_the_pattern(
    registrant: str, suffix: str, prefix: str, upper: bool
) -> None:
    doi = f"10.{registrant}/{suffix}"
    printed = prefix + (doi.upper() if upper else doi)
    normal = normalise_doi(printed)
    assert normal == doi.lower()
    assert normalise_doi(normal) == normal
    assert re.match(BIOREGISTRY_PATTERNS["doi"], normal)


# ------------------------------------------------------------------ one paper, one node


def test_doi_variants_in_two_reviews_are_one_node() -> None:
    # One review gives the article in full, the other only its DOI and year (so its fields give
    # another key): the DOI makes them one work.
    full = replace(ARTICLE, doi=normalise_doi("10.5555/MKG.Kang"))
    bare = work(Kind.JOURNAL_ARTICLE, doi="https://doi.org/10.5555/mkg.kang", year=2003)
    assert paper_iri(full) != paper_iri(bare)
    first, second = _iris(_review(full), _review(bare, doi="10.5555/review.2"))
    assert first == second == [str(paper_iri(full))]


def test_pmid_makes_one_node_when_no_doi() -> None:
    full = replace(ARTICLE, pmid="99100002")
    other = replace(ARTICLE, first_page=None, last_page=None, pmid="99100002")
    assert paper_iri(full) != paper_iri(other)
    first, second = _iris(_review(full), _review(other, doi="10.5555/review.2"))
    assert first == second


def test_same_fields_make_one_node_without_identifiers() -> None:
    first, second = _iris(_review(ARTICLE), _review(ARTICLE, doi="10.5555/review.2"))
    assert first == second == [str(paper_iri(ARTICLE))]


def test_near_miss_same_author_and_year_other_volume_stays_apart() -> None:
    other = replace(ARTICLE, volume="4", title="Another paper")
    (iris,) = _iris(_review(ARTICLE, other))
    assert len(set(iris)) == 2


def test_near_miss_same_author_year_journal_volume_other_page_stays_apart() -> None:
    other = replace(ARTICLE, first_page="550", last_page="560")
    (iris,) = _iris(_review(ARTICLE, other))
    assert len(set(iris)) == 2


def test_same_fields_but_different_dois_are_two_works() -> None:
    one = replace(ARTICLE, doi="10.5555/mkg.one")
    two = replace(ARTICLE, doi="10.5555/mkg.two")
    assert paper_iri(one) == paper_iri(two)  # their fields alone would merge them
    (iris,) = _iris(_review(one, two))
    assert len(set(iris)) == 2
    assert all("10-5555-mkg-" in iri for iri in iris)


def test_different_pmids_keep_works_apart_even_with_one_doi_missing() -> None:
    one = replace(ARTICLE, pmid="111")
    two = replace(ARTICLE, pmid="222")
    (iris,) = _iris(_review(one, two))
    assert len(set(iris)) == 2


def test_a_cited_work_that_is_a_review_of_the_build_takes_the_reviews_node() -> None:
    jats = read_review(read_input(FORMATS / "review.jats.xml"))
    bare = work(Kind.JOURNAL_ARTICLE, doi="10.5555/MKG.REVIEW.2022.001", year=2022)
    _, iris = _iris(jats, _review(bare, doi="10.5555/review.2"))
    assert iris == [str(paper_iri(jats.citation))]


def test_identity_keeps_natural_iris_when_nothing_needs_merging() -> None:
    jats = read_review(read_input(FORMATS / "review.jats.xml"))
    assert identify([jats]) == {}


# ------------------------------------------------------------------- through the build


@pytest.fixture(scope="module")
def mixed_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One build of a page, a JATS review and, cited by another review, the same list as BibTeX."""
    from ingest.build import build

    out = tmp_path_factory.mktemp("mixed")
    build(
        [
            FORMATS.parent / "review_small.txt",
            FORMATS / "review.jats.xml",
            FORMATS / "references.bib",
        ],
        out=out,
        citing=citing_doi("10.5555/mkg.other.2023.002"),
    )
    return out


@pytest.fixture(scope="module")
def mixed(mixed_out: Path) -> pyoxigraph.Store:
    from server.engine.oxigraph import open_build

    return open_build(mixed_out).store


def _select(store: pyoxigraph.Store, query: str) -> list[tuple[str, ...]]:
    prefixes = (
        "PREFIX cito: <http://purl.org/spar/cito/> PREFIX prism: "
        "<http://prismstandard.org/namespaces/basic/2.0/> "
        "PREFIX fabio: <http://purl.org/spar/fabio/> "
    )
    rows = store.query(prefixes + query, use_default_graph_as_union=True)
    return [tuple(str(term.value) for term in row) for row in rows]


def test_mixed_build_cites_each_work_once_across_reviews(mixed: pyoxigraph.Store) -> None:
    reviews = _select(mixed, "SELECT DISTINCT ?r WHERE { ?r cito:cites ?w }")
    assert len(reviews) == 3
    jats, other = (
        set(_select(mixed, f'SELECT ?w WHERE {{ ?r prism:doi "{doi}" ; cito:cites ?w }}'))
        for doi in ("10.5555/mkg.review.2022.001", "10.5555/mkg.other.2023.002")
    )
    assert len(jats) == 13 and jats == other


def test_a_reference_list_of_a_review_of_the_build_is_refused(tmp_path: Path) -> None:
    from ingest.build import build
    from ingest.errors import IngestError

    with pytest.raises(IngestError, match="describes the same review as review.jats.xml"):
        build(
            [FORMATS / "review.jats.xml", FORMATS / "references.ris"],
            out=tmp_path,
            citing=citing_doi("https://doi.org/10.5555/MKG.review.2022.001"),
        )


def test_mixed_build_has_one_doi_per_paper(mixed: pyoxigraph.Store) -> None:
    rows = _select(
        mixed, "SELECT ?w (COUNT(DISTINCT ?d) AS ?n) WHERE { ?w prism:doi ?d } GROUP BY ?w"
    )
    assert rows and all(n == "1" for _, n in rows)
    pmids = _select(mixed, "SELECT DISTINCT ?p WHERE { ?w fabio:hasPubMedId ?p }")
    assert len(pmids) == 7  # the review's and six cited articles'


def test_mixed_build_owl_export_is_consistent_and_owl2_dl(mixed_out: Path, tmp_path: Path) -> None:
    from owltools import owl2_dl_problems, reason, require_java
    from rdflib import Graph

    owl = mixed_out / "current" / "mkg.owl"
    assert owl2_dl_problems(owl, tmp_path) == []
    require_java()
    assert reason(Graph().parse(owl, format="xml"), tmp_path) == []


def test_mixed_build_on_dask_is_byte_identical(tmp_path: Path) -> None:
    """Readers run in the per-document tasks: on Dask workers the dumps are the same.

    The graphs of the named queries and of the build's description are left out: they say
    nothing of the inputs, and follow queries/ as it is when each build reads it.
    """
    pytest.importorskip("distributed")
    from ingest.build import build
    from ingest.namespaces import EXAMPLES_GRAPH, METADATA_GRAPH

    skipped = tuple(f"<{graph}> .".encode() for graph in (EXAMPLES_GRAPH, METADATA_GRAPH))

    inputs = [FORMATS / "review.jats.xml", FORMATS / "references.csl.json"]
    citing = citing_doi("10.5555/mkg.other.2023.002")
    dumps = []
    for executor in ("local", "dask"):
        out = tmp_path / executor
        build(inputs, out=out, citing=citing, executor=executor, jobs=2)
        lines = (out / "current" / "mkg.nq").read_bytes().splitlines()
        dumps.append([line for line in lines if not line.endswith(skipped)])
    assert dumps[0] == dumps[1]


def test_partly_read_reference_cites_the_work_another_input_gives_in_full() -> None:
    from ingest.identity import completions

    pubmed = read_review(read_input(FORMATS / "review.pubmed.xml"))
    csl = read_review(
        read_input(FORMATS / "references.csl.json", citing=citing_doi("10.5555/review.2"))
    )
    keys = identify([pubmed, csl])
    completed = completions([pubmed, csl], keys)
    kept = keyed_review(pubmed, keys, completed)
    # PubMed gives reference 12 as text with its DOI; the CSL-JSON list gives the data set.
    assert kept.references[11].partial is None
    assert kept.references[11].citation == csl.references[11].citation
    assert [r.partial is None for r in kept.references] == [True] * 6 + [False] * 5 + [True, False]


def test_pubmed_review_and_a_reference_list_build_together(tmp_path: Path) -> None:
    from ingest.build import build

    result = build(
        [FORMATS / "review.pubmed.xml", FORMATS / "references.csl.json"],
        out=tmp_path,
        citing=citing_doi("10.5555/mkg.other.2023.002"),
    )
    assert result.reading["references"] == {
        "read": 20,
        "partial": 6,
        "by_kind": {
            "book": 1,
            "chapter": 1,
            "conference-abstract": 1,
            "data-set": 2,
            "journal-article": 12,
            "patent": 1,
            "thesis": 1,
            "web-page": 1,
        },
    }
