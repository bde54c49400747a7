"""A SPARQL 1.1 endpoint someone else runs (Virtuoso, QLever, Fuseki, GraphDB, Oxigraph server),
fronted with every guarantee of the embedded engine.

- The dataset of every query is pinned to the graphs of the load the server serves (`mkg load`
  recorded them): the protocol's `default-graph-uri` and `named-graph-uri` are always sent, the
  query's own FROM clauses are taken out of its text and turned into them, and a graph outside
  the load stands for an empty one. Engines differ in what a query without a dataset reads
  (Virtuoso: every graph it holds, its system graphs included): pinned, none of that shows.
- The engine is sent only queries the server can check (`server.federation.remote_refusal`):
  parsed as SPARQL 1.1, no function but SPARQL's, none of the engine's built-ins; SERVICE only
  to the allow-list, and an unverified SERVICE never (the engine cannot be sealed).
- Time limit: the client stops waiting at the limit, and the engine is asked to stop too where it
  has a per-query limit (Virtuoso's `timeout`, whose "anytime" partial answers are refused).
- Row limit: answers are read as a stream and cut after the limit (and an engine's own cut,
  which Virtuoso reports in X-SPARQL-MaxRows, is reported as a cut).
- Answers are read into terms and written again in the format asked for, so clients get the
  standard result formats whatever the engine writes (`server.engine.answers`).
- Errors: a query the engine rejects or fails on, or an engine that cannot be reached, is a 502
  naming the engine; a query stopped at the limit is a 503.
"""

import hashlib
import http.client
import os
import shutil
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from tempfile import SpooledTemporaryFile
from typing import IO, Any
from urllib.parse import urlencode

import pyoxigraph
import urllib3

from ingest import layout
from ingest.namespaces import EMPTY_GRAPH, LOADED_GRAPH, load_iri
from server.engine import results
from server.engine.answers import XSD_BOOLEAN, AnswerError, JsonAnswer, Row, standard_term
from server.engine.base import (
    Answer,
    Engine,
    Job,
    Outcome,
    QueryError,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    RemoteFailure,
    Solutions,
    Unhealthy,
)
from server.engine.querypool import QueryPool
from server.engine.record import (
    DEFAULT_NAME,
    Record,
    counts_query,
    differences,
    record_from_rows,
    record_query,
)
from server.engine.terms import BlankNode, Literal, NamedNode, Quad, Term, Triple
from server.federation import Reading, parsed_targets, remote_refusal
from server.sparqltext import QueryTextError, dataset_clauses, describe_parts, inspect_query
from server.store import BuildNotFound, Release, open_release

# Virtuoso answers with one header a graph of the dataset (X-SPARQL-default-graph, ...): a load
# of many graphs (one a document) passes the limit of 100 headers of Python's HTTP client.
http.client._MAXHEADERS = max(http.client._MAXHEADERS, 1_000_000)  # type: ignore[attr-defined]

SOLUTIONS_TYPE = "application/sparql-results+json"
GRAPH_TYPE = "application/n-triples"
_SPOOL_IN_MEMORY = 4 * 1024 * 1024
_CONNECT_TIMEOUT = 5.0
_ERROR_BYTES = 2000
# Blank nodes whose statements a quads() call read, kept for the calls that ask about them.
_BLANKS_KEPT = 10_000
# DESCRIBE: resources asked about in one query, and how deep blank nodes below them are followed.
_DESCRIBED_AT_ONCE = 200
_DESCRIBED_BLANK_DEPTH = 4
# How a per-query time limit is sent to engines that take one (seconds -> parameter).
_TIME_LIMITS = {
    "virtuoso": lambda seconds: ("timeout", str(max(1, int(seconds * 1000)))),
    "fuseki": lambda seconds: ("timeout", f"{seconds:g}"),
    "graphdb": lambda seconds: ("timeout", str(max(1, int(seconds)))),
    "qlever": lambda seconds: ("timeout", f"{seconds:g}s"),
}
# What the Server header of each engine starts with.
_SERVERS = {
    "virtuoso": "virtuoso",
    "apache jena fuseki": "fuseki",
    "fuseki": "fuseki",
    "oxigraph": "oxigraph",
    "graphdb": "graphdb",
    "qlever": "qlever",
}


