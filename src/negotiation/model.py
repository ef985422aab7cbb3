"""The value types of a negotiation: parties, terms, formulations, acts and moves.

Frozen attrs classes with validation at construction and no behaviour beyond it; the meaning
of an act lives in `rules`, the fold of moves into state in `engine`.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Iterable, Mapping
from typing import Any, NoReturn

import attrs
import immutables

from negotiation.errors import ModelError, require
from negotiation.vocabulary import MODAL_VERBS, VIEWS, WORDING_VERBS, Channel, Extent, Modality, Role, Verb

__all__ = [
    "ACT_FIELDS",
    "FORMULATION_FIELDS",
    "NO_IDS",
    "QUALIFIERS",
    "SUBSTANCE",
    "Act",
    "Formulation",
    "Move",
    "Party",
    "Term",
    "When",
    "trusted_move",
]


def _nonempty(what: str) -> Any:
    def check(_inst: object, attribute: attrs.Attribute[Any], value: str) -> None:
        require(
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
            require(
                self.at.tzinfo is not None and self.at.utcoffset() is not None,
                "time",
                f"{self.at.isoformat()} has no UTC offset",
                "write it with its offset, e.g. 1962-10-27T19:45:00-04:00 for Washington",
            )
            require(
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


def _not_a_view(_inst: object, attribute: attrs.Attribute[Any], value: str) -> None:
    if value in VIEWS:
        raise ModelError(
            "party",
            f"{attribute.name} {value!r} names a view of the record, not a party",
            f"{' and '.join(repr(v) for v in VIEWS)} are kept for views; call the party otherwise",
        )


@attrs.frozen
class Party:
    """An actor of the negotiation; its role says what its word counts for (see `Role`)."""

    id: str = attrs.field(validator=[_identifier("party"), _not_a_view])
    name: str = ""
    role: Role = attrs.field(default=Role.PRINCIPAL, converter=Role)


@attrs.frozen
class Term:
    """One undertaking with a stable id, the parties it obliges, and its relations to other terms.

    `consent` names the parties not at the table (third parties) whose assent the term needs
    besides the principals', as on-site inspection in Cuba needed Cuba's; `replaces` the terms
    it stands in for once agreed, as US reconnaissance stood in for the inspection Cuba refused.
    """

    id: str = attrs.field(validator=_identifier("term"))
    obligors: tuple[str, ...] = attrs.field(converter=_ids)
    text: str = attrs.field(validator=_nonempty("term"))
    title: str = ""
    requires: tuple[str, ...] = attrs.field(default=(), converter=_ids)
    conflicts: tuple[str, ...] = attrs.field(default=(), converter=_ids)
    refines: str | None = None
    consent: tuple[str, ...] = attrs.field(default=(), converter=_ids)
    replaces: tuple[str, ...] = attrs.field(default=(), converter=_ids)

    def __attrs_post_init__(self) -> None:
        what = f"term {self.id!r}"
        require(bool(self.obligors), what, "names no obligor", "give obligors = [PARTY, ...]")
        for rel in ("requires", "conflicts", "replaces"):
            require(self.id not in getattr(self, rel), what, f"{rel} itself")
        require(self.refines != self.id, what, "refines itself")


# What each field of a formulation is: part of what it commits to (the wording, a qualifier,
# its conditions) or provenance (where it was said). The field lists below derive from this.
_PART = "part"
_WORDING = {_PART: "wording"}
_QUALIFIER = {_PART: "qualifier"}
_CONDITIONS = {_PART: "conditions"}
_PROVENANCE = {_PART: "provenance"}


@attrs.frozen
class Formulation:
    """A party's own statement of a term: its wording, qualifiers and conditions, with provenance.

    `quote` and `move` record where the formulation comes from and do not count when two
    formulations are compared for divergence (see `substance`).
    """

    text: str = attrs.field(metadata=_WORDING)
    scope: str | None = attrs.field(default=None, metadata=_QUALIFIER)
    verification: str | None = attrs.field(default=None, metadata=_QUALIFIER)
    timing: str | None = attrs.field(default=None, metadata=_QUALIFIER)
    confidentiality: str | None = attrs.field(default=None, metadata=_QUALIFIER)
    conditions: frozenset[str] = attrs.field(default=NO_IDS, converter=_idset, metadata=_CONDITIONS)
    quote: str | None = attrs.field(default=None, metadata=_PROVENANCE)
    move: str | None = attrs.field(default=None, metadata=_PROVENANCE)

    @property
    def substance(self) -> tuple[object, ...]:
        """What the formulation commits to (`SUBSTANCE`, in order), without where it was said."""
        return _substance(self)

    def qualifiers(self) -> dict[str, str]:
        """The qualifiers that are set, by name, conditions included."""
        out = {name: value for name in QUALIFIERS if (value := getattr(self, name)) is not None}
        if self.conditions:
            out["conditions"] = ", ".join(sorted(self.conditions))
        return out


QUALIFIERS: tuple[str, ...] = tuple(
    f.name for f in attrs.fields(Formulation) if f.metadata.get(_PART) == "qualifier"
)
"""The single-valued qualifiers of a formulation (scope, verification, timing, ...), in order."""

SUBSTANCE: tuple[str, ...] = tuple(
    f.name for f in attrs.fields(Formulation) if f.metadata.get(_PART) != "provenance"
)
"""The formulation fields that say what it commits to: its text, qualifiers and conditions."""

_substance = operator.attrgetter(*SUBSTANCE)

FORMULATION_FIELDS: tuple[str, ...] = ("wording", *QUALIFIERS, "conditions")
"""Act fields that give or change the actor's formulation of a term: its `text` is the act's wording."""


@attrs.frozen
class Act:
    """A verb applied to a term (or, for `ignore` and bundle `affirm`, to an earlier move).

    Formulation fields (`wording`, qualifiers, `conditions`) give the actor's own statement of
    the term; `quote` is the source's words the act rests on, and `verified` whether they were
    checked against a primary text; `irregular` explains why an act that breaks a rule is
    nevertheless in the record, so the engine notes it instead of raising.
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
    modality: Modality = attrs.field(default=Modality.COMMITMENT, converter=Modality)
    verified: bool | None = None
    """Whether the quote was checked word for word against a primary text (None: not said)."""

    def __attrs_post_init__(self) -> None:
        # Each check raises with its message only when it fails: building the messages for
        # every act would cost more than the checks (a long history holds 100k acts).
        verb, verified = self.verb, self.verified
        if verified is not None:
            if not isinstance(verified, bool):
                self._fail(
                    f"has verified = {verified!r}",
                    "verified is true (checked against a primary text) or false (could not be)",
                )
            if self.quote is None:
                self._fail(
                    "says whether its quote was verified, but has no quote",
                    "give quote = ..., or leave verified out",
                )
        if self.modality is not Modality.COMMITMENT and verb not in MODAL_VERBS:
            self._fail(
                f"cannot be a {self.modality}",
                "a prediction, an expression of confidence or hope, or a demand is a propose, accept "
                "or restate act",
            )
        if verb is Verb.IGNORE:
            if self.move is None:
                self._fail("names no move", "give move = MOVE_ID")
            if self.term is not None:
                self._fail("names a term", "ignore applies to a whole move")
        elif verb is Verb.AFFIRM:
            if (self.term is None) == (self.move is None):
                self._fail(
                    "needs exactly one of term or move",
                    "affirm a term, or the undertakings of an earlier move",
                )
        else:
            if self.term is None:
                self._fail("names no term", "give term = TERM_ID")
            if self.move is not None:
                self._fail("names a move", "only ignore and affirm take a move")
        if verb not in WORDING_VERBS:
            given = [f for f in FORMULATION_FIELDS if f != "conditions" and getattr(self, f)]
            if given:
                self._fail(
                    f"cannot carry {', '.join(given)}",
                    "wording and qualifiers go with propose, accept, restate, dispute or affirm",
                )
        if verb is Verb.CONDITION or verb is Verb.RELEASE:
            if not self.conditions:
                self._fail("names no condition", "give conditions = [TERM_ID, ...]")
        elif self.conditions and verb not in WORDING_VERBS:
            self._fail("cannot carry conditions", "use a condition act")
        if self.move is not None and verb is Verb.AFFIRM and self.formulates:
            self._fail("affirming a whole move cannot carry a wording", "affirm a single term to restate it")
        if self.extent is not None and verb is not Verb.FULFIL:
            self._fail("has an extent", "only fulfil reports how far performance has gone")
        if self.term is not None and self.term in self.conditions:
            self._fail(f"conditions {self.term!r} on itself")

    def _fail(self, problem: str, hint: str = "") -> NoReturn:
        raise ModelError(f"{self.verb} act", problem, hint)

    @property
    def formulates(self) -> bool:
        """True when the act states (part of) the actor's own formulation."""
        return any(getattr(self, f) for f in FORMULATION_FIELDS)

    @property
    def target(self) -> str:
        """The term or move the act is about, for messages."""
        return self.term if self.term is not None else f"move {self.move}"


ACT_FIELDS: tuple[str, ...] = tuple(f.name for f in attrs.fields(Act))
"""Every field of an act, in declared order: the keys of an act's table in a scenario file."""


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


_NO_RECEIPTS: immutables.Map[str, When] = immutables.Map()


def trusted_move(
    id: str, author: str, acts: tuple[Act, ...], addressees: tuple[str, ...], channel: Channel
) -> Move:
    """A move built from parts its maker has already checked, without running the checks again.

    For generated replies (`policy.replies` builds tens of thousands per search from a valid
    state's parties and acts); anything read from a user goes through `Move(...)`. Equal to
    `Move(id, author, acts, addressees, channel)` (tests/test_explore.py checks).
    """
    move = object.__new__(Move)
    for name, value in (
        ("id", id),
        ("author", author),
        ("acts", acts),
        ("addressees", addressees),
        ("channel", channel),
        ("sent", None),
        ("received", _NO_RECEIPTS),
        ("published", None),
        ("title", ""),
        ("source", None),
        ("note", None),
    ):
        object.__setattr__(move, name, value)
    return move
