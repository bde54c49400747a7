"""HTTP caching for a read-only dataset: strong ETags, 304 Not Modified, a cache of recent results.

A server answers from one dataset that never changes while it runs, so the bytes of an answer
are fixed by the dataset and the request: the query text, the protocol dataset, the base IRI,
the negotiated format and the row limit. That request key gives

- a strong ETag on GET and HEAD answers, so a client that sends it back in If-None-Match gets
  `304 Not Modified` without the query being run, plus `Cache-Control` and `Vary: Accept`;
- a bounded in-process cache of recent answers (least recently used first out, bounded by the
  bytes it holds), so a repeated query, by GET or POST, is answered without the engine.

Only answers that the request key determines are cached: a query calling a clock or a random
function (NOW, RAND, UUID, STRUUID, BNODE), a CONSTRUCT whose template mints blank nodes, or a
query with SERVICE (another endpoint's data) gets neither an ETag nor a cache entry. Errors and
time-outs are never cached, and an answer that fails is only shared with identical requests
waiting for it at that moment. An answer cut at the row limit is cached and its ETag issued with
its flags (`MKG-Truncated`, `X-SPARQL-MaxRows`) kept exactly: the row limit is part of the key,
so the same request always gets the same cut.

Each worker process has its own cache; `GET /sparql/cache` reports this process's counters.
"""

import hashlib
import io
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from typing import Any

from flask import Blueprint, Flask, Response, current_app, jsonify, request
from werkzeug.datastructures import ETags

from server.engine import Job, Outcome, QueryError, engine
from server.sparqltext import QueryInfo, QueryTextError, inspect_query, tokenize

# One answer may take at most this share of the cache, so a single huge result cannot flush it.
_LARGEST_SHARE = 4
# Bookkeeping per entry beyond its body and key (the entry object, the dict slot).
_ENTRY_OVERHEAD = 256
# Texts up to this size have their reading remembered (repeated queries are usually short).
_MEMO_TEXT = 16 * 1024
_NONDETERMINISTIC = frozenset({"RAND", "NOW", "UUID", "STRUUID", "BNODE"})
# WSGI environ keys: the request's answer is a cache entry; its response may be sent again.
_ENTRY_KEY = "mkg.cache.entry"
_REPEATABLE = "mkg.cache.repeatable"
# The fast path remembers this many requests, each with a query string up to this size.
_FAST_REQUESTS = 1024
_FAST_QUERY_STRING = 8 * 1024
# Request headers that make a GET conditional or partial: such requests take the full path.
_CONDITIONAL = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_UNMODIFIED_SINCE",
    "HTTP_IF_RANGE",
    "HTTP_RANGE",
)
# What the answer to a GET /sparql depends on besides the query string (the base IRI included).
_REQUEST_PARTS = (
    "SCRIPT_NAME",
    "HTTP_ACCEPT",
    "HTTP_HOST",
    "SERVER_NAME",
    "SERVER_PORT",
    "wsgi.url_scheme",
)

bp = Blueprint("cache", __name__)


@dataclass(frozen=True)
class Entry:
    """A finished answer as it was sent: its bytes and the facts its headers report."""

    body: bytes
    kind: str
    rows: int
    truncated: bool

    @property
    def size(self) -> int:
        """Return the bytes this entry is charged for."""
        return len(self.body) + _ENTRY_OVERHEAD

    def outcome(self, seconds: float = 0.0) -> Outcome:
        """Return the entry as a query outcome with its own readable body."""
        return Outcome(self.kind, io.BytesIO(self.body), self.rows, self.truncated, seconds)


@dataclass
class _Flight:
    """An answer being computed for one key, which identical requests wait for."""

    done: threading.Event = field(default_factory=threading.Event)
    entry: Entry | None = None
    error: QueryError | None = None


@dataclass
class Stats:
    """What the cache of one process did since it started."""

    hits: int = 0
    misses: int = 0
    shared: int = 0
    stores: int = 0
    evictions: int = 0
    too_large: int = 0
    uncacheable: int = 0


