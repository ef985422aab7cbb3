"""The HTML report: a negotiation's timeline, memo table and term graph in one page that works offline.

Pure: every function returns a string and the caller writes it. Text from scenario files is
escaped; the same input gives the same bytes. The page's style and script ship beside this
module (`report.css`, `report.js`) and are inlined, so the file needs nothing else.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Sequence
from functools import cache
from importlib import resources
from typing import Any

import attrs

from negotiation.analysis import TermView, diff, memo, outcome
from negotiation.engine import Timeline
from negotiation.errors import NegotiationError, suggest
from negotiation.graphs import layered_layout, term_graph
from negotiation.model import Catalogue, Move, Stance, Status, When
from negotiation.palette import (
    CHANNEL_COLOURS,
    EDGE_COLOURS,
    STANCE_STATUS,
    STATUS_CODES,
    STATUS_COLOURS,
    STATUS_MEANINGS,
    party_colour,
    text_colour,
)
from negotiation.render import Frame, frames
from negotiation.scenario import Scenario
from negotiation.state import Position, State
from negotiation.status import is_divergent, term_status
from negotiation.visibility import PUBLIC

__all__ = ["HISTORIAN", "report_html", "state_html", "timeline_html", "viewers"]

HISTORIAN = ""
"""The key of the historian's view (the whole record); no party id can be empty."""

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_STANCES = list(Stance)
_QUALIFIERS = ("scope", "verification", "timing", "confidentiality")


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


@cache
def _asset(name: str) -> str:
    return (resources.files("negotiation") / name).read_text(encoding="utf-8")


def _status_css() -> str:
    rules = []
    for status, colour in STATUS_COLOURS.items():
        code, ink = STATUS_CODES[status], text_colour(colour)
        rules.append(f".ngr .s-{code}{{background-color:{colour};color:{ink}}}")
        rules.append(
            f".ngr .s-{code.upper()}{{background:repeating-linear-gradient(135deg,{colour} 0 5px,"
            f"{STATUS_COLOURS[Status.DIVERGENT]} 5px 7px);color:{ink}}}"
        )
        rules.append(f".ngr svg .s-{code} rect,.ngr svg .s-{code.upper()} rect{{fill:{colour}}}")
        rules.append(f".ngr svg .s-{code} text,.ngr svg .s-{code.upper()} text{{fill:{ink}}}")
    for channel, colour in CHANNEL_COLOURS.items():
        rules.append(f".ngr .lanes th.c-{channel}{{border-top-color:{colour}}}")
    return "\n".join(rules)


def _css() -> str:
    return _asset("report.css") + _status_css() + "\n"


# -- what each viewer saw --------------------------------------------------------------------


def viewers(timeline: Timeline) -> list[str]:
    """The views a report offers: the historian (""), each principal, addressed third parties, public."""
    cat = timeline.initial.catalogue
    addressed = {a for m in timeline.moves for a in m.addressees}
    third = [p.id for p in cat.parties if p.id not in cat.principals and p.id in addressed]
    return [HISTORIAN, *cat.principals, *third, PUBLIC]


def _view_label(viewer: str) -> str:
    return "historian" if viewer == HISTORIAN else viewer


def _view_note(viewer: str) -> str:
    if viewer == HISTORIAN:
        return "The historian's view: every move of the record, as it happened."
    if viewer == PUBLIC:
        return "What the public knew: public statements and whatever was published, on the dates known."
    return (
        f"What {viewer} knew: the moves it sent, and the moves it received once received; "
        "a move it did not yet have changes nothing until it arrives."
    )


def _code(state: State, term: str) -> str:
    status = term_status(state, term)
    code = STATUS_CODES[status]
    if status is not Status.DIVERGENT and is_divergent(state, term):
        return code.upper()
    return code


@attrs.frozen
class _View:
    """One viewer's frames of a run of moves, and each lane as the points where it changes.

    `points[term]` lists (column, status code) where the term's status after a move differs
    from the column before, starting at column 0; `touched[term]` the columns of the moves that
    changed a position on the term or acted on it.
    """

    viewer: str
    frames: tuple[Frame, ...]
    points: dict[str, list[tuple[int, str]]]
    touched: dict[str, list[int]]


