"""The query page and the home page over HTTP (seed build): addresses that reproduce a query,
the chosen question, the known prefixes, result cells; what the home page leads with."""

import re
from pathlib import Path

import pytest
import requests
from conftest import ENGINES

pytestmark = pytest.mark.engines(*ENGINES)

HTML = {"Accept": "text/html"}
GENES = (
    "PREFIX mkg: <https://w3id.org/mkg/ontology/>\n"
    "SELECT ?gene (COUNT(?paper) AS ?papers) WHERE { ?gene a mkg:Gene . "
    "OPTIONAL { ?paper mkg:mentions ?gene } } GROUP BY ?gene ORDER BY ?gene LIMIT 3"
)


def query_page(server, **params) -> str:
    response = requests.get(server.url + "/sparql", params=params, headers=HTML, timeout=30)
    assert response.status_code == 200, response.text[:300]
    return response.text


def test_the_query_form_is_sent_by_get_so_the_address_holds_the_query(live_server) -> None:
    text = query_page(live_server)
    form = re.search(r'<form class="query"[^>]*>', text).group(0)
    assert 'method="get"' in form and 'action="/sparql"' in form
    # No hidden parameters: the address is /sparql?query=... and nothing else.
    body = text.split(form, 1)[1].split("</form>", 1)[0]
    assert 'type="hidden"' not in body


def test_the_chosen_question_stays_selected_after_running(live_server, repo_root: Path) -> None:
    name = "06-drugs-for-site-genes"
    query = (repo_root / "queries" / f"{name}.rq").read_text(encoding="utf-8")
    text = query_page(live_server, query=query)
    assert 'id="result-table"' in text
    assert f'<option value="{name}" selected>' in text
    other = query_page(live_server, query=GENES)
    assert "selected>" not in other.split('id="example"', 1)[1].split("</select>", 1)[0]


def test_the_page_lists_the_known_prefixes_and_says_the_limits(live_server) -> None:
    text = query_page(live_server)
    prefixes = text.split('id="known-prefixes"', 1)[1].split("</details>", 1)[0]
    assert '<dd data-prefix="mkg">https://w3id.org/mkg/ontology/</dd>' in prefixes
    assert '<dd data-prefix="dcterms">http://purl.org/dc/terms/</dd>' in prefixes
    assert "at most 10000 rows" in text


def test_result_cells_show_compact_names_and_plain_numbers(live_server) -> None:
    text = query_page(live_server, query=GENES)
    table = text.split('id="result-table"', 1)[1].split("</table>", 1)[0]
    # Our IRIs by their path, linked to their pages, their label beside them.
    assert re.search(
        r'<a href="/gene/HGNC_\d+" title="https://w3id.org/mkg/gene/HGNC_\d+" '
        r'class="uri">gene/HGNC_\d+</a> <small class="note">\w+',
        table,
    )
    # Numbers without their datatype, right-aligned.
    assert "xsd:integer" not in table and '<td class="number"><span class="number">' in table
    assert "(at most 10000 per query" in text


def test_other_databases_iris_are_compact_too(live_server, repo_root: Path) -> None:
    query = (repo_root / "queries" / "06-drugs-for-site-genes.rq").read_text(encoding="utf-8")
    table = query_page(live_server, query=query).split('id="result-table"', 1)[1]
    assert ">drugbank:DB06643</a>" in table
    assert 'href="http://identifiers.org/drugbank/DB06643"' in table


def test_the_home_page_leads_with_what_a_biologist_looks_for(live_server) -> None:
    text = requests.get(live_server.url + "/", headers=HTML, timeout=30).text
    contents = text.split('id="contents"', 1)[1].split("</section>", 1)[0]
    leading, _, machinery = contents.partition('id="machinery"')
    kinds = re.findall(r'<th scope="row"><a [^>]*>([^<]+)</a>', leading)
    assert kinds[:5] == ["Genes", "Gene families", "Drugs", "Cancers", "Anatomical sites"]
    assert {"Cell types", "Metastatic processes", "Papers"} <= set(kinds)
    # Annotation machinery comes last, folded.
    assert "TextQuoteSelector" not in leading and "TextQuoteSelector" in machinery
    assert machinery.lstrip().startswith(">") and "<details" in leading[-40:]
