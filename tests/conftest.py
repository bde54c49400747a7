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


# The engines mkg serves from: its embedded store ("oxigraph"), its own Virtuoso ("virtuoso":
# `mkg serve --engine virtuoso`), and a SPARQL endpoint someone else runs ("sparql": `mkg serve
# --engine URL` over one Virtuoso the tests start for the session and fill with `mkg load`).
# A test module (or test) opts in with `pytestmark = pytest.mark.engines(*ENGINES)`: then the
# servers it uses (live_server, things_server, protocol_server) come in every engine.
ENGINES = ("oxigraph", "virtuoso", "sparql")
# things.trig names the graphs of a build (graph/entities, ...): the session's Virtuoso, which
# holds the seed build, cannot hold it too; its pages run on mkg's own Virtuoso.
_NOT_IN_THE_SESSION_VIRTUOSO = {"things_server"}
_SERVERS = {"live_server", "things_server", "protocol_server"}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "engines(*names): run with the servers of these engines")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrise the tests that use a server and opted in over the engines they name."""
    used = _SERVERS & set(metafunc.fixturenames)
    marker = metafunc.definition.get_closest_marker("engines")
    if not used or marker is None:
        return
    engines = [
        name
        for name in marker.args
        if not (name == "sparql" and used & _NOT_IN_THE_SESSION_VIRTUOSO)
    ]
    metafunc.parametrize("served_by", engines, indirect=True, scope="session")


@pytest.fixture(scope="session")
def served_by(request: pytest.FixtureRequest) -> str:
    """The engine the servers of a test answer from (the embedded store unless parametrised)."""
    return getattr(request, "param", "oxigraph")


@pytest.fixture(scope="session")
def seed_oxigraph(seed_out: Path):
    """The seed build on the embedded engine, queried in this process."""
    from server import DEFAULTS
    from server.engine import open_engine

    engine = open_engine({**DEFAULTS, "BUILD_DIR": str(seed_out), "QUERY_PROCESSES": 0})
    yield engine
    engine.close()


@pytest.fixture(scope="session")
def session_virtuoso(tmp_path_factory: pytest.TempPathFactory):
    """One Virtuoso for the session, on ports of 127.0.0.1 (skipped where none is installed)."""
    from server.engine.virtuoso import LocalVirtuoso, VirtuosoError, find_virtuoso

    try:
        find_virtuoso()
    except VirtuosoError as error:
        pytest.skip(str(error))
    virtuoso = LocalVirtuoso(tmp_path_factory.mktemp("virtuoso"), buffers=8000)
    virtuoso.start()
    yield virtuoso
    virtuoso.stop()


def mkg_load(virtuoso, *args: str) -> None:
    """Run `mkg load` into `virtuoso` with its bulk loader, as a user would."""
    import os
    import subprocess
    import sys

    command = [sys.executable, "-m", "server.cli", "load", "--engine", virtuoso.sparql_url]
    command += ["--virtuoso", f"127.0.0.1:{virtuoso.sql_port}"]
    command += ["--virtuoso-dir", str(virtuoso.load_dir), *args]
    environment = {k: v for k, v in os.environ.items() if not k.startswith("MKG_")}
    environment["MKG_VIRTUOSO_PASSWORD"] = virtuoso.password
    done = subprocess.run(
        command, cwd=REPO, env=environment, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, f"mkg load failed:\n{done.stdout}\n{done.stderr}"


@pytest.fixture(scope="session")
def loaded_virtuoso(session_virtuoso, built_dir: Path):
    """The session's Virtuoso holding the build (load 'mkg') and the W3C protocol data
    (load 'protocol'), both put there by `mkg load`."""
    mkg_load(session_virtuoso, "--build", str(built_dir))
    args: list[str] = ["--name", "protocol"]
    for number in (1, 2, 3):
        args += [
            "--data-graph",
            PROTOCOL_GRAPH.format(number),
            str(SERVER_DATA / f"data{number}.nt"),
        ]
    mkg_load(session_virtuoso, *args)
    return session_virtuoso


@pytest.fixture(scope="session")
def seed_sparql(loaded_virtuoso, seed_out: Path):
    """The build loaded into the session's Virtuoso, queried through the remote engine.

    It is the build of `built_dir`, made from the same page as `seed_out`: the same graphs.
    """
    from server.engine.remote import RemoteEngine

    engine = RemoteEngine(loaded_virtuoso.sparql_url, timeout=60).open()
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

    def __init__(
        self,
        args: list[str],
        log_dir: Path,
        env: dict[str, str] | None = None,
        *,
        wait: float = 60.0,
    ) -> None:
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
            self._wait_until_healthy(wait)
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


def _serve(request: pytest.FixtureRequest, log_dir: Path, args: list[str], load: str):
    """Start `mkg serve ARGS` on the engine of the test: the data of ARGS on the embedded store
    or mkg's own Virtuoso, or the load `load` of the session's Virtuoso."""
    engine = request.getfixturevalue("served_by")
    if engine == "virtuoso":
        args = ["--engine", "virtuoso", *args]
    elif engine == "sparql":
        virtuoso = request.getfixturevalue("loaded_virtuoso")
        data = {"--data", "--data-graph"}
        kept, skip = [], 0
        for arg in args:
            if skip:
                skip -= 1
            elif arg in data:
                skip = 1 if arg == "--data" else 2
            else:
                kept.append(arg)
        args = ["--engine", virtuoso.sparql_url, "--load", load, *kept]
    if engine != "oxigraph":
        # Virtuoso's plan for some named queries varies from run to run (query 12 on the seed:
        # 2 to 50 s): these servers test answers, bench/bench_engines.py measures time.
        args = [*args, "--timeout", "120"]
    return LiveServer(args, log_dir, wait=180.0)


@pytest.fixture(scope="session")
def live_server(request, served_by: str, built_dir: Path, tmp_path_factory):
    """The server over the current build."""
    log_dir = tmp_path_factory.mktemp("serve-logs")
    args = ["--build", str(built_dir), "--workers", "1", "--threads", "4"]
    server = _serve(request, log_dir, args, "mkg")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def things_server(request, served_by: str, tmp_path_factory):
    """A server over the hand-written slice tests/data/server/things.trig."""
    log_dir = tmp_path_factory.mktemp("serve-logs")
    args = ["--data", str(SERVER_DATA / "things.trig"), "--workers", "1"]
    server = _serve(request, log_dir, args, "things")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def protocol_server(request, served_by: str, tmp_path_factory):
    """A server over the W3C protocol test data, each file in its named graph."""
    log_dir = tmp_path_factory.mktemp("serve-logs")
    args: list[str] = ["--workers", "1", "--base", "http://kasei.us/2009/09/sparql/data/"]
    for number in (1, 2, 3):
        data = SERVER_DATA / f"data{number}.nt"
        args += ["--data-graph", PROTOCOL_GRAPH.format(number), str(data)]
    server = _serve(request, log_dir, args, "protocol")
    yield server
    server.stop()


# A build of a review's full text: a short JATS review whose body cites its references in
# sentences that name genes, drugs and sites (citation contexts, queries/18-*).

CONTEXTS_REVIEW = REPO / "tests" / "data" / "contexts" / "review.jats.xml"


@pytest.fixture(scope="session")
def contexts_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build of the JATS review with body text, made once for the whole run."""
    from ingest.build import build

    out = tmp_path_factory.mktemp("contexts-build")
    build([CONTEXTS_REVIEW], out=out)
    return out


