"""The executors benchmark's bookkeeping: phases from progress messages, and the section.

No build runs here: the runs are made up.
"""

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

MIB = 1024**2


@pytest.fixture(scope="module")
def bench(repo_root: Path) -> ModuleType:
    """The bench/bench_executors.py module (bench/ is not a package)."""
    sys.path.insert(0, str(repo_root / "bench"))
    path = repo_root / "bench" / "bench_executors.py"
    spec = importlib.util.spec_from_file_location("bench_executors", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_executors"] = module
    spec.loader.exec_module(module)
    return module


def _run(bench: ModuleType, executor: str, wall: float, cpu: float, digest: str = "ab" * 32):
    phases = [("parse and ground", 0.0, 0.0, 60 * MIB)]
    if executor == "dask":
        phases = [("start a Dask cluster of 2 worker(s) on 127.0.0.1", 0.0, 0.0, 60 * MIB)]
        phases += [("parse and ground", 3.0, 0.5, 90 * MIB)]
    phases += [
        ("map and validate", 10.0, 5.0, 150 * MIB),
        ("map and validate: 50/100 documents", 50.0, 9.0, 160 * MIB),
        ("install", wall - 20.0, cpu / 2, 300 * MIB),
        ("end", wall, cpu / 2, 400 * MIB),
    ]
    return bench.Run(
        f"{executor}-100-1",
        100,
        ok=True,
        wall=wall,
        cpu=cpu,
        main_cpu=cpu / 2,
        worker_cpu=cpu / 2,
        peak_rss=400 * MIB,
        worker_peak_rss=300 * MIB,
        jobs=2,
        timings={"parse": 1.0, "ground": 1.0, "map": 50.0, "validate": 40.0, "install": 20.0},
        phases=phases,
        executor=executor,
        dump_sha256=digest,
        command="python bench/bench_executors.py",
        date="2026-12-02",
        environment={"commit": "abc1234", "cpus": "2", "python": "3.11.7", "dask": "2026.8.0"},
    )


def test_phases_run_from_message_to_message(bench: ModuleType) -> None:
    dask = bench.phase_seconds(_run(bench, "dask", 100.0, 150.0))
    assert dask == pytest.approx(
        {"start": 3.0, "parse and ground": 7.0, "map and validate": 70.0, "install": 20.0}
    )
    local = bench.phase_seconds(_run(bench, "local", 90.0, 120.0))
    assert local["start"] == 0.0 and local["map and validate"] == pytest.approx(60.0)


def test_section_says_whether_dask_is_within_the_target(bench: ModuleType) -> None:
    runs = [_run(bench, "local", 100.0, 120.0), _run(bench, "dask", 108.0, 140.0)]
    section = bench.render_section(runs)
    assert "**met** (1.08x: 108.0 s against 100.0 s)" in section
    assert "mkg.nq of every run: the same (abababababab)" in section
    assert "| dask | 1 | 108.0 | 140.0 |" in section
    slower = [_run(bench, "local", 100.0, 120.0), _run(bench, "dask", 130.0, 160.0, "cd" * 32)]
    section = bench.render_section(slower)
    assert "**not met** (1.30x" in section
    assert "**not the same**" in section
