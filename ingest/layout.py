"""The layout of a build directory, its leases and its lock: the one place that names them.

A build directory (`mkg build --out`, `mkg serve --build`) looks like this::

    build/
      .lock                        held by the build that runs now (its pid is written in it)
      current -> releases/<id>     the installed release (a symlink swapped atomically)
      releases/<id>/lease          held (shared) by every process that serves this release
      releases/<id>/store/         the Oxigraph store
      releases/<id>/mkg.nq         the dumps: N-Quads, Turtle, RDF/XML
      releases/<id>/manifest.json  what was built, from what, when, and the counts
      releases/<id>/grounding.tsv  every mention with its grounding
      releases/<id>/search.sqlite  the search index: names, identifiers, titles (ingest/searchindex)
      releases/.staging-<pid>      a build in progress (left behind only by a build that was killed)
      releases/.trash-<id>-<pid>   a release being removed

A process that serves a release holds a shared `flock` on its lease file for as long as it
serves it; the kernel drops the lock when the process exits, so a lease never goes stale. A
build removes an old release only after taking an exclusive lock on its lease, and renames the
release away while it holds that lock, so an opener either finds the release leased or finds
it gone (and looks again).
"""

import errno
import fcntl
import os
import secrets
import shutil
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from ingest.errors import BuildError

CURRENT = "current"
RELEASES = "releases"
STORE = "store"
NQUADS = "mkg.nq"
TURTLE = "mkg.ttl"
OWL = "mkg.owl"
DUMP_FILES = (NQUADS, TURTLE, OWL)
MANIFEST = "manifest.json"
GROUNDING = "grounding.tsv"
SEARCH = "search.sqlite"
LEASE = "lease"
LOCK = ".lock"
STAGING_PREFIX = ".staging-"
TRASH_PREFIX = ".trash-"
# Builds that were killed also leave the temporary link they were about to rename to `current`.
LINK_PREFIX = ".current-"

# An opener looks again this many times when the release it resolved is removed under it.
_LEASE_ATTEMPTS = 3


class BuildLocked(BuildError):
    """Another build is running into the same output directory."""


def current_release(out: Path) -> Path | None:
    """Return the release `out/current` points to, or None when there is none (or it is gone)."""
    link = out / CURRENT
    return link.resolve() if link.exists() else None


def is_release(path: Path) -> bool:
    """Return whether `path` holds an installed release (a store and a manifest)."""
    return (path / STORE).is_dir() and (path / MANIFEST).is_file()


def release_name(started: datetime, digest: str) -> str:
    """Return a new release's name: its build time (sortable), content digest, pid and a nonce.

    The pid and the random part make two builds of the same input in the same second differ.
    """
    return f"{started:%Y%m%dT%H%M%SZ}-{digest[:12]}-{os.getpid()}-{secrets.token_hex(3)}"


def release_directories(out: Path) -> list[Path]:
    """Return the installed releases under `out`, newest first (by the time in their name)."""
    releases = out / RELEASES
    if not releases.is_dir():
        return []
    found = [p for p in releases.iterdir() if p.is_dir() and not p.name.startswith(".")]
    return sorted(found, key=lambda p: p.name, reverse=True)


class Lease:
    """A shared lock on a release's lease file: while it is held, no build removes the release."""

    def __init__(self, release: Path, fd: int) -> None:
        self.release = release
        # Closing the descriptor drops the lock: when released, or when the object is collected.
        self._finalizer = weakref.finalize(self, os.close, fd)

    @property
    def held(self) -> bool:
        """Return whether this lease is still held."""
        return self._finalizer.alive

    def release_lease(self) -> None:
        """Drop the lease (a build may then remove the release)."""
        self._finalizer()


def take_lease(release: Path) -> Lease | None:
    """Hold a shared lease on `release`; return None when it was removed meanwhile.

    A release installed before leases existed has no lease file: it is created here.
    """
    path = release / LEASE
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CREAT, 0o644)
    except FileNotFoundError:
        return None
    try:
        # Blocks only while a build renames this release away (it holds the lock for no longer).
        fcntl.flock(fd, fcntl.LOCK_SH)
        if not _same_file(fd, path):
            os.close(fd)
            return None
    except BaseException:
        os.close(fd)
        raise
    return Lease(release, fd)


