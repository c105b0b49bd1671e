"""Evaluation gate: pinned quality floors that refuse to drop.

The cross-validated figures come from ``training/02_crossval.py`` and travel
in the shipped model's ``metadata.json``; a retrained model whose figures fall
below a floor fails here and cannot ship.  The live checks re-score real
pages with the shipped model, so a regression in segmentation, features or
loading shows up even without retraining.

Regenerate the figures:
    python training/01_build_dataset.py && python training/02_crossval.py --seed 20261121 --seed 1
    python training/03_train.py --out src/sourcecheck/weights/default --force
Raise a floor when a change reaches higher; never lower one to make a change pass.
"""

from __future__ import annotations

import json

import pytest

from conftest import needs_model, needs_shared

# site-grouped cross-validation (all pages of a site in one fold), labels decided by `decide`, rounded down.
# Shipped model 0.1.9+20261205: its HTML estimator kept from 0.1.6+20261204 (refitted by 0.1.6, block kinds), under seeds
# 20261121 and 1 (the gate holds the lower of the two); its plain-text estimator refitted by 0.1.9 (the topic columns of
# 0.1.8, credit-ended captions held, and where the comment section starts), under the same two seeds.  0.1.6 raised the
# HTML floors, 0.1.8 and 0.1.9 the text floor, to just below the lower seed.  Targets
# still ahead (issue 2): advocacy precision and recall 0.80; (issue 5): zyte-aeb 0.96, trafilatura-eval 0.945.
FLOORS_CV = {
    ("text", "news_vs_chrome_macro_f1_chars"): 0.921,  # reached 0.9212 / 0.9213 (0.1.8: 0.9148 / 0.9202)
    ("html", "news_vs_chrome_macro_f1_chars"): 0.944,  # reached 0.9446 / 0.9464 (0.1.5: 0.9416 / 0.9443)
    ("html", "zyte-aeb"): 0.952,  # clean, Zyte token-shingle F1; reached 0.9528 / 0.9529 (0.1.5: 0.9507 / 0.9520)
    ("html", "trafilatura-eval"): 0.932,  # clean, trafilatura snippet F1; reached 0.9324 / 0.9322 (0.9336 / 0.9320)
    ("html", "advocacy_precision_agreed"): 0.79,  # reached 0.8000 / 0.7913 (0.7982 / 0.7913)
    ("html", "advocacy_recall_agreed"): 0.54,  # reached 0.5432 / 0.5617 (0.5370 / 0.5617)
}
# live, shipped model (trained on these pages, so higher than cross-validated); reached 0.975 (0.1.5: 0.9742)
FLOOR_LIVE_ZYTE = 0.97


def _cv(model):
    cv = model.meta.get("cross_validation")
    if not cv or "html" not in cv or "text" not in cv:
        pytest.fail("the shipped model carries no cross-validation figures (run training/02_crossval.py)")
    return cv


def _figure(cv, mode, name):
    """The figure of the CV run, or where it ran under several seeds, the lowest of them."""
    runs = [cv[mode]] + list(cv[mode].get("other_seeds", []))
    return min(_one_figure(r, name) for r in runs)


def _one_figure(r, name):
    if name in ("zyte-aeb", "trafilatura-eval"):
        return r["extraction"][name]["f1"]
    if name.startswith("advocacy_"):
        a = r["advocacy_on_hand_labels"]["agreed"]
        return a["precision"] if "precision" in name else a["recall"]
    return r["revised"][name]


@needs_model
@pytest.mark.parametrize("mode,name", list(FLOORS_CV))
def test_cross_validated_floor(model, mode, name):
    got = _figure(_cv(model), mode, name)
    assert got >= FLOORS_CV[(mode, name)], f"{mode} {name}: {got} fell below the floor {FLOORS_CV[(mode, name)]}"


@needs_model
def test_model_metadata_complete(model):
    meta = model.meta
    assert meta.get("version") and meta.get("trained")
    assert len(model.sha256) == 64 and meta.get("sha256") == model.sha256
    hashes = meta["training_data"]["sha256"]
    assert {"zyte-aeb", "trafilatura-eval", "labels"} <= set(hashes)
    assert all(len(h) == 64 for h in hashes.values())
    assert "scikit-learn" in meta["libraries"]
    assert (model.path / "MODEL_CARD.md").exists()


@needs_model
@needs_shared
def test_live_clean_on_zyte(model):
    from sourcecheck import Options, clean
    from sourcecheck.corpora import iter_pages
    from sourcecheck.metrics import zyte_scores

    pages = [p for p in iter_pages("zyte-aeb") if p.body]
    pred = {p.key: clean(p.read(), options=Options(sources=False), model=model) for p in pages}
    f1 = zyte_scores(pred, {p.key: p.body for p in pages}, bootstrap=0)["f1"]
    assert f1 >= FLOOR_LIVE_ZYTE, json.dumps({"zyte_live_f1": f1})


def test_a_run_under_several_seeds_is_judged_by_its_lowest_figure():
    def run(nc, zyte, p, r):
        return {"revised": {"news_vs_chrome_macro_f1_chars": nc}, "extraction": {"zyte-aeb": {"f1": zyte}},
                "advocacy_on_hand_labels": {"agreed": {"precision": p, "recall": r}}}
    cv = {"html": {**run(0.94, 0.95, 0.80, 0.50), "other_seeds": [run(0.93, 0.96, 0.70, 0.55)]}}
    assert _figure(cv, "html", "news_vs_chrome_macro_f1_chars") == 0.93
    assert _figure(cv, "html", "zyte-aeb") == 0.95
    assert _figure(cv, "html", "advocacy_precision_agreed") == 0.70
    assert _figure(cv, "html", "advocacy_recall_agreed") == 0.50
    assert _figure({"html": run(0.94, 0.95, 0.80, 0.50)}, "html", "zyte-aeb") == 0.95
