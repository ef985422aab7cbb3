"""Deprecated: the scenario value and its files moved to `negotiation.io`; this path goes in 0.3."""

from negotiation._moved import moved

__all__, __getattr__ = moved(
    __name__,
    [
        "negotiation.io.loading",
        "negotiation.io.policy_file",
        "negotiation.io.scenario",
        "negotiation.io.writer",
    ],
    "negotiation (or negotiation.io.*)",
)
