"""The build on Dask: byte-identical to a local build, same errors, refused when it cannot run.

A real scheduler and two workers run as separate processes on 127.0.0.1, each in a working
directory of its own, so they share nothing with the build but what Dask carries (the package
they import is the installed mkg, as on a cluster). Builds run as `mkg build` subprocesses.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import REPO, free_port
from rdflib import Graph

from ingest import build as build_module
from ingest.build import build
from ingest.errors import BuildError, PageFormatError, ValidationError
from ingest.executors import ExecutorOptions
from ingest.executors.persons import conflicts, earlier_names, merge
from ingest.parse import parse_file
from ingest.resources import DEFAULT_SOURCE, source_path

pytest.importorskip("distributed")

from distributed import KilledWorker  # noqa: E402

from ingest.executors import dask as dask_executor  # noqa: E402

DATA = Path(__file__).parent / "data"
SMALL = DATA / "review_small.txt"
DUMPS = ("mkg.nq", "mkg.ttl", "mkg.owl")
# Seconds a scheduler or worker gets to start, and a build to finish.
START_SECONDS = 60
BUILD_SECONDS = 300


def _environment() -> dict[str, str]:
    return {key: value for key, value in os.environ.items() if not key.startswith("MKG_")}


# ------------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The shipped review and two small synthetic ones, the second printing a name the first
    prints otherwise ('De Vos, F.Y.' after 'de Vos, F.Y.'), so that their person IRIs depend on
    page order."""
    sys.path.insert(0, str(REPO / "bench"))
    import corpus

    out = tmp_path_factory.mktemp("pages")
    synthetic = corpus.write_corpus(2, seed=0, out=out, references=(10, 20))
    for path, name in zip(synthetic, ("de Vos, F.Y.", "De Vos, F.Y."), strict=True):
        text = path.read_text(encoding="utf-8")
        first = re.compile(r"^(  1\. )[^,]+, [A-Z][A-Za-z.-]*", re.MULTILINE)
        text, count = first.subn(lambda match, name=name: match.group(1) + name, text, count=1)
        assert count == 1
        path.write_text(text, encoding="utf-8")
    return [source_path(DEFAULT_SOURCE), *synthetic]


