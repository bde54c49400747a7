"""Search by name (issue "the first hour of a new user", item 3): the index a build writes,
and /search on a real server of the seed build, as JSON and HTML."""

import re
import sqlite3
from pathlib import Path

import pytest
import requests
from conftest import ENGINES

from ingest import layout
from ingest.searchindex import FORMAT, name_keys, search_key, trigrams
from server.search import MAX_QUERY_CHARACTERS, SearchIndex, query_key

pytestmark = pytest.mark.engines(*ENGINES)

TNFSF11 = "https://w3id.org/mkg/gene/HGNC_11926"
TNFRSF11B = "https://w3id.org/mkg/gene/HGNC_11909"
DENOSUMAB = "https://w3id.org/mkg/drug/DRUGBANK_DB06643"
BREAST_CANCER = "https://w3id.org/mkg/disease/MONDO_0007254"
BONE = "https://w3id.org/mkg/anatomy/UBERON_0001474"
REVIEW = "https://w3id.org/mkg/paper/steeg-2006-nat-med-12-895"
KANG_2003 = "https://w3id.org/mkg/paper/kang-2003-cancer-cell-3-537"
KANG = "https://w3id.org/mkg/person/kang-y"
CARCINOMA = "https://w3id.org/mkg/disease/MONDO_0004993"
RESULT_KEYS = {"iri", "label", "kind", "identifier", "matched", "score"}


def search(server, query: str, **params: str) -> list[dict]:
    response = requests.get(server.url + "/search", params={"q": query, **params}, timeout=30)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    data = response.json()
    assert data["query"] == query
    return data["results"]


def iris(results: list[dict]) -> list[str]:
    return [result["iri"] for result in results]


# ---------------------------------------------------------------- keys and the index file


def test_search_keys_ignore_case_accents_dashes_and_punctuation() -> None:
    assert search_key("HGNC:11926") == search_key("hgnc 11926") == "hgnc 11926"
    assert search_key("TGF-β") == "tgf beta"
    assert search_key("Kang, Y.") == "kang y"
    assert search_key("!!! ... ---") == ""
    # A name with a dash is also found with its words joined.
    assert name_keys("IL-6") == ["il 6", "il6"]
    assert trigrams("bone") == {"  b", " bo", "bon", "one", "ne "}


def test_queries_that_cannot_be_searched_say_why() -> None:
    for query, says in (
        ("", "Nothing to search for"),
        ("   ", "Nothing to search for"),
        ("?!*&", "letters and digits"),
        ("x" * (MAX_QUERY_CHARACTERS + 1), "at most 200"),
    ):
        with pytest.raises(ValueError, match=says):
            query_key(query)
    assert query_key("https://doi.org/10.1038/NM1469") == "10 1038 nm1469"


def test_the_build_writes_the_search_index_into_the_release(seed_out: Path) -> None:
    path = seed_out / "current" / layout.SEARCH
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    meta = dict(connection.execute("SELECT name, value FROM meta"))
    assert meta["format"] == FORMAT and int(meta["things"]) > 700
    kinds = dict(connection.execute("SELECT kind, COUNT(*) FROM things GROUP BY kind"))
    assert kinds["paper"] == 163 and kinds["review"] == 1 and kinds["gene"] > 50
    assert kinds["broader term"] > 100 and kinds["person"] > 200
    row = connection.execute(
        "SELECT label, kind, identifier, weight FROM things WHERE iri = ?", (TNFSF11,)
    ).fetchone()
    assert row == ("TNFSF11", "gene", "HGNC:11926", 1)
    connection.close()


def test_the_index_answers_without_a_server(seed_out: Path) -> None:
    index = SearchIndex(seed_out / "current" / layout.SEARCH)
    assert [r.iri for r in index.search("RANKL")] == [TNFSF11]


# ---------------------------------------------------------------- what a search finds


def test_a_synonym_finds_its_gene(live_server) -> None:
    results = search(live_server, "RANKL")
    assert iris(results)[0] == TNFSF11
    assert results[0]["matched"] == "synonym: RANKL" and results[0]["score"] == 0.9


