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


needs_model = pytest.mark.skipif(not model_available(), reason="no shipped model in src/sourcecheck/models/default")
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
