"""The build benchmark's bookkeeping: worker measurements, merged results and the README section.

No real build runs here: `child()` gets a fake build that starts one small subprocess, and the
rest works on hand-made runs.
"""

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType, SimpleNamespace

import pytest

MIB = 1024**2


@pytest.fixture(scope="module")
def bench(repo_root: Path) -> ModuleType:
    """The bench/bench_build.py module (bench/ is not a package)."""
    path = repo_root / "bench" / "bench_build.py"
    spec = importlib.util.spec_from_file_location("bench_build", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_build"] = module
    spec.loader.exec_module(module)
    return module


def _run(bench: ModuleType, label: str, reviews: int, **values: object):
    """A successful run with small made-up numbers; `values` override them."""
    defaults: dict[str, object] = {
        "baseline": 0.5,
        "baseline_cpu": 0.5,
        "wall": 2.0 * reviews,
        "cpu": 3.0 * reviews,
        "main_cpu": 1.0 * reviews,
        "worker_cpu": 2.0 * reviews,
        "peak_rss": 100 * MIB,
        "worker_peak_rss": 80 * MIB,
        "jobs": 2,
        "timings": {"parse": 0.1, "validate": 1.0},
        "phases": [("parse", 0.1, 0.1, 60 * MIB), ("end", 2.0, 1.0, 100 * MIB)],
        "triples": 1000 * reviews,
        "class_counts": {"biro-BibliographicReference": 70 * reviews},
        "references": 70 * reviews,
        "store_bytes": 4 * MIB * reviews,
        "command": "python bench/bench_build.py",
        "date": "2026-11-25",
        "environment": {"commit": "abc1234", "cpus": "2", "python": "3.11.7"},
    }
    defaults.update(values)
    return bench.Run(label, reviews, ok=True, **defaults)


def _earlier(bench: ModuleType) -> list:
    """Seed x2 and 1, 10, 100 reviews, as a default invocation would leave them."""
    return [
        _run(bench, "seed-1", 1),
        _run(bench, "seed-2", 1),
        *(_run(bench, f"size-{n}-1", n) for n in (1, 10, 100)),
    ]


# ------------------------------------------------------------------------- child measurements


def test_child_measures_the_workers(bench: ModuleType, monkeypatch, tmp_path: Path) -> None:
    import ingest.build
    from ingest.validation_pool import default_jobs

    seen: dict[str, object] = {}

    def fake_build(pages, *, out, progress, jobs=None):
        seen["jobs"] = jobs
        progress("validate")
        # A stand-in for a validation worker: a reaped child that uses CPU and 64 MiB.
        code = "b = bytearray(64 * 1024 * 1024)\nfor i in range(0, len(b), 4096): b[i] = 1"
        code += "\nsum(range(3_000_000))"
        import subprocess

        subprocess.run([sys.executable, "-c", code], check=True)
        return SimpleNamespace(
            timings={"validate": 0.1}, graph_sizes={"g": 5}, class_counts={}, release=out
        )

    monkeypatch.setattr(ingest.build, "build", fake_build)
    monkeypatch.setattr(bench, "baseline_seconds", lambda: (0.25, 0.25))

    measured = bench.child(tmp_path, [])
    assert seen["jobs"] is None
    assert measured["jobs"] == default_jobs()
    assert measured["worker_cpu"] > 0
    assert measured["cpu"] == pytest.approx(measured["main_cpu"] + measured["worker_cpu"])
    assert measured["worker_peak_rss"] >= 64 * MIB
    assert measured["peak_rss"] > 0
    phases = measured["phases"]
    assert [phase[0] for phase in phases] == ["validate", "end"]
    # Phase CPU is the build process's own.
    assert phases[-1][2] == measured["main_cpu"]
    json.dumps(measured)

    measured = bench.child(tmp_path, [], jobs=3)
    assert seen["jobs"] == 3 and measured["jobs"] == 3


# -------------------------------------------------------------------------------- results


def test_older_results_still_load(bench: ModuleType) -> None:
    old = {
        "label": "size-10-1",
        "reviews": 10,
        "ok": True,
        "cpu": 63.7,
        "peak_rss": 192 * MIB,
        "phases": [["parse", 0.1, 0.1, 1]],
        "gone": "a field this version no longer has",
    }
    run = bench.run_from_dict(old, {"commit": "62203f6"})
    assert run.main_cpu == 63.7 and run.worker_cpu == 0.0
    assert run.jobs == 1 and run.worker_peak_rss == 0
    assert run.memory_bound == 192 * MIB
    assert run.phases == [("parse", 0.1, 0.1, 1)]
    assert run.environment == {"commit": "62203f6"}
    assert run.command == ""


def test_memory_bound_counts_every_worker(bench: ModuleType) -> None:
    run = _run(bench, "size-1-1", 1, peak_rss=100 * MIB, worker_peak_rss=80 * MIB, jobs=2)
    assert run.memory_bound == 260 * MIB
    assert bench.summarize_size(1, [run]).memory_bound == 260 * MIB


def test_results_round_trip_without_machine_paths(bench: ModuleType, tmp_path: Path) -> None:
    failed = bench.Run("size-1000-1", 1000, ok=False, error=f"OSError: {bench.REPO}/build/x full")
    path = tmp_path / "results" / "build.json"
    bench.write_results(path, [*_earlier(bench), failed])
    text = path.read_text(encoding="utf-8")
    assert str(bench.REPO) not in text
    runs = bench.load_runs(path)
    assert [run.size_key for run in runs] == ["seed", "seed", "1", "10", "100", "1000"]
    assert runs[-1].error == "OSError: build/x full"
    assert runs[0] == _earlier(bench)[0]
    assert bench.load_runs(tmp_path / "missing.json") == []


def test_merge_keeps_sizes_not_measured_now(bench: ModuleType) -> None:
    previous = _earlier(bench)
    new = _run(bench, "size-1000-1", 1000, command="python bench/bench_build.py --merge")
    args = bench._parser().parse_args(["--runs", "0", "--sizes", "1000", "--merge"])
    assert bench.measured_sizes(args) == {"1000"}
    merged = bench.merge_runs(previous, [new], bench.measured_sizes(args))
    assert [run.size_key for run in merged] == ["seed", "seed", "1", "10", "100", "1000"]

    again = _run(bench, "seed-1", 1, wall=1.0)
    args = bench._parser().parse_args(["--runs", "1", "--sizes", "1"])
    merged = bench.merge_runs(previous, [again], bench.measured_sizes(args))
    assert [run.size_key for run in merged] == ["10", "100", "seed"]
    assert merged[-1].wall == 1.0


def test_per_review_ratio_uses_total_cpu(bench: ModuleType) -> None:
    # The build process's own CPU is flat per review; the workers' doubles at 100 reviews.
    runs = [
        _run(bench, "size-10-1", 10, main_cpu=10.0, worker_cpu=10.0, cpu=20.0),
        _run(bench, "size-100-1", 100, main_cpu=100.0, worker_cpu=300.0, cpu=400.0),
    ]
    sizes = [bench.summarize_size(run.reviews, [run]) for run in runs]
    assert bench.per_review_ratio(sizes) == {10: 1.0, 100: 2.0}


# --------------------------------------------------------------------------- command line


def test_command_line(bench: ModuleType) -> None:
    parser = bench._parser()
    args = parser.parse_args([])
    assert args.jobs is None and not args.merge
    assert bench._command(args) == "python bench/bench_build.py"
    assert bench.measured_sizes(args) == {"seed", "1", "10", "100"}
    args = parser.parse_args(["--runs", "0", "--sizes", "1000", "--jobs", "1", "--merge"])
    assert (
        bench._command(args) == "python bench/bench_build.py --runs 0 --sizes 1000 --jobs 1 --merge"
    )
    for wrong in (["--runs", "-1"], ["--jobs", "0"]):
        with pytest.raises(SystemExit):
            parser.parse_args(wrong)


# --------------------------------------------------------------------------------- section


def test_section_explains_workers_and_memory_bound(bench: ModuleType) -> None:
    section = bench.render_section(runs=_earlier(bench), plotted=False)
    assert "*CPU s* = CPU time of the build process + its validation workers" in section
    header = next(line for line in section.splitlines() if line.startswith("| reviews"))
    cells = [cell.strip() for cell in header.strip("| ").split("|")]
    position = cells.index("peak RSS MiB")
    assert cells[position + 1] == "worker peak MiB"
    lines = section.splitlines()
    start = lines.index(header)
    table = [line for line in lines[start:] if line.startswith("|")]
    assert len(table) == 5
    assert len({line.count("|") for line in table}) == 1
    assert "| 10 | 700 |" in section and " | 100 | 80 | " in section
    # Seed section: worker peak and the bound; phase CPU is the build process's own.
    assert "largest validation worker 80 MiB" in section
    assert "(workers not included)" in section
    target = next(line for line in section.splitlines() if "8 GiB" in line)
    assert "at most 260 MiB" in target and "100 + 2 x 80 MiB" in target
    assert "upper bound" in target
    assert "`python bench/bench_build.py` on 2026-11-25 at commit abc1234" in section
    assert str(bench.REPO) not in section


def test_section_without_seed_runs_lists_both_commands(bench: ModuleType) -> None:
    merge = "python bench/bench_build.py --runs 0 --sizes 1000 --merge"
    runs = [
        *_earlier(bench)[2:],
        _run(bench, "size-1000-1", 1000, command=merge, date="2026-11-26"),
    ]
    section = bench.render_section(runs=runs, plotted=True)
    assert "### Seed build" not in section
    assert "Seed build under" not in section
    assert "these commands" in section
    assert f"- `{merge}` on 2026-11-26" in section and "(1,000 reviews)" in section
    assert "(1, 10, 100 reviews)" in section
    assert "| 1,000 |" in section
    assert "up to 1,000 reviews (1.00x)." in section
    assert "![Build time and memory against corpus size](build-scaling.png)" in section


def test_section_with_only_seed_runs(bench: ModuleType) -> None:
    section = bench.render_section(runs=_earlier(bench)[:2], plotted=False)
    assert "### Scaling" not in section
    assert "at the seed build" in section and "at most 260 MiB" in section


def test_main_merge_adds_a_size(bench: ModuleType, monkeypatch, tmp_path: Path) -> None:
    results = tmp_path / "build.json"
    bench.write_results(results, _earlier(bench))
    readme = tmp_path / "README.md"
    readme.write_text(f"# Benchmarks\n\n## Build\n\n{bench.BEGIN}\nold\n{bench.END}\n\nafter\n")
    calls = []

    def fake_run_build(label, pages, *, work, reviews, timeout=None, jobs=None):
        calls.append((label, len(pages), jobs))
        return _run(bench, label, reviews, jobs=jobs or 2, command="", date="", environment={})

    monkeypatch.setattr(bench, "run_build", fake_run_build)
    monkeypatch.setattr(bench, "_environment", lambda: {"commit": "def5678", "cpus": "2"})
    monkeypatch.setitem(
        sys.modules,
        "corpus",
        SimpleNamespace(write_corpus=lambda n, seed, out: [Path(f"p{i}") for i in range(n)]),
    )
    bench.main(
        [
            *("--runs", "0", "--sizes", "1000", "--merge", "--jobs", "2"),
            *("--work", str(tmp_path / "work"), "--results", str(results)),
            *("--readme", str(readme), "--plot", str(tmp_path / "plot.png")),
        ]
    )
    assert calls == [("size-1000-1", 1000, 2)]
    runs = bench.load_runs(results)
    assert [run.size_key for run in runs] == ["seed", "seed", "1", "10", "100", "1000"]
    assert runs[-1].command == "python bench/bench_build.py --runs 0 --sizes 1000 --jobs 2 --merge"
    assert runs[-1].environment["commit"] == "def5678"
    text = readme.read_text(encoding="utf-8")
    assert text.endswith(f"{bench.END}\n\nafter\n") and "\nold\n" not in text
    assert "### Seed build (the shipped review), 2 of 2 runs" in text
    assert (
        "--runs 0 --sizes 1000 --jobs 2 --merge" in text and "`python bench/bench_build.py`" in text
    )
    assert (tmp_path / "plot.png").stat().st_size > 0


def test_run_build_reads_the_child_result(bench: ModuleType, monkeypatch, tmp_path: Path) -> None:
    # A fake child in place of the interpreter: it writes the result a build would have.
    script = tmp_path / "fake-python"
    script.write_text(
        f"#!{sys.executable}\n"
        "import json, sys\n"
        "from pathlib import Path\n"
        "argv = sys.argv[1:]\n"
        "out = Path(argv[argv.index('--child') + 1])\n"
        "(out / 'release' / 'store').mkdir(parents=True)\n"
        "(out / 'release' / 'store' / 'data').write_bytes(b'x' * 8192)\n"
        "measured = dict(baseline=0.5, baseline_cpu=0.5, wall=2.0, cpu=3.0, main_cpu=1.0,\n"
        "    worker_cpu=2.0, peak_rss=7, worker_peak_rss=5, timings={'validate': 1.0},\n"
        "    phases=[['end', 2.0, 1.0, 7]], triples=9, class_counts={},\n"
        "    release=str(out / 'release'),\n"
        "    jobs=int(argv[argv.index('--jobs') + 1]) if '--jobs' in argv else 2)\n"
        "Path(argv[argv.index('--result') + 1]).write_text(json.dumps(measured))\n",
        encoding="utf-8",
    )
    script.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(script))
    run = bench.run_build("size-1-1", [Path("page.txt")], work=tmp_path, reviews=1, jobs=3)
    assert run.ok, run.error
    assert (run.cpu, run.main_cpu, run.worker_cpu) == (3.0, 1.0, 2.0)
    # The child's own peak, not wait4's (which is the max over it and its children).
    assert (run.peak_rss, run.worker_peak_rss, run.jobs) == (7, 5, 3)
    assert run.memory_bound == 7 + 3 * 5
    assert run.phases == [("end", 2.0, 1.0, 7)]
    assert run.store_bytes >= 8192
