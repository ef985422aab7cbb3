"""Deprecated: the HTML report moved to `negotiation.render.report`; this path goes in 0.3."""

from negotiation._moved import moved

__all__, __getattr__ = moved(
    __name__,
    [
        "negotiation.render.report",
    ],
    "negotiation.render.report",
)
