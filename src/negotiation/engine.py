"""Folding moves into states: `apply`, `step`, `replay` and the `Timeline` they produce.

Pure functions: no I/O, no globals. A timeline holds every step of a history, addressable by
move id, and derives any party's view of any point from the channels and receipt times.
"""

from __future__ import annotations

import bisect
import gc
import itertools
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import cached_property

import attrs

from negotiation.catalogue import Catalogue
from negotiation.draft import Change, Irregularity
from negotiation.errors import ParameterError, UnknownMoveError, suggest
from negotiation.model import Move, When
from negotiation.native import fold_checkpoints
from negotiation.rules import later, play
from negotiation.state import State
from negotiation.visibility import knew, reaches
from negotiation.vocabulary import HISTORIAN, VIEWS

__all__ = ["CHECKPOINT_EVERY", "Step", "Timeline", "ViewStep", "apply", "paused_gc", "replay", "step"]


@attrs.frozen
class ViewStep:
    """One point of a viewer's walk: its state, and the changes since the last point (None: refolded)."""

    state: State
    changes: tuple[Change, ...] | None


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


def apply(state: State, move: Move, *, strict: bool = True) -> State:
    """The state after the move; raises `IllegalMove` if an act breaks a rule.

    A lenient application (`strict=False`, as in a party's partial view) applies what it can.
    """
    return play(state, move, strict=strict, record=False).state


@contextmanager
def paused_gc() -> Iterator[None]:
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


CHECKPOINT_EVERY = 64
"""Moves between two states a timeline keeps; the states between are folded again when asked for."""


def _fold(start: State, moves: Sequence[Move]) -> list[Step]:
    steps: list[Step] = []
    state = start
    with paused_gc():
        for move in moves:
            s = step(state, move)
            steps.append(s)
            state = s.state
    return steps


