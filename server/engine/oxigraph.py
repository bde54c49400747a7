"""The embedded engine: the build's own Oxigraph store, read-only, and its query processes.

Protocol queries run in query processes that can be killed at the time limit
(`server.engine.querypool`); the pages' small queries and quad lookups run on a read-only handle
of the same store in the serving process itself, as fast as the store answers them.
"""

import hashlib
import io
import os
import shutil
import tempfile
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import pyoxigraph

from ingest import layout
from server import syntaxhelp
from server.engine.base import (
    Answer,
    Engine,
    Job,
    Outcome,
    QueryFailed,
    QuerySyntaxError,
    RemoteFailure,
    Solutions,
    Unhealthy,
)
from server.engine.querypool import QueryPool, answer
from server.engine.terms import NamedNode, Quad, Term, parse_file
from server.store import BuildNotFound, Release, open_release


class DataFileError(ValueError):
    """An RDF file given to `mkg serve --data` cannot be read."""


@dataclass(frozen=True)
class Build:
    """An installed build opened read-only: its release, manifest, store, and the lease on it."""

    path: Path
    manifest: dict[str, Any]
    store: pyoxigraph.Store
    lease: layout.Lease


def open_build(build_dir: Path | str) -> Build:
    """Open the build under `build_dir` (its `current` release, or itself if it is a release).

    The release is leased before anything in it is read (`server.store.open_release`).
    """
    release = open_release(build_dir)
    try:
        store = pyoxigraph.Store.read_only(str(release.path / layout.STORE))
    except OSError as error:
        release.lease.release_lease()
        raise BuildNotFound(f"the build in {build_dir} cannot be opened: {error}") from None
    return Build(release.path, release.manifest, store, release.lease)


class OxigraphEngine(Engine):
    """A read-only Oxigraph store: a handle for the pages, a pool of query processes for SPARQL.

    `pool_size` 0 runs protocol queries in this process, without a time limit (`mkg query`).
    """

    name = "oxigraph"

    def __init__(
        self,
        store: pyoxigraph.Store,
        store_dir: str,
        *,
        description: str,
        release: Release | None = None,
        files: Sequence[tuple[Path, str | None]] = (),
        pool_size: int = 2,
        memory_mb: int = 0,
        network: bool = False,
    ) -> None:
        self.store = store
        self.store_dir = store_dir
        self.description = description
        self.release = None if release is None else release.path
        self.manifest = {} if release is None else release.manifest
        self.build_id = None if release is None else release.path.name
        # Held for as long as this process serves the release, so that no build removes it.
        self.lease = None if release is None else release.lease
        self.files = list(files)
        self.pool_size = pool_size
        self.memory_mb = memory_mb
        # Whether query processes keep the network: only when SERVICE may call allow-listed
        # endpoints.
        self.network = network
        self._pool: QueryPool | None = None
        self._lock = threading.Lock()
        self._version: str | None = None

    # Protocol queries.

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
    def sealed(self) -> bool:  # type: ignore[override]
        """Return whether every query process runs without network."""
        return self.pool_size > 0 and self.pool().sealed

    def run(self, job: Job, *, timeout: float) -> Outcome:
        """Run a protocol query in a query process (stopped at `timeout`), or here."""
        if self.pool_size > 0:
            return self.pool().run(job, timeout=timeout)
        started = time.monotonic()
        out = io.BytesIO()
        kind, rows, truncated = answer(self.store, job, out)
        out.seek(0)
        return Outcome(kind, out, rows, truncated, time.monotonic() - started)

    def start(self, *, timeout: float) -> None:
        """Start the query processes and wait until each has opened the store."""
        if self.pool_size > 0:
            self.pool().wait_ready(timeout)

    def close(self) -> None:
        """Stop the query processes of this process."""
        with self._lock:
            if self._pool is not None and self._pool.pid == os.getpid():
                self._pool.close()
            self._pool = None

    # The pages' queries, on the handle of this process.

    def query(self, text: str, *, timeout: float | None = None) -> Answer:
        """Run a query on the union of the graphs, here (the store has no time limit)."""
        try:
            result = self.store.query(text, use_default_graph_as_union=True)
            if isinstance(result, pyoxigraph.QuerySolutions):
                names = [variable.value for variable in result.variables]
                return Solutions(names, list(result))
            if isinstance(result, pyoxigraph.QueryBoolean):
                return bool(result)
            return list(result)
        except SyntaxError as error:
            raise QuerySyntaxError(str(error)) from None
        # Solutions are read here, so that a SERVICE call failing while they are read is caught.
        except (OSError, RuntimeError) as error:
            remote = syntaxhelp.remote_failure(text, error, base=None)
            if remote is None:
                raise QueryFailed(f"{type(error).__name__}: {error}") from None
            raise RemoteFailure(remote.message, endpoints=list(remote.endpoints)) from None

    def quads(
        self,
        subject: Term | None = None,
        predicate: Term | None = None,
        obj: Term | None = None,
        graph: str | None = None,
        *,
        limit: int | None = None,
    ) -> list[Quad]:
        """Return up to `limit` quads of a pattern, in the store's order."""
        found = self.store.quads_for_pattern(
            subject,  # type: ignore[arg-type]
            predicate,  # type: ignore[arg-type]
            obj,  # type: ignore[arg-type]
            None if graph is None else NamedNode(graph),
        )
        if limit is None:
            return list(found)
        quads: list[Quad] = []
        for quad in found:
            if len(quads) >= limit:
                break
            quads.append(quad)
        return quads

    def graphs(self) -> list[str]:
        """Return the named graphs of the store."""
        return sorted(graph.value for graph in self.store.named_graphs())  # type: ignore[union-attr]

    def size(self) -> int:
        """Return the number of quads in the store."""
        return len(self.store)

    def version(self) -> str:
        """Return a digest of what is served: the release and its manifest, the files' bytes, or
        the store's table files."""
        if self._version is None:
            digest = hashlib.sha256()
            if self.build_id is not None:
                parts = ["build", self.build_id, repr(sorted(_flatten(self.manifest)))]
            elif self.files:
                parts = ["files"]
                for path, graph in self.files:
                    parts += [str(graph), _file_digest(path)]
            else:
                store_dir = Path(self.store_dir)
                parts = ["store", str(store_dir.resolve()), *_store_files(store_dir)]
            for part in parts:
                digest.update(part.encode("utf-8") + b"\x00")
            self._version = digest.hexdigest()[:32]
        return self._version

    def check(self, *, timeout: float) -> None:
        """Raise Unhealthy unless the data is still on disk and a query process answers in time."""
        if self.release is not None and not layout.is_release(self.release):
            raise Unhealthy(f"the release {self.release.name} is gone from disk")
        if not Path(self.store_dir).is_dir():
            raise Unhealthy(f"the store {self.store_dir} is gone from disk")
        super().check(timeout=timeout)