def lease_current(out: Path) -> Lease | None:
    """Hold a lease on the release `out/current` points to; None when there is no such release.

    When a build removes the resolved release between resolving and locking, `current` is
    resolved again (a few times; a build that keeps winning this race is an error).
    """
    for _ in range(_LEASE_ATTEMPTS):
        release = current_release(out)
        if release is None or not is_release(release):
            return None
        lease = take_lease(release)
        if lease is not None:
            return lease
    raise BuildError(f"the release {out / CURRENT} points to kept being removed; try again")


def remove_release(release: Path) -> bool:
    """Remove `release` unless a process holds its lease; return whether it was removed."""
    path = release / LEASE
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CREAT, 0o644)
    except FileNotFoundError:
        return False
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        if not _same_file(fd, path):
            return False
        trash = release.with_name(f"{TRASH_PREFIX}{release.name}-{os.getpid()}")
        # Renamed while locked: an opener waiting for the lock then finds the path gone.
        os.rename(release, trash)
    finally:
        os.close(fd)
    shutil.rmtree(trash, ignore_errors=True)
    return True


def leftovers(out: Path) -> list[Path]:
    """Return what builds that were killed left under `out`: staging, trash, temporary links.

    Only call this while holding the build lock: then no other build is running into `out`.
    """
    found: list[Path] = []
    releases = out / RELEASES
    if releases.is_dir():
        prefixes = (STAGING_PREFIX, TRASH_PREFIX)
        found += sorted(p for p in releases.iterdir() if p.name.startswith(prefixes))
    if out.is_dir():
        found += sorted(p for p in out.iterdir() if p.name.startswith(LINK_PREFIX))
    return found


def remove_leftovers(out: Path) -> list[Path]:
    """Remove what killed builds left under `out` (see `leftovers`) and return what it was."""
    found = leftovers(out)
    for path in found:
        if path.is_symlink() or not path.is_dir():
            path.unlink(missing_ok=True)
        else:
            shutil.rmtree(path, ignore_errors=True)
    return found


@contextmanager
def build_lock(out: Path) -> Iterator[None]:
    """Hold the build lock of `out` for the duration; raise BuildLocked if a build holds it.

    The holder's pid is written in the lock file so that a refused build can name it.
    """
    out.mkdir(parents=True, exist_ok=True)
    path = out / LOCK
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildLocked(_locked_message(out, _holder(fd))) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        _LOCKS.add(fd)
        try:
            yield
        finally:
            _LOCKS.discard(fd)
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _locked_message(out: Path, pid: int | None) -> str:
    holder = f"pid {pid}" if pid is not None else "its pid is unknown"
    return (
        f"another build ({holder}) is running into {out}/ (it holds {out / LOCK}); "
        "wait for it to finish or stop it, then build again, or build into another --out"
    )


def _holder(fd: int) -> int | None:
    # The holder writes its pid just after it takes the lock: look a few times.
    for _ in range(50):
        text = os.pread(fd, 32, 0).decode("ascii", errors="replace").strip()
        if text.isdigit():
            return int(text)
        time.sleep(0.01)
    return None


def _same_file(fd: int, path: Path) -> bool:
    opened = os.fstat(fd)
    try:
        named = os.stat(path)
    except OSError as error:
        if error.errno in (errno.ENOENT, errno.ENOTDIR):
            return False
        raise
    return (opened.st_dev, opened.st_ino) == (named.st_dev, named.st_ino)


# Build-lock descriptors held by this process. A forked child (a validation worker) closes its
# copies, so a worker that outlives a killed build does not keep the lock held in its name.
_LOCKS: set[int] = set()


def _close_locks_in_child() -> None:
    for fd in _LOCKS:
        try:
            os.close(fd)
        except OSError:
            pass
    _LOCKS.clear()


os.register_at_fork(after_in_child=_close_locks_in_child)
