"""Replay cost per act as histories grow: medians of repeated runs on seeded synthetic histories.

    python benchmarks/replay_growth.py [--moves 1000 10000] [--terms 1000] [--repeat 5] [--seed 1]

Prints acts per second for each history length and the ratio of per-act cost between the
longest and the shortest history (1.0 means no growth).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from negotiation import Act, Catalogue, IllegalMove, Move, Party, State, Term, replay
from negotiation.rules import play

VERBS = ["propose", "accept", "restate", "condition", "dispute", "affirm", "fulfil", "reject", "withdraw"]


def synthetic(n_moves: int, n_terms: int, seed: int) -> tuple[Catalogue, list[Move]]:
    """A legal history: random acts by two principals, kept only when the engine accepts them."""
    rng = random.Random(seed)
    parties = ["A", "B"]
    terms = [Term(f"t{i}", [rng.choice(parties)], f"term {i}") for i in range(n_terms)]
    cat = Catalogue([Party(p) for p in parties], terms)
    state, moves = State.initial(cat), list[Move]()
    while len(moves) < n_moves:
        author = parties[len(moves) % 2]
        acts = []
        for _ in range(rng.randint(1, 3)):
            verb, term = rng.choice(VERBS), rng.choice(terms).id
            kw: dict[str, object] = {}
            if verb in ("restate", "propose", "accept") and rng.random() < 0.5:
                kw["wording"] = rng.choice(["at once", "under UN supervision", "in secret"])
            if verb == "condition":
                kw["conditions"] = [rng.choice(terms).id]
                if kw["conditions"] == [term]:
                    continue
            acts.append(Act(verb, term=term, **kw))  # type: ignore[arg-type]
        if not acts:
            continue
        channel = rng.choice(["private", "public", "back-channel"])
        move = Move(f"m{len(moves)}", author, acts, [parties[1 - parties.index(author)]], channel)
        try:
            state = play(state, move)[0]
        except IllegalMove:
            continue
        moves.append(move)
    return cat, moves


def main() -> None:
    """Run the benchmark for each history length and print the medians."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--moves", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--terms", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    per_act = {}
    for n in args.moves:
        cat, moves = synthetic(n, args.terms, args.seed)
        acts = sum(len(m.acts) for m in moves)
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            replay(moves, cat)
            times.append(time.perf_counter() - t0)
        med = statistics.median(times)
        per_act[n] = med / acts
        print(
            f"{n:>7} moves {acts:>7} acts  median {med * 1e3:9.1f} ms  {acts / med:>10,.0f} acts/s"
            f"  ({med / acts * 1e6:.2f} us/act)"
        )
    lo, hi = min(args.moves), max(args.moves)
    if lo != hi:
        print(f"per-act cost {hi} vs {lo} moves: {per_act[hi] / per_act[lo]:.2f}x")


if __name__ == "__main__":
    main()
