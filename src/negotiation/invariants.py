"""Invariants and findings: plain functions that return what is wrong (or worth a note) in a state.

Each invariant takes a state (or a timeline) and returns `Finding`s naming the terms, parties
and move involved. Errors are broken invariants; warnings are legal but doubtful (a binding
term obliging a party not at the table); notes record what a historian would point out
(divergent wording, statements left unchallenged). Users call them in their own tests.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterable

from negotiation.catalogue import Catalogue
from negotiation.engine import Timeline, paused_gc
from negotiation.findings import Acknowledgement, Finding, Severity, acknowledge
from negotiation.history_checks import (
    TIMELINE_CODES,
    AffirmationWalk,
    dropped_qualifiers,
    irregular_acts,
    knowledge_leaks,
    step_dropped_qualifiers,
    step_irregularities,
    time_order,
    unaccepted_affirmations,
    unverified_quotes,
)
from negotiation.model import NO_IDS, SUBSTANCE, Formulation
from negotiation.state import EMPTY, Position, State
from negotiation.status import is_agreed, is_divergent, term_status
from negotiation.vocabulary import COMMITTED, REFUSING, SUPPORTING, Stance, Status

__all__ = [
    "NOTE_CODES",
    "STATE_INVARIANTS",
    "TIMELINE_CODES",
    "Acknowledgement",
    "Conditioned",
    "Finding",
    "Severity",
    "absent_obligors",
    "acknowledge",
    "affected",
    "agreed_while_disputed",
    "check_state",
    "check_timeline",
    "conflicting_agreements",
    "contradictory_stances",
    "divergences",
    "dropped_qualifiers",
    "irregular_acts",
    "knowledge_leaks",
    "missing_consent",
    "refused_conditions",
    "status_affected",
    "time_order",
    "unaccepted_affirmations",
    "unchallenged_statements",
    "unfounded_acceptances",
    "unmet_requirements",
    "unverified_quotes",
]


_REFUSED = frozenset({Status.REJECTED, Status.BLOCKED, Status.WITHDRAWN})

Terms = Collection[str] | None
"""The terms a state check looks at: only findings whose first term is one of them (None: all)."""


def _scope(state: State, terms: Terms) -> Iterable[str]:
    """The catalogue's term ids in declared order, or just those of `terms`, still in that order."""
    if terms is None:
        return state.catalogue.by_id
    order = state.catalogue.order
    return sorted((t for t in terms if t in order), key=order.__getitem__)


def conflicting_agreements(state: State, terms: Terms = None) -> list[Finding]:
    """Errors for every pair of agreed (or binding, fulfilled) terms that conflict."""
    conflicts = state.catalogue.conflicts_with
    out = []
    for t in _scope(state, terms):
        for o in sorted(conflicts[t]):
            if t < o and is_agreed(state, t) and is_agreed(state, o):
                out.append(
                    Finding(
                        Severity.ERROR,
                        "conflicting-agreement",
                        f"{t!r} and {o!r} conflict, yet both are "
                        f"{term_status(state, t)}/{term_status(state, o)}",
                        (t, o),
                        move=state.last,
                    )
                )
    return out


def unmet_requirements(state: State, terms: Terms = None) -> list[Finding]:
    """Errors for every agreed term whose required term was rejected or withdrawn."""
    by_id = state.catalogue.by_id
    out = []
    for t in _scope(state, terms):
        term = by_id[t]
        if not term.requires or not is_agreed(state, t):
            continue
        status = term_status(state, t)
        for req in term.requires:
            req_status = term_status(state, req)
            if req_status in _REFUSED:
                out.append(
                    Finding(
                        Severity.ERROR,
                        "refused-requirement",
                        f"{t!r} is {status} but requires {req!r}, which is {req_status}",
                        (t, req),
                        move=state.last,
                    )
                )
    return out


