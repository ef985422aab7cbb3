"""What every part of the report shares: escaping, assets, the status letters and labels of views."""

from __future__ import annotations

import html
from functools import cache
from importlib import resources

from negotiation.render.palette import CHANNEL_COLOURS, STATUS_CODES, STATUS_COLOURS, text_colour
from negotiation.state import State
from negotiation.status import is_divergent, term_status
from negotiation.vocabulary import HISTORIAN, PUBLIC, Stance, Status

__all__ = ["MONTHS", "STANCES", "asset", "badge", "css", "esc", "term_code", "view_note"]

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
STANCES = list(Stance)
"""Stances by index, as the page's data numbers them."""


def esc(text: object) -> str:
    """Text from a scenario file, safe in HTML text and attribute values."""
    return html.escape(str(text), quote=True)


@cache
def asset(name: str) -> str:
    """A file shipped beside this module: the page's style sheet or script."""
    return (resources.files("negotiation.render.report") / name).read_text(encoding="utf-8")


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
        if status is not Status.UNRAISED:  # the letter too, so a cell reads without its colour
            letter = code.upper()
            rules.append(f'.ngr .lanes td.s-{code}::before,.ngr .lanes td.s-{letter}::before,'
                         f'.ngr .sw.s-{code}::before{{content:"{letter}"}}')  # fmt: skip
    for channel, colour in CHANNEL_COLOURS.items():
        rules.append(f".ngr .lanes th.c-{channel}{{border-top-color:{colour}}}")
    return "\n".join(rules)


def css() -> str:
    """The page's style: the shipped sheet and a rule per status and channel colour."""
    return asset("report.css") + _status_css() + "\n"


def view_note(viewer: str) -> str:
    """One sentence on what the view shows."""
    if viewer == HISTORIAN:
        return "The historian's view: every move of the record, as it happened."
    if viewer == PUBLIC:
        return "What the public knew: public statements and whatever was published, on the dates known."
    return (
        f"What {viewer} knew: the moves it sent, and the moves it received once received; "
        "a move it did not yet have changes nothing until it arrives."
    )


def term_code(state: State, term: str) -> str:
    """The term's status letter; upper case when the principals also differ in wording."""
    status = term_status(state, term)
    code = STATUS_CODES[status]
    if status is not Status.DIVERGENT and is_divergent(state, term):
        return code.upper()
    return code


def badge(status: Status, text: str = "") -> str:
    """A status (or a stance, in its status's colour) as a coloured label."""
    return f'<span class="badge s-{STATUS_CODES[status]}">{esc(text or status)}</span>'