def _view(timeline: Timeline, viewer: str, terms: Sequence[str], start: int) -> _View:
    fs = tuple(frames(timeline, viewer=viewer or None)[start:])
    catalogue = timeline.initial.catalogue.by_id
    points: dict[str, list[tuple[int, str]]] = {}
    touched: dict[str, list[int]] = {t: [] for t in terms}
    if not fs:
        return _View(viewer, fs, {t: [] for t in terms}, touched)
    for term in terms:
        points[term] = [(0, _code(fs[0].state, term) if term in catalogue else "x")]
    for k, f in enumerate(fs):
        # Every change of position is in the frame's changes, and a status depends on the
        # positions alone: only the terms named there can change colour.
        changed = {c[0] for c in f.changes}
        for term in changed | (f.move.terms if f.known else frozenset()):
            if term in touched:
                touched[term].append(k)
        if k == 0:
            continue
        for term in changed:
            if term in points and (code := _code(f.state, term)) != points[term][-1][1]:
                points[term].append((k, code))
    return _View(viewer, fs, points, touched)


# -- the timeline ---------------------------------------------------------------------------


def _day(when: When | None) -> str:
    if when is None:
        return ""
    return f"{when.day.day} {_MONTHS[when.day.month - 1]}"


def _move_title(move: Move) -> str:
    to = ", ".join(move.addressees) or "all"
    when = str(move.sent) if move.sent else "date unknown"
    title = f": {move.title}" if move.title else ""
    return f"{move.id} · {when} · {move.author} → {to} · {move.channel}{title}"


def _head_cells(block: str, moves: Sequence[Move], offset: int, *, wide: bool) -> str:
    """A column head per move: its date and author (wide: time of day and addressees too)."""
    cells = []
    for i, move in enumerate(moves):
        day = _day(move.sent) or f"#{offset + i + 1}"
        if wide:
            at = move.sent.at if move.sent is not None else None
            when = f"{day} {at:%H:%M}" if at is not None else day
            who = f"{move.author} → {', '.join(move.addressees) or 'all'}"
            label = f'<span class="v">{_e(when)}</span><span class="v">{_e(who)}</span>'
        else:
            label = f'<span class="v">{_e(day)} {_e(move.author)}</span>'
        cells.append(
            f'<th class="m c-{move.channel}" data-b="{block}" data-i="{i}" title="{_e(_move_title(move))}">'
            f"{label}</th>"
        )
    return "".join(cells)


def _segments(points: Sequence[tuple[int, str]], touched: Sequence[int], n: int) -> str:
    """A lane's cells: one per run of equal status, and one for each move that touched the term."""
    cuts = sorted({p for p, _ in points} | set(touched) | {t + 1 for t in touched if t + 1 < n})
    code_at = dict(points)
    marked = set(touched)
    out = []
    code = "u"
    for i, first in enumerate(cuts):
        code = code_at.get(first, code)
        span = (cuts[i + 1] if i + 1 < len(cuts) else n) - first
        cls = f"s-{code}" + (" t" if first in marked else "")
        out.append(f'<td class="{cls}"' + (f" colspan={span}" if span > 1 else "") + "></td>")
    return "".join(out)


def _known_cells(view: _View) -> str:
    marks = ["k" if f.known else "q" for f in view.frames]
    out = []
    i = 0
    while i < len(marks):
        j = i + 1
        while j < len(marks) and marks[j] == marks[i]:
            j += 1
        span = f" colspan={j - i}" if j - i > 1 else ""
        out.append(f'<td class="{marks[i]}"{span}></td>')
        i = j
    return "".join(out)


def _lane_label(term: str, catalogue: Catalogue, badge: str = "") -> str:
    t = catalogue.by_id.get(term)
    title = f"{t.title or term} — obliges {', '.join(t.obligors)}" if t is not None else term
    return f'<th scope="row" title="{_e(title)}">{badge}{_e(term)}</th>'


