"""Deprecated: the state machine moved to `negotiation.testing.stateful`; this path goes in 0.3."""

from negotiation._moved import moved

__all__, __getattr__ = moved(
    __name__,
    [
        "negotiation.testing.stateful",
    ],
    "negotiation.testing.stateful",
)
