"""The HTML report of a negotiation: one offline page, or a fragment for a notebook."""

from negotiation.render.report.page import report_html, state_html, timeline_html
from negotiation.render.report.views import viewers

__all__ = ["report_html", "state_html", "timeline_html", "viewers"]