class EngineNotReady(Exception):
    """The engine holds no complete load to serve (none, another one, or half of one)."""


def dialect_of(server_header: str) -> str:
    """Return which engine a Server header names ('virtuoso', 'oxigraph', ...) or 'sparql'."""
    lowered = server_header.lower()
    for prefix, name in _SERVERS.items():
        if lowered.startswith(prefix):
            return name
    return "sparql"


@dataclass
class _Exchange:
    """One answer being read: the response, and the facts its headers give."""

    response: Any
    engine_cap: int | None
    label: str
    seconds: float
    deadline: float
    exhausted: bool = False

    def read(self, size: int = -1) -> bytes:
        """Read the body (a file object for the parsers); QueryTimeout past the deadline."""
        if time.monotonic() > self.deadline:
            raise _timeout(self.seconds)
        try:
            data = bytes(self.response.read(size))
        except urllib3.exceptions.ReadTimeoutError:
            raise _timeout(self.seconds) from None
        except urllib3.exceptions.HTTPError as error:
            raise RemoteFailure(f"{self.label} broke off its answer: {_reason(error)}") from None
        if not data and size != 0:
            self.exhausted = True
        return data

    def close(self) -> None:
        """Give the connection back when the answer was read whole, else drop it."""
        if self.exhausted:
            self.response.release_conn()
        else:
            self.response.close()


