"""Linked-data pages over the hand-written slice tests/data/server/things.trig."""

import pytest
import requests
from conftest import ENGINES
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from ingest.namespaces import MKG

pytestmark = pytest.mark.engines(*ENGINES)

GENE = "https://w3id.org/mkg/gene/HGNC_11909"
CANCER = "https://w3id.org/mkg/disease/MONDO_0007254"
PAPER = "https://w3id.org/mkg/paper/neville-webbe-2004-breast-cancer-res-treat-86-269"
ASSOCIATION = "https://w3id.org/mkg/association/gene-cancer/HGNC_11909--MONDO_0007254"
MENTION = PAPER.replace("/paper/", "/mention/paper/") + "/title/0-15"
TITLE = (
    "Osteoprotegerin (OPG) produced by bone marrow stromal cells protects breast cancer cells "
    "from TRAIL-induced apoptosis"
)
HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
JSONLD_WARNING = "ignore:ConjunctiveGraph is deprecated:DeprecationWarning"


def path_of(iri: str) -> str:
    return "/" + iri.removeprefix("https://w3id.org/mkg/")


def page(server, iri: str) -> str:
    response = requests.get(server.url + path_of(iri), headers=HTML, timeout=30)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    return response.text


def test_gene_page_shows_label_identifiers_mentions_and_associations(things_server) -> None:
    text = page(things_server, GENE)
    assert "<h1>TNFRSF11B</h1>" in text
    assert 'href="http://identifiers.org/ncbigene/4982"' in text
    assert 'href="http://purl.uniprot.org/uniprot/O00300"' in text
    assert "HGNC:11909" in text
    # The mention: the quoted words in their context, and the paper they are in, by its title.
    assert "<mark>Osteoprotegerin</mark> (OPG) produced by bone marrow s" in text
    assert f'href="{path_of(PAPER)}"' in text and TITLE in text
    # The association, with the other party by label.
    assert f'href="{path_of(ASSOCIATION)}"' in text
    assert f'href="{path_of(CANCER)}"' in text and "breast cancer" in text
    assert 'href="/ontology/Gene"' in text


def test_association_page_lists_its_evidence_papers(things_server) -> None:
    text = page(things_server, ASSOCIATION)
    assert 'id="evidence"' in text
    evidence = text.split('id="evidence"', 1)[1].split("</section>", 1)[0]
    assert f'href="{path_of(PAPER)}"' in evidence and TITLE in evidence


def test_paper_page_lists_what_points_to_it(things_server) -> None:
    text = page(things_server, PAPER)
    incoming = text.split('id="incoming"', 1)[1]
    assert f'href="{path_of(ASSOCIATION)}"' in incoming
    assert "mkg:evidence" in incoming or "evidence" in incoming


def test_mention_page_includes_its_fragment_parts(things_server) -> None:
    text = page(things_server, MENTION)
    assert 'id="quote"' in text and 'id="target"' in text
    assert "Osteoprotegerin" in text
    turtle = requests.get(things_server.url + path_of(MENTION) + ".ttl", timeout=30)
    graph = Graph().parse(data=turtle.text, format="turtle")
    quote = URIRef(MENTION + "#quote")
    assert (quote, URIRef("http://www.w3.org/ns/oa#exact"), Literal("Osteoprotegerin")) in graph


