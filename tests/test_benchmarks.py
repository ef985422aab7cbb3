"""The benchmark scripts' smoke runs, so they cannot rot between full runs."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from types import ModuleType

import pytest

from conftest import ROOT

BENCHMARKS = ROOT / "benchmarks"


def _module(name: str) -> ModuleType:
    """A benchmark script imported as a module (benchmarks/ is not a package)."""
    sys.path.insert(0, str(BENCHMARKS))
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_benchmark_smoke_run_reports_every_measure() -> None:
    r = subprocess.run(
        [sys.executable, str(BENCHMARKS / "run.py"), "--smoke"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    for words in (
        "acts/s",
        "per-act cost",
        "fork after the last move",
        "bytes retained per act",
        "load 300 moves from TOML",
        "deep-copy reference",
        "dict fold (mutated in place, the floor) of",
        "immutables.Map fold (a new map per event) of",
        "pyrsistent",
        "eventsourcing",
        "NegMAS",
        "distinct states/s",
        "speed-up",
        "report of 100 moves",
    ):
        assert words in r.stdout, words
    # every bare fold that ran gives its rate and our time over its time
    for line in r.stdout.splitlines():
        if " fold " in line and "not installed" not in line:
            rate, ratio = re.search(r"([\d,]+) events/s; .*\(([\d.]+)x its time\)", line).groups()
            assert int(rate.replace(",", "")) > 0 and float(ratio) > 0, line


def test_benchmark_parts_can_be_run_alone() -> None:
    r = subprocess.run(
        [sys.executable, str(BENCHMARKS / "run.py"), "--smoke", "--only", "load"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    assert "load 300 moves from TOML" in r.stdout
    assert "acts/s" not in r.stdout and "eventsourcing" not in r.stdout


# The head and the last line of a real callgrind output file (valgrind 3.19, of /bin/true).
CALLGRIND_OUT = """\
# callgrind format
version: 1
creator: callgrind-3.19.0
pid: 26712
cmd:  /bin/true
part: 1


desc: I1 cache:
desc: D1 cache:
desc: LL cache:

desc: Timerange: Basic block 0 - 28934
desc: Trigger: Program termination

positions: line
events: Ir
summary: 126559


ob=(1) /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
fl=(1) ???
fn=(0) 0x000000000001ab70
0 2
totals: 126559
"""


def test_callgrind_total_is_read_from_the_totals_or_summary_line() -> None:
    run = _module("run")
    assert run.callgrind_total(CALLGRIND_OUT) == 126559
    older = "\n".join(line for line in CALLGRIND_OUT.splitlines() if not line.startswith("totals"))
    assert run.callgrind_total(older) == 126559
    with pytest.raises(ValueError, match="not a callgrind output"):
        run.callgrind_total("events: Ir\n0 12\n")


def test_sao_trace_is_a_legal_history_ending_in_acceptance() -> None:
    from negotiation import replay

    run = _module("run")
    cat, moves = run.sao_trace(20, 5)
    assert len(moves) == 40 and all(len(m.acts) == 5 for m in moves)
    final = replay(moves, cat).final
    assert {str(p.stance) for p in final.terms["issue0"].values()} == {"proposed", "accepted"}


COMMANDS = (
    "load+fold (python -c)",
    "replay FILE",
    "replay FILE --json",
    "replay FILE --as public",
    "check FILE",
    "diff FILE FILE2",
    "tree DIR",
    "graph FILE --format json",
    "report FILE -o out.html",
    "export FILE",
    "export FILE --format negmas -o RUN",
)


def test_commands_smoke_run_times_every_command_at_both_sizes() -> None:
    r = subprocess.run(
        [sys.executable, str(BENCHMARKS / "commands.py"), "--smoke"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    rows = [line.split("|")[1:-1] for line in r.stdout.splitlines() if line.startswith("| `")]
    cells = {(row[0].strip().strip("`"), int(row[1])): [c.strip() for c in row[2:]] for row in rows}
    compact = "replay FILE --json --compact"
    expected = [*COMMANDS, compact] if any(name == compact for name, _ in cells) else COMMANDS
    if compact not in expected:
        assert "--compact` skipped" in r.stdout
    assert sorted(cells) == sorted((name, n) for name in expected for n in (200, 1000))
    for (name, n), (wall, per_move, growth, ratio, rss, *targets) in cells.items():
        assert wall.endswith(" s") and float(wall[:-2]) > 0, (name, n, wall)
        assert float(per_move.replace(",", "")) > 0 and float(rss.replace(",", "")) > 0, (name, n)
        assert float(ratio.rstrip("x")) > 0, (name, n)
        assert (growth != "") == (n == 1000), (name, n)
        assert all(t in ("", "met", "NOT met") for t in targets), (name, n, targets)
    assert cells["check FILE", 200][6] in ("met", "NOT met")
    assert all(cells[name, 1000][8] in ("met", "NOT met") for name in expected)
