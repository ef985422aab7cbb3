"""Cutting a label to the room a picture has for it, the same way in every picture."""

from __future__ import annotations

__all__ = ["clipped"]


def clipped(text: str, limit: int) -> str:
    """The text, or its first `limit - 1` characters and an ellipsis when it is longer."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
