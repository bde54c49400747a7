"""Run the app under gunicorn: worker processes, each an asyncio server with request threads.

Gunicorn is the process manager (its master restarts workers, SIGHUP reloads them, SIGTERM stops
them gracefully). Each worker is uvicorn's asyncio server: it reads requests and writes answers
without threads, and hands a request whose body has arrived to the Flask app in one of its
`threads` request threads (server/asgi.py), each of which has its own query process.
"""

import asyncio
import os
import resource
import signal
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import h11
from flask import Flask
from gunicorn.app.base import BaseApplication
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn_worker import UvicornWorker

from server import create_app
from server.asgi import WsgiToAsgi

_READY_TIMEOUT = 120.0
# Connections one worker holds at once; past them a new request is answered 503 at once.
_CONNECTIONS = 1000
# Most bytes of a request's line and headers (a GET query is in its request line).
_MAX_HEAD = 64 * 1024
_KEEP_ALIVE = 5

MIB = 1024 * 1024
# Query processes share this part of the machine's memory by default; the rest is left for the
# worker processes, their caches and buffers, the master and the operating system's file cache.
QUERY_MEMORY_SHARE = 0.6
# A query process needs about 530 MiB of address space at rest (the interpreter, the engine,
# RocksDB's tables and its threads' stacks; RLIMIT_AS counts all of it, resident or not): with
# less than this it has too little left to answer a query.
QUERY_MEMORY_FLOOR_MB = 768
_CGROUP_LIMITS = (
    Path("/sys/fs/cgroup/memory.max"),  # cgroup v2
    Path("/sys/fs/cgroup/memory/memory.limit_in_bytes"),  # cgroup v1
)


class MemoryTooSmall(ValueError):
    """The query processes would get less memory each than one needs."""


@dataclass(frozen=True)
class QueryMemory:
    """The address-space limit of each query process (0: none) and how it was chosen."""

    per_process_mb: int
    processes: int
    source: str

    @property
    def total_mb(self) -> int:
        """Return the limit of all query processes together, in MiB."""
        return self.per_process_mb * self.processes

    def describe(self) -> str:
        """Return the one-line start-up report of the limit."""
        if self.per_process_mb == 0:
            return f"query memory: no limit for {self.processes} query processes ({self.source})"
        return (
            f"query memory: {self.per_process_mb} MiB for each of {self.processes} query "
            f"processes, {self.total_mb} MiB in all ({self.source})"
        )


def machine_memory(cgroup_limits: Sequence[Path] = _CGROUP_LIMITS) -> tuple[int, str]:
    """Return the bytes of memory this machine (or its cgroup, when lower) has, and which."""
    memory = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    source = "physical memory"
    for path in cgroup_limits:
        try:
            text = path.read_text(encoding="ascii").strip()
        except OSError:
            continue
        # "max" (v2) or a huge number (v1) means no limit.
        if text.isdigit() and int(text) < memory:
            memory, source = int(text), "the cgroup's memory limit"
        break
    return memory, source


def plan_query_memory(
    *, processes: int, requested_mb: int | None, memory: int, source: str = "physical memory"
) -> QueryMemory:
    """Return the memory limit of each of `processes` query processes.

    An explicit `requested_mb` is used as given (0: no limit). Without it, the processes share
    QUERY_MEMORY_SHARE of `memory` bytes. Either way, raise MemoryTooSmall when a process would
    get less than QUERY_MEMORY_FLOOR_MB.
    """
    floor = QUERY_MEMORY_FLOOR_MB
    if requested_mb is not None:
        if 0 < requested_mb < floor:
            raise MemoryTooSmall(
                f"--query-memory {requested_mb} is less than the {floor} MiB a query process "
                "needs; give it more, or 0 for no limit"
            )
        return QueryMemory(requested_mb, processes, "set by --query-memory")
    memory_mb = memory // MIB
    share = int(memory_mb * QUERY_MEMORY_SHARE)
    each = share // processes
    if each < floor:
        raise MemoryTooSmall(
            f"{processes} query processes (workers x threads) would get {each} MiB each, "
            f"{QUERY_MEMORY_SHARE:.0%} of {memory_mb} MiB of {source}, less than the {floor} "
            "MiB one needs; use fewer --workers or --threads, or set --query-memory"
        )
    return QueryMemory(each, processes, f"{QUERY_MEMORY_SHARE:.0%} of {memory_mb} MiB of {source}")


