"""The checks as first written, kept as the reference the linear `check_timeline` must agree with.

Every state check runs on every state and the history checks rescan the moves before each
point: quadratic, and plainly right. tests/test_check_scaling.py compares the two on
generated histories.
"""

from __future__ import annotations

from collections.abc import Iterable

from negotiation.engine import Timeline
from negotiation.findings import Finding, Severity
from negotiation.history_checks import (
    dropped_qualifiers,
    irregular_acts,
    time_order,
    unverified_quotes,
)
from negotiation.invariants import _differences
from negotiation.model import Move
from negotiation.state import State
from negotiation.status import is_agreed, is_divergent, term_status
from negotiation.visibility import PUBLIC, knew
from negotiation.vocabulary import COMMITTED, REFUSING, SUPPORTING, Stance, Status

_REFUSED = frozenset({Status.REJECTED, Status.BLOCKED, Status.WITHDRAWN})


def conflicting_agreements(state: State) -> list[Finding]:
    """Errors for every pair of agreed (or binding, fulfilled) terms that conflict."""
    statuses = {t: term_status(state, t) for t in state.catalogue.by_id}
    out = []
    for t, others in state.catalogue.conflicts_with.items():
        for o in sorted(others):
            if t < o and is_agreed(state, t) and is_agreed(state, o):
                out.append(
                    Finding(
                        Severity.ERROR,
                        "conflicting-agreement",
                        f"{t!r} and {o!r} conflict, yet both are {statuses[t]}/{statuses[o]}",
                        (t, o),
                        move=state.last,
                    )
                )
    return out


def unmet_requirements(state: State) -> list[Finding]:
    """Errors for every agreed term whose required term was rejected or withdrawn."""
    out = []
    for term in state.catalogue.terms:
        if not is_agreed(state, term.id):
            continue
        status = term_status(state, term.id)
        for req in term.requires:
            req_status = term_status(state, req)
            if req_status in _REFUSED:
                out.append(
                    Finding(
                        Severity.ERROR,
                        "refused-requirement",
                        f"{term.id!r} is {status} but requires {req!r}, which is {req_status}",
                        (term.id, req),
                        move=state.last,
                    )
                )
    return out


def contradictory_stances(state: State) -> list[Finding]:
    """Errors for a party committed to two conflicting terms, or to one whose requirement it refused."""
    cat = state.catalogue
    out = []
    for party in cat.principals:
        for term in cat.terms:
            pos = state.position(term.id, party)
            if pos.stance in COMMITTED:
                for other in sorted(cat.conflicts_with[term.id]):
                    if term.id < other and state.stance(other, party) in COMMITTED:
                        out.append(
                            Finding(
                                Severity.ERROR,
                                "contradictory-stances",
                                f"{party} is committed to both {term.id!r} and {other!r}, which conflict",
                                (term.id, other),
                                (party,),
                                state.last,
                            )
                        )
            if pos.stance in SUPPORTING:
                for req in term.requires:
                    refused = state.stance(req, party)
                    if refused in REFUSING:
                        out.append(
                            Finding(
                                Severity.ERROR,
                                "contradictory-stances",
                                f"{party} stands behind {term.id!r} ({pos.stance}) but has {refused} "
                                f"{req!r}, which it requires",
                                (term.id, req),
                                (party,),
                                state.last,
                            )
                        )
    return out


def unfounded_acceptances(state: State) -> list[Finding]:
    """Errors for a party that accepted a term no other party ever stated (a mediator's formula counts)."""
    out = []
    parties = [p.id for p in state.catalogue.parties]
    for term in state.catalogue.by_id:
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


def agreed_while_disputed(state: State) -> list[Finding]:
    """Errors for a term counted as agreed while a principal disputes or rejects it."""
    out = []
    for term in state.catalogue.by_id:
        status = term_status(state, term)
        if status not in (Status.AGREED, Status.DIVERGENT, Status.BINDING):
            continue
        against = [
            p for p, pos in state.positions(term).items() if pos.stance in (Stance.DISPUTED, Stance.REJECTED)
        ]
        if against:
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


def absent_obligors(state: State) -> list[Finding]:
    """Warnings for agreed terms that oblige a party whose assent the term does not ask for."""
    assent = state.catalogue.assent
    out = []
    for term in state.catalogue.terms:
        status = term_status(state, term.id)
        absent = tuple(p for p in term.obligors if p not in assent[term.id])
        if is_agreed(state, term.id) and absent:
            out.append(
                Finding(
                    Severity.WARNING,
                    "third-party-obligor",
                    f"{term.id!r} is {status} and obliges {', '.join(absent)}, not at the table",
                    (term.id,),
                    absent,
                    state.last,
                )
            )
    return out


def refused_conditions(state: State) -> list[Finding]:
    """Warnings for agreed terms that a party made conditional on a term now rejected or withdrawn."""
    out = []
    for term in state.catalogue.by_id:
        if not is_agreed(state, term):
            continue
        status = term_status(state, term)
        for party, pos in state.positions(term).items():
            for cond in sorted(pos.formulation.conditions if pos.formulation else ()):
                cond_status = term_status(state, cond)
                if cond_status in _REFUSED:
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


