"""The HTML report: a negotiation's timeline, memo table and term graph in one page that works offline.

Pure: every function returns a string and the caller writes it. Text from scenario files is
escaped; the same input gives the same bytes. The page's style and script ship beside this
module (`report.css`, `report.js`) and are inlined, so the file needs nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from negotiation.analysis import diff, outcome
from negotiation.engine import Timeline
from negotiation.errors import ParameterError, suggest
from negotiation.io.scenario import Scenario
from negotiation.preferences import PreferenceSet
from negotiation.render.report.data import data_script
from negotiation.render.report.lanes import Block, block, lanes_table, legend, raised
from negotiation.render.report.markup import asset, css, esc, view_note
from negotiation.render.report.memo import memo_control, memo_section
from negotiation.render.report.svg import graph_legend, graph_section
from negotiation.render.report.utility import preferences_section
from negotiation.render.report.views import viewers
from negotiation.render.solutions import Judged
from negotiation.state import State
from negotiation.vocabulary import HISTORIAN, Status

__all__ = ["report_html", "state_html", "timeline_html"]


def _toggle(shown: Sequence[str], active: str) -> str:
    buttons = "".join(
        f'<button type="button" data-show="{esc(v)}" aria-pressed="{"true" if v == active else "false"}">'
        f"{esc(v)}</button>"
        for v in shown
    )
    notes = "".join(
        f'<p class="vnote" data-view="{esc(v)}"{"" if v == active else " hidden"}>{esc(view_note(v))}</p>'
        for v in shown
    )
    return f'<nav class="toggle" aria-label="whose view"><span>Whose view:</span>{buttons}</nav>{notes}'


def _check_viewer(viewer: str, shown: Sequence[str], parties: Iterable[str]) -> str:
    if viewer not in shown:
        options = {*shown, *parties}
        raise ParameterError(
            "viewer", viewer, "no such view in this report", suggest(viewer, options, noun="view")
        )
    return viewer


def _body(
    timeline: Timeline,
    *,
    heading: str,
    intro: str = "",
    viewer: str = HISTORIAN,
    compare: tuple[str, str, Timeline, str] | None = None,
    main_label: str = "",
    views: Sequence[str] | None = None,
    layout: str = "auto",
    any_move: bool = False,
    extra: str = "",
) -> str:
    shown = viewers(timeline) if views is None else [v for v in viewers(timeline) if v in views]
    if viewer not in shown and viewer in timeline.initial.catalogue.party_ids:
        shown.insert(-1, viewer)  # a third party nobody wrote to, asked for by name
    active = _check_viewer(viewer, shown, timeline.initial.catalogue.party_ids)
    cat = timeline.initial.catalogue
    terms = list(cat.by_id)
    main = block("main", main_label, timeline, shown, terms, 0, memo=any_move)
    lanes = raised([main], terms)
    tables: dict[str, tuple[Sequence[str], Sequence[Block]]] = {"main": (lanes, [main])}
    point = f"after {timeline.moves[-1].id}" if len(timeline) else "before any move"
    finals = {
        v: (view.final if view.final is not None else timeline.initial) for v, view in main.views.items()
    }
    unraised = [t for t in terms if t not in lanes]
    parts = [
        f'<header><h1>{esc(heading)}</h1>{intro}<p class="meta">{len(timeline)} moves, {len(terms)} terms, '
        f"principals {esc(', '.join(cat.principals))}. Outcome {esc(point)}: "
        f"<b>{esc(outcome(timeline.final).summary())}</b></p>"
        f'<p class="plain">{esc(outcome_sentence(timeline, point))}</p></header>',
        _toggle(shown, active),
        '<section class="timeline"><h2>Timeline</h2>'
        "<p class=\"hint\">One lane per term, one column per move; a cell's colour is the term's status "
        "after that move. Hover over a cell or a move for its acts; click to keep them below.</p>",
        legend(),
        lanes_table("main", [main], lanes, shown, active)
        if lanes and len(timeline)
        else '<p class="empty">No move.</p>',
        f'<p class="unraised">Never raised: {esc(", ".join(unraised))}</p>'
        if unraised and len(timeline)
        else "",
        '<div class="detail" aria-live="polite">'
        '<p class="hint">Click a cell to keep its details here.</p></div>',
        "</section>",
    ]
    if compare is not None:
        parts.append(_compare_section(timeline, compare, shown, active, tables, main_label))
    parts.append(extra)
    parts += [
        f'<section class="memo-section"><h2>Terms <span class="memo-heading">{esc(point)}</span>, '
        "side by side</h2>"
        '<p class="hint">Each principal\'s stance and own formulation, with the words it rests on; '
        "highlighted: where the parties' formulations of a term they both stand behind differ."
        + (
            " Move the slider, or click a move's column in the timeline, for the terms after that move."
            if any_move and len(timeline) > 1
            else ""
        )
        + "</p>",
        memo_control(len(timeline), point) if any_move else "",
        memo_section(finals, active, point),
        "</section>",
        '<section class="graph-section"><h2>Conditions and relations</h2>'
        '<p class="hint">Each arrow points from a term to a term it depends on; terms a party '
        "made conditional on each other (quid pro quos) share a column. Node colours: status.</p>",
        graph_legend(cat.principals),
        graph_section(finals, active, layout=layout),
        "</section>",
    ]
    parts.append(documents_section(timeline))
    return (
        f'<div class="ngr" data-view="{esc(active)}">{data_script(tables, main if any_move else None)}'
        f'{"".join(parts)}<div class="tip" hidden></div></div>'
    )


_PHRASES = {
    Status.OPEN: "still open",
    Status.UNCHALLENGED: "received and left unanswered",
    Status.AWAITING_CONSENT: "awaiting the consent of a party not at the table",
    Status.DISPUTED: "disputed",
    Status.REJECTED: "rejected",
    Status.WITHDRAWN: "withdrawn",
    Status.CONTESTED: "contested in their performance",
    Status.BLOCKED: "blocked by a refusal of a term they require",
    Status.REPLACED: "replaced by other terms",
    Status.LAPSED: "lapsed",
}


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def outcome_sentence(timeline: Timeline, point: str) -> str:
    """Where the negotiation stood, in words a reader of history uses rather than statuses."""
    o = outcome(timeline.final)
    cat = timeline.initial.catalogue
    parties = " and ".join(cat.principals) if len(cat.principals) <= 2 else ", ".join(cat.principals)
    words = [f"{point[0].upper()}{point[1:]}, "]
    if o.agreed:
        words.append(f"{parties} stood behind {_count(len(o.agreed), 'term')} together")
        notes = []
        if o.divergent:
            notes.append(f"{len(o.divergent)} of them in different words")
        if not o.consistent:
            notes.append(f"{len(o.agreed) - len(o.secured)} on conditions not yet agreed")
        words.append(f" ({', '.join(notes)})." if notes else ".")
    else:
        words.append(f"{parties} stood behind no term together.")
    rest = [
        f"{_count(len(ids), 'term')} {phrase}"
        for status, phrase in _PHRASES.items()
        if (ids := o.by_status.get(status))
    ]
    if rest:
        words.append(" " + "; ".join(rest) + ".")
    binding = len(o.by_status.get(Status.BINDING, ())) + len(o.by_status.get(Status.FULFILLED, ()))
    binding += len(o.by_status.get(Status.CONFIRMED, ()))
    if binding:
        words.append(f" {_count(binding, 'term')} had been declared binding or carried out.")
    return "".join(words)


_DOCUMENTS_SHOWN = 500
"""Documents listed by name in a report; a longer history says how many more there are."""


def documents_section(timeline: Timeline) -> str:
    """Every document of the history in order: its name, date, sender and recipients, channel, source."""
    items = []
    for move in timeline.moves[:_DOCUMENTS_SHOWN]:
        when = str(move.sent) if move.sent else "date unknown"
        to = ", ".join(move.addressees) or "all"
        name = f" {esc(move.title)}" if move.title else ""
        source = f' <span class="src">Source: {esc(move.source)}</span>' if move.source else ""
        items.append(
            f"<li><code>{esc(move.id)}</code>{name} — {esc(when)}, {esc(move.author)} → {esc(to)}, "
            f"{esc(str(move.channel))}.{source}</li>"
        )
    more = len(timeline) - _DOCUMENTS_SHOWN
    tail = (
        f'<p class="hint">and {more:,} more documents, listed in the scenario file.</p>' if more > 0 else ""
    )
    return (
        f'<section class="documents-section"><h2>Documents</h2><ol class="documents">{"".join(items)}</ol>'
        f"{tail}</section>"
    )


def _compare_section(
    timeline: Timeline,
    compare: tuple[str, str, Timeline, str],
    shown: Sequence[str],
    active: str,
    tables: dict[str, tuple[Sequence[str], Sequence[Block]]],
    main_label: str,
) -> str:
    label_b, file_b, other, label_a = compare
    d = diff(timeline, other)
    common = 0 if d.common is None else timeline.index(d.common) + 1
    start = max(common - 1, 0)
    terms = list(timeline.initial.catalogue.by_id)
    terms += [t for t in other.initial.catalogue.by_id if t not in terms]
    a = block("a", f"A: {label_a}", timeline, shown, terms, start)
    b = block("b", f"B: {label_b}", other, shown, terms, start)
    lanes = raised([a, b], terms)
    tables["compare"] = (lanes, [a, b])
    marked = frozenset(t.term for t in d.terms)
    if d.common is None:
        where = "These two histories share no move: both are shown from their first move."
    else:
        where = (
            f"Both histories are the same up to <b>{esc(d.common)}</b> (the first column of each); "
            f"then A plays <b>{esc(d.first_a or '(nothing)')}</b> "
            f"and B <b>{esc(d.first_b or '(nothing)')}</b>."
        )
    ends = "".join(
        f"<li>{esc(name)}: <b>{esc(outcome(t.final).summary())}</b></li>"
        for name, t in ((f"A ({label_a})", timeline), (f"B ({label_b})", other))
    )
    table = lanes_table("compare", [a, b], lanes, shown, active, marked) if lanes else ""
    return (
        f'<section class="compare"><h2>Compared with {esc(file_b)}</h2><p class="where">{where}</p>'
        f'<p class="hint">{len(marked)} terms differ at the end (marked ≠).</p><ul class="ends">{ends}</ul>'
        f"{table}</section>"
    )


def _script() -> str:
    return f"<script>{asset('report.js')}</script>"


def _fragment(body: str) -> str:
    return f"<style>{css()}</style>{body}{_script()}"


def report_html(
    scenario: Scenario,
    *,
    compare: Scenario | None = None,
    viewer: str = HISTORIAN,
    layout: str = "auto",
    preferences: Sequence[PreferenceSet] = (),
    judged: Sequence[Judged] = (),
    outcome: str | None = None,
) -> str:
    """The whole report as one HTML document: timeline, side-by-side memo, term graph, views.

    `compare` adds a second history beside the first from their last common move; `viewer`
    ("historian", a party id or "public") chooses the view the page opens with; `layout` how
    the term graph is laid out ("auto": by Graphviz's dot where installed, see `graph_section`).
    `preferences` adds each set's utility lines, and `judged` (an exploration weighed under
    them, with the `outcome` placed) its outcome space.
    """
    timeline = scenario.replay()
    heading = scenario.title or scenario.id
    intro = "".join(
        f"<p>{esc(' '.join(p.split()))}</p>" for p in scenario.description.split("\n\n") if p.strip()
    )
    intro += (
        f'<p class="meta">Scenario <code>{esc(scenario.id)}</code>, '
        f"file <code>{esc(scenario.path)}</code>.</p>"
    )
    other = None
    if compare is not None:
        other = (compare.id, compare.path, compare.replay(), scenario.id)
    body = _body(
        timeline,
        heading=heading,
        intro=intro,
        viewer=viewer,
        compare=other,
        main_label=scenario.id,
        layout=layout,
        any_move=True,
        extra=preferences_section(timeline, preferences, judged, outcome) if preferences else "",
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(heading)}</title>"
        # Record any script error on the page itself, so that a headless check can see it.
        "<script>window.addEventListener('error',function(e){document.documentElement"
        ".setAttribute('data-error',String(e.message||e));});</script>"
        f'<style>{css()}</style></head><body class="ngr-page">{body}{_script()}</body></html>\n'
    )


def timeline_html(timeline: Timeline, *, title: str = "", views: Sequence[str] | None = None) -> str:
    """The timeline, memo and graph as an HTML fragment (style and script included), for notebooks.

    `views` keeps only those views (the historian's, a party's, the public's); None keeps all.
    The memo is the one at the end: the memo after any move is the report's, whose data would
    make a notebook's output twice the size.
    """
    heading = title or f"A negotiation of {len(timeline)} moves"
    return _fragment(_body(timeline, heading=heading, views=views))


def isolated(fragment: str, *, title: str) -> str:
    """The fragment as an iframe holding a document of its own, sized to what it shows.

    The notebook's styles and scripts cannot reach into it, nor its into the notebook's.
    """
    head = f'<head><meta charset="utf-8"><title>{esc(title)}</title></head>'
    page = f"<!doctype html><html>{head}<body>{fragment}</body></html>"
    return (
        f'<iframe class="negotiation-report" title="{esc(title)}" srcdoc=\'{_attribute(page)}\' '
        'style="width:100%;border:0;min-height:120px" '
        "onload=\"this.style.height=(this.contentDocument.documentElement.scrollHeight+8)+'px'\"></iframe>"
    )


def _attribute(text: str) -> str:
    """Text as the value of a single-quoted attribute: only `&` and `'` need escaping there.

    A page is full of double quotes; escaping those too, as for a double-quoted value, made a
    notebook's output a quarter larger.
    """
    return text.replace("&", "&amp;").replace("'", "&#39;")


def state_html(state: State) -> str:
    """One state's memo table and term graph as an HTML fragment, for notebooks."""
    point = f"after {state.last}" if state.last else "before any move"
    body = (
        f'<div class="ngr" data-view="{HISTORIAN}"><section class="memo-section">'
        f"<h2>Terms {esc(point)}, side by side</h2>"
        f"{memo_section({HISTORIAN: state}, HISTORIAN, point)}</section>"
        f'<section class="graph-section"><h2>Conditions and relations</h2>'
        f"{graph_legend(state.catalogue.principals)}"
        f"{graph_section({HISTORIAN: state}, HISTORIAN)}</section></div>"
    )
    return _fragment(body)