@attrs.frozen
class _Block:
    """A run of moves of one timeline shown as columns, with every viewer's lanes."""

    key: str
    label: str
    timeline: Timeline
    start: int
    views: dict[str, _View]
    moves: tuple[Move, ...]

    @property
    def parties(self) -> tuple[str, ...]:
        return self.timeline.initial.catalogue.principals


def _block(
    key: str, label: str, timeline: Timeline, shown: Sequence[str], terms: Sequence[str], start: int
) -> _Block:
    own = {HISTORIAN, PUBLIC, *timeline.initial.catalogue.party_ids}
    views = {v: _view(timeline, v, terms, start) for v in shown if v in own}
    return _Block(key, label, timeline, start, views, timeline.moves[start:])


def _raised(blocks: Iterable[_Block], terms: Sequence[str]) -> list[str]:
    return [
        t
        for t in terms
        if any(code not in "ux" for b in blocks for v in b.views.values() for _, code in v.points[t])
    ]


def _lanes_table(
    table: str,
    blocks: Sequence[_Block],
    terms: Sequence[str],
    shown: Sequence[str],
    active: str,
    marked: frozenset[str] = frozenset(),
) -> str:
    widest = max(len(b.moves) for b in blocks)
    width = 44 if widest <= 30 else 34 if widest <= 40 else 22 if widest <= 120 else 12
    catalogue = blocks[0].timeline.initial.catalogue
    head = ['<th class="corner" scope="col">term</th>']
    for k, b in enumerate(blocks):
        if k:
            head.append('<th class="gap"></th>')
        head.append(_head_cells(b.key, b.moves, b.start, wide=width >= 44))
    top = ""
    if len(blocks) > 1:
        labels = ['<th class="corner"></th>']
        for k, b in enumerate(blocks):
            if k:
                labels.append('<th class="gap"></th>')
            labels.append(f'<th class="blk" colspan="{len(b.moves)}">{_e(b.label)}</th>')
        top = f"<tr>{''.join(labels)}</tr>"
    bodies = []
    for viewer in shown:
        rows = []
        if viewer != HISTORIAN:
            cells = []
            for k, b in enumerate(blocks):
                if k:
                    cells.append('<td class="gap"></td>')
                view = b.views.get(viewer)
                cells.append(_known_cells(view) if view else f'<td class="s-x" colspan={len(b.moves)}></td>')
            rows.append(
                f'<tr class="known"><th scope="row">received by {_e(viewer)}</th>{"".join(cells)}</tr>'
            )
        for i, term in enumerate(terms):
            cells = []
            for k, b in enumerate(blocks):
                if k:
                    cells.append('<td class="gap"></td>')
                view = b.views.get(viewer)
                if view is None:
                    cells.append(f'<td class="s-x" colspan={len(b.moves)}></td>')
                else:
                    cells.append(_segments(view.points[term], view.touched[term], len(b.moves)))
            badge = '<span class="ne" title="differs at the end">≠</span>' if term in marked else ""
            label = _lane_label(term, catalogue, badge)
            rows.append(f'<tr data-t="{i}">{label}{"".join(cells)}</tr>')
        hidden = "" if viewer == active else " hidden"
        bodies.append(f'<tbody data-view="{_e(viewer)}"{hidden}>{"".join(rows)}</tbody>')
    return (
        f'<div class="scroll"><table class="lanes" data-table="{table}" style="--w:{width}px">'
        f"<thead>{top}<tr>{''.join(head)}</tr></thead>{''.join(bodies)}</table></div>"
    )


def _legend() -> str:
    items = [
        f'<li title="{_e(m)}"><span class="sw s-{STATUS_CODES[s]}"></span><b>{s}</b></li>'
        for s, m in STATUS_MEANINGS.items()
    ]
    items.append(
        '<li title="the parties stand behind it in different formulations: agreed in name, not in wording">'
        '<span class="sw s-B"></span><b>striped: divergent too</b></li>'
    )
    items.append('<li title="the move acted on the term"><span class="sw dot"></span><b>touched</b></li>')
    channels = "".join(
        f'<li><span class="sw chan" style="background:{c}"></span><b>{ch}</b></li>'
        for ch, c in CHANNEL_COLOURS.items()
    )
    return (
        f'<div class="legend"><ul class="statuses">{"".join(items)}</ul>'
        f'<ul class="channels"><li class="lh">channel:</li>{channels}</ul></div>'
    )