def divergences(state: State) -> list[Finding]:
    """Notes for every term the principals stand behind in different formulations."""
    out = []
    for term in state.catalogue.by_id:
        if not is_divergent(state, term):
            continue
        positions = state.positions(term)
        held = {p: pos.formulation for p, pos in positions.items() if pos.supports and pos.formulation}
        out.append(
            Finding(
                Severity.NOTE,
                "divergence",
                # The walk is under test here, not the wording: the message is built as the checks build it.
                f"{term!r} ({term_status(state, term)}) is held in different formulations, "
                + _differences(held),
                (term,),
                tuple(p for p, pos in positions.items() if pos.supports),
                state.last,
            )
        )
    return out


def unchallenged_statements(state: State) -> list[Finding]:
    """Notes for statements a party received and let stand without accepting them."""
    out = []
    for term in state.catalogue.by_id:
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


def missing_consent(state: State) -> list[Finding]:
    """Warnings for a term every principal stands behind while a party its consent needs does not.

    The principals may settle between themselves what an ally not at the table must agree to
    (the Jupiter missiles in Turkey): the term stays short of agreement, and this says why.
    """
    out = []
    principals = state.catalogue.principals
    for term in state.catalogue.terms:
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


REFERENCE_STATE_CHECKS = (
    conflicting_agreements,
    unmet_requirements,
    contradictory_stances,
    agreed_while_disputed,
    unfounded_acceptances,
    absent_obligors,
    missing_consent,
    refused_conditions,
    divergences,
    unchallenged_statements,
)


def check_state(state: State) -> list[Finding]:
    """Every finding of every state check on one state."""
    return [f for check in REFERENCE_STATE_CHECKS for f in check(state)]


def knowledge_leaks(timeline: Timeline, viewers: Iterable[str] | None = None) -> list[Finding]:
    """Errors where a party's view holds a move it had not received at that point."""
    parties = list(viewers) if viewers is not None else [*timeline.initial.catalogue.party_ids, PUBLIC]
    out = []
    for viewer in sorted(parties):
        for i, view in enumerate(timeline.views(viewer)):
            now = timeline.clock(i)
            allowed = {s.move.id for s in timeline.steps[: i + 1] if knew(s.move, viewer, now)}
            leaked = sorted(set(view.moves.keys()) - allowed)
            if leaked:
                move = timeline.step_at(i).move.id
                out.append(
                    Finding(
                        Severity.ERROR,
                        "knowledge-leak",
                        f"{viewer}'s view after {move!r} holds {', '.join(leaked)}, not yet received",
                        (),
                        (viewer,),
                        move,
                    )
                )
    return out


def unaccepted_affirmations(timeline: Timeline) -> list[Finding]:
    """Warnings for an affirmation that binds terms another principal never accepted in public.

    Binding is one party's word that the deal is done; it says more than the record when the
    other side stood behind the affirmed wording only in a private channel, only in its own
    wording (the President's "firm undertakings" of 28 October bound formulations Moscow had
    put differently), or not at all. Public means known to everyone by the affirmation. One
    finding per affirming move, other party and reason, naming the terms.
    """
    out = []
    principals = timeline.initial.catalogue.principals
    public: dict[tuple[str, str], list[tuple[Move, tuple[object, ...] | None]]] = {}
    for i, s in enumerate(timeline.steps):
        now = timeline.clock(i)
        for c in s.changes:
            if c.party == s.move.author and c.after.counts:
                held = c.after.formulation.substance if c.after.formulation is not None else None
                public.setdefault((c.term, c.party), []).append((s.move, held))
        short: dict[tuple[str, str], list[str]] = {}
        for c in s.changes:
            if not (
                c.party == s.move.author
                and c.after.stance is Stance.AFFIRMED
                and c.before.stance is not Stance.AFFIRMED
                and term_status(s.state, c.term) is Status.BINDING
            ):
                continue
            wording = c.after.formulation.substance if c.after.formulation is not None else None
            for other in principals:
                if other == c.party:
                    continue
                said = [w for m, w in public.get((c.term, other), ()) if knew(m, PUBLIC, now)]
                if wording in said or (said and wording is None):
                    continue
                why = "only in its own wording" if said else "in no public move"
                short.setdefault((other, why), []).append(c.term)
        for (other, why), terms in sorted(short.items()):
            names = ", ".join(repr(t) for t in sorted(terms))
            out.append(
                Finding(
                    Severity.WARNING,
                    "unaccepted-affirmation",
                    f"{s.move.author}'s affirmation binds {names}, which {other} stood behind {why}",
                    tuple(sorted(terms)),
                    (s.move.author, other),
                    s.move.id,
                )
            )
    return out


def check_timeline(timeline: Timeline) -> list[Finding]:
    """All checks over a whole history.

    Errors and warnings of the state checks are looked for after every move and reported once,
    at the move where each first appears; notes describe the final state.
    """
    seen: set[tuple[str, tuple[str, ...], tuple[str, ...]]] = set()
    out: list[Finding] = []
    for s in timeline.steps:
        for f in check_state(s.state):
            if f.severity is not Severity.NOTE and f.key not in seen:
                seen.add(f.key)
                out.append(f)
    out += [f for f in check_state(timeline.final) if f.severity is Severity.NOTE]
    out += knowledge_leaks(timeline) + irregular_acts(timeline) + time_order(timeline)
    out += dropped_qualifiers(timeline) + unaccepted_affirmations(timeline) + unverified_quotes(timeline)
    return out
