"""`mkg load`: put a build's named graphs (or RDF files) into a SPARQL engine, and record it.

The graphs travel as per-graph N-Quads made from the build's `mkg.nq` (sorted by graph, so it
splits in one pass) plus `graph/build-run` from the build's store (the dumps leave it out: it
holds the build's time), each counted and checksummed and the counts checked against the
manifest. Three ways in:

- any engine: the SPARQL 1.1 Graph Store HTTP Protocol, one PUT of N-Triples per graph (a PUT
  replaces the graph, so loading again replaces a build graph by graph);
- Oxigraph server: its Graph Store endpoint also takes a whole dataset as N-Quads in one POST;
- Virtuoso: its bulk loader reads the files itself (`ld_dir`, then `rdf_loader_run` in several
  sessions at once, `checkpoint`), through isql-vt (see `server.engine.virtuoso`).

Then the engine is asked how many triples each graph holds; only when every count is right is
the record of the load written (`server.engine.record`), last. A load first removes the record
of the load it replaces and the graphs of that load the new one does not have, and refuses
graphs that another load of the engine holds.
"""

import hashlib
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph
import urllib3

from ingest import layout
from ingest.namespaces import BUILD_RUN_GRAPH, LOADED_GRAPH
from server.engine.oxigraph import in_fresh_process
from server.engine.record import DEFAULT_NAME, Part, Record, differences, now
from server.engine.remote import EngineNotReady, RemoteEngine
from server.engine.terms import NamedNode, Triple, serialize
from server.engine.virtuoso import Isql
from server.store import open_release

_CHUNK = 1 << 20
_TIMEOUT = urllib3.Timeout(connect=10.0, read=3600.0)


class LoadError(Exception):
    """A load cannot be made or did not arrive whole; the message says which and why."""


@dataclass(frozen=True)
class Source:
    """What a load puts into an engine: per-graph N-Quads files and what identifies them."""

    identifier: str
    title: str
    files: dict[str, Path]
    parts: dict[str, Part]
    built: str | None = None
    software: str | None = None

    def record(self, name: str) -> Record:
        """Return the record of this source loaded as `name`, timed now."""
        return Record(
            name=name,
            identifier=self.identifier,
            title=self.title,
            graphs=dict(self.parts),
            loaded=now(),
            built=self.built,
            software=self.software,
        )


class _Splitter:
    """Write quads to one N-Quads file per graph, counting and hashing each."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.files: dict[str, Path] = {}
        self.counts: dict[str, int] = {}
        self._digests: dict[str, hashlib._Hash] = {}
        self._handles: dict[str, object] = {}

    def add(self, graph: str, line: bytes) -> None:
        handle = self._handles.get(graph)
        if handle is None:
            path = self.work / f"{len(self.files):05d}.nq"
            self.files[graph] = path
            self.counts[graph] = 0
            self._digests[graph] = hashlib.sha256()
            handle = self._handles[graph] = path.open("wb")
        handle.write(line)  # type: ignore[attr-defined]
        self._digests[graph].update(line)
        self.counts[graph] += 1

    def close(self) -> dict[str, Part]:
        for handle in self._handles.values():
            handle.close()  # type: ignore[attr-defined]
        self._handles.clear()
        return {g: Part(self.counts[g], self._digests[g].hexdigest()) for g in self.files}


def split_build(build_dir: Path | str, work: Path) -> Source:
    """Split a build's graphs into per-graph N-Quads files in `work`; check them against the
    manifest; return them."""
    release = open_release(build_dir)
    try:
        splitter = _Splitter(work)
        with (release.path / layout.NQUADS).open("rb") as dump:
            for line in dump:
                splitter.add(_graph_of(line), line)
        # The store is read in a process of its own: a server forks its workers after a load,
        # and RocksDB state opened before a fork makes them crash when they exit.
        for line in in_fresh_process(_build_run_lines, str(release.path / layout.STORE)):
            splitter.add(str(BUILD_RUN_GRAPH), line)
        parts = splitter.close()
        expected = {str(g): int(n) for g, n in release.manifest.get("graphs", {}).items()}
        found = {graph: part.triples for graph, part in parts.items()}
        if expected and found != expected:
            wrong = sorted(
                set(found) ^ set(expected) | {g for g in found if found[g] != expected.get(g)}
            )
            raise LoadError(
                f"the dumps of build {release.path.name} do not match its manifest "
                f"(graphs {', '.join(wrong[:3])}): rebuild it"
            )
        return Source(
            identifier=release.path.name,
            title=f"build {release.path.name}",
            files=splitter.files,
            parts=parts,
            built=release.manifest.get("built"),
            software=release.manifest.get("version"),
        )
    finally:
        release.lease.release_lease()


def _build_run_lines(store_dir: str) -> list[bytes]:
    """Return the graph build-run of a store as sorted N-Quads lines."""
    store = pyoxigraph.Store.read_only(store_dir)
    graph = NamedNode(str(BUILD_RUN_GRAPH))
    return sorted(
        str(quad).encode("utf-8") + b" .\n"
        for quad in store.quads_for_pattern(None, None, None, graph)
    )


def _graph_of(line: bytes) -> str:
    """Return the graph of a line of the build's N-Quads ('<s> <p> <o> <g> .')."""
    head = line.rstrip(b"\n").rstrip()
    if not head.endswith(b"> ."):
        raise LoadError(f"a line of the dump names no graph: {line[:200]!r}")
    start = head.rfind(b" <", 0, len(head) - 2)
    return head[start + 2 : -3].decode("utf-8")


