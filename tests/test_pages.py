"""Review pages written for the tests in the publisher's layout: every reference read, none lost.

Each page in tests/data/pages/ has a readable expected file beside it (`<page>.expected`) that
lists, for the review and for every reference, the fields the parser must read; a reference that
cannot be read completely is listed with the note saying why. The pages cover the kinds of work
the publisher's reference style cites, the page layouts of its journals over the years (old and
new headers, boxes, glossary, figure captions, open-access back matter) and journals printed
otherwise than the curated lexicon writes them (the publisher's PNAS, 'Proc. Natl Acad. Sci.
USA'), journals only the NLM journal catalogue holds, and one neither holds ('J. R. Stat. Soc. B').

Regenerate an expected file only for an intended change, and read its diff:
MKG_REGENERATE_EXPECTED=1 pytest tests/test_pages.py -k expected
"""

import json
import os
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from ingest.build import build
from ingest.mapping import citation_from_graph
from ingest.parse import parse_file, render_citation, render_links
from ingest.records import Author, Citation, Kind, Reference, Review

PAGES_DIR = Path(__file__).parent / "data" / "pages"
PAGES = sorted(PAGES_DIR.glob("*.txt"))
BIRO_REFERENCES = URIRef("http://purl.org/spar/biro/references")
BIBLIOGRAPHIC_CITATION = URIRef("http://purl.org/dc/terms/bibliographicCitation")
REFERENCE_NUMBER = URIRef("https://w3id.org/mkg/ontology/referenceNumber")
PARSE_NOTE = URIRef("https://w3id.org/mkg/ontology/parseNote")

# The citation fields an expected file names, in the order it names them.
FIELDS = (
    "title", "journal", "volume", "volume_note", "first_page", "last_page", "page_note", "year",
    "author_label", "doi", "url", "status", "status_separator", "book_title", "edition",
    "editor_label", "publisher", "place", "venue", "accessed", "degree", "label", "series",
    "patent_label", "patent_number", "abstract_label", "abstract_number", "trailing_link",
)  # fmt: skip


def _name(prefix: str, author: Author) -> str:
    parts = [author.family, author.given if author.given is not None else "(group)"]
    if author.suffix:
        parts.append(f"{author.suffix} (after {author.suffix_separator!r})")
    if author.separator is not None:
        parts.append(f"printed after {author.separator!r}")
    return f"  {prefix}: " + " | ".join(parts)


def describe_citation(citation: Citation) -> list[str]:
    """Return the readable lines of a citation's fields (the empty ones left out)."""
    lines = [_name("author", author) for author in citation.authors]
    if citation.et_al:
        lines.append("  et al.: yes")
    lines += [_name("editor", editor) for editor in citation.editors]
    for field in FIELDS:
        value = getattr(citation, field)
        if value is not None and value != "":
            shown = repr(value) if field == "status_separator" else value
            lines.append(f"  {field}: {shown}")
    if citation.erratum is not None:
        erratum = citation.erratum
        pages = erratum.first_page + (f"-{erratum.last_page}" if erratum.last_page else "")
        journal = f"journal {erratum.journal} | " if erratum.journal else ""
        lines.append(
            f"  erratum: {erratum.label} | {journal}volume {erratum.volume} | pages {pages} | "
            f"year {erratum.year}"
        )
    return lines


def describe_reference(reference: Reference) -> list[str]:
    """Return the readable lines of one numbered reference."""
    if reference.partial is not None:
        head = f"{reference.number} partly read: {reference.partial}"
    else:
        head = f"{reference.number} {reference.citation.kind.value}"
    lines = [head, *describe_citation(reference.citation)]
    if reference.links:
        lines.append("  links: " + ", ".join(reference.links))
    return lines


def describe(review: Review) -> str:
    """Return the expected file's text for a parsed page."""
    lines = [
        f"review: {review.citation.title}",
        f"  doi: {review.doi}",
        f"  article type: {review.article_type}",
        f"  journal: {review.journal_title}",
        *describe_citation(review.citation),
        f"  abstract: {review.abstract[:60]}... ({len(review.abstract)} characters)",
    ]
    lines += [f"  figure {f.number}: {f.title}" for f in review.figures]
    lines.append("")
    for reference in review.references:
        lines += describe_reference(reference)
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module", params=PAGES, ids=[p.stem for p in PAGES])
def page(request: pytest.FixtureRequest) -> Path:
    return request.param


