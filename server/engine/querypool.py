"""Run SPARQL queries in separate processes that can be killed at the time limit.

pyoxigraph cannot cancel a running query, so each query slot is a process holding its own
read-only handle on the store. A query that outlives its time limit is stopped by killing its
process; a fresh one replaces it while the other slots keep serving. Results are written by
the query process and spooled by the caller (in memory, on disk past a few MiB), so the HTTP
status, the row-limit flag and any error are known before the first byte is sent.
"""

import os
import queue
import resource
import threading
import time
from multiprocessing import get_context
from multiprocessing.connection import Connection
from tempfile import SpooledTemporaryFile
from typing import IO, Any

import pyoxigraph

from server import syntaxhelp
from server.engine import results
from server.engine.base import (
    Job,
    Outcome,
    PoolBusy,
    QueryError,
    QueryFailed,
    QuerySyntaxError,
    QueryTimeout,
    RemoteFailure,
    WorkerLost,
)
from server.sandbox import deny_network

_SPOOL_IN_MEMORY = 4 * 1024 * 1024
_CHUNK = 256 * 1024
# An answer the engine serializes may take this much memory; a larger one, or one larger than
# the row limit at this many bytes a row, is written again row by row up to the limit.
_NATIVE_MAX_BYTES = 64 * 1024 * 1024
_NATIVE_BYTES_PER_ROW = 2048
_READY_TIMEOUT = 60.0


# The query process.


class _PipeWriter:
    """A binary file object that sends what is written over a pipe in large chunks."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._buffer = bytearray()

    def write(self, data: bytes) -> int:
        self._buffer += data
        if len(self._buffer) >= _CHUNK:
            self.flush()
        return len(data)

    def flush(self) -> None:
        if self._buffer:
            self._conn.send(("data", bytes(self._buffer)))
            self._buffer.clear()

    def rest(self) -> bytes:
        """Return what is still buffered (sent with the final message: one wake-up less)."""
        data = bytes(self._buffer)
        self._buffer.clear()
        return data


def serve_queries(conn: Connection, store_dir: str, memory_mb: int, network: bool = False) -> None:
    """Answer jobs from `conn` against the read-only store at `store_dir` until the pipe closes.

    Without `network` the process gives up the network before it opens the store, so no query it
    runs can call another endpoint; its ready message says whether that succeeded.
    """
    sealed = False if network else deny_network()
    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    _watch_parent(os.getppid())
    try:
        store = pyoxigraph.Store.read_only(store_dir)
    except OSError as error:
        conn.send(("error", "startup", f"cannot open the store: {error}"))
        return
    conn.send(("ready", sealed))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        _answer(store, job, conn)


def _watch_parent(parent: int) -> None:
    """Exit when the serving process is gone, even in the middle of a long query."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, name="mkg-parent-watch", daemon=True).start()


def _answer(store: pyoxigraph.Store, job: Job, conn: Connection) -> None:
    out = _PipeWriter(conn)
    try:
        kind, rows, truncated = answer(store, job, out)
    except QueryError as error:
        kinds = {QuerySyntaxError: "syntax", RemoteFailure: "remote"}
        conn.send(("error", kinds.get(type(error), "failed"), str(error), error.fields))
    else:
        conn.send(("done", kind, rows, truncated, out.rest()))


def answer(store: pyoxigraph.Store, job: Job, out: Any) -> tuple[str, int, bool]:
    """Run `job` on `store` and write its answer to `out`; return (kind, rows, truncated).

    Raise QuerySyntaxError, RemoteFailure (a SERVICE call failed) or QueryFailed.
    """

    def run() -> object:
        return store.query(
            job.query,
            base_iri=job.base_iri,
            use_default_graph_as_union=job.union,
            default_graph=_graphs(job.default_graph),
            named_graphs=_graphs(job.named_graphs),
        )

    try:
        result = run()
        written = _write_natively(result, job, out)
        if written is None:
            if isinstance(result, pyoxigraph.QuerySolutions):
                result = run()  # the first run was consumed past the row limit
            written = _write(result, job, out)
    except SyntaxError as error:
        raise QuerySyntaxError(str(error)) from None
    # The engine reports a failed SERVICE call (refused, HTTP error, unreadable answer) as an
    # OSError or a RuntimeError that need not name the endpoint.
    except (OSError, RuntimeError) as error:
        remote = syntaxhelp.remote_failure(job.query, error, base=job.base_iri)
        if remote is None:
            raise QueryFailed(f"{type(error).__name__}: {error}") from None
        raise RemoteFailure(remote.message, endpoints=list(remote.endpoints)) from None
    # The process boundary is an edge: whatever the engine raises is reported, not lost.
    except Exception as error:  # noqa: BLE001
        raise QueryFailed(f"{type(error).__name__}: {error}") from None
    return written


def _write_natively(result: object, job: Job, out: Any) -> tuple[str, int, bool] | None:
    """Write SELECT solutions as the engine serializes them, if they fit the row limit."""
    if not isinstance(result, pyoxigraph.QuerySolutions):
        return None
    fmt = "json" if job.fmt == "html" else job.fmt
    limit = min(_NATIVE_MAX_BYTES, job.max_rows * _NATIVE_BYTES_PER_ROW + _CHUNK)
    answer = results.serialize_solutions(result, fmt=fmt, max_rows=job.max_rows, max_bytes=limit)
    if answer is None:
        return None
    data, rows = answer
    out.write(data)
    return "solutions", rows, False


def _graphs(iris: tuple[str, ...] | None) -> list[Any] | None:
    return None if iris is None else [pyoxigraph.NamedNode(iri) for iri in iris]


