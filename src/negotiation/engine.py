"""Folding moves into states: `apply`, `step`, `replay` and the `Timeline` they produce.

Pure functions: no I/O, no globals. A timeline keeps the state after every move, addressable by
move id, and derives any party's view of any point from the channels and receipt times.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
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


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the duration of a fold, then restore it.

    States are trees of frozen values and hold no reference cycles, so the collector finds
    nothing in them; left running, its full collections walk every state kept so far and make
    the cost of an act grow with the length of the history. Reference counting still frees
    everything that is dropped.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _fold(start: State, moves: Iterable[Move]) -> tuple[Step, ...]:
    steps: list[Step] = []
    state = start
    with _cyclic_gc_paused():
        for move in moves:
            s = step(state, move)
            steps.append(s)
            state = s.state
    return tuple(steps)


def replay(moves: Iterable[Move], catalogue: Catalogue | State) -> Timeline:
    """Fold the moves, in order, from the catalogue's initial state (or from a given state)."""
    start = catalogue if isinstance(catalogue, State) else State.initial(catalogue)
    return Timeline(start, _fold(start, moves))


def _steps(values: Iterable[Step]) -> tuple[Step, ...]:
    return tuple(values)


@attrs.frozen(eq=False)
class Timeline:
    """The states a history passes through, one per move, addressable by move id.

    A fork keeps a reference to the timeline it branched from and the number of that
    timeline's steps it shares (`base`, `cut`), and holds only its own steps: forking folds
    the new moves and nothing of the shared prefix.
    """

    initial: State
    own: tuple[Step, ...] = attrs.field(converter=_steps)
    base: Timeline | None = None
    cut: int = 0
    _index: dict[str, int] = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if self.base is None and self.cut:
            raise ValueError("a timeline without a base shares no steps")
        if self.base is not None and not 0 <= self.cut <= len(self.base):
            raise ValueError(f"cut {self.cut} outside the base's {len(self.base)} steps")
        object.__setattr__(self, "_index", {s.move.id: self.cut + i for i, s in enumerate(self.own)})

    # -- sequence -------------------------------------------------------------------------------

    def __len__(self) -> int:
        return self.cut + len(self.own)

    def __iter__(self) -> Iterator[Step]:
        return iter(self.steps)

    def __contains__(self, move_id: object) -> bool:
        try:
            self.index(str(move_id))
        except UnknownMoveError:
            return False
        return True

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Timeline):
            return NotImplemented
        return self.initial == other.initial and self.steps == other.steps

    def __hash__(self) -> int:
        return hash((self.initial, len(self), self.final))

    @cached_property
    def steps(self) -> tuple[Step, ...]:
        """Every step in order, shared prefix included."""
        shared = self.base.steps[: self.cut] if self.base is not None else ()
        return shared + self.own

    def step_at(self, i: int) -> Step:
        """The step at position i (negative counts from the end)."""
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(f"no step {i} in a timeline of {len(self)}")
        if i >= self.cut:
            return self.own[i - self.cut]
        assert self.base is not None
        return self.base.step_at(i)

    @property
    def moves(self) -> tuple[Move, ...]:
        """The moves in replay order."""
        return tuple(s.move for s in self.steps)

    @property
    def final(self) -> State:
        """The state after the last move (the initial state of an empty timeline)."""
        return self.step_at(-1).state if len(self) else self.initial

    def index(self, move_id: str) -> int:
        """The position of the move in the timeline; `UnknownMoveError` names the known ids."""
        i = self._index.get(move_id)
        if i is not None:
            return i
        if self.base is not None:
            try:
                i = self.base.index(move_id)
            except UnknownMoveError:
                i = None
            if i is not None and i < self.cut:
                return i
        raise UnknownMoveError(move_id, (m.id for m in self.moves))

    def __getitem__(self, move_id: str) -> State:
        return self.step_at(self.index(move_id)).state

    def state_after(self, move_id: str) -> State:
        """The state right after the named move."""
        return self[move_id]

    def step_of(self, move_id: str) -> Step:
        """The step (move, state, changes, notes) of the named move."""
        return self.step_at(self.index(move_id))

    def clock(self, index: int) -> When | None:
        """The latest time the record gives at the point after move `index`."""
        return self.step_at(index).state.clock if len(self) else None

    # -- branching ------------------------------------------------------------------------------

    def fork(self, after: str | None, moves: Iterable[Move] = ()) -> Timeline:
        """A new timeline: this one's moves up to `after` (None: none), then `moves`.

        The parent is untouched and the prefix is shared, not copied or replayed. An illegal
        move among `moves` raises `IllegalMove` in the state at the fork point.
        """
        cut = 0 if after is None else self.index(after) + 1
        start = self.step_at(cut - 1).state if cut else self.initial
        own = _fold(start, moves)
        base: Timeline | None = self
        while base is not None and base.base is not None and cut <= base.cut:
            base = base.base  # the shared steps all lie further up: keep chains short
        return Timeline(self.initial, own, base if cut else None, cut)

    def until(self, move_id: str) -> Timeline:
        """The timeline cut after the named move."""
        return self.fork(move_id)

    def drop(self, move_id: str) -> Timeline:
        """The history without the named move; the moves after it are replayed without it."""
        i = self.index(move_id)
        return self._refold(i, self.moves[i + 1 :])

    def replace(self, move_id: str, move: Move) -> Timeline:
        """The history with the named move replaced; the moves after it are replayed."""
        i = self.index(move_id)
        return self._refold(i, (move, *self.moves[i + 1 :]))

    def _refold(self, i: int, moves: Iterable[Move]) -> Timeline:
        after = self.step_at(i - 1).move.id if i else None
        return self.fork(after, moves)

    def _repr_html_(self) -> str:
        """The timeline, memo table and term graph, for notebooks (see `negotiation.report`)."""
        from negotiation.report import timeline_html  # rendering stays out of the core's imports

        return timeline_html(self)

    # -- views ----------------------------------------------------------------------------------

    def state_as_known_by(self, viewer: str, at: str | None = None) -> State:
        """The state as the viewer (a party, or "public") knew it after the named move (default: the end)."""
        self._check_viewer(viewer)
        if not len(self):
            return self.initial
        end = self.index(at) if at is not None else len(self) - 1
        known = self._known(viewer, end)
        state = self.initial
        with _cyclic_gc_paused():
            for move in known:
                state = step(state, move, strict=False).state
        return state

    def views(self, viewer: str) -> list[State]:
        """The viewer's state after every move, folding each known move once where order allows."""
        self._check_viewer(viewer)
        folded: list[Move] = []
        states: list[State] = [self.initial]
        out: list[State] = []
        with _cyclic_gc_paused():
            for i in range(len(self)):
                known = self._known(viewer, i)
                keep = _common_prefix(folded, known)
                del folded[keep:]
                del states[keep + 1 :]
                for move in known[keep:]:
                    states.append(step(states[-1], move, strict=False).state)
                    folded.append(move)
                out.append(states[-1])
        return out

    def _check_viewer(self, viewer: str) -> None:
        parties = self.initial.catalogue.party_ids
        if viewer != PUBLIC and viewer not in parties:
            raise ModelError(
                f"viewer {viewer!r}",
                "is not a party of this negotiation",
                suggest(viewer, {*parties, PUBLIC}, noun="viewer"),
            )

    def _known(self, viewer: str, end: int) -> list[Move]:
        now = self.clock(end)
        return [s.move for s in self.steps[: end + 1] if knew(s.move, viewer, now)]


def _common_prefix(a: Sequence[Move], b: Sequence[Move]) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x is not y:
            break
        n += 1
    return n