# -- data for the script --------------------------------------------------------------------


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
    qualifiers = {q: getattr(act, q) for q in _QUALIFIERS if getattr(act, q)}
    if qualifiers:
        out["x"] = qualifiers
    if act.conditions:
        out["c"] = list(act.conditions)
    if act.extent is not None:
        out["e"] = str(act.extent)
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


def _stance_index(pos: Position) -> int:
    return _STANCES.index(pos.stance) if pos.stance is not None else -1


def _block_json(block: _Block, terms: Sequence[str]) -> dict[str, Any]:
    index = {t: i for i, t in enumerate(terms)}
    parties = list(block.parties)
    views: dict[str, Any] = {}
    for viewer, view in block.views.items():
        changes = [
            [
                [index[t], parties.index(p), _stance_index(b), _stance_index(a), cause]
                for t, p, b, a, cause in f.changes
                if t in index and p in parties
            ]
            for f in view.frames
        ]
        views[viewer] = {"known": "".join("1" if f.known else "0" for f in view.frames), "changes": changes}
    return {
        "label": block.label,
        "parties": parties,
        "moves": [_move_json(m, index) for m in block.moves],
        "views": views,
    }


def _data_script(tables: dict[str, tuple[Sequence[str], Sequence[_Block]]]) -> str:
    doc = {
        "stances": [str(s) for s in _STANCES],
        "statuses": {code: str(s) for s, code in STATUS_CODES.items()},
        "tables": {
            key: {"terms": list(terms), "blocks": {b.key: _block_json(b, terms) for b in blocks}}
            for key, (terms, blocks) in tables.items()
        },
    }
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    # A script element ends at the first "</"; escape what could end or confuse it.
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/json" class="ngr-data">{text}</script>'


# -- the memo table -------------------------------------------------------------------------


def _differing(view: TermView) -> set[str]:
    """The formulation fields in which the principals who stand behind a divergent term differ."""
    if not view.divergent:
        return set()
    forms = [p.formulation for p in view.positions.values() if p.supports and p.formulation is not None]
    fields = ("text", *_QUALIFIERS, "conditions")
    return {f for f in fields if len({getattr(x, f) for x in forms}) > 1}


def _badge(status: Status, text: str = "") -> str:
    return f'<span class="badge s-{STATUS_CODES[status]}">{_e(text or status)}</span>'


def _position_cell(pos: Position, differs: set[str]) -> str:
    if pos.stance is None:
        return '<td class="pos none">—</td>'
    parts = [_badge(STANCE_STATUS[pos.stance], str(pos.stance))]
    if pos.tacit:
        parts.append(f'<span class="tacit">let {_e(", ".join(sorted(pos.tacit)))} stand</span>')
    f = pos.formulation
    if f is not None:
        mark = ' class="diff"' if "text" in differs else ""
        parts.append(f"<p{mark}>{_e(' '.join(f.text.split()))}</p>")
        rows = []
        for name, value in f.qualifiers().items():
            field = "conditions" if name == "conditions" else name
            mark = ' class="diff"' if field in differs else ""
            rows.append(f"<dt{mark}>{_e(name)}</dt><dd{mark}>{_e(value)}</dd>")
        if rows:
            parts.append(f"<dl>{''.join(rows)}</dl>")
        if f.quote:
            cite = f"<cite>{_e(f.move)}</cite>" if f.move else ""
            parts.append(f"<blockquote>“{_e(' '.join(f.quote.split()))}”{cite}</blockquote>")
        elif f.move:
            parts.append(f"<cite>{_e(f.move)}</cite>")
    return f'<td class="pos">{"".join(parts)}</td>'


