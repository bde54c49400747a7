"""Shared fixtures: paths of the repository and of the optional ../shared reference data."""

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
REFERENCE = SHARED / "reference"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    """The offline identifier tables; tests that need them skip cleanly when absent."""
    if not REFERENCE.is_dir():
        pytest.skip("../shared/reference is not present")
    return REFERENCE


@pytest.fixture(scope="session")
def seed_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build of the shipped review, made once for the whole run (builds are read-only)."""
    from ingest.build import build

    out = tmp_path_factory.mktemp("seed-build")
    build(out=out)
    return out


@pytest.fixture(scope="session")
def store(seed_out: Path):
    """The seed build's Oxigraph store, opened read-only."""
    from server.engine.oxigraph import open_build

    return open_build(seed_out).store


# The engines mkg serves from: the embedded store, and Virtuoso (mkg serve --engine virtuoso,
# and mkg serve --engine URL over a Virtuoso the tests start and fill with mkg load).
ENGINES = ["oxigraph"]


@pytest.fixture(scope="session")
def seed_oxigraph(seed_out: Path):
    """The seed build on the embedded engine, queried in this process."""
    from server import DEFAULTS
    from server.engine import open_engine

    engine = open_engine({**DEFAULTS, "BUILD_DIR": str(seed_out), "QUERY_PROCESSES": 0})
    yield engine
    engine.close()


# Live servers for the server tests: `mkg serve` as a subprocess on a free port of 127.0.0.1.

SERVER_DATA = REPO / "tests" / "data" / "server"
PROTOCOL_GRAPH = "http://kasei.us/2009/09/sparql/data/data{}.rdf"


def free_port() -> int:
    """Return a TCP port of 127.0.0.1 that nothing listens on right now."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class LiveServer:
    """`mkg serve ARGS` in a subprocess, started and waited for until /health answers."""

    def __init__(self, args: list[str], log_dir: Path, env: dict[str, str] | None = None) -> None:
        import os
        import subprocess
        import sys

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_dir / f"serve-{self.port}.log"
        environment = {k: v for k, v in os.environ.items() if not k.startswith("MKG_")}
        environment.update(env or {})
        command = [sys.executable, "-m", "server.cli", "serve", "--host", "127.0.0.1"]
        command += ["--port", str(self.port), *args]
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                command, cwd=REPO, env=environment, stdout=log, stderr=subprocess.STDOUT
            )
        try:
            self._wait_until_healthy()
        except BaseException:
            self.stop()
            raise

    def _wait_until_healthy(self, seconds: float = 60.0) -> None:
        import time

        import requests

        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"mkg serve exited early:\n{self.output()}")
            try:
                if requests.get(self.url + "/health", timeout=5).status_code == 200:
                    return
            except (requests.ConnectionError, requests.Timeout):
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"mkg serve did not answer /health in {seconds} s:\n{self.output()}")

    def output(self) -> str:
        """Return what the server printed so far."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> int:
        """Stop the server with SIGTERM (SIGKILL after 30 s) and return its exit code."""
        import signal
        import subprocess

        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return int(self.process.returncode)


@pytest.fixture(scope="session")
def built_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build of the shipped review made once per test run with `mkg build --out`."""
    import subprocess
    import sys

    out = tmp_path_factory.mktemp("build")
    done = subprocess.run(
        [sys.executable, "-m", "server.cli", "build", "--out", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, f"mkg build failed:\n{done.stdout}\n{done.stderr}"
    return out


@pytest.fixture(scope="session")
def start_server(tmp_path_factory: pytest.TempPathFactory):
    """Start `mkg serve` with the given arguments; every server is stopped after the run."""
    servers: list[LiveServer] = []
    log_dir = tmp_path_factory.mktemp("serve-logs")

    def start(*args: str, env: dict[str, str] | None = None) -> LiveServer:
        server = LiveServer(list(args), log_dir, env)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def live_server(start_server, built_dir: Path) -> LiveServer:
    """The server over the current build."""
    return start_server("--build", str(built_dir), "--workers", "1", "--threads", "4")


@pytest.fixture(scope="session")
def things_server(start_server) -> LiveServer:
    """A server over the hand-written slice tests/data/server/things.trig."""
    return start_server("--data", str(SERVER_DATA / "things.trig"), "--workers", "1")


@pytest.fixture(scope="session")
def protocol_server(start_server) -> LiveServer:
    """A server over the W3C protocol test data, each file in its named graph."""
    args: list[str] = ["--workers", "1", "--base", "http://kasei.us/2009/09/sparql/data/"]
    for number in (1, 2, 3):
        data = SERVER_DATA / f"data{number}.nt"
        args += ["--data-graph", PROTOCOL_GRAPH.format(number), str(data)]
    return start_server(*args)
