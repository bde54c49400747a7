"""Open a finished build's Oxigraph store read-only and run queries on it."""

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph

from ingest import layout
from ingest.errors import BuildError
from ingest.namespaces import PREFIXES


class BuildNotFound(Exception):
    """The build directory holds no installed build."""


@dataclass(frozen=True)
class Build:
    """An installed build: its release directory, its manifest, its read-only store, its lease.

    While the lease is held (as long as this object lives, or until `lease.release_lease()`),
    no build removes the release.
    """

    path: Path
    manifest: dict[str, Any]
    store: pyoxigraph.Store
    lease: layout.Lease


def open_build(build_dir: Path | str) -> Build:
    """Open the build under `build_dir` (its `current` release, or itself if it is a release).

    The release is leased before anything in it is read, so that a build running meanwhile
    cannot remove it.
    """
    root = Path(build_dir)
    try:
        lease = layout.lease_current(root)
        if lease is None and (root / layout.CURRENT).is_symlink():
            raise BuildNotFound(f"the build in {root} cannot be opened: {_dangling(root)}")
        if lease is None and layout.is_release(root):
            lease = layout.take_lease(root)
    except (OSError, BuildError) as error:
        raise BuildNotFound(f"the build in {root} cannot be opened: {error}") from None
    if lease is None:
        raise BuildNotFound(no_build_message(root))
    release = lease.release
    try:
        manifest = json.loads((release / layout.MANIFEST).read_text(encoding="utf-8"))
        store = pyoxigraph.Store.read_only(str(release / layout.STORE))
    except (OSError, ValueError) as error:
        lease.release_lease()
        raise BuildNotFound(f"the build in {root} cannot be opened: {error}") from None
    return Build(release, manifest, store, lease)


def no_build_message(root: Path) -> str:
    """Say that `root` holds no build, and what to do."""
    return (
        f"no build in {root}/ (no {root / layout.CURRENT}); "
        "run 'mkg build' first, or pass --build-dir DIR"
    )


def _dangling(root: Path) -> str:
    link = root / layout.CURRENT
    return f"{link} points to {os.readlink(link)}, which holds no build"


def compact(term: object) -> str:
    """Return a short readable form of an RDF term: a prefixed name, a quoted value, an IRI."""
    if isinstance(term, pyoxigraph.NamedNode):
        for prefix, namespace in PREFIXES.items():
            if term.value.startswith(str(namespace)):
                local = term.value[len(str(namespace)) :]
                if local and "/" not in local and "#" not in local:
                    return f"{prefix}:{local}"
        return f"<{term.value}>"
    if isinstance(term, pyoxigraph.Literal):
        return term.value
    if isinstance(term, pyoxigraph.BlankNode):
        return f"_:{term.value}"
    return "" if term is None else str(term)


def text_of(data: bytes | None) -> str:
    """Return serialized bytes from pyoxigraph (which returns them when no output is given)."""
    if data is None:
        raise ValueError("nothing was serialized")
    return data.decode("utf-8")