def contradictory_stances(state: State, terms: Terms = None) -> list[Finding]:
    """Errors for a party committed to two conflicting terms, or to one whose requirement it refused."""
    cat = state.catalogue
    scope = list(_scope(state, terms))
    out = []
    for party in cat.principals:
        for t in scope:
            pos = state.position(t, party)
            if pos.stance in COMMITTED:
                for other in sorted(cat.conflicts_with[t]):
                    if t < other and state.stance(other, party) in COMMITTED:
                        out.append(
                            Finding(
                                Severity.ERROR,
                                "contradictory-stances",
                                f"{party} is committed to both {t!r} and {other!r}, which conflict",
                                (t, other),
                                (party,),
                                state.last,
                            )
                        )
            if pos.stance in SUPPORTING:
                for req in cat.by_id[t].requires:
                    refused = state.stance(req, party)
                    if refused in REFUSING:
                        out.append(
                            Finding(
                                Severity.ERROR,
                                "contradictory-stances",
                                f"{party} stands behind {t!r} ({pos.stance}) but has {refused} "
                                f"{req!r}, which it requires",
                                (t, req),
                                (party,),
                                state.last,
                            )
                        )
    return out


def unfounded_acceptances(state: State, terms: Terms = None) -> list[Finding]:
    """Errors for a party that accepted a term no other party ever stated (a mediator's formula counts)."""
    out = []
    parties = [p.id for p in state.catalogue.parties]
    for term in _scope(state, terms):
        held = state.terms.get(term)
        if held is None:
            continue
        positions = {p: held[p] for p in parties if p in held}  # in catalogue order, not the map's
        for party, pos in positions.items():
            if pos.stance is not Stance.ACCEPTED:
                continue
            if not any(other != party and p.stance is not None for other, p in positions.items()):
                out.append(
                    Finding(
                        Severity.ERROR,
                        "unfounded-acceptance",
                        f"{party} has accepted {term!r}, which no other party has stated",
                        (term,),
                        (party,),
                        pos.move,
                    )
                )
    return out


def agreed_while_disputed(state: State, terms: Terms = None) -> list[Finding]:
    """Errors for a term counted as agreed while a principal disputes or rejects it."""
    out = []
    for term in _scope(state, terms):
        if term not in state.terms:
            continue  # nobody has spoken: unraised
        against = [
            p for p, pos in state.positions(term).items() if pos.stance in (Stance.DISPUTED, Stance.REJECTED)
        ]
        if not against:
            continue
        status = term_status(state, term)
        if status in (Status.AGREED, Status.DIVERGENT, Status.BINDING):
            out.append(
                Finding(
                    Severity.ERROR,
                    "agreed-while-disputed",
                    f"{term!r} is {status} while {', '.join(against)} disputes or rejects it",
                    (term,),
                    tuple(against),
                    state.last,
                )
            )
    return out


def absent_obligors(state: State, terms: Terms = None) -> list[Finding]:
    """Warnings for agreed terms that oblige a party whose assent the term does not ask for."""
    cat = state.catalogue
    out = []
    for t in _scope(state, terms):
        term = cat.by_id[t]
        absent = tuple(p for p in term.obligors if p not in cat.assent[t])
        if absent and is_agreed(state, t):
            out.append(
                Finding(
                    Severity.WARNING,
                    "third-party-obligor",
                    f"{t!r} is {term_status(state, t)} and obliges {', '.join(absent)}, not at the table",
                    (t,),
                    absent,
                    state.last,
                )
            )
    return out


def refused_conditions(state: State, terms: Terms = None) -> list[Finding]:
    """Warnings for agreed terms that a party made conditional on a term now rejected or withdrawn."""
    out = []
    for term in _scope(state, terms):
        if term not in state.terms or not is_agreed(state, term):
            continue
        for party, pos in state.positions(term).items():
            for cond in sorted(pos.formulation.conditions if pos.formulation else ()):
                cond_status = term_status(state, cond)
                if cond_status in _REFUSED:
                    status = term_status(state, term)
                    out.append(
                        Finding(
                            Severity.WARNING,
                            "refused-condition",
                            f"{party} holds {term!r} ({status}) conditional on {cond!r}, "
                            f"which is {cond_status}",
                            (term, cond),
                            (party,),
                            state.last,
                        )
                    )
    return out


