"""The memo table: each principal's stance and own formulation of every raised term, side by side."""

from __future__ import annotations

from negotiation.analysis import TermView, memo, outcome
from negotiation.render.palette import STANCE_STATUS
from negotiation.render.report.markup import badge, esc
from negotiation.state import Position, State
from negotiation.status import term_status
from negotiation.vocabulary import Modality, Status

__all__ = ["memo_control", "memo_section", "memo_table"]


def _position_cell(pos: Position, differs: frozenset[str]) -> str:
    if pos.stance is None:
        return '<td class="pos none">—</td>'
    parts = [badge(STANCE_STATUS[pos.stance], str(pos.stance))]
    if pos.modality is not Modality.COMMITMENT:
        parts.append(f'<span class="tacit">{esc(pos.modality)}: not counted</span>')
    if pos.tacit:
        parts.append(f'<span class="tacit">let {esc(", ".join(sorted(pos.tacit)))} stand</span>')
    f = pos.formulation
    if f is not None:
        mark = ' class="diff"' if "text" in differs else ""
        parts.append(f"<p{mark}>{esc(' '.join(f.text.split()))}</p>")
        rows = []
        for name, value in f.qualifiers().items():
            mark = ' class="diff"' if name in differs else ""
            rows.append(f"<dt{mark}>{esc(name)}</dt><dd{mark}>{esc(value)}</dd>")
        if rows:
            parts.append(f"<dl>{''.join(rows)}</dl>")
        if f.quote:
            cite = f"<cite>{esc(f.move)}</cite>" if f.move else ""
            parts.append(f"<blockquote>“{esc(' '.join(f.quote.split()))}”{cite}</blockquote>")
        elif f.move:
            parts.append(f"<cite>{esc(f.move)}</cite>")
    return f'<td class="pos">{"".join(parts)}</td>'


def _cell(view: TermView, party: str, differs: frozenset[str]) -> str:
    if party not in view.positions:
        return '<td class="pos none" title="the term does not need this party\'s consent">n/a</td>'
    return _position_cell(view.positions[party], differs)


def memo_table(state: State) -> str:
    """The memo of one state: a row per raised term, a column per party whose assent one needs."""
    cat = state.catalogue
    views = memo(state)
    needed = {p for view in views for p in view.positions}
    parties = [p.id for p in cat.parties if p.id in needed]  # the principals, then any consent named
    head = "".join(f'<th scope="col">{esc(p)}</th>' for p in parties)
    rows = []
    for view in views:
        term = cat.by_id[view.term]
        differs = view.differing()
        flag = (
            ' <span class="flag">divergent</span>'
            if view.divergent and view.status is not Status.DIVERGENT
            else ""
        )
        cls = ' class="divergent"' if view.divergent else ""
        title = f'<div class="tt">{esc(term.title)}</div>' if term.title else ""
        title += "".join(
            f'<div class="obl">also {esc(p)} (not counted): {esc(pos.stance or "—")}</div>'
            for p, pos in view.others.items()
        )
        rows.append(
            f'<tr{cls}><th scope="row"><code>{esc(term.id)}</code>{title}'
            f'<div class="obl">obliges {esc(", ".join(term.obligors))}</div></th>'
            f"<td>{badge(view.status)}{flag}</td>"
            f"{''.join(_cell(view, p, differs) for p in parties)}</tr>"
        )
    unraised = [t for t in cat.by_id if term_status(state, t) is Status.UNRAISED]
    rest = f'<p class="unraised">Not raised: {esc(", ".join(unraised))}</p>' if unraised else ""
    if not rows:
        return f'<p class="empty">No term has been raised.</p>{rest}'
    return (
        f'<table class="memo"><thead><tr><th scope="col">term</th><th scope="col">status</th>{head}'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>{rest}"
    )


def memo_section(states: dict[str, State], active: str, point: str) -> str:
    """The memo table of each view's final state, with its outcome (the active view shown)."""
    parts = []
    for viewer, state in states.items():
        hidden = "" if viewer == active else " hidden"
        summary = outcome(state).summary()
        parts.append(
            f'<div class="view" data-view="{esc(viewer)}"{hidden}>'
            f'<p class="outcome">Outcome {esc(point)} ({esc(viewer)}): <b>{esc(summary)}</b></p>'
            f'<div class="memo-at">{memo_table(state)}</div></div>'
        )
    return "".join(parts)


def memo_control(moves: int, last: str) -> str:
    """The slider that sets the memo after any move (the page's script draws it; the end by default)."""
    if moves < 2:
        return ""
    return (
        '<div class="memo-control" hidden><label>After move '
        f'<input type="range" class="memo-slider" min="1" max="{moves}" value="{moves}" step="1" '
        f'aria-label="the move after which the memo is shown"></label> '
        '<button type="button" data-step="-1" aria-label="the move before">◀</button>'
        '<button type="button" data-step="1" aria-label="the move after">▶</button>'
        '<button type="button" data-step="end">the end</button> '
        f'<output class="memo-point">{esc(last)}</output></div>'
    )