def _memo_table(state: State) -> str:
    cat = state.catalogue
    parties = cat.principals
    head = "".join(f'<th scope="col">{_e(p)}</th>' for p in parties)
    rows = []
    for view in memo(state):
        term = cat.by_id[view.term]
        differs = _differing(view)
        flag = (
            ' <span class="flag">divergent</span>'
            if view.divergent and view.status is not Status.DIVERGENT
            else ""
        )
        cls = ' class="divergent"' if view.divergent else ""
        title = f'<div class="tt">{_e(term.title)}</div>' if term.title else ""
        rows.append(
            f'<tr{cls}><th scope="row"><code>{_e(term.id)}</code>{title}'
            f'<div class="obl">obliges {_e(", ".join(term.obligors))}</div></th>'
            f"<td>{_badge(view.status)}{flag}</td>"
            f"{''.join(_position_cell(view.positions[p], differs) for p in parties)}</tr>"
        )
    unraised = [t for t in cat.by_id if term_status(state, t) is Status.UNRAISED]
    rest = f'<p class="unraised">Not raised: {_e(", ".join(unraised))}</p>' if unraised else ""
    if not rows:
        return f'<p class="empty">No term has been raised.</p>{rest}'
    return (
        f'<table class="memo"><thead><tr><th scope="col">term</th><th scope="col">status</th>{head}'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>{rest}"
    )


def _memo_section(states: dict[str, State], active: str, point: str) -> str:
    parts = []
    for viewer, state in states.items():
        hidden = "" if viewer == active else " hidden"
        summary = outcome(state).summary()
        parts.append(
            f'<div class="view" data-view="{_e(viewer)}"{hidden}>'
            f'<p class="outcome">Outcome {_e(point)} ({_e(_view_label(viewer))}): <b>{_e(summary)}</b></p>'
            f"{_memo_table(state)}</div>"
        )
    return "".join(parts)


# -- the term graph -------------------------------------------------------------------------

_NODE_H = 26
_GAP_X = 70
_GAP_Y = 16
_PAD = 24
_CHAR = 6.7  # width of one character of the 11px monospace labels


