"""The value types of a negotiation: parties, terms, formulations, acts and moves.

Frozen attrs classes with validation at construction and no behaviour beyond it; the meaning
of an act lives in `rules`, the fold of moves into state in `engine`.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping
from functools import cached_property
from typing import Any

import attrs
import immutables

from negotiation.errors import ModelError, suggest

__all__ = [
    "FORMULATION_FIELDS",
    "SUPPORTING",
    "Act",
    "Catalogue",
    "Channel",
    "Extent",
    "Formulation",
    "Move",
    "Party",
    "Role",
    "Stance",
    "Status",
    "Term",
    "Verb",
    "When",
]


class Verb(enum.StrEnum):
    """What an act does to a term (or, for `ignore`, to another move)."""

    PROPOSE = "propose"
    ACCEPT = "accept"
    REJECT = "reject"
    DISPUTE = "dispute"
    RESTATE = "restate"
    CONDITION = "condition"
    WITHDRAW = "withdraw"
    IGNORE = "ignore"
    AFFIRM = "affirm"
    FULFIL = "fulfil"


class Channel(enum.StrEnum):
    """How a move travelled; decides who learns of it and when."""

    PRIVATE = "private"
    PUBLIC = "public"
    BACK_CHANNEL = "back-channel"
    ORAL = "oral"


class Role(enum.StrEnum):
    """A principal sends moves; a third party is only named by terms."""

    PRINCIPAL = "principal"
    THIRD = "third"


class Stance(enum.StrEnum):
    """One party's position on one term."""

    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    DISPUTED = "disputed"
    UNCHALLENGED = "unchallenged"
    IGNORED = "ignored"
    WITHDRAWN = "withdrawn"
    AFFIRMED = "affirmed"
    PERFORMING = "performing"
    FULFILLED = "fulfilled"


SUPPORTING = frozenset(
    {Stance.PROPOSED, Stance.ACCEPTED, Stance.AFFIRMED, Stance.PERFORMING, Stance.FULFILLED}
)
"""Stances in which a party stands behind a term."""


class Status(enum.StrEnum):
    """The state of a term across all principals, derived from their stances."""

    UNRAISED = "unraised"
    OPEN = "open"
    UNCHALLENGED = "unchallenged"
    AGREED = "agreed"
    DIVERGENT = "divergent"
    DISPUTED = "disputed"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    LAPSED = "lapsed"
    BINDING = "binding"
    FULFILLED = "fulfilled"


class Extent(enum.StrEnum):
    """How far a reported performance goes."""

    BEGUN = "begun"
    COMPLETE = "complete"


def _require(cond: bool, what: str, problem: str, hint: str = "") -> None:
    if not cond:
        raise ModelError(what, problem, hint)


def _nonempty(what: str) -> Any:
    def check(_inst: object, attribute: attrs.Attribute[Any], value: str) -> None:
        _require(
            isinstance(value, str) and bool(value.strip()),
            what,
            f"{attribute.name} must be a non-empty string, not {value!r}",
        )

    return check


def _identifier(what: str) -> Any:
    """Ids name things in files, messages and tables: printable, no surrounding blanks."""

    def check(_inst: object, attribute: attrs.Attribute[Any], value: str) -> None:
        if not isinstance(value, str) or not value.strip():
            raise ModelError(what, f"{attribute.name} must be a non-empty string, not {value!r}")
        # isprintable() is False exactly for the categories C* and Z* other than the ASCII space
        if value != value.strip() or not value.isprintable():
            raise ModelError(
                what,
                f"{attribute.name} {value!r} holds line breaks, control characters or surrounding blanks",
                "use letters, digits and dashes, e.g. kennedy-27-oct-letter",
            )

    return check


def _ids(values: Iterable[str] | str) -> tuple[str, ...]:
    if isinstance(values, str):
        return (values,)
    return tuple(values)


NO_IDS: frozenset[str] = frozenset()
"""The one empty id set: an empty frozenset is a fresh 216-byte object each time it is built."""


def _idset(values: Iterable[str]) -> frozenset[str]:
    return frozenset(values) or NO_IDS


def _acts(values: Iterable[Act]) -> tuple[Act, ...]:
    return tuple(values)


def _parties(values: Iterable[Party]) -> tuple[Party, ...]:
    return tuple(values)


