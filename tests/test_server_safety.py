"""The endpoint under abuse: time limit, row and size limits, SERVICE, updates, shutdown."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pyoxigraph
import pytest
import requests
from conftest import REPO, SERVER_DATA, free_port

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SIMPLE = "ASK { ?s a <https://w3id.org/mkg/ontology/Gene> }"
TIME_LIMIT = 3.0


@pytest.fixture(scope="module")
def strict_server(start_server, built_dir: Path):
    """A server over the build with a short time limit and small row and size limits."""
    return start_server(
        "--build", str(built_dir),
        "--workers", "1",
        "--threads", "3",
        "--timeout", str(TIME_LIMIT),
        "--max-rows", "50",
        "--max-query-size", "4000",
    )  # fmt: skip


def _query_processes(pid: int) -> set[int]:
    """Return the ids of the query processes under a server process (read from /proc)."""
    found: set[int] = set()
    children = {pid}
    while children:
        parent = children.pop()
        for task in Path(f"/proc/{parent}/task").glob("*/children"):
            for child in task.read_text().split():
                children.add(int(child))
                cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
                if b"spawn_main" in cmdline:
                    found.add(int(child))
    return found


def test_runaway_query_is_stopped_while_others_are_served(strict_server) -> None:
    url = strict_server.url + "/sparql"
    before = _query_processes(strict_server.process.pid)
    assert len(before) == 3
    outcome: dict[str, object] = {}

    def runaway() -> None:
        started = time.monotonic()
        response = requests.get(url, params={"query": RUNAWAY}, timeout=60)
        outcome["seconds"] = time.monotonic() - started
        outcome["status"] = response.status_code
        outcome["body"] = response.json()

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.3)
    latencies = []
    # A second client keeps asking simple questions while the runaway query runs (bounded loop).
    for _ in range(40):
        if not thread.is_alive():
            break
        started = time.monotonic()
        response = requests.get(url, params={"query": SIMPLE}, timeout=30)
        latencies.append(time.monotonic() - started)
        assert response.status_code == 200 and response.json()["boolean"] is True
        time.sleep(0.1)
    thread.join(timeout=60)
    median = sorted(latencies)[len(latencies) // 2]
    print(
        f"\ntime limit {TIME_LIMIT} s: runaway query answered {outcome['status']} after "
        f"{outcome['seconds']:.2f} s; {len(latencies)} simple queries meanwhile, "
        f"max {max(latencies) * 1000:.0f} ms, median {median * 1000:.0f} ms"
    )
    assert outcome["status"] == 503
    assert "time limit" in outcome["body"]["error"]  # type: ignore[index]
    assert TIME_LIMIT - 0.5 < outcome["seconds"] < TIME_LIMIT + 10  # type: ignore[operator]
    assert len(latencies) >= 5
    assert max(latencies) < 1.0
    # The process that ran it was killed and replaced: the same number of query processes,
    # not the same processes.
    after = set()
    for _ in range(50):
        after = _query_processes(strict_server.process.pid)
        if len(after) == len(before):
            break
        time.sleep(0.1)
    assert len(after) == len(before) and after != before
    assert requests.get(url, params={"query": SIMPLE}, timeout=30).status_code == 200


def test_every_query_slot_busy_still_answers_clearly(strict_server) -> None:
    """Three runaway queries fill the three slots; a fourth client gets a 503, not a hang."""
    url = strict_server.url + "/sparql"
    statuses: list[int] = []

    def runaway() -> None:
        statuses.append(requests.get(url, params={"query": RUNAWAY}, timeout=60).status_code)

    threads = [threading.Thread(target=runaway) for _ in range(3)]
    for thread in threads:
        thread.start()
    time.sleep(0.5)
    response = requests.get(url, params={"query": SIMPLE}, timeout=60)
    for thread in threads:
        thread.join(timeout=60)
    assert statuses == [503, 503, 503]
    # The fourth either waited for a slot to be freed at the limit, or was told all were busy.
    assert response.status_code in (200, 503)
    assert requests.get(url, params={"query": SIMPLE}, timeout=30).status_code == 200


def test_row_limit_cuts_and_flags_results(strict_server) -> None:
    url = strict_server.url + "/sparql"
    select = requests.get(url, params={"query": "SELECT * { ?s ?p ?o }"}, timeout=30)
    assert len(select.json()["results"]["bindings"]) == 50
    assert select.headers["MKG-Truncated"] == "true; max-rows=50"
    graph = requests.get(url, params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, timeout=30)
    assert graph.headers["MKG-Truncated"] == "true; max-rows=50"
    assert graph.headers["MKG-Rows"] == "50"
    exact = requests.get(url, params={"query": "SELECT * { ?s ?p ?o } LIMIT 50"}, timeout=30)
    assert "MKG-Truncated" not in exact.headers


def test_query_size_limit(strict_server) -> None:
    padding = "# " + "x" * 4000 + "\n"
    response = requests.post(
        strict_server.url + "/sparql", data={"query": padding + "ASK {}"}, timeout=30
    )
    assert response.status_code == 413
    assert "4000 bytes" in response.json()["error"]


@pytest.mark.parametrize(
    "request_args",
    [
        {"data": {"update": "INSERT DATA { <http://a> <http://b> <http://c> }"}},
        {"data": b"CLEAR ALL", "headers": {"Content-Type": "application/sparql-update"}},
        {"data": {"query": "LOAD <http://127.0.0.1:9/data.ttl>"}},
        {"data": {"query": "PREFIX a: <http://a/>\nDROP ALL"}},
        {"data": {"query": "# comment\nINSERT DATA { <http://a> <http://b> <http://c> }"}},
        {"data": {"query": "WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }"}},
    ],
)
def test_updates_are_refused_as_read_only(strict_server, request_args) -> None:
    response = requests.post(strict_server.url + "/sparql", timeout=30, **request_args)
    assert response.status_code == 403
    assert "read-only" in response.json()["error"]


def test_the_query_page_shows_a_refusal(strict_server) -> None:
    page = requests.post(
        strict_server.url + "/sparql", data={"query": "CLEAR ALL", "format": "html"}, timeout=30
    )
    assert page.status_code == 403
    assert 'id="error"' in page.text and "read-only" in page.text


class Listener:
    """A TCP listener on 127.0.0.1 that counts the connections it accepts."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(16)
        self.socket.settimeout(0.2)
        self.port = self.socket.getsockname()[1]
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while self.running:
            try:
                connection, _ = self.socket.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            connection.close()

    def close(self) -> None:
        self.running = False
        self.thread.join(timeout=5)
        self.socket.close()


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()


