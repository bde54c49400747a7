"""Benchmark of the grounding index (ingest/vocabulary): load, memory, lookups, grounding.

    python bench/bench_vocabulary.py [--runs 5] [--json bench/results/vocabulary.json]

Every measure runs in a fresh child process, so imports, caches and memory start from nothing:

- *first use*: `load_vocabulary()` with an empty cache directory (the artefact is unpacked into
  an SQLite file), then *cached*: the same in a new process that finds the file;
- *memory*: the child's resident set size after the imports, after loading, after grounding
  the seed, and its peak (`ru_maxrss`);
- *lookups per second*: `forms.lookup` on every key the finder asks while grounding the seed
  (distinct keys, first asked: SQLite; asked again: the in-process cache) and `has_prefix`;
- *grounding*: `ingest.ground.Finder` over the index on the seed's 169 texts (title, abstract,
  figure titles, 163 reference titles), per reference title, against the same finder over the
  curated lexicon alone (`MemoryFormIndex`), as `mkg build` grounds today.

Results are medians over --runs child processes. The machine is shared: each child also times
the fixed workload of bench_build.py (`reference_workload`), and load times are given as multiples
of it too, so that runs on a busy and a quiet machine compare (bench/README.md).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _rss_mib() -> float:
    """Return the resident set size of this process in MiB (Linux /proc)."""
    with open("/proc/self/statm", encoding="ascii") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def child(cache_dir: str) -> dict[str, float]:
    """Measure one process: import, load, lookups and grounding; return the numbers."""
    import resource

    started = time.perf_counter()
    from ingest.entities import load_lexicon
    from ingest.ground import Finder, ground_review
    from ingest.parse import parse_file
    from ingest.resources import DEFAULT_SOURCE, source_path
    from ingest.vocabulary import load_vocabulary

    result: dict[str, float] = {"import_s": time.perf_counter() - started}
    sys.path.insert(0, str(REPO / "bench"))
    from bench_build import baseline_seconds

    result["baseline_s"] = baseline_seconds()[0]
    result["rss_imported_mib"] = _rss_mib()
    review = parse_file(source_path(DEFAULT_SOURCE))
    lexicon = load_lexicon()

    started = time.perf_counter()
    vocabulary = load_vocabulary(cache_dir=Path(cache_dir))
    result["load_s"] = time.perf_counter() - started
    result["rss_loaded_mib"] = _rss_mib()

    # Grounding the seed with the curated lexicon alone, as a build does today.
    started = time.perf_counter()
    curated = Finder(lexicon.forms)
    passages = ground_review(review, curated)
    result["ground_curated_s"] = time.perf_counter() - started

    # The same texts over the full index, recording the keys the finder asks.
    asked: list[str] = []
    prefixes: list[str] = []
    forms = vocabulary.forms

    class Recording:
        max_tokens = forms.max_tokens

        def lookup(self, key: str):  # type: ignore[no-untyped-def]
            asked.append(key)
            return forms.lookup(key)

        def has_prefix(self, key: str) -> bool:
            prefixes.append(key)
            return forms.has_prefix(key)

    started = time.perf_counter()
    full = Finder(Recording())
    grounded = ground_review(review, full)
    result["ground_index_s"] = time.perf_counter() - started
    result["rss_grounded_mib"] = _rss_mib()
    titles = [p.text for p in passages if p.label.startswith("ref-")]
    timings = []
    # A new vocabulary object: nothing asked yet is cached in the process, as in a build.
    fresh = Finder(load_vocabulary(cache_dir=Path(cache_dir)).forms)
    for title in titles:
        started = time.perf_counter()
        fresh.find(title)
        timings.append(time.perf_counter() - started)
    result["title_index_ms"] = statistics.median(timings) * 1000
    timings = []
    for title in titles:
        started = time.perf_counter()
        curated.find(title)
        timings.append(time.perf_counter() - started)
    result["title_curated_ms"] = statistics.median(timings) * 1000
    result["mentions_index"] = sum(len(p.mentions) for p in grounded)
    result["mentions_curated"] = sum(len(p.mentions) for p in passages)

    # Lookups: distinct keys on a new vocabulary object (nothing cached in process), then again.
    keys = list(dict.fromkeys(asked))
    prefix_keys = list(dict.fromkeys(prefixes))
    other = load_vocabulary(cache_dir=Path(cache_dir)).forms
    started = time.perf_counter()
    for key in keys:
        other.lookup(key)
    cold = time.perf_counter() - started
    started = time.perf_counter()
    for key in keys:
        other.lookup(key)
    warm = time.perf_counter() - started
    started = time.perf_counter()
    for key in prefix_keys:
        other.has_prefix(key)
    prefix = time.perf_counter() - started
    result["keys"] = len(keys)
    result["lookups_per_s_sqlite"] = len(keys) / cold
    result["lookups_per_s_cached"] = len(keys) / warm
    result["prefix_per_s_sqlite"] = len(prefix_keys) / prefix
    result["rss_peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def _run_child(cache_dir: str) -> dict[str, float]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("MKG_")}
    completed = subprocess.run(
        [sys.executable, __file__, "--child", cache_dir],
        cwd=REPO,
        env=environment,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(completed.stdout)


def _table(first: list[dict[str, float]], cached: list[dict[str, float]]) -> str:
    def median(runs: list[dict[str, float]], name: str) -> float:
        return statistics.median(run[name] for run in runs)

    size = (REPO / "ingest" / "vocabulary" / "index.tsv.gz").stat().st_size / 2**20
    rows = [
        ("artefact (index.tsv.gz)", f"{size:.1f} MiB"),
        ("load, first use (unpack into SQLite)", f"{median(first, 'load_s'):.2f} s"),
        ("load, cached", f"{median(cached, 'load_s') * 1000:.0f} ms"),
        ("import of ingest (ground, vocabulary)", f"{median(cached, 'import_s'):.2f} s"),
        (
            "RSS after imports / loaded / grounded",
            f"{median(cached, 'rss_imported_mib'):.0f} / {median(cached, 'rss_loaded_mib'):.0f}"
            f" / {median(cached, 'rss_grounded_mib'):.0f} MiB",
        ),
        ("RSS peak, first use", f"{median(first, 'rss_peak_mib'):.0f} MiB"),
        ("distinct keys asked on the seed", f"{median(cached, 'keys'):.0f}"),
        ("lookups per second (SQLite)", f"{median(cached, 'lookups_per_s_sqlite'):,.0f}"),
        ("lookups per second (in-process cache)", f"{median(cached, 'lookups_per_s_cached'):,.0f}"),
        ("has_prefix per second (SQLite)", f"{median(cached, 'prefix_per_s_sqlite'):,.0f}"),
        (
            "ground the seed's 169 texts: curated / index",
            f"{median(cached, 'ground_curated_s'):.3f} / {median(cached, 'ground_index_s'):.3f} s",
        ),
        (
            "per reference title (median): curated / index",
            f"{median(cached, 'title_curated_ms'):.2f} / {median(cached, 'title_index_ms'):.2f} ms",
        ),
        (
            "mentions on the seed: curated / index",
            f"{median(cached, 'mentions_curated'):.0f} / {median(cached, 'mentions_index'):.0f}",
        ),
        (
            "added to a build (cached load + grounding difference)",
            f"{median(cached, 'load_s') + median(cached, 'ground_index_s') - median(cached, 'ground_curated_s'):.2f} s",  # noqa: E501
        ),
    ]
    base = median(cached, "baseline_s")
    rows += [
        ("baseline workload (bench_build.reference_workload)", f"{base:.3f} s"),
        (
            "load first use / cached, x baseline",
            f"{median(first, 'load_s') / median(first, 'baseline_s'):.1f}"
            f" / {median(cached, 'load_s') / base:.2f}",
        ),
    ]
    lines = ["| measure | value |", "|---|---|"]
    lines += [f"| {name} | {value} |" for name, value in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the children and print the table (and write the raw runs with --json)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="child processes per measure")
    parser.add_argument("--json", type=Path, help="write the raw runs to this file")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.child:
        print(json.dumps(child(options.child)))
        return 0
    first, cached = [], []
    for _ in range(options.runs):
        with tempfile.TemporaryDirectory(prefix="mkg-bench-vocabulary-") as directory:
            first.append(_run_child(directory))
            cached.append(_run_child(directory))
    print(_table(first, cached))
    if options.json:
        options.json.parent.mkdir(parents=True, exist_ok=True)
        raw = {"runs": options.runs, "first_use": first, "cached": cached}
        options.json.write_text(json.dumps(raw, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
