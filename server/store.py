"""Open a finished build's Oxigraph store read-only and run queries on it."""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph

from ingest.namespaces import PREFIXES


class BuildNotFound(Exception):
    """The build directory holds no installed build."""


@dataclass(frozen=True)
class Build:
    """An installed build: its directory, its manifest, its read-only store."""

    path: Path
    manifest: dict[str, Any]
    store: pyoxigraph.Store


def open_build(build_dir: Path | str) -> Build:
    """Open the installed build under `build_dir` (its `current` release) read-only."""
    root = Path(build_dir)
    current = root / "current"
    release = current.resolve() if current.exists() else root
    manifest_path = release / "manifest.json"
    if not (release / "store").is_dir() or not manifest_path.is_file():
        raise BuildNotFound(f"no build in {root}; run 'mkg build' first")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        store = pyoxigraph.Store.read_only(str(release / "store"))
    except (OSError, ValueError) as error:
        raise BuildNotFound(f"the build in {root} cannot be opened: {error}") from None
    return Build(release, manifest, store)


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