def service_queries(port: int) -> list[str]:
    """SERVICE clauses naming a local listener, written in the ways the engine accepts."""
    url = f"http://127.0.0.1:{port}/sparql"
    return [
        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ service silent <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT*WHERE{{SERVICESILENT<{url}>{{?s ?p ?o}}}}",
        f"PREFIX remote: <http://127.0.0.1:{port}/>\n"
        "SELECT * { SERVICE remote:sparql { ?s ?p ?o } }",
        f"BASE <http://127.0.0.1:{port}/>\nSELECT * {{ SERVICE <sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * {{ SERVICE <http://127.0.0.1:{port}/\\u0073parql> {{ ?s ?p ?o }} }}",
        f'SELECT * {{ ?x ?y "#" . SERVICE <{url}> {{ ?s ?p ?o }} }} # SERVICE <http://ok/>',
        f"SELECT * {{ BIND(<{url}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
        f"ASK {{ FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ OPTIONAL{{}}SERVICE <{url}> {{ ?s ?p ?o }} }}",
        # A comment ends at CR too: the old lexer read the rest of the line as a comment.
        f"SELECT * WHERE {{ ?x ?y ?z #\rSERVICE <{url}> {{ ?s ?p ?o }} \n}}",
        f'SELECT * WHERE {{ ?x ?y ?z FILTER(?z != "a\\"b") SERVICE <{url}> {{ ?s ?p ?o }} }}',
        f"SELECT * WHERE {{ ?x ?y ?z FILTER(?z<2)SERVICE<{url}>{{?s ?p ?o}} # >\n}}",
        "SELECT * WHERE { ?s ?p ?o } SERVICE",
    ]