def _flatten(value: object, prefix: str = "") -> Iterable[tuple[str, str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _flatten(item, f"{prefix}/{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _flatten(item, f"{prefix}/{index}")
    else:
        yield prefix, repr(value)


def _file_digest(path: Path) -> str:
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def _store_files(store_dir: Path) -> list[str]:
    """Return the names and sizes of a store's table files (a read-only open writes none)."""
    names = []
    for path in sorted(store_dir.iterdir()) if store_dir.is_dir() else []:
        name = path.name
        if name == "CURRENT" or name.startswith("MANIFEST") or name.endswith(".sst"):
            names.append(f"{name}:{path.stat().st_size}")
    return names


def open_oxigraph(config: dict[str, Any]) -> OxigraphEngine:
    """Open what the config names: STORE_DIR, DATA_FILES, or the build in BUILD_DIR."""
    pool_size = int(config["QUERY_PROCESSES"])
    memory_mb = config["QUERY_MEMORY_MB"]
    if memory_mb is None and pool_size > 0:
        from server.serving import machine_memory, plan_query_memory

        total, source = machine_memory()
        memory_mb = plan_query_memory(
            processes=pool_size, requested_mb=None, memory=total, source=source
        ).per_process_mb
    memory_mb = int(memory_mb or 0)
    network = bool(config.get("SERVICE_ALLOWLIST"))
    options: dict[str, Any] = {"pool_size": pool_size, "memory_mb": memory_mb, "network": network}
    if config.get("STORE_DIR"):
        store_dir = str(config["STORE_DIR"])
        description = str(config.get("DATA_DESCRIPTION") or store_dir)
        files = [(Path(path), graph) for path, graph in config.get("DATA_FILES") or ()]
        return OxigraphEngine(
            _read_only(store_dir), store_dir, description=description, files=files, **options
        )
    if config.get("DATA_FILES"):
        files = [(Path(path), graph) for path, graph in config["DATA_FILES"]]
        store_dir = tempfile.mkdtemp(prefix="mkg-data-")
        try:
            load_files(files, store_dir)
        except DataFileError:
            shutil.rmtree(store_dir, ignore_errors=True)
            raise
        opened = OxigraphEngine(
            _read_only(store_dir),
            store_dir,
            description=describe_files(files),
            files=files,
            **options,
        )
        weakref.finalize(opened, shutil.rmtree, store_dir, True)
        return opened
    release = open_release(config["BUILD_DIR"])
    store_dir = str(release.path / layout.STORE)
    try:
        store = _read_only(store_dir)
    except BuildNotFound:
        release.lease.release_lease()
        raise
    return OxigraphEngine(
        store, store_dir, description=f"build {release.path.name}", release=release, **options
    )


def _read_only(store_dir: str) -> pyoxigraph.Store:
    try:
        return pyoxigraph.Store.read_only(store_dir)
    except OSError as error:
        raise BuildNotFound(f"cannot open the store in {store_dir}: {error}") from None


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


def read_quads(files: Iterable[tuple[Path, str | None]]) -> Iterable[Quad]:
    """Read the quads of RDF files (`graph` names the graph of a triples file's statements)."""
    for path, graph in files:
        try:
            found = list(parse_file(path))
        except (OSError, SyntaxError, ValueError) as error:
            raise DataFileError(f"{path}: {error}") from None
        for quad in found:
            if graph is not None:
                if not isinstance(quad.graph_name, pyoxigraph.DefaultGraph):
                    raise DataFileError(f"{path}: a graph name applies to triples files")
                quad = Quad(quad.subject, quad.predicate, quad.object, NamedNode(graph))
            yield quad


def in_fresh_process(function: Callable[..., Any], *args: Any) -> Any:
    """Run `function` in a spawned process and return what it returns (or re-raise).

    The serving process forks its workers: RocksDB state opened before a fork makes the
    workers crash when they exit, so the master checks or loads stores only through this.
    """
    context = get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as executor:
        return executor.submit(function, *args).result()


def check_build(build_dir: Path | str) -> None:
    """Raise BuildNotFound unless `build_dir` holds a build whose store opens."""
    open_build(build_dir)