def split_files(files: Sequence[tuple[Path, str | None]], work: Path) -> Source:
    """Split RDF files into per-graph N-Quads files in `work` (a triples file needs a graph)."""
    splitter = _Splitter(work)
    digest = hashlib.sha256()
    for path, graph in files:
        rdf_format = pyoxigraph.RdfFormat.from_extension(path.suffix.lstrip(".").lower())
        if rdf_format is None:
            raise LoadError(f"{path}: unknown RDF file extension (use .nq .trig .ttl .nt .rdf)")
        if graph is None and not rdf_format.supports_datasets:
            raise LoadError(f"{path} holds triples: give their graph with --data-graph IRI FILE")
        if graph is not None and rdf_format.supports_datasets:
            raise LoadError(f"{path}: a graph name applies to triples files, not to quads")
        with path.open("rb") as stream:
            digest.update(hashlib.file_digest(stream, "sha256").digest())
        try:
            quads = list(pyoxigraph.parse(path=str(path), format=rdf_format))
        except (OSError, SyntaxError, ValueError) as error:
            raise LoadError(f"{path}: {error}") from None
        for quad in sorted(quads, key=str):
            target = graph or (
                None
                if isinstance(quad.graph_name, pyoxigraph.DefaultGraph)
                else quad.graph_name.value
            )
            if target is None:
                raise LoadError(f"{path} has triples outside a named graph; name them in the file")
            line = pyoxigraph.Quad(quad.subject, quad.predicate, quad.object, NamedNode(target))
            splitter.add(target, str(line).encode("utf-8") + b" .\n")
    names = ", ".join(path.name + (f" <{graph}>" if graph else "") for path, graph in files)
    return Source(
        identifier="files-" + digest.hexdigest()[:16],
        title=f"files: {names}",
        files=splitter.files,
        parts=splitter.close(),
    )


# The ways in.


class Loader:
    """Puts a source's graphs into an engine (`put`) and writes records (`write_record`)."""

    name = "graph store"

    def __init__(self, engine: RemoteEngine) -> None:
        self.engine = engine

    def put(self, source: Source, *, replaced: Iterable[str]) -> None:
        """Replace the graphs of the source in the engine, and drop the graphs `replaced`."""
        raise NotImplementedError

    def write_records(self, triples: list[Triple]) -> None:
        """Replace the graph of records with these triples."""
        raise NotImplementedError


