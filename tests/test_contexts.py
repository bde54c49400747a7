"""Citation contexts: the sentences of a review's body that cite references, their pointers, and
the entities they name tied to the papers they cite (mkg:CitedMention), from a JATS review.

tests/data/contexts/review.jats.xml is a short review written for these tests: six of its
sentences cite references (one sentence cites nothing and is left out), with nine pointers, one of
them implied by the range '2–4'.
"""

from pathlib import Path

import pyoxigraph
import pytest
from rdflib import URIRef

from ingest.build import build, grounding_finder
from ingest.ground import ground_review
from ingest.namespaces import BASE, C4O, DOCO, MKG
from ingest.readers.jats import read_jats
from ingest.resources import DEFAULT_SOURCE, source_path
from ingest.vocabulary import load_grounding_lexicon
from server.engine import Engine

REVIEW = Path(__file__).parent / "data" / "contexts" / "review.jats.xml"
KEY = "example-2007-nat-med-13-101"
KANG = URIRef(f"{BASE}paper/kang-2003-cancer-cell-3-537")
BROWN = URIRef(f"{BASE}paper/brown-2004-cancer-cell-5-365")
NME1 = URIRef(f"{BASE}gene/HGNC_7849")
BONE = URIRef(f"{BASE}anatomy/UBERON_0001474")


def sentence(number: int) -> URIRef:
    return URIRef(f"{BASE}sentence/{KEY}/{number}")


def pointer(number: int, position: int) -> URIRef:
    return URIRef(f"{BASE}pointer/{KEY}/{number}/{position}")


def select(store: Engine, query: str) -> list[dict[str, str | None]]:
    results = store.select(query)
    names = results.variables
    return [{n: (row[n].value if row[n] is not None else None) for n in names} for row in results]


def count(store: Engine, cls: str) -> int:
    [row] = select(store, f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a <{cls}> }}")
    return int(row["n"] or 0)


PREFIXES = f"""PREFIX mkg: <{MKG}>
PREFIX c4o: <{C4O}>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX biro: <http://purl.org/spar/biro/>
PREFIX frbr: <http://purl.org/vocab/frbr/core#>
"""


def test_the_reader_finds_six_citing_sentences_and_nine_pointers() -> None:
    review = read_jats(REVIEW.read_bytes(), source=REVIEW.name)
    assert [s.number for s in review.sentences] == [1, 2, 4, 5, 6, 7]  # 3 cites nothing
    assert sum(len(s.pointers) for s in review.sentences) == 9
    ranged = review.sentences[2]
    assert [(p.reference, p.start is None) for p in ranged.pointers] == [
        (2, False),
        (3, True),
        (4, False),
    ]


def test_a_pointer_run_into_a_word_does_not_hide_it() -> None:
    """'to bone1,2.': the pointer is printed as a superscript after "bone", which is still found,
    at its offsets in the printed sentence."""
    review = read_jats(REVIEW.read_bytes(), source=REVIEW.name)
    [passage] = [
        p
        for p in ground_review(review, grounding_finder(load_grounding_lexicon()))
        if p.sentence is not None and p.sentence.number == 2
    ]
    assert passage.text.endswith("metastasis to bone1,2.")
    bone = [m for m in passage.mentions if m.entity == "UBERON:0001474"]
    assert [(passage.text[m.start : m.end], m.text) for m in bone] == [("bone", "bone")]


@pytest.fixture(scope="module")
def contexts(contexts_oxigraph: Engine) -> Engine:
    return contexts_oxigraph


def test_the_build_holds_sentences_pointers_and_cited_mentions(contexts: Engine) -> None:
    assert count(contexts, str(DOCO.Sentence)) == 6
    assert count(contexts, str(C4O.InTextReferencePointer)) == 9
    assert count(contexts, str(MKG.CitedMention)) == 35


def test_a_cited_mention_ties_what_a_sentence_names_to_what_it_cites(contexts: Engine) -> None:
    rows = select(
        contexts,
        PREFIXES
        + f"""SELECT ?work ?pointer ?text WHERE {{
            ?m a mkg:CitedMention ; mkg:mentionedEntity <{NME1}> ; mkg:inSentence <{sentence(2)}> ;
               mkg:citedWork ?work ; mkg:viaPointer ?pointer .
            ?pointer c4o:hasContent ?text .
        }} ORDER BY ?work ?pointer""",
    )
    steeg = f"{BASE}paper/steeg-1988-j-natl-cancer-inst-80-200"
    # One pointer '1,2' (one xref citing two references) denotes entries 1 and 2.
    assert rows == [
        {"work": str(KANG), "pointer": str(pointer(2, 2)), "text": "1,2"},
        {"work": steeg, "pointer": str(pointer(2, 1)), "text": "1,2"},
    ]