class ResultCache:
    """A thread-safe LRU map from request keys to answers, bounded by the bytes it holds."""

    def __init__(self, max_bytes: int, *, largest: int | None = None) -> None:
        self.max_bytes = max(0, int(max_bytes))
        self.largest = self.max_bytes // _LARGEST_SHARE if largest is None else largest
        self.stats = Stats()
        self._entries: OrderedDict[str, Entry] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self._flights: dict[str, _Flight] = {}

    @property
    def bytes(self) -> int:
        """Return the bytes held now (bodies, keys and bookkeeping)."""
        return self._bytes

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        with self._lock:
            return key in self._entries

    def get(self, key: str) -> Entry | None:
        """Return the entry for `key` and mark it recently used, or None."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
                self.stats.hits += 1
            return entry

    def put(self, key: str, entry: Entry) -> bool:
        """Store `entry` unless it is too large; evict the least recently used to make room."""
        charge = entry.size + len(key)
        with self._lock:
            if charge > self.largest or charge > self.max_bytes:
                self.stats.too_large += 1
                return False
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= old.size + len(key)
            while self._entries and self._bytes + charge > self.max_bytes:
                evicted_key, evicted = self._entries.popitem(last=False)
                self._bytes -= evicted.size + len(evicted_key)
                self.stats.evictions += 1
            self._entries[key] = entry
            self._bytes += charge
            self.stats.stores += 1
            return True

    def fetch(self, key: str, run: Callable[[], Outcome], *, wait: float) -> Outcome:
        """Return the answer for `key`: from the cache, or run once for all who ask at once.

        Requests for a key whose answer is being computed wait for it (up to `wait` seconds)
        and share it, or share its error; an answer too large to keep is computed again for
        each of them. The returned outcome's body is the caller's to close.
        """
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
                self.stats.hits += 1
                return entry.outcome()
            flight = self._flights.get(key)
            leader = flight is None
            if flight is None:
                flight = self._flights[key] = _Flight()
        if not leader:
            return self._follow(flight, run, wait)
        try:
            outcome = self._run(run)
            entry = flight.entry = self._keep(key, outcome)
        except QueryError as error:
            flight.error = error
            raise
        finally:
            with self._lock:
                self._flights.pop(key, None)
            flight.done.set()
        if entry is None:
            return outcome
        return entry.outcome(outcome.seconds)

    def _follow(self, flight: "_Flight", run: Callable[[], Outcome], wait: float) -> Outcome:
        if flight.done.wait(wait):
            if flight.entry is not None:
                with self._lock:
                    self.stats.shared += 1
                return flight.entry.outcome()
            if flight.error is not None:
                with self._lock:
                    self.stats.shared += 1
                raise _copy(flight.error)
        return self._run(run)

    def _run(self, run: Callable[[], Outcome]) -> Outcome:
        with self._lock:
            self.stats.misses += 1
        return run()

    def _keep(self, key: str, outcome: Outcome) -> "Entry | None":
        """Store the outcome if it fits; return its entry (the outcome is then closed)."""
        size = outcome.body.seek(0, 2)
        outcome.body.seek(0)
        if size + _ENTRY_OVERHEAD + len(key) > min(self.largest, self.max_bytes):
            with self._lock:
                self.stats.too_large += 1
            return None
        try:
            body = outcome.body.read()
        finally:
            outcome.body.close()
        entry = Entry(body, outcome.kind, outcome.rows, outcome.truncated)
        self.put(key, entry)
        return entry

    def count_uncacheable(self) -> None:
        """Count an answer that was run because it could not be cached."""
        with self._lock:
            self.stats.uncacheable += 1

    def report(self) -> dict[str, Any]:
        """Return the counters and the fill level, for the stats endpoint."""
        with self._lock:
            return {
                "pid": os.getpid(),
                "max_bytes": self.max_bytes,
                "largest_entry_bytes": self.largest,
                "bytes": self._bytes,
                "entries": len(self._entries),
                **vars(self.stats),
            }


def _copy(error: QueryError) -> QueryError:
    """Return a fresh exception like `error`, to raise in another thread."""
    return type(error)(str(error))


# What makes an answer: the dataset and the request.


@dataclass
class Caching:
    """The caching state of one app: the dataset's tag, the result cache, the HTTP max-age."""

    tag: str
    results: ResultCache
    max_age: int