def test_the_engine_itself_would_call_a_service(listener) -> None:
    """The control: pyoxigraph run directly does connect, so the listener can see calls."""
    store = pyoxigraph.Store()
    with pytest.raises(OSError):
        list(store.query(service_queries(listener.port)[0]))
    assert listener.connections == 1


def test_service_to_an_unlisted_endpoint_is_refused_and_never_called(
    strict_server, listener
) -> None:
    for query in service_queries(listener.port):
        for method in ("GET", "POST"):
            if method == "GET":
                response = requests.get(
                    strict_server.url + "/sparql", params={"query": query}, timeout=30
                )
            else:
                response = requests.post(
                    strict_server.url + "/sparql", data={"query": query}, timeout=30
                )
            assert response.status_code == 403, query
            assert "SERVICE" in response.json()["error"]
    time.sleep(0.5)
    assert listener.connections == 0


def test_service_to_an_allow_listed_endpoint_runs(start_server, protocol_server) -> None:
    """Federation works when the endpoint is on the allow-list (here: another of our servers)."""
    remote = protocol_server.url + "/sparql"
    federating = start_server(
        "--data", str(SERVER_DATA / "things.trig"), "--workers", "1", "--allow-service", remote
    )
    query = f"SELECT ?s WHERE {{ SERVICE <{remote}> {{ ?s a ?type }} }} ORDER BY ?s"
    response = requests.get(federating.url + "/sparql", params={"query": query}, timeout=60)
    assert response.status_code == 200, response.text
    subjects = [row["s"]["value"] for row in response.json()["results"]["bindings"]]
    assert subjects == [f"http://kasei.us/2009/09/sparql/data/data{n}.rdf" for n in (1, 2, 3)]
    other = f"SELECT * {{ SERVICE <http://127.0.0.1:{free_port()}/sparql> {{ ?s ?p ?o }} }}"
    refused = requests.get(federating.url + "/sparql", params={"query": other}, timeout=30)
    assert refused.status_code == 403
    described = requests.get(
        federating.url + "/sparql", headers={"Accept": "text/turtle"}, timeout=30
    )
    assert "BasicFederatedQuery" in described.text


def test_excessive_nesting_is_refused_before_the_engine(strict_server) -> None:
    """Deep nesting crashed the query process (503); it is a 400 that says so."""
    for query in (
        "SELECT * WHERE " + "{" * 1500 + "}" * 1500,
        "ASK { " + "FILTER EXISTS { " * 200 + "}" * 200 + " }",
        "SELECT * WHERE { ?s ?p ?o FILTER(" + "!" * 3000 + "?o) }",
    ):
        response = requests.post(strict_server.url + "/sparql", data={"query": query}, timeout=30)
        assert response.status_code == 400, response.text[:200]
        assert "levels deep" in response.json()["error"]
    ok = requests.get(strict_server.url + "/sparql", params={"query": "ASK {}"}, timeout=30)
    assert ok.status_code == 200


def test_sigterm_stops_the_server_and_its_query_processes(start_server, built_dir: Path) -> None:
    server = start_server("--build", str(built_dir), "--workers", "2", "--threads", "2")
    # Both workers start their two query processes each; /health answers after the first.
    for _ in range(100):
        processes = _query_processes(server.process.pid)
        if len(processes) == 4:
            break
        time.sleep(0.1)
    assert len(processes) == 4
    server.process.send_signal(signal.SIGTERM)
    assert server.process.wait(timeout=30) == 0
    for _ in range(50):
        alive = [pid for pid in processes if Path(f"/proc/{pid}").exists()]
        if not alive:
            break
        time.sleep(0.1)
    assert not alive
    assert "Traceback" not in server.output()