@pytest.fixture(scope="session")
def contexts_oxigraph(contexts_out: Path):
    """The full-text build on the embedded engine, queried in this process."""
    from server import DEFAULTS
    from server.engine import open_engine

    engine = open_engine({**DEFAULTS, "BUILD_DIR": str(contexts_out), "QUERY_PROCESSES": 0})
    yield engine
    engine.close()


@pytest.fixture(scope="session")
def contexts_sparql(tmp_path_factory: pytest.TempPathFactory, contexts_out: Path):
    """The full-text build loaded by `mkg load` into a Virtuoso of its own (the session's holds
    the seed build, whose graphs have the same names), queried through the remote engine."""
    from server.engine.remote import RemoteEngine
    from server.engine.virtuoso import LocalVirtuoso, VirtuosoError, find_virtuoso

    try:
        find_virtuoso()
    except VirtuosoError as error:
        pytest.skip(str(error))
    virtuoso = LocalVirtuoso(tmp_path_factory.mktemp("virtuoso-contexts"), buffers=8000)
    virtuoso.start()
    try:
        mkg_load(virtuoso, "--build", str(contexts_out))
        engine = RemoteEngine(virtuoso.sparql_url, timeout=60).open()
        yield engine
        engine.close()
    finally:
        virtuoso.stop()
