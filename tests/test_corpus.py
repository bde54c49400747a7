"""The synthetic corpus of the scaling benchmark: deterministic, parseable, lossless, buildable."""

import importlib.util
from pathlib import Path

import pytest

from ingest.journals import load_journals
from ingest.namespaces import natural_iri, person_key
from ingest.parse import parse_file, render_citation
from ingest.records import Kind

# Small reference lists keep the build test fast; the benchmark uses the default 60-200.
SMALL = (8, 16)


@pytest.fixture(scope="module")
def corpus(repo_root: Path):
    """The bench/corpus.py module (bench/ is not a package)."""
    spec = importlib.util.spec_from_file_location("bench_corpus", repo_root / "bench" / "corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def pages(corpus, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Three generated pages with full-size reference lists."""
    return corpus.write_corpus(3, seed=0, out=tmp_path_factory.mktemp("corpus"))


def test_corpus_same_seed_gives_same_bytes(corpus) -> None:
    first = [page.text for page in corpus.generate_pages(2, seed=7)]
    again = [page.text for page in corpus.generate_pages(2, seed=7)]
    other = [page.text for page in corpus.generate_pages(2, seed=8)]
    assert first == again
    assert first != other


def test_corpus_smaller_corpus_is_a_prefix_of_a_larger_one(corpus) -> None:
    small = list(corpus.generate_pages(2, seed=3))
    large = list(corpus.generate_pages(3, seed=3))
    assert small == large[:2]


def test_corpus_cli_writes_pages(corpus, tmp_path: Path) -> None:
    corpus.main(["--reviews", "2", "--seed", "1", "--out", str(tmp_path), "--references", "5-9"])
    names = sorted(path.name for path in tmp_path.iterdir())
    assert names == ["synthetic-0001.txt", "synthetic-0002.txt"]


def test_corpus_pages_parse_and_references_render_back(pages: list[Path]) -> None:
    reviews = [parse_file(page) for page in pages]
    for review in reviews:
        assert 60 <= len(review.references) <= 200
        assert 1 <= len(review.figures) <= 4
        assert review.doi.startswith("10.5555/mkg-synthetic.")
        for reference in review.references:
            assert render_citation(reference.citation) == reference.raw
            assert 1 <= len(reference.citation.authors) <= 8
            assert reference.links
            assert reference.partial is None, reference.raw
    assert len({review.doi for review in reviews}) == 3
    assert len({review.citation.title for review in reviews}) == 3
    assert len({person_key(review.citation.authors[0]) for review in reviews}) == 3


def test_corpus_shares_papers_and_names_across_reviews(pages: list[Path]) -> None:
    reviews = [parse_file(page) for page in pages]
    citations = [ref.citation for review in reviews for ref in review.references]
    papers: dict[str, object] = {}
    names: dict[str, str] = {}
    for citation in citations:
        # One key, one work; one key, one printed name: the build merges on these keys.
        assert papers.setdefault(str(natural_iri(citation)), citation) == citation
        for author in citation.authors:
            assert names.setdefault(person_key(author), author.printed) == author.printed
    assert len(papers) < len(citations)
    assert len(names) < sum(len(citation.authors) for citation in citations)


def test_corpus_builds_with_shared_papers_merged(corpus, tmp_path: Path) -> None:
    from ingest.build import build

    paths = corpus.write_corpus(3, seed=0, out=tmp_path / "pages", references=SMALL)
    reviews = [parse_file(path) for path in paths]
    references = sum(len(review.references) for review in reviews)
    citations = [ref.citation for review in reviews for ref in review.references]
    citations += [review.citation for review in reviews]
    authors = sum(len(citation.authors) for citation in citations)
    result = build(paths, out=tmp_path / "out")
    papers = result.class_counts["fabio-JournalArticle"]
    assert result.class_counts["fabio-ReviewArticle"] == 3
    assert result.class_counts["biro-BibliographicReference"] == references
    # Reviews are papers too: distinct cited papers = papers - reviews, fewer than the entries.
    assert papers - 3 < references
    assert result.class_counts["foaf-Person"] < authors


def test_corpus_cites_every_kind_of_work_in_catalogue_journals(corpus) -> None:
    """References of every kind, in journals of the NLM catalogue beyond the curated lexicon."""
    generator = corpus.CorpusGenerator(seed=0)
    kinds: set[Kind] = set()
    journals: set[str] = set()
    while len(kinds) < len(Kind) and generator.count < 10:
        generator.next_page()
        kinds = generator.kinds
        journals |= generator.journals_printed
    assert kinds == set(Kind)
    assert len(journals - set(load_journals())) > 100


def test_corpus_names_come_from_the_whole_grounding_index(corpus) -> None:
    vocabulary = corpus.load_vocabulary()
    # Thousands of entities of each kind, not the seed's few dozen.
    for kind, least in [("gene", 30_000), ("drug", 10_000), ("anatomy", 10_000),
                        ("cancer", 3_000), ("cell_type", 2_000), ("gene_family", 500)]:  # fmt: skip
        assert len(vocabulary.entities[kind]) >= least, kind


def test_corpus_pages_read_completely_and_ground_the_planted_names(corpus) -> None:
    """No reference read partly; the grounding finds nearly every name the generator planted."""
    result = corpus.check_corpus(2, seed=0, references=SMALL)
    assert result.references > 0
    assert result.partial == []
    planted, found = sum(result.planted.values()), sum(result.found.values())
    right, mentions = sum(result.right.values()), sum(result.mentions.values())
    assert planted > 50
    assert found / planted >= 0.9, corpus.render_check(result)
    assert right / mentions >= 0.9, corpus.render_check(result)
