"""Find and lease a finished build's release, read its manifest; show terms compactly.

The release's store is opened by the engine that serves it (`server.engine`).
"""

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingest import layout
from ingest.errors import BuildError
from ingest.namespaces import PREFIXES
from server.engine.terms import BlankNode, Literal, NamedNode


class BuildNotFound(Exception):
    """The build directory holds no installed build."""


@dataclass(frozen=True)
class Release:
    """An installed build: its release directory, its manifest and the lease on it.

    While the lease is held (as long as this object lives, or until `lease.release_lease()`),
    no build removes the release.
    """

    path: Path
    manifest: dict[str, Any]
    lease: layout.Lease


def open_release(build_dir: Path | str) -> Release:
    """Lease the build under `build_dir` (its `current` release, or itself if it is a release).

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
    except (OSError, ValueError) as error:
        lease.release_lease()
        raise BuildNotFound(f"the build in {root} cannot be opened: {error}") from None
    return Release(release, manifest, lease)


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
    if isinstance(term, NamedNode):
        for prefix, namespace in PREFIXES.items():
            if term.value.startswith(str(namespace)):
                local = term.value[len(str(namespace)) :]
                if local and "/" not in local and "#" not in local:
                    return f"{prefix}:{local}"
        return f"<{term.value}>"
    if isinstance(term, Literal):
        return term.value
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    return "" if term is None else str(term)
