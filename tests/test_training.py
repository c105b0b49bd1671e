"""Training step 02 on a small labelled set: saved fold models score again to the same figures, also after a rebuild."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import joblib

from sourcecheck.article import Segment
from sourcecheck.dataset import Dataset

from conftest import toy_pages

STEP02 = Path(__file__).resolve().parents[1] / "training" / "02_crossval.py"


def _dataset(n_sites=8, per_site=2) -> Dataset:
    ds = Dataset(mode="text")
    for i, rows in enumerate(toy_pages(n_sites * per_site, advocacy=False)):
        ds.docs.append([Segment(index=j, text=t, context={}) for j, (t, _) in enumerate(rows)])
        ds.labels.append([lab for _, lab in rows])
        ds.pages.append({"corpus": "toy", "key": str(i), "site": f"site{i % n_sites}.example", "lang": "en"})
        ds.hand.append([None] * len(rows))
    return ds


def _step02(work: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "SOURCECHECK_WORK": str(work)}
    return subprocess.run([sys.executable, str(STEP02), "--mode", "text", "--folds", "2", "--jobs", "1", *args],
                          env=env, capture_output=True, text=True, timeout=600)


def test_saved_fold_models_score_again_to_the_same_figures(tmp_path):
    joblib.dump({"text": _dataset()}, tmp_path / "datasets.joblib")
    folds = tmp_path / "folds"
    fitted = _step02(tmp_path, "--seed", "3", "--save-folds", str(folds))
    assert fitted.returncode == 0, fitted.stderr[-2000:]
    first = json.loads((tmp_path / "cv-text.json").read_text())
    assert sorted(p.name for p in folds.iterdir()) == ["text-folds.json", "text-seed3-fold0.skops",
                                                      "text-seed3-fold1.skops"]
    again = _step02(tmp_path, "--seed", "3", "--from-folds", str(folds))
    assert again.returncode == 0, again.stderr[-2000:]
    second = json.loads((tmp_path / "cv-text.json").read_text())
    assert second["revised"] == first["revised"] and second["initial"] == first["initial"]
    assert "scored by sourcecheck" in second["rescored"] and "rescored" not in first

    # another seed than the saved one, or another dataset: a clear error, no figures
    other_seed = _step02(tmp_path, "--seed", "4", "--from-folds", str(folds))
    assert other_seed.returncode != 0 and "no saved fold model" in other_seed.stderr
    manifest = json.loads((folds / "text-folds.json").read_text())
    assert sorted(sum(manifest["test_pages"], [])) == sorted(f"toy/{i}" for i in range(16))

    # the same pages, segmented otherwise (rows moved): each page is scored by the fold model that did not see it
    rebuilt = _dataset()
    for d, labels in zip(rebuilt.docs[::3], rebuilt.labels[::3]):
        del d[-1], labels[-1]
    joblib.dump({"text": rebuilt}, tmp_path / "datasets.joblib")
    moved = _step02(tmp_path, "--seed", "3", "--from-folds", str(folds))
    assert moved.returncode == 0, moved.stderr[-2000:]
    third = json.loads((tmp_path / "cv-text.json").read_text())
    assert "rebuilt since" in third["rescored"]
    assert third["labelled_segments"] == first["labelled_segments"] - 6
    assert abs(third["revised"]["news_vs_chrome_macro_f1_chars"] - first["revised"]["news_vs_chrome_macro_f1_chars"]) < 0.05

    joblib.dump({"text": _dataset(n_sites=9)}, tmp_path / "datasets.joblib")
    other_data = _step02(tmp_path, "--seed", "3", "--from-folds", str(folds))
    assert other_data.returncode != 0 and "another dataset" in other_data.stderr
    both = _step02(tmp_path, "--save-folds", str(folds), "--from-folds", str(folds))
    assert both.returncode == 2
