"""What `mkg load` records in an engine about what it loaded, and how the server reads it back.

The record of a load lives in the graph `https://w3id.org/mkg/graph/loaded`, outside the build:

    <https://w3id.org/mkg/load/mkg> a void:Dataset ;
        dcterms:identifier "20261202T114256Z-0745f5f874d5-..." ;   # the build (its release)
        dcterms:title "build 20261202T...", dcterms:created "..."^^xsd:dateTime (the build's time),
        mkg:softwareVersion "0.1.0", dcterms:modified "..."^^xsd:dateTime (the load's time),
        void:triples 23305 ;
        void:subset <https://w3id.org/mkg/load/mkg/graph/0>, ... .
    <https://w3id.org/mkg/load/mkg/graph/0> sd:name <https://w3id.org/mkg/graph/curated> ;
        void:triples 195 ; mkg:sha256 "..." .          # of the graph's N-Quads as loaded

A load writes its record last, after checking what the engine holds, so a load that stopped
halfway leaves none; the server serves a load only if its record is there and every graph holds
the number of triples it records.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ingest.namespaces import LOADED_GRAPH, MKG, load_iri
from server.engine.terms import Literal, NamedNode, Triple

RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
DCTERMS = "http://purl.org/dc/terms/"
VOID = "http://rdfs.org/ns/void#"
SD = "http://www.w3.org/ns/sparql-service-description#"
XSD = "http://www.w3.org/2001/XMLSchema#"
DEFAULT_NAME = "mkg"


@dataclass(frozen=True)
class Part:
    """One named graph of a load: its triples and the SHA-256 of its N-Quads."""

    triples: int
    sha256: str


@dataclass(frozen=True)
class Record:
    """A load: its name, the build (or files) it holds, and its graphs."""

    name: str
    identifier: str
    title: str
    graphs: Mapping[str, Part]
    loaded: str = ""
    built: str | None = None
    software: str | None = None
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def triples(self) -> int:
        """Return the triples of every graph together."""
        return sum(part.triples for part in self.graphs.values())

    def triples_of_record(self) -> list[Triple]:
        """Return the record as triples (for the graph LOADED_GRAPH)."""
        node = NamedNode(str(load_iri(self.name)))
        found = [
            Triple(node, RDF_TYPE, NamedNode(VOID + "Dataset")),
            Triple(node, NamedNode(DCTERMS + "identifier"), Literal(self.identifier)),
            Triple(node, NamedNode(DCTERMS + "title"), Literal(self.title)),
            Triple(node, NamedNode(DCTERMS + "modified"), _time(self.loaded)),
            Triple(node, NamedNode(VOID + "triples"), _integer(self.triples)),
        ]
        if self.built:
            found.append(Triple(node, NamedNode(DCTERMS + "created"), _time(self.built)))
        if self.software:
            found.append(Triple(node, NamedNode(str(MKG.softwareVersion)), Literal(self.software)))
        for index, (graph, part) in enumerate(sorted(self.graphs.items())):
            subset = NamedNode(f"{node.value}/graph/{index}")
            found += [
                Triple(node, NamedNode(VOID + "subset"), subset),
                Triple(subset, NamedNode(SD + "name"), NamedNode(graph)),
                Triple(subset, NamedNode(VOID + "triples"), _integer(part.triples)),
                Triple(subset, NamedNode(str(MKG.sha256)), Literal(part.sha256)),
            ]
        return found


def _time(text: str) -> Literal:
    return Literal(text, datatype=NamedNode(XSD + "dateTime"))


def _integer(value: int) -> Literal:
    return Literal(str(value), datatype=NamedNode(XSD + "integer"))


def now() -> str:
    """Return the time now as an xsd:dateTime in UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def record_query(name: str) -> str:
    """Return the SELECT that reads the record of the load `name` (one row per graph)."""
    return f"""PREFIX dcterms: <{DCTERMS}>
PREFIX void: <{VOID}>
PREFIX sd: <{SD}>
PREFIX mkg: <{MKG}>
SELECT ?identifier ?title ?loaded ?built ?software ?graph ?triples ?sha256 WHERE {{
  GRAPH <{LOADED_GRAPH}> {{
    <{load_iri(name)}> dcterms:identifier ?identifier ; dcterms:title ?title ;
        dcterms:modified ?loaded .
    OPTIONAL {{ <{load_iri(name)}> dcterms:created ?built }}
    OPTIONAL {{ <{load_iri(name)}> mkg:softwareVersion ?software }}
    OPTIONAL {{
      <{load_iri(name)}> void:subset ?part .
      ?part sd:name ?graph ; void:triples ?triples ; mkg:sha256 ?sha256 .
    }}
  }}
}}"""


def record_from_rows(name: str, rows: Iterable[Mapping[str, str | None]]) -> Record | None:
    """Return the record read by `record_query` (rows of values as strings), or None."""
    rows = list(rows)
    if not rows:
        return None
    first = rows[0]
    graphs = {
        str(row["graph"]): Part(int(str(row["triples"])), str(row["sha256"]))
        for row in rows
        if row.get("graph") is not None
    }
    return Record(
        name=name,
        identifier=str(first["identifier"]),
        title=str(first["title"]),
        graphs=graphs,
        loaded=str(first["loaded"]),
        built=first.get("built"),
        software=first.get("software"),
    )


def counts_query() -> str:
    """Return the SELECT counting the triples of each named graph (of the dataset it is sent
    with)."""
    return (
        "SELECT ?graph (COUNT(*) AS ?triples) WHERE { GRAPH ?graph { ?s ?p ?o } } GROUP BY ?graph"
    )


def differences(record: Record, counts: Mapping[str, int]) -> list[str]:
    """Say how the triples an engine holds per graph differ from what the record says."""
    found = []
    for graph, part in sorted(record.graphs.items()):
        held = counts.get(graph, 0)
        if held != part.triples:
            found.append(f"<{graph}> holds {held} triples, not {part.triples}")
    return found
