"""Every CLI command timed from outside, as a user runs it, on synthetic histories saved as TOML.

    python benchmarks/commands.py                   # 10k and 100k moves (long: an hour or so)
    python benchmarks/commands.py --smoke           # 200 and 1,000 moves, in about half a minute
    python benchmarks/commands.py --only check --only replay-json   # some commands only

Each command runs in its own process; the table gives its median wall time, cost per move,
growth of that cost with history length, ratio to a bare load and fold of the same file, and
peak resident memory, with the targets each should meet.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import attrs

from negotiation import IllegalMove, Move, Scenario, replay
from negotiation.io.writer import save_scenario
from negotiation.rules import play

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import synthetic  # benchmarks/ is not a package: found through sys.path

FOLD = "import sys\nfrom negotiation import load_scenario\nload_scenario(sys.argv[1]).replay().final\n"
"""The baseline every command is compared with: load the file and fold its history, nothing else."""

BASELINE = "fold"

# name -> (arguments after the program, exit statuses that mean it finished)
COMMANDS: dict[str, tuple[tuple[str, ...], frozenset[int]]] = {
    BASELINE: (("-c", FOLD, "{file}"), frozenset({0})),
    "replay": (("replay", "{file}"), frozenset({0})),
    "replay-json": (("replay", "{file}", "--json"), frozenset({0})),
    "replay-compact": (("replay", "{file}", "--json", "--compact"), frozenset({0})),
    "replay-public": (("replay", "{file}", "--as", "public"), frozenset({0})),
    "check": (("check", "{file}"), frozenset({0, 1})),  # 1: the history has error findings
    "diff": (("diff", "{file}", "{branch}"), frozenset({0})),
    "tree": (("tree", "{dir}"), frozenset({0, 1})),
    "graph": (("graph", "{file}", "--format", "json"), frozenset({0})),
    "report": (("report", "{file}", "-o", "{out}"), frozenset({0})),
    "export-plover": (("export", "{file}"), frozenset({0})),
    "export-negmas": (("export", "{file}", "--format", "negmas", "-o", "{run}"), frozenset({0})),
}

GROWTH_TARGET = 1.3  # per-move cost at the largest size over the smallest
CHECK_TARGET = 5.0  # seconds for check at the smallest size
BASELINE_TARGET = 5.0  # each command's time over the bare load and fold
RSS_TARGET = 2**30  # bytes of peak RSS at the largest size


@attrs.frozen
class Outcome:
    """One command at one size: wall times of the runs that finished, peak RSS, or why it stopped."""

    walls: tuple[float, ...]
    peak_kib: int
    failure: str = ""

    @property
    def wall(self) -> float:
        return statistics.median(self.walls)


def program() -> list[str]:
    """The `negotiation` console script beside this interpreter, or `python -m negotiation`."""
    script = Path(sys.executable).with_name("negotiation")
    return [str(script)] if script.exists() else [sys.executable, "-m", "negotiation"]


def run_child(argv: Sequence[str], timeout: float, limit: int) -> tuple[float, int, int | None, str]:
    """Wall seconds, peak RSS (KiB), exit status (None if killed at `timeout`) and stderr of one run.

    `os.wait4` gives the rusage of this one child, so its peak RSS is not mixed with others'.
    The child's address space is capped at `limit` bytes, so that a runaway fails alone.
    """
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
        resource.prlimit(proc.pid, resource.RLIMIT_AS, (limit, limit))
        killed = threading.Event()
        done = threading.Event()

        def kill() -> None:
            if not done.is_set():
                killed.set()
                os.killpg(proc.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            done.set()
            timer.cancel()
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode(errors="replace")
    return wall, usage.ru_maxrss, None if killed.is_set() else proc.returncode, stderr


def measure(argv: Sequence[str], ok: frozenset[int], repeat: int, timeout: float, limit: int) -> Outcome:
    """`repeat` runs of one command; the first that fails or times out ends the series."""
    walls: list[float] = []
    peak = 0
    for _ in range(repeat):
        wall, kib, status, stderr = run_child(argv, timeout, limit)
        peak = max(peak, kib)
        if status is None:
            return Outcome(tuple(walls), peak, f"did not finish in {timeout:g} s")
        if "MemoryError" in stderr:
            return Outcome(tuple(walls), peak, f"ran out of memory at the {limit / 2**30:g} GiB limit")
        if status not in ok:
            last = stderr.strip().splitlines()[-1:] or [""]
            return Outcome(tuple(walls), peak, f"failed (exit {status}): {last[0][:120]}")
        walls.append(wall)
    return Outcome(tuple(walls), peak)


def branch_of(base: Scenario, every: int = 10) -> Scenario:
    """A branch forking `base` halfway, then replaying its later moves less one in `every`.

    The moves kept are renamed and played one by one, and only the legal ones stay, so the
    branch diverges from its base but remains a legal history of about the same length.
    """
    half = len(base.moves) // 2
    fork = base.moves[half - 1]
    state = replay(base.moves[:half], base.catalogue).final
    own: list[Move] = []
    for i, move in enumerate(base.moves[half:]):
        if i % every == every - 1:
            continue
        renamed = attrs.evolve(move, id=f"b{move.id}")
        try:
            state = play(state, renamed)[0]
        except IllegalMove:
            continue
        own.append(renamed)
    return Scenario(
        "synthetic-branch",
        base.catalogue,
        (*base.moves[:half], *own),
        title="synthetic branch",
        base=base,
        fork_after=fork.id,
        own_moves=tuple(own),
    )


def write_histories(folder: Path, n: int, terms: int, parties: int, seed: int) -> tuple[Path, Path]:
    """A synthetic history of `n` moves and a branch of it, saved as TOML in `folder`."""
    cat, moves = synthetic(n, terms, parties, seed)
    base = Scenario(f"synthetic-{n}", cat, tuple(moves), own_moves=tuple(moves), title="synthetic")
    folder.mkdir(parents=True)
    file, branch = folder / "base.toml", folder / "branch.toml"
    save_scenario(base, file)
    save_scenario(branch_of(base), branch, base_file=file.name)
    return file, branch


def supports_compact() -> bool:
    """Whether this version's `replay` takes `--compact`."""
    out = subprocess.run([*program(), "replay", "--help"], capture_output=True, text=True, check=False)
    return "--compact" in out.stdout


