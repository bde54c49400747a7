"""The engines benchmark's bookkeeping: ratios, the queries over a second, the tables; and its
command runs (`--render` from a results file). No engine runs here: the results are made up."""

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest


@pytest.fixture(scope="module")
def bench(repo_root: Path) -> ModuleType:
    """The bench/bench_engines.py module (bench/ is not a package)."""
    sys.path.insert(0, str(repo_root / "bench"))
    path = repo_root / "bench" / "bench_engines.py"
    spec = importlib.util.spec_from_file_location("bench_engines", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_engines"] = module
    spec.loader.exec_module(module)
    return module


def _cell(ms: float | None, results: int = 3) -> dict:
    if ms is None:
        return {"error": "HTTP 503: time limit", "first_ms": 30000.0}
    return {"first_ms": ms, "median_ms": ms, "runs": 3, "results": results}


def _size() -> dict:
    queries = {
        "01-fast": {
            "group": "named",
            "mkg": _cell(12.0),
            "oxigraph": _cell(10.0),
            "in-process": _cell(8.0),
            "mkg-virtuoso": _cell(20.0),
            "virtuoso": _cell(10.0),
        },
        "02-slow": {
            "group": "named",
            "mkg": _cell(None),
            "oxigraph": _cell(2000.0),
            "in-process": {"skipped": "mkg (embedded) did not answer in time"},
            "mkg-virtuoso": _cell(1500.0),
            "virtuoso": _cell(1000.0, results=4),
        },
        "scan": {
            "group": "heavy",
            "mkg": _cell(100.0),
            "oxigraph": _cell(50.0),
            "in-process": _cell(40.0),
            "mkg-virtuoso": _cell(200.0),
            "virtuoso": _cell(100.0),
        },
    }
    return {
        "build": {"quads": 1234, "dump_bytes": 2 * 2**20, "build_dir": "b", "dump": "d"},
        "loads": {
            "embedded": {"store_bytes": 3 * 2**20, "load_seconds": None},
            "oxigraph": {"store_bytes": 2 * 2**20, "load_seconds": 1.5},
            "virtuoso": {"store_bytes": 60 * 2**20, "load_seconds": 7.0},
        },
        "queries": queries,
        "command": "python bench/bench_engines.py --sizes seed",
        "started": "2026-12-02T13:00:00+00:00",
        "machine": {"cpus": 2, "pyoxigraph": "0.5.13", "oxigraph": "0.5.13", "virtuoso": "V 7"},
        "settings": {"repeats": 3, "budget": 5.0, "timeout": 30.0, "threads": 4},
    }


def test_summary_gives_ratios_of_medians_and_the_queries_over_a_second(bench) -> None:
    found = bench.summary(_size())
    named = found["named"]
    # Only 01-fast has both medians for mkg and oxigraph serve: 12 / 10.
    assert named["mkg / oxigraph serve"] == pytest.approx(1.2)
    # mkg (Virtuoso) / Virtuoso: 2.0 and 1.5, geometric mean sqrt(3).
    assert named["mkg (Virtuoso) / Virtuoso"] == pytest.approx(3**0.5)
    assert named["over 1 s (mkg embedded)"] == ["02-slow (no answer in 30 s)"]
    assert named["over 1 s (mkg Virtuoso)"] == ["02-slow"]
    assert found["heavy"]["mkg / in-process"] == pytest.approx(2.5)


def test_the_table_shows_time_outs_and_disagreeing_counts(bench) -> None:
    size = _size()
    size["summary"] = bench.summary(size)
    block = bench.render_block({"sizes": {"seed": size}})
    assert block.startswith(bench.BEGIN) and block.endswith(bench.END)
    assert "| 01-fast | 3 | 12.0 | 10.0 | 8.0 | 20.0 | 10.0 | 1.20 | 2.00 |" in block
    row = next(line for line in block.splitlines() if line.startswith("| 02-slow"))
    assert "time-out" in row and "err/3/4/3" in row
    assert "| *scan* |" in block
    assert "| Virtuoso, `mkg load` (bulk loader) | 7.0 s | 60 MiB |" in block


def test_render_rewrites_the_block_from_the_results_file(repo_root: Path, tmp_path: Path) -> None:
    results = tmp_path / "engines.json"
    results.write_text(json.dumps({"sizes": {"seed": _size()}}), encoding="utf-8")
    readme = tmp_path / "README.md"
    readme.write_text("# Benchmarks\n\nSomething else.\n", encoding="utf-8")
    command = [sys.executable, "bench/bench_engines.py", "--render"]
    command += ["--results", str(results), "--readme", str(readme)]
    done = subprocess.run(command, cwd=repo_root, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    text = readme.read_text(encoding="utf-8")
    assert text.startswith("# Benchmarks\n\nSomething else.\n")
    assert "## Engines" in text and "| 01-fast |" in text
    # Written again, the block replaces itself.
    subprocess.run(command, cwd=repo_root, check=True, capture_output=True)
    assert readme.read_text(encoding="utf-8").count("## Engines") == 1
    assert "summary" in json.loads(results.read_text(encoding="utf-8"))["sizes"]["seed"]
