"""What each party wanted: linear-additive utilities over the terms, and their value in a state.

A party's utility of a state is the weighted mean of what each term's standing is worth to
it. A term is worth `agreed` once every party it needs stands behind it (in whatever
wording), and `otherwise` until then. A table for one qualifier (`timing`, say) prices the
wordings an agreement may take. A table of statuses overrides both for the statuses it
names (a term `fulfilled` rather than merely agreed). The reservation value is what no
agreement is worth to the party, on the same scale. This is the linear-additive form
NegMAS and GeniusWeb use, with each term an issue and each standing a value.

Evaluation reads a state and never changes it. Several `PreferenceSet`s (different
historians' readings) can be held side by side.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import attrs

from negotiation.engine import Timeline
from negotiation.errors import ModelError
from negotiation.model import QUALIFIERS, Formulation
from negotiation.state import State
from negotiation.status import is_agreed, term_status
from negotiation.vocabulary import Status

__all__ = ["PRICED", "Preference", "PreferenceSet", "TermValues", "utilities", "utilities_along", "utility"]

PRICED: tuple[str, ...] = ("wording", *QUALIFIERS)
"""What an agreement's wordings can be priced by: the text itself, or one of its qualifiers."""


def _terms(
    value: Mapping[str, TermValues] | Iterable[tuple[str, TermValues]],
) -> tuple[tuple[str, TermValues], ...]:
    return tuple(dict(value).items())


def _frozen_map(value: Mapping[str, float] | Iterable[tuple[str, float]]) -> tuple[tuple[str, float], ...]:
    items = value.items() if isinstance(value, Mapping) else value
    return tuple((str(k), float(v)) for k, v in items)


@attrs.frozen
class TermValues:
    """What one term's standing is worth to a party: its weight and a value per standing.

    `options` prices the agreed wordings by one qualifier (`qualifier`, or `wording` for the
    text itself): an agreement whose wording, as the party holds it, gives that qualifier
    one of these texts is worth its value instead of `agreed`. `statuses` gives the worth of
    the statuses it names.
    """

    weight: float
    agreed: float = 1.0
    otherwise: float = 0.0
    qualifier: str | None = None
    options: tuple[tuple[str, float], ...] = attrs.field(default=(), converter=_frozen_map)
    statuses: tuple[tuple[str, float], ...] = attrs.field(default=(), converter=_frozen_map)

    def __attrs_post_init__(self) -> None:
        if not (self.weight >= 0 and math.isfinite(self.weight)):
            raise ModelError("a term's weight", f"{self.weight}", "give a finite weight of 0 or more")
        named = [("agreed", self.agreed), ("otherwise", self.otherwise), *self.options, *self.statuses]
        for name, value in named:
            if not math.isfinite(value):
                raise ModelError(f"the value {name!r}", f"is {value}", "give a finite number")
        if self.qualifier is not None and not self.options:
            raise ModelError(
                f"the {self.qualifier} table", "prices no wording", "give wording = value, or leave it out"
            )
        if self.qualifier is not None and self.qualifier not in PRICED:
            raise ModelError(
                f"qualifier {self.qualifier!r}", "is not a qualifier", f"give one of {', '.join(PRICED)}"
            )
        if self.options and self.qualifier is None:
            raise ModelError("options", "price wordings of no qualifier", "name the qualifier they price")
        known = {str(s) for s in Status}
        for status, _ in self.statuses:
            if status not in known:
                raise ModelError(
                    f"status {status!r}", "is not a status", f"give one of {', '.join(sorted(known))}"
                )

    def value(self, state: State, term: str, party: str) -> float:
        """What the term's standing in `state` is worth to `party`."""
        if self.statuses:
            status = str(term_status(state, term))
            for name, worth in self.statuses:
                if name == status:
                    return worth
        if not is_agreed(state, term):
            return self.otherwise
        if self.qualifier is not None and self.options:
            form = _reading(state, term, party)
            said = (
                (form.text if self.qualifier == "wording" else getattr(form, self.qualifier))
                if form
                else None
            )
            for text, worth in self.options:
                if text == said:
                    return worth
        return self.agreed