class RemoteEngine(Engine):
    """A SPARQL 1.1 endpoint at `url` holding the load `name` (see the module docstring)."""

    name = "sparql"

    def __init__(
        self,
        url: str,
        *,
        load: str = DEFAULT_NAME,
        timeout: float = 10.0,
        release: Release | None = None,
        http: urllib3.PoolManager | None = None,
        label: str | None = None,
    ) -> None:
        self.url = url
        self.load = load
        self.timeout = timeout
        # How messages name the engine ("the SPARQL engine at URL", "mkg's Virtuoso at ...").
        self.label = label or f"the SPARQL engine at {url}"
        self._http = http or urllib3.PoolManager(maxsize=16, retries=False)
        self.dialect = "sparql"
        self.record: Record | None = None
        self._graphs: tuple[str, ...] = ()
        self._lease = None if release is None else release.lease
        self.release = None if release is None else release.path
        self.manifest = {} if release is None else release.manifest
        self._blanks: OrderedDict[BlankNode, list[Quad]] = OrderedDict()
        self._blank_lock = threading.Lock()
        self._syntax = SyntaxChecker()

    # Opening: the engine, and the load it holds.

    def probe(self) -> str:
        """Reach the engine and return which it is ('virtuoso', 'oxigraph', ..., 'sparql')."""
        try:
            exchange = self._send("ASK {}", accept=SOLUTIONS_TYPE, dataset=((), ()), timeout=30)
        except QueryError as error:
            raise EngineNotReady(str(error)) from None
        self.dialect = dialect_of(exchange.response.headers.get("Server", ""))
        exchange.response.read()
        exchange.close()
        return self.dialect

    def open(self) -> "RemoteEngine":
        """Reach the engine, read the record of the load and check it; raise EngineNotReady."""
        self.probe()
        record = self.read_record()
        if record is None:
            raise EngineNotReady(
                f"{self.label} holds no load named {self.load!r}: "
                f"run 'mkg load --engine {self.url}' first"
            )
        self.record = record
        self._graphs = tuple(sorted(record.graphs))
        found = differences(record, self.graph_counts())
        if found:
            raise EngineNotReady(
                f"{self.label} holds only part of the load {self.load!r} "
                f"(build {record.identifier}): " + "; ".join(found[:5]) + "; load it again"
            )
        self.build_id = record.identifier
        # What is served, as the embedded engine names it ("build ..."); the engine is no part
        # of the data (messages name it through `label`).
        self.description = record.title
        if self.release is not None and self.release.name != record.identifier:
            raise EngineNotReady(
                f"{self.label} holds build {record.identifier}, not the "
                f"release {self.release.name} given to serve its files"
            )
        return self

    def read_record(self, name: str | None = None) -> Record | None:
        """Return the record of this engine's load (or of the load `name`), None if none."""
        wanted = self.load if name is None else name
        rows = self._records_select(record_query(wanted))
        return record_from_rows(wanted, rows)

    def load_names(self) -> list[str]:
        """Return the names of the loads the engine records."""
        prefix = str(load_iri("x"))[:-1]
        rows = self._records_select(
            f"SELECT DISTINCT ?load WHERE {{ GRAPH <{LOADED_GRAPH}> {{ ?load a ?type }} }}"
        )
        return sorted(
            str(row["load"])[len(prefix) :]
            for row in rows
            if str(row["load"]).startswith(prefix) and "/" not in str(row["load"])[len(prefix) :]
        )

    def _records_select(self, text: str) -> list[dict[str, str | None]]:
        """Run a SELECT on the graph of records alone; return its rows as strings."""
        solutions = self._select(
            text, dataset=((str(EMPTY_GRAPH),), (str(LOADED_GRAPH),)), timeout=30
        )
        assert isinstance(solutions, Solutions)
        return [
            {name: (None if row[name] is None else row[name].value) for name in solutions.variables}
            for row in solutions
        ]

    def graph_counts(self) -> dict[str, int]:
        """Return the triples the engine holds in each graph of the load."""
        timeout = max(30.0, self.timeout)
        solutions = self._select(counts_query(), dataset=self._pinned(None, None), timeout=timeout)
        assert isinstance(solutions, Solutions)
        return {row["graph"].value: int(row["triples"].value) for row in solutions}

    # Protocol queries.

    def run(self, job: Job, *, timeout: float) -> Outcome:
        """Check, pin and send a protocol query; read, cut and write its answer."""
        started = time.monotonic()
        text, dataset = self._prepare(job.query, job)
        form = _form(text)
        if form == "DESCRIBE":
            return self._describe_job(text, dataset, job, timeout=timeout, started=started)
        accept = GRAPH_TYPE if form in ("CONSTRUCT", "DESCRIBE") else SOLUTIONS_TYPE
        exchange = self._send(text, accept=accept, dataset=dataset, timeout=timeout)
        spool: IO[bytes] = SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY)  # noqa: SIM115
        try:
            kind, rows, truncated = self._write(exchange, job, spool)
        except BaseException:
            spool.close()
            raise
        finally:
            exchange.close()
        spool.seek(0)
        return Outcome(kind, spool, rows, truncated, time.monotonic() - started)

    def _prepare(
        self, query: str, job: Job, *, verify: bool = True
    ) -> tuple[str, tuple[Sequence[str], Sequence[str]]]:
        """Refuse what the engine may not be sent; return the text to send and its dataset."""
        if verify:
            reading = parsed_targets(query, job.base_iri)
            if reading.unverified is not None:
                # What the checking parser cannot read may be a syntax error (an undeclared
                # prefix is one the parser finds only after reading the query).
                message = self._syntax.error(query, job.base_iri, reading)
                if message is not None:
                    raise QuerySyntaxError(message)
            refusal = remote_refusal(query, base=job.base_iri)
            if refusal is not None:
                raise QueryRefused(refusal)
        try:
            clauses = dataset_clauses(query, base=job.base_iri)
        except QueryTextError as error:
            raise QueryRefused(f"the query's dataset cannot be read: {error}") from None
        text = query if clauses is None else clauses.text
        if job.base_iri is not None:
            # Relative IRIs resolve against this endpoint's URL, not the engine's (a BASE of the
            # query's own comes later and is resolved against this one, as it should be).
            text = f"BASE <{job.base_iri}>\n{text}"
        if job.default_graph is not None or job.named_graphs is not None:
            return text, self._pinned(job.default_graph or (), job.named_graphs or ())
        if clauses is not None:
            return text, self._pinned(clauses.default, clauses.named)
        return text, self._pinned(None, None)

    def _pinned(
        self, default: Sequence[str] | None, named: Sequence[str] | None
    ) -> tuple[Sequence[str], Sequence[str]]:
        """Return the dataset to send: the graphs asked for that the load holds (all of them
        for None), or the empty graph when none is left."""
        served = set(self._graphs)

        def keep(graphs: Sequence[str] | None) -> Sequence[str]:
            if graphs is None:
                return self._graphs or (str(EMPTY_GRAPH),)
            kept = [graph for graph in dict.fromkeys(graphs) if graph in served]
            return kept or (str(EMPTY_GRAPH),)

        return keep(default), keep(named)

    def _write(self, exchange: _Exchange, job: Job, out: IO[bytes]) -> tuple[str, int, bool]:
        fmt = "json" if job.fmt == "html" else job.fmt
        graph_format = _graph_format(exchange)
        if graph_format is not None:
            triples = _triples(exchange, graph_format, self.label)
            if job.fmt == "html":
                rows, truncated = results.write_triples_as_solutions(
                    triples, out, max_rows=job.max_rows
                )
            else:
                rows, truncated = results.write_triples(
                    triples, out, fmt=job.fmt, max_rows=job.max_rows, prefixes=dict(job.prefixes)
                )
            return "graph", rows, truncated or _capped(exchange, rows)
        answer = _json_answer(exchange, self.label)
        if answer.boolean is not None:
            results.write_boolean(answer.boolean, out, fmt=fmt)
            return "boolean", 1, False
        rows, truncated = results.write_rows(
            answer.variables,
            _checked(answer.rows(), self.label),
            out,
            fmt=fmt,
            max_rows=job.max_rows,
        )
        return "solutions", rows, truncated or _capped(exchange, rows)

    # DESCRIBE, as the embedded engine answers it.

    def _describe_job(
        self,
        text: str,
        dataset: tuple[Sequence[str], Sequence[str]],
        job: Job,
        *,
        timeout: float,
        started: float,
    ) -> Outcome:
        triples = self._described(text, dataset, deadline=started + timeout, timeout=timeout)
        spool: IO[bytes] = SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY)  # noqa: SIM115
        try:
            if job.fmt == "html":
                rows, truncated = results.write_triples_as_solutions(
                    triples, spool, max_rows=job.max_rows
                )
            else:
                rows, truncated = results.write_triples(
                    triples, spool, fmt=job.fmt, max_rows=job.max_rows, prefixes=dict(job.prefixes)
                )
        except BaseException:
            spool.close()
            raise
        spool.seek(0)
        return Outcome("graph", spool, rows, truncated, time.monotonic() - started)

    def _described(
        self,
        text: str,
        dataset: tuple[Sequence[str], Sequence[str]],
        *,
        deadline: float,
        timeout: float,
    ) -> list[Triple]:
        """Answer a DESCRIBE query as the embedded engine does, whatever the engine's own
        DESCRIBE gives (the specification leaves it to the engine; Virtuoso adds the statements
        about the resource as object): the statements of each resource described, and those of
        the blank nodes below them (to a depth of `_DESCRIBED_BLANK_DEPTH`)."""
        parts = describe_parts(text)
        if parts is None:
            raise QueryRefused("this endpoint cannot read what the DESCRIBE query describes")

        def remaining() -> float:
            left = deadline - time.monotonic()
            if left <= 0:
                raise _timeout(timeout)
            return left

        resources: dict[str, None] = dict.fromkeys(parts.iris)
        if parts.select is not None:
            solutions = self._select(parts.select, dataset=dataset, timeout=remaining())
            assert isinstance(solutions, Solutions)
            for row in solutions:
                for found in row:
                    if isinstance(found, NamedNode):
                        resources[found.value] = None
        described: dict[Triple, None] = {}
        names = list(resources)
        for start in range(0, len(names), _DESCRIBED_AT_ONCE):
            chunk = " ".join(
                str(NamedNode(name)) for name in names[start : start + _DESCRIBED_AT_ONCE]
            )
            exchange = self._send(
                _describe_query(chunk), accept=GRAPH_TYPE, dataset=dataset, timeout=remaining()
            )
            try:
                graph_format = _graph_format(exchange) or pyoxigraph.RdfFormat.N_TRIPLES
                described.update(dict.fromkeys(_triples(exchange, graph_format, self.label)))
            finally:
                exchange.close()
        return list(described)

    # The pages' queries.

    def query(self, text: str, *, timeout: float | None = None) -> Answer:
        """Run a query of the pages (or of `mkg query`) on the union of the load's graphs."""
        limit = self.timeout if timeout is None else timeout
        text, dataset = self._prepare(text, Job(text, "json", 0), verify=False)
        form = _form(text)
        if form in ("CONSTRUCT", "DESCRIBE"):
            exchange = self._send(text, accept=GRAPH_TYPE, dataset=dataset, timeout=limit)
            try:
                graph_format = _graph_format(exchange) or pyoxigraph.RdfFormat.N_TRIPLES
                return list(_triples(exchange, graph_format, self.label))
            finally:
                exchange.close()
        return self._select(text, dataset=dataset, timeout=limit)

    def _select(
        self, text: str, *, dataset: tuple[Sequence[str], Sequence[str]], timeout: float
    ) -> Solutions | bool:
        exchange = self._send(text, accept=SOLUTIONS_TYPE, dataset=dataset, timeout=timeout)
        try:
            answer = _json_answer(exchange, self.label)
            if answer.boolean is not None:
                return answer.boolean
            rows = list(_checked(answer.rows(), self.label))
            if exchange.engine_cap is not None and len(rows) >= exchange.engine_cap:
                raise RemoteFailure(
                    f"{self.label} cut an answer at {exchange.engine_cap} "
                    "rows (its own limit, X-SPARQL-MaxRows); raise it (Virtuoso: "
                    "ResultSetMaxRows) for this server's pages"
                )
            return Solutions(list(answer.variables), rows)
        finally:
            exchange.close()

    def quads(
        self,
        subject: Term | None = None,
        predicate: Term | None = None,
        obj: Term | None = None,
        graph: str | None = None,
        *,
        limit: int | None = None,
    ) -> list[Quad]:
        """Return up to `limit` quads of a pattern; blank nodes come with their statements.

        A blank node cannot be named in a query, so the statements of every blank node a call
        returns are read with it, and a later call about that node is answered from them.
        """
        if isinstance(subject, BlankNode) or isinstance(obj, BlankNode):
            return self._known_blank(subject, predicate, obj, graph, limit)
        pattern = " ".join(
            "?" + name if term is None else str(term)
            for term, name in ((subject, "s"), (predicate, "p"), (obj, "o"))
        )
        g = "?g" if graph is None else str(NamedNode(graph))
        where = f"GRAPH {g} {{ {pattern} }}"
        selected = f"{{ SELECT * WHERE {{ {where} }} LIMIT {limit} }}" if limit else where
        blanks = []
        if subject is None:
            blanks.append(f"OPTIONAL {{ GRAPH {g} {{ ?s ?sp ?so }} FILTER (isBlank(?s)) }}")
        if obj is None:
            blanks.append(f"OPTIONAL {{ GRAPH {g} {{ ?o ?op ?oo }} FILTER (isBlank(?o)) }}")
        solutions = self.select(f"SELECT * WHERE {{ {selected} {' '.join(blanks)} }}")
        found: dict[Quad, None] = {}
        described: dict[BlankNode, dict[Quad, None]] = {}
        for row in solutions:
            quad = Quad(
                subject or row["s"],  # type: ignore[arg-type]
                predicate or row["p"],  # type: ignore[arg-type]
                obj or row["o"],
                NamedNode(graph) if graph else row["g"],
            )
            found[quad] = None
            for node, p, o in (("s", "sp", "so"), ("o", "op", "oo")):
                term = row[node] if row[p] is not None else None
                if isinstance(term, BlankNode):
                    statement = Quad(term, row[p], row[o], quad.graph_name)
                    described.setdefault(term, {})[statement] = None
        self._remember(described)
        return list(found)

    def _remember(self, described: dict[BlankNode, dict[Quad, None]]) -> None:
        with self._blank_lock:
            for node, statements in described.items():
                self._blanks[node] = list(statements)
                self._blanks.move_to_end(node)
            while len(self._blanks) > _BLANKS_KEPT:
                self._blanks.popitem(last=False)

    def _known_blank(
        self,
        subject: Term | None,
        predicate: Term | None,
        obj: Term | None,
        graph: str | None,
        limit: int | None,
    ) -> list[Quad]:
        if not isinstance(subject, BlankNode):
            return []  # blank nodes are only ever asked about as subjects
        with self._blank_lock:
            known = list(self._blanks.get(subject, ()))
        found = [
            quad
            for quad in known
            if (predicate is None or quad.predicate == predicate)
            and (obj is None or quad.object == obj)
            and (graph is None or quad.graph_name == NamedNode(graph))
        ]
        return found[:limit] if limit is not None else found

    def graphs(self) -> list[str]:
        """Return the graphs of the load."""
        return list(self._graphs)

    def size(self) -> int:
        """Return the triples of the load, as recorded (and checked when the server started)."""
        return 0 if self.record is None else self.record.triples

    def version(self) -> str:
        """Return a digest of the load's record: the build, and each graph's checksum."""
        assert self.record is not None, "open() the engine first"
        digest = hashlib.sha256()
        parts = ["sparql", self.record.identifier]
        for graph, loaded in sorted(self.record.graphs.items()):
            parts += [graph, loaded.sha256, str(loaded.triples)]
        for part in parts:
            digest.update(part.encode("utf-8") + b"\x00")
        return digest.hexdigest()[:32]

    def check(self, *, timeout: float) -> None:
        """Raise Unhealthy unless the engine answers and still holds the load served."""
        if self.release is not None and not layout.is_release(self.release):
            raise Unhealthy(f"the release {self.release.name} is gone from disk")
        super().check(timeout=timeout)
        record = self.read_record()
        if record is None or self.record is None or record.identifier != self.record.identifier:
            held = "no load" if record is None else f"build {record.identifier}"
            raise Unhealthy(
                f"{self.label} now holds {held} as {self.load!r}, not build {self.build_id}"
            )
        if record.loaded != self.record.loaded:
            raise Unhealthy(
                f"the load {self.load!r} was replaced at {record.loaded}: restart the server"
            )

    def close(self) -> None:
        """Close the connections to the engine (and the syntax checker's process)."""
        self._http.clear()
        self._syntax.close()

    # HTTP.

    def _send(
        self,
        text: str,
        *,
        accept: str,
        dataset: tuple[Sequence[str], Sequence[str]],
        timeout: float,
    ) -> _Exchange:
        default, named = dataset
        fields = [("query", text)]
        fields += [("default-graph-uri", graph) for graph in default]
        fields += [("named-graph-uri", graph) for graph in named]
        limit = _TIME_LIMITS.get(self.dialect)
        if limit is not None:
            fields.append(limit(timeout))
        try:
            response = self._http.request(
                "POST",
                self.url,
                body=urlencode(fields),
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Accept": accept,
                },
                preload_content=False,
                timeout=urllib3.Timeout(connect=min(_CONNECT_TIMEOUT, timeout), read=timeout),
                retries=False,
            )
        except urllib3.exceptions.ReadTimeoutError:
            raise _timeout(timeout) from None
        except urllib3.exceptions.HTTPError as error:
            raise RemoteFailure(f"{self.label} cannot be reached: {_reason(error)}") from None
        if response.status != 200:
            raise self._failure(response, timeout)
        # Virtuoso answers a query it stopped at its own time limit with what it had so far.
        if response.headers.get("X-SQL-State") == "S1TAT":
            response.close()
            raise _timeout(timeout)
        cap = response.headers.get("X-SPARQL-MaxRows")
        return _Exchange(
            response,
            int(cap) if cap and cap.isdigit() else None,
            self.label,
            timeout,
            time.monotonic() + timeout,
        )

    def _failure(self, response: Any, timeout: float) -> QueryError:
        try:
            body = response.read(_ERROR_BYTES).decode("utf-8", errors="replace")
        except urllib3.exceptions.HTTPError:
            body = ""
        finally:
            response.close()
        message = " ".join(body.split())[:_ERROR_BYTES]
        if "S1T00" in message or "timed out" in message.lower() or response.status == 504:
            return _timeout(timeout)
        return RemoteFailure(
            f"{self.label} could not answer (HTTP {response.status}): {message or response.reason}"
        )


