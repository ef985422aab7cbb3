"""A history as PLOVER event data: one JSON record per act, with its CAMEO code beside it.

Political scientists code diplomatic events in PLOVER (the successor of CAMEO) and read
them as JSON lines. The fields follow the PLOVER manual's "Data Fields" chapter (`id`,
`date`, `time`, `actor`, `recipient`, `event`, `mode`, `context`, `event_text`, `text`,
`cite_info`, `link`, `comment`); `link` carries the term id, so event data can be joined back
to the negotiation's state, and a `negotiation` object keeps what PLOVER has no field for.
The mapping is lossy by nature: see docs/plover.md.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import attrs

from negotiation.engine import Timeline
from negotiation.io.scenario import Scenario
from negotiation.model import Act, Move, When
from negotiation.vocabulary import Extent, Modality, Verb

__all__ = ["CODES", "Code", "plover_lines", "plover_records", "unmapped_acts"]


@attrs.frozen
class Code:
    """The PLOVER event (and mode) and the CAMEO code an act of one verb is written as."""

    event: str
    cameo: str
    mode: str | None = None
    note: str | None = None
    """What the code does not say, written into the record's comment."""


CODES: dict[Verb, Code | None] = {
    Verb.PROPOSE: Code("AGREE", "03", note="an offer: PLOVER's AGREE is also 'offer, promise'"),
    Verb.ACCEPT: Code("AGREE", "03"),
    Verb.RESTATE: Code("AGREE", "03", note="a restatement: the new wording is in text"),
    Verb.CONDITION: Code("AGREE", "03", note="made conditional on the terms in negotiation.conditions"),
    Verb.RELEASE: Code("AGREE", "03", note="drops the conditions in negotiation.conditions"),
    Verb.AFFIRM: Code("SUPPORT", "057", note="declared binding"),
    Verb.REJECT: Code("REJECT", "12"),
    Verb.WITHDRAW: Code("REJECT", "12", note="withdraws the author's own proposal or acceptance"),
    Verb.DISPUTE: Code("ACCUSE", "11", mode="disapprove", note="disputes the other side's statement"),
    Verb.FULFIL: Code("COOPERATE", "06", note="reports performing the term"),
    Verb.CONTEST: Code("ACCUSE", "11", mode="allege", note="contests an obligor's reported performance"),
    Verb.CONFIRM: Code("SUPPORT", "05", note="confirms an obligor's reported performance"),
    Verb.IGNORE: None,
}
"""Each verb's code; `ignore` has none (PLOVER drops CAMEO's 01-02 commentary) and is not written."""

_DEMAND = Code("REQUEST", "10", note="a demand: the author asks the other side to undertake the term")


def unmapped_acts(timeline: Timeline) -> list[tuple[str, int]]:
    """The (move id, act index) of every act PLOVER has no event for, in replay order."""
    return [
        (move.id, j) for move in timeline.moves for j, act in enumerate(move.acts) if CODES[act.verb] is None
    ]


def plover_records(scenario: Scenario, timeline: Timeline) -> Iterator[dict[str, object]]:
    """A PLOVER record for every act that has an event, in replay order."""
    names = {p.id: p.name for p in scenario.catalogue.parties}
    titles = {t.id: t.title or t.text for t in scenario.catalogue.terms}
    for i, move in enumerate(timeline.moves):
        when, inferred = move.sent, False
        if when is None:
            when, inferred = timeline.clock(i), True
        for j, act in enumerate(move.acts):
            code = CODES[act.verb]
            if code is None:
                continue
            if act.modality is Modality.DEMAND:
                code = _DEMAND
            yield _record(scenario.id, move, j, act, code, when, inferred, names, titles)


def plover_lines(scenario: Scenario, timeline: Timeline) -> Iterator[str]:
    """The records as JSON lines (JSONL), one per act, made as they are written."""
    for record in plover_records(scenario, timeline):
        yield json.dumps(record, ensure_ascii=False) + "\n"


def _entity(party: str, names: dict[str, str]) -> dict[str, str]:
    name = names.get(party, "")
    return {"code": party, "actorText": name} if name else {"code": party}


def _record(
    scenario: str,
    move: Move,
    j: int,
    act: Act,
    code: Code,
    when: When | None,
    inferred: bool,
    names: dict[str, str],
    titles: dict[str, str],
) -> dict[str, object]:
    target = titles.get(act.term, act.term) if act.term is not None else f"move {act.move}"
    record: dict[str, object] = {"id": f"{scenario}-{move.id}-{j}"}
    record["date"] = when.day.isoformat() if when is not None else None
    if when is not None and when.at is not None:
        record["time"] = when.at.timetz().isoformat(timespec="minutes")
    record["actor"] = [_entity(move.author, names)]
    if move.addressees:
        record["recipient"] = [_entity(p, names) for p in move.addressees]
    record["event"] = [code.event]
    if code.mode is not None:
        record["mode"] = [code.mode]
    record["context"] = ["diplomatic", *_contexts(act)]
    record["event_text"] = f"{move.author} {act.verb} {target}"
    said = act.quote or act.wording
    if said is not None:
        record["text"] = said
    if move.source is not None:
        record["cite_info"] = move.source
    record["link"] = act.term if act.term is not None else f"move:{act.move}"
    record["cameo"] = code.cameo
    record["comment"] = "; ".join(_comment(move, act, code, when, inferred))
    record["negotiation"] = {
        "scenario": scenario,
        "move": move.id,
        "act": j,
        "verb": str(act.verb),
        "channel": str(move.channel),
        "modality": str(act.modality),
        **({"term": act.term} if act.term is not None else {"move_named": act.move}),
        **({"conditions": list(act.conditions)} if act.conditions else {}),
        **({"extent": str(act.extent)} if act.extent is not None else {}),
    }
    return record


def _contexts(act: Act) -> list[str]:
    """PLOVER's auxiliary modes for what an act is not: a firm, present commitment."""
    out = []
    if act.modality in (Modality.PREDICTION, Modality.CONFIDENCE):
        out.append("future")
    if act.modality is Modality.HOPE or act.verb is Verb.CONDITION or act.conditions:
        out.append("hypothetical")
    return out


def _comment(move: Move, act: Act, code: Code, when: When | None, inferred: bool) -> Iterator[str]:
    yield f"{move.channel} move"
    if code.note:
        yield code.note
    if act.verb is Verb.FULFIL and act.extent is Extent.BEGUN:
        yield "performance begun, not complete"
    if act.modality not in (Modality.COMMITMENT, Modality.DEMAND):
        yield f"a {act.modality}, not a commitment"
    if act.confidentiality is not None:
        yield f"confidentiality: {act.confidentiality}"
    if act.irregular is not None:
        yield f"irregular in the record: {act.irregular}"
    if inferred:
        yield "undated move: the date is the record's last before it" if when else "undated move"
