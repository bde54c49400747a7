"""Load a build's Oxigraph store from its N-Quads dump with the bulk loader."""

from pathlib import Path

import pyoxigraph
from rdflib import Graph


def load_store(path: Path, *, dumps: Path, extra: Graph | None = None) -> None:
    """Create the store at `path` from `dumps`/mkg.nq, plus the `extra` named graph."""
    store = pyoxigraph.Store(str(path))
    store.bulk_load(path=str(dumps / "mkg.nq"), format=pyoxigraph.RdfFormat.N_QUADS)
    if extra is not None and len(extra):
        store.bulk_load(
            input=extra.serialize(format="nt", encoding="utf-8"),
            format=pyoxigraph.RdfFormat.N_TRIPLES,
            to_graph=pyoxigraph.NamedNode(str(extra.identifier)),
        )
    store.flush()
    store.optimize()
    del store