def _serve(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MKG_")}
    return subprocess.run(
        [sys.executable, "-m", "server.cli", "serve", "--port", str(free_port()), *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_missing_build_is_a_one_line_error(tmp_path: Path) -> None:
    done = _serve("--build", str(tmp_path / "nothing"))
    assert done.returncode != 0
    missing = tmp_path / "nothing"
    assert done.stderr.strip().splitlines() == [
        f"Error: no build in {missing}/ (no {missing / 'current'}); "
        "run 'mkg build' first, or pass --build-dir DIR"
    ]


def test_broken_build_is_a_one_line_error(tmp_path: Path) -> None:
    release = tmp_path / "build" / "releases" / "x"
    (release / "store").mkdir(parents=True)
    (release / "manifest.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "build" / "current").symlink_to(Path("releases") / "x")
    done = _serve("--build", str(tmp_path / "build"))
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: the build in")


def test_unreadable_data_file_is_a_one_line_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle\n", encoding="utf-8")
    done = _serve("--data", str(bad))
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {bad}:")


def test_settings_come_from_mkg_environment_variables(start_server) -> None:
    settings = {"MKG_MAX_ROWS": "3", "MKG_QUERY_TIMEOUT": "1.5"}
    server = start_server(
        "--data", str(SERVER_DATA / "things.trig"),
        env={**settings, "MKG_WORKERS": "1", "MKG_THREADS": "1"},
    )  # fmt: skip
    url = server.url + "/sparql"
    response = requests.get(url, params={"query": "SELECT * { ?s ?p ?o }"}, timeout=30)
    assert response.headers["MKG-Truncated"] == "true; max-rows=3"
    # The slice is small: five copies of it make the cross product large enough.
    runaway = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
    started = time.monotonic()
    stopped = requests.get(url, params={"query": runaway}, timeout=30)
    assert stopped.status_code == 503 and time.monotonic() - started < 10
    assert "1.5 s" in stopped.json()["error"]


MEMORY_HOG = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f"
MEMORY_LIMIT_MB = 1024


def _address_space_limits(server_pid: int) -> list[int]:
    """Return the RLIMIT_AS of each query process under a server, in bytes."""
    limits = []
    for pid in _query_processes(server_pid):
        for line in Path(f"/proc/{pid}/limits").read_text().splitlines():
            if line.startswith("Max address space"):
                limits.append(int(line.split()[3]))
    return limits


def test_default_memory_limit_is_the_machines_share(strict_server) -> None:
    from server.serving import MIB, machine_memory, plan_query_memory

    memory, source = machine_memory()
    plan = plan_query_memory(processes=3, requested_mb=None, memory=memory, source=source)
    assert plan.describe() in strict_server.output()
    assert _address_space_limits(strict_server.process.pid) == [plan.per_process_mb * MIB] * 3


def test_query_past_its_memory_limit_is_stopped_while_others_are_served(
    start_server, built_dir: Path
) -> None:
    server = start_server(
        "--build", str(built_dir), "--workers", "1", "--threads", "2",
        "--query-memory", str(MEMORY_LIMIT_MB), "--timeout", "30",
    )  # fmt: skip
    assert (
        f"query memory: {MEMORY_LIMIT_MB} MiB for each of 2 query processes, "
        f"{2 * MEMORY_LIMIT_MB} MiB in all (set by --query-memory)"
    ) in server.output()
    assert _address_space_limits(server.process.pid) == [MEMORY_LIMIT_MB * 1024 * 1024] * 2
    url = server.url + "/sparql"
    outcomes: list[tuple[int, str, float]] = []

    def hog() -> None:
        for _ in range(3):
            started = time.monotonic()
            response = requests.get(url, params={"query": MEMORY_HOG}, timeout=60)
            outcomes.append(
                (response.status_code, response.json()["error"], time.monotonic() - started)
            )

    thread = threading.Thread(target=hog)
    thread.start()
    answered = 0
    # A second client keeps asking simple questions meanwhile (bounded loop).
    for _ in range(200):
        if not thread.is_alive() and answered >= 10:
            break
        response = requests.get(url, params={"query": SIMPLE}, timeout=30)
        assert response.status_code == 200 and response.json()["boolean"] is True
        answered += 1
    thread.join(timeout=120)
    print(f"\nmemory limit {MEMORY_LIMIT_MB} MiB: {outcomes}; {answered} simple queries meanwhile")
    assert len(outcomes) == 3
    for status, message, seconds in outcomes:
        assert status == 503
        assert f"its memory limit of {MEMORY_LIMIT_MB} MiB" in message
        assert seconds < 25  # stopped by the memory limit, well before the 30 s time limit
    assert requests.get(url, params={"query": SIMPLE}, timeout=30).status_code == 200
