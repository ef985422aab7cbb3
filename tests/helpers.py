"""Small builders for hand-written test negotiations, a reader of a pseudo-terminal, and histories
that keep irregular acts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import attrs
from hypothesis import strategies as st

from negotiation import Act, Catalogue, Move, Party, Role, State, Term, apply
from negotiation.errors import NegotiationError
from negotiation.testing.strategies import catalogues, illegal_moves, legal_moves


def cli(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the `negotiation` command as a user does, in a child process, and keep its output."""
    return subprocess.run(
        [sys.executable, "-m", "negotiation", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
    )


def cli_bytes(*args: str | Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """`cli` with bytes in and out, for standard input and output compared byte for byte."""
    return subprocess.run(
        [sys.executable, "-m", "negotiation", *map(str, args)], input=stdin, capture_output=True, check=False
    )


History = tuple[Catalogue, list[Move]]
"""A catalogue and the moves of a history replayed on it, as the `histories` strategy draws them."""


def fingerprint(state: State) -> Any:
    """Everything a state holds, as plain Python values built afresh."""
    return (
        {
            t: {p: (pos.stance, pos.formulation, pos.tacit, pos.move) for p, pos in ps.items()}
            for t, ps in state.terms.items()
        },
        {p: dict(items) for p, items in state.pending.items()},
        sorted(state.moves),
        state.count,
        state.last,
    )


def catalogue(*terms: Term, third: bool = False) -> Catalogue:
    parties = [Party("A"), Party("B")]
    if third:
        parties.append(Party("C", role=Role.THIRD))
    if not terms:
        terms = (
            Term("x", ["B"], "B does x"),
            Term("y", ["A"], "A does y"),
            Term("z", ["A", "B"], "both do z"),
        )
    return Catalogue(parties, terms)


RELATED = catalogue(
    Term("x", ["B"], "B does x"),
    Term("y", ["A"], "A does y"),
    Term("z", ["A", "B"], "both do z"),
    Term("w", ["B"], "B does w instead of x", conflicts=["x"]),
    Term("v", ["A"], "A does v once x is done", requires=["x"]),
    third=True,
)
"""The small catalogue with a conflict (w against x) and a requirement (v requires x), and a third party C."""


def move(mid: str, author: str, *acts: Act, to: str | None = None, **kw: object) -> Move:
    addressees = kw.pop("addressees", None)
    if addressees is None:
        addressees = ("B" if author == "A" else "A",) if to is None else (to,)
    return Move(mid, author, acts, addressees, **kw)  # type: ignore[arg-type]


def act(verb: str, term: str | None = None, **kw: object) -> Act:
    return Act(verb, term=term, **kw)  # type: ignore[arg-type]


def drain(leader: int) -> str:
    """Everything written to a pseudo-terminal whose other end is closed, as text."""
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 1 << 16)
        except OSError:  # the terminal closes when the program is done with it
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")


@st.composite
def irregular_histories(draw: st.DrawFn, max_moves: int = 20) -> tuple[Catalogue, list[Move]]:
    """Legal moves mixed with moves whose one broken act the record keeps (irregular)."""
    cat = draw(catalogues(min_terms=2, max_terms=4))
    timed = draw(st.booleans())
    state = State.initial(cat)
    moves: list[Move] = []
    for i in range(draw(st.integers(1, max_moves))):
        if draw(st.booleans()):
            drawn = draw(illegal_moves(state))
            if drawn is None:
                continue
            bad, index = drawn
            acts = list(bad.acts)
            acts[index] = attrs.evolve(acts[index], irregular="kept to exercise the checks")
            move: Move | None = attrs.evolve(bad, id=f"m{i}", acts=tuple(acts))
        else:
            move = draw(legal_moves(state, move_id=f"m{i}", timed=timed))
        if move is None:
            continue
        try:
            state = apply(state, move)
        except NegotiationError:
            continue
        moves.append(move)
    return cat, moves