def divergences(state: State, terms: Terms = None) -> list[Finding]:
    """Notes for every term the principals stand behind in different formulations."""
    out = []
    for term in _scope(state, terms):
        if not is_divergent(state, term):
            continue
        positions = state.positions(term)
        held = {p: pos.formulation for p, pos in positions.items() if pos.supports and pos.formulation}
        out.append(
            Finding(
                Severity.NOTE,
                "divergence",
                f"{term!r} ({term_status(state, term)}) is held in different formulations, "
                + _differences(held),
                (term,),
                tuple(p for p, pos in positions.items() if pos.supports),
                state.last,
            )
        )
    return out


def _differences(held: dict[str, Formulation]) -> str:
    """Where the formulations part, field by field, so a reader sees what differs.

    Two parties can hold one wording with different conditions or qualifiers; printing the
    two equal wordings alone would not say where they part.
    """

    def shown(f: Formulation, name: str) -> str:
        value = getattr(f, name)
        if name == "conditions":
            return ", ".join(sorted(value)) or "none"
        return "none" if value is None else repr(value)

    names = [n for n in SUBSTANCE if len({getattr(f, n) for f in held.values()}) > 1]
    parts = [
        f"{'wording' if n == 'text' else n} ({'; '.join(f'{p}: {shown(f, n)}' for p, f in held.items())})"
        for n in names
    ]
    out = "differing in " + ", ".join(parts)
    if "text" not in names and held:
        out += f", in the same wording {next(iter(held.values())).text!r}"
    return out


def unchallenged_statements(state: State, terms: Terms = None) -> list[Finding]:
    """Notes for statements a party received and let stand without accepting them."""
    out = []
    for term in _scope(state, terms):
        for party, pos in state.positions(term).items():
            if pos.stance is Stance.UNCHALLENGED:
                out.append(
                    Finding(
                        Severity.NOTE,
                        "unchallenged",
                        f"{party} left {term!r} unchallenged, which is not acceptance",
                        (term,),
                        (party,),
                        pos.move,
                    )
                )
            elif pos.tacit:
                who = ", ".join(sorted(pos.tacit))
                out.append(
                    Finding(
                        Severity.NOTE,
                        "unchallenged",
                        f"{party} ({pos.stance}) let {who}'s wording of {term!r} stand without accepting it",
                        (term,),
                        (party, *sorted(pos.tacit)),
                        pos.move,
                    )
                )
    return out


def missing_consent(state: State, terms: Terms = None) -> list[Finding]:
    """Warnings for a term every principal stands behind while a party its consent needs does not.

    The principals may settle between themselves what an ally not at the table must agree to
    (the Jupiter missiles in Turkey): the term stays short of agreement, and this says why.
    """
    out = []
    principals, by_id = state.catalogue.principals, state.catalogue.by_id
    for t in _scope(state, terms):
        term = by_id[t]
        if not term.consent:
            continue
        positions = state.positions(term.id)
        if not all(positions[p].counts for p in principals):
            continue
        missing = tuple(p for p in term.consent if not positions[p].counts)
        if missing:
            out.append(
                Finding(
                    Severity.WARNING,
                    "missing-consent",
                    f"every principal stands behind {term.id!r}, which needs the consent of "
                    f"{', '.join(missing)}, not given",
                    (term.id,),
                    missing,
                    state.last,
                )
            )
    return out


StateCheck = Callable[[State, Terms], list[Finding]]

STATE_INVARIANTS: dict[str, StateCheck] = {
    "conflicting-agreement": conflicting_agreements,
    "refused-requirement": unmet_requirements,
    "contradictory-stances": contradictory_stances,
    "agreed-while-disputed": agreed_while_disputed,
    "unfounded-acceptance": unfounded_acceptances,
    "third-party-obligor": absent_obligors,
    "missing-consent": missing_consent,
    "refused-condition": refused_conditions,
    "divergence": divergences,
    "unchallenged": unchallenged_statements,
}
"""Every state check by the code its findings carry."""

NOTE_CODES = frozenset({"divergence", "unchallenged"})
"""The state checks whose findings are notes: they describe the final state, not every step."""


def check_state(state: State, terms: Terms = None) -> list[Finding]:
    """Every finding of every state check on one state (with `terms`: those whose first term is one)."""
    return [f for check in STATE_INVARIANTS.values() for f in check(state, terms)]


