"""The working copy of one move's application: reads, writes and the record of what changed.

`Draft` is the transient, mutable state `rules.play` works on while it applies a move's acts;
it never escapes `play`. What each act means is in `rules`; here are only the primitives the
handlers share: reading positions, building formulations, noting broken rules, recording
changes.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter

import attrs
import immutables

from negotiation.errors import IllegalMove, suggest
from negotiation.model import NO_IDS, QUALIFIERS, Act, Formulation, Move
from negotiation.state import EMPTY, Position, PositionMap, State
from negotiation.vocabulary import MODAL_VERBS, SUPPORTING, Modality, Stance, Verb

__all__ = ["Change", "Draft", "Irregularity"]

_NO_POSITIONS: PositionMap = immutables.Map()


@attrs.frozen
class Change:
    """One party's position on one term before and after an act (or after silence)."""

    term: str
    party: str
    before: Position
    after: Position
    act_index: int | None
    cause: str


@attrs.frozen
class Irregularity:
    """A broken rule that the record keeps: the act was applied and the violation noted."""

    move_id: str
    act_index: int | None
    rule: str
    problem: str
    reason: str


def _formulation(
    act: Act, base: Formulation | None, text: str, move_id: str, carried: frozenset[str]
) -> Formulation:
    """The formulation an act states.

    With a wording of its own the act speaks afresh, and only the qualifiers it gives count;
    without one it amends `base` field by field. `carried` are conditions the actor already
    attached and keeps until it withdraws.
    """
    # By position, as fast as by hand: text, the qualifiers in order, conditions, quote, move.
    given = _qualifiers(act)
    if act.wording is not None or base is None:
        conditions = _joined(NO_IDS, carried, act.conditions)
        return Formulation(act.wording or text, *given, conditions, act.quote, move_id)  # type: ignore[arg-type, call-arg]
    kept = _qualifiers(base)
    if given != _UNQUALIFIED:
        kept = tuple(b if a is None else a for a, b in zip(given, kept, strict=True))
    conditions = _joined(base.conditions, carried, act.conditions)
    return Formulation(base.text, *kept, conditions, act.quote, move_id)  # type: ignore[arg-type, call-arg]


_qualifiers: Callable[[Act | Formulation], tuple[str | None, ...]] = attrgetter(*QUALIFIERS)
"""An act's or a formulation's qualifiers, in `QUALIFIERS` order: both name them alike."""

_UNQUALIFIED = (None,) * len(QUALIFIERS)


def _joined(base: frozenset[str], carried: frozenset[str], given: tuple[str, ...]) -> frozenset[str]:
    """The union of the condition sets, reusing `base` when nothing is added to it."""
    return base | carried | frozenset(given) if carried or given else base