def _reading(state: State, term: str, party: str) -> Formulation | None:
    """The wording of an agreed term as the party holds it: its own, else its first supporter's.

    In a divergent agreement each side reads the deal in its own words, and values it so.
    """
    positions = state.positions(term)
    own = positions.get(party)
    if own is not None and own.counts and own.formulation is not None:
        return own.formulation
    for position in positions.values():
        if position.counts and position.formulation is not None:
            return position.formulation
    return None


@attrs.frozen
class Preference:
    """One party's utility: a `TermValues` per term that matters to it, and its reservation value."""

    party: str
    terms: tuple[tuple[str, TermValues], ...] = attrs.field(converter=_terms)
    reservation: float = 0.0

    def __attrs_post_init__(self) -> None:
        if not self.terms:
            raise ModelError(f"{self.party}'s preferences", "value no term", "give at least one term")
        if not math.isfinite(self.reservation):
            raise ModelError(
                f"{self.party}'s reservation value", f"is {self.reservation}", "give a finite number"
            )
        if sum(values.weight for _, values in self.terms) <= 0:
            raise ModelError(
                f"{self.party}'s preferences", "weigh every term 0", "give some term a weight above 0"
            )

    @property
    def total_weight(self) -> float:
        """The sum of the weights, by which the weighted sum is divided."""
        return sum(values.weight for _, values in self.terms)

    def utility(self, state: State) -> float:
        """The weighted mean of what each term's standing in `state` is worth to the party."""
        total = sum(values.weight * values.value(state, term, self.party) for term, values in self.terms)
        return total / self.total_weight

    def check(self, state: State) -> None:
        """Refuse preferences on a party or a term the catalogue does not hold."""
        catalogue = state.catalogue
        if self.party not in catalogue.party_ids:
            raise ModelError(
                f"party {self.party!r}", "is not in the scenario", "give a party of its catalogue"
            )
        for term, _ in self.terms:
            if term not in catalogue.by_id:
                raise ModelError(f"term {term!r}", "is not in the scenario", "give a term of its catalogue")


@attrs.frozen
class PreferenceSet:
    """The preferences of two or more parties under one reading, with a note saying whose."""

    name: str
    preferences: tuple[Preference, ...]
    note: str = ""

    def __attrs_post_init__(self) -> None:
        parties = [p.party for p in self.preferences]
        if len(parties) < 2:
            raise ModelError(
                f"preference set {self.name!r}", "has fewer than two parties", "give two or more"
            )
        if len(set(parties)) != len(parties):
            raise ModelError(f"preference set {self.name!r}", "gives a party twice", "give each party once")

    @property
    def parties(self) -> tuple[str, ...]:
        """The parties, in the order the set gives them."""
        return tuple(p.party for p in self.preferences)

    @property
    def reservations(self) -> tuple[float, ...]:
        """Each party's reservation value, in the set's order: the point of no agreement."""
        return tuple(p.reservation for p in self.preferences)

    def check(self, state: State) -> None:
        """Refuse a set that names a party or a term the state's catalogue does not hold."""
        for preference in self.preferences:
            preference.check(state)


def utility(preference: Preference, state: State) -> float:
    """The party's utility of the state (see `Preference.utility`)."""
    return preference.utility(state)


def utilities(preferences: PreferenceSet, state: State) -> tuple[float, ...]:
    """Every party's utility of the state, in the set's order."""
    return tuple(p.utility(state) for p in preferences.preferences)


def utilities_along(preferences: PreferenceSet, timeline: Timeline) -> list[tuple[str, tuple[float, ...]]]:
    """Every party's utility after each move of the timeline, with the move's id, in order.

    The timeline's states are read one stretch at a time, so a long history costs its fold.
    """
    preferences.check(timeline.initial)
    return [(step.move.id, utilities(preferences, step.state)) for step in timeline]
