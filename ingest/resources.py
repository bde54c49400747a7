"""Find the project's data files, in a checkout and in an installed wheel alike."""

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
# In a wheel, ontology/, shapes/ and queries/ travel inside the package (see pyproject.toml);
# in a checkout or an editable install they stand at the top of the repository.
_CANDIDATES = (_PACKAGE / "_data", _PACKAGE.parent)


def data_path(name: str) -> Path:
    """Return the path of a shipped data directory or file such as 'ontology/mkg.ttl'."""
    for root in _CANDIDATES:
        candidate = root / name
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"shipped data file {name!r} is missing from this installation")


def source_path(name: str = "") -> Path:
    """Return the path of a shipped source page (or the sources directory)."""
    return _PACKAGE / "sources" / name if name else _PACKAGE / "sources"


def lexicon_path(name: str) -> Path:
    """Return the path of a curated lexicon table in ingest/lexicon/."""
    return _PACKAGE / "lexicon" / name


DEFAULT_SOURCE = "steeg-2006-nature-medicine-review.txt"
