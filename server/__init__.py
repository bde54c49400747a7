"""Serve a finished mkg build: SPARQL endpoint and linked-data pages (read-only)."""

import os
from collections.abc import Mapping
from typing import Any

from flask import Flask

from ingest.namespaces import BASE

# Every setting, with its one default; each is read from the environment as MKG_<NAME> (by
# create_app, and by the options of `mkg serve`).
DEFAULTS: dict[str, Any] = {
    "BUILD_DIR": "build",
    # A SPARQL endpoint to front instead of the build's own store (`mkg serve --engine URL`), the
    # name of the load it holds (`mkg load --name`), and what to call it in messages.
    "ENGINE": None,
    "ENGINE_LOAD": "mkg",
    "ENGINE_LABEL": None,
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
    # Address-space limit of each query process in MiB (0: none); None shares 60 % of the
    # machine's memory among the query processes (server.serving.plan_query_memory).
    "QUERY_MEMORY_MB": None,
    # Seconds a client has to send a request's headers, and again its body (mkg serve).
    "REQUEST_TIMEOUT": 30.0,
    # Recent answers kept per worker process (MiB; 0 turns the cache off), and how long HTTP
    # caches may reuse an answer before checking its ETag again (seconds).
    "CACHE_MB": 32,
    "CACHE_MAX_AGE": 300,
}
# Environment names settings had before, still read (the setting's own name wins).
DEPRECATED_NAMES = {"MKG_TIMEOUT": "MKG_QUERY_TIMEOUT"}


def deprecated_settings(environ: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """Return the settings `environ` gives under old names only (by config key), and a warning
    for each old name it uses."""
    found: dict[str, str] = {}
    warnings = []
    for old, new in DEPRECATED_NAMES.items():
        if old not in environ:
            continue
        if new in environ:
            warnings.append(f"{old} is deprecated and ignored: {new} is set")
        else:
            warnings.append(f"{old} is deprecated: use {new}")
            found[new.removeprefix("MKG_")] = environ[old]
    return found, warnings


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app around one read-only dataset (the build, or RDF files)."""
    from server import cache, errors, examples, headers, pages, search, sparql
    from server.engine import open_engine

    app = Flask(__name__)
    app.config.from_mapping(DEFAULTS)
    old, warnings = deprecated_settings(os.environ)
    for warning in warnings:
        app.logger.warning(warning)
    app.config.from_mapping({key: _setting(value) for key, value in old.items()})
    app.config.from_prefixed_env("MKG")
    if config is not None:
        app.config.update(config)
    if isinstance(app.config["SERVICE_ALLOWLIST"], str):
        app.config["SERVICE_ALLOWLIST"] = app.config["SERVICE_ALLOWLIST"].split()
    # Form bodies percent-encode the query: allow for that, and nothing much larger.
    app.config["MAX_CONTENT_LENGTH"] = int(app.config["MAX_QUERY_SIZE"]) * 3 + 65536
    app.extensions["mkg"] = open_engine(app.config)
    examples.setup(app)
    cache.setup(app)
    app.register_blueprint(sparql.bp)
    search.setup(app, app.extensions["mkg"].release)
    app.register_blueprint(pages.bp)
    errors.register(app)
    headers.register(app)
    return app


def _setting(text: str) -> Any:
    """Read a setting from the environment as Flask's from_prefixed_env does (JSON, else text)."""
    import json

    try:
        return json.loads(text)
    except ValueError:
        return text
