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
    from server.store import open_build

    return open_build(seed_out).store