class SyntaxChecker:
    """Says where a query that does not parse goes wrong, as the embedded engine says it.

    The parser that checks what is sent to a remote engine reports the start of the rule that
    failed (rdflib: line 3 for a `FILTER (` that a `}` on line 4 closes); users get the position
    and message of the embedded engine's parser wherever the data is. That parser cannot be run
    without running the query (a SERVICE is called as the query is prepared), so it runs in a
    sealed query process (no network, killed at a short time limit) over an empty store, started
    on the first syntax error. Where no process can be sealed, the checking parser's position is
    given.
    """

    TIMEOUT = 5.0

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pool: QueryPool | None = None
        self._directory: str | None = None

    def error(self, query: str, base: str | None, reading: Reading) -> str | None:
        """Return the syntax error of a query the checking parser could not read ("error at
        LINE:COLUMN: expected ..."), or None if the embedded engine's parser reads it."""
        fallback = None
        if reading.syntax_error is not None:
            line, column, expected = reading.syntax_error
            fallback = f"error at {line}:{column}: expected {expected}"
        pool = self._sealed_pool()
        if pool is None:
            return fallback
        try:
            outcome = pool.run(Job(query, "json", 1, base_iri=base), timeout=self.TIMEOUT)
        except QuerySyntaxError as error:
            return str(error)
        except QueryError:
            return fallback
        outcome.body.close()
        return None

    def _sealed_pool(self) -> "QueryPool | None":
        with self._lock:
            if self._pool is not None and self._pool.pid != os.getpid():
                self._pool = None  # forked: the process belongs to the parent
            if self._pool is None:
                if self._directory is None:
                    self._directory = tempfile.mkdtemp(prefix="mkg-syntax-")
                    empty = pyoxigraph.Store(self._directory)
                    del empty  # closed: the query process opens it read-only
                self._pool = QueryPool(self._directory, size=1, memory_mb=1024, network=False)
                try:
                    self._pool.wait_ready(self.TIMEOUT * 6)
                except QueryError:
                    pass
            return self._pool if self._pool.sealed else None

    def close(self) -> None:
        """Stop the checking process and remove its empty store."""
        with self._lock:
            if self._pool is not None and self._pool.pid == os.getpid():
                self._pool.close()
            self._pool = None
            if self._directory is not None:
                shutil.rmtree(self._directory, ignore_errors=True)
                self._directory = None