def test_there_are_at_least_three_pages() -> None:
    assert len(PAGES) >= 3


@pytest.mark.parametrize("path", PAGES, ids=[p.stem for p in PAGES])
def test_page_reads_as_its_expected_file(path: Path) -> None:
    expected_path = path.with_suffix(".expected")
    found = describe(parse_file(path))
    if os.environ.get("MKG_REGENERATE_EXPECTED"):
        expected_path.write_text(found, encoding="utf-8")
    assert found == expected_path.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", PAGES, ids=[p.stem for p in PAGES])
def test_every_reference_reads_back_as_printed_or_is_partly_read(path: Path) -> None:
    review = parse_file(path)
    lines = path.read_text(encoding="utf-8").split("\n")
    for reference in review.references:
        assert lines[reference.line - 1] == f"  {reference.number}. {reference.raw}"
        if reference.partial is None:
            assert render_citation(reference.citation) == reference.raw
        else:
            assert reference.partial and reference.raw
    assert [r.number for r in review.references] == list(range(1, len(review.references) + 1))


def test_the_pages_cover_every_kind_and_the_pnas_abbreviation() -> None:
    kinds = Counter()
    journals = set()
    partial = 0
    for path in PAGES:
        for reference in parse_file(path).references:
            if reference.partial is None:
                kinds[reference.citation.kind] += 1
                journals.add(reference.citation.journal)
            else:
                partial += 1
    assert set(kinds) == set(Kind)
    assert "Proc. Natl Acad. Sci. USA" in journals
    assert partial >= 3


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One build of all the test pages together."""
    out = tmp_path_factory.mktemp("pages-build")
    build(PAGES, out=out)
    return out


def _dataset(out: Path) -> Graph:
    """Return the union of the build's graphs (its Turtle dump)."""
    return Graph().parse(out / "current" / "mkg.ttl", format="turtle")


def test_the_pages_build_and_report_what_they_could_not_read(built: Path) -> None:
    manifest = json.loads((built / "current" / "manifest.json").read_text(encoding="utf-8"))
    reviews = [parse_file(path) for path in PAGES]
    expected = [
        {"source": r.source, "line": ref.line, "reference": ref.number, "reason": ref.partial}
        for r in reviews
        for ref in r.references
        if ref.partial is not None
    ]
    assert manifest["partial_references"] == expected
    read = sum(1 for r in reviews for ref in r.references if ref.partial is None)
    assert manifest["references"]["read"] == read
    assert manifest["references"]["partial"] == len(expected)
    unverified = {item["journal"] for item in manifest["unverified_journals"]}
    assert unverified == {"J. R. Stat. Soc. B"}  # in neither the lexicon nor the NLM tables
    assert "Proc. Natl Acad. Sci. USA" not in unverified  # the lexicon's PNAS, normalised


def test_every_reference_renders_back_from_the_graph(built: Path) -> None:
    graph = _dataset(built)
    checked = 0
    for path in PAGES:
        review = parse_file(path)
        for reference in review.references:
            entries = [
                e
                for e in graph.subjects(BIBLIOGRAPHIC_CITATION, None)
                if str(graph.value(e, BIBLIOGRAPHIC_CITATION)) == reference.raw
                and int(graph.value(e, REFERENCE_NUMBER)) == reference.number
            ]
            assert len(entries) == 1, reference.raw
            entry = entries[0]
            if reference.partial is not None:
                assert str(graph.value(entry, PARSE_NOTE)) == reference.partial
                continue
            citation = citation_from_graph(graph, entry)
            assert render_citation(citation) == reference.raw
            assert citation == reference.citation
            checked += 1
    assert checked > 90


