"""Deprecated: graphs moved to `negotiation.render.graphs` and `.formats`; this path goes in 0.3."""

from negotiation._moved import moved

__all__, __getattr__ = moved(
    __name__,
    [
        "negotiation.render.graphs",
        "negotiation.render.formats",
        "negotiation.render.report.layout",
    ],
    "negotiation.render.graphs or negotiation.render.formats",
)