def _terms(values: Iterable[Term]) -> tuple[Term, ...]:
    return tuple(values)


def _opt_text(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ModelError("text", f"expected a string, not {type(value).__name__}")
    return value


@attrs.frozen(order=False)
class When:
    """A point in time as precisely as the record gives it: a day, or a minute with its UTC offset."""

    day: dt.date
    at: dt.datetime | None = None

    def __attrs_post_init__(self) -> None:
        if self.at is not None:
            _require(
                self.at.tzinfo is not None and self.at.utcoffset() is not None,
                "time",
                f"{self.at.isoformat()} has no UTC offset",
                "write it with its offset, e.g. 1962-10-27T19:45:00-04:00 for Washington",
            )
            _require(
                self.at.date() == self.day,
                "time",
                f"day {self.day} does not match {self.at.isoformat()}",
            )

    @classmethod
    def of(cls, value: dt.date | dt.datetime | str) -> When:
        """Build from a date, an aware datetime, or their ISO 8601 text."""
        if isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value) if len(value) == 10 else dt.datetime.fromisoformat(value)
            except ValueError:
                raise ModelError(
                    "time",
                    f"{value!r} is not an ISO 8601 date or date-time",
                    "e.g. 1962-10-27 or 1962-10-27T19:45:00-04:00",
                ) from None
        if isinstance(value, dt.datetime):
            return cls(value.date(), value)
        if isinstance(value, dt.date):
            return cls(value)
        raise ModelError("time", f"expected a date or date-time, not {type(value).__name__}")

    def certainly_after(self, other: When) -> bool:
        """True when the record shows self later than other; same-day times of day unknown are not."""
        if self.at is not None and other.at is not None:
            return self.at > other.at
        return self.day > other.day

    def __str__(self) -> str:
        return self.at.isoformat(timespec="minutes") if self.at is not None else self.day.isoformat()


@attrs.frozen
class Party:
    """An actor: a principal sends moves, a third party is only named by terms."""

    id: str = attrs.field(validator=_identifier("party"))
    name: str = ""
    role: Role = attrs.field(default=Role.PRINCIPAL, converter=Role)


@attrs.frozen
class Term:
    """One undertaking with a stable id, the parties it obliges, and its relations to other terms."""

    id: str = attrs.field(validator=_identifier("term"))
    obligors: tuple[str, ...] = attrs.field(converter=_ids)
    text: str = attrs.field(validator=_nonempty("term"))
    title: str = ""
    requires: tuple[str, ...] = attrs.field(default=(), converter=_ids)
    conflicts: tuple[str, ...] = attrs.field(default=(), converter=_ids)
    refines: str | None = None

    def __attrs_post_init__(self) -> None:
        what = f"term {self.id!r}"
        _require(bool(self.obligors), what, "names no obligor", "give obligors = [PARTY, ...]")
        for rel in ("requires", "conflicts"):
            _require(self.id not in getattr(self, rel), what, f"{rel} itself")
        _require(self.refines != self.id, what, "refines itself")


FORMULATION_FIELDS = ("wording", "scope", "verification", "timing", "confidentiality", "conditions")
"""Act fields that give or change the actor's formulation of a term."""


@attrs.frozen
class Formulation:
    """A party's own statement of a term: its wording, qualifiers and conditions, with provenance.

    `quote` and `move` record where the formulation comes from and do not count when two
    formulations are compared for divergence (see `substance`).
    """

    text: str
    scope: str | None = None
    verification: str | None = None
    timing: str | None = None
    confidentiality: str | None = None
    conditions: frozenset[str] = attrs.field(default=NO_IDS, converter=_idset)
    quote: str | None = None
    move: str | None = None

    @property
    def substance(self) -> tuple[object, ...]:
        """What the formulation commits to, without where it was said."""
        return (
            self.text,
            self.scope,
            self.verification,
            self.timing,
            self.confidentiality,
            self.conditions,
        )

    def qualifiers(self) -> dict[str, str]:
        """The qualifiers that are set, by name, conditions included."""
        out = {
            name: value
            for name in ("scope", "verification", "timing", "confidentiality")
            if (value := getattr(self, name)) is not None
        }
        if self.conditions:
            out["conditions"] = ", ".join(sorted(self.conditions))
        return out