def shown(name: str) -> str:
    """The command as a user types it, with FILE, FILE2, DIR and OUT for the paths."""
    args = COMMANDS[name][0]
    if name == BASELINE:
        return "load+fold (python -c)"
    names = {"{file}": "FILE", "{branch}": "FILE2", "{dir}": "DIR", "{out}": "out.html", "{run}": "RUN"}
    return " ".join(names.get(a, a) for a in args)


def verdict(ok: bool) -> str:
    """A target's cell: met or not."""
    return "met" if ok else "NOT met"


def table(results: dict[tuple[str, int], Outcome], names: list[str], sizes: list[int]) -> list[str]:
    """The markdown table of every command at every size, with the targets that apply to each row."""
    small, large = sizes[0], sizes[-1]
    lines = [
        f"| command | moves | wall | µs/move | growth {large}/{small} | x load+fold | peak RSS MiB "
        f"| growth <= {GROWTH_TARGET}x | check < {CHECK_TARGET:g} s at {small} "
        f"| <= {BASELINE_TARGET:g}x load+fold | RSS < 1 GiB at {large} |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name in names:
        for n in sizes:
            out = results.get((name, n))
            if out is None:
                continue
            rss = f"{out.peak_kib / 1024:,.1f}"
            if out.failure:
                lines.append(f"| `{shown(name)}` | {n} | {out.failure} | | | | {rss} | | | | |")
                continue
            per_move = out.wall / n
            base = results.get((BASELINE, n))
            ratio = out.wall / base.wall if base is not None and not base.failure else None
            growth_cell = growth_ok = ""
            first = results.get((name, small))
            if n == large and n != small and first is not None and not first.failure:
                growth = per_move / (first.wall / small)
                growth_cell, growth_ok = f"{growth:.2f}x", verdict(growth <= GROWTH_TARGET)
            lines.append(
                f"| `{shown(name)}` | {n} | {out.wall:.2f} s | {per_move * 1e6:,.1f} | {growth_cell} "
                f"| {'' if ratio is None else f'{ratio:.2f}x'} | {rss} | {growth_ok} "
                f"| {verdict(out.wall < CHECK_TARGET) if name == 'check' and n == small else ''} "
                f"| {verdict(ratio <= BASELINE_TARGET) if ratio is not None and name != BASELINE else ''} "
                f"| {verdict(out.peak_kib * 1024 < RSS_TARGET) if n == large else ''} |"
            )
    return lines


def main(argv: list[str] | None = None) -> int:
    """Write the histories, time the commands asked for, and print the table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--smoke", action="store_true", help="200 and 1,000 moves on 50 terms, run once")
    ap.add_argument("--sizes", type=int, nargs="+", help="history lengths (default 10000 100000)")
    ap.add_argument("--terms", type=int, help="terms in the catalogue (default 1000)")
    ap.add_argument("--parties", type=int, default=3, help="principals, 2 to 6")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, help="runs per command (default 3, or 1 from 100k moves)")
    ap.add_argument("--timeout", type=float, default=600, help="seconds before a run is stopped")
    ap.add_argument("--memory-limit", type=float, default=8, help="GiB of address space per run")
    ap.add_argument(
        "--only",
        action="append",
        choices=[c for c in COMMANDS if c != BASELINE],
        help="time only this command, beside the load+fold baseline (repeatable)",
    )
    args = ap.parse_args(argv)
    sizes = sorted(args.sizes or ([200, 1000] if args.smoke else [10_000, 100_000]))
    terms = args.terms or (50 if args.smoke else 1000)
    names = [BASELINE, *(c for c in COMMANDS if c != BASELINE and (not args.only or c in args.only))]
    notes = []
    if "replay-compact" in names and not supports_compact():
        names.remove("replay-compact")
        notes.append("`replay --json --compact` skipped: `negotiation replay --help` lists no --compact")
    prog = program()
    print(
        f"python {sys.version.split()[0]}; {' '.join(Path(p).name for p in prog)}; {args.parties} "
        f"principals, {terms} terms, seed {args.seed}; timeout {args.timeout:g} s",
        flush=True,
    )
    start = measure([*prog, "--help"], frozenset({0}), 3, args.timeout, 2**33)
    notes.append(f"start-up alone (`negotiation --help`): {start.wall:.2f} s, in every wall time above")
    results: dict[tuple[str, int], Outcome] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            folder = Path(tmp) / f"n{n}" / "scenarios"
            t0 = time.perf_counter()
            file, branch = write_histories(folder, n, terms, args.parties, args.seed)
            size = file.stat().st_size / 2**20
            print(f"wrote {n} moves ({size:.1f} MiB) in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
            paths = {
                "{file}": file,
                "{branch}": branch,
                "{dir}": folder,
                "{out}": folder.parent / "out.html",
                "{run}": folder.parent / "run",
            }
            repeat = args.repeat or (1 if args.smoke or n >= 100_000 else 3)
            for name in names:
                template, ok = COMMANDS[name]
                head = [sys.executable] if name == BASELINE else prog
                child = [*head, *(str(paths.get(a, a)) for a in template)]
                limit = int(args.memory_limit * 2**30)
                results[name, n] = out = measure(child, ok, repeat, args.timeout, limit)
                print(f"  {name} at {n}: {out.failure or f'{out.wall:.2f} s'}", file=sys.stderr, flush=True)
            shutil.rmtree(folder.parent)
    print("\n".join(table(results, names, sizes)))
    print()
    for note in notes:
        print(f"- {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
