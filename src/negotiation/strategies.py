"""Deprecated: the strategies moved to `negotiation.testing.strategies`; this name goes in 0.3.

The old import path keeps working for one release: every public name of the new modules is
found here, and importing this module warns.
"""

from __future__ import annotations

import importlib
import warnings
from typing import Any

_MOVED = [importlib.import_module(m) for m in ["negotiation.testing.strategies"]]

__all__ = sorted({n for m in _MOVED for n in m.__all__})

warnings.warn(
    "negotiation.strategies is deprecated: import negotiation.testing.strategies",
    DeprecationWarning,
    stacklevel=2,
)


def __getattr__(name: str) -> Any:
    for module in _MOVED:
        if name in module.__all__:
            return getattr(module, name)
    raise AttributeError(f"module 'negotiation.strategies' has no attribute {name!r}")
