"""The read-only data behind the app: a build or a set of RDF files, and its query processes."""

import os
import shutil
import tempfile
import threading
import weakref
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import pyoxigraph
from flask import current_app

from ingest import layout
from server.querypool import Job, QueryPool
from server.store import BuildNotFound, open_build

# What /health asks the query processes: any answer at all shows that they can read the store.
HEALTH_QUERY = "ASK {}"


class DataFileError(ValueError):
    """An RDF file given to `mkg serve --data` cannot be read."""


class Unhealthy(Exception):
    """The server cannot answer from what it serves (its data is gone from disk, for example)."""


@dataclass
class Backend:
    """One opened dataset: a read-only store handle for pages, and a pool for SPARQL queries."""

    store: pyoxigraph.Store
    store_dir: str
    release: Path | None
    manifest: dict[str, Any]
    description: str
    pool_size: int = 2
    memory_mb: int = 0
    # Whether query processes keep the network: only when SERVICE may call allow-listed endpoints.
    network: bool = False
    # Held for as long as this process serves the release, so that no build removes it.
    lease: layout.Lease | None = field(default=None, repr=False)
    _pool: QueryPool | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def pool(self) -> QueryPool:
        """Return this process's query pool, starting it on first use (and after a fork)."""
        with self._lock:
            if self._pool is None or self._pool.pid != os.getpid():
                self._pool = QueryPool(
                    self.store_dir,
                    size=self.pool_size,
                    memory_mb=self.memory_mb,
                    network=self.network,
                )
                weakref.finalize(self, self._pool.close)
            return self._pool

    @property
    def build_id(self) -> str | None:
        """Return the name of the release served (None when serving RDF files or a store)."""
        return None if self.release is None else self.release.name

    def check(self, *, timeout: float) -> None:
        """Raise Unhealthy unless the data is still on disk and a query process answers in time.

        Query errors (a busy pool, a lost or late query process) propagate as QueryError.
        """
        if self.release is not None and not layout.is_release(self.release):
            raise Unhealthy(f"the release {self.release.name} is gone from disk")
        if not Path(self.store_dir).is_dir():
            raise Unhealthy(f"the store {self.store_dir} is gone from disk")
        outcome = self.pool().run(Job(HEALTH_QUERY, fmt="json", max_rows=1), timeout=timeout)
        outcome.body.close()
        if outcome.kind != "boolean":
            raise Unhealthy(f"{HEALTH_QUERY} was answered with {outcome.kind}, not a boolean")

    def close(self) -> None:
        """Stop the query processes of this process."""
        with self._lock:
            if self._pool is not None and self._pool.pid == os.getpid():
                self._pool.close()
            self._pool = None


def backend() -> Backend:
    """Return the backend of the current app."""
    return current_app.extensions["mkg"]  # type: ignore[no-any-return]


def open_backend(config: dict[str, Any]) -> Backend:
    """Open what the config names: STORE_DIR, DATA_FILES, or the build in BUILD_DIR."""
    opened = _open_backend(config)
    opened.network = bool(config.get("SERVICE_ALLOWLIST"))
    return opened


def _open_backend(config: dict[str, Any]) -> Backend:
    pool_size = int(config["QUERY_PROCESSES"])
    memory_mb = int(config["QUERY_MEMORY_MB"])
    if config.get("STORE_DIR"):
        store_dir = str(config["STORE_DIR"])
        description = str(config.get("DATA_DESCRIPTION") or store_dir)
        return _open_store(store_dir, description, pool_size, memory_mb)
    if config.get("DATA_FILES"):
        files = [(Path(path), graph) for path, graph in config["DATA_FILES"]]
        store_dir = tempfile.mkdtemp(prefix="mkg-data-")
        try:
            load_files(files, store_dir)
        except DataFileError:
            shutil.rmtree(store_dir, ignore_errors=True)
            raise
        opened = _open_store(store_dir, describe_files(files), pool_size, memory_mb)
        weakref.finalize(opened, shutil.rmtree, store_dir, True)
        return opened
    build = open_build(config["BUILD_DIR"])
    return Backend(
        store=build.store,
        store_dir=str(build.path / layout.STORE),
        release=build.path,
        manifest=build.manifest,
        description=f"build {build.path.name}",
        pool_size=pool_size,
        memory_mb=memory_mb,
        lease=build.lease,
    )


def _open_store(store_dir: str, description: str, pool_size: int, memory_mb: int) -> Backend:
    try:
        store = pyoxigraph.Store.read_only(store_dir)
    except OSError as error:
        raise BuildNotFound(f"cannot open the store in {store_dir}: {error}") from None
    return Backend(store, store_dir, None, {}, description, pool_size, memory_mb)


def describe_files(files: Sequence[tuple[Path, str | None]]) -> str:
    """Return a one-line description of served files."""
    return "files: " + ", ".join(path.name + (f" <{g}>" if g else "") for path, g in files)


def load_files(files: Iterable[tuple[Path, str | None]], store_dir: str) -> None:
    """Load RDF files into a new on-disk store (quads keep their graphs; `graph` names a file's)."""
    store = pyoxigraph.Store(store_dir)
    for path, graph in files:
        rdf_format = pyoxigraph.RdfFormat.from_extension(path.suffix.lstrip(".").lower())
        if rdf_format is None:
            raise DataFileError(f"{path}: unknown RDF file extension (use .nq .trig .ttl .nt .rdf)")
        if graph is not None and rdf_format.supports_datasets:
            raise DataFileError(f"{path}: a graph name applies to triples files, not to quads")
        target = pyoxigraph.NamedNode(graph) if graph else None
        try:
            store.bulk_load(path=str(path), format=rdf_format, to_graph=target)
        except (OSError, SyntaxError, ValueError) as error:
            raise DataFileError(f"{path}: {error}") from None
    store.flush()
    del store


def in_fresh_process(function: Callable[..., None], *args: Any) -> None:
    """Run `function` in a spawned process and re-raise what it raises.

    The serving process forks its workers: RocksDB state opened before a fork makes the
    workers crash when they exit, so the master checks or loads stores only through this.
    """
    context = get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as executor:
        executor.submit(function, *args).result()


def check_build(build_dir: Path | str) -> None:
    """Raise BuildNotFound unless `build_dir` holds a build whose store opens."""
    open_build(build_dir)
