"""`mkg serve --engine virtuoso`: mkg's own Virtuoso, holding the build it serves.

For a build, Virtuoso's files go in `BUILD/virtuoso/` and stay there: a later start that finds
the same build loaded whole (its record and every graph's count) serves it at once, and a new
build replaces the old one's graphs. For RDF files (`--data`) they go in a temporary directory,
removed when the server stops. The server is stopped when mkg stops (`local_virtuoso` is a
context manager), and by the kernel's parent-death signal should mkg be killed.
"""

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from server.engine.loading import Source, VirtuosoLoader, load, split_build, split_files
from server.engine.remote import EngineNotReady, RemoteEngine
from server.engine.virtuoso import LocalVirtuoso
from server.store import open_release

HOME = "virtuoso"
# Virtuoso's pages of 8 KiB: about one per 20 quads keeps a build's indexes in memory; never
# fewer than this (64 MiB), never more than a quarter of the machine's memory.
_MIN_BUFFERS = 8_000


@dataclass(frozen=True)
class Running:
    """mkg's Virtuoso as the server fronts it: its endpoint, and a name for messages."""

    url: str
    label: str
    loaded: bool
    virtuoso: LocalVirtuoso


def buffers_for(quads: int) -> int:
    """Return how many 8 KiB buffers Virtuoso gets for a dataset of `quads`."""
    memory = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    return max(_MIN_BUFFERS, min(quads // 20, memory // 4 // 8192))


@contextmanager
def local_virtuoso(
    *,
    build_dir: Path | None = None,
    files: Sequence[tuple[Path, str | None]] = (),
    loaders: int | None = None,
    progress: Callable[[str], None] = lambda _: None,
) -> Iterator[Running]:
    """Start mkg's Virtuoso holding the build in `build_dir` (or `files`); stop it on exit."""
    temporary = None
    if files:
        temporary = Path(tempfile.mkdtemp(prefix="mkg-virtuoso-"))
        home = temporary
    else:
        assert build_dir is not None
        home = Path(build_dir) / HOME
    release = None if files else open_release(build_dir)  # type: ignore[arg-type]
    try:
        quads = 0 if release is None else sum(release.manifest.get("graphs", {}).values())
        virtuoso = LocalVirtuoso(home, buffers=buffers_for(quads))
        progress(f"starting Virtuoso in {home}")
        virtuoso.start()
        try:
            engine = RemoteEngine(virtuoso.sparql_url, timeout=300)
            loaded = False
            if release is None or not _holds(engine, release.path.name):
                source = _source(virtuoso, None if release is None else release.path, files)
                progress(f"loading {source.title} into Virtuoso")
                try:
                    done = load(
                        engine,
                        VirtuosoLoader(engine, virtuoso.isql(), loaders=loaders or _cores()),
                        source,
                        progress=progress,
                    )
                finally:
                    shutil.rmtree(virtuoso.load_dir, ignore_errors=True)
                    virtuoso.load_dir.mkdir(exist_ok=True)
                progress(f"loaded {done.record.triples:,} triples in {done.seconds:.1f} s")
                loaded = True
            label = f"mkg's Virtuoso at 127.0.0.1:{virtuoso.http_port}"
            yield Running(virtuoso.sparql_url, label, loaded, virtuoso)
        finally:
            virtuoso.stop()
    finally:
        if release is not None:
            release.lease.release_lease()
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)


def _holds(engine: RemoteEngine, build: str) -> bool:
    """Return whether the engine holds the build `build` whole."""
    try:
        engine.open()
    except EngineNotReady:
        return False
    return engine.build_id == build


def _source(
    virtuoso: LocalVirtuoso, release: Path | None, files: Sequence[tuple[Path, str | None]]
) -> Source:
    shutil.rmtree(virtuoso.load_dir, ignore_errors=True)
    virtuoso.load_dir.mkdir()
    if files:
        return split_files(files, virtuoso.load_dir)
    assert release is not None
    return split_build(release, virtuoso.load_dir)


def _cores() -> int:
    return max(1, os.cpu_count() or 1)
