"""The grounding index on disk: the shipped artefact, unpacked once into an SQLite cache file.

The artefact (index.tsv.gz, made by `make_index`) is read once per checksum: its rows go into an
SQLite file named after the artefact's SHA-256, in the cache directory (`MKG_VOCABULARY_CACHE`,
else `$XDG_CACHE_HOME/mkg`, else `~/.cache/mkg`; a temporary directory when none is writable).
Later loads open that file read-only and answer every question by key through its indexes, so a
process holds only the rows it asks for. The file is written under a temporary name and renamed
into place, so processes that unpack at the same time never see half a file.
"""

import gzip
import hashlib
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

FORMAT = "mkg-vocabulary 2"
_SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE entities (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, label TEXT NOT NULL,
    xrefs TEXT NOT NULL, members TEXT NOT NULL, parents TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE names (
    entity TEXT NOT NULL, text TEXT NOT NULL, origin TEXT NOT NULL,
    case_sensitive INTEGER NOT NULL, status TEXT NOT NULL
);
CREATE TABLE keys (key TEXT NOT NULL, name INTEGER NOT NULL);
"""
_INDEXES = """
CREATE INDEX entities_kind ON entities (kind);
CREATE INDEX names_entity ON names (entity);
CREATE INDEX names_text ON names (text COLLATE NOCASE);
CREATE INDEX keys_key ON keys (key);
"""


def artefact_digest(path: Path) -> str:
    """Return the SHA-256 of the artefact."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def cache_directories() -> Iterator[Path]:
    """Yield the directories to try for the cache file, in order of preference."""
    configured = os.environ.get("MKG_VOCABULARY_CACHE")
    if configured:
        yield Path(configured)
    xdg = os.environ.get("XDG_CACHE_HOME")
    yield (Path(xdg) if xdg else Path.home() / ".cache") / "mkg"
    yield Path(tempfile.gettempdir()) / f"mkg-{os.getuid()}"


def cache_file(artefact: Path, *, cache_dir: Path | None = None) -> Path:
    """Return the SQLite file of the artefact, unpacking it first when no cache holds it."""
    digest = artefact_digest(artefact)
    name = f"vocabulary-{digest[:24]}.sqlite"
    directories = [cache_dir] if cache_dir is not None else list(cache_directories())
    for directory in directories:
        path = directory / name
        if path.is_file():
            return path
    failures = []
    for directory in directories:
        try:
            directory.mkdir(parents=True, exist_ok=True)
            path = _unpack(artefact, directory / name, digest)
        except (OSError, sqlite3.Error) as error:
            failures.append(f"{directory}: {error}")
            continue
        _prune(directory, keep=path)
        return path
    raise OSError("no writable cache directory for the vocabulary: " + "; ".join(failures))


def _prune(directory: Path, *, keep: Path, spare: int = 1) -> None:
    """Remove the cache files of older artefacts but the `spare` most recently used."""
    try:
        others = sorted(
            (p for p in directory.glob("vocabulary-*.sqlite") if p != keep),
            key=lambda p: p.stat().st_mtime,
            reverse=True,
        )
    except OSError:
        return
    for old in others[spare:]:
        try:
            old.unlink(missing_ok=True)
        except OSError:
            pass  # another process's file, or gone already: the cache stays usable


def _unpack(artefact: Path, path: Path, digest: str) -> Path:
    """Write the artefact's rows into a new SQLite file at `path` (atomically)."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)
    try:
        connection = sqlite3.connect(temporary)
        try:
            connection.executescript(
                "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + _SCHEMA
            )
            max_tokens = _load_rows(connection, artefact)
            connection.executemany(
                "INSERT INTO meta VALUES (?, ?)",
                [("format", FORMAT), ("sha256", digest), ("max_tokens", str(max_tokens))],
            )
            connection.executescript(_INDEXES + "ANALYZE;")
            connection.commit()
        finally:
            connection.close()
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return path


def _load_rows(connection: sqlite3.Connection, artefact: Path) -> int:
    """Insert the artefact's entity and name rows in batches; return the most tokens of a key."""
    entities: list[list[str]] = []
    names: list[tuple[int, str, str, str, int, str]] = []
    keys: list[tuple[str, int]] = []
    number = max_tokens = 0
    with gzip.open(artefact, "rt", encoding="utf-8", newline="\n") as handle:
        first = handle.readline().rstrip("\n")
        if first != f"#{FORMAT}":
            raise ValueError(f"{artefact.name}: not a {FORMAT} file (first line {first[:40]!r})")
        for line in handle:
            if line[0] == "N":
                _, entity, text, origin, match, status, joined = line[:-1].split("\t")
                number += 1
                names.append((number, entity, text, origin, int(match == "case"), status))
                if joined:
                    for key in joined.split("|"):
                        keys.append((key, number))
                        tokens = key.count(" ") + 1
                        if tokens > max_tokens:
                            max_tokens = tokens
                if len(names) >= _BATCH:
                    _insert(connection, entities, names, keys)
            elif line[0] == "E":
                entities.append(line[:-1].split("\t")[1:7])
    _insert(connection, entities, names, keys)
    return max_tokens


_BATCH = 20000


def _insert(
    connection: sqlite3.Connection,
    entities: list[list[str]],
    names: list[tuple[int, str, str, str, int, str]],
    keys: list[tuple[str, int]],
) -> None:
    """Insert a batch of rows and empty the lists."""
    connection.executemany("INSERT INTO entities VALUES (?, ?, ?, ?, ?, ?)", entities)
    connection.executemany(
        "INSERT INTO names (rowid, entity, text, origin, case_sensitive, status)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        names,
    )
    connection.executemany("INSERT INTO keys VALUES (?, ?)", keys)
    entities.clear()
    names.clear()
    keys.clear()


def connect(path: Path) -> sqlite3.Connection:
    """Open a cache file read-only (one connection per process and thread)."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    connection.execute("PRAGMA query_only = ON")
    return connection
