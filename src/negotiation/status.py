"""Term status and divergence, derived from the positions of the parties a term needs (never stored).

The parties a term needs are the principals and those its `consent` names; a mediator's or
another third party's word is shown but never counted. Precedence, highest first: contested
(an obligor reports performing it and a party needed contests the claim), confirmed (every
obligor reports it fulfilled and every other party needed confirms it), fulfilled (the
obligors' claim stands), replaced (a term that replaces it is agreed), blocked (a party whose
consent it needs refuses it), rejected, disputed, awaiting-consent (every principal stands
behind it, a party its consent names does not yet), then (when every party needed stands behind the
term) binding, conditional (a party's conditions are not agreed yet), divergent or agreed;
otherwise unchallenged, lapsed, withdrawn or open (a term only a mediator or a third party has
put forward is open too).
"""

from __future__ import annotations

from collections.abc import Callable

from negotiation.state import State
from negotiation.vocabulary import BINDING_STANCES, PERFORMANCE, Stance, Status

__all__ = [
    "BINDING_STANCES",
    "StatusMemo",
    "is_agreed",
    "is_divergent",
    "status_reads",
    "term_status",
    "unmet_conditions",
]


def term_status(state: State, term: str) -> Status:
    """The status of the term across the parties whose assent it needs, in this state."""
    positions = state.positions(term)
    stances = [p.stance for p in positions.values()]
    if all(s is None for s in stances):
        # Put forward only by a party whose word is not assent (a mediator's formula, a third
        # party's demand): on the table, and nobody needed has answered yet.
        return Status.OPEN if len(state.terms.get(term, ())) else Status.UNRAISED
    catalogue = state.catalogue
    declared = catalogue.by_id[term]
    obligors = [p for p in declared.obligors if p in positions]
    if Stance.CONTESTED in stances and any(positions[p].stance in PERFORMANCE for p in obligors):
        return Status.CONTESTED
    if obligors and all(positions[p].stance is Stance.FULFILLED for p in obligors):
        judges = [pos.stance for p, pos in positions.items() if p not in obligors]
        if judges and all(s is Stance.CONFIRMED for s in judges):
            return Status.CONFIRMED
        return Status.FULFILLED
    replacers = catalogue.replaced_by[term]
    if replacers and any(is_agreed(state, other) for other in replacers):
        return Status.REPLACED
    if declared.consent and any(positions[p].stance is Stance.REJECTED for p in declared.consent):
        return Status.BLOCKED
    if Stance.REJECTED in stances:
        return Status.REJECTED
    if Stance.DISPUTED in stances:
        return Status.DISPUTED
    supporters = [p for p in positions.values() if p.counts]
    if (
        len(supporters) < len(positions)
        and declared.consent
        and all(positions[p].counts for p in catalogue.principals)
    ):
        # The principals have settled what an ally not at the table must still agree to.
        return Status.AWAITING_CONSENT
    if len(supporters) == len(positions):
        if BINDING_STANCES.intersection(stances):
            return Status.BINDING
        if any(p.formulation is not None and p.formulation.conditions for p in supporters) and (
            unmet_conditions(state, term)
        ):
            return Status.CONDITIONAL
        return Status.DIVERGENT if is_divergent(state, term) else Status.AGREED
    if not supporters:
        return Status.WITHDRAWN if Stance.WITHDRAWN in stances else Status.OPEN
    rest = {p.stance for p in positions.values() if not p.counts}
    if rest == {Stance.UNCHALLENGED}:
        return Status.UNCHALLENGED
    if rest == {Stance.IGNORED}:
        return Status.LAPSED
    return Status.OPEN


def is_divergent(state: State, term: str) -> bool:
    """True when at least two parties the term needs stand behind it in different formulations."""
    forms = {
        p.formulation.substance
        for p in state.positions(term).values()
        if p.counts and p.formulation is not None
    }
    return len(forms) > 1


def unmet_conditions(state: State, term: str) -> tuple[str, ...]:
    """The terms some party needed made this one conditional on, that are not agreed yet (sorted).

    A condition is met when every party it needs stands behind it, as the other side of a
    quid pro quo does: two terms conditional on each other and both agreed are both met.
    """
    wanted = {c for p in state.positions(term).values() if p.formulation for c in p.formulation.conditions}
    return tuple(sorted(c for c in wanted if not is_agreed(state, c)))


def is_agreed(state: State, term: str) -> bool:
    """True when every party the term needs stands behind it, whatever its wording or performance."""
    return all(p.counts for p in state.positions(term).values())


def status_reads(state: State, term: str) -> tuple[object, ...]:
    """The positions maps a term's status (and its memo row) is derived from, in a fixed order.

    Its own, those of the terms replacing it, those of its conditions (None for a term nobody
    has spoken on). Two states giving the same maps give the same status.
    """
    held = state.terms.get(term)
    reads: tuple[object, ...] = (held,)
    replacers = state.catalogue.replaced_by[term]
    if replacers:
        reads += tuple(state.terms.get(r) for r in replacers)
    if held is not None:
        conditions = {
            c for pos in held.values() if pos.formulation is not None for c in pos.formulation.conditions
        }
        if conditions:
            reads += tuple(state.terms.get(c) for c in sorted(conditions))
    return reads


class StatusMemo:
    """`term_status`, `is_agreed` and `is_divergent` remembered by the identity of what they read.

    A status reads the term's positions, those of the terms replacing it and those of its
    conditions; persistent maps keep an untouched term's positions as the same object from a
    state to the states that follow it, so the states of a search or a replay mostly hit. For
    the states of one catalogue: it holds no state, only the maps it has seen (keeping them
    alive, so an identity is never reused).
    """

    __slots__ = ("_agreed", "_divergent", "_status")

    def __init__(self) -> None:
        self._status: dict[str, tuple[tuple[object, ...], Status]] = {}
        self._agreed: dict[str, tuple[object, bool]] = {}
        self._divergent: dict[str, tuple[object, bool]] = {}

    def status(self, state: State, term: str) -> Status:
        """`term_status(state, term)`."""
        if term not in state.terms:
            return Status.UNRAISED  # nobody has spoken on it
        reads = status_reads(state, term)
        hit = self._status.get(term)
        if hit is not None and hit[0] == reads:  # the same maps compare by identity first
            return hit[1]
        status = term_status(state, term)
        self._status[term] = (reads, status)
        return status

    def agreed(self, state: State, term: str) -> bool:
        """`is_agreed(state, term)`."""
        return self._own(self._agreed, is_agreed, state, term)

    def divergent(self, state: State, term: str) -> bool:
        """`is_divergent(state, term)`."""
        return self._own(self._divergent, is_divergent, state, term)

    @staticmethod
    def _own(
        memo: dict[str, tuple[object, bool]], derive: Callable[[State, str], bool], state: State, term: str
    ) -> bool:
        held = state.terms.get(term)
        hit = memo.get(term)
        if hit is not None and hit[0] is held:
            return hit[1]
        value = derive(state, term)
        memo[term] = (held, value)
        return value