def setup(app: Flask) -> Caching:
    """Create the app's caching state from CACHE_MB and CACHE_MAX_AGE; serve its counters."""
    config = app.config
    state = Caching(
        tag=dataset_tag(app.extensions["mkg"].version(), config),
        results=ResultCache(int(float(config["CACHE_MB"]) * 1024 * 1024)),
        max_age=int(config["CACHE_MAX_AGE"]),
    )
    app.extensions["mkg_results"] = state
    app.register_blueprint(bp)
    if state.results.max_bytes > 0:
        app.wsgi_app = FastPath(app.wsgi_app, state.results)  # type: ignore[method-assign]
    return state


def dataset_tag(version: str, config: Mapping[str, Any]) -> str:
    """Return a digest naming what this server's answers depend on besides the request.

    The engine's `version` names the data (a build by its release and manifest, RDF files by
    their bytes, a store by its files); the software version and the settings that shape an
    answer (row limit, Turtle prefixes) count too.
    """
    from server import display

    digest = hashlib.sha256()
    parts: list[str] = [
        _version(),
        str(config.get("MAX_ROWS")),
        repr(sorted(display.prefixes().items())),
        version,
    ]
    for part in parts:
        digest.update(part.encode("utf-8") + b"\x00")
    return digest.hexdigest()[:32]


def _version() -> str:
    try:
        return metadata.version("mkg")
    except metadata.PackageNotFoundError:
        return "unknown"


def inspect(text: str, base: str | None) -> QueryInfo:
    """Return inspect_query(text, base=base), remembered for short texts (do not modify it)."""
    if len(text) > _MEMO_TEXT:
        return inspect_query(text, base=base)
    return _inspect_memo(text, base)


@lru_cache(maxsize=256)
def _inspect_memo(text: str, base: str | None) -> QueryInfo:
    return inspect_query(text, base=base)


def cacheable(text: str, info: QueryInfo) -> bool:
    """Return whether the request key fixes the answer (no SERVICE, clock, random or new nodes)."""
    if info.services or info.form is None:
        return False
    if len(text) > _MEMO_TEXT:
        return _deterministic(text, info.form)
    return _deterministic_memo(text, info.form)


@lru_cache(maxsize=256)
def _deterministic_memo(text: str, form: str) -> bool:
    return _deterministic(text, form)


def _deterministic(text: str, form: str) -> bool:
    try:
        tokens = tokenize(text)
    except QueryTextError:
        return False
    for token in tokens:
        if token.kind == "word" and token.text.upper() in _NONDETERMINISTIC:
            return False
        # A CONSTRUCT template's blank nodes are new ones, with new labels, in every answer.
        if form == "CONSTRUCT" and (
            (token.kind == "word" and token.text.startswith("_:"))
            or (token.kind == "punct" and token.text == "[")
        ):
            return False
    return True


def request_key(job: Job) -> str:
    """Return the key of a query job on this app's dataset."""
    graphs = [
        "-" if iris is None else "+" + "\x1f".join(iris)
        for iris in (job.default_graph, job.named_graphs)
    ]
    fields = [_state().tag, job.fmt, str(job.max_rows), str(job.union), *graphs, job.base_iri or ""]
    return "\x1e".join([*fields, job.query])


def etag(key: str) -> str:
    """Return the (unquoted) strong entity tag of the answer to a request key."""
    return "mkg-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:40]


