"""The engine interface: what every module of server/ may ask of the data, whatever holds it.

An engine answers protocol queries (`run`: a time limit, a row limit, the answer serialized in
the format asked for), the pages' own queries (`query`, `select`, `ask`), quads of a pattern,
the named graphs, and names the version of what it serves (for ETags and /health). Answers use
the terms of `server.engine.terms`.
"""

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol

from flask import current_app

from server.engine.terms import Quad, Term, Triple


class QueryError(Exception):
    """A query could not be answered; `status` is the HTTP status to report."""

    status = 400

    def __init__(self, message: str, **fields: object) -> None:
        super().__init__(message)
        # What a JSON error carries beside "error" and "status" (line, column, hint, endpoints).
        self.fields = fields


class QuerySyntaxError(QueryError):
    """The engine's parser rejected the query (the message has its line and column)."""


class QueryFailed(QueryError):
    """The query parsed but failed while running."""


class QueryRefused(QueryError):
    """A query this server will not send to its engine (an update, SERVICE off the allow-list)."""

    status = 403


class RemoteFailure(QueryError):
    """Another server the answer depends on (a SERVICE endpoint, the engine) failed."""

    status = 502


class QueryTimeout(QueryError):
    """The query ran past the time limit and was stopped."""

    status = 503


class PoolBusy(QueryError):
    """Every query slot stayed busy for the whole time limit."""

    status = 503


class WorkerLost(QueryError):
    """The query process died (for example, it ran out of its memory allowance)."""

    status = 503


class Unhealthy(Exception):
    """The server cannot answer from what it serves (its data is gone, its engine is down)."""


@dataclass(frozen=True)
class Job:
    """One protocol query: its text, the dataset to run it on, how to write the answer.

    `union` makes the default graph the union of the served graphs; otherwise `default_graph`
    and `named_graphs` (None: those of the query's FROM clauses) name the dataset.
    """

    query: str
    fmt: str
    max_rows: int
    union: bool = True
    default_graph: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    prefixes: Mapping[str, str] = field(default_factory=dict)
    base_iri: str | None = None


@dataclass
class Outcome:
    """A finished answer: 'solutions', 'boolean' or 'graph', its bytes, its row count."""

    kind: str
    body: IO[bytes]
    rows: int
    truncated: bool
    seconds: float


class Solution(Protocol):
    """One row of SELECT solutions: `row["name"]` is the term (`server.engine.terms.Term`)
    bound to ?name, or None; iterating gives the terms in the order of the variables."""

    def __getitem__(self, name: str) -> Any: ...

    def __iter__(self) -> Iterator[Any]: ...


class Solutions:
    """The solutions of a SELECT query: its variables (names, without '?') and its rows."""

    def __init__(self, variables: list[str], rows: Iterable[Solution]) -> None:
        self.variables = variables
        self._rows = rows

    def __iter__(self) -> Iterator[Solution]:
        return iter(self._rows)


Answer = Solutions | bool | list[Triple]


class Engine(ABC):
    """Where queries run. Everything in server/ talks to this, never to a store.

    `release` is the build's release directory on this machine when there is one (its search
    index and dumps are served from it), `manifest` its manifest, `build_id` the build served.
    """

    name: str = "engine"
    description: str = ""
    release: Path | None = None
    manifest: Mapping[str, Any] = {}
    build_id: str | None = None
    # Whether the engine may run a query the server could not verify: true only of query
    # processes without network, which cannot call out whatever they read.
    sealed: bool = False

    @abstractmethod
    def run(self, job: Job, *, timeout: float) -> Outcome:
        """Answer a protocol query within `timeout` seconds and `job.max_rows` rows.

        Raise QueryError (or a subclass) when it cannot be answered.
        """

    @abstractmethod
    def query(self, text: str, *, timeout: float | None = None) -> Answer:
        """Run a query of the pages on the union of the graphs; return solutions, a boolean or
        triples (for CONSTRUCT and DESCRIBE)."""

    def select(self, text: str, *, timeout: float | None = None) -> Solutions:
        """Run a SELECT query on the union of the graphs and return its solutions."""
        answer = self.query(text, timeout=timeout)
        if not isinstance(answer, Solutions):
            raise TypeError("not a SELECT query")
        return answer

    def ask(self, text: str, *, timeout: float | None = None) -> bool:
        """Run an ASK query on the union of the graphs."""
        answer = self.query(text, timeout=timeout)
        if not isinstance(answer, bool):
            raise TypeError("not an ASK query")
        return answer

    @abstractmethod
    def quads(
        self,
        subject: Term | None = None,
        predicate: Term | None = None,
        obj: Term | None = None,
        graph: str | None = None,
        *,
        limit: int | None = None,
    ) -> list[Quad]:
        """Return up to `limit` quads of a pattern (None matches anything), in no set order.

        A blank node an earlier call returned may be asked about again.
        """

    @abstractmethod
    def graphs(self) -> list[str]:
        """Return the IRIs of the named graphs served, sorted."""

    @abstractmethod
    def size(self) -> int:
        """Return the number of quads served."""

    @abstractmethod
    def version(self) -> str:
        """Return what names the data served (its build, or a digest), for ETags and /health."""

    def check(self, *, timeout: float) -> None:
        """Raise Unhealthy (or QueryError) unless the engine answers a query in time."""
        outcome = self.run(Job("ASK {}", fmt="json", max_rows=1), timeout=timeout)
        outcome.body.close()
        if outcome.kind != "boolean":
            raise Unhealthy(f"ASK {{}} was answered with {outcome.kind}, not a boolean")

    def start(self, *, timeout: float) -> None:  # noqa: B027 (optional: most need nothing)
        """Get ready to answer (start query processes, reach the engine) before serving."""

    def close(self) -> None:  # noqa: B027 (optional: most hold nothing)
        """Let go of what this process holds (query processes, connections)."""


def engine() -> Engine:
    """Return the engine of the current app."""
    return current_app.extensions["mkg"]  # type: ignore[no-any-return]
