"""The Dask executor: a build's per-document tasks on a Dask cluster.

`mkg build --executor dask` starts a `distributed.LocalCluster` for the build, bound to
127.0.0.1 with `--jobs` worker processes (default: one per CPU core) of one thread each and no
dashboard, and stops it afterwards; `--scheduler tcp://HOST:PORT` (or the path of a scheduler
file) uses an existing cluster instead, such as one dask-jobqueue or dask-kubernetes started.
The work holds the interpreter lock, so a worker process runs one task at a time usefully:
start workers with `--nthreads 1` and as many processes as there are cores.

Workers share nothing with the build process but what Dask carries:

- to each task, its page's text (first phase) or its grounded review (second phase);
- to each worker once, the shapes, the class hierarchy and the entities graph, as N-Triples:
  the result of one task every document task depends on, so a worker fetches it with its
  first document and keeps it, and the scheduler can make it again if the workers holding it
  are lost; a worker parses them once per build (`_inputs`);
- loaded on the worker from its installed mkg: the lexicon, the finder and the journals. So
  every worker must run the same mkg: the build compares each worker's mkg version, the digest
  of its package files and its rdflib and pyshacl versions with its own (`identity`), and
  refuses a mismatch with a one-line error; every task checks it again, for late workers;
- back: each document's part as bytes (zlib-compressed past 64 KiB), or with `parts_url` the
  fsspec URL the worker wrote it to (under a directory of its own for the build, removed at
  the end), which the build process then reads; the document's mentions, validation report
  and person names (`ingest.executors.persons`).

The units that need every document (the examples, the knowledge graphs with every mention)
are validated in the build process once the documents are done, when the workers are idle.

A task's error (a page that does not parse, say) is raised here as the worker raised it, so the
build fails with the same one-line error as on this machine and installs nothing. A worker
lost while it runs a task (killed, out of memory, its machine gone) is retried by the
scheduler on another worker, up to the scheduler's `distributed.scheduler.allowed-failures`
(3 by default, and in the cluster the build starts itself); then the build fails naming the
task. If the scheduler goes, the build fails at once.
"""

import functools
import gc
import hashlib
import logging
import os
import shutil
import threading
import time
import uuid
import zlib
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import CancelledError
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

import dask
import fsspec
from distributed import Client, Future, KilledWorker, LocalCluster, as_completed
from rdflib import Graph, URIRef
from rdflib.term import Node

from ingest import __version__
from ingest.build import Grounded, GroundedPage, Page, grounding_finder, map_document
from ingest.build import parse_and_ground as _parse_and_ground
from ingest.errors import BuildError, ValidationError
from ingest.executors import DocumentPart, ExecutorOptions
from ingest.executors.persons import conflicts, earlier_names, merge
from ingest.journals import load_journals
from ingest.validate import Report, validate_graph
from ingest.validation_pool import default_jobs
from ingest.vocabulary import load_grounding_lexicon

# Seconds to reach the scheduler, and then for a first worker to join it.
CONNECT_SECONDS = 10
WORKER_WAIT_SECONDS = 120
# Times a task may lose its worker before it fails, in the cluster the build starts.
ALLOWED_FAILURES = 3
# Parts and units larger than this travel compressed.
COMPRESS_BYTES = 64 * 1024
# Seconds between two progress messages while documents are mapped.
PROGRESS_SECONDS = 5.0
_PACKAGE = Path(__file__).resolve().parents[1]
_T = TypeVar("_T")


# ------------------------------------------------------------------- what a worker must be