def _checkpointed(
    start: State, moves: Sequence[Move], every: int
) -> tuple[Sequence[State], tuple[Step, ...]]:
    """Fold the moves, keeping the state before every `every`-th move and the last stretch's steps."""
    last = max(0, (len(moves) - 1) // every * every)  # where the last stretch begins
    with paused_gc():
        # The native core, where it runs, folds the stretches it can and builds their states
        # when they are read; the reference folds the rest (from a move it raises on, the
        # error is the reference's own).
        reached = fold_checkpoints(start, moves[:last], every)  # an unknown NEGOTIATION_CORE fails here
        done = (len(reached) - 1) * every if reached else 0
        if done == last and reached:
            return reached, tuple(_fold(reached[-1], moves[last:]))
        checkpoints = list(reached) if reached else [start]
        state = checkpoints[-1]
        for i in range(done, last):
            if i > done and not i % every:
                checkpoints.append(state)
            state = play(state, moves[i], record=False).state  # only the state is kept here
        if done < last:
            checkpoints.append(state)
    return tuple(checkpoints), tuple(_fold(state, moves[last:]))


def replay(
    moves: Iterable[Move], catalogue: Catalogue | State, *, checkpoint_every: int = CHECKPOINT_EVERY
) -> Timeline:
    """Fold the moves, in order, from the catalogue's initial state (or from a given state).

    The timeline keeps one state in `checkpoint_every` (and every step of the last stretch):
    reaching another point folds at most that many moves again. 1 keeps every state.
    """
    start = catalogue if isinstance(catalogue, State) else State.initial(catalogue)
    return Timeline._fold(start, tuple(moves), None, 0, checkpoint_every)


_KEPT_VIEW_STATES = 64
"""States a walk over a viewer's views keeps behind the current one, so a late arrival rarely
refolds from the start."""

_CACHED_STRETCHES = 4
"""Stretches of steps a timeline keeps after folding them again: enough for a walk in order."""


@attrs.frozen(eq=False, repr=False)
class Timeline:
    """The states a history passes through, one per move, addressable by move id.

    A timeline holds its moves, a checkpoint state every `every` moves and the steps of its
    last stretch; any other step is folded again from the checkpoint before it (and the last
    few stretches so folded are kept). A fork keeps a reference to the timeline it branched
    from and the number of that timeline's steps it shares (`base`, `cut`): forking folds the
    new moves and nothing of the shared prefix. Build timelines with `replay` or `fork`.
    """

    initial: State
    own_moves: tuple[Move, ...] = ()
    base: Timeline | None = None
    cut: int = 0
    every: int = CHECKPOINT_EVERY
    _checkpoints: Sequence[State] = attrs.field(default=(), repr=False)
    _tail: tuple[Step, ...] = attrs.field(default=(), repr=False)
    _stretches: dict[int, list[Step]] = attrs.field(init=False, factory=dict, repr=False)

    def __attrs_post_init__(self) -> None:
        if self.every < 1:
            raise ParameterError("checkpoint_every", self.every, "keeps no state", "give at least 1")
        if self.base is None and self.cut:
            raise ValueError("a timeline without a base shares no steps")
        if self.base is not None and not 0 <= self.cut <= len(self.base):
            raise ValueError(f"cut {self.cut} outside the base's {len(self.base)} steps")
        stretches = -(-len(self.own_moves) // self.every)
        if len(self._checkpoints) != stretches or len(self._tail) != len(self.own_moves) - self.every * max(
            stretches - 1, 0
        ):
            raise ValueError("a timeline's checkpoints and steps come from folding its moves")

    @classmethod
    def _fold(
        cls, start: State, moves: tuple[Move, ...], base: Timeline | None, cut: int, every: int
    ) -> Timeline:
        checkpoints, tail = _checkpointed(start, moves, every) if moves else ((), ())
        initial = base.initial if base is not None else start
        return cls(initial, moves, base, cut, every, checkpoints, tail)

    # -- sequence -------------------------------------------------------------------------------

    def __len__(self) -> int:
        return self.cut + len(self.own_moves)

    def __iter__(self) -> Iterator[Step]:
        """Every step in order, folding each stretch between checkpoints once, whole."""
        if self.base is not None:
            yield from itertools.islice(self.base, self.cut)
        last = len(self._checkpoints) - 1
        for n in range(last):
            yield from self._stretch(n, self.every - 1)
        yield from self._tail

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

    def __repr__(self) -> str:
        # A line, not every checkpoint state: the attrs repr ran to tens of thousands of characters.
        n = len(self)
        if not n:
            return "<Timeline of no moves>"
        span = f"{self.move_at(0).id!r} to {self.move_at(n - 1).id!r}" if n > 1 else repr(self.move_at(0).id)
        fork = ""
        if self.base is not None:
            at = f"after {self.base.move_at(self.cut - 1).id!r}" if self.cut else "at its start"
            fork = f", forked from a timeline of {len(self.base)} moves {at}"
        return f"<Timeline of {n} moves, {span}{fork}>"

    @property
    def own(self) -> tuple[Step, ...]:
        """The steps this timeline folded itself, after the prefix it shares with its base."""
        return self.steps[self.cut :]

    @cached_property
    def steps(self) -> tuple[Step, ...]:
        """Every step in order, shared prefix included (all states kept from then on)."""
        return tuple(self)

    def _position(self, i: int, what: str) -> int:
        """The index i counted from the start (negative counts from the end), or IndexError."""
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(f"no {what} {i} in a timeline of {len(self)}")
        return i

    def step_at(self, i: int) -> Step:
        """The step at position i (negative counts from the end)."""
        i = self._position(i, "step")
        if i < self.cut:
            assert self.base is not None
            return self.base.step_at(i)
        stretch, offset = divmod(i - self.cut, self.every)
        if stretch == len(self._checkpoints) - 1:
            return self._tail[offset]
        return self._stretch(stretch, offset)[offset]

    def _stretch(self, n: int, offset: int) -> list[Step]:
        """The n-th stretch of own steps, folded again from its checkpoint at least to `offset`."""
        steps = self._stretches.pop(n, None)
        if steps is None:
            steps = []
            if len(self._stretches) >= _CACHED_STRETCHES:
                del self._stretches[next(iter(self._stretches))]
        self._stretches[n] = steps  # most recently used last
        if offset >= len(steps):
            state = steps[-1].state if steps else self._checkpoints[n]
            start = n * self.every + len(steps)
            steps += _fold(state, self.own_moves[start : n * self.every + offset + 1])
        return steps

    def move_at(self, i: int) -> Move:
        """The move at position i (negative counts from the end), without folding anything."""
        i = self._position(i, "move")
        if i < self.cut:
            assert self.base is not None
            return self.base.move_at(i)
        return self.own_moves[i - self.cut]

    @property
    def moves(self) -> tuple[Move, ...]:
        """The moves in replay order."""
        shared = self.base.moves[: self.cut] if self.base is not None else ()
        return shared + self.own_moves

    @property
    def final(self) -> State:
        """The state after the last move (the initial state of an empty timeline)."""
        if self.own_moves:
            return self._tail[-1].state
        return self.step_at(-1).state if len(self) else self.initial

    def index(self, move_id: str) -> int:
        """The position of the move in the timeline; `UnknownMoveError` names the known ids."""
        record = self.final.moves.get(move_id)
        if record is not None and record.index >= self.initial.count:
            return record.index - self.initial.count
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
        return self.clocks[self._position(index, "step")] if len(self) else None

    @cached_property
    def clocks(self) -> tuple[When | None, ...]:
        """The record's clock after every move, from the moves' dates alone (nothing is folded)."""
        out: list[When | None] = []
        clock = self.initial.clock
        for move in self.moves:
            clock = later(clock, move.sent)
            out.append(clock)
        return tuple(out)

    # -- branching ------------------------------------------------------------------------------

    def fork(self, after: str | None, moves: Iterable[Move] = ()) -> Timeline:
        """A new timeline: this one's moves up to `after` (None: none), then `moves`.

        The parent is untouched and the prefix is shared, not copied or replayed. An illegal
        move among `moves` raises `IllegalMove` in the state at the fork point.
        """
        cut = 0 if after is None else self.index(after) + 1
        start = self.step_at(cut - 1).state if cut else self.initial
        base: Timeline | None = self
        while base is not None and base.base is not None and cut <= base.cut:
            base = base.base  # the shared steps all lie further up: keep chains short
        return Timeline._fold(start, tuple(moves), base if cut else None, cut, self.every)

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
        after = self.move_at(i - 1).id if i else None
        return self.fork(after, moves)

    # -- views ----------------------------------------------------------------------------------

    def state_as_known_by(self, viewer: str, at: str | None = None) -> State:
        """The state as the viewer knew it after the named move (default: the end).

        The viewer is a party, `PUBLIC` (what had been made public) or `HISTORIAN` (the record).
        """
        self._check_viewer(viewer)
        if not len(self):
            return self.initial
        end = self.index(at) if at is not None else len(self) - 1
        if viewer == HISTORIAN:
            return self.step_at(end).state
        known = self._known(viewer, end)
        state = self.initial
        with paused_gc():
            for move in known:
                state = apply(state, move, strict=False)
        return state

    def views(self, viewer: str) -> list[State]:
        """The viewer's state after every move (see `iter_views`, which keeps none of them)."""
        return list(self.iter_views(viewer))

    def iter_views(self, viewer: str) -> Iterator[State]:
        """The viewer's state after every move, in order, folding each known move once where order allows.

        Each point adds the moves that reached the viewer since the last one (`arrivals`); a
        move that arrives late, behind moves already folded, refolds from its place on. The
        states are yielded one by one, so a walk over a long history holds only the current one.
        An unknown viewer raises at the call, not at the first state.
        """
        self._check_viewer(viewer)
        if viewer == HISTORIAN:
            return (s.state for s in self)
        return (v.state for v in self._views(viewer))

    def view_steps(self, viewer: str) -> Iterator[ViewStep]:
        """`iter_views` with what changed: each point's state, and the changes made there.

        The changes are those of the moves that reached the viewer at that point, or None where
        a late arrival refolded earlier moves (then compare the states). A party's view changes
        at few points, so this spares comparing every term at every one.
        """
        self._check_viewer(viewer)
        if viewer == HISTORIAN:
            return (ViewStep(s.state, s.changes) for s in self)
        return self._views(viewer)

    def _views(self, viewer: str) -> Iterator[ViewStep]:
        moves = self.moves
        known: list[int] = []  # indices of the moves folded, in order
        states: list[State] = [self.initial]  # states[k]: after known[base + k - 1] (k = 0: before)
        base = 0
        for arrived in self._arrivals(viewer):
            changes: tuple[Change, ...] | None = ()
            if arrived:
                keep = bisect.bisect_left(known, arrived[0])
                if keep < base:  # a late arrival before every state kept: refold from the start
                    states, base, keep = [self.initial], 0, 0
                refold = sorted(known[keep:] + arrived)
                appended = keep == len(known)  # nothing folded before is folded again
                del known[keep:]
                del states[keep - base + 1 :]
                made: list[Change] = []
                with paused_gc():
                    for j in refold:
                        played = play(states[-1], moves[j], strict=False, record=appended)
                        states.append(played.state)
                        made += played.changes
                        known.append(j)
                changes = tuple(made) if appended else None
                if len(states) > 2 * _KEPT_VIEW_STATES:  # keep the last few, for late arrivals
                    drop = len(states) - _KEPT_VIEW_STATES
                    base += drop
                    states = states[drop:]
            yield ViewStep(states[-1], changes)

    def arrivals(self, viewer: str) -> Iterator[list[int]]:
        """For every point, in order, the indices of the moves that reached the viewer by then and not before.

        What a viewer knows only grows (receipt times are fixed and the record's clock moves
        forward), so its view at a point is the moves of every arrival so far, folded in
        replay order; the historian has each move as it is made.
        """
        self._check_viewer(viewer)
        if viewer == HISTORIAN:
            return ([i] for i in range(len(self)))
        return self._arrivals(viewer)

    def _arrivals(self, viewer: str) -> Iterator[list[int]]:
        moves, clocks = self.moves, self.clocks
        waiting: list[int] = []  # moves that will reach the viewer but had not yet
        for i in range(len(self)):
            if reaches(moves[i], viewer):
                waiting.append(i)
            now = clocks[i]
            arrived: list[int] = []
            still: list[int] = []
            for j in waiting:
                (arrived if knew(moves[j], viewer, now) else still).append(j)
            waiting = still
            yield arrived

    def _check_viewer(self, viewer: str) -> None:
        parties = self.initial.catalogue.party_ids
        if viewer not in VIEWS and viewer not in parties:
            raise ParameterError(
                "viewer",
                viewer,
                "is not a party of this negotiation",
                suggest(viewer, {*parties, *VIEWS}, noun="viewer"),
            )

    def _known(self, viewer: str, end: int) -> list[Move]:
        now = self.clock(end)
        return [m for m in self.moves[: end + 1] if knew(m, viewer, now)]
