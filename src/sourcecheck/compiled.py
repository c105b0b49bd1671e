"""The optional compiled parts (``segment/_walk.pyx``, ``model/_trees.pyx``, ``_csr.pyx``): loaded where they were built.

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


class OptionalModule:
    """A compiled module, looked for on first use and kept; ``get()`` is None where it was not built.

    ``disable()`` makes the Python code run, as where the module was not built (benchmarks and tests).
    """

    def __init__(self, name: str):
        self.name = name
        self._module: ModuleType | None | bool = False  # False: not looked for yet

    def get(self) -> ModuleType | None:
        if self._module is False:
            self._module = optional_module(self.name)
        return self._module  # type: ignore[return-value]

    def disable(self) -> None:
        self._module = None