class Draft:
    """The transient, mutable working copy of one move's application; never escapes `play`.

    Checks are written `if not ok: d.broke(...)`, so that the message of a rule is only built
    when the rule is broken: formatting it for every act that keeps the rule would cost more
    than the rest of the act.
    """

    __slots__ = (
        "act",
        "act_index",
        "author",
        "by_id",
        "changes",
        "formulated",
        "move",
        "notes",
        "set_aside",
        "state",
        "strict",
        "terms",
        "touched",
    )

    def __init__(self, state: State, move: Move, strict: bool, record: bool = True) -> None:
        self.state = state
        self.move = move
        self.author = move.author
        self.by_id = state.catalogue.by_id
        self.strict = strict
        self.terms = state.terms.mutate()
        self.changes: list[Change] | None = [] if record else None
        self.notes: list[Irregularity] = []
        self.formulated: set[str] = set()
        self.touched: set[str] = set()
        self.set_aside: set[str] = set()
        self.act_index: int | None = None
        self.act: Act | None = None

    # -- checks -------------------------------------------------------------------------------

    def broke(self, rule: str, problem: str, hint: str | Callable[[], str] = "") -> bool:
        """Raise for a broken rule, or note it (and return False) when irregular or lenient.

        A hint that costs something to build (a list of suggestions) is passed as a callable.
        """
        reason = self.act.irregular if self.act is not None else None
        if self.strict and reason is None:
            label = f"{self.act.verb} {self.act.target}" if self.act is not None else "move"
            text = hint() if callable(hint) else hint
            raise IllegalMove(self.move.id, self.act_index, label, rule, problem, text)
        self.notes.append(
            Irregularity(self.move.id, self.act_index, rule, problem, reason or "not in this view")
        )
        return False

    def term_known(self, term: str) -> None:
        """Unknown terms cannot be applied even leniently: always an error."""
        if term not in self.by_id:
            assert self.act is not None
            raise IllegalMove(
                self.move.id,
                self.act_index,
                f"{self.act.verb} {term}",
                "unknown-term",
                f"no term {term!r} in the catalogue",
                suggest(term, self.by_id, noun="term id"),
            )

    # -- reading ------------------------------------------------------------------------------

    def positions(self, term: str) -> PositionMap:
        return self.terms.get(term, _NO_POSITIONS)

    def position(self, term: str, party: str) -> Position:
        positions = self.terms.get(term)
        return EMPTY if positions is None else positions.get(party, EMPTY)

    def supporters(self, term: str, *, besides: str) -> list[str]:
        positions = self.positions(term).items()
        return sorted(p for p, pos in positions if p != besides and pos.stance in SUPPORTING)

    def base_formulation(self, term: str, actor: str) -> Formulation | None:
        """The latest formulation of another party that stands behind the term."""
        best: tuple[int, Formulation] | None = None
        for party, pos in self.positions(term).items():
            if party == actor or pos.formulation is None or pos.stance not in SUPPORTING:
                continue
            rank = self._rank(pos.formulation.move)
            if best is None or rank > best[0]:
                best = (rank, pos.formulation)
        return best[1] if best is not None else None

    def _rank(self, move_id: str | None) -> int:
        if move_id == self.move.id:
            return self.state.count
        record = self.state.moves.get(move_id) if move_id is not None else None
        return record.index if record is not None else -1

    def formulate(self, term: str, act: Act, base: Formulation | None, *, own: bool) -> Formulation:
        """The act's formulation on `base`; `own` keeps the actor's earlier conditions."""
        mine = self.position(term, self.author).formulation if own else None
        carried = mine.conditions if mine is not None else NO_IDS
        return _formulation(act, base, self.by_id[term].text, self.move.id, carried)

    # -- writing ------------------------------------------------------------------------------

    def set(self, term: str, party: str, after: Position, cause: str) -> None:
        positions = self.terms.get(term, _NO_POSITIONS)
        before = positions.get(party, EMPTY)
        if (
            after.stance is before.stance
            and after.formulation == before.formulation
            and after.tacit == before.tacit
            and after.modality is before.modality
        ):
            return
        self.terms[term] = positions.set(party, after)
        if self.changes is not None:
            self.changes.append(Change(term, party, before, after, self.act_index, cause))

    def take(
        self,
        term: str,
        stance: Stance | None,
        formulation: Formulation | None = None,
        *,
        keep_formulation: bool = False,
    ) -> None:
        """Give the author a new stance (and formulation) on the term, clearing its silence."""
        self.touched.add(term)
        if keep_formulation:
            formulation = self.position(term, self.author).formulation
        elif formulation is not None:
            self.formulated.add(term)
        act = self.act
        assert act is not None
        if act.verb in MODAL_VERBS:
            modality = act.modality
        elif act.verb in (Verb.CONDITION, Verb.RELEASE, Verb.AFFIRM):
            # Conditions qualify and an affirmation stands by what was said: neither restates,
            # so a prediction affirmed is still a prediction.
            modality = self.position(term, self.author).modality
        else:
            modality = Modality.COMMITMENT
        self.set(
            term, self.author, Position(stance, formulation, NO_IDS, self.move.id, modality), act.verb.value
        )
