"""Folding moves into states: `apply`, `step`, `replay` and the `Timeline` they produce.

Pure functions: no I/O, no globals. A timeline keeps the state after every move, addressable by
move id, and derives any party's view of any point from the channels and receipt times.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from functools import cached_property

import attrs

from negotiation.errors import ModelError, UnknownMoveError, suggest
from negotiation.model import Catalogue, Move, When
from negotiation.rules import Change, Irregularity, play
from negotiation.state import State
from negotiation.visibility import PUBLIC, knew

__all__ = ["Step", "Timeline", "apply", "replay", "step"]


@attrs.frozen
class Step:
    """One move of a timeline: the move, the state after it, what it changed and what it broke."""

    move: Move
    state: State
    changes: tuple[Change, ...] = ()
    notes: tuple[Irregularity, ...] = ()


def step(state: State, move: Move, *, strict: bool = True) -> Step:
    """Apply a move and keep the record of what it did; lenient folds note broken rules instead."""
    new, changes, notes = play(state, move, strict=strict)
    return Step(move, new, changes, notes)


def apply(state: State, move: Move) -> State:
    """The state after the move; raises `IllegalMove` if an act breaks a rule."""
    return play(state, move)[0]


def replay(moves: Iterable[Move], catalogue: Catalogue | State) -> Timeline:
    """Fold the moves, in order, from the catalogue's initial state (or from a given state)."""
    start = catalogue if isinstance(catalogue, State) else State.initial(catalogue)
    steps: list[Step] = []
    state = start
    for move in moves:
        s = step(state, move)
        steps.append(s)
        state = s.state
    return Timeline(start, tuple(steps))


def _steps(values: Iterable[Step]) -> tuple[Step, ...]:
    return tuple(values)


@attrs.frozen
class Timeline:
    """The states a history passes through, one per move, addressable by move id."""

    initial: State
    steps: tuple[Step, ...] = attrs.field(converter=_steps)

    @cached_property
    def _index(self) -> dict[str, int]:
        return {s.move.id: i for i, s in enumerate(self.steps)}

    def __len__(self) -> int:
        return len(self.steps)

    def __iter__(self) -> Iterator[Step]:
        return iter(self.steps)

    def __contains__(self, move_id: object) -> bool:
        return move_id in self._index

    @property
    def moves(self) -> tuple[Move, ...]:
        """The moves in replay order."""
        return tuple(s.move for s in self.steps)

    @property
    def final(self) -> State:
        """The state after the last move (the initial state of an empty timeline)."""
        return self.steps[-1].state if self.steps else self.initial

    def index(self, move_id: str) -> int:
        """The position of the move in the timeline; `UnknownMoveError` names the known ids."""
        try:
            return self._index[move_id]
        except KeyError:
            raise UnknownMoveError(move_id, self._index) from None

    def __getitem__(self, move_id: str) -> State:
        return self.steps[self.index(move_id)].state

    def state_after(self, move_id: str) -> State:
        """The state right after the named move."""
        return self[move_id]

    def step_of(self, move_id: str) -> Step:
        """The step (move, state, changes, notes) of the named move."""
        return self.steps[self.index(move_id)]

    def until(self, move_id: str) -> Timeline:
        """The timeline cut after the named move."""
        return Timeline(self.initial, self.steps[: self.index(move_id) + 1])

    def clock(self, index: int) -> When | None:
        """The latest time the record gives at the point after move `index`."""
        return self.steps[index].state.clock if self.steps else None

    def state_as_known_by(self, viewer: str, at: str | None = None) -> State:
        """The state as the viewer (a party, or "public") knew it after the named move (default: the end)."""
        if not self.steps:
            return self.initial
        end = self.index(at) if at is not None else len(self.steps) - 1
        known = self._known(viewer, end)
        state = self.initial
        for move in known:
            state = step(state, move, strict=False).state
        return state

    def views(self, viewer: str) -> list[State]:
        """The viewer's state after every move, folding each known move once where order allows."""
        folded: list[Move] = []
        states: list[State] = [self.initial]
        out: list[State] = []
        for i in range(len(self.steps)):
            known = self._known(viewer, i)
            keep = _common_prefix(folded, known)
            del folded[keep:]
            del states[keep + 1 :]
            for move in known[keep:]:
                states.append(step(states[-1], move, strict=False).state)
                folded.append(move)
            out.append(states[-1])
        return out

    def _known(self, viewer: str, end: int) -> list[Move]:
        parties = self.initial.catalogue.party_ids
        if viewer != PUBLIC and viewer not in parties:
            raise ModelError(
                f"viewer {viewer!r}",
                "is not a party of this negotiation",
                suggest(viewer, {*parties, PUBLIC}, noun="viewer"),
            )
        now = self.clock(end)
        return [s.move for s in self.steps[: end + 1] if knew(s.move, viewer, now)]


def _common_prefix(a: Sequence[Move], b: Sequence[Move]) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x is not y:
            break
        n += 1
    return n