def _describe_query(resources: str) -> str:
    """Return a CONSTRUCT of the statements of `resources` (IRIs in SPARQL syntax) and of the
    blank nodes below them."""
    template = ["?r ?p ?o0 ."]
    nested = ""
    for depth in range(_DESCRIBED_BLANK_DEPTH, 0, -1):
        template.append(f"?o{depth - 1} ?p{depth} ?o{depth} .")
        nested = (
            f" OPTIONAL {{ ?o{depth - 1} ?p{depth} ?o{depth} FILTER (isBlank(?o{depth - 1}))"
            f"{nested} }}"
        )
    return (
        f"CONSTRUCT {{ {' '.join(sorted(template, key=len))} }} "
        f"WHERE {{ VALUES ?r {{ {resources} }} ?r ?p ?o0 .{nested} }}"
    )


def _timeout(seconds: float) -> QueryTimeout:
    return QueryTimeout(
        f"the query was stopped after {seconds:g} s, the time limit of this endpoint; make it "
        "more selective or add a LIMIT"
    )


def _reason(error: Exception) -> str:
    reason = getattr(error, "reason", None)
    return str(reason or error)


def _json_answer(exchange: _Exchange, label: str) -> JsonAnswer:
    try:
        return JsonAnswer(exchange)  # type: ignore[arg-type]
    except AnswerError as error:
        raise RemoteFailure(f"{label} gave an unreadable answer: {error}") from None


