"""The benchmark script's smoke run, so it cannot rot between full runs."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_benchmark_smoke_run_reports_every_measure() -> None:
    r = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--smoke"],
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
        "eventsourcing",
        "distinct states/s",
        "speed-up",
        "report of 100 moves",
    ):
        assert words in r.stdout, words


def test_benchmark_parts_can_be_run_alone() -> None:
    r = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--smoke", "--only", "load"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    assert "load 300 moves from TOML" in r.stdout
    assert "acts/s" not in r.stdout and "eventsourcing" not in r.stdout