def test_an_identifier_finds_its_entity(live_server) -> None:
    for query in ("HGNC:11926", "hgnc:11926", "HGNC 11926", "O14788", "NCBIGene:8600"):
        results = search(live_server, query)
        assert iris(results)[:1] == [TNFSF11], query
        assert results[0]["matched"].startswith("identifier: "), query
    assert iris(search(live_server, "DB06643"))[:1] == [DENOSUMAB]
    assert iris(search(live_server, "MONDO:0007254"))[:1] == [BREAST_CANCER]


def test_a_doi_finds_its_paper(live_server) -> None:
    for query in ("10.1038/nm1469", "doi:10.1038/nm1469", "https://doi.org/10.1038/NM1469"):
        results = search(live_server, query)
        assert iris(results)[:1] == [REVIEW], query
        assert results[0]["kind"] == "review" and results[0]["identifier"] == "doi:10.1038/nm1469"


def test_an_authors_name_finds_their_papers(live_server) -> None:
    results = search(live_server, "Kang")
    # The person first (by family name), then the papers they wrote (by author).
    assert iris(results)[0] == KANG
    assert results[0]["kind"] == "person" and results[0]["matched"] == "family name: Kang"
    papers = [r for r in results if r["kind"] == "paper"]
    assert KANG_2003 in iris(papers)
    assert all(r["matched"] == "author: Kang" for r in papers)
    # The printed name finds the person by label.
    assert search(live_server, "Kang, Y.")[0]["iri"] == KANG


def test_words_of_a_title_find_the_paper(live_server) -> None:
    results = search(live_server, "multigenic program")
    assert iris(results)[0] == KANG_2003 and results[0]["matched"] == "words of the title"


@pytest.mark.parametrize(
    ("typo", "target"),
    [
        ("denosumb", DENOSUMAB),
        ("osteoprotegrin", TNFRSF11B),
        ("brest cancer", BREAST_CANCER),
        ("RANKLL", TNFSF11),
    ],
)
def test_typos_find_their_target(live_server, typo: str, target: str) -> None:
    results = search(live_server, typo)
    assert iris(results)[0] == target, results[:3]
    assert "spelt like the query" in results[0]["matched"]
    assert 0 < results[0]["score"] <= 0.4


# ---------------------------------------------------------------- ranking


def test_exact_label_before_prefix_before_words(live_server) -> None:
    results = search(live_server, "breast cancer")
    scores = [r["score"] for r in results]
    assert scores == sorted(scores, reverse=True)
    assert iris(results)[0] == BREAST_CANCER and results[0]["score"] == 1.0
    # Then names that start with it (papers' titles, a journal, BRMS1's name), then words.
    assert results[1]["score"] == 0.7 and results[1]["matched"].startswith("title starting")
    assert any(r["label"] == "BRMS1" and r["score"] == 0.68 for r in results)


def test_an_exact_synonym_before_names_starting_with_the_query(live_server) -> None:
    results = search(live_server, "bone")
    assert iris(results)[0] == BONE and results[0]["matched"] == "synonym: bone"
    assert results[1]["label"] == "bone marrow" and results[1]["score"] == 0.7


def test_ties_go_to_the_kind_then_the_mentions(live_server) -> None:
    results = search(live_server, "cancer")
    # MONDO's cancer and the journal Cancer both have the label: the cancer first.
    assert [(r["label"], r["kind"]) for r in results[:2]] == [
        ("cancer", "cancer"),
        ("Cancer", "journal"),
    ]
    # A broader term the texts do not name is found by its label, after named entities' kinds.
    assert iris(search(live_server, "carcinoma"))[0] == CARCINOMA
    # Among names starting with "carcinoma", cancers come by the sources mentioning them.
    cancers = [r for r in search(live_server, "carcinoma", limit="50") if r["kind"] == "cancer"]
    assert cancers and all(r["score"] <= 0.7 for r in cancers)


def test_a_hidden_label_finds_its_entity_below_a_synonym(live_server) -> None:
    results = search(live_server, "TRANCE")
    assert iris(results)[0] == TNFSF11
    assert results[0]["matched"] == "other name: TRANCE" and results[0]["score"] == 0.85