def _write(result: object, job: Job, out: Any) -> tuple[str, int, bool]:
    stream: Any = out
    if isinstance(result, pyoxigraph.QueryBoolean):
        results.write_boolean(result, stream, fmt="json" if job.fmt == "html" else job.fmt)
        return "boolean", 1, False
    if isinstance(result, pyoxigraph.QuerySolutions):
        fmt = "json" if job.fmt == "html" else job.fmt
        rows, truncated = results.write_solutions(result, stream, fmt=fmt, max_rows=job.max_rows)
        return "solutions", rows, truncated
    assert isinstance(result, pyoxigraph.QueryTriples)
    if job.fmt == "html":
        rows, truncated = results.write_triples_as_solutions(result, stream, max_rows=job.max_rows)
    else:
        rows, truncated = results.write_triples(
            result, stream, fmt=job.fmt, max_rows=job.max_rows, prefixes=dict(job.prefixes)
        )
    return "graph", rows, truncated


# The serving side.


class _Slot:
    """One query process and the pipe to it."""

    def __init__(self, store_dir: str, memory_mb: int, network: bool) -> None:
        context = get_context("spawn")
        self.conn, child = context.Pipe()
        self.process = context.Process(
            target=serve_queries,
            args=(child, store_dir, memory_mb, network),
            name="mkg-query",
            daemon=True,
        )
        self.process.start()
        child.close()
        self.ready = False
        self.sealed = False

    def wait_ready(self, deadline: float) -> None:
        if self.ready:
            return
        if not self.conn.poll(max(0.0, deadline - time.monotonic())):
            raise QueryTimeout("the query process did not start in time")
        message = self.conn.recv()
        if message[0] != "ready":
            raise WorkerLost(message[2])
        self.ready = True
        self.sealed = bool(message[1])

    def stop(self) -> None:
        """Kill the process (a no-op when it already exited) and reap it."""
        self.conn.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)


class QueryPool:
    """A fixed number of query processes over one read-only store."""

    def __init__(
        self, store_dir: str, *, size: int, memory_mb: int = 0, network: bool = False
    ) -> None:
        self.store_dir = store_dir
        self.size = size
        self.memory_mb = memory_mb
        self.network = network
        self.pid = os.getpid()
        self._idle: queue.Queue[_Slot] = queue.Queue()
        self._lock = threading.Lock()
        self._slots: set[_Slot] = set()
        self.replaced = 0
        for _ in range(size):
            self._idle.put(self._start())

    def _start(self) -> _Slot:
        slot = _Slot(self.store_dir, self.memory_mb, self.network)
        with self._lock:
            self._slots.add(slot)
        return slot

    def _retire(self, slot: _Slot) -> None:
        slot.stop()
        with self._lock:
            self._slots.discard(slot)
            self.replaced += 1
        self._idle.put(self._start())

    @property
    def sealed(self) -> bool:
        """Return whether every query process has started without network (none can call out)."""
        with self._lock:
            slots = list(self._slots)
        return bool(slots) and all(slot.ready and slot.sealed for slot in slots)

    def run(self, job: Job, *, timeout: float) -> Outcome:
        """Run `job` in a free slot; stop it and raise QueryTimeout after `timeout` seconds."""
        started = time.monotonic()
        deadline = started + timeout
        try:
            slot = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise PoolBusy(
                f"every query slot was busy for {timeout:g} s; try again later"
            ) from None
        spool: IO[bytes] = SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY)  # noqa: SIM115
        healthy = False
        try:
            slot.wait_ready(deadline)
            slot.conn.send(job)
            final = self._receive(slot, spool, deadline, timeout)
            healthy = True
        except QueryError:
            spool.close()
            raise
        except (EOFError, OSError):
            spool.close()
            raise WorkerLost(self._lost()) from None
        finally:
            if healthy:
                self._idle.put(slot)
            else:
                self._retire(slot)
        if final[0] == "error":
            spool.close()
            kinds = {"syntax": QuerySyntaxError, "remote": RemoteFailure}
            fields = final[3] if len(final) > 3 else {}
            raise kinds.get(final[1], QueryFailed)(final[2], **fields)
        spool.seek(0)
        return Outcome(final[1], spool, final[2], final[3], time.monotonic() - started)

    def _lost(self) -> str:
        """Say why a query process that died while answering most likely did."""
        if self.memory_mb > 0:
            return (
                "the query process stopped while answering, most likely because the query "
                f"needed more than its memory limit of {self.memory_mb} MiB; make it more "
                "selective or add a LIMIT"
            )
        return "the query process stopped unexpectedly (it may have run out of memory)"

    def _receive(
        self, slot: _Slot, spool: IO[bytes], deadline: float, timeout: float
    ) -> tuple[Any, ...]:
        """Spool data messages; return the final 'done' or 'error' message."""
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not slot.conn.poll(remaining):
                raise QueryTimeout(
                    f"the query was stopped after {timeout:g} s, the time limit of this "
                    "endpoint; make it more selective or add a LIMIT"
                )
            message = slot.conn.recv()
            if message[0] == "done":
                spool.write(message[4])
                return tuple(message[:4])
            if message[0] != "data":
                return tuple(message)
            spool.write(message[1])

    def wait_ready(self, timeout: float) -> None:
        """Wait until every idle query process has opened the store (call before serving)."""
        deadline = time.monotonic() + timeout
        slots: list[_Slot] = []
        try:
            while len(slots) < self.size:
                slots.append(self._idle.get(timeout=max(0.0, deadline - time.monotonic())))
                slots[-1].wait_ready(deadline)
        finally:
            for slot in slots:
                self._idle.put(slot)

    def close(self) -> None:
        """Stop every query process of this pool."""
        with self._lock:
            slots = list(self._slots)
            self._slots.clear()
        for slot in slots:
            slot.stop()
