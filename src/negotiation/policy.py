"""What a generated reply may be, who may make it, and the legal replies it allows.

A `Policy` is a value: the verbs a reply may use, the terms it may act on, how many acts it
carries, who answers whom, on which channel, and which terms an agreement must settle.
`replies` lists the legal moves a party could make under it, in a fixed order.
"""

from __future__ import annotations

import enum
import itertools
from collections.abc import Iterable, Sequence

import attrs

from negotiation.candidates import UNWORDED_VERBS, candidate_acts
from negotiation.engine import apply
from negotiation.errors import IllegalMove, ModelError, suggest
from negotiation.model import Act, Move, trusted_move
from negotiation.state import State
from negotiation.status import term_status
from negotiation.vocabulary import Channel, Status, Verb

__all__ = ["Policy", "TermPool", "Turns", "movers", "replies"]


class Turns(enum.StrEnum):
    """Who may answer: the party after the last mover (in the policy's order), or any of them."""

    ALTERNATE = "alternate"
    ANY = "any"


class TermPool(enum.StrEnum):
    """The terms replies may act on, when not named one by one."""

    OPEN = "open"
    """Raised and not yet binding or fulfilled, in each state."""
    CATALOGUE = "catalogue"
    """Every term of the catalogue."""


_SETTLED = (Status.UNRAISED, Status.BINDING, Status.FULFILLED, Status.CONFIRMED, Status.REPLACED)


def _verbs(values: Iterable[Verb | str]) -> tuple[Verb, ...]:
    allowed = [str(v) for v in UNWORDED_VERBS]
    verbs = []
    for value in values:
        if str(value) not in allowed:
            problem = (
                "needs a wording or an earlier move, which a generated reply cannot invent"
                if str(value) in [str(v) for v in Verb]
                else "is not a verb"
            )
            raise ModelError(
                f"policy verb {str(value)!r}", problem, suggest(str(value), allowed, noun="verb")
            )
        verbs.append(Verb(value))
    return tuple(sorted(set(verbs), key=list(Verb).index))


def _pool(value: str | Iterable[str]) -> TermPool | tuple[str, ...]:
    if isinstance(value, str):
        if value not in list(TermPool):
            pools = ", ".join(TermPool)
            raise ModelError(f"policy terms {value!r}", "is not a pool", f"give {pools} or term ids")
        return TermPool(value)
    return tuple(value)


def _optional_ids(value: Iterable[str] | None) -> tuple[str, ...] | None:
    return None if value is None else tuple(value)


@attrs.frozen
class Policy:
    """What a generated reply may be.

    `verbs` are the acts allowed (restate, ignore and move-wide affirm need words or move ids
    a generator cannot invent; condition makes one term conditional on another of the pool);
    `terms` is a `TermPool` (open: raised and not yet binding or fulfilled, in each state;
    or the catalogue) or a tuple of term ids; a reply carries 1 to `max_acts` acts on distinct terms; `turns`
    says who answers among `parties` (None: the principals; name a third party to let it give
    or refuse the consent a term needs); `core` are the terms an agreement must settle and whose
    rejection is a breakdown (None: the terms on the table at the start).
    """

    verbs: tuple[Verb, ...] = attrs.field(
        default=(Verb.PROPOSE, Verb.ACCEPT, Verb.REJECT, Verb.WITHDRAW, Verb.AFFIRM), converter=_verbs
    )
    terms: TermPool | tuple[str, ...] = attrs.field(default=TermPool.OPEN, converter=_pool)
    max_acts: int = 1
    turns: Turns = attrs.field(default=Turns.ALTERNATE, converter=Turns)
    channel: Channel = attrs.field(default=Channel.PRIVATE, converter=Channel)
    core: tuple[str, ...] | None = attrs.field(default=None, converter=_optional_ids)
    parties: tuple[str, ...] | None = attrs.field(default=None, converter=_optional_ids)

    def __attrs_post_init__(self) -> None:
        if not 1 <= self.max_acts <= 4:
            raise ModelError(f"policy max_acts {self.max_acts}", "is out of range", "give 1 to 4")
        if not self.verbs:
            raise ModelError("policy verbs", "are empty", "give at least one verb")
        if self.parties is not None and not self.parties:
            raise ModelError("policy parties", "are empty", "give at least one party, or leave them out")

    def check(self, state: State) -> None:
        """Raise `ModelError` naming any mover, pool term or core term the catalogue lacks."""
        known = state.catalogue.by_id
        for party in self.parties or ():
            if party not in state.catalogue.party_ids:
                raise ModelError(
                    "policy parties",
                    f"names unknown party {party!r}",
                    suggest(party, state.catalogue.party_ids, noun="party"),
                )
        for group, ids in (("terms", self.terms), ("core", self.core or ())):
            for term in ids if not isinstance(ids, TermPool) else ():
                if term not in known:
                    raise ModelError(f"policy {group}", f"names unknown term {term!r}", suggest(term, known))

    def pool(self, state: State) -> list[str]:
        """The terms replies may act on in this state, in catalogue order."""
        if self.terms is TermPool.CATALOGUE:
            return list(state.catalogue.by_id)
        if self.terms is TermPool.OPEN:
            return [t for t in state.catalogue.by_id if term_status(state, t) not in _SETTLED]
        chosen = set(self.terms)
        return [t for t in state.catalogue.by_id if t in chosen]

    def describe(self) -> str:
        """One line for a summary."""
        pool = self.terms if isinstance(self.terms, TermPool) else ", ".join(self.terms)
        acts = "1 act" if self.max_acts == 1 else f"up to {self.max_acts} acts"
        who = f" among {', '.join(self.parties)}" if self.parties is not None else ""
        return f"verbs {', '.join(self.verbs)}; terms {pool}; {acts} per move; turns {self.turns}{who}"


def movers(state: State, policy: Policy) -> list[str]:
    """The parties who may make the next move: the policy's (the principals unless it names them)."""
    order = list(policy.parties if policy.parties is not None else state.catalogue.principals)
    if policy.turns is Turns.ANY or state.last is None:
        return order
    last = state.moves[state.last].move.author
    if last not in order:
        return order
    return [order[(order.index(last) + 1) % len(order)]]


def replies(state: State, party: str, policy: Policy, *, tag: str = "x") -> list[tuple[Move, State]]:
    """Every legal move the party could make under the policy, with the state it leads to.

    Moves are addressed to every principal but the mover on the policy's channel; their ids are
    `{tag}-{party}-{n}`, numbered over the candidates in a fixed order (single acts in catalogue
    and verb order, then combinations), so the same state always yields the same replies.
    """
    others = tuple(p for p in state.catalogue.principals if p != party)
    channel = policy.channel if others else Channel.PUBLIC

    def attempt(acts: Sequence[Act], n: int) -> tuple[Move, State] | None:
        move = trusted_move(f"{tag}-{party}-{n}", party, tuple(acts), others, channel)
        try:
            return move, apply(state, move)
        except IllegalMove:
            return None

    candidates = candidate_acts(state, verbs=policy.verbs, terms=policy.pool(state), moves=False)
    tried = [(act, attempt((act,), n)) for n, act in enumerate(candidates)]
    out = [r for _, r in tried if r is not None]
    acts = [a for a, r in tried if r is not None]
    n = len(candidates)
    for size in range(2, policy.max_acts + 1):
        for combo in itertools.combinations(acts, size):
            if len({a.term for a in combo}) == size:
                if (result := attempt(combo, n)) is not None:
                    out.append(result)
                n += 1
    return out