@pytest.fixture(scope="module")
def local_build(pages: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("local-build")
    build(pages, out=out, jobs=2)
    return out


class Processes:
    """Processes started for a test, each with its log; all stopped at the end."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.started: list[tuple[subprocess.Popen[bytes], Path]] = []

    def start(self, name: str, command: list[str], env: dict[str, str] | None = None) -> Path:
        """Start `command` in a working directory of its own; return its log file."""
        directory = self.root / name
        directory.mkdir()
        log = directory / "log.txt"
        with log.open("wb") as handle:
            process = subprocess.Popen(
                command,
                cwd=directory,
                env={**_environment(), **(env or {})},
                stdout=handle,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.started.append((process, log))
        return log

    def stop(self) -> None:
        for process, _ in reversed(self.started):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process, _ in reversed(self.started):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def logs(self) -> str:
        return "\n".join(log.read_text(errors="replace") for _, log in self.started)


def _start_cluster(
    processes: Processes,
    workers: int,
    *,
    preload: Path | None = None,
    allowed_failures: int | None = None,
) -> str:
    """Start a scheduler and `workers` workers on 127.0.0.1; return the scheduler's address.

    `allowed_failures`: how often the scheduler retries a task whose worker died.
    """
    scheduler_file = processes.root / "scheduler.json"
    config = {}
    if allowed_failures is not None:
        config["DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES"] = str(allowed_failures)
    processes.start(
        "scheduler",
        [sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1"]
        + ["--port", "0", "--no-dashboard", "--scheduler-file", str(scheduler_file)],
        env=config,
    )
    deadline = time.monotonic() + START_SECONDS
    while not scheduler_file.exists():
        if time.monotonic() > deadline:
            raise RuntimeError(f"the scheduler did not start:\n{processes.logs()}")
        time.sleep(0.1)
    address = str(json.loads(scheduler_file.read_text())["address"])
    logs = []
    for number in range(workers):
        command = [sys.executable, "-m", "distributed.cli.dask_worker", address]
        command += ["--nthreads", "1", "--host", "127.0.0.1", "--no-dashboard"]
        command += ["--local-directory", "scratch", "--name", f"worker-{number}"]
        if preload is not None:
            command += ["--preload", str(preload)]
        logs.append(processes.start(f"worker-{number}", command))
    while not all("Registered to" in log.read_text(errors="replace") for log in logs):
        if time.monotonic() > deadline:
            raise RuntimeError(f"the workers did not join:\n{processes.logs()}")
        time.sleep(0.2)
    return address


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The address of a scheduler with two one-thread workers, each a process of its own."""
    processes = Processes(tmp_path_factory.mktemp("cluster"))
    try:
        yield _start_cluster(processes, 2)
    finally:
        processes.stop()


def _mkg_build(
    pages: list[Path], out: Path, *options: str, timeout: float = BUILD_SECONDS
) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "server.cli", "build", *map(str, pages), "--out", str(out)]
    return subprocess.run(
        [*command, *options],
        cwd=out.parent,
        env=_environment(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _manifest(out: Path) -> dict[str, object]:
    data = json.loads((out / "current" / "manifest.json").read_text(encoding="utf-8"))
    for varying in ("built", "timings_seconds", "executor"):
        data.pop(varying)
    return data


def _assert_same_build(out: Path, local: Path) -> None:
    for name in DUMPS:
        assert (out / "current" / name).read_bytes() == (local / "current" / name).read_bytes(), (
            name
        )
    assert _manifest(out) == _manifest(local)


def _executor(out: Path) -> object:
    data = json.loads((out / "current" / "manifest.json").read_text(encoding="utf-8"))
    return data["executor"]


# ---------------------------------------------------------------------------- the builds


def test_build_on_an_existing_cluster_equals_the_local_build(
    scheduler: str, pages: list[Path], local_build: Path, tmp_path: Path
) -> None:
    out = tmp_path / "build"
    done = _mkg_build(pages, out, "--scheduler", scheduler)
    assert done.returncode == 0, done.stderr
    _assert_same_build(out, local_build)
    assert _executor(out) == {"name": "dask", "workers": 2}
    assert _executor(local_build) == {"name": "local", "workers": 2}
    # The second synthetic page was mapped again, after the first's 'de Vos, F.Y.'.
    assert "map 1 document(s) again" in done.stderr
    dump = (out / "current" / "mkg.nq").read_text(encoding="utf-8")
    assert "/person/de-vos-fy>" in dump and "/person/de-vos-fy--" in dump


def test_parts_through_a_file_url_and_a_scheduler_file(
    scheduler: str, pages: list[Path], local_build: Path, tmp_path: Path
) -> None:
    shared = tmp_path / "shared parts"
    shared.mkdir()
    out = tmp_path / "build"
    # The scheduler named by a scheduler file this time, as dask-jobqueue or `dask scheduler
    # --scheduler-file` write them.
    scheduler_file = tmp_path / "scheduler.json"
    scheduler_file.write_text(json.dumps({"address": scheduler}), encoding="utf-8")
    done = _mkg_build(
        pages, out, "--scheduler", str(scheduler_file), "--parts-url", shared.as_uri()
    )
    assert done.returncode == 0, done.stderr
    _assert_same_build(out, local_build)
    assert list(shared.iterdir()) == []


def test_build_on_a_local_dask_cluster_equals_the_local_build(
    pages: list[Path], local_build: Path, tmp_path: Path
) -> None:
    out = tmp_path / "build"
    done = _mkg_build(pages, out, "--executor", "dask", "--jobs", "2")
    assert done.returncode == 0, done.stderr
    _assert_same_build(out, local_build)
    assert _executor(out) == {"name": "dask", "workers": 2}
    assert "start a Dask cluster of 2 worker(s) on 127.0.0.1" in done.stderr


# ------------------------------------------------------------------------------- failures


def _last_line(done: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in done.stderr, done.stderr
    return done.stderr.strip().splitlines()[-1]


def test_a_page_that_fails_on_a_worker_fails_the_build_as_locally(
    scheduler: str, local_build: Path, tmp_path: Path
) -> None:
    out = tmp_path / "build"
    shutil.copytree(local_build, out, symlinks=True)
    before = os.readlink(out / "current")
    bad = tmp_path / "bad.txt"
    text = SMALL.read_text(encoding="utf-8")
    bad.write_text(text[: text.index("  7. Cavallaro")], encoding="utf-8")
    with pytest.raises(PageFormatError) as caught:
        parse_file(bad)
    done = _mkg_build([bad], out, "--scheduler", scheduler)
    assert done.returncode == 1
    assert _last_line(done) == f"Error: {caught.value}"
    assert os.readlink(out / "current") == before
    assert not [p for p in (out / "releases").iterdir() if p.name.startswith(".staging")]


def test_a_graph_that_does_not_validate_on_a_worker_fails_the_build(
    scheduler: str, local_build: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The shapes travel from the build process: stricter ones fail the small page's graph."""
    out = tmp_path / "build"
    shutil.copytree(local_build, out, symlinks=True)
    before = os.readlink(out / "current")
    strict = Graph().parse(
        data="""@prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix fabio: <http://purl.org/spar/fabio/> .
        @prefix prism: <http://prismstandard.org/namespaces/basic/2.0/> .
        <urn:test:DoiShape> a sh:NodeShape ; sh:targetClass fabio:JournalArticle ;
          sh:property [ sh:path prism:doi ; sh:minCount 1 ;
                        sh:message "Every paper needs a DOI." ] .
        """,
        format="turtle",
    )
    monkeypatch.setattr(build_module, "load_shapes", lambda: strict)
    with pytest.raises(ValidationError) as caught:
        build([SMALL], out=out, executor="dask", scheduler=scheduler)
    message = str(caught.value)
    assert message.startswith("the graph does not conform to the shapes; nothing installed\n")
    assert "Every paper needs a DOI." in message
    assert "paper/paget-1889-lancet-1-571" in message
    assert os.readlink(out / "current") == before
    assert not [p for p in (out / "releases").iterdir() if p.name.startswith(".staging")]


def test_an_unreachable_scheduler_is_a_quick_one_line_error(tmp_path: Path) -> None:
    address = f"tcp://127.0.0.1:{free_port()}"
    clock = time.monotonic()
    done = _mkg_build([SMALL], tmp_path / "build", "--scheduler", address, timeout=60)
    assert time.monotonic() - clock < dask_executor.CONNECT_SECONDS + 20
    assert done.returncode == 1
    assert _last_line(done).startswith(f"Error: cannot reach the Dask scheduler at {address}: ")
    assert not (tmp_path / "build" / "current").exists()


def test_a_worker_running_another_mkg_is_refused(tmp_path: Path) -> None:
    preload = tmp_path / "older_mkg.py"
    preload.write_text('import ingest\ningest.__version__ = "0.0.1"\n', encoding="utf-8")
    processes = Processes(tmp_path)
    try:
        address = _start_cluster(processes, 1, preload=preload)
        out = tmp_path / "build"
        done = _mkg_build([SMALL], out, "--scheduler", address)
    finally:
        processes.stop()
    assert done.returncode == 1
    line = _last_line(done)
    assert line.startswith("Error: Dask worker tcp://127.0.0.1:")
    assert line.endswith(
        "runs mkg 0.0.1, this build mkg 0.1.0: install the same mkg (and its dependencies) "
        "on every worker"
    )
    assert not (out / "current").exists()


# A worker preload that makes the worker process die in its first document task; with a
# marker file, only the first time any worker runs one. (Dask may run a preload twice.)
DYING = """\
import os
from pathlib import Path

import ingest.executors.dask as executor

MARKER = {marker!r}


def dying(*args, mapping=executor.map_document, **kwargs):
    if MARKER is None or not Path(MARKER).exists():
        if MARKER is not None:
            Path(MARKER).write_text("died")
        os._exit(1)
    return mapping(*args, **kwargs)


if not hasattr(executor.map_document, "dies"):
    dying.dies = True
    executor.map_document = dying
"""


def test_a_lost_worker_is_retried(tmp_path: Path) -> None:
    marker = tmp_path / "died"
    preload = tmp_path / "dies_once.py"
    preload.write_text(DYING.format(marker=str(marker)), encoding="utf-8")
    local = tmp_path / "local"
    build([SMALL], out=local, jobs=1)
    processes = Processes(tmp_path)
    try:
        address = _start_cluster(processes, 1, preload=preload)
        done = _mkg_build([SMALL], tmp_path / "build", "--scheduler", address)
    finally:
        processes.stop()
    assert done.returncode == 0, done.stderr
    assert marker.exists()
    for name in DUMPS:
        built = (tmp_path / "build" / "current" / name).read_bytes()
        assert built == (local / "current" / name).read_bytes(), name


def test_a_task_whose_workers_keep_dying_fails_the_build(tmp_path: Path) -> None:
    preload = tmp_path / "dies.py"
    preload.write_text(DYING.format(marker=None), encoding="utf-8")
    processes = Processes(tmp_path)
    try:
        address = _start_cluster(processes, 1, preload=preload, allowed_failures=0)
        done = _mkg_build([SMALL], tmp_path / "build", "--scheduler", address)
    finally:
        processes.stop()
    assert done.returncode == 1
    assert _last_line(done) == (
        f"Error: mapping {SMALL.name}: the Dask worker that ran it died, and so did those it "
        "was retried on (the scheduler's allowed-failures); see the workers' logs; nothing "
        "installed"
    )
    assert not (tmp_path / "build" / "current").exists()


# ------------------------------------------------------------------------------ the parts


def test_identity_mismatches_are_named() -> None:
    ours = dask_executor.identity()
    assert dask_executor.mismatch("w", dict(ours), ours) is None
    files = dask_executor.mismatch("w", {**ours, "files": "0" * 64}, ours)
    assert files is not None and "other package files" in files
    rdflib = dask_executor.mismatch("w", {**ours, "rdflib": "6.0.0"}, ours)
    assert rdflib is not None and "has rdflib 6.0.0" in rdflib


def test_person_names_of_documents_mapped_side_by_side() -> None:
    from rdflib import URIRef

    plain, other = URIRef("urn:p"), URIRef("urn:q")
    seen = [{plain: "de Vos, F.Y."}, {other: "Li, X."}, {plain: "De Vos, F.Y.", other: "Li, X."}]
    merged = merge(seen)
    assert merged == {plain: "de Vos, F.Y.", other: "Li, X."}
    assert conflicts(seen, merged) == [2]
    assert earlier_names(seen[2], merged) == {plain: "de Vos, F.Y.", other: "Li, X."}


def test_a_task_whose_workers_died_is_a_one_line_error() -> None:
    def killed() -> None:
        raise KilledWorker("mkg-document-3", "tcp://127.0.0.1:1", 3)

    executor = object.__new__(dask_executor.DaskExecutor)
    executor.address = "tcp://127.0.0.1:1"
    executor._outstanding = set()
    with pytest.raises(BuildError) as caught:
        executor._result(SimpleNamespace(result=killed), "mapping synthetic-0003.txt")
    message = str(caught.value)
    assert message.startswith("mapping synthetic-0003.txt: the Dask worker that ran it died")
    assert "\n" not in message


def test_options_that_do_not_go_together_are_refused() -> None:
    with pytest.raises(BuildError, match="needs the dask executor"):
        ExecutorOptions("local", scheduler="tcp://127.0.0.1:8786").check()
    with pytest.raises(BuildError, match="needs the dask executor"):
        ExecutorOptions("local", parts_url="file:///tmp/parts").check()
    with pytest.raises(BuildError, match="unknown executor"):
        ExecutorOptions("ray").check()