def test_a_range_cites_the_references_between_its_ends(contexts: Engine) -> None:
    rows = select(
        contexts,
        PREFIXES
        + f"""SELECT ?work ?pointer ?number WHERE {{
            ?m mkg:mentionedEntity <{BONE}> ; mkg:inSentence <{sentence(4)}> ;
               mkg:citedWork ?work ; mkg:viaPointer ?pointer .
            ?pointer c4o:denotes/mkg:referenceNumber ?number .
        }} ORDER BY ?number""",
    )
    assert [row["number"] for row in rows] == ["2", "3", "4"]
    assert rows[1] == {"work": str(BROWN), "pointer": str(pointer(4, 2)), "number": "3"}


def test_every_sentence_mention_quotes_the_sentence(contexts: Engine) -> None:
    rows = select(
        contexts,
        PREFIXES
        + """SELECT ?exact ?start ?end ?text WHERE {
            ?a oa:hasTarget ?t . ?t mkg:field "sentence" ; oa:hasSource ?s .
            ?t oa:hasSelector/oa:exact ?exact ; oa:hasSelector/oa:start ?start ;
               oa:hasSelector/oa:end ?end .
            ?s c4o:hasContent ?text ; mkg:mentions ?entity .
        }""",
    )
    assert len(rows) > 20
    for row in rows:
        assert row["text"][int(row["start"]) : int(row["end"])] == row["exact"], row


def test_a_sentence_without_pointers_is_left_out(contexts: Engine) -> None:
    assert select(contexts, f"SELECT ?p WHERE {{ <{sentence(3)}> ?p ?o }}") == []


def test_cited_mentions_name_the_paper_both_reviews_cite(tmp_path: Path) -> None:
    """Built with the seed's page, which cites Kang et al. 2003 too (ref 57): the citing sentence
    backs its statements with the one node both reviews cite, as the build keyed it."""
    out = tmp_path / "build"
    build([source_path(DEFAULT_SOURCE), REVIEW], out=out)
    store = pyoxigraph.Store()
    store.bulk_load(path=str(out / "current" / "mkg.nq"), format=pyoxigraph.RdfFormat.N_QUADS)
    rows = store.query(
        PREFIXES
        + """PREFIX cito: <http://purl.org/spar/cito/>
        SELECT DISTINCT ?work ?review WHERE {
            ?m mkg:citedWork ?work . ?review cito:cites ?work . FILTER CONTAINS(STR(?work), "kang")
        }""",
        use_default_graph_as_union=True,
    )
    found = {(row["work"].value, row["review"].value) for row in rows}
    assert found == {
        (str(KANG), f"{BASE}paper/steeg-2006-nat-med-12-895"),
        (str(KANG), f"{BASE}paper/{KEY}"),
    }


def test_owl_export_of_a_full_text_build_is_consistent_and_dl(contexts_out: Path, tmp_path) -> None:
    """Sentences, pointers and cited mentions keep the Protégé export in OWL 2 DL and consistent."""
    from owltools import owl2_dl_problems, reason, require_java
    from rdflib import Graph

    require_java()
    export = contexts_out / "current" / "mkg.owl"
    assert reason(Graph().parse(export, format="xml"), tmp_path) == []
    assert owl2_dl_problems(export, tmp_path) == []


def test_mkg_build_and_query_18_on_the_formats_review(tmp_path: Path) -> None:
    """`mkg build` reads the JATS review of the format fixtures (tests/data/formats), whose body
    cites references; query 18 answers with the sentence that names CXCR4."""
    import os
    import subprocess
    import sys

    repo = Path(__file__).resolve().parents[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("MKG_")}
    out = tmp_path / "build"
    review = repo / "tests" / "data" / "formats" / "review.jats.xml"
    mkg = [sys.executable, "-m", "server.cli"]
    done = subprocess.run(
        [*mkg, "build", str(review), "--out", str(out)],
        cwd=repo, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "doco-Sentence" in done.stdout and "mkg-CitedMention" in done.stdout
    query = repo / "queries" / "18-what-the-review-says-about-a-gene.rq"
    done = subprocess.run(
        [*mkg, "query", str(query), "--param", "gene=CXCR4", "--build-dir", str(out)],
        cwd=repo, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Tumour cells that express CXCR4" in done.stdout