def _checked(rows: Iterator[Row], label: str) -> Iterator[Row]:
    try:
        yield from rows
    except AnswerError as error:
        raise RemoteFailure(f"{label} gave an unreadable answer: {error}") from None


def _graph_format(exchange: _Exchange) -> pyoxigraph.RdfFormat | None:
    """Return the RDF format of a graph answer, or None for SPARQL results."""
    content = exchange.response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    if content == "text/plain":  # N-Triples, as older engines label it
        return pyoxigraph.RdfFormat.N_TRIPLES
    return pyoxigraph.RdfFormat.from_media_type(content) if content else None


def _triples(exchange: _Exchange, fmt: pyoxigraph.RdfFormat, label: str) -> Iterator[Triple]:
    try:
        for quad in pyoxigraph.parse(exchange, format=fmt):  # type: ignore[arg-type]
            found = quad.object
            if isinstance(found, Literal) and found.datatype.value == XSD_BOOLEAN:
                yield Triple(quad.subject, quad.predicate, standard_term(found))  # type: ignore[arg-type]
            else:
                yield quad.triple
    except SyntaxError as error:
        raise RemoteFailure(f"{label} gave unreadable triples: {error}") from None


def _capped(exchange: _Exchange, rows: int) -> bool:
    return exchange.engine_cap is not None and rows >= exchange.engine_cap