def check_timeline(timeline: Timeline) -> list[Finding]:
    """All checks over a whole history, in one walk over its steps.

    Errors and warnings of the state checks are looked for after every move and reported once,
    at the move where each first appears; notes describe the final state. After the first move
    only the terms a move could have changed a finding on are looked at again (`affected`), so
    the walk costs what the moves touch, not moves times terms.
    """
    catalogue = timeline.initial.catalogue
    counted = [check for code, check in STATE_INVARIANTS.items() if code not in NOTE_CODES]
    conditioned = Conditioned(timeline.initial)
    affirmations = AffirmationWalk(catalogue.principals)
    with paused_gc():  # the walk makes and drops states by the thousand, none of them cyclic
        return _walk(timeline, counted, conditioned, affirmations)


def _walk(
    timeline: Timeline, counted: list[StateCheck], conditioned: Conditioned, affirmations: AffirmationWalk
) -> list[Finding]:
    catalogue = timeline.initial.catalogue
    seen: set[tuple[str, tuple[str, ...], tuple[str, ...]]] = set()
    found: list[Finding] = []
    irregular: list[Finding] = []
    dropped: list[Finding] = []
    affirmed: list[Finding] = []
    for i, (s, now) in enumerate(zip(timeline, timeline.clocks, strict=True)):
        changed = {c.term for c in s.changes}
        for c in s.changes:
            conditioned.update(c.term, c.before, c.after)
        scope = None if i == 0 else affected(catalogue, changed, conditioned)
        if scope is None or scope:
            for check in counted:
                for f in check(s.state, scope):
                    if f.severity is not Severity.NOTE and f.key not in seen:
                        seen.add(f.key)
                        found.append(f)
        irregular += step_irregularities(s)
        dropped += step_dropped_qualifiers(s)
        affirmed += affirmations.step(s, now)
    found += [f for f in check_state(timeline.final) if f.severity is Severity.NOTE]
    found += knowledge_leaks(timeline) + irregular + time_order(timeline)
    return found + dropped + affirmed + unverified_quotes(timeline)


class Conditioned:
    """For each term, the terms some position now holds conditional on it, kept up to date move by move.

    Counted per position, so a condition a party drops stops linking the two terms: an index
    that only grew would make every term, late in a long history, depend on most others.
    """

    def __init__(self, state: State) -> None:
        self.held: dict[str, Counter[str]] = {}
        for term, positions in state.terms.items():
            for pos in positions.values():
                self.update(term, EMPTY, pos)

    def update(self, term: str, before: Position, after: Position) -> None:
        """Account for one position on the term changing from `before` to `after`."""
        old = before.formulation.conditions if before.formulation is not None else NO_IDS
        new = after.formulation.conditions if after.formulation is not None else NO_IDS
        if old is new:
            return
        for cond in old - new:
            held = self.held[cond]
            held[term] -= 1
            if not held[term]:
                del held[term]
        for cond in new - old:
            self.held.setdefault(cond, Counter())[term] += 1

    def get(self, term: str) -> Iterable[str]:
        """The terms held conditional on `term` now."""
        held = self.held.get(term)
        return held.keys() if held else ()


def status_affected(catalogue: Catalogue, changed: Iterable[str], conditioned: Conditioned) -> set[str]:
    """The terms whose status may have moved when the positions on `changed` did.

    A term's status reads its own positions, those of the terms replacing it and those of its
    conditions: so the changed terms, the terms they replace, and those held conditional on them.
    """
    status = set(changed)
    for t in list(status):
        status.update(catalogue.by_id[t].replaces)
        status.update(conditioned.get(t))
    return status


def affected(catalogue: Catalogue, changed: Collection[str], conditioned: Conditioned) -> set[str]:
    """The terms on which a finding may have appeared when the positions on `changed` moved.

    A finding reads the status (`status_affected`) or positions of its terms, and is looked up
    by its first term: the term itself, the other of a conflicting pair, a term requiring it,
    or one held conditional on it (`conditioned`, after the move).
    """
    conflicts, required_by = catalogue.conflicts_with, catalogue.required_by
    status = status_affected(catalogue, changed, conditioned)
    scope = set(status)
    for t in changed:
        scope.update(conflicts[t])
    for t in status:
        scope.update(required_by[t])
        scope.update(conditioned.get(t))
    return scope
