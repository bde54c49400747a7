"""The vocabulary's names and hierarchy in the graph (issue "the first hour of a new user",
item 3): synonyms as altLabels, search-only names as hiddenLabels, and every named cancer, site
and cell type linked by skos:broader up to its vocabulary's top, the ancestors no text names
typed apart so that the counts of named entities stay what the literature names."""

import json
from pathlib import Path

import pyoxigraph
import pytest
import requests
from conftest import ENGINES
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from ingest.entities import Entity, Lexicon
from ingest.mapping_entities import add_hierarchy, add_names, node_of
from ingest.namespaces import MKG
from ingest.vocabulary.make_index import UBERON_ROOTS

pytestmark = pytest.mark.engines(*ENGINES)

PREFIXES = """PREFIX mkg: <https://w3id.org/mkg/ontology/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
TOPS = {"MONDO:0005070", "CL:0000000"}
BRAIN = "https://w3id.org/mkg/anatomy/UBERON_0000955"
NAMED_KINDS = "mkg:Cancer mkg:AnatomicalSite mkg:CellType"


def select(store: pyoxigraph.Store, query: str) -> list[dict[str, str]]:
    results = store.query(PREFIXES + query, use_default_graph_as_union=True)
    names = [variable.value for variable in results.variables]
    return [{name: row[name].value for name in names if row[name] is not None} for row in results]


# ---------------------------------------------------------------- mapping, on small lexicons


def test_names_that_ground_are_altlabels_the_others_hidden() -> None:
    graph = Graph()
    gene = Entity(
        "HGNC:11926",
        "gene",
        "TNFSF11",
        synonyms=("RANKL", "tnfsf11", "TRANCE", "rankl"),
        search_only=("TRANCE", "rankl"),
    )
    node = node_of(gene)
    add_names(graph, node, gene, seen={"receptor activator of nuclear factor-kappaB ligand"})
    alt = {str(o) for o in graph.objects(node, SKOS.altLabel)}
    hidden = {str(o) for o in graph.objects(node, SKOS.hiddenLabel)}
    # The label's own case variant is not repeated; a hidden name already an altLabel is not.
    assert alt == {"receptor activator of nuclear factor-kappaB ligand", "RANKL"}
    assert hidden == {"TRANCE"}


def test_ancestors_are_linked_and_those_no_text_names_are_broader_terms() -> None:
    entities = {
        "MONDO:3": Entity("MONDO:3", "cancer", "breast carcinoma", parents=("MONDO:2", "MONDO:4")),
        "MONDO:2": Entity("MONDO:2", "cancer", "breast cancer", parents=("MONDO:1",)),
        "MONDO:4": Entity("MONDO:4", "cancer", "carcinoma", parents=("MONDO:1",)),
        "MONDO:1": Entity("MONDO:1", "cancer", "neoplasm"),
        "HGNC:1": Entity("HGNC:1", "gene", "A1BG"),
    }
    graph = Graph()
    unnamed = add_hierarchy(graph, ["MONDO:3", "MONDO:2", "HGNC:1"], lexicon=Lexicon(entities, ()))
    assert unnamed == 2
    node = {key: node_of(entity) for key, entity in entities.items()}
    assert set(graph.triples((None, SKOS.broader, None))) == {
        (node["MONDO:3"], SKOS.broader, node["MONDO:2"]),
        (node["MONDO:3"], SKOS.broader, node["MONDO:4"]),
        (node["MONDO:2"], SKOS.broader, node["MONDO:1"]),
        (node["MONDO:4"], SKOS.broader, node["MONDO:1"]),
    }
    assert set(graph.subjects(RDF.type, MKG.BroaderTerm)) == {node["MONDO:4"], node["MONDO:1"]}
    identifier = URIRef("http://purl.org/dc/terms/identifier")
    assert (node["MONDO:4"], identifier, Literal("MONDO:4")) in graph
    # The named terms are described by add_entity, not typed here.
    assert (node["MONDO:2"], RDF.type, MKG.BroaderTerm) not in graph


# ---------------------------------------------------------------- the seed build


def test_every_named_cancer_site_and_cell_type_reaches_a_top(store: pyoxigraph.Store) -> None:
    named = select(
        store,
        f"SELECT ?term ?id WHERE {{ VALUES ?class {{ {NAMED_KINDS} }} "
        "?term a ?class ; dcterms:identifier ?id }",
    )
    assert len(named) > 50
    tops = select(
        store,
        f"SELECT ?term ?top WHERE {{ VALUES ?class {{ {NAMED_KINDS} }} ?term a ?class ;"
        " skos:broader* ?top . ?top dcterms:identifier ?top_id ."
        " FILTER NOT EXISTS { ?top skos:broader ?above } }",
    )
    reached: dict[str, set[str]] = {}
    for row in tops:
        reached.setdefault(row["term"], set()).add(row["top"].rsplit("/", 1)[1].replace("_", ":"))
    for row in named:
        found = reached.get(row["term"], set())
        prefix = row["id"].partition(":")[0]
        assert found and {top.partition(":")[0] for top in found} == {prefix}, row
        # MONDO ends at neoplasm and CL at cell; UBERON below its most general terms.
        assert prefix == "UBERON" or found <= TOPS, row
        assert not found & UBERON_ROOTS, row
    assert "UBERON:0000061" in reached[BRAIN]  # anatomical structure


def test_broader_links_stay_within_one_vocabulary(store: pyoxigraph.Store) -> None:
    links = select(store, "SELECT ?a ?b WHERE { ?a skos:broader ?b }")
    assert len(links) > 300
    for link in links:
        prefix = link["a"].rsplit("/", 1)[1].split("_")[0]
        assert link["b"].rsplit("/", 1)[1].split("_")[0] == prefix, link


def test_broader_terms_are_not_counted_as_named_entities(
    store: pyoxigraph.Store, seed_out: Path
) -> None:
    mentioned = select(
        store,
        "SELECT (COUNT(DISTINCT ?cancer) AS ?n) WHERE {"
        " ?source mkg:mentions ?cancer . ?cancer a mkg:Cancer }",
    )
    manifest = json.loads((seed_out / "current" / "manifest.json").read_text(encoding="utf-8"))
    counts = json.dumps(manifest)
    cancers = select(store, "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a mkg:Cancer }")
    assert cancers[0]["n"] == mentioned[0]["n"] == "27"
    assert '"mkg-BroaderTerm"' in counts
    # Nothing mentions a broader term, and no broader term is also an entity.
    assert not select(
        store,
        "SELECT ?t WHERE { ?t a mkg:BroaderTerm . { ?s mkg:mentions ?t } UNION { ?t a mkg:Entity }"
        f" UNION {{ VALUES ?class {{ {NAMED_KINDS} }} ?t a ?class }} }}",
    )


def test_the_ancestors_of_breast_carcinoma(store: pyoxigraph.Store) -> None:
    rows = select(
        store,
        "SELECT ?label WHERE { <https://w3id.org/mkg/disease/MONDO_0004989> skos:broader+ ?up ."
        " ?up rdfs:label ?label }",
    )
    assert {"breast cancer", "carcinoma", "breast neoplasm", "cancer", "neoplasm"} <= {
        row["label"] for row in rows
    }


@pytest.mark.parametrize(
    ("path", "says"),
    [("/disease/MONDO_0004993", "broader term"), ("/anatomy/UBERON_0000062", "broader term")],
)
def test_a_broader_term_has_a_page(live_server, path: str, says: str) -> None:
    response = requests.get(live_server.url + path, headers={"Accept": "text/html"}, timeout=30)
    assert response.status_code == 200 and says in response.text


def test_the_home_page_counts_only_named_cancers(live_server) -> None:
    text = requests.get(live_server.url + "/", headers={"Accept": "text/html"}, timeout=30).text
    row = text.split(">Cancers</a>", 1)[1].split("</tr>", 1)[0]
    assert '<td class="number">27</td>' in row
