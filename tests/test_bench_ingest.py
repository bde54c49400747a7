"""The ingest benchmark runs on tiny texts and writes its section and raw numbers (no timings)."""

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest


@pytest.fixture(scope="module")
def bench(repo_root: Path) -> ModuleType:
    """The bench/bench_ingest.py module (bench/ is not a package)."""
    path = repo_root / "bench" / "bench_ingest.py"
    spec = importlib.util.spec_from_file_location("bench_ingest", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_ingest"] = module
    spec.loader.exec_module(module)
    return module


def test_texts_are_dense_or_sparse_and_of_the_size_asked(bench: ModuleType) -> None:
    dense = bench.make_text("dense", 3000, forms=["VEGF", "bone marrow"], filler=["the", "of"])
    assert len(dense) == 3000 and "VEGF" in dense and "bone marrow" in dense
    assert dense == bench.make_text(
        "dense", 3000, forms=["VEGF", "bone marrow"], filler=["the", "of"]
    )
    sparse = bench.make_text("sparse", 3000, forms=["VEGF"], filler=["the", "of"])
    assert len(sparse) == 3000 and "VEGF" not in sparse


def test_filler_words_name_nothing(bench: ModuleType) -> None:
    from ingest.entities import Form
    from ingest.ground import Finder

    finder = Finder([Form("the", "X", case_sensitive=False, ambiguous=False)])
    with pytest.raises(ValueError, match="the"):
        bench.filler_words(finder)


def test_the_benchmark_writes_its_section_and_results(bench: ModuleType, tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# Benchmarks\n\nBy hand.\n", encoding="utf-8")
    results = tmp_path / "ingest.json"
    stages = ("ground", "report", "roles")
    measures = bench.main(
        ["--stage", ",".join(stages), "--sizes", "2000,4000", "--repeats", "1",
         "--readme", str(readme), "--results", str(results)]
    )  # fmt: skip
    assert {(m.stage, m.kind, m.size) for m in measures} == {
        (stage, kind, size) for stage in stages for kind in bench.KINDS for size in (2000, 4000)
    }
    assert all(m.count == 0 for m in measures if (m.stage, m.kind) == ("ground", "sparse"))
    assert all(m.count > 0 for m in measures if (m.stage, m.kind) == ("ground", "dense"))
    text = readme.read_text(encoding="utf-8")
    assert text.startswith("# Benchmarks\n\nBy hand.\n\n## Ingest\n\n" + bench.BEGIN)
    assert "| ground | dense | 4 KB |" in text and "(1 is linear): ground dense" in text
    raw = json.loads(results.read_text(encoding="utf-8"))
    assert list(raw["runs"]) == list(stages)
    assert all(len(run["measures"]) == 4 and set(run["ratios"]) == set(bench.KINDS)
               for run in raw["runs"].values())  # fmt: skip
    # Running again replaces the block and keeps what is written by hand; with --merge, the
    # stages not run again keep their rows.
    again = ["--stage", "ground", "--sizes", "2000", "--repeats", "1", "--kinds", "sparse",
             "--readme", str(readme), "--results", str(results)]  # fmt: skip
    bench.main([*again, "--merge"])
    merged = readme.read_text(encoding="utf-8")
    assert merged.count(bench.BEGIN) == 1 and "By hand." in merged
    assert "| roles | dense | 4 KB |" in merged and "| ground | dense |" not in merged
    assert list(bench.load_runs(results)) == list(stages)
    bench.main(again)
    alone = readme.read_text(encoding="utf-8")
    assert "| roles |" not in alone and "| ground | sparse | 2 KB |" in alone
    assert list(bench.load_runs(results)) == ["ground"]
