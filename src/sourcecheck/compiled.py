"""The optional compiled parts (``segment/_walk.pyx``, ``model/_trees.pyx``): loaded where they were built.

Each speeds up Python code that stays in place and gives the same results;
an install without a C compiler, or a build made against another lxml or
Python, runs that code instead (``README.md``, "Compiled parts").
"""

from __future__ import annotations

import importlib
from types import ModuleType


def optional_module(name: str) -> ModuleType | None:
    """The module ``name`` if it imports, else None."""
    try:
        return importlib.import_module(name)
    except Exception:  # noqa: BLE001 - not built, or built for another lxml or Python: the Python code runs
        return None
