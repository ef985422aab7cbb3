"""Deprecated: the strategies moved to `negotiation.testing.strategies`; this path goes in 0.3."""

from negotiation._moved import moved

__all__, __getattr__ = moved(
    __name__,
    [
        "negotiation.testing.strategies",
    ],
    "negotiation.testing.strategies",
)
