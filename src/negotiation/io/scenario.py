"""The scenario value: a negotiation as a file states it, and the replay of its history.

A scenario holds a catalogue and moves, and for a branch the base it forks from; replaying
it shares the base's timeline up to the fork point. No file is read here: `io.loading` reads
files into scenarios, `io.writer` writes them back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cached_property

import attrs

from negotiation.catalogue import Catalogue
from negotiation.engine import Timeline, replay
from negotiation.errors import IllegalMove, ScenarioError, suggest
from negotiation.findings import Acknowledgement
from negotiation.model import Move
from negotiation.preferences import PreferenceSet

__all__ = ["FORMAT", "Scenario"]

FORMAT = 2
"""The scenario file format this version writes.

Format 1 (no `format` key) had no mediators, no `consent`, `replaces` or `modality`, and only
principals sent moves; every format-1 file means the same in format 2, so it loads as it is and
`negotiation upgrade` only adds the `format` line.
"""


def _moves(values: Iterable[Move]) -> tuple[Move, ...]:
    return tuple(values)


@attrs.frozen
class Scenario:
    """A negotiation as a file states it: its parties and terms, and its moves in order.

    A branch names a `base` scenario and the move it forks after; `moves` is then its whole
    history (the base's moves up to the fork point, less any dropped, then its own), and
    `own_moves` the moves the branch file itself declares.
    """

    id: str
    catalogue: Catalogue
    moves: tuple[Move, ...] = attrs.field(converter=_moves)
    title: str = ""
    description: str = ""
    path: str = attrs.field(default="<memory>", eq=False)
    base: Scenario | None = None
    fork_after: str | None = None
    drop: tuple[str, ...] = ()
    own_moves: tuple[Move, ...] = attrs.field(converter=_moves, default=())
    acknowledged: tuple[Acknowledgement, ...] = ()
    preferences: tuple[PreferenceSet, ...] = ()
    format: int = attrs.field(default=FORMAT, eq=False)

    @cached_property
    def timeline(self) -> Timeline:
        """The replayed history (computed once); see `replay`."""
        if self.base is None:
            return self._fold(lambda: replay(self.moves, self.catalogue))
        parent = self.base.timeline
        shared = self.catalogue == self.base.catalogue
        if shared and not self.drop:
            return self._fold(lambda: parent.fork(self.fork_after, self.own_moves))
        if shared:
            # Up to the first dropped move the branch is the base; refold from there.
            first = next(i for i, m in enumerate(parent.moves) if m.id in self.drop)
            after = parent.step_at(first - 1).move.id if first else None
            return self._fold(lambda: parent.fork(after, self.moves[first:]))
        return self._fold(lambda: replay(self.moves, self.catalogue))

    def replay(self) -> Timeline:
        """The replayed history; an illegal act is a `ScenarioError` naming this file and move.

        A branch shares its base's timeline up to the fork point; one that drops base moves
        or declares terms or parties of its own replays the kept base moves again.
        """
        return self.timeline

    def _fold(self, fold: Callable[[], Timeline]) -> Timeline:
        try:
            return fold()
        except IllegalMove as e:
            own = {m.id for m in self.own_moves} if self.base is not None else {m.id for m in self.moves}
            problem = f"{e.act}: {e.problem} [rule {e.rule}]"
            if e.move_id not in own:
                problem = f"{problem}; the move comes from the base, replayed in this branch"
            raise ScenarioError(
                self.path, problem, move_id=e.move_id, act_index=e.act_index, hint=e.hint
            ) from e

    def move(self, move_id: str) -> Move:
        """The move with this id."""
        for m in self.moves:
            if m.id == move_id:
                return m
        raise ScenarioError(
            self.path,
            f"no move {move_id!r}",
            hint=suggest(move_id, [m.id for m in self.moves], noun="move id"),
        )

    @property
    def own_acknowledged(self) -> tuple[Acknowledgement, ...]:
        """The acknowledgements this file declares, without those of its bases."""
        inherited = len(self.base.acknowledged) if self.base is not None else 0
        return self.acknowledged[inherited:]

    @property
    def lineage(self) -> tuple[Scenario, ...]:
        """The scenario and its bases, nearest first."""
        chain: list[Scenario] = [self]
        while chain[-1].base is not None:
            chain.append(chain[-1].base)
        return tuple(chain)
