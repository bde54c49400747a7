"""Linking by persistent identifiers: paper pages link out to the paper by its DOI, PubMed ID and
PubMed Central ID (docs/linking.md, "Papers")."""

import pytest
import requests
from conftest import ENGINES

pytestmark = pytest.mark.engines(*ENGINES)

MINN = "/paper/minn-2005-nature-436-518"  # Minn et al. 2005, with all three identifiers
NEVILLE_WEBBE = "/paper/neville-webbe-2004-breast-cancer-res-treat-86-269"  # printed with none
HTML = {"Accept": "text/html"}


def identifiers(server, path: str) -> str:
    """Return the identifiers section of a page ('' when it has none)."""
    response = requests.get(server.url + path, headers=HTML, timeout=30)
    assert response.status_code == 200
    if 'id="identifiers"' not in response.text:
        return ""
    return response.text.split('id="identifiers"', 1)[1].split("</section>", 1)[0]


def test_paper_page_links_out_by_doi_pmid_and_pmcid(things_server) -> None:
    section = identifiers(things_server, MINN)
    assert '<a href="https://doi.org/10.5555/mkg-ctx-4"' in section
    assert '<a href="https://identifiers.org/pubmed:99100004"' in section
    assert '<a href="https://identifiers.org/pmc:PMC9910004"' in section
    for text in ("DOI 10.5555/mkg-ctx-4", "PMID 99100004", "PMCID PMC9910004"):
        assert text in section, text


def test_a_paper_without_identifiers_has_no_link_outs(things_server) -> None:
    assert identifiers(things_server, NEVILLE_WEBBE) == ""


# ------------------------------------------------- joins by DOI with OpenCitations and Wikidata

# docs/linking.md's DOI queries against the local stand-ins of tests/test_docs.py, on a build of
# the review's full text (JATS), whose references print DOIs, PubMed and PubMed Central IDs; the
# docs tests run them on the seed's build, where only the review has a DOI.
MINN_IRI = "https://w3id.org/mkg" + MINN
KANG_IRI = "https://w3id.org/mkg/paper/kang-2003-cancer-cell-3-537"


@pytest.fixture(scope="module")
def paper_stand_in(start_server, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A local SPARQL endpoint standing in for OpenCitations Meta and Wikidata."""
    from test_docs import OPENCITATIONS_TTL, WIKIDATA_TTL

    directory = tmp_path_factory.mktemp("paper-stand-in")
    args: list[str] = []
    for name, text in (("opencitations.ttl", OPENCITATIONS_TTL), ("wikidata.ttl", WIKIDATA_TTL)):
        (directory / name).write_text(text, encoding="utf-8")
        args += ["--data", str(directory / name)]
    return start_server(*args, "--workers", "1").url + "/sparql"


def _doc_rows(contexts_out, question: str, endpoint: str) -> list[dict[str, str]]:
    from test_docs import _of, _rewrite

    from server.engine.oxigraph import open_build

    [block] = [b for b in _of("sparql", service=True, page="linking.md") if question in b.text]
    store = open_build(contexts_out).store
    solutions = store.query(_rewrite(block.text, endpoint), use_default_graph_as_union=True)
    return [
        {v.value: s[v].value for v in solutions.variables if s[v] is not None} for s in solutions
    ]


def test_opencitations_meta_joins_cited_papers_by_doi(contexts_out, paper_stand_in) -> None:
    rows = _doc_rows(contexts_out, "Which OpenCitations Meta records", paper_stand_in)
    found = {(r["paper"], r["doi"], r["oc_pmid"], r["same_pmid"]) for r in rows}
    assert found == {
        (KANG_IRI, "10.5555/mkg-ctx-2", "99100002", "true"),
        (MINN_IRI, "10.5555/mkg-ctx-4", "99100004", "true"),
    }


def test_wikidata_joins_cited_papers_by_upper_case_doi(contexts_out, paper_stand_in) -> None:
    rows = _doc_rows(contexts_out, "Which Wikidata items are the papers", paper_stand_in)
    by_paper = {row["paper"]: row for row in rows}
    assert set(by_paper) == {KANG_IRI, MINN_IRI}
    assert by_paper[MINN_IRI]["same_pmid"] == "true"
    assert by_paper[MINN_IRI]["same_pmcid"] == "true"  # Wikidata's '1283098' is PMC9910004
    assert by_paper[KANG_IRI]["same_pmid"] == "true"
    assert "same_pmcid" not in by_paper[KANG_IRI]  # neither side has a PMCID for it
