"""Notebook display: states and timelines show themselves as the report's HTML in Jupyter.

IPython looks for a `_repr_html_` method on an object's class. The core cannot import the
report (rendering sits above it), so the rendering side attaches the methods when the package
is imported; the report itself loads only when a notebook first asks for a picture.
"""

from __future__ import annotations

from negotiation.engine import Timeline
from negotiation.state import State
from negotiation.vocabulary import HISTORIAN

__all__ = ["install"]


def _state_html(self: State) -> str:
    """The memo table and term graph of this state, in a frame of its own."""
    from negotiation.render.report.page import isolated, state_html

    return isolated(state_html(self), title=f"State after {self.last}" if self.last else "Initial state")


def _timeline_html(self: Timeline) -> str:
    """The timeline, memo table and term graph of this history as the historian sees it, in a frame.

    One view, not every party's: the page with them all is `negotiation report`, and in a
    notebook every output is kept in the file.
    """
    from negotiation.render.report.page import isolated, timeline_html

    return isolated(timeline_html(self, views=(HISTORIAN,)), title=f"A negotiation of {len(self)} moves")


def install() -> None:
    """Give `State` and `Timeline` their notebook display (done once by `import negotiation`)."""
    State._repr_html_ = _state_html  # type: ignore[attr-defined]
    Timeline._repr_html_ = _timeline_html  # type: ignore[attr-defined]