class GraphStoreLoader(Loader):
    """The SPARQL 1.1 Graph Store HTTP Protocol at `store` (one PUT per graph)."""

    name = "Graph Store Protocol"

    def __init__(
        self, engine: RemoteEngine, store: str, *, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(engine)
        self.store = store
        self.headers = headers or {}
        self.http = urllib3.PoolManager(retries=False)

    def _request(
        self,
        method: str,
        graph: str,
        body: bytes | Iterator[bytes] | None = None,
        content_type: str = "application/n-triples",
    ) -> None:
        url = f"{self.store}{'&' if '?' in self.store else '?'}{urlencode({'graph': graph})}"
        headers = dict(self.headers)
        if body is not None:
            headers["Content-Type"] = content_type
        try:
            response = self.http.request(
                method, url, body=body, headers=headers, timeout=_TIMEOUT, retries=False
            )
        except urllib3.exceptions.HTTPError as error:
            raise LoadError(f"the Graph Store at {self.store} cannot be reached: {error}") from None
        if method == "DELETE" and response.status == 404:
            return
        if response.status >= 300:
            text = " ".join(response.data.decode("utf-8", errors="replace").split())[:300]
            raise LoadError(
                f"the Graph Store at {self.store} refused {method} of <{graph}> "
                f"(HTTP {response.status}): {text}"
            )

    def put(self, source: Source, *, replaced: Iterable[str]) -> None:
        for graph in replaced:
            self._request("DELETE", graph)
        for graph, path in source.files.items():
            self._request("PUT", graph, _ntriples(path))

    def write_records(self, triples: list[Triple]) -> None:
        if triples:
            self._request("PUT", str(LOADED_GRAPH), serialize(triples, "ntriples"))
        else:
            self._request("DELETE", str(LOADED_GRAPH))


class OxigraphLoader(GraphStoreLoader):
    """Oxigraph server: the graphs cleared, then every quad in one N-Quads POST."""

    name = "Oxigraph server (one N-Quads POST)"

    def put(self, source: Source, *, replaced: Iterable[str]) -> None:
        for graph in [*replaced, *source.files]:
            self._request("DELETE", graph)
        try:
            response = self.http.request(
                "POST",
                self.store,
                body=_concatenated(list(source.files.values())),
                headers={**self.headers, "Content-Type": "application/n-quads"},
                timeout=_TIMEOUT,
                retries=False,
            )
        except urllib3.exceptions.HTTPError as error:
            raise LoadError(f"the store at {self.store} cannot be reached: {error}") from None
        if response.status >= 300:
            text = " ".join(response.data.decode("utf-8", errors="replace").split())[:300]
            raise LoadError(f"{self.store} refused the N-Quads (HTTP {response.status}): {text}")


class VirtuosoLoader(Loader):
    """Virtuoso's bulk loader, `loaders` sessions side by side, through isql-vt.

    The source's files must be in a directory the server may read (its DirsAllowed).
    """

    name = "Virtuoso bulk loader"

    def __init__(self, engine: RemoteEngine, isql: Isql, *, loaders: int) -> None:
        super().__init__(engine)
        self.isql = isql
        self.loaders = loaders

    def put(self, source: Source, *, replaced: Iterable[str]) -> None:
        directory = source_directory(source)
        files = _sql_string(str(directory) + "/%")
        clear = [
            f"DELETE FROM DB.DBA.RDF_QUAD WHERE G = iri_to_id({_sql_string(graph)});"
            for graph in [*replaced, *source.files]
        ]
        self.isql.run(
            [
                "log_enable(2, 1);",
                *clear,
                f"DELETE FROM DB.DBA.load_list WHERE ll_file LIKE {files};",
                f"ld_dir({_sql_string(str(directory))}, '*.nq', {_sql_string(str(LOADED_GRAPH))});",
            ]
        )
        sessions = max(1, min(self.loaders, len(source.files)))
        with ThreadPoolExecutor(max_workers=sessions) as pool:
            runs = [pool.submit(self.isql.run, ["rdf_loader_run();"]) for _ in range(sessions)]
            failures = [str(run.exception()) for run in runs if run.exception() is not None]
        if failures:
            raise LoadError(f"Virtuoso's loader failed: {failures[0]}")
        output = self.isql.run(
            [
                "checkpoint;",
                "SELECT 'mkg-failed', ll_file, ll_error FROM DB.DBA.load_list "
                f"WHERE ll_file LIKE {_sql_string(str(directory) + '/%')} "
                "AND (ll_state <> 2 OR ll_error IS NOT NULL);",
            ]
        )
        failed = [line for line in output.splitlines() if line.startswith("mkg-failed")]
        if failed:
            raise LoadError(f"Virtuoso could not load {len(failed)} file(s): {failed[0][:300]}")

    def write_records(self, triples: list[Triple]) -> None:
        data = serialize(triples, "ntriples").decode("utf-8") if triples else ""
        statements = [f"SPARQL CLEAR GRAPH <{LOADED_GRAPH}>;"]
        if data:
            statements.append(f"SPARQL INSERT DATA {{ GRAPH <{LOADED_GRAPH}> {{ {data} }} }};")
        self.isql.run([*statements, "checkpoint;"])


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def source_directory(source: Source) -> Path:
    """Return the directory of a source's files (they are all in one)."""
    directories = {path.parent for path in source.files.values()}
    if len(directories) != 1:
        raise LoadError("a source's files must be in one directory")
    return directories.pop()


def _ntriples(path: Path) -> Iterator[bytes]:
    """Yield an N-Quads file of one graph as N-Triples, in chunks."""
    chunk: list[bytes] = []
    size = 0
    with path.open("rb") as stream:
        for line in stream:
            head = line.rstrip(b"\n").rstrip()
            start = head.rfind(b" <", 0, len(head) - 2)
            chunk.append(head[:start] + b" .\n")
            size += len(line)
            if size >= _CHUNK:
                yield b"".join(chunk)
                chunk, size = [], 0
    if chunk:
        yield b"".join(chunk)


def _concatenated(paths: list[Path]) -> Iterator[bytes]:
    for path in paths:
        with path.open("rb") as stream:
            while data := stream.read(_CHUNK):
                yield data


# A load from start to finish.


@dataclass(frozen=True)
class Loaded:
    """What a load did: the record written and how long it took."""

    record: Record
    loader: str
    seconds: float


def load(
    engine: RemoteEngine,
    loader: Loader,
    source: Source,
    *,
    name: str = DEFAULT_NAME,
    progress: Callable[[str], None] = lambda _: None,
) -> Loaded:
    """Load `source` into the engine as the load `name`; write its record when all arrived."""
    started = time.monotonic()
    records = _records(engine)
    others = {g for n, record in records.items() if n != name for g in record.graphs}
    clash = sorted(others & set(source.files))
    if clash:
        raise LoadError(
            f"the engine's other loads hold <{clash[0]}> (and {len(clash) - 1} more): "
            "load into another engine, or replace that load"
        )
    previous = records.pop(name, None)
    progress(f"removing the record of the load {name!r}")
    loader.write_records(_record_triples(records.values()))
    replaced = sorted(set(previous.graphs) - set(source.files)) if previous else []
    triples = sum(part.triples for part in source.parts.values())
    progress(f"loading {len(source.files)} graphs ({triples:,} triples) with the {loader.name}")
    loader.put(source, replaced=replaced)
    record = source.record(name)
    engine._graphs = tuple(sorted(record.graphs))
    found = differences(record, engine.graph_counts())
    if found:
        raise LoadError("the engine does not hold what was loaded: " + "; ".join(found[:5]))
    progress("writing the record of the load")
    records[name] = record
    loader.write_records(_record_triples(records.values()))
    return Loaded(record, loader.name, time.monotonic() - started)


def _records(engine: RemoteEngine) -> dict[str, Record]:
    """Return every load recorded in the engine, by name."""
    found = {}
    for name in engine.load_names():
        record = engine.read_record(name)
        if record is not None:
            found[name] = record
    return found


def _record_triples(records: Iterable[Record]) -> list[Triple]:
    return [triple for record in records for triple in record.triples_of_record()]


def load_into(
    url: str,
    *,
    build_dir: Path | None,
    files: Sequence[tuple[Path, str | None]],
    name: str,
    work: Path,
    store: str | None = None,
    auth: tuple[str, str] | None = None,
    virtuoso: tuple[str, str] | None = None,
    loaders: int | None = None,
    progress: Callable[[str], None] = lambda _: None,
) -> Loaded:
    """Load a build (or files) into the engine at `url` the fastest way it offers.

    `virtuoso` (SQL address, dba password) chooses Virtuoso's bulk loader, reading the files from
    `work`; otherwise Oxigraph server gets one N-Quads POST and any other engine the Graph Store
    Protocol at `store` (guessed for Oxigraph server and Fuseki).
    """
    if not _NAME.fullmatch(name):
        raise LoadError(f"a load's name is lower-case letters, digits and '-', not {name!r}")
    engine = RemoteEngine(url, load=name, timeout=3600.0)
    try:
        dialect = engine.probe()
    except EngineNotReady as error:
        raise LoadError(str(error)) from None
    loader: Loader
    if virtuoso is not None:
        address, password = virtuoso
        os.chmod(work, 0o755)  # the server may run as another user
        loader = VirtuosoLoader(engine, Isql(address, password), loaders=loaders or _cores())
    else:
        target = store or _graph_store(url, dialect)
        headers = urllib3.make_headers(basic_auth=":".join(auth)) if auth else {}
        kind = OxigraphLoader if dialect == "oxigraph" else GraphStoreLoader
        loader = kind(engine, target, headers=headers)
    progress(f"reading {'the files' if files else build_dir}")
    source = split_files(files, work) if files else split_build(build_dir or "build", work)
    return load(engine, loader, source, name=name, progress=progress)


_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _graph_store(url: str, dialect: str) -> str:
    """Return the Graph Store endpoint beside a query endpoint, where the layout is known."""
    base, _, last = url.rstrip("/").rpartition("/")
    if dialect == "oxigraph" and last == "query":
        return f"{base}/store"
    if dialect == "fuseki" and last in ("sparql", "query"):
        return f"{base}/data"
    raise LoadError(
        f"which Graph Store Protocol endpoint goes with {url} is not known: give it with --store "
        "(or, for Virtuoso, load with --virtuoso HOST:PORT)"
    )


def _cores() -> int:
    return max(1, os.cpu_count() or 1)
