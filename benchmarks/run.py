"""Benchmarks of the engine on seeded synthetic histories: medians of repeated runs.

    python benchmarks/run.py            # the full run (several minutes), as in docs/performance.md
    python benchmarks/run.py --smoke    # seconds: the same code paths on small sizes
    python benchmarks/run.py --profile  # where a 10k-move replay spends its time
    python benchmarks/run.py --only explore --only peers   # some parts only
    python benchmarks/run.py --callgrind  # instruction counts per act and per explored state

Reports replay throughput and its growth with history length, fork cost at the end and the
start of a long history, memory retained per act, loading a large TOML file, and, on the same
events, a naive engine that deep-copies its state per move, bare folds into a dict, an
`immutables.Map` and a `pyrsistent` map, the `eventsourcing` package folding events into an
aggregate (pip install -e '.[bench]'), and NegMAS on a scripted trace when it is installed.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import cProfile
import gc
import os
import pstats
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import immutables

from negotiation import (
    Act,
    Catalogue,
    IllegalMove,
    Move,
    Party,
    Role,
    Scenario,
    State,
    Term,
    load_scenario,
    replay,
)
from negotiation.engine import CHECKPOINT_EVERY
from negotiation.io.writer import save_scenario
from negotiation.rules import play

CHANNELS = ["private", "private", "public", "back-channel", "oral"]
WORDS = ["at once", "under UN supervision", "within a month", "in secret", "as stated"]


def synthetic(n_moves: int, n_terms: int, n_parties: int, seed: int) -> tuple[Catalogue, list[Move]]:
    """A legal history of `n_moves` moves among `n_parties` principals on `n_terms` terms.

    Acts are drawn with a realistic mix (proposals, acceptances in the other side's words or
    one's own, restatements, conditions, disputes, rejections, affirmations, performance) on
    terms where they make sense, and kept only when the engine accepts them.
    """
    rng = random.Random(seed)
    parties = [f"P{i}" for i in range(n_parties)]
    terms = [Term(f"t{i}", [rng.choice(parties)], f"term {i}") for i in range(n_terms)]
    cat = Catalogue([*(Party(p) for p in parties), Party("X", role=Role.THIRD)], terms)
    state, moves = State.initial(cat), list[Move]()
    raised: list[str] = []
    while len(moves) < n_moves:
        author = rng.choice(parties)
        acts = []
        for _ in range(rng.choice([1, 1, 2, 2, 3])):
            verb = rng.choices(
                [
                    "propose",
                    "accept",
                    "restate",
                    "condition",
                    "dispute",
                    "reject",
                    "affirm",
                    "fulfil",
                    "withdraw",
                ],
                weights=[30, 25, 10, 6, 8, 5, 8, 5, 3],
            )[0]
            if verb == "propose" or not raised:
                term, verb = rng.choice(terms).id, "propose"
            else:
                term = raised[-rng.randint(1, min(len(raised), 50))]
            kw: dict[str, Any] = {}
            if verb in ("accept", "restate", "propose") and rng.random() < 0.4:
                kw["wording"] = rng.choice(WORDS)
            if verb == "restate" and "wording" not in kw:
                kw["scope"] = rng.choice(WORDS)
            if verb == "condition":
                kw["conditions"] = [rng.choice(raised)]
                if kw["conditions"] == [term]:
                    continue
            if verb == "fulfil":
                kw["extent"] = rng.choice(["begun", "complete"])
            acts.append(Act(verb, term=term, **kw))
        if not acts:
            continue
        others = [p for p in parties if p != author]
        to = rng.sample(others, rng.randint(1, len(others)))
        move = Move(f"m{len(moves)}", author, acts, to, rng.choice(CHANNELS))
        try:
            state = play(state, move)[0]
        except IllegalMove:
            continue
        moves.append(move)
        raised += [a.term for a in acts if a.verb.value == "propose" and a.term]
    return cat, moves


def _replayer(cat: Catalogue, moves: list[Move]) -> Callable[[], object]:
    return lambda: replay(moves, cat)


def cores() -> list[str]:
    """The cores this machine can run: the Python reference, and the native core where built."""
    from negotiation.native import native_module

    return ["python", "native"] if native_module() is not None else ["python"]


@contextlib.contextmanager
def on_core(name: str) -> Iterator[None]:
    """Run the block on the named core (`NEGOTIATION_CORE`), then restore the setting."""
    before = os.environ.get("NEGOTIATION_CORE")
    os.environ["NEGOTIATION_CORE"] = name
    try:
        yield
    finally:
        if before is None:
            del os.environ["NEGOTIATION_CORE"]
        else:
            os.environ["NEGOTIATION_CORE"] = before


def _on(name: str, fn: Callable[[], object]) -> Callable[[], object]:
    def run() -> object:
        with on_core(name):
            return fn()

    return run


def native_held() -> int:
    """Bytes the native core holds now (0 where it is not built)."""
    from negotiation.native import native_module

    module = native_module()
    return int(module.held_bytes()) if module is not None else 0


def replay_and_read(cat: Catalogue, moves: list[Move]) -> Callable[[], object]:
    """A replay, then every state it keeps read (the native core builds them when first read)."""

    def run() -> object:
        timeline = replay(moves, cat)
        return [timeline.step_at(k).state for k in range(0, len(timeline), CHECKPOINT_EVERY)]

    return run


def median_time(fn: Callable[[], object], repeat: int) -> float:
    """The median wall time of `repeat` calls (after one warm-up call)."""
    fn()
    gc.collect()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def paired_medians(a: Callable[[], object], b: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median times of two functions timed in turn, so that drift in the machine's speed hits both."""
    a(), b()
    gc.collect()
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for fn, out in ((a, times[0]), (b, times[1])):
            t0 = time.perf_counter()
            fn()
            out.append(time.perf_counter() - t0)
    return statistics.median(times[0]), statistics.median(times[1])


# -- peers, written here and only here ------------------------------------------------------


def deepcopy_reference(cat: Catalogue, moves: list[Move]) -> list[dict[str, dict[str, str]]]:
    """A naive engine: the whole state (term -> party -> stance) deep-copied for every move."""
    stance_of = {
        "propose": "proposed",
        "accept": "accepted",
        "reject": "rejected",
        "dispute": "disputed",
        "withdraw": "withdrawn",
        "affirm": "affirmed",
        "fulfil": "fulfilled",
    }
    state: dict[str, dict[str, str]] = {t.id: {} for t in cat.terms}
    states = []
    for move in moves:
        state = copy.deepcopy(state)
        for act in move.acts:
            if act.term is not None and act.verb.value in stance_of:
                state[act.term][move.author] = stance_of[act.verb.value]
        states.append(state)
    return states


def eventsourcing_fold(cat: Catalogue, moves: list[Move]) -> Callable[[], object] | None:
    """Folding one event per act into an `eventsourcing` aggregate; None when it is not installed."""
    try:
        from eventsourcing.domain import Aggregate, event
    except ImportError:
        return None

    class Negotiation(Aggregate):
        @event("Started")
        def __init__(self, name: str) -> None:
            self.name = name
            self.stances: dict[tuple[str, str], str] = {}

        @event("ActApplied")
        def apply_act(self, term: str, party: str, verb: str) -> None:
            self.stances[(term, party)] = verb

    aggregate = Negotiation(name="synthetic")
    for move in moves:
        for act in move.acts:
            aggregate.apply_act(term=act.term or "", party=move.author, verb=act.verb.value)
    events = aggregate.collect_events()

    def fold() -> object:
        folded = None
        for e in events:
            folded = e.mutate(folded)
        return folded

    return fold


Event = tuple[str, str, str]


def events_of(moves: list[Move]) -> list[Event]:
    """One event per act, (term, author, verb): what every bare fold below folds."""
    return [(act.term or "", move.author, act.verb.value) for move in moves for act in move.acts]


def dict_fold(events: list[Event]) -> Callable[[], object]:
    """Stances set in one nested dict, mutated in place: the floor for any fold in Python."""

    def fold() -> object:
        stances: dict[str, dict[str, str]] = {}
        for term, party, verb in events:
            inner = stances.get(term)
            if inner is None:
                inner = stances[term] = {}
            inner[party] = verb
        return stances

    return fold


def immutables_fold(events: list[Event]) -> Callable[[], object]:
    """Stances in nested `immutables.Map`s, a new persistent map per event (as our states are)."""
    empty: immutables.Map[str, str] = immutables.Map()

    def fold() -> object:
        stances: immutables.Map[str, immutables.Map[str, str]] = immutables.Map()
        for term, party, verb in events:
            stances = stances.set(term, stances.get(term, empty).set(party, verb))
        return stances

    return fold


def pyrsistent_fold(events: list[Event]) -> Callable[[], object] | None:
    """The same fold into nested `pyrsistent` pmaps; None when pyrsistent is not installed."""
    try:
        from pyrsistent import PMap, pmap
    except ImportError:
        return None
    empty: PMap[str, str] = pmap()

    def fold() -> object:
        stances: PMap[str, PMap[str, str]] = pmap()
        for term, party, verb in events:
            stances = stances.set(term, stances.get(term, empty).set(party, verb))
        return stances

    return fold


NEGMAS_ON_RECORD = (
    "on record, measured outside the project: on a 1,000-step SAO trace on 5 issues, "
    "our replay ran at 2.0x NegMAS's mechanism's speed"
)


def sao_trace(steps: int, issues: int) -> tuple[Catalogue, list[Move]]:
    """Our history of a scripted alternating-offers trace: two moves of `issues` acts per step.

    A proposes every issue (the wording is the value) and B disputes it in its own words; then
    both restate with new values each step, and the last move is B accepting A's terms.
    """
    ids = [f"issue{i}" for i in range(issues)]
    cat = Catalogue([Party("A"), Party("B")], [Term(t, ["A", "B"], f"issue {t}") for t in ids])

    def offer(author: str, verb: str, k: int) -> Move:
        to = ["B" if author == "A" else "A"]
        acts = [Act(verb, term=t, wording=f"v{(k + i) % 5}") for i, t in enumerate(ids)]
        return Move(f"{author}{k}", author, acts, to)

    moves = [offer("A", "propose", 0), offer("B", "dispute", 0)]
    for k in range(1, steps):
        moves.append(offer("A", "restate", k))
        moves.append(offer("B", "restate", k) if k < steps - 1 else offer("B", "accept", k))
    return cat, moves


def negmas_trace(steps: int, issues: int) -> Callable[[], object] | None:
    """A NegMAS SAO mechanism built and run on a scripted trace; None when negmas is missing.

    Both negotiators return fixed offers (no search): every offer is rejected until the last
    step, where the second accepts, so the time is the mechanism's own.
    """
    try:
        from negmas import ResponseType, SAOMechanism, make_issue
        from negmas.sao import SAOCallNegotiator, SAOResponse, SAOState
    except ImportError:
        return None

    class Scripted(SAOCallNegotiator):  # type: ignore[misc]
        def __init__(self, shift: int, accept_at: int | None, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.shift, self.accept_at = shift, accept_at

        def __call__(self, state: SAOState, dest: str | None = None) -> SAOResponse:
            k = state.step
            if self.accept_at is not None and k >= self.accept_at and state.current_offer is not None:
                return SAOResponse(ResponseType.ACCEPT_OFFER, state.current_offer)
            offer = tuple(f"v{(k + i + self.shift) % 5}" for i in range(issues))
            return SAOResponse(ResponseType.REJECT_OFFER, offer)

    def run() -> object:
        values = [f"v{i}" for i in range(5)]
        mechanism = SAOMechanism(
            issues=[make_issue(values, f"issue{i}") for i in range(issues)], n_steps=steps + 1
        )
        mechanism.add(Scripted(0, None, name="A"))
        mechanism.add(Scripted(1, steps - 1, name="B"))
        return mechanism.run()

    return run


# -- the runs -------------------------------------------------------------------------------


def fork_costs(cat: Catalogue, moves: list[Move], repeat: int = 300) -> tuple[float, float, float]:
    """Median cost of forking one new move after the last move, the first, and the middle one.

    The three are timed in turn, so drift in the machine's speed affects them alike. A fork
    after the middle move needs a state between two checkpoints, folded again each time.
    """
    timeline = replay(moves, cat)
    term = next(a.term for m in moves for a in m.acts if a.term is not None)
    fresh = Move(
        "fork-move", moves[0].author, (Act("restate", term=term, wording="forked"),), moves[0].addressees
    )
    middle = len(moves) // 2 + CHECKPOINT_EVERY // 2  # halfway between two checkpoints

    def fork_after(i: int) -> float:
        t0 = time.perf_counter()
        with contextlib.suppress(IllegalMove):  # the restatement may be illegal there: same work
            timeline.fork(moves[i].id, [fresh])
        return time.perf_counter() - t0

    fork_after(0), fork_after(len(moves) - 1)
    gc.collect()
    ends, starts, middles = [], [], []
    for _ in range(repeat):
        ends.append(fork_after(len(moves) - 1))
        starts.append(fork_after(0))
        middles.append(fork_after(middle))
        timeline._stretches.clear()  # as for a point not looked at before
    return statistics.median(ends), statistics.median(starts), statistics.median(middles)


def memory(
    cat: Catalogue, moves: list[Move], checkpoint_every: int = CHECKPOINT_EVERY
) -> tuple[int, int, int]:
    """Bytes a timeline keeps alive, Python's peak while folding it, and the native core's share.

    Python's allocations are traced (tracemalloc); the native core counts its own.
    """
    gc.collect()
    native_base = native_held()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    timeline = replay(moves, cat, checkpoint_every=checkpoint_every)
    gc.collect()
    retained, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    native = native_held() - native_base
    del timeline
    return retained - base + native, peak - base, native


def profile(cat: Catalogue, moves: list[Move], top: int = 15) -> None:
    """Print where a replay spends its time (cProfile, sorted by own time)."""
    profiler = cProfile.Profile()
    profiler.runcall(replay, moves, cat)
    pstats.Stats(profiler).strip_dirs().sort_stats("tottime").print_stats(top)


def exploration_start() -> tuple[State, Any]:
    """The state after the 27 October public letter, and the policy the explorations search with."""
    from negotiation.explore import Policy

    root = Path(__file__).resolve().parent.parent
    start = load_scenario(root / "scenarios/cuba-1962/historical.toml").timeline["khrushchev-27-oct-letter"]
    return start, Policy(core=("soviet-remove-offensive-weapons", "us-no-invasion-pledge"))


def exploration(depth: int, repeat: int) -> None:
    """States per second exploring from the 27 October public letter: one process, two shards.

    One process and two worker processes (each keeping its shard of the states) are timed in
    turn; so are one process and a two-process pool expanding chunks from the states' paths.
    """
    from concurrent.futures import ProcessPoolExecutor

    from negotiation.explore import explore
    from negotiation.shards import ProcessShards

    start, policy = exploration_start()
    result = explore(start, policy, depth=depth)
    with ProcessShards(2) as shards:
        one, two = paired_medians(
            lambda: explore(start, policy, depth=depth),
            lambda: explore(start, policy, depth=depth, shards=shards),
            repeat,
        )
    with ProcessPoolExecutor(max_workers=2) as pool:
        one_again, chunked = paired_medians(
            lambda: explore(start, policy, depth=depth),
            lambda: explore(start, policy, depth=depth, executor=pool, workers=2),
            repeat,
        )
    states, expanded = len(result.graph), result.expanded
    print(
        f"explore from khrushchev-27-oct-letter, depth {depth}: {states:,} states, merge ratio "
        f"{result.merge_ratio():.2f}; one process {one:.2f} s, {states / one:,.0f} distinct states/s "
        f"({expanded / one:,.0f} expanded/s)"
    )
    print(f"explore on 2 shards (worker processes): {two:.2f} s, speed-up {one / two:.2f}x")
    print(
        f"explore on a 2-process pool, chunks from paths: {chunked:.2f} s, "
        f"speed-up {one_again / chunked:.2f}x (one process {one_again:.2f} s)"
    )


def report(cat: Catalogue, moves: list[Move], repeat: int) -> None:
    """Seconds and bytes for the HTML report of a history (replay and every party's view included)."""
    from negotiation.render.report import report_html

    scenario = Scenario("synthetic", cat, tuple(moves), own_moves=tuple(moves), title="synthetic")
    page = report_html(scenario)
    t = median_time(
        lambda: report_html(Scenario("synthetic", cat, tuple(moves), own_moves=tuple(moves))), repeat
    )
    size = len(page.encode()) / 1e6
    print(f"report of {len(moves)} moves on {len(cat.terms)} terms: median {t:.2f} s, {size:.2f} MB")


# -- instruction counts ---------------------------------------------------------------------

CALLGRIND_MOVES = 2000
CALLGRIND_DEPTH = 2


def callgrind_total(text: str) -> int:
    """The total instruction count (Ir) of a callgrind output file, from its totals or summary line."""
    found: dict[str, int] = {}
    for line in text.splitlines():
        key, _, rest = line.partition(":")
        if key in ("totals", "summary") and rest.split():
            found[key] = int(rest.split()[0])
    if not found:
        raise ValueError("no 'totals:' or 'summary:' line: not a callgrind output file")
    return found.get("totals", found.get("summary", 0))


def callgrind_work(kind: str, reps: int, terms: int, parties: int, seed: int) -> int:
    """Do the measured work `reps` times after its set-up; returns the acts or states of one go."""
    if kind == "replay":
        cat, moves = synthetic(CALLGRIND_MOVES, terms, parties, seed)
        for _ in range(reps):
            replay(moves, cat).final  # noqa: B018  (the fold is the point)
        return sum(len(m.acts) for m in moves)
    from negotiation.explore import explore

    start, policy = exploration_start()
    states = 0
    for _ in range(reps):
        states = len(explore(start, policy, depth=CALLGRIND_DEPTH).graph)
    return states


def callgrind(terms: int, parties: int, seed: int) -> None:
    """Print instructions per act of a replay and per state of an exploration, under callgrind.

    Each is run in a child once and three times after the same set-up, and the difference of
    the two totals over two goes is the count per go: set-up, start-up and first-call costs
    cancel out. Counts do not drift with the machine's speed, so a few percent shows.
    """
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        print("callgrind: valgrind is not installed, skipped")
        return
    with tempfile.TemporaryDirectory() as tmp:
        children = {}
        # replay on each core; exploration applies moves one by one, on the reference
        jobs = [("replay", core) for core in cores()] + [("explore", "python")]
        for kind, core in jobs:
            env = {**os.environ, "PYTHONHASHSEED": "0", "NEGOTIATION_CORE": core}
            for reps in (1, 3):
                out = Path(tmp) / f"{kind}-{core}-{reps}.out"
                argv = [
                    valgrind,
                    "--tool=callgrind",
                    f"--callgrind-out-file={out}",
                    sys.executable,
                    __file__,
                    *("--callgrind-child", kind, "--reps", str(reps)),
                    *("--terms", str(terms), "--parties", str(parties), "--seed", str(seed)),
                ]
                proc = subprocess.Popen(
                    argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True
                )
                children[kind, core, reps] = (proc, out)
        totals, units = {}, {}
        for key, (proc, out) in children.items():
            stdout, stderr = proc.communicate()
            if proc.returncode != 0:
                raise RuntimeError(f"callgrind {key}: exit {proc.returncode}: {stderr[-2000:]}")
            units[key[0]] = int(stdout.split()[-1])
            totals[key] = callgrind_total(out.read_text())
    for kind, core in jobs:
        what = "act" if kind == "replay" else "state"
        label = (
            f"replay of {CALLGRIND_MOVES} moves ({units['replay']} acts), seed {seed}, {core} core"
            if kind == "replay"
            else f"explore depth {CALLGRIND_DEPTH} ({units['explore']} states)"
        )
        once, thrice = totals[kind, core, 1], totals[kind, core, 3]
        per_go = (thrice - once) / 2
        print(
            f"callgrind {label}: {per_go / units[kind]:,.0f} Ir per {what}; {per_go:,.0f} Ir per go "
            f"(totals {once:,} for one go, {thrice:,} for three)"
        )


PARTS = ("replay", "fork", "memory", "load", "peers", "explore", "report")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks (all, or the parts named with --only) and print their medians."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--smoke", action="store_true", help="small sizes, a few seconds")
    ap.add_argument("--terms", type=int, default=1000)
    ap.add_argument("--parties", type=int, default=3, help="principals, 2 to 6")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--profile", action="store_true", help="only profile a replay of the middle size")
    ap.add_argument(
        "--callgrind",
        action="store_true",
        help=f"only count instructions (valgrind): per act of {CALLGRIND_MOVES} moves, per state explored",
    )
    ap.add_argument("--callgrind-child", choices=("replay", "explore"), help=argparse.SUPPRESS)
    ap.add_argument("--reps", type=int, default=1, help=argparse.SUPPRESS)
    ap.add_argument("--only", action="append", choices=PARTS, help="run only this part (repeatable)")
    args = ap.parse_args(argv)
    parts = set(args.only or PARTS)
    if args.callgrind_child:
        print(callgrind_work(args.callgrind_child, args.reps, args.terms, args.parties, args.seed))
        return 0
    sizes = [100, 300] if args.smoke else [1000, 10_000, 100_000]
    terms = 50 if args.smoke else args.terms
    repeat = 2 if args.smoke else 5
    print(f"python {sys.version.split()[0]}; {args.parties} principals, {terms} terms, seed {args.seed}")
    if args.profile:
        profile(*synthetic(sizes[-2], terms, args.parties, args.seed))
        return 0
    if args.callgrind:
        callgrind(args.terms, args.parties, args.seed)
        return 0
    histories = {n: synthetic(n, terms, args.parties, args.seed) for n in sizes}
    big, mid = sizes[-1], sizes[-2]

    if "replay" in parts:
        here = cores()
        for n in sizes:
            cat, moves = histories[n]
            acts = sum(len(m.acts) for m in moves)
            if len(here) == 1:
                times = [median_time(_replayer(cat, moves), 3 if n >= 100_000 else repeat)]
            else:  # the reference and the native core timed in turn
                times = list(
                    paired_medians(
                        _on("python", _replayer(cat, moves)),
                        _on("native", _replayer(cat, moves)),
                        3 if n >= 100_000 else repeat,
                    )
                )
            for core, t in zip(here, times, strict=True):
                print(
                    f"replay {n:>7} moves ({acts:>7} acts), {core} core: median {t * 1e3:9.1f} ms, "
                    f"{acts / t:>9,.0f} acts/s"
                )
            if len(here) == 2:
                print(
                    f"replay {n:>7} moves: the native core {times[0] / times[1]:.1f}x the reference's speed"
                )
        for core in here:
            # the two sizes timed in turn, so that the ratio does not move with the machine's load
            t_mid, t_big = paired_medians(
                _on(core, _replayer(*histories[mid])), _on(core, _replayer(*histories[big])), 3
            )
            acts_mid, acts_big = (sum(len(m.acts) for m in histories[n][1]) for n in (mid, big))
            print(
                f"per-act cost, {big} vs {mid} moves, {core} core: "
                f"{(t_big / acts_big) / (t_mid / acts_mid):.2f}x"
            )
        if len(here) == 2:
            cat, moves = histories[big]
            acts = sum(len(m.acts) for m in moves)
            ref, nat = paired_medians(
                _on("python", replay_and_read(cat, moves)), _on("native", replay_and_read(cat, moves)), 3
            )
            print(
                f"replay {big} moves and read every kept state: python core {acts / ref:,.0f} acts/s, "
                f"native core {acts / nat:,.0f} acts/s ({ref / nat:.1f}x)"
            )

    cat, moves = histories[big]
    if "fork" in parts:
        end, start, middle = fork_costs(cat, moves, 30 if args.smoke else 300)
        print(
            f"fork after the last move {end * 1e6:.1f} us, after the first {start * 1e6:.1f} us: "
            f"ratio {end / start:.2f}; after a move between checkpoints {middle * 1e3:.2f} ms"
        )
    if "memory" in parts:
        acts = sum(len(m.acts) for m in moves)
        for core in cores():
            for every in (CHECKPOINT_EVERY, 1):
                with on_core(core):
                    retained, peak, native = memory(cat, moves, every)
                print(
                    f"memory for {big} moves, a state kept every {every} moves, {core} core: "
                    f"{retained / acts:,.0f} bytes retained per act ({native / acts:,.0f} of them native), "
                    f"peak {peak / 2**20:,.1f} MiB (Python's)"
                )
    if "load" in parts:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "big.toml"
            save_scenario(Scenario("big", cat, tuple(moves), own_moves=tuple(moves)), path)
            size = path.stat().st_size
            t = median_time(lambda: load_scenario(path), 3)
            print(f"load {big} moves from TOML ({size / 2**20:.1f} MiB): median {t:.2f} s")

    if "peers" in parts:
        peers(*histories[mid], repeat)
    if "explore" in parts:
        exploration(1 if args.smoke else 3, 1 if args.smoke else 3)
    if "report" in parts:
        report(*histories[sizes[0]], 1 if args.smoke else 3)
    return 0


def peers(cat: Catalogue, moves: list[Move], repeat: int) -> None:
    """Our replay beside a deep-copying engine, bare folds of the same events, eventsourcing, NegMAS.

    Each peer is timed in turn with our replay of the same history, so the ratios hold even
    when the machine's speed drifts.
    """
    acts = sum(len(m.acts) for m in moves)
    ours, naive = paired_medians(lambda: replay(moves, cat), lambda: deepcopy_reference(cat, moves), 3)
    print(
        f"deep-copy reference, {len(moves)} moves: {naive * 1e3:.0f} ms vs {ours * 1e3:.0f} ms: "
        f"{naive / ours:.0f}x slower"
    )
    events = events_of(moves)
    folds: list[tuple[str, Callable[[], object] | None]] = [
        ("dict fold (mutated in place, the floor)", dict_fold(events)),
        ("immutables.Map fold (a new map per event)", immutables_fold(events)),
        ("pyrsistent pmap fold (a new map per event)", pyrsistent_fold(events)),
        ("eventsourcing fold", eventsourcing_fold(cat, moves)),
    ]
    for name, fold in folds:
        if fold is None:
            print(f"{name.split()[0]}: not installed (pip install -e '.[bench]')")
            continue
        ours, theirs = paired_medians(lambda: replay(moves, cat), fold, repeat)
        print(
            f"{name} of {acts} events: {theirs * 1e3:.1f} ms, {acts / theirs:,.0f} events/s; "
            f"ours {acts / ours:,.0f} acts/s ({ours / theirs:.1f}x its time)"
        )
    steps = 1000
    sao = negmas_trace(steps, 5)
    if sao is None:
        print(f"NegMAS: not installed, skipped; {NEGMAS_ON_RECORD}")
        return
    trace_cat, trace = sao_trace(steps, 5)
    ours, theirs = paired_medians(lambda: replay(trace, trace_cat), sao, repeat)
    print(
        f"NegMAS SAO trace of {steps:,} steps on 5 issues: {theirs:.3f} s, {steps / theirs:,.0f} steps/s "
        f"(mechanism built and run); our replay of its {len(trace):,} moves: {ours:.3f} s, "
        f"{steps / ours:,.0f} steps/s: ours {theirs / ours:.1f}x its speed"
    )


if __name__ == "__main__":
    sys.exit(main())
