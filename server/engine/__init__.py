"""Where queries run: one interface (`Engine`) that everything in server/ uses, one module each.

- `oxigraph` (the default): the build's embedded Oxigraph store, read-only, with query processes
  that are killed at the time limit;
- `remote`: a SPARQL 1.1 endpoint someone else runs (Virtuoso, QLever, Fuseki, GraphDB, Oxigraph
  server), loaded with `mkg load`, every query pinned to the graphs of the loaded build;
- `virtuoso`: a Virtuoso that `mkg serve --engine virtuoso` starts, loads and fronts.

No module of server/ outside this package touches a store or imports the store's library: the
pages, the endpoint and the caches ask an `Engine`, and read and write the terms of
`server.engine.terms` (tests/test_engines.py checks the imports).
"""

from typing import Any

from server.engine.base import (
    Answer,
    Engine,
    Job,
    Outcome,
    PoolBusy,
    QueryError,
    QueryFailed,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    RemoteFailure,
    Solution,
    Solutions,
    Unhealthy,
    WorkerLost,
    engine,
)

__all__ = [
    "Answer",
    "Engine",
    "Job",
    "Outcome",
    "PoolBusy",
    "QueryError",
    "QueryFailed",
    "QueryRefused",
    "QuerySyntaxError",
    "QueryTimeout",
    "RemoteFailure",
    "Solution",
    "Solutions",
    "Unhealthy",
    "WorkerLost",
    "engine",
    "open_engine",
]


def open_engine(config: dict[str, Any]) -> Engine:
    """Open the engine the config names: ENGINE (a SPARQL endpoint's URL), else the embedded
    store of STORE_DIR, DATA_FILES or the build in BUILD_DIR."""
    if config.get("ENGINE"):
        from server.engine.remote import open_remote

        return open_remote(config)
    from server.engine.oxigraph import open_oxigraph

    return open_oxigraph(config)