def _form(text: str) -> str | None:
    try:
        return inspect_query(text).form
    except QueryTextError:
        return None


def open_remote(config: dict[str, Any]) -> RemoteEngine:
    """Open the engine at config ENGINE holding the load ENGINE_LOAD; its release's files (search
    index, dumps) are served when BUILD_DIR holds that release."""
    url = str(config["ENGINE"])
    release = _release_of(config.get("BUILD_DIR"))
    engine = RemoteEngine(
        url,
        load=str(config.get("ENGINE_LOAD") or DEFAULT_NAME),
        timeout=float(config["QUERY_TIMEOUT"]),
        label=config.get("ENGINE_LABEL") or None,
    )
    try:
        engine.open()
    except EngineNotReady:
        if release is not None:
            release.lease.release_lease()
        raise
    if release is not None and release.path.name != engine.build_id:
        release.lease.release_lease()
        release = _named_release(config.get("BUILD_DIR"), engine.build_id)
    if release is not None:
        engine.release, engine.manifest, engine._lease = (
            release.path,
            release.manifest,
            release.lease,
        )
    return engine


def _release_of(build_dir: object) -> Release | None:
    if not build_dir:
        return None
    try:
        return open_release(str(build_dir))
    except BuildNotFound:
        return None


def _named_release(build_dir: object, name: str | None) -> Release | None:
    """Return the release `name` of the build directory, if it still holds it."""
    if not build_dir or not name:
        return None
    path = Path(str(build_dir)) / layout.RELEASES / name
    if not layout.is_release(path):
        return None
    try:
        return open_release(path)
    except BuildNotFound:
        return None