@pytest.mark.filterwarnings(JSONLD_WARNING)
@pytest.mark.parametrize(
    ("accept", "suffix", "fmt"),
    [
        ("text/turtle", ".ttl", "turtle"),
        ("application/n-triples", ".nt", "nt"),
        ("application/rdf+xml", ".rdf", "xml"),
        ("application/ld+json", ".jsonld", "json-ld"),
    ],
)
def test_thing_in_every_rdf_format_by_accept_and_by_suffix(
    things_server, accept: str, suffix: str, fmt: str
) -> None:
    by_accept = requests.get(
        things_server.url + path_of(GENE), headers={"Accept": accept}, timeout=30
    )
    by_suffix = requests.get(things_server.url + path_of(GENE) + suffix, timeout=30)
    for response in (by_accept, by_suffix):
        assert response.status_code == 200
        assert response.headers["Content-Type"].startswith(accept)
        graph = Graph().parse(data=response.content, format=fmt)
        assert (URIRef(GENE), RDFS.label, Literal("TNFRSF11B")) in graph
        assert (URIRef(GENE), RDF.type, MKG.Gene) in graph
        # Statements pointing to it are part of its description too.
        assert (URIRef(ASSOCIATION), MKG.subject, URIRef(GENE)) in graph
    assert by_accept.headers["Content-Location"] == path_of(GENE) + suffix
    assert by_accept.headers["Vary"] == "Accept"


def test_unknown_thing_gets_a_helpful_404(things_server) -> None:
    response = requests.get(things_server.url + "/gene/HGNC_99999999", headers=HTML, timeout=30)
    assert response.status_code == 404
    assert "No thing &lt;https://w3id.org/mkg/gene/HGNC_99999999&gt;" in response.text
    assert "Search the labels" in response.text
    as_json = requests.get(things_server.url + "/gene/HGNC_99999999", timeout=30)
    assert as_json.json() == {
        "error": "No thing <https://w3id.org/mkg/gene/HGNC_99999999> in this graph",
        "status": 404,
    }
    as_turtle = requests.get(
        things_server.url + "/gene/HGNC_99999999", headers={"Accept": "text/turtle"}, timeout=30
    )
    assert as_turtle.status_code == 404
    assert as_turtle.headers["Content-Type"].startswith("text/plain")


def test_data_and_addresses_are_html_escaped(things_server) -> None:
    text = page(things_server, "https://w3id.org/mkg/test/markup")
    assert "<script>" not in text and "<img" not in text
    assert "&lt;script&gt;alert(&#39;label&#39;)&lt;/script&gt;" in text
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; &#34;quotes&#34;" in text
    hostile = "/gene/%3Cscript%3Ealert(1)%3C%2Fscript%3E"
    missing = requests.get(things_server.url + hostile, headers=HTML, timeout=30)
    assert missing.status_code == 404
    assert "<script>alert(1)" not in missing.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in missing.text


def test_files_served_without_a_build_have_no_dumps(things_server) -> None:
    response = requests.get(things_server.url + "/dumps/mkg.nq", timeout=30)
    assert response.status_code == 404
    assert "not a build" in response.json()["error"]


def test_named_graphs_of_trig_files_are_kept(things_server) -> None:
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"
    response = requests.get(things_server.url + "/sparql", params={"query": query}, timeout=30)
    graphs = [row["g"]["value"] for row in response.json()["results"]["bindings"]]
    assert graphs == [
        "https://w3id.org/mkg/graph/associations",
        "https://w3id.org/mkg/graph/entities",
        "https://w3id.org/mkg/graph/example-2007-nat-med-13-101",
        "https://w3id.org/mkg/graph/steeg-2006-nat-med-12-895",
        "https://w3id.org/mkg/graph/test",
    ]


def test_the_base_iri_is_configurable(protocol_server) -> None:
    """With --base http://kasei.us/2009/09/sparql/data/, /data1.rdf describes that IRI."""
    response = requests.get(
        protocol_server.url + "/data1.rdf", headers={"Accept": "text/turtle"}, timeout=30
    )
    assert response.status_code == 200
    graph = Graph().parse(data=response.text, format="turtle")
    subject = URIRef("http://kasei.us/2009/09/sparql/data/data1.rdf")
    assert (subject, RDF.type, URIRef("http://xmlns.com/foaf/0.1/Document")) in graph
    html = requests.get(protocol_server.url + "/data2.rdf", headers=HTML, timeout=30)
    assert html.status_code == 200 and "data2.rdf" in html.text
