"""The queries benchmark runs on a build: a named query, a page and a picture of the seed build.

Timings are printed, never asserted (machines are noisy).
"""

import subprocess
import sys
from pathlib import Path


def test_bench_queries_times_a_query_a_page_and_a_picture(repo_root: Path, seed_out: Path) -> None:
    for only in ("14-graph", "figure", "years"):
        done = subprocess.run(
            [sys.executable, "bench/bench_queries.py", "--build", str(seed_out), "--runs", "1"]
            + ["--only", only, "--no-write"],
            cwd=repo_root,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        rows = [line for line in done.stdout.splitlines() if line.startswith("| ")]
        assert rows[0] == "| kind | item | now |"
        assert len(rows) == 2, rows  # the header and the one item
        assert rows[1].endswith(" s |") and "failed" not in rows[1], rows[1]
