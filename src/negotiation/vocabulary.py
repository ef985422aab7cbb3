"""The closed vocabularies of a negotiation: verbs, channels, roles, stances, statuses, views.

Each word is spelt once here, as an enum member or a constant, and every other module (rules,
files, JSON, pictures) takes it from here; so do the groupings the rules read (which stances
support a term, which bind, which verbs carry a wording).
"""

from __future__ import annotations

import enum

__all__ = [
    "BINDING_STANCES",
    "COMMITTED",
    "COUNTING",
    "HISTORIAN",
    "JUDGED",
    "MODAL_VERBS",
    "NAMED_STANCE",
    "PERFORMANCE",
    "PUBLIC",
    "REFUSING",
    "SUPPORTING",
    "VIEWS",
    "WORDING_VERBS",
    "Channel",
    "Extent",
    "Modality",
    "Role",
    "Stance",
    "Status",
    "Verb",
]


class Verb(enum.StrEnum):
    """What an act does to a term (or, for `ignore`, to another move)."""

    PROPOSE = "propose"
    ACCEPT = "accept"
    REJECT = "reject"
    DISPUTE = "dispute"
    RESTATE = "restate"
    CONDITION = "condition"
    RELEASE = "release"
    WITHDRAW = "withdraw"
    IGNORE = "ignore"
    AFFIRM = "affirm"
    FULFIL = "fulfil"
    CONTEST = "contest"
    CONFIRM = "confirm"


class Channel(enum.StrEnum):
    """How a move travelled; decides who learns of it and when."""

    PRIVATE = "private"
    PUBLIC = "public"
    BACK_CHANNEL = "back-channel"
    ORAL = "oral"


class Role(enum.StrEnum):
    """What a party's word counts for; every party may send moves.

    A principal's assent is needed for every term; a mediator proposes, restates, relays and
    appeals, and its stance never counts as assent; a third party's stance counts only on the
    terms that name it in `consent`.
    """

    PRINCIPAL = "principal"
    MEDIATOR = "mediator"
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
    CONTESTED = "contested"
    CONFIRMED = "confirmed"


class Status(enum.StrEnum):
    """The state of a term across all principals, derived from their stances."""

    UNRAISED = "unraised"
    OPEN = "open"
    UNCHALLENGED = "unchallenged"
    AGREED = "agreed"
    CONDITIONAL = "conditional"
    AWAITING_CONSENT = "awaiting-consent"
    DIVERGENT = "divergent"
    DISPUTED = "disputed"
    REJECTED = "rejected"
    BLOCKED = "blocked"
    REPLACED = "replaced"
    WITHDRAWN = "withdrawn"
    LAPSED = "lapsed"
    BINDING = "binding"
    FULFILLED = "fulfilled"
    CONTESTED = "contested"
    CONFIRMED = "confirmed"


class Modality(enum.StrEnum):
    """What kind of statement an act makes; only a commitment (or a demand) stands behind a term."""

    COMMITMENT = "commitment"
    """The author binds itself, or accepts that the term binds (the default)."""
    DEMAND = "demand"
    """The author asks another party to undertake the term: it stands behind it as its ask."""
    PREDICTION = "prediction"
    """What the author expects of others: "I am not speaking for Fidel Castro, but ..."."""
    CONFIDENCE = "confidence"
    """What the author trusts others will do: "I am confident that other nations ... would"."""
    HOPE = "hope"
    """What the author wishes for, without standing behind it."""


COUNTING = frozenset({Modality.COMMITMENT, Modality.DEMAND})
"""Modalities in which a statement counts toward a term's status."""

MODAL_VERBS = frozenset({Verb.PROPOSE, Verb.ACCEPT, Verb.RESTATE})
"""Verbs whose acts may state something other than a commitment (see `Modality`)."""


class Extent(enum.StrEnum):
    """How far a reported performance goes."""

    BEGUN = "begun"
    COMPLETE = "complete"


PERFORMANCE = frozenset({Stance.PERFORMING, Stance.FULFILLED})
"""Stances of a party that reports performing the term: no later word takes them back."""

JUDGED = frozenset({Stance.CONTESTED, Stance.CONFIRMED})
"""Stances of a party that has judged an obligor's reported performance: it holds the term binding."""

BINDING_STANCES = frozenset({Stance.AFFIRMED}) | PERFORMANCE | JUDGED
"""Stances that bind: a party declared the term binding, acts on it, or judges its performance."""

COMMITTED = frozenset({Stance.ACCEPTED}) | BINDING_STANCES
"""Stances of a party committed to a term another party put forward (or to its own, once bound)."""

SUPPORTING = frozenset({Stance.PROPOSED}) | COMMITTED
"""Stances in which a party stands behind a term."""

REFUSING = frozenset({Stance.REJECTED, Stance.WITHDRAWN})
"""Stances of a party that refuses a term, whether another's (rejected) or its own (withdrawn)."""

WORDING_VERBS = frozenset({Verb.PROPOSE, Verb.ACCEPT, Verb.RESTATE, Verb.DISPUTE, Verb.AFFIRM})
"""Verbs whose acts may state the actor's own formulation: a wording, qualifiers, conditions."""

NAMED_STANCE: dict[Verb, Stance] = {
    Verb.PROPOSE: Stance.PROPOSED,
    Verb.ACCEPT: Stance.ACCEPTED,
    Verb.REJECT: Stance.REJECTED,
    Verb.DISPUTE: Stance.DISPUTED,
    Verb.WITHDRAW: Stance.WITHDRAWN,
    Verb.IGNORE: Stance.IGNORED,
    Verb.AFFIRM: Stance.AFFIRMED,
    Verb.CONTEST: Stance.CONTESTED,
    Verb.CONFIRM: Stance.CONFIRMED,
}
"""The stance each verb is named for, where it names one.

Restate and condition keep the actor's stance; fulfil gives performing or fulfilled by its
extent. An act can leave another stance than its name's (accepting keeps a binding stance).
"""

PUBLIC = "public"
"""The view of what had been made public; not a party."""

HISTORIAN = "historian"
"""The view of the whole record, as the historian reads it; not a party."""

VIEWS = (HISTORIAN, PUBLIC)
"""The views that are not a party's: no party may take one of these ids."""