def test_link_labels_render_back_from_the_graph(built: Path) -> None:
    graph = _dataset(built)
    label = URIRef("https://w3id.org/mkg/ontology/linkLabel")
    for path in PAGES:
        lines = path.read_text(encoding="utf-8").split("\n")
        for reference in parse_file(path).references:
            if not reference.links:
                continue
            entry = next(
                e
                for e in graph.subjects(BIBLIOGRAPHIC_CITATION, None)
                if str(graph.value(e, BIBLIOGRAPHIC_CITATION)) == reference.raw
            )
            labels = {str(v) for v in graph.objects(entry, label)}
            assert labels == set(reference.links)
            assert render_links(reference.links) == lines[reference.line + 1]


def test_journals_are_verified_in_the_lexicon_then_the_catalogue(built: Path) -> None:
    graph = _dataset(built)
    verified = URIRef("https://w3id.org/mkg/ontology/verified")
    nlm_id = URIRef("https://w3id.org/mkg/ontology/nlmId")
    title = URIRef("http://purl.org/dc/terms/title")
    base = "https://w3id.org/mkg/journal/"
    # PNAS as the publisher prints it: the lexicon's journal, by its normalised key.
    pnas = URIRef(base + "proc-natl-acad-sci-usa")
    assert graph.value(pnas, verified).toPython() is True
    assert str(graph.value(pnas, nlm_id)) == "7505876"
    # A journal in neither: its printed name only, no title, ISSN or NLM ID guessed.
    stat = [j for j in graph.subjects(verified, None) if "stat" in str(j)]
    assert [str(j) for j in stat] == [base + "j-r-stat-soc-b"]
    assert graph.value(stat[0], verified).toPython() is False
    assert graph.value(stat[0], title) is None
    assert graph.value(stat[0], nlm_id) is None
    # A journal only the NLM catalogue holds: its NLM title and ID.
    vopr = URIRef(base + "vopr-onkol")
    assert str(graph.value(vopr, title)) == "Voprosy onkologii"
    assert str(graph.value(vopr, nlm_id)) == "0413775"
    assert graph.value(vopr, verified).toPython() is True


@pytest.mark.parametrize(
    ("printed", "status", "title"),
    [
        ("Nat. Med.", "exact", "Nature medicine"),  # the lexicon
        ("Proc. Natl Acad. Sci. USA", "normalised", None),  # the lexicon, by key
        ("Cell Rep.", "exact", "Cell reports"),  # the catalogue
        ("Acta Crystallogr. A", "ambiguous", None),  # two journals of the catalogue
        ("J. R. Stat. Soc. B", "unknown", None),
    ],
)
def test_find_journal_asks_the_lexicon_then_the_catalogue(
    printed: str, status: str, title: str | None
) -> None:
    from ingest.journals import load_journals
    from ingest.mapping import find_journal

    found, journal = find_journal(printed, load_journals())
    assert found == status
    assert (journal is None) is (status in ("ambiguous", "unknown"))
    if title is not None:
        assert journal is not None and journal.title == title


def test_mkg_build_prints_what_it_could_not_read(built: Path) -> None:
    from ingest.report import reading_lines

    manifest = json.loads((built / "current" / "manifest.json").read_text(encoding="utf-8"))
    lines = reading_lines(manifest)
    assert lines[0] == f"references: {manifest['references']['read']} read, 3 read partly"
    assert lines[1] == (
        "  keller-2007-nature-reviews-cancer-organotropism.txt:179: reference 41 read partly: "
        "has no full stop between its title and the journal 'Clin. Exp. Metastasis'"
    )
    assert lines[-2:] == [
        "journals kept with their printed name only (unverified):",
        "  J. R. Stat. Soc. B (in no catalogue; "
        "okafor-2020-nature-communications-dormancy.txt: reference 31)",
    ]
    assert manifest["unverified_journals"][0]["match"] == "unknown"


def test_reading_lines_name_why_a_journal_is_unverified() -> None:
    from ingest.report import reading_lines

    reading = {
        "references": {"read": 2, "partial": 0, "by_kind": {}},
        "partial_references": [],
        "unverified_journals": [
            {"journal": "Acta Crystallogr. A", "match": "ambiguous", "source": "p.txt",
             "references": [0, 4, 9]},
        ],
    }  # fmt: skip
    assert reading_lines(reading) == [
        "references: 2 read, 0 read partly",
        "journals kept with their printed name only (unverified):",
        "  Acta Crystallogr. A (names several journals; p.txt: the review and references 4, 9)",
    ]
