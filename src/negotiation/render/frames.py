"""The view model of a replay: one frame per move, as the historian or one viewer saw it.

Text, JSON, terminal tables and the HTML report all draw from these frames, so they always
say the same thing.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence

import attrs

from negotiation.analysis import position_changes
from negotiation.draft import Change, Irregularity
from negotiation.engine import Step, Timeline, ViewStep
from negotiation.invariants import Conditioned, status_affected
from negotiation.model import Move
from negotiation.state import Position, State
from negotiation.status import term_status
from negotiation.visibility import knew
from negotiation.vocabulary import HISTORIAN, PUBLIC, Status

__all__ = ["Frame", "StatusChanges", "frames", "iter_frames", "viewed_as"]


@attrs.frozen
class Frame:
    """One move as a viewer saw it: the state after it and the position changes since the last frame."""

    move: Move
    state: State
    changes: tuple[tuple[str, str, Position, Position, str], ...]
    notes: tuple[Irregularity, ...]
    known: bool = True


def frames(timeline: Timeline, *, viewer: str = HISTORIAN, at: str | None = None) -> list[Frame]:
    """The frames of a replay up to `at`, for the historian or as one viewer knew it.

    The historian's frames carry each step's own changes, with the verb or silence that caused
    them; a viewer's frames carry the changes between the states it knew, without causes.
    """
    if viewer == HISTORIAN:
        end = timeline.index(at) + 1 if at is not None else len(timeline)
        return [_historian(s) for s in timeline.steps[:end]]  # the steps stay kept for the next caller
    return list(iter_frames(timeline, viewer=viewer, at=at))


def iter_frames(timeline: Timeline, *, viewer: str = HISTORIAN, at: str | None = None) -> Iterator[Frame]:
    """The frames of `frames`, one at a time and keeping none: a long replay streams in little memory.

    An unknown move or viewer raises here, before the first frame is asked for.
    """
    end = timeline.index(at) + 1 if at is not None else len(timeline)
    if viewer == HISTORIAN:
        return (_historian(s) for s in itertools.islice(timeline, end))
    return _viewed(timeline, viewer, end, timeline.view_steps(viewer))


def _viewed(timeline: Timeline, viewer: str, end: int, views: Iterator[ViewStep]) -> Iterator[Frame]:
    previous = timeline.initial
    clocks = timeline.clocks
    cat = timeline.initial.catalogue
    parties = {p.id: i for i, p in enumerate(cat.parties)}
    for i, (move, view) in enumerate(zip(timeline.moves[:end], views, strict=False)):
        state = view.state
        if state is previous:
            changes: tuple[tuple[str, str, Position, Position, str], ...] = ()
        elif view.changes is not None:
            changes = _net(view.changes, cat.order, parties)
        else:
            changes = tuple(
                (c.term, c.party, c.before, c.after, "") for c in position_changes(previous, state)
            )
        yield Frame(move, state, changes, (), knew(move, viewer, clocks[i]))
        previous = state


def _net(
    made: Sequence[Change], terms: dict[str, int], parties: dict[str, int]
) -> tuple[tuple[str, str, Position, Position, str], ...]:
    """The changes of several moves as one, in catalogue order (as `position_changes` gives them).

    Each (term, party) goes from its first `before` to its last `after`; dropped where they are equal.
    """
    net: dict[tuple[str, str], list[Position]] = {}
    for c in made:
        kept = net.get((c.term, c.party))
        if kept is None:
            net[c.term, c.party] = [c.before, c.after]
        else:
            kept[1] = c.after
    ordered = sorted(net.items(), key=lambda item: (terms[item[0][0]], parties[item[0][1]]))
    return tuple((t, p, b, a, "") for (t, p), (b, a) in ordered if a != b)


def _historian(s: Step) -> Frame:
    changes = tuple((c.term, c.party, c.before, c.after, c.cause) for c in s.changes)
    return Frame(s.move, s.state, changes, s.notes)


def viewed_as(viewer: str) -> str:
    """How a replay names its viewer: "as the record shows it", "as the public knew it", "as US knew it"."""
    if viewer == HISTORIAN:
        return "as the record shows it"
    return f"as {'the public' if viewer == PUBLIC else viewer} knew it"


class StatusChanges:
    """The statuses each frame changed, in catalogue order, looked up only where they may have.

    A status reads the term's positions, those of the terms replacing it and those of its
    conditions (`status_affected`): a term nobody spoke on can still change, as one replaced
    once its replacement is agreed. Feed it the frames in order.
    """

    def __init__(self, initial: State) -> None:
        self.catalogue = initial.catalogue
        self.conditioned = Conditioned(initial)
        self.previous = initial

    def step(self, f: Frame) -> list[tuple[str, Status, Status]]:
        """(term, status before, status after) of every term whose status the frame changed."""
        for term, _, before, after, _ in f.changes:
            self.conditioned.update(term, before, after)
        moved = status_affected(self.catalogue, {c[0] for c in f.changes}, self.conditioned)
        out = []
        for t in sorted(moved, key=self.catalogue.order.__getitem__):
            old, new = term_status(self.previous, t), term_status(f.state, t)
            if old != new:
                out.append((t, old, new))
        self.previous = f.state
        return out