def _fmt(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _label(term: str) -> str:
    return term if len(term) <= 40 else term[:39] + "…"


def _graph_section(states: dict[str, State], active: str) -> str:
    graphs = {v: term_graph(s) for v, s in states.items()}
    union = next(iter(graphs.values())).copy()
    for g in graphs.values():
        union.add_edges_from(g.edges(keys=False, data=True))
    never = [n for n in union.nodes if all(g.nodes[n]["status"] == "unraised" for g in graphs.values())]
    union.remove_nodes_from([n for n in never if union.degree(n) == 0])
    if union.number_of_nodes() == 0:
        return '<p class="empty">No term has been raised.</p>'
    layout = layered_layout(union)
    node_w = max(120.0, min(40, max(len(n) for n in layout)) * _CHAR + 20)
    cols = 1 + max(c for c, _ in layout.values())
    rows = 1 + max(r for _, r in layout.values())
    width = 2 * _PAD + cols * node_w + (cols - 1) * _GAP_X
    height = 2 * _PAD + rows * _NODE_H + (rows - 1) * _GAP_Y
    centre = {
        n: (_PAD + c * (node_w + _GAP_X) + node_w / 2, _PAD + r * (_NODE_H + _GAP_Y) + _NODE_H / 2)
        for n, (c, r) in layout.items()
    }
    parties = list(next(iter(states.values())).catalogue.principals)
    colours = sorted({party_colour(i) for i in range(len(parties))} | set(EDGE_COLOURS.values()))
    markers = "".join(
        f'<marker id="ngr-arrow-{c[1:]}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="{c}"/></marker>'
        for c in colours
    )
    out = []
    for viewer, g in graphs.items():
        body = [_edges_svg(g, layout, centre, node_w, parties), _nodes_svg(g, layout, centre, node_w)]
        hidden = "" if viewer == active else " hidden"
        out.append(
            f'<div class="view" data-view="{_e(viewer)}"{hidden}>'
            f'<svg class="graph" xmlns="http://www.w3.org/2000/svg" width="{_fmt(width)}" '
            f'height="{_fmt(height)}" viewBox="0 0 {_fmt(width)} {_fmt(height)}" role="img" '
            f'aria-label="terms and their conditions ({_e(_view_label(viewer))})">'
            f"<defs>{markers}</defs>{''.join(body)}</svg></div>"
        )
    left_out = [t for t in next(iter(states.values())).catalogue.by_id if t not in layout]
    rest = (
        f'<p class="unraised">Not shown (never raised, no relation): {_e(", ".join(left_out))}</p>'
        if left_out
        else ""
    )
    return "".join(out) + rest


def _nodes_svg(
    g: Any, layout: dict[str, tuple[int, int]], centre: dict[str, tuple[float, float]], node_w: float
) -> str:
    out = []
    for n in layout:
        data = g.nodes[n]
        x, y = centre[n]
        status = Status(data["status"])
        code = STATUS_CODES[status]
        if data["divergent"] and status is not Status.DIVERGENT:
            code = code.upper()
        flag = ", divergent" if data["divergent"] else ""
        tip = f"{n}: {data['title']} — {data['status']}{flag}; obliges {data['obligors']}"
        out.append(
            f'<g class="node s-{code}"><title>{_e(tip)}</title>'
            f'<rect x="{_fmt(x - node_w / 2)}" y="{_fmt(y - _NODE_H / 2)}" '
            f'width="{_fmt(node_w)}" height="{_NODE_H}" rx="6"/>'
            f'<text x="{_fmt(x)}" y="{_fmt(y + 4)}">{_e(_label(n))}</text></g>'
        )
    return "".join(out)


def _edges_svg(
    g: Any,
    layout: dict[str, tuple[int, int]],
    centre: dict[str, tuple[float, float]],
    node_w: float,
    parties: list[str],
) -> str:
    out = []
    seen: dict[tuple[str, str], int] = {}
    half = node_w / 2
    for u, v, data in g.edges(data=True):
        if u == v or u not in layout or v not in layout:
            continue
        k = seen.get((u, v), 0)
        seen[(u, v)] = k + 1
        (x1, y1), (x2, y2) = centre[u], centre[v]
        cu, cv = layout[u][0], layout[v][0]
        off = 7.0 * k
        if cu != cv:
            sign = -1 if cu > cv else 1
            sx, ex = x1 + sign * half, x2 - sign * half
            reach = abs(ex - sx) / 2
            c1, c2 = (sx + sign * reach, y1 + off), (ex - sign * reach, y2 + off)
        else:  # same column: bow out to the left going down, to the right going up
            sign = -1 if y2 > y1 else 1
            sx, ex = x1 + sign * half, x2 + sign * half
            bow = sign * (36 + abs(y2 - y1) / 6 + off)
            c1, c2 = (sx + bow, y1), (ex + bow, y2)
        kind = data.get("kind", "")
        if kind == "condition":
            party = data.get("party", "")
            colour = party_colour(parties.index(party)) if party in parties else "#333333"
            tip = f"{u} on condition of {v} ({party}, {data.get('move', '')})"
        else:
            colour = EDGE_COLOURS.get(kind, "#333333")
            tip = f"{u} {kind} {v}"
        arrow = "" if kind == "conflicts" else f' marker-end="url(#ngr-arrow-{colour[1:]})"'
        d = " ".join(
            f"{cmd}{_fmt(px)},{_fmt(py)}"
            for cmd, (px, py) in zip(("M", "C", "", ""), ((sx, y1), c1, c2, (ex, y2)), strict=True)
        )
        out.append(
            f'<path class="e e-{_e(kind)}" d="{d}" stroke="{colour}"{arrow}><title>{_e(tip)}</title></path>'
        )
    return "".join(out)


def _graph_legend(parties: Sequence[str]) -> str:
    items = [
        f'<li><span class="ln" style="border-color:{party_colour(i)}"></span>'
        f"{_e(p)} makes it conditional on</li>"
        for i, p in enumerate(parties)
    ]
    items += [
        f'<li><span class="ln {kind}" style="border-color:{colour}"></span>{kind}</li>'
        for kind, colour in EDGE_COLOURS.items()
    ]
    return f'<ul class="edges">{"".join(items)}</ul>'


# -- pages ----------------------------------------------------------------------------------


def _toggle(shown: Sequence[str], active: str) -> str:
    buttons = "".join(
        f'<button type="button" data-show="{_e(v)}" aria-pressed="{"true" if v == active else "false"}">'
        f"{_e(_view_label(v))}</button>"
        for v in shown
    )
    notes = "".join(
        f'<p class="vnote" data-view="{_e(v)}"{"" if v == active else " hidden"}>{_e(_view_note(v))}</p>'
        for v in shown
    )
    return f'<nav class="toggle" aria-label="whose view"><span>Whose view:</span>{buttons}</nav>{notes}'


def _check_viewer(viewer: str | None, shown: Sequence[str], parties: Iterable[str]) -> str:
    if viewer is None or viewer == "historian":
        return HISTORIAN
    if viewer not in shown:
        options = {_view_label(v) for v in shown} | set(parties)
        raise NegotiationError(
            f"--as {viewer!r}: no such view in this report ({suggest(viewer, options, noun='view')})"
        )
    return viewer


def _body(
    timeline: Timeline,
    *,
    heading: str,
    intro: str = "",
    viewer: str | None = None,
    compare: tuple[str, str, Timeline, str] | None = None,
    main_label: str = "",
) -> str:
    shown = viewers(timeline)
    if viewer is not None and viewer not in shown and viewer in timeline.initial.catalogue.party_ids:
        shown.insert(-1, viewer)  # a third party nobody wrote to, asked for by name
    active = _check_viewer(viewer, shown, timeline.initial.catalogue.party_ids)
    cat = timeline.initial.catalogue
    terms = list(cat.by_id)
    main = _block("main", main_label, timeline, shown, terms, 0)
    lanes = _raised([main], terms)
    tables: dict[str, tuple[Sequence[str], Sequence[_Block]]] = {"main": (lanes, [main])}
    point = f"after {timeline.moves[-1].id}" if len(timeline) else "before any move"
    finals = {
        v: (view.frames[-1].state if view.frames else timeline.initial) for v, view in main.views.items()
    }
    unraised = [t for t in terms if t not in lanes]
    parts = [
        f'<header><h1>{_e(heading)}</h1>{intro}<p class="meta">{len(timeline)} moves, {len(terms)} terms, '
        f"principals {_e(', '.join(cat.principals))}. Outcome {_e(point)}: "
        f"<b>{_e(outcome(timeline.final).summary())}</b></p></header>",
        _toggle(shown, active),
        '<section class="timeline"><h2>Timeline</h2>'
        "<p class=\"hint\">One lane per term, one column per move; a cell's colour is the term's status "
        "after that move. Hover over a cell or a move for its acts; click to keep them below.</p>",
        _legend(),
        _lanes_table("main", [main], lanes, shown, active)
        if lanes and len(timeline)
        else '<p class="empty">No move.</p>',
        f'<p class="unraised">Never raised: {_e(", ".join(unraised))}</p>'
        if unraised and len(timeline)
        else "",
        '<div class="detail" aria-live="polite">'
        '<p class="hint">Click a cell to keep its details here.</p></div>',
        "</section>",
    ]
    if compare is not None:
        parts.append(_compare_section(timeline, compare, shown, active, tables, main_label))
    parts += [
        f'<section class="memo-section"><h2>Terms {_e(point)}, side by side</h2>'
        '<p class="hint">Each principal\'s stance and own formulation, with the words it rests on; '
        "highlighted: where the parties' formulations of a term they both stand behind differ.</p>",
        _memo_section(finals, active, point),
        "</section>",
        '<section class="graph-section"><h2>Conditions and relations</h2>'
        '<p class="hint">Each arrow points from a term to a term it depends on; terms a party '
        "made conditional on each other (quid pro quos) share a column. Node colours: status.</p>",
        _graph_legend(cat.principals),
        _graph_section(finals, active),
        "</section>",
    ]
    return (
        f'<div class="ngr" data-view="{_e(active)}">{_data_script(tables)}{"".join(parts)}'
        '<div class="tip" hidden></div></div>'
    )


def _compare_section(
    timeline: Timeline,
    compare: tuple[str, str, Timeline, str],
    shown: Sequence[str],
    active: str,
    tables: dict[str, tuple[Sequence[str], Sequence[_Block]]],
    main_label: str,
) -> str:
    label_b, file_b, other, label_a = compare
    d = diff(timeline, other)
    common = 0 if d.common is None else timeline.index(d.common) + 1
    start = max(common - 1, 0)
    terms = list(timeline.initial.catalogue.by_id)
    terms += [t for t in other.initial.catalogue.by_id if t not in terms]
    a = _block("a", f"A: {label_a}", timeline, shown, terms, start)
    b = _block("b", f"B: {label_b}", other, shown, terms, start)
    lanes = _raised([a, b], terms)
    tables["compare"] = (lanes, [a, b])
    marked = frozenset(t.term for t in d.terms)
    if d.common is None:
        where = "These two histories share no move: both are shown from their first move."
    else:
        where = (
            f"Both histories are the same up to <b>{_e(d.common)}</b> (the first column of each); "
            f"then A plays <b>{_e(d.first_a or '(nothing)')}</b> and B <b>{_e(d.first_b or '(nothing)')}</b>."
        )
    ends = "".join(
        f"<li>{_e(name)}: <b>{_e(outcome(t.final).summary())}</b></li>"
        for name, t in ((f"A ({label_a})", timeline), (f"B ({label_b})", other))
    )
    table = _lanes_table("compare", [a, b], lanes, shown, active, marked) if lanes else ""
    return (
        f'<section class="compare"><h2>Compared with {_e(file_b)}</h2><p class="where">{where}</p>'
        f'<p class="hint">{len(marked)} terms differ at the end (marked ≠).</p><ul class="ends">{ends}</ul>'
        f"{table}</section>"
    )


def _script() -> str:
    return f"<script>{_asset('report.js')}</script>"


def _fragment(body: str) -> str:
    return f"<style>{_css()}</style>{body}{_script()}"


def report_html(scenario: Scenario, *, compare: Scenario | None = None, viewer: str | None = None) -> str:
    """The whole report as one HTML document: timeline, side-by-side memo, term graph, views.

    `compare` adds a second history beside the first from their last common move; `viewer`
    ("historian", a party id or "public") chooses the view the page opens with.
    """
    timeline = scenario.replay()
    heading = scenario.title or scenario.id
    intro = "".join(
        f"<p>{_e(' '.join(p.split()))}</p>" for p in scenario.description.split("\n\n") if p.strip()
    )
    intro += (
        f'<p class="meta">Scenario <code>{_e(scenario.id)}</code>, file <code>{_e(scenario.path)}</code>.</p>'
    )
    other = None
    if compare is not None:
        other = (compare.id, compare.path, compare.replay(), scenario.id)
    body = _body(timeline, heading=heading, intro=intro, viewer=viewer, compare=other, main_label=scenario.id)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(heading)}</title>"
        # Record any script error on the page itself, so that a headless check can see it.
        "<script>window.addEventListener('error',function(e){document.documentElement"
        ".setAttribute('data-error',String(e.message||e));});</script>"
        f'<style>{_css()}</style></head><body class="ngr-page">{body}{_script()}</body></html>\n'
    )


def timeline_html(timeline: Timeline, *, title: str = "") -> str:
    """The timeline, memo and graph as an HTML fragment (style and script included), for notebooks."""
    heading = title or f"A negotiation of {len(timeline)} moves"
    return _fragment(_body(timeline, heading=heading))


def state_html(state: State) -> str:
    """One state's memo table and term graph as an HTML fragment, for notebooks."""
    point = f"after {state.last}" if state.last else "before any move"
    body = (
        f'<div class="ngr" data-view=""><section class="memo-section">'
        f"<h2>Terms {_e(point)}, side by side</h2>"
        f"{_memo_section({HISTORIAN: state}, HISTORIAN, point)}</section>"
        f'<section class="graph-section"><h2>Conditions and relations</h2>'
        f"{_graph_legend(state.catalogue.principals)}"
        f"{_graph_section({HISTORIAN: state}, HISTORIAN)}</section></div>"
    )
    return _fragment(body)
