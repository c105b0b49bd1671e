"""The tutorial notebooks run top to bottom, offline, on the shipped model and examples.

Why: notebooks rot silently when the library changes under them.  Each is
executed in a temporary copy of ``notebooks/`` and ``examples/`` (so no
output is written into the checkout) with a 600 s limit (a fresh machine builds the matplotlib font cache on first use) per cell.  Skipped
when the shipped model or the notebook tools are missing.  The notebooks
must also be exactly what ``notebooks/build.py`` writes, with no outputs.
"""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ("01_anatomy.ipynb", "02_sources.ipynb", "03_teach_the_model.ipynb")
MODEL_META = ROOT / "src" / "sourcecheck" / "weights" / "default" / "metadata.json"


def _need(module: str):
    return pytest.importorskip(module, reason=f"{module} not installed (install the notebooks extra)")


def test_notebooks_are_built_and_stripped(tmp_path):
    nbformat = _need("nbformat")
    sys.path.insert(0, str(ROOT / "notebooks"))
    try:
        import build
    finally:
        sys.path.pop(0)
    build.build(tmp_path)
    for name in NOTEBOOKS:
        shipped = ROOT / "notebooks" / name
        assert shipped.read_text(encoding="utf-8") == (tmp_path / name).read_text(encoding="utf-8"), \
            f"{name} differs from what notebooks/build.py writes: run python notebooks/build.py"
        nb = nbformat.read(str(shipped), as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert not cell.outputs and cell.execution_count is None, f"{name}: outputs not stripped"
            assert "../shared" not in cell.source and "corpora" not in cell.source, f"{name}: reads outside the repo"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs(name, tmp_path, monkeypatch):
    if not MODEL_META.is_file():
        pytest.skip("the shipped model (src/sourcecheck/weights/default) is missing")
    nbformat = _need("nbformat")
    nbclient = _need("nbclient")
    _need("ipykernel")
    _need("matplotlib")
    shutil.copytree(ROOT / "notebooks", tmp_path / "notebooks", ignore=shutil.ignore_patterns("*.py", ".ipynb_checkpoints"))
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    # the notebooks must not depend on the shared corpora or a user's settings
    for var in ("SOURCECHECK_SHARED", "SOURCECHECK_MODEL", "SOURCECHECK_REGISTRY", "SOURCECHECK_EXAMPLES", "MPLBACKEND"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("SOURCECHECK_HOME", str(tmp_path / "home"))
    path = tmp_path / "notebooks" / name
    nb = nbformat.read(str(path), as_version=4)
    client = nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(path.parent)}})
    t0 = time.time()
    client.execute()
    elapsed = time.time() - t0
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.get("output_type") == "error"]
    assert not errors, errors
    print(f"{name}: {elapsed:.1f} s")
