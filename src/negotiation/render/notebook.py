"""Notebook display: states and timelines show themselves as the report's HTML in Jupyter.

IPython looks for a `_repr_html_` method on an object's class. The core cannot import the
report (rendering sits above it), so the rendering side attaches the methods when the package
is imported; the report itself loads only when a notebook first asks for a picture.
"""

from __future__ import annotations

from negotiation.engine import Timeline
from negotiation.state import State

__all__ = ["install"]


def _state_html(self: State) -> str:
    """The memo table and term graph of this state."""
    from negotiation.render.report import state_html

    return state_html(self)


def _timeline_html(self: Timeline) -> str:
    """The timeline, memo table and term graph of this history."""
    from negotiation.render.report import timeline_html

    return timeline_html(self)


def install() -> None:
    """Give `State` and `Timeline` their notebook display (done once by `import negotiation`)."""
    State._repr_html_ = _state_html  # type: ignore[attr-defined]
    Timeline._repr_html_ = _timeline_html  # type: ignore[attr-defined]
