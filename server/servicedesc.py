"""RDF documents about the service: SPARQL 1.1 Service Description, VoID, ontology, shapes."""

from collections.abc import Iterable

from ingest.namespaces import DATASET_IRI, METADATA_GRAPH, ONTOLOGY_GRAPH
from ingest.resources import data_path
from server.display import prefixes
from server.engine import Engine, terms
from server.engine.terms import BlankNode, Literal, NamedNode, Triple

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
VOID = "http://rdfs.org/ns/void#"
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
DCTERMS_TITLE = NamedNode("http://purl.org/dc/terms/title")
RDFS_COMMENT = NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")

_RESULT_FORMATS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "RDF_XML",
    "JSON-LD",
)


def serialize(triples: Iterable[Triple], fmt: str) -> bytes:
    """Serialize triples as 'turtle', 'ntriples', 'rdfxml' or 'jsonld' (with our prefixes)."""
    return terms.serialize(triples, fmt, prefixes=prefixes())


def service_description(
    endpoint: str, engine: Engine, fmt: str, *, federated: bool = False
) -> bytes:
    """Describe the endpoint at `endpoint` (SPARQL 1.1 Service Description) in `fmt`."""
    service = NamedNode(endpoint)
    dataset = NamedNode(str(DATASET_IRI))
    default_graph = BlankNode()
    triples = [
        Triple(service, RDF_TYPE, NamedNode(SD + "Service")),
        Triple(service, NamedNode(SD + "endpoint"), service),
        Triple(service, NamedNode(SD + "supportedLanguage"), NamedNode(SD + "SPARQL11Query")),
        Triple(service, NamedNode(SD + "feature"), NamedNode(SD + "UnionDefaultGraph")),
        Triple(service, NamedNode(SD + "defaultDataset"), dataset),
        Triple(service, DCTERMS_TITLE, Literal("mkg: the metastasis knowledge graph (read-only)")),
        Triple(
            service,
            RDFS_COMMENT,
            Literal(
                "Read-only: SPARQL Update is refused. The default graph is the union of all "
                "named graphs. Queries have a time limit and a result-row limit."
            ),
        ),
        Triple(dataset, RDF_TYPE, NamedNode(SD + "Dataset")),
        Triple(dataset, NamedNode(SD + "defaultGraph"), default_graph),
        Triple(default_graph, RDF_TYPE, NamedNode(SD + "Graph")),
    ]
    if federated:
        triples.append(
            Triple(service, NamedNode(SD + "feature"), NamedNode(SD + "BasicFederatedQuery"))
        )
    for name in _RESULT_FORMATS:
        triples.append(Triple(service, NamedNode(SD + "resultFormat"), NamedNode(FORMATS + name)))
    for graph in engine.graphs():
        node = BlankNode()
        triples.append(Triple(dataset, NamedNode(SD + "namedGraph"), node))
        triples.append(Triple(node, RDF_TYPE, NamedNode(SD + "NamedGraph")))
        triples.append(Triple(node, NamedNode(SD + "name"), NamedNode(graph)))
    return serialize(triples, fmt)


def graph_triples(engine: Engine, graph: str) -> list[Triple]:
    """Return the triples of one named graph of the engine."""
    return [quad.triple for quad in engine.quads(None, None, None, graph)]


def void(engine: Engine, endpoint: str) -> list[Triple]:
    """Return the build's VoID description, or a minimal one for served files, with the endpoint."""
    triples = graph_triples(engine, str(METADATA_GRAPH))
    dataset = NamedNode(str(DATASET_IRI))
    if not triples:
        triples = [
            Triple(dataset, RDF_TYPE, NamedNode(VOID + "Dataset")),
            Triple(
                dataset, NamedNode(VOID + "triples"), Literal(str(engine.size()), datatype=_INT)
            ),
        ]
    triples.append(Triple(dataset, NamedNode(VOID + "sparqlEndpoint"), NamedNode(endpoint)))
    return triples


_INT = NamedNode("http://www.w3.org/2001/XMLSchema#integer")


def ontology(engine: Engine) -> list[Triple]:
    """Return the ontology the data was built with (the shipped file for served files)."""
    triples = graph_triples(engine, str(ONTOLOGY_GRAPH))
    if triples:
        return triples
    return _parse_file_triples([data_path("ontology/mkg.ttl")])


def shapes() -> list[Triple]:
    """Return the SHACL shapes shipped with this version."""
    return _parse_file_triples(sorted(data_path("shapes").glob("*.ttl")))


def _parse_file_triples(paths: Iterable[object]) -> list[Triple]:
    triples: list[Triple] = []
    for path in paths:
        triples += [quad.triple for quad in terms.parse_file(str(path), fmt="ttl")]
    return triples
