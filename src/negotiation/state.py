"""The immutable negotiation state: each principal's position on each term, and what is pending.

States share structure through persistent maps (`immutables.Map`) and an append-only index of
moves, so applying a move copies only the paths to what it changes, never the whole state.
"""

from __future__ import annotations

import attrs
import immutables

from negotiation.catalogue import Catalogue
from negotiation.model import Formulation, When
from negotiation.moveindex import MoveIndex, MoveRecord
from negotiation.vocabulary import COUNTING, SUPPORTING, Modality, Stance

__all__ = ["EMPTY", "MoveRecord", "Position", "State"]


@attrs.frozen
class Position:
    """A party's position on a term: stance, own formulation, and whose statements it let stand.

    `tacit` holds the parties whose differing formulation this party received and left
    unchallenged in its next move to them: silence, which is not acceptance. `modality` is the
    kind of statement the stance rests on: a prediction is kept and shown, and does not count.
    """

    stance: Stance | None = None
    formulation: Formulation | None = None
    tacit: frozenset[str] = frozenset()
    move: str | None = None
    modality: Modality = Modality.COMMITMENT

    @property
    def supports(self) -> bool:
        """True when the party's stance stands behind the term, whatever kind of statement made it."""
        return self.stance in SUPPORTING

    @property
    def counts(self) -> bool:
        """True when the party stands behind the term in a commitment (or a demand): it counts."""
        return self.stance in SUPPORTING and self.modality in COUNTING


EMPTY = Position()
"""The position of a party that has not acted on a term."""


PositionMap = immutables.Map[str, Position]
PendingMap = immutables.Map[tuple[str, str], str]


@attrs.frozen(repr=False)
class State:
    """Everything the negotiation holds after a number of moves.

    `terms` maps term id -> party id -> Position (untouched terms are absent); `pending` maps a
    principal to the (term, proposer) statements awaiting its answer, each with the move that
    made it; `moves` remembers every applied move by id, in the order applied.
    """

    catalogue: Catalogue
    terms: immutables.Map[str, PositionMap] = attrs.field(factory=immutables.Map)
    pending: immutables.Map[str, PendingMap] = attrs.field(factory=immutables.Map)
    moves: MoveIndex = attrs.field(factory=MoveIndex)
    count: int = 0
    last: str | None = None
    clock: When | None = None

    @classmethod
    def initial(cls, catalogue: Catalogue) -> State:
        """The state before any move."""
        return cls(catalogue)

    def position(self, term: str, party: str) -> Position:
        """The party's position on the term (EMPTY if it has taken none)."""
        positions = self.terms.get(term)
        if positions is None:
            return EMPTY
        return positions.get(party, EMPTY)

    def stance(self, term: str, party: str) -> Stance | None:
        """The party's stance on the term, or None."""
        return self.position(term, party).stance

    def formulation(self, term: str, party: str) -> Formulation | None:
        """The party's own formulation of the term, or None."""
        return self.position(term, party).formulation

    def positions(self, term: str) -> dict[str, Position]:
        """The position of every party whose assent the term needs: the principals, then `consent`."""
        positions = self.terms.get(term, immutables.Map())
        return {p: positions.get(p, EMPTY) for p in self.catalogue.assent[term]}

    def __repr__(self) -> str:
        # The attrs repr printed every position of every term: tens of thousands of characters
        # in a notebook cell or a traceback. A line that says which state this is instead.
        after = f"after {self.last!r} (move {self.count})" if self.last is not None else "before any move"
        pending = sum(len(p) for p in self.pending.values())
        when = f", clock {self.clock}" if self.clock is not None else ""
        return (
            f"<State {after}: {len(self.terms)} of {len(self.catalogue.terms)} terms raised, "
            f"{pending} statements awaiting an answer{when}>"
        )

    def pending_for(self, party: str) -> PendingMap:
        """The statements awaiting the party's answer: (term, proposer) -> move id."""
        return self.pending.get(party, immutables.Map())
