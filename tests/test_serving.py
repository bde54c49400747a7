"""How mkg serve bounds the memory of its query processes, and what it says about it."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from server.cli import main
from server.serving import (
    MIB,
    QUERY_MEMORY_FLOOR_MB,
    QUERY_MEMORY_SHARE,
    MemoryTooSmall,
    machine_memory,
    plan_query_memory,
)

GIB = 1024 * MIB


def test_default_shares_sixty_percent_of_memory_among_the_query_processes() -> None:
    plan = plan_query_memory(processes=8, requested_mb=None, memory=24 * GIB)
    assert QUERY_MEMORY_SHARE == 0.6
    assert plan.per_process_mb == int(24 * 1024 * 0.6) // 8 == 1843
    assert plan.total_mb == 8 * 1843 <= 0.6 * 24 * 1024
    assert plan.describe() == (
        "query memory: 1843 MiB for each of 8 query processes, 14744 MiB in all "
        "(60% of 24576 MiB of physical memory)"
    )


def test_fewer_processes_get_more_each() -> None:
    assert plan_query_memory(processes=2, requested_mb=None, memory=24 * GIB).per_process_mb == 7372
    assert plan_query_memory(processes=1, requested_mb=None, memory=4 * GIB).per_process_mb == 2457


def test_explicit_limit_is_used_as_given() -> None:
    plan = plan_query_memory(processes=8, requested_mb=4096, memory=24 * GIB)
    assert (plan.per_process_mb, plan.total_mb) == (4096, 32768)
    assert plan.source == "set by --query-memory"
    unlimited = plan_query_memory(processes=8, requested_mb=0, memory=1 * GIB)
    assert unlimited.per_process_mb == 0
    assert unlimited.describe().startswith("query memory: no limit for 8 query processes")


def test_default_below_the_floor_is_refused_with_the_fix() -> None:
    with pytest.raises(MemoryTooSmall) as error:
        plan_query_memory(processes=8, requested_mb=None, memory=8 * GIB)
    message = str(error.value)
    assert "\n" not in message
    assert message == (
        "8 query processes (workers x threads) would get 614 MiB each, 60% of 8192 MiB of "
        f"physical memory, less than the {QUERY_MEMORY_FLOOR_MB} MiB one needs; use fewer "
        "--workers or --threads, or set --query-memory"
    )
    # Fewer processes on the same machine are accepted.
    assert plan_query_memory(processes=4, requested_mb=None, memory=8 * GIB).per_process_mb == 1228


def test_explicit_limit_below_the_floor_is_refused() -> None:
    with pytest.raises(MemoryTooSmall, match="--query-memory 300 is less than the 768 MiB"):
        plan_query_memory(processes=1, requested_mb=300, memory=24 * GIB)
    floor = plan_query_memory(processes=1, requested_mb=QUERY_MEMORY_FLOOR_MB, memory=GIB)
    assert floor.per_process_mb == QUERY_MEMORY_FLOOR_MB


def test_machine_memory_is_the_cgroup_limit_when_lower(tmp_path: Path) -> None:
    physical, source = machine_memory(cgroup_limits=[])
    assert source == "physical memory" and physical > 0
    v2 = tmp_path / "memory.max"
    v2.write_text(f"{2 * GIB}\n")
    assert machine_memory(cgroup_limits=[v2]) == (2 * GIB, "the cgroup's memory limit")
    v2.write_text("max\n")
    assert machine_memory(cgroup_limits=[v2]) == (physical, "physical memory")
    v1 = tmp_path / "memory.limit_in_bytes"
    v1.write_text("9223372036854771712\n")
    assert machine_memory(cgroup_limits=[tmp_path / "absent", v1]) == (physical, "physical memory")
    v1.write_text(f"{GIB}\n")
    assert machine_memory(cgroup_limits=[tmp_path / "absent", v1])[0] == GIB


def test_serve_refuses_too_many_query_processes_in_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["serve", "--build", str(tmp_path), "--workers", "64", "--threads", "64"]
    )
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Error: 4096 query processes (workers x threads) would get ")
    assert lines[0].endswith("use fewer --workers or --threads, or set --query-memory")


def test_serve_help_says_how_the_memory_default_is_derived() -> None:
    result = CliRunner().invoke(main, ["serve", "--help"])
    text = " ".join(result.output.split())
    assert f"default: {QUERY_MEMORY_SHARE:.0%} of the machine's memory" in text
    assert "(physical, or the cgroup's limit when lower)" in text
    assert f"below {QUERY_MEMORY_FLOOR_MB} MiB each, mkg serve refuses to start" in text
    assert "env var: MKG_QUERY_MEMORY_MB" in text
    assert "--request-timeout" in text and "env var: MKG_REQUEST_TIMEOUT; default: 30.0;" in text