_TERM_VERBS = frozenset(Verb) - {Verb.IGNORE}
_WORDING_VERBS = frozenset({Verb.PROPOSE, Verb.ACCEPT, Verb.RESTATE, Verb.DISPUTE, Verb.AFFIRM})


@attrs.frozen
class Act:
    """A verb applied to a term (or, for `ignore` and bundle `affirm`, to an earlier move).

    Formulation fields (`wording`, qualifiers, `conditions`) give the actor's own statement of
    the term; `quote` is the source's words the act rests on; `irregular` explains why an act
    that breaks a rule is nevertheless in the record, so the engine notes it instead of raising.
    """

    verb: Verb = attrs.field(converter=Verb)
    term: str | None = None
    move: str | None = None
    wording: str | None = attrs.field(default=None, converter=_opt_text)
    scope: str | None = attrs.field(default=None, converter=_opt_text)
    verification: str | None = attrs.field(default=None, converter=_opt_text)
    timing: str | None = attrs.field(default=None, converter=_opt_text)
    confidentiality: str | None = attrs.field(default=None, converter=_opt_text)
    conditions: tuple[str, ...] = attrs.field(default=(), converter=_ids)
    extent: Extent | None = attrs.field(default=None, converter=attrs.converters.optional(Extent))
    quote: str | None = attrs.field(default=None, converter=_opt_text)
    note: str | None = attrs.field(default=None, converter=_opt_text)
    irregular: str | None = attrs.field(default=None, converter=_opt_text)

    def __attrs_post_init__(self) -> None:
        what = f"{self.verb} act"
        if self.verb is Verb.IGNORE:
            _require(self.move is not None, what, "names no move", "give move = MOVE_ID")
            _require(self.term is None, what, "names a term", "ignore applies to a whole move")
        elif self.verb is Verb.AFFIRM:
            _require(
                (self.term is None) != (self.move is None),
                what,
                "needs exactly one of term or move",
                "affirm a term, or the undertakings of an earlier move",
            )
        else:
            _require(self.term is not None, what, "names no term", "give term = TERM_ID")
            _require(self.move is None, what, "names a move", "only ignore and affirm take a move")
        if self.verb not in _WORDING_VERBS:
            given = [f for f in FORMULATION_FIELDS if f != "conditions" and getattr(self, f)]
            _require(
                not given,
                what,
                f"cannot carry {', '.join(given)}",
                "wording and qualifiers go with propose, accept, restate, dispute or affirm",
            )
        if self.verb is Verb.CONDITION:
            _require(bool(self.conditions), what, "names no condition", "give conditions = [TERM_ID, ...]")
        elif self.conditions and self.verb not in _WORDING_VERBS:
            raise ModelError(what, "cannot carry conditions", "use a condition act")
        if self.move is not None and self.verb is Verb.AFFIRM:
            _require(
                not self.formulates,
                what,
                "affirming a whole move cannot carry a wording",
                "affirm a single term to restate it",
            )
        _require(
            self.extent is None or self.verb is Verb.FULFIL,
            what,
            "has an extent",
            "only fulfil reports how far performance has gone",
        )
        if self.term is not None:
            _require(self.term not in self.conditions, what, f"conditions {self.term!r} on itself")

    @property
    def formulates(self) -> bool:
        """True when the act states (part of) the actor's own formulation."""
        return any(getattr(self, f) for f in FORMULATION_FIELDS)

    @property
    def target(self) -> str:
        """The term or move the act is about, for messages."""
        return self.term if self.term is not None else f"move {self.move}"


def _when(value: When | dt.date | str | None) -> When | None:
    if value is None or isinstance(value, When):
        return value
    return When.of(value)


def _receipts(value: Mapping[str, When | dt.date | str] | None) -> immutables.Map[str, When]:
    if value is None:
        return immutables.Map()
    if isinstance(value, immutables.Map):
        return value
    return immutables.Map({party: When.of(t) if not isinstance(t, When) else t for party, t in value.items()})


