"""Shared fixtures: the repo's example articles, the shipped model, and ../shared when present."""

from __future__ import annotations

from pathlib import Path

import pytest

from sourcecheck.corpora import have_shared, shared_dir

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"


def model_available() -> bool:
    from sourcecheck.model.store import default_model_dir

    return (default_model_dir() / "metadata.json").exists()


# small invented pages with known labels, for tests that fit a model
NEWS = ["The council voted on Tuesday to extend the tram line by four stops, the mayor said.",
        "Construction is expected to start next year and to cost about 80 million euros.",
        "Residents had asked for the extension for a decade, according to a local survey."]
CHROME = ["Home", "Share on Facebook", "Log in to comment", "Subscribe to our newsletter", "© 2026 Example Media"]
ADVOCACY = ["Independent journalism is under threat: support us so we can stay free of billionaire owners."]


def toy_pages(n: int = 8, advocacy: bool = True) -> list[list[tuple[str, str]]]:
    """``n`` pages as (text, label) rows: chrome around three news paragraphs, an appeal on every other page."""
    import numpy as np

    pages = []
    rng = np.random.default_rng(0)
    for i in range(n):
        rows = [(t, "chrome") for t in CHROME[:2]] + [(t, "news") for t in NEWS] + [(t, "chrome") for t in CHROME[2:]]
        if advocacy and i % 2 == 0:
            rows.insert(5, (ADVOCACY[0], "advocacy"))
        rng.shuffle(rows[2:5])
        pages.append([(f"{t} {i}", lab) for t, lab in rows])
    return pages


needs_model = pytest.mark.skipif(not model_available(), reason="no shipped model in src/sourcecheck/weights/default")
needs_shared = pytest.mark.skipif(not have_shared(), reason="../shared (benchmark corpora) not present")


@pytest.fixture(scope="session")
def model():
    from sourcecheck import load_model

    if not model_available():
        pytest.skip("no shipped model")
    return load_model()


@pytest.fixture(scope="session")
def shared():
    if not have_shared():
        pytest.skip("../shared not present")
    return shared_dir()


FITTED = REPO / "training" / "fitted"


@pytest.fixture(scope="session")
def fitted_model():
    """The shipped model as it was fitted: scikit-learn estimators read from the training artefacts (skops).

    The package ships their scoring form (arrays and JSON); tests that look inside the fitted boosters and
    heads, or check that the scoring form equals them, read these.
    """
    from sourcecheck.model.old.format1 import load_format1

    if not (FITTED / "html.skops").exists():
        pytest.skip("no training artefacts in training/fitted")
    return load_format1(FITTED)


class CliResult:
    def __init__(self, exit_code: int, stdout: str, stderr: str):
        self.exit_code, self.stdout, self.stderr = exit_code, stdout, stderr
        self.output = stdout + stderr


def run_cli(*args, input: str | bytes | None = None) -> CliResult:
    """Run ``sourcecheck ARGS`` in this process, with stdin, stdout and stderr of its own."""
    import io
    import sys

    from sourcecheck.cli import main

    data = input.encode("utf-8") if isinstance(input, str) else (input or b"")
    stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdin, sys.stdout, sys.stderr
    sys.stdin, sys.stdout, sys.stderr = stdin, out, err
    try:
        code = main([str(a) for a in args])
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved
    return CliResult(code, out.getvalue(), err.getvalue())
