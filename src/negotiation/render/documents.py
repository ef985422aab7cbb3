"""JSON-ready documents of replays, comparisons, folders and checks (see the README for the contract).

Plain dicts and lists of strings, numbers and booleans, built from the same frames and views
as the text; the command line serialises them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from negotiation.analysis import Outcome, TermView, TimelineDiff, memo, outcome
from negotiation.engine import Timeline
from negotiation.errors import NegotiationError
from negotiation.findings import Severity
from negotiation.io.check import CheckReport
from negotiation.io.folder import TreeEntry
from negotiation.io.scenario import Scenario
from negotiation.model import Formulation
from negotiation.render.frames import frames
from negotiation.state import Position
from negotiation.vocabulary import HISTORIAN

__all__ = ["check_document", "diff_json", "replay_json", "tree_json"]


def _formulation_json(f: Formulation | None) -> dict[str, Any] | None:
    if f is None:
        return None
    return {
        "text": f.text,
        **f.qualifiers(),
        "conditions": sorted(f.conditions),
        "quote": f.quote,
        "move": f.move,
    }


def _term_json(view: TermView, principals: Sequence[str]) -> dict[str, Any]:
    """A term's row: the principals' positions, keyed by the document's `parties`, then `consent`."""
    sides = {p: view.positions[p] for p in principals}
    return {
        "status": str(view.status),
        "divergent": view.divergent,
        "stances": {p: _stance(pos) for p, pos in sides.items()},
        "formulations": {p: (pos.formulation.text if pos.formulation else None) for p, pos in sides.items()},
        "conditions": {
            p: (sorted(pos.formulation.conditions) if pos.formulation else []) for p, pos in sides.items()
        },
        "unchallenged": {p: sorted(pos.tacit) for p, pos in sides.items()},
        "modalities": {
            p: (str(pos.modality) if pos.stance is not None else None) for p, pos in sides.items()
        },
        "details": {p: _formulation_json(pos.formulation) for p, pos in sides.items()},
        "consent": {p: _stance(pos) for p, pos in view.positions.items() if p not in sides},
    }


def replay_json(
    scenario: Scenario, timeline: Timeline, *, viewer: str = HISTORIAN, at: str | None = None
) -> dict[str, Any]:
    """The replay as a JSON-ready document (see the README for the contract)."""
    cat = scenario.catalogue
    steps = []
    for f in frames(timeline, viewer=viewer, at=at):
        steps.append(
            {
                "move": f.move.id,
                "author": f.move.author,
                "addressees": list(f.move.addressees),
                "channel": str(f.move.channel),
                "sent": str(f.move.sent) if f.move.sent else None,
                "known": f.known,
                "changes": [
                    {"term": t, "party": p, "before": _stance(b), "after": _stance(a), "cause": cause}
                    for t, p, b, a, cause in f.changes
                ],
                "notes": [
                    {"act": n.act_index, "rule": n.rule, "problem": n.problem, "reason": n.reason}
                    for n in f.notes
                ],
                "terms": {v.term: _term_json(v, cat.principals) for v in memo(f.state, raised_only=False)},
            }
        )
    return {
        "scenario": scenario.id,
        "title": scenario.title,
        "viewer": viewer,
        "parties": list(cat.principals),
        "third_parties": [p.id for p in cat.parties if p.id not in cat.principals],
        "steps": steps,
    }


def _stance(pos: Position) -> str | None:
    return str(pos.stance) if pos.stance else None


def _view_json(view: TermView | None) -> dict[str, Any] | None:
    if view is None:
        return None
    return {
        "status": str(view.status),
        "divergent": view.divergent,
        "stances": {p: _stance(pos) for p, pos in view.positions.items()},
    }


def diff_json(a: Scenario, b: Scenario, d: TimelineDiff) -> dict[str, Any]:
    """The comparison of two histories as a JSON-ready document."""
    doc: dict[str, Any] = {
        "a": {"scenario": a.id, "file": a.path},
        "b": {"scenario": b.id, "file": b.path},
        "last_common_move": d.common,
        "first_difference": {"a": d.first_a, "b": d.first_b},
        "at": d.at,
        "terms": {t.term: {"a": _view_json(t.a), "b": _view_json(t.b)} for t in d.terms},
    }
    if d.at is None:
        for key, s in (("a", a), ("b", b)):
            o = outcome(s.replay().final)
            doc[key]["outcome"] = _outcome_json(o)
    return doc


def tree_json(folder: Path, entries: Sequence[TreeEntry]) -> list[dict[str, Any]]:
    """The scenarios of a folder with their bases and outcomes, as JSON-ready records."""
    folder = folder.resolve()
    out = []
    for e in entries:
        rec: dict[str, Any] = {"file": e.file.relative_to(folder).as_posix(), "error": e.error}
        if e.scenario is not None:
            s = e.scenario
            base = e.base
            rec.update(
                scenario=s.id,
                base=base.relative_to(folder).as_posix() if base and base.is_relative_to(folder) else None,
                fork_after=s.fork_after,
                drop=list(s.drop),
                own_moves=[m.id for m in s.own_moves],
            )
            try:
                o = outcome(s.replay().final)
                rec["outcome"] = _outcome_json(o)
            except NegotiationError as err:
                rec["error"] = str(err)
        out.append(rec)
    return out


def check_document(report: CheckReport, shown: Sequence[Severity] = tuple(Severity)) -> dict[str, Any]:
    """A file's check report as JSON-ready data, with the findings of the severities shown."""
    if report.unreadable is not None:
        return {"file": report.file, "error": report.unreadable}
    return {
        "file": report.file,
        "counts": {str(s): n for s, n in report.counts().items()},
        "findings": [
            {
                "severity": str(f.severity),
                "code": f.code,
                "message": f.message,
                "move": f.move,
                "terms": list(f.terms),
                "parties": list(f.parties),
                "acknowledged": f.acknowledged,
            }
            for f in report.findings
            if f.severity in shown
        ],
    }


def _outcome_json(o: Outcome) -> dict[str, Any]:
    return {"verdict": str(o.verdict), "summary": o.summary(), "agreed": list(o.agreed)}
