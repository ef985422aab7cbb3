"""JSON-ready documents of replays, comparisons, folders and checks (see the README for the contract).

Plain dicts and lists of strings, numbers and booleans, built from the same frames and views
as the text; the command line serialises them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from negotiation.analysis import Outcome, TermView, TimelineDiff, memo, outcome, term_view
from negotiation.engine import Timeline
from negotiation.errors import NegotiationError
from negotiation.findings import Severity
from negotiation.io.check import CheckReport
from negotiation.io.folder import TreeEntry
from negotiation.io.scenario import Scenario
from negotiation.model import Formulation
from negotiation.render.frames import Frame, StatusChanges, frames, iter_frames
from negotiation.state import Position, State
from negotiation.status import status_reads
from negotiation.vocabulary import HISTORIAN

__all__ = ["check_document", "diff_json", "replay_json", "replay_json_chunks", "tree_json"]


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
    steps = [
        {
            **_step_json(f),
            "terms": {v.term: _term_json(v, cat.principals) for v in memo(f.state, raised_only=False)},
        }
        for f in frames(timeline, viewer=viewer, at=at)
    ]
    return {**_replay_head(scenario, viewer), "steps": steps}


def _replay_head(scenario: Scenario, viewer: str) -> dict[str, Any]:
    cat = scenario.catalogue
    return {
        "scenario": scenario.id,
        "title": scenario.title,
        "viewer": viewer,
        "parties": list(cat.principals),
        "third_parties": [p.id for p in cat.parties if p.id not in cat.principals],
    }


def _step_json(f: Frame) -> dict[str, Any]:
    """A step's own fields: the move, whether the viewer knew it, what it changed and broke."""
    return {
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
            {"act": n.act_index, "rule": n.rule, "problem": n.problem, "reason": n.reason} for n in f.notes
        ],
    }


def _dumps(value: object, depth: int) -> str:
    """`value` as `json.dumps(..., indent=1)` writes it `depth` levels down in a document.

    Written here rather than by the indenting encoder: that one is pure Python, many times
    slower than the compiled one used for each scalar here, and each call leaves a cycle of
    closures that only the cyclic collector frees (the command line runs without it).
    """
    if isinstance(value, dict):
        if not value:
            return "{}"
        pad = "\n" + " " * (depth + 1)
        items = ",".join(f"{pad}{_SCALAR(k)}: {_dumps(v, depth + 1)}" for k, v in value.items())
        return "{" + items + "\n" + " " * depth + "}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        pad = "\n" + " " * (depth + 1)
        return "[" + ",".join(f"{pad}{_dumps(v, depth + 1)}" for v in value) + "\n" + " " * depth + "]"
    return _SCALAR(value)


_SCALAR = json.JSONEncoder(ensure_ascii=False).encode
"""A string, number, boolean or None as JSON, by the compiled encoder."""


class _TermEntries:
    """Each term's JSON entry, written once and reused while its positions and those it reads are the same.

    A term's row reads its own positions, those of the terms replacing it and those of its
    conditions; persistent maps keep an unchanged term's positions as the same object from
    state to state, so an identity test tells when the written entry still holds.
    """

    def __init__(self, scenario: Scenario, depth: int) -> None:
        self.cat = scenario.catalogue
        self.depth = depth
        self.written: dict[str, tuple[tuple[object, ...], str]] = {}

    def entry(self, state: State, term: str) -> str:
        reads = status_reads(state, term)  # the row shows the status and the term's own positions
        kept = self.written.get(term)
        if kept is not None and kept[0] == reads:  # the same maps compare by identity first
            return kept[1]
        text = _dumps(_term_json(term_view(state, term), self.cat.principals), self.depth)
        self.written[term] = (reads, text)
        return text

    def terms(self, state: State, indent: int) -> str:
        """The `terms` map of the state, `indent` spaces in (its entries one deeper)."""
        if not self.cat.terms:
            return "{}"
        pad = "\n" + " " * (indent + 1)
        body = ",".join(
            f"{pad}{json.dumps(t, ensure_ascii=False)}: {self.entry(state, t)}" for t in self.cat.by_id
        )
        return "{" + body + "\n" + " " * indent + "}"


def replay_json_chunks(
    scenario: Scenario,
    timeline: Timeline,
    *,
    viewer: str = HISTORIAN,
    at: str | None = None,
    compact: bool = False,
) -> Iterator[str]:
    """The replay document as text, a step at a time, as `json.dumps(replay_json(...), indent=1)` writes it.

    Nothing is held but the step being written, and a term's entry is written again only when
    what it shows may have changed. `compact` leaves the terms out of the steps (which then
    say which statuses changed) and adds the state after the last step shown, so the document
    grows with the moves, not with moves times terms.
    """
    fs = iter_frames(timeline, viewer=viewer, at=at)  # an unknown move or viewer raises before any text
    yield "{"
    for key, value in _replay_head(scenario, viewer).items():
        yield f"\n {json.dumps(key)}: {_dumps(value, 1)},"
    yield '\n "steps": ['
    entries = _TermEntries(scenario, 4)
    statuses = StatusChanges(timeline.initial)
    last: Frame | None = None
    for f in fs:
        fields = _step_json(f)
        if compact:
            fields["statuses"] = {t: {"before": str(o), "after": str(n)} for t, o, n in statuses.step(f)}
        body = ",".join(f"\n   {json.dumps(k)}: {_dumps(v, 3)}" for k, v in fields.items())
        if not compact:
            body += f',\n   "terms": {entries.terms(f.state, 3)}'
        yield ("\n  {" if last is None else ",\n  {") + body + "\n  }"
        last = f
    yield "\n ]" if last is not None else "]"
    if compact:
        state = last.state if last is not None else timeline.initial
        after = json.dumps(last.move.id if last is not None else None)
        final = _TermEntries(scenario, 3).terms(state, 2)
        yield f',\n "state": {{\n  "after": {after},\n  "terms": {final}\n }}'
    yield "\n}\n"


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