# ---------------------------------------------------------------- the answer


def test_json_shape_and_limit(live_server) -> None:
    response = requests.get(live_server.url + "/search", params={"q": "bone"}, timeout=30)
    data = response.json()
    assert set(data) == {"query", "results"} and data["query"] == "bone"
    assert data["results"] and all(set(r) == RESULT_KEYS for r in data["results"])
    assert all(isinstance(r["score"], float | int) for r in data["results"])
    assert len(search(live_server, "cancer", limit="3")) == 3
    assert len(search(live_server, "cancer")) == 20


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("", "Nothing to search for"),
        ("!!!???", "letters and digits"),
        ("a" * 1000, "1,000 characters long"),
    ],
)
def test_queries_that_cannot_be_searched_answer_400(live_server, query: str, says: str) -> None:
    response = requests.get(live_server.url + "/search", params={"q": query}, timeout=30)
    assert response.status_code == 400
    assert response.json() == {"error": response.json()["error"], "status": 400}
    assert says in response.json()["error"]


def test_a_bad_limit_is_refused(live_server) -> None:
    response = requests.get(
        live_server.url + "/search", params={"q": "bone", "limit": "0"}, timeout=30
    )
    assert response.status_code == 400 and "limit" in response.json()["error"]


def test_nothing_found_is_an_empty_list(live_server) -> None:
    assert search(live_server, "zzqqxxjj") == []


def html(server, path: str, **params: str) -> requests.Response:
    return requests.get(
        server.url + path, params=params, headers={"Accept": "text/html"}, timeout=30
    )


def test_html_results_link_our_pages_and_say_kind_identifier_and_why(live_server) -> None:
    response = html(live_server, "/search", q="RANKL")
    assert response.status_code == 200
    item = re.search(r'<li class="result".*?</li>', response.text, re.DOTALL).group(0)
    assert 'href="/gene/HGNC_11926"' in item and ">TNFSF11</a>" in item
    assert '<span class="kind">gene</span>' in item
    assert '<code class="identifier">HGNC:11926</code>' in item
    assert "found by synonym: RANKL" in item
    assert 'value="RANKL"' in response.text  # the query stays in the box


def test_html_empty_and_absurd_queries_answer_clearly(live_server) -> None:
    empty = html(live_server, "/search")
    assert empty.status_code == 200 and 'id="search-help"' in empty.text
    for query in ("!!!", "x" * 500):
        response = html(live_server, "/search", q=query)
        assert response.status_code == 400 and 'id="search-problem"' in response.text
    nothing = html(live_server, "/search", q="zzqqxxjj")
    assert nothing.status_code == 200 and "Nothing matches" in nothing.text


@pytest.mark.parametrize(
    "path",
    ["/", "/sparql", "/stats", "/gene/HGNC_11926", "/paper/kang-2003-cancer-cell-3-537", "/nope"],
)
def test_every_page_has_the_search_box(live_server, path: str) -> None:
    text = html(live_server, path).text
    form = re.search(r'<form class="search" role="search"[^>]*>', text)
    assert form is not None and 'action="/search"' in form.group(0), path
    assert 'id="site-search"' in text and 'name="q"' in text


def test_a_server_of_rdf_files_has_no_search(things_server) -> None:
    # No build, no index: no search page and no search box.
    assert 'id="site-search"' not in html(things_server, "/").text
    assert html(things_server, "/search", q="x").status_code == 404


def test_a_release_without_a_readable_index_is_served_without_search(tmp_path: Path) -> None:
    from flask import Flask

    from server import search as search_module

    app = Flask(__name__)
    assert search_module.setup(app, None) is False
    assert search_module.setup(app, tmp_path) is False  # no index: a release of before
    connection = sqlite3.connect(tmp_path / layout.SEARCH)
    connection.execute("CREATE TABLE meta (name TEXT, value TEXT)")
    connection.execute("INSERT INTO meta VALUES ('format', 'mkg-search 0')")
    connection.commit()
    connection.close()
    assert search_module.setup(app, tmp_path) is False
    assert "/search" not in {rule.rule for rule in app.url_map.iter_rules()}
