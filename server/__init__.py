"""Serve a finished mkg build: SPARQL endpoint and linked-data pages (read-only)."""

from collections.abc import Mapping
from typing import Any

from flask import Flask

from ingest.namespaces import BASE

DEFAULTS: dict[str, Any] = {
    "BUILD_DIR": "build",
    # Serve a prepared read-only store, or RDF files as [(path, graph IRI or None), ...].
    "STORE_DIR": None,
    "DATA_FILES": None,
    "DATA_DESCRIPTION": None,
    "BASE_IRI": BASE,
    "QUERY_TIMEOUT": 10.0,
    "MAX_ROWS": 10000,
    "MAX_QUERY_SIZE": 100_000,
    "SERVICE_ALLOWLIST": [],
    "QUERY_PROCESSES": 2,
    "QUERY_MEMORY_MB": 4096,
    # Seconds a client has to send a request's headers, and again its body (mkg serve).
    "REQUEST_TIMEOUT": 30.0,
    # Recent answers kept per worker process (MiB; 0 turns the cache off), and how long HTTP
    # caches may reuse an answer before checking its ETag again (seconds).
    "CACHE_MB": 32,
    "CACHE_MAX_AGE": 300,
}


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app around one read-only dataset (the build, or RDF files)."""
    from server import cache, errors, examples, headers, pages, search, sparql
    from server.backend import open_backend

    app = Flask(__name__)
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("MKG")
    if config is not None:
        app.config.update(config)
    if isinstance(app.config["SERVICE_ALLOWLIST"], str):
        app.config["SERVICE_ALLOWLIST"] = app.config["SERVICE_ALLOWLIST"].split()
    # Form bodies percent-encode the query: allow for that, and nothing much larger.
    app.config["MAX_CONTENT_LENGTH"] = int(app.config["MAX_QUERY_SIZE"]) * 3 + 65536
    app.extensions["mkg"] = open_backend(app.config)
    examples.setup(app)
    cache.setup(app)
    app.register_blueprint(sparql.bp)
    search.setup(app, app.extensions["mkg"].release)
    app.register_blueprint(pages.bp)
    errors.register(app)
    headers.register(app)
    return app
