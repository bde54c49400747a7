"""Load a build's Oxigraph store with the bulk loader, and count what it holds."""

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph
from rdflib import URIRef

from ingest.mapping import class_key
from ingest.namespaces import BUILD_RUN_GRAPH, METADATA_GRAPH, ONTOLOGY_GRAPH


def load_store(path: Path, parts: Iterable[Path]) -> pyoxigraph.Store:
    """Create the store at `path` and bulk-load the N-Quads files `parts` into it."""
    store = pyoxigraph.Store(str(path))
    for part in parts:
        store.bulk_load(path=str(part), format=pyoxigraph.RdfFormat.N_QUADS)
    return store


def _count(store: pyoxigraph.Store, query: str) -> list[tuple[str, int]]:
    results = store.query(query)
    assert isinstance(results, pyoxigraph.QuerySolutions)
    return [(row[0].value if row[0] is not None else "", int(row[1].value)) for row in results]


def instance_counts(store: pyoxigraph.Store) -> dict[str, int]:
    """Count the distinct instances of each class in the content graphs (not ontology, metadata)."""
    rows = _count(
        store,
        f"SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH ?g {{ ?s a ?c }} "
        f"FILTER (?g NOT IN (<{METADATA_GRAPH}>, <{BUILD_RUN_GRAPH}>, <{ONTOLOGY_GRAPH}>)) }} "
        "GROUP BY ?c",
    )
    return dict(sorted((class_key(URIRef(c)), n) for c, n in rows))


def graph_sizes(store: pyoxigraph.Store) -> dict[str, int]:
    """Count the triples of every named graph, the build-run graph included."""
    return dict(
        sorted(
            _count(store, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        )
    )
