"""Slow and idle clients: they hold connections, never the threads that answer everyone else."""

import json
import socket
import threading
import time
from pathlib import Path

import pytest
import requests

SLOW_BODIES = 64
SLOW_HEADERS = 16
WARM_UP = 40
MEASURED = 200
P99_LIMIT = 0.100
# Long enough that no slow connection is timed out while the others are measured.
PATIENT = "300"
IMPATIENT = 1.0
GENE_QUERY = "SELECT ?gene WHERE {{ ?gene a <https://w3id.org/mkg/ontology/Gene> }} LIMIT {}"


@pytest.fixture(scope="module")
def patient_server(start_server, built_dir: Path):
    """The default two workers of four threads, with a body time limit longer than the test."""
    return start_server("--build", str(built_dir), env={"MKG_REQUEST_TIMEOUT": PATIENT})


@pytest.fixture(scope="module")
def strict_server(start_server, built_dir: Path):
    """One worker with one thread and a one-second time limit for receiving a request."""
    return start_server(
        "--build", str(built_dir), "--workers", "1", "--threads", "1",
        env={"MKG_REQUEST_TIMEOUT": str(IMPATIENT)},
    )  # fmt: skip


def _connect(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def _half_body(port: int, *, length: int = 1000) -> socket.socket:
    """Open a connection that sends a POST's headers and half its body, then stops."""
    sock = _connect(port)
    head = (
        "POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {length}\r\n\r\n"
    )
    sock.sendall(head.encode("ascii") + b"query=" + b"A" * (length // 2 - 6))
    return sock


class HeaderTrickle:
    """Connections that send a request's headers one byte at a time and never finish them."""

    def __init__(self, port: int, count: int, *, interval: float = 0.25) -> None:
        self.sockets = [_connect(port) for _ in range(count)]
        self.interval = interval
        self.sent = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        text = b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"z" * 10_000
        position = 0
        while not self.stop.wait(self.interval) and position < len(text):
            for sock in self.sockets:
                try:
                    sock.sendall(text[position : position + 1])
                except OSError:
                    continue
            position += 1
            self.sent = position

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=10)
        for sock in self.sockets:
            sock.close()


def _still_waiting(sock: socket.socket) -> bool:
    """Return whether the server has neither answered nor closed this connection."""
    sock.setblocking(False)
    try:
        sock.recv(1)
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        sock.setblocking(True)
    return False


def _timed(url: str, **params: str) -> tuple[float, int]:
    """Time one request on a new connection (the kernel may hand it to any worker)."""
    started = time.perf_counter()
    try:
        response = requests.get(url, params=params or None, timeout=5)
    except requests.RequestException:
        return time.perf_counter() - started, 0
    return time.perf_counter() - started, response.status_code


def _p99(latencies: list[float]) -> float:
    ordered = sorted(latencies)
    return ordered[max(0, int(len(ordered) * 0.99) - 1)]


def test_slow_clients_do_not_delay_other_requests(patient_server) -> None:
    """64 half-sent bodies and 16 trickled headers: /health and queries stay fast meanwhile."""
    port = patient_server.port
    slow = [_half_body(port) for _ in range(SLOW_BODIES)]
    trickle = HeaderTrickle(port, SLOW_HEADERS)
    try:
        time.sleep(1.0)  # every slow connection is established and has sent what it will send
        # Warm up (the query processes' first answers, the cache); give up early on a server
        # whose threads are all taken, so that such a server fails the test quickly.
        warm_failures = 0
        for number in range(WARM_UP):
            _, status = _timed(patient_server.url + "/health")
            warm_failures += status != 200
            _, status = _timed(patient_server.url + "/sparql", query=GENE_QUERY.format(number + 1))
            warm_failures += status != 200
            if warm_failures >= 4:
                break
        latencies: list[float] = []
        failures = 0
        for number in range(MEASURED):
            if number % 2:
                url, params = patient_server.url + "/health", {}
            else:
                url = patient_server.url + "/sparql"
                params = {"query": GENE_QUERY.format(number // 2 + 1)}
            seconds, status = _timed(url, **params)
            latencies.append(seconds)
            failures += status != 200
            if failures >= 10:
                break
        held = sum(_still_waiting(sock) for sock in slow)
        trickled = trickle.sent
        trickling = sum(_still_waiting(sock) for sock in trickle.sockets)
    finally:
        trickle.close()
        for sock in slow:
            sock.close()
    p99 = _p99(latencies)
    print(
        f"\n{SLOW_BODIES} half-sent bodies ({held} still open), {SLOW_HEADERS} trickled headers "
        f"({trickling} still open, {trickled} bytes each): {len(latencies)} requests, "
        f"{failures} failed, p50 {sorted(latencies)[len(latencies) // 2] * 1000:.1f} ms, "
        f"p99 {p99 * 1000:.1f} ms, max {max(latencies) * 1000:.1f} ms"
    )
    assert failures == 0
    assert len(latencies) == MEASURED
    assert p99 < P99_LIMIT
    # The slow connections were really held open the whole time, not answered or dropped.
    assert held == SLOW_BODIES and trickling == SLOW_HEADERS


def _read_response(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    """Read one response until the server closes the connection."""
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), {k.lower(): v for k, v in headers.items()}, body


def test_stalled_body_gets_408_after_the_time_limit(strict_server) -> None:
    sock = _half_body(strict_server.port)
    started = time.monotonic()
    status, headers, body = _read_response(sock)
    seconds = time.monotonic() - started
    sock.close()
    assert status == 408
    assert headers["content-type"].startswith("application/json")
    message = json.loads(body)
    assert message["status"] == 408 and "1 s" in message["error"]
    assert IMPATIENT - 0.2 < seconds < IMPATIENT + 5
    # The single request thread was never taken: the server answers at once afterwards.
    assert requests.get(strict_server.url + "/health", timeout=5).status_code == 200


def test_over_long_body_gets_413_without_being_read(strict_server) -> None:
    limit = 100_000 * 3 + 65536  # MAX_CONTENT_LENGTH for the default --max-query-size
    sock = _connect(strict_server.port)
    sock.sendall(
        b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/sparql-query\r\n"
        + f"Content-Length: {limit + 1}\r\n\r\n".encode("ascii")
    )
    started = time.monotonic()
    status, headers, body = _read_response(sock)
    sock.close()
    assert status == 413 and time.monotonic() - started < IMPATIENT
    assert json.loads(body) == {
        "error": f"the request body is larger than {limit} bytes",
        "status": 413,
    }


def test_chunked_query_is_answered(strict_server) -> None:
    query = b"ASK { ?s a <https://w3id.org/mkg/ontology/Gene> }"
    response = requests.post(
        strict_server.url + "/sparql",
        data=iter([query[:10], query[10:]]),
        headers={"Content-Type": "application/sparql-query"},
        timeout=10,
    )
    assert response.status_code == 200
    assert response.json()["boolean"] is True


def test_unfinished_headers_are_dropped_after_the_time_limit(strict_server) -> None:
    sock = _connect(strict_server.port)
    sock.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: a")
    started = time.monotonic()
    assert sock.recv(1024) == b""
    sock.close()
    assert IMPATIENT - 0.2 < time.monotonic() - started < IMPATIENT + 5
