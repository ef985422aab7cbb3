"""The page's data for its script: moves, acts and each view's changes, as one JSON block."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from negotiation.model import QUALIFIERS, Formulation, Move
from negotiation.render.palette import STANCE_STATUS, STATUS_CODES
from negotiation.render.report.lanes import Block
from negotiation.render.report.markup import STANCES
from negotiation.vocabulary import COUNTING, HISTORIAN, Modality, Stance, Status

__all__ = ["data_script"]


def _act_json(act: Any, terms: dict[str, int]) -> dict[str, Any]:
    out: dict[str, Any] = {"v": str(act.verb)}
    if act.term is not None:
        out["t"] = terms.get(act.term, -1)
        out["tn"] = act.term
    if act.move is not None:
        out["m"] = act.move
    for key, name in (("wording", "w"), ("quote", "q"), ("note", "n"), ("irregular", "i")):
        value = getattr(act, key)
        if value:
            out[name] = value
    qualifiers = {q: getattr(act, q) for q in QUALIFIERS if getattr(act, q)}
    if qualifiers:
        out["x"] = qualifiers
    if act.conditions:
        out["c"] = list(act.conditions)
    if act.extent is not None:
        out["e"] = str(act.extent)
    if act.quote and act.verified is not None:
        out["vf"] = act.verified
    if act.modality not in COUNTING:  # a prediction, a statement of confidence or a hope
        out["md"] = str(act.modality)
    return out


def _move_json(move: Move, terms: dict[str, int]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": move.id,
        "by": move.author,
        "to": list(move.addressees),
        "ch": str(move.channel),
        "at": str(move.sent) if move.sent else "",
        "acts": [_act_json(a, terms) for a in move.acts],
    }
    for key, value in (("title", move.title), ("src", move.source), ("note", move.note)):
        if value:
            out[key] = value
    return out


def _stance_index(stance: Stance | None) -> int:
    return STANCES.index(stance) if stance is not None else -1


def _block_json(block: Block, terms: Sequence[str]) -> dict[str, Any]:
    index = {t: i for i, t in enumerate(terms)}
    parties = list(block.parties)
    views: dict[str, Any] = {}
    for viewer, view in block.views.items():
        changes = [
            [
                [index[t], parties.index(p), _stance_index(b), _stance_index(a), cause]
                for t, p, b, a, cause in frame
                if t in index and p in parties
            ]
            for frame in view.changes
        ]
        views[viewer] = {"known": "".join("1" if k else "0" for k in view.known), "changes": changes}
    return {
        "label": block.label,
        "parties": parties,
        "moves": [_move_json(m, index) for m in block.moves],
        "views": views,
    }


def _memo_json(block: Block) -> dict[str, Any]:
    """What the page's script needs to draw the memo after any move of the block, view by view.

    Per view, the moves that changed memo rows and those rows (status, divergence, the fields
    that differ, the positions that moved); formulations are listed once and named by index.
    """
    cat = block.timeline.initial.catalogue
    parties = {p.id: i for i, p in enumerate(cat.parties)}
    forms: dict[Formulation, int] = {}

    def form(f: Formulation | None) -> int:
        if f is None:
            return -1
        return forms.setdefault(f, len(forms))

    views: dict[str, Any] = {}
    for viewer, view in block.views.items():
        steps = []
        for k, rows in enumerate(view.memo):
            if rows:
                steps.append(
                    [
                        k,
                        [
                            [
                                cat.order[r.term],
                                STATUS_CODES[r.status],
                                int(r.divergent),
                                sorted(r.differs),
                                [
                                    [
                                        parties[p],
                                        _stance_index(pos.stance),
                                        form(pos.formulation),
                                        sorted(pos.tacit),
                                        "" if pos.modality is Modality.COMMITMENT else str(pos.modality),
                                    ]
                                    for p, pos in r.positions
                                ],
                            ]
                            for r in rows
                        ],
                    ]
                )
        views[viewer] = steps
    return {
        "parties": list(parties),
        "terms": [
            [t.id, t.title, list(t.obligors), [parties[p] for p in cat.assent[t.id]]] for t in cat.terms
        ],
        "forms": [
            [" ".join(f.text.split()), f.qualifiers(), " ".join(f.quote.split()) if f.quote else None, f.move]
            for f in forms
        ],
        "stanceStatus": [STATUS_CODES[STANCE_STATUS[s]] for s in STANCES],
        "divergentCode": STATUS_CODES[Status.DIVERGENT],
        "unraisedCode": STATUS_CODES[Status.UNRAISED],
        "moves": [m.id for m in block.moves],
        "views": views,
    }


def data_script(tables: dict[str, tuple[Sequence[str], Sequence[Block]]], memo: Block | None = None) -> str:
    """The moves, acts and every view's changes as a JSON block the page's script reads.

    `memo` adds the block's memo rows move by move (see `_memo_json`).
    """
    doc = {
        "historian": HISTORIAN,
        "stances": [str(s) for s in STANCES],
        "statuses": {code: str(s) for s, code in STATUS_CODES.items()},
        "tables": {
            key: {"terms": list(terms), "blocks": {b.key: _block_json(b, terms) for b in blocks}}
            for key, (terms, blocks) in tables.items()
        },
        **({"memo": _memo_json(memo)} if memo is not None else {}),
    }
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    # A script element ends at the first "</"; escape what could end or confuse it.
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/json" class="ngr-data">{text}</script>'