@functools.cache
def package_digest() -> str:
    """Return a SHA-256 of the files of this installation's `ingest` package.

    Code, lexicon and vocabulary tables all count; compiled files, the shipped review pages
    (read by the build process only) and hidden files do not.
    """
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*")):
        relative = path.relative_to(_PACKAGE)
        if not path.is_file() or relative.parts[0] == "sources":
            continue
        if "__pycache__" in relative.parts or any(p.startswith(".") for p in relative.parts):
            continue
        digest.update(relative.as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def identity() -> dict[str, str]:
    """Return what must be equal on every worker and in the build process for equal output."""
    return dict(_identity())


@functools.cache
def _identity() -> tuple[tuple[str, str], ...]:
    # Once per process: every task checks it, and looking versions up reads the disk.
    return (
        ("mkg", __version__),
        ("files", package_digest()),
        ("rdflib", metadata.version("rdflib")),
        ("pyshacl", metadata.version("pyshacl")),
    )


def mismatch(worker: str, theirs: dict[str, str], ours: dict[str, str]) -> str | None:
    """Say in one line how a worker's identity differs from the build's, or return None."""
    advice = "install the same mkg (and its dependencies) on every worker"
    if theirs.get("mkg") != ours["mkg"]:
        return (
            f"Dask worker {worker} runs mkg {theirs.get('mkg')}, this build mkg {ours['mkg']}: "
            f"{advice}"
        )
    if theirs.get("files") != ours["files"]:
        # Also when mkg changed on disk after the worker had loaded it: it runs the old code.
        return (
            f"Dask worker {worker} runs mkg {ours['mkg']} with other package files than this "
            f"build (digest {str(theirs.get('files'))[:12]}, here {ours['files'][:12]}): "
            f"{advice}, and restart workers that ran an earlier copy"
        )
    for package in ("rdflib", "pyshacl"):
        if theirs.get(package) != ours[package]:
            return (
                f"Dask worker {worker} has {package} {theirs.get(package)}, this build "
                f"{package} {ours[package]}: {advice}"
            )
    return None


def _check(expected: dict[str, str]) -> None:
    """Refuse to run a task on a worker that is not what the build process checked."""
    problem = mismatch(_worker_address(), identity(), expected)
    if problem is not None:
        raise BuildError(problem)


def _worker_address() -> str:
    from distributed import get_worker

    try:
        return str(get_worker().address)
    except ValueError:  # not in a worker (a task run in the build process)
        return "(this process)"


# ------------------------------------------------------------------------- worker state

_LOCK = threading.Lock()
_CACHE: dict[str, Any] = {}


def _cached(key: str, make: Callable[[], _T]) -> _T:
    """Return what `make` returns, made once per worker process."""
    with _LOCK:
        if key not in _CACHE:
            _CACHE[key] = make()
        return _CACHE[key]  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Shipped:
    """The inputs every document and validation shares, as N-Triples, sent once per worker."""

    digest: str
    shapes: bytes
    hierarchy: bytes
    entities: bytes


@dataclass(frozen=True)
class Inputs:
    """The shipped inputs as graphs, parsed once per worker."""

    shapes: Graph
    hierarchy: Graph
    entities: Graph


def ship(*, shapes: Graph, hierarchy: Graph, entities: Graph) -> Shipped:
    """Serialize the shared inputs for the workers."""
    data = [
        _pack(graph.serialize(format="nt", encoding="utf-8"))
        for graph in (shapes, hierarchy, entities)
    ]
    digest = hashlib.sha256(b"\0".join(data)).hexdigest()
    return Shipped(digest, *data)


def _inputs(shipped: Shipped) -> Inputs:
    """Return the shipped inputs as graphs; a worker keeps those of the latest build only."""
    with _LOCK:
        kept = _CACHE.get("inputs")
        if kept is None or kept[0] != shipped.digest:
            graphs = (
                _graph(data) for data in (shipped.shapes, shipped.hierarchy, shipped.entities)
            )
            kept = (shipped.digest, Inputs(*graphs))
            _CACHE["inputs"] = kept
        return kept[1]  # type: ignore[no-any-return]


def _pack(data: bytes) -> bytes:
    """Compress `data` if it is large; the first byte says which."""
    if len(data) > COMPRESS_BYTES:
        return b"z" + zlib.compress(data, 1)
    return b"-" + data


def _unpack(data: bytes) -> bytes:
    return zlib.decompress(data[1:]) if data[:1] == b"z" else data[1:]


def _graph(data: bytes) -> Graph:
    return Graph().parse(data=_unpack(data), format="nt")


# ---------------------------------------------------------------------------------- tasks


@dataclass(frozen=True)
class PartSink:
    """Where a task puts a document's part: back as data, or under an fsspec URL."""

    url: str | None = None

    def put(self, index: int, data: bytes) -> bytes | str:
        """Return the part as data to send back, or write it and return its URL."""
        if self.url is None:
            return _pack(data)
        url = f"{self.url}/{index:06d}.nq"
        try:
            with fsspec.open(url, "wb", auto_mkdir=True) as handle:
                handle.write(data)
        except OSError as error:
            raise BuildError(f"cannot write the part {url}: {error}") from error
        return url


@dataclass(frozen=True)
class DocumentOutcome:
    """What the second task of a document sends back."""

    index: int
    graph: URIRef
    part: bytes | str
    mentions: tuple[tuple[Node, Node, Node], ...]
    report: Report
    persons: dict[URIRef, str]
    map_seconds: float
    validate_seconds: float


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for one task, as the local validation workers do.

    A task makes and frees millions of objects, by reference counting; meanwhile the collector
    would scan the worker's heap over and over, for a fifth of the task's time. The few cycles
    a task leaves are collected after it.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def ground_task(page: Page, expected: dict[str, str]) -> GroundedPage:
    """Parse and ground a page on a worker."""
    _check(expected)
    finder = _cached("finder", lambda: grounding_finder(load_grounding_lexicon()))
    with _collector_paused():
        return _parse_and_ground(page, finder)


def document_task(
    index: int,
    item: Grounded,
    shipped: Shipped,
    persons: dict[URIRef, str],
    sink: PartSink,
    expected: dict[str, str],
) -> DocumentOutcome:
    """Map a document, put its part, validate it with the entities it names, on a worker."""
    _check(expected)
    inputs = _inputs(shipped)
    with _collector_paused():
        return _document(index, item, inputs, persons, sink)


def _document(
    index: int, item: Grounded, inputs: Inputs, persons: dict[URIRef, str], sink: PartSink
) -> DocumentOutcome:
    clock = time.perf_counter()
    mapped = map_document(
        item,
        journals=load_journals(),
        persons=persons,
        lexicon=load_grounding_lexicon(),
        entities=inputs.entities,
    )
    part = sink.put(index, mapped.part)
    mapped_seconds = time.perf_counter() - clock
    clock = time.perf_counter()
    unit = mapped.unit
    unit += inputs.hierarchy
    report = _validate(str(mapped.graph), unit, inputs.shapes)
    return DocumentOutcome(
        index,
        mapped.graph,
        part,
        mapped.mentions,
        report,
        persons,
        mapped_seconds,
        time.perf_counter() - clock,
    )


def _hold(value: _T) -> _T:
    return value


def _validate(name: str, unit: Graph, shapes: Graph) -> Report:
    try:
        return validate_graph(unit, shapes=shapes)
    except Exception as error:  # named as the validation pool names it
        raise ValidationError(f"validating {name}: {type(error).__name__}: {error}") from None


# ------------------------------------------------------------------------- the executor


class DaskExecutor:
    """Run a build's tasks on a Dask cluster: a local one it starts, or an existing one."""

    name = "dask"

    def __init__(
        self,
        options: ExecutorOptions,
        *,
        timings: dict[str, float],
        progress: Callable[[str], None] = lambda message: None,
    ) -> None:
        self.timings = timings
        self.progress = progress
        self._cluster: LocalCluster | None = None
        # Tasks not yet collected: cancelled when the build stops early.
        self._outstanding: set[Future] = set()
        # The units that need every document (examples, knowledge), validated here at the end.
        self._units: dict[str, Graph] = {}
        self._shapes = Graph()
        self._hierarchy = Graph()
        self._reports: dict[str, Report] = {}
        self._shipped: Future | None = None
        self._run = f"mkg-{uuid.uuid4().hex[:12]}"
        self._parts_url = options.parts_url.rstrip("/") if options.parts_url else None
        self._sink = PartSink(f"{self._parts_url}/{self._run}" if self._parts_url else None)
        self._identity = identity()
        self.address = options.scheduler or "a local cluster"
        self.client: Client | None = None
        try:
            self.client = self._connect(options)
            self.workers = self._check_workers(self.client)
        except BaseException:
            self.close()
            raise

    # -- setting up

    def _connect(self, options: ExecutorOptions) -> Client:
        if options.scheduler is None:
            jobs = options.jobs or default_jobs()
            self.progress(f"start a Dask cluster of {jobs} worker(s) on 127.0.0.1")
            # The workers' statistical profiler (for the dashboard, which is off) samples the
            # stack of the running task every 10 ms; the build has no use for it.
            config = {
                "distributed.scheduler.allowed-failures": ALLOWED_FAILURES,
                "distributed.worker.profile.enabled": False,
            }
            with dask.config.set(config):
                self._cluster = LocalCluster(
                    n_workers=jobs,
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",
                    scheduler_port=0,
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
            self.address = str(self._cluster.scheduler_address)
            return Client(self._cluster, set_as_default=False)
        self.address = options.scheduler
        self.progress(f"connect to the Dask scheduler at {self.address}")
        where: dict[str, str] = {"address": self.address}
        if "://" not in self.address and os.path.isfile(self.address):
            where = {"scheduler_file": self.address}
        try:
            return Client(**where, timeout=CONNECT_SECONDS, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as error:
            raise BuildError(
                f"cannot reach the Dask scheduler at {self.address}: {_one_line(error)}"
            ) from None

    def _check_workers(self, client: Client) -> int:
        try:
            client.wait_for_workers(1, timeout=WORKER_WAIT_SECONDS)
        except TimeoutError:
            raise BuildError(
                f"no Dask worker joined the scheduler at {self.address} "
                f"within {WORKER_WAIT_SECONDS} s"
            ) from None
        try:
            found = client.run(identity)
        except Exception as error:  # a worker that cannot import mkg, say
            raise BuildError(
                f"a Dask worker of {self.address} cannot run mkg {__version__} "
                f"({type(error).__name__}: {_one_line(error)}); install it on every worker"
            ) from None
        for worker, theirs in sorted(found.items()):
            problem = mismatch(worker, theirs, self._identity)
            if problem is not None:
                raise BuildError(problem)
        return len(found)

    def describe(self) -> dict[str, object]:
        """Name the executor and the workers it found at the start."""
        return {"name": self.name, "workers": self.workers}

    # -- the phases

    def ground(self, pages: Sequence[Page]) -> Iterator[Grounded]:
        """Parse and ground each page as a task; yield the results in page order."""
        futures = [
            self._submit(ground_task, page, self._identity, key=f"{self._run}-ground-{i}")
            for i, page in enumerate(pages)
        ]
        for page, future in zip(pages, futures, strict=True):
            done: GroundedPage = self._result(future, f"parsing {page.name}")
            self.timings["parse"] += done.parse_seconds
            self.timings["ground"] += done.ground_seconds
            yield done.item

    def begin(self, *, shapes: Graph, hierarchy: Graph, entities: Graph) -> None:
        """Send the shared inputs to every worker once."""
        clock = time.perf_counter()
        self._shapes, self._hierarchy = shapes, hierarchy
        shipped = ship(shapes=shapes, hierarchy=hierarchy, entities=entities)
        # A task that returns the inputs, not scattered data: should every worker holding them
        # be lost, the scheduler makes them again from the task. Each worker fetches them once,
        # for its first document.
        self._shipped = self._submit(_hold, shipped, key=f"{self._run}-inputs")
        self.timings["map"] += time.perf_counter() - clock

    def validate(self, name: str, unit: Graph) -> None:
        """Keep `unit` to validate in this process once the documents are done.

        These units need every document, so nothing else runs while they are validated: here
        they cost no more than on a worker, and are neither serialized nor parsed again.
        """
        self._started()
        self._units[name] = unit

    def documents(self, items: Sequence[Grounded], directory: Path) -> list[DocumentPart]:
        """Map, write and validate the documents as tasks; reconcile their person names."""
        shipped = self._started()
        outcomes = self._map(list(enumerate(items)), [{} for _ in items], directory, shipped)
        seen = [outcome.persons for outcome in outcomes]
        merged = merge(seen)
        again = conflicts(seen, merged)
        if again:
            self.progress(
                f"map {len(again)} document(s) again with the person names printed before them"
            )
            given = [earlier_names(seen[i], merged) for i in again]
            # The task fills the dict it is given: keep a copy to compare with.
            names = [dict(entries) for entries in given]
            redone = self._map([(i, items[i]) for i in again], names, directory, shipped)
            for outcome, entries in zip(redone, given, strict=True):
                # Names are only ever added: the ones given must have been kept as they were.
                if any(outcome.persons.get(key) != value for key, value in entries.items()):
                    raise BuildError(
                        f"{outcome.graph}: mapped again, its person names still differ from "
                        "those of the documents before it"
                    )
                outcomes[outcome.index] = outcome
        for outcome in outcomes:
            self._reports[str(outcome.graph)] = outcome.report
        return [
            DocumentPart(outcome.graph, _part_path(directory, outcome.index), outcome.mentions)
            for outcome in outcomes
        ]

    def _map(
        self,
        work: Sequence[tuple[int, Grounded]],
        persons: Sequence[dict[URIRef, str]],
        directory: Path,
        shipped: Future,
    ) -> list[DocumentOutcome]:
        """Run the document tasks; write each part into `directory` as it comes back."""
        client = self._running()
        futures: dict[Future, int] = {}
        for position, ((index, item), names) in enumerate(zip(work, persons, strict=True)):
            key = f"{self._run}-document-{index}-{uuid.uuid4().hex[:8]}"
            arguments = (index, item, shipped, names, self._sink, self._identity)
            futures[self._submit(document_task, *arguments, key=key)] = position
        outcomes: list[DocumentOutcome | None] = [None] * len(work)
        reported = time.monotonic()
        for count, future in enumerate(as_completed(futures, loop=client.loop), start=1):
            position = futures.pop(future)
            index, item = work[position]
            outcome: DocumentOutcome = self._result(future, f"mapping {item.review.source}")
            self._receive(outcome.part, _part_path(directory, index))
            self.timings["map"] += outcome.map_seconds
            self.timings["validate"] += outcome.validate_seconds
            outcomes[position] = outcome
            if time.monotonic() - reported >= PROGRESS_SECONDS:
                self.progress(f"map and validate: {count}/{len(work)} documents")
                reported = time.monotonic()
        return [outcome for outcome in outcomes if outcome is not None]

    def _receive(self, part: bytes | str, path: Path) -> None:
        if isinstance(part, bytes):
            path.write_bytes(_unpack(part))
            return
        try:
            with fsspec.open(part, "rb") as source, path.open("wb") as target:
                shutil.copyfileobj(source, target, 1 << 20)
        except OSError as error:
            raise BuildError(f"cannot read the part {part} a worker wrote: {error}") from error

    def reports(self) -> dict[str, Report]:
        """Validate the units kept by `validate`; return every report, documents in page order."""
        clock = time.perf_counter()
        reports = dict(self._reports)
        for name, unit in self._units.items():
            unit += self._hierarchy
            with _collector_paused():
                reports[name] = _validate(name, unit, self._shapes)
        self._units.clear()
        self.timings["validate"] += time.perf_counter() - clock
        return reports

    # -- running and stopping

    def _running(self) -> Client:
        if self.client is None:
            raise RuntimeError("the executor is closed")
        return self.client

    def _submit(self, function: Callable[..., Any], *arguments: Any, key: str) -> Future:
        future = self._running().submit(function, *arguments, key=key, pure=False, retries=0)
        self._outstanding.add(future)
        return future

    def _result(self, future: Future, what: str) -> Any:
        """Return a task's result; raise its error, or say in one line why it has none.

        The future is let go once collected, so that the worker frees the result.
        """
        try:
            result = future.result()
            self._outstanding.discard(future)
            future.release()
            return result
        except KilledWorker:
            raise BuildError(
                f"{what}: the Dask worker that ran it died, and so did those it was retried on "
                "(the scheduler's allowed-failures); see the workers' logs; nothing installed"
            ) from None
        except CancelledError:
            raise BuildError(
                f"{what}: the Dask scheduler at {self.address} dropped the task (did it stop?); "
                "nothing installed"
            ) from None

    def _started(self) -> Future:
        if self._shipped is None:
            raise RuntimeError("begin() comes before validations and documents")
        return self._shipped

    def close(self) -> None:
        """Cancel what still runs, remove the build's parts under the URL, let the cluster go."""
        client, self.client = self.client, None
        if client is not None:
            if self._outstanding:
                try:
                    client.cancel(list(self._outstanding))
                except Exception:  # the scheduler may be gone already
                    pass
            self._outstanding.clear()
            self._units.clear()
            self._shipped = None
            client.close()
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None
        if self._sink.url is not None:
            try:
                fs, path = fsspec.core.url_to_fs(self._sink.url)
                fs.rm(path, recursive=True)
            except (OSError, ValueError):  # nothing was written, or it is gone already
                pass


def _part_path(directory: Path, index: int) -> Path:
    return directory / f"{index:06d}.nq"


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__
