"""Releases, leases and the build lock: "a running server dies after three rebuilds".

The finding: `mkg build` kept the 3 newest releases and deleted the one a running server had
open; the next query process replaced after that could not open the store, so every query
failed with 503 while /health still said 200 and /dumps/mkg.nq returned 500. Two builds into
one output directory chose the same release name and one removed the release `current`
pointed to, and builds killed with -9 left their staging folders behind for ever.
"""

import fcntl
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner
from conftest import REPO

from ingest import build as build_module
from ingest import layout
from ingest.build import build
from ingest.errors import BuildError
from server.cli import main

DATA = Path(__file__).parent / "data"
SMALL = DATA / "review_small.txt"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SIMPLE = "ASK { ?s a <https://w3id.org/mkg/ontology/Gene> }"


def _build_small(out: Path) -> Path:
    """Build the small page into `out` (one validation process) and return the new release."""
    return build([SMALL], out=out, jobs=1).release


def _fake_release(out: Path, name: str, *, lease: bool = True) -> Path:
    """Make a directory that looks like an installed release (a store and a manifest)."""
    release = out / layout.RELEASES / name
    (release / layout.STORE).mkdir(parents=True)
    (release / layout.MANIFEST).write_text("{}\n", encoding="utf-8")
    if lease:
        (release / layout.LEASE).touch()
    return release


def _is_leased(release: Path) -> bool:
    """Return whether some process holds a lease on `release` (without disturbing it)."""
    fd = os.open(release / layout.LEASE, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def _wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {seconds} s for {what}")
        time.sleep(0.2)


# The server across rebuilds.


def test_server_keeps_answering_from_its_release_across_rebuilds_and_moves_on_sighup(
    start_server, tmp_path: Path
) -> None:
    out = tmp_path / "build"
    served = _build_small(out)
    server = start_server(
        "--build", str(out), "--workers", "1", "--threads", "2", "--timeout", "3"
    )  # fmt: skip
    try:
        _rebuild_replace_and_reload(server.url, server.process, out, served)
    finally:
        server.stop()


def _rebuild_replace_and_reload(url: str, process, out: Path, served: Path) -> None:
    dump = requests.get(url + "/dumps/mkg.nq", timeout=30)
    assert dump.status_code == 200
    store = (served / "store").stat().st_ino
    # Rebuilds start in a later second than the served build: before release names were
    # unique, a build in the same second took the served release's name and replaced it.
    time.sleep(1)
    newest = served
    for _ in range(4):
        newest = _build_small(out)
    assert (out / "current").resolve() == newest
    # A query past the time limit kills its query process; the one started in its place
    # opens the served release's store, which must still be there.
    runaway = requests.get(url + "/sparql", params={"query": RUNAWAY}, timeout=60)
    assert runaway.status_code == 503 and "time limit" in runaway.json()["error"]
    for number in range(4):
        # A different query each time: a repeated one would be answered from the result cache.
        query = SIMPLE.replace("}", f"FILTER (?s != <urn:x:{number}>) }}")
        response = requests.get(url + "/sparql", params={"query": query}, timeout=30)
        assert response.status_code == 200, response.text
        assert response.json()["boolean"] is True
    health = requests.get(url + "/health", timeout=30)
    assert health.status_code == 200, health.text
    assert health.json()["build"] == served.name
    assert health.json()["data"] == f"build {served.name}"
    again = requests.get(url + "/dumps/mkg.nq", timeout=30)
    assert again.status_code == 200 and again.content == dump.content
    # The served release is leased, so kept (the very same store) beyond the newest three.
    assert (served / "store").stat().st_ino == store and _is_leased(served)
    assert len(layout.release_directories(out)) == build_module.KEEP_RELEASES + 1
    # On SIGHUP the workers are replaced; the new ones serve the newest release.
    process.send_signal(signal.SIGHUP)

    def serves_newest() -> bool:
        answer = requests.get(url + "/health", timeout=30)
        return answer.status_code == 200 and answer.json()["build"] == newest.name

    _wait_for(serves_newest, 60, "the server to serve the newest build after SIGHUP")
    assert requests.get(url + "/health", timeout=30).json()["built"] is not None
    # The old workers exit and drop their lease; the next build removes the old release.
    _wait_for(lambda: not _is_leased(served), 60, "the old workers to drop their lease")
    _build_small(out)
    assert not served.exists()
    assert requests.get(url + "/sparql", params={"query": SIMPLE}, timeout=30).status_code == 200


# /health.


@pytest.fixture
def small_app(tmp_path: Path):
    from server import create_app

    out = tmp_path / "build"
    release = _build_small(out)
    app = create_app({"TESTING": True, "BUILD_DIR": str(out), "QUERY_PROCESSES": 1})
    try:
        yield app, release
    finally:
        app.extensions["mkg"].close()


def test_health_names_the_build_it_serves(small_app) -> None:
    app, release = small_app
    response = app.test_client().get("/health")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["build"] == release.name
    assert body["built"] and body["version"]


def test_health_is_503_when_the_store_is_gone(small_app) -> None:
    app, release = small_app
    client = app.test_client()
    assert client.get("/health").status_code == 200
    moved = release.with_name("elsewhere")
    (release / layout.STORE).rename(moved)
    response = client.get("/health")
    assert response.status_code == 503
    assert response.get_json() == {
        "error": f"cannot answer from build {release.name}: "
        f"the release {release.name} is gone from disk",
        "status": 503,
    }


def test_health_is_503_when_no_query_process_answers(small_app, monkeypatch) -> None:
    from server.engine import WorkerLost

    app, _ = small_app

    class DeadPool:
        def run(self, job, *, timeout):
            raise WorkerLost("cannot open the store: gone")

    monkeypatch.setattr(app.extensions["mkg"], "pool", lambda: DeadPool())
    response = app.test_client().get("/health")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == 503 and "cannot open the store" in body["error"]


# Builds into one output directory.


def test_a_second_build_into_the_same_out_is_refused_naming_the_pid(tmp_path: Path) -> None:
    out = tmp_path / "build"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from pathlib import Path; from ingest.layout import build_lock\n"
            "with build_lock(Path(sys.argv[1])):\n    print('locked', flush=True)\n"
            "    sys.stdin.read()\n",
            str(out),
        ],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        result = CliRunner().invoke(main, ["build", str(SMALL), "--out", str(out), "-j", "1"])
    finally:
        holder.communicate("", timeout=30)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"Error: another build (pid {holder.pid}) is running into {out}/ (it holds "
        f"{out / '.lock'}); wait for it to finish or stop it, then build again, or build "
        "into another --out"
    ]
    assert not (out / "releases").exists()
    # Once the holder is gone, the build runs.
    _build_small(out)
    assert layout.is_release((out / "current").resolve())