class _TimedH11Protocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol, closing connections that take too long to send headers.

    uvicorn times out idle keep-alive connections but not one that sends a request's headers a
    byte at a time: without this, such connections would stay until the client gives up.
    """

    request_timeout = 30.0
    _header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._start_header_timer()

    def handle_events(self) -> None:
        cycle = self.cycle
        super().handle_events()
        if self.cycle is not cycle:  # a request's headers have all arrived
            self._stop_header_timer()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._start_header_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_header_timer()
        super().connection_lost(exc)

    def _start_header_timer(self) -> None:
        self._stop_header_timer()
        self._header_timer = self.loop.call_later(self.request_timeout, self._headers_too_slow)

    def _stop_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        idle = self.cycle is None or self.cycle.response_complete
        if idle and not self.transport.is_closing():
            if self.conn.our_state in (h11.IDLE, h11.DONE):
                self.conn.send(h11.ConnectionClosed())
            self.transport.close()


class Worker(UvicornWorker):  # type: ignore[misc]
    """A gunicorn worker running uvicorn's asyncio server with mkg's settings."""

    def __init__(
        self, age: int, ppid: int, sockets: list[Any], app: Any, timeout: float, cfg: Any, log: Any
    ) -> None:
        protocol = type(
            "TimedH11Protocol",
            (_TimedH11Protocol,),
            {"request_timeout": float(app.app_config["REQUEST_TIMEOUT"])},
        )
        self.CONFIG_KWARGS = {
            "loop": "asyncio",
            # h11 bounds the bytes of an unfinished request head (httptools does not).
            "http": protocol,
            "h11_max_incomplete_event_size": _MAX_HEAD,
            "ws": "none",
            "date_header": False,  # server/asgi.py sends the app's, or adds one
            "lifespan": "off",
            "interface": "asgi3",
            "limit_concurrency": cfg.worker_connections,
            # Requests still running are cancelled just before gunicorn's master kills the
            # worker, so that the worker still exits through its worker_exit hook.
            "timeout_graceful_shutdown": max(1, int(cfg.graceful_timeout) - 3),
        }
        super().__init__(age, ppid, sockets, app, timeout, cfg, log)

    def init_signals(self) -> None:
        """Make SIGTERM and SIGINT unwind the worker through the worker_exit hook."""
        super().init_signals()
        # uvicorn's worker leaves them at SIG_DFL, which would end the worker there and then
        # (while it starts its query processes, or once uvicorn has stopped gracefully and
        # raises the signal again) without stopping its query processes.
        for number in (signal.SIGTERM, signal.SIGINT):
            signal.signal(number, _exit_worker)

    def init_process(self) -> None:
        """Allow a file descriptor for each connection the worker may hold, then serve."""
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        wanted = self.cfg.worker_connections + 256
        if soft != resource.RLIM_INFINITY and soft < wanted:
            raised = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
            resource.setrlimit(resource.RLIMIT_NOFILE, (raised, hard))
        super().init_process()


def _exit_worker(number: int, frame: object) -> None:
    sys.exit(0)


class _Server(BaseApplication):  # type: ignore[misc]
    """A gunicorn application that builds the Flask app in each worker (after the fork)."""

    def __init__(self, app_config: Mapping[str, Any], options: Mapping[str, Any]) -> None:
        self.app_config = dict(app_config)
        self.options = dict(options)
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            # Settings newer than the installed gunicorn (the control socket) are skipped.
            if key in self.cfg.settings:
                self.cfg.set(key, value)

    def load(self) -> WsgiToAsgi:
        return WsgiToAsgi(
            create_app(self.app_config),
            threads=int(self.cfg.threads),
            body_timeout=float(self.app_config["REQUEST_TIMEOUT"]),
        )


def _flask(worker: Any) -> Flask | None:
    app = getattr(worker, "wsgi", None)
    return app.app if isinstance(app, WsgiToAsgi) else None


def _post_worker_init(worker: Any) -> None:
    """Get the worker's engine ready (its query processes started) before its first request."""
    app = _flask(worker)
    assert app is not None, "the worker has no app"
    app.extensions["mkg"].start(timeout=_READY_TIMEOUT)


def _worker_exit(server: Any, worker: Any) -> None:
    """Stop the worker's request threads and query processes with it."""
    app = _flask(worker)
    if app is not None:
        worker.wsgi.close()
        app.extensions["mkg"].close()


def serve(
    app_config: Mapping[str, Any],
    *,
    host: str,
    port: int,
    workers: int,
    threads: int,
    access_log: bool,
) -> None:
    """Serve until SIGTERM or SIGINT (gunicorn stops gracefully on SIGTERM)."""
    query_timeout = float(app_config["QUERY_TIMEOUT"])
    options = {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": workers,
        "worker_class": Worker,
        "threads": threads,
        "worker_connections": _CONNECTIONS,
        # Gunicorn's own watchdog only fires if a worker stops responding altogether; the query
        # time limit is enforced by the query processes, well before this.
        "timeout": int(query_timeout) + 30,
        "graceful_timeout": int(query_timeout) + 5,
        "keepalive": _KEEP_ALIVE,
        "accesslog": "-" if access_log else None,
        "errorlog": "-",
        "loglevel": "info",
        "proc_name": "mkg-serve",
        "control_socket_disable": True,
        "post_worker_init": _post_worker_init,
        "worker_exit": _worker_exit,
    }
    _Server(app_config, options).run()
