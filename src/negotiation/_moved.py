"""The 0.1 import paths of modules that moved in 0.2: each warns once and forwards its names."""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Callable
from typing import Any

__all__ = ["moved"]


def moved(old: str, new: list[str], advice: str) -> tuple[list[str], Callable[[str], Any]]:
    """The `__all__` and module `__getattr__` of a deprecated module whose names now live in `new`.

    Warns (`DeprecationWarning`, pointing at the import) that the old path goes in 0.3.
    """
    modules = [importlib.import_module(m) for m in new]
    warnings.warn(f"{old} is deprecated: import {advice}", DeprecationWarning, stacklevel=3)

    def forward(name: str) -> Any:
        for module in modules:
            if name in module.__all__:
                return getattr(module, name)
        raise AttributeError(f"module {old!r} has no attribute {name!r}")

    return sorted({n for m in modules for n in m.__all__}), forward