@attrs.frozen
class Move:
    """One letter, statement or oral message: who sent it to whom, how, when, and its acts."""

    id: str = attrs.field(validator=_identifier("move"))
    author: str = attrs.field(validator=_nonempty("move"))
    acts: tuple[Act, ...] = attrs.field(converter=_acts)
    addressees: tuple[str, ...] = attrs.field(default=(), converter=_ids)
    channel: Channel = attrs.field(default=Channel.PRIVATE, converter=Channel)
    sent: When | None = attrs.field(default=None, converter=_when)
    received: immutables.Map[str, When] = attrs.field(factory=immutables.Map, converter=_receipts)
    published: When | None = attrs.field(default=None, converter=_when)
    title: str = ""
    source: str | None = None
    note: str | None = None

    def __attrs_post_init__(self) -> None:
        if not self.acts:
            raise ModelError(f"move {self.id!r}", "has no acts", "a move carries at least one act")
        if self.author in self.addressees:
            raise ModelError(f"move {self.id!r}", f"is addressed to its own author {self.author!r}")
        if len(set(self.addressees)) != len(self.addressees):
            raise ModelError(f"move {self.id!r}", "names an addressee twice")
        if self.channel is not Channel.PUBLIC and not self.addressees:
            raise ModelError(
                f"move {self.id!r}",
                f"a {self.channel} move needs addressees",
                "only a public statement may have none",
            )

    @property
    def terms(self) -> frozenset[str]:
        """The terms its acts name directly."""
        return frozenset(a.term for a in self.acts if a.term is not None)


@attrs.frozen(cache_hash=True)
class Catalogue:
    """The parties at and around the table and the terms they can negotiate, in declared order."""

    parties: tuple[Party, ...] = attrs.field(converter=_parties)
    terms: tuple[Term, ...] = attrs.field(converter=_terms)

    def __attrs_post_init__(self) -> None:
        ids = [p.id for p in self.parties]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        _require(not dupes, "catalogue", f"party declared twice: {', '.join(dupes)}")
        tids = [t.id for t in self.terms]
        dupes = sorted({i for i in tids if tids.count(i) > 1})
        _require(not dupes, "catalogue", f"term declared twice: {', '.join(dupes)}")
        _require(
            bool(self.principals),
            "catalogue",
            "declares no principal party",
            "at least one party must be able to send moves",
        )
        for term in self.terms:
            what = f"term {term.id!r}"
            for party in term.obligors:
                _require(
                    party in self.party_ids,
                    what,
                    f"obliges unknown party {party!r}",
                    suggest(party, self.party_ids, noun="party"),
                )
            for rel in ("requires", "conflicts"):
                for other in getattr(term, rel):
                    _require(
                        other in self.by_id,
                        what,
                        f"{rel} unknown term {other!r}",
                        suggest(other, self.by_id, noun="term id"),
                    )
            if term.refines is not None:
                _require(
                    term.refines in self.by_id,
                    what,
                    f"refines unknown term {term.refines!r}",
                    suggest(term.refines, self.by_id, noun="term id"),
                )

    @cached_property
    def by_id(self) -> dict[str, Term]:
        """The terms by id, in declared order."""
        return {t.id: t for t in self.terms}

    @cached_property
    def conflicts_with(self) -> dict[str, frozenset[str]]:
        """For each term, the terms it conflicts with, whichever side declared the conflict."""
        out: dict[str, set[str]] = {t.id: set() for t in self.terms}
        for t in self.terms:
            for other in t.conflicts:
                out[t.id].add(other)
                out[other].add(t.id)
        return {k: frozenset(v) for k, v in out.items()}

    @cached_property
    def required_by(self) -> dict[str, frozenset[str]]:
        """For each term, the terms that require it."""
        out: dict[str, set[str]] = {t.id: set() for t in self.terms}
        for t in self.terms:
            for other in t.requires:
                out[other].add(t.id)
        return {k: frozenset(v) for k, v in out.items()}

    @cached_property
    def party_ids(self) -> frozenset[str]:
        """Every declared party id."""
        return frozenset(p.id for p in self.parties)

    @cached_property
    def principals(self) -> tuple[str, ...]:
        """The parties that send moves, in declaration order."""
        return tuple(p.id for p in self.parties if p.role is Role.PRINCIPAL)

    def party(self, party_id: str) -> Party:
        """The party with this id."""
        for p in self.parties:
            if p.id == party_id:
                return p
        hint = suggest(party_id, self.party_ids, noun="party")
        raise ModelError("catalogue", f"no party {party_id!r}", hint)