def answer(job: Job, key: str | None, timeout: float) -> Outcome:
    """Return the answer to `job`: cached, shared with an identical request, or run."""
    answering = engine()

    def run() -> Outcome:
        return answering.run(job, timeout=timeout)

    results = _state().results
    if key is None:
        results.count_uncacheable()
        return run()
    if results.max_bytes == 0:
        return run()
    outcome = results.fetch(key, run, wait=timeout + 5.0)
    if key in results:
        # The answer is (now) in the cache: the fast path may send it again (cache_headers).
        request.environ[_ENTRY_KEY] = key
    return outcome


# HTTP.


def not_modified(tag: str, if_none_match: ETags) -> bool:
    """Return whether an If-None-Match header names this entity tag (or is `*`)."""
    return bool(if_none_match.contains_weak(tag))


def not_modified_response(tag: str) -> Response:
    """Return a 304 with the validators and caching headers the full answer would carry."""
    response = Response(status=304)
    return cache_headers(response, tag)


def cache_headers(response: Response, tag: str | None) -> Response:
    """Add ETag, Cache-Control and Vary to a GET or HEAD answer (no-store when uncacheable)."""
    response.vary.add("Accept")
    if tag is None:
        response.headers["Cache-Control"] = "no-store"
        return response
    response.set_etag(tag)
    response.headers["Cache-Control"] = f"public, max-age={_state().max_age}"
    if _ENTRY_KEY in request.environ:
        request.environ[_REPEATABLE] = request.environ[_ENTRY_KEY]
    return response


def _state() -> Caching:
    return current_app.extensions["mkg_results"]  # type: ignore[no-any-return]


@bp.get("/sparql/cache")
def report() -> Response:
    """Report this worker process's result cache: size, bound and counters."""
    return jsonify(_state().results.report())


class FastPath:
    """WSGI middleware: answer a GET that was answered from the cache before, without Flask.

    A GET /sparql whose answer was a cache entry is remembered with the response headers the
    app sent (MKG-Query-Seconds set to 0.000, as for any hit). The same request again (same
    query string, Accept, Host and address) gets that entry's bytes with those headers
    directly; conditional requests, other methods and requests whose entry was evicted go
    through the app. The bytes and headers are the ones the app would send: they depend on
    nothing else, and the entry is the same answer.
    """

    def __init__(self, wsgi_app: Callable[..., Any], results: ResultCache) -> None:
        self.wsgi_app = wsgi_app
        self.results = results
        self._known: OrderedDict[tuple[str, ...], tuple[str, list[tuple[str, str]]]] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        """Serve a remembered request from the cache, or pass it to the app (and learn it)."""
        request_id = self._identify(environ)
        if request_id is None:
            return self.wsgi_app(environ, start_response)
        with self._lock:
            known = self._known.get(request_id)
            if known is not None:
                self._known.move_to_end(request_id)
        if known is not None:
            entry = self.results.get(known[0])
            if entry is not None:
                start_response("200 OK", list(known[1]))
                return [entry.body]
            with self._lock:
                self._known.pop(request_id, None)
        sent: list[Any] = []

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            sent[:] = [status, headers]
            return start_response(status, headers, exc_info)

        body = self.wsgi_app(environ, capture)
        key = environ.get(_REPEATABLE)
        if key is not None and sent and sent[0].startswith("200 "):
            headers = [
                (name, "0.000" if name.lower() == "mkg-query-seconds" else value)
                for name, value in sent[1]
            ]
            with self._lock:
                self._known[request_id] = (key, headers)
                while len(self._known) > _FAST_REQUESTS:
                    self._known.popitem(last=False)
        return body

    @staticmethod
    def _identify(environ: dict[str, Any]) -> tuple[str, ...] | None:
        """Return what identifies a plain GET /sparql, or None for any other request."""
        if environ.get("REQUEST_METHOD") != "GET" or environ.get("PATH_INFO") != "/sparql":
            return None
        query_string = environ.get("QUERY_STRING", "")
        if not query_string or len(query_string) > _FAST_QUERY_STRING:
            return None
        if any(name in environ for name in _CONDITIONAL):
            return None
        return (query_string, *(str(environ.get(name, "")) for name in _REQUEST_PARTS))
