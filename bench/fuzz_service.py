"""Differential fuzz of the SERVICE check: what the server allows against what the engine calls.

Random queries are built from pieces that hide or disguise a SERVICE call (comments ended by CR or
LF, strings with escaped quotes, IRIs holding '#' or keywords, '<' comparisons read as IRIs, BASE
and PREFIX resolution, codepoint escapes, nesting), then mutated character by character. Each query
is judged by `server.federation.refused_services` with an allow-list naming one local listener, and
run by the engine (pyoxigraph, with network) against a one-triple store while two listeners count
the calls they receive. A *bypass* is a query the check allows that calls the endpoint off the list.

    python bench/fuzz_service.py --seconds 60      # prints the counts; exit status 1 on a bypass

The test suite runs the same generator for a few hundred cases (tests/test_federation.py).
"""

import argparse
import json
import random
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from server.federation import refused_services  # noqa: E402

_ANSWER = json.dumps({"head": {"vars": []}, "results": {"bindings": [{}]}}).encode()


class Listener:
    """An HTTP endpoint on 127.0.0.1 that answers every request with one empty solution."""

    def __init__(self) -> None:
        calls: list[str] = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the http.server interface)
                self._answer()

            def do_POST(self) -> None:  # noqa: N802
                self._answer()

            def _answer(self) -> None:
                calls.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(_ANSWER)))
                self.end_headers()
                self.wfile.write(_ANSWER)

            def log_message(self, *args: object) -> None:
                pass

        self.calls = calls
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/sparql"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _target(rng: random.Random, port: int) -> tuple[str, str]:
    """Return (prologue, endpoint) naming the listener on `port` in one of the accepted ways."""
    host = f"http://127.0.0.1:{port}/"
    choice = rng.randrange(6)
    if choice == 0:
        return "", f"<{host}sparql>"
    if choice == 1:
        return f"BASE <{host}>\n", "<sparql>"
    if choice == 2:
        return f"PREFIX e: <{host}>\n", "e:sparql"
    if choice == 3:
        return "", f"<{host}\\u0073parql>"
    if choice == 4:
        return f"PREFIX e: <{host}>\n", "e:spar\\-ql".replace("\\-", "")
    return "", "?endpoint"


_NOISE = [
    "# a comment\n",
    "#\r",
    "# SERVICE <http://example.org/> {}\r\n",
    "# > \n",
    '"a\\"b" ',
    "'it\\'s' ",
    '"""two\r\nlines "quoted" """ ',
    "'''SERVICE <http://example.org/> { }''' ",
    "<http://example.org/#SERVICE> ",
    "<http://example.org/service> ",
    "FILTER(?c < 2) ",
    "FILTER(?c <2) ",
    "FILTER(?c > 1 && ?c < 3) ",
    "OPTIONAL { ?a ?b ?c } ",
    "{ } ",
    ". ",
    "BIND(1 AS ?one) ",
]
_WRAPPERS = [
    "{}",
    "OPTIONAL {{ {} }}",
    "FILTER EXISTS {{ {} }}",
    "FILTER NOT EXISTS {{ {} }}",
    "MINUS {{ {} }}",
    "{{ SELECT * WHERE {{ {} }} }}",
    "{{ {} }} UNION {{ ?a ?b ?c }}",
    "GRAPH ?g {{ {} }}",
]
_KEYWORDS = ["SERVICE", "service", "Service", "SERVICE SILENT", "service silent", "SERVICESILENT"]
_MUTATIONS = ["#", "\r", "\n", '"', "'", "\\", "<", ">", "{", "}", " ", "S", "\u2028", "\t"]


def make_query(rng: random.Random, ports: tuple[int, ...]) -> str:
    """Build one query that calls, or seems to call, one of the listeners."""
    prologue, endpoint = _target(rng, rng.choice(ports))
    keyword = rng.choice(_KEYWORDS)
    call = f"{keyword} {endpoint} {{ ?s ?p ?o }}"
    if endpoint == "?endpoint":
        host = f"http://127.0.0.1:{rng.choice(ports)}/sparql"
        call = f"VALUES ?endpoint {{ <{host}> }} {call}"
    body = rng.choice(_WRAPPERS).format(call)
    before = "".join(rng.choice(_NOISE) for _ in range(rng.randrange(3)))
    after = "".join(rng.choice(_NOISE) for _ in range(rng.randrange(3)))
    form = rng.choice(["SELECT * WHERE", "ASK", "CONSTRUCT { ?s ?p ?o } WHERE"])
    query = f"{prologue}{form} {{ ?a ?b ?c . {before}{body} {after}\n}}"
    for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
        position = rng.randrange(len(query) + 1)
        query = query[:position] + rng.choice(_MUTATIONS) + query[position:]
    return query


@dataclass
class Tally:
    """Counts of a fuzz run."""

    cases: int = 0
    allowed: int = 0
    engine_called_other: int = 0
    bypasses: list[str] = field(default_factory=list)


def engine_calls(store: pyoxigraph.Store, query: str, listeners: list[Listener]) -> list[int]:
    """Run `query` in the engine; return how many calls each listener received."""
    before = [len(listener.calls) for listener in listeners]
    try:
        result = store.query(query)
        if not isinstance(result, pyoxigraph.QueryBoolean):
            for _ in result:
                pass
    # Whatever the engine says about a query, only the calls it made matter here.
    except Exception:  # noqa: BLE001, S110
        pass
    return [len(listener.calls) - count for listener, count in zip(listeners, before, strict=True)]


def one_triple_store() -> pyoxigraph.Store:
    """Return a store whose one triple makes every pattern before a SERVICE match."""
    store = pyoxigraph.Store()
    node = pyoxigraph.NamedNode("http://example.org/a")
    store.add(pyoxigraph.Quad(node, node, pyoxigraph.Literal(1)))
    return store


def check(
    query: str, store: pyoxigraph.Store, allowed: Listener, other: Listener, tally: Tally
) -> None:
    """Judge and run one query; record it as a bypass if the check allowed a call to `other`."""
    refused, _ = refused_services(
        query, base="http://127.0.0.1/sparql", allowed=frozenset({allowed.url}), sealed=False
    )
    calls = engine_calls(store, query, [allowed, other])
    tally.cases += 1
    tally.allowed += not refused
    tally.engine_called_other += calls[1] > 0
    if not refused and calls[1]:
        tally.bypasses.append(query)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    allowed, other = Listener(), Listener()
    store = one_triple_store()
    tally = Tally()
    deadline = time.monotonic() + args.seconds
    try:
        while time.monotonic() < deadline:
            query = make_query(rng, (allowed.port, other.port))
            check(query, store, allowed, other, tally)
    finally:
        allowed.close()
        other.close()
    print(
        f"{tally.cases} queries in {args.seconds:g} s: {tally.allowed} allowed, "
        f"{tally.engine_called_other} called the endpoint off the allow-list when run directly, "
        f"{len(tally.bypasses)} allowed by the check and calling it (bypasses)"
    )
    for query in tally.bypasses[:10]:
        print("bypass:", repr(query))
    return 1 if tally.bypasses else 0


if __name__ == "__main__":
    sys.exit(main())