def test_two_builds_started_at_once_install_one_release(tmp_path: Path) -> None:
    out = tmp_path / "build"
    command = [sys.executable, "-m", "server.cli", "build", str(SMALL), "--out", str(out)]
    builds = [
        subprocess.Popen(
            [*command, "-j", "1"], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(2)
    ]
    done = []
    for started in builds:
        _, errors = started.communicate(timeout=120)
        done.append((started.pid, started.returncode, errors.decode()))
    codes = sorted(code for _, code, _ in done)
    if codes == [0, 0]:
        # One finished before the other started: then both installed, side by side.
        assert len(layout.release_directories(out)) == 2
    else:
        assert codes == [0, 1], done
        ((winner, _, _),) = [d for d in done if d[1] == 0]
        ((_, _, refused),) = [d for d in done if d[1] == 1]
        assert f"another build (pid {winner}) is running into {out}/" in refused
        assert len(layout.release_directories(out)) == 1
    assert layout.is_release((out / "current").resolve())


def test_release_names_are_unique_for_identical_input_in_the_same_second() -> None:
    started = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    names = {layout.release_name(started, "0123456789abcdef") for _ in range(200)}
    assert len(names) == 200
    assert all(name.startswith("20250102T030405Z-0123456789ab-") for name in names)
    assert all(f"-{os.getpid()}-" in name for name in names)


def test_installing_a_release_never_removes_an_existing_one(tmp_path: Path) -> None:
    out = tmp_path / "build"
    existing = _fake_release(out, "20250102T030405Z-0123456789ab")
    (existing / "mkg.nq").write_text("kept\n", encoding="utf-8")
    staging = out / "releases" / ".staging-1"
    staging.mkdir()
    with pytest.raises(BuildError, match="exists already"):
        build_module._release(staging, out=out, name=existing.name)
    assert (existing / "mkg.nq").read_text(encoding="utf-8") == "kept\n"
    assert staging.is_dir() and not (out / "current").exists()


# Leftovers of killed builds.


def test_staging_of_a_killed_build_is_removed_by_the_next_build(tmp_path: Path) -> None:
    out = tmp_path / "build"
    killed = subprocess.Popen(
        [sys.executable, "-m", "server.cli", "build", "--out", str(out), "-j", "2"],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        staging = out / "releases" / f".staging-{killed.pid}"
        _wait_for(lambda: (staging / "parts").is_dir(), 120, "the build to start staging")
        killed.send_signal(signal.SIGKILL)
        killed.wait(timeout=30)
        assert staging.is_dir()
        messages: list[str] = []
        build([SMALL], out=out, jobs=1, progress=messages.append)
    finally:
        # Its validation workers, if any were forked, go with it.
        try:
            os.killpg(killed.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    assert not staging.exists()
    assert messages[0] == (
        f"removing 1 folder(s) left by builds that were stopped (.staging-{killed.pid})"
    )
    assert [p.name for p in (out / "releases").iterdir()] == [(out / "current").resolve().name]


def test_trash_and_temporary_links_of_killed_builds_are_removed(tmp_path: Path) -> None:
    out = tmp_path / "build"
    (out / "releases" / ".trash-20250102T030405Z-0123456789ab-7").mkdir(parents=True)
    (out / ".current-7").symlink_to("releases/nothing")
    messages: list[str] = []
    build([SMALL], out=out, jobs=1, progress=messages.append)
    assert "(.trash-20250102T030405Z-0123456789ab-7, .current-7)" in messages[0]
    assert not (out / ".current-7").is_symlink()
    assert [p.name for p in (out / "releases").iterdir()] == [(out / "current").resolve().name]


# Leases.


def test_prune_keeps_the_newest_and_leased_releases_and_removes_the_others(
    tmp_path: Path,
) -> None:
    out = tmp_path / "build"
    names = [f"2025010{day}T000000Z-0123456789ab" for day in range(1, 8)]
    releases = [_fake_release(out, name) for name in names]
    oldest = layout.take_lease(releases[0])
    assert oldest is not None
    try:
        removed = build_module._prune(out, keep=releases[-1])
    finally:
        oldest.release_lease()
    assert removed == releases[1:4][::-1]
    assert layout.release_directories(out) == [*releases[4:][::-1], releases[0]]
    assert not list((out / "releases").glob(".trash-*"))
    # The lease dropped: the next prune removes it.
    assert build_module._prune(out, keep=releases[-1]) == [releases[0]]


def test_a_leased_release_is_not_removed_and_an_unleased_one_is(tmp_path: Path) -> None:
    release = _fake_release(tmp_path, "20250101T000000Z-0123456789ab")
    lease = layout.take_lease(release)
    assert lease is not None and lease.held
    assert layout.remove_release(release) is False
    assert release.is_dir()
    lease.release_lease()
    assert not lease.held
    assert layout.remove_release(release) is True
    assert not release.exists()
    assert list(release.parent.iterdir()) == []


def test_a_release_from_before_leases_gets_a_lease_file(tmp_path: Path) -> None:
    release = _fake_release(tmp_path, "20250101T000000Z-0123456789ab", lease=False)
    lease = layout.take_lease(release)
    assert lease is not None
    assert (release / layout.LEASE).is_file() and _is_leased(release)
    lease.release_lease()
    assert not _is_leased(release)


def test_opening_looks_again_when_the_release_is_removed_before_it_is_locked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The opener resolved `current`, a build switched and pruned, then the opener locked."""
    out = tmp_path / "build"
    old = _fake_release(out, "20250101T000000Z-0123456789ab")
    new = _fake_release(out, "20250102T000000Z-0123456789ab")
    (out / "current").symlink_to(Path("releases") / old.name)
    real_flock = fcntl.flock
    raced: list[Path] = []

    def flock_after_a_build(fd: int, operation: int) -> None:
        if operation == fcntl.LOCK_SH and not raced:
            (out / ".current-1").symlink_to(Path("releases") / new.name)
            os.replace(out / ".current-1", out / "current")
            assert layout.remove_release(old)
            raced.append(old)
        real_flock(fd, operation)

    monkeypatch.setattr(layout.fcntl, "flock", flock_after_a_build)
    lease = layout.lease_current(out)
    assert raced == [old] and not old.exists()
    assert lease is not None and lease.release == new
    assert _is_leased(new)
    lease.release_lease()


def test_open_build_holds_a_lease_until_it_is_dropped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from server.engine.oxigraph import open_build

    out = tmp_path / "build"
    release = _build_small(out)
    opened = open_build(out)
    assert opened.path == release and _is_leased(release)
    monkeypatch.setattr(build_module, "KEEP_RELEASES", 0)
    assert build_module._prune(out, keep=out) == []
    assert release.is_dir()
    opened.lease.release_lease()
    assert not _is_leased(release)
