"""Step 02: site-grouped cross-validation of both models.

    python training/02_crossval.py [--mode html|text|both] [--folds 5] [--rescore] [--seed N ...] [--jobs 2]
                                   [--save-folds DIR | --from-folds DIR]

All pages of one site fall in the same fold, so no page is scored by a model
that learned its site's template.  Writes to the work directory
``cv-<mode>.json`` (all figures) and ``oof-<mode>.npz`` (out-of-fold scores),
and for HTML the out-of-fold ``clean`` text of every page to
``bench/out/sourcecheck-cv/<corpus>.jsonl`` (ignored by git) so that
``bench/run_extraction.py`` puts it beside trafilatura and jusText.

``--save-folds DIR`` also keeps each fold's fitted estimator (skops files and
a manifest).  ``--from-folds DIR`` scores those saved estimators with the
code that runs now, without refitting: after a change to how a fitted model
scores (not to how it is fitted), the CV of an existing model can be measured
again.  The figures then say so (``"rescored"``).  The manifest lists each
fold's held-out pages, so a dataset rebuilt from the same pages (rows moved by
a change to segmentation) is scored too: every page by the fold model that did
not see its site.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import joblib  # noqa: E402
import numpy as np  # noqa: E402
from common import CV_FOLDS, SEED, work_dir, write_json  # noqa: E402
from sklearn.metrics import f1_score, precision_recall_fscore_support  # noqa: E402
from sklearn.model_selection import GroupKFold  # noqa: E402

from sourcecheck.features import featurize, held_lines  # noqa: E402
from sourcecheck.model.card import headline_figures  # noqa: E402
from sourcecheck.model.estimator import SegmentClassifier  # noqa: E402
from sourcecheck.model.rules import CLASSES, decide, hold_stage1  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
LABELS = ["news", "chrome", "advocacy"]


def per_class(y, pred, weight=None) -> dict:
    p, r, f, s = precision_recall_fscore_support(y, pred, labels=LABELS, sample_weight=weight, zero_division=0)
    return {lab: {"precision": round(float(p[i]), 4), "recall": round(float(r[i]), 4), "f1": round(float(f[i]), 4),
                  "support": round(float(s[i]), 1)} for i, lab in enumerate(LABELS)}


def news_vs_chrome(y, pred, weight) -> float:
    """Macro-F1 of news against chrome, character-weighted, over segments labelled news or chrome."""
    m = (y == "news") | (y == "chrome")
    if m.sum() == 0:
        return float("nan")
    yt = np.where(y[m] == "news", "news", "chrome")
    yp = np.where(pred[m] == "news", "news", "chrome")
    return round(float(f1_score(yt, yp, average="macro", sample_weight=weight[m])), 4)


def fit_fold(mode: str, table, y, groups, tr, te, seed: int, save: Path | None = None):
    """Fit on the rows ``tr``, score the rows ``te``: one fold (its estimator kept in ``save``, if given).

    The fit runs on one thread (``SegmentClassifier.fit``), so that a seed's
    figures do not depend on how many cores the machine has; folds run side
    by side instead.
    """
    est = SegmentClassifier(mode=mode, random_state=seed).fit(table.subset(tr), y[tr], groups=groups[tr])
    if save is not None:
        import skops.io as sio

        sio.dump(est, save)
    return est.predict_stages(table.subset(te))


def score_fold(path: Path, table, te):
    """Score the rows ``te`` with a saved fold estimator (loaded as safely as a model)."""
    from sourcecheck.model.old.format1 import load_estimator

    return load_estimator(path).predict_stages(table.subset(te))


def _fold_file(folder: Path, mode: str, seed: int, k: int) -> Path:
    return folder / f"{mode}-seed{seed}-fold{k}.skops"


def _fingerprint(y, folds: int) -> dict:
    import hashlib

    return {"rows": int(len(y)), "folds": folds,
            "labels_sha256": hashlib.sha256("\n".join(str(v) for v in y).encode()).hexdigest()}


def _page_ids(data) -> list[str]:
    """A name for each document of the dataset that survives a rebuild: corpus, key, and augmented or not."""
    return [f"{p.get('corpus')}/{p.get('key')}" + ("#augmented" if p.get("augmented") else "") for p in data.pages]


def _splits_of_saved(manifest: dict, data, y, page_of_row, folds: int, splits):
    """The row splits the saved fold models were scored on, and a note when the dataset was rebuilt since.

    The same dataset: the splits of this run.  A dataset rebuilt from the same pages (segmentation or labels
    changed, so rows moved): each page goes to the fold whose model did not see it, as the manifest lists
    them, so a fold model still scores only sites it was not fitted on.  Anything else is refused.
    """
    if {k: manifest.get(k) for k in ("rows", "folds", "labels_sha256")} == _fingerprint(y, folds):
        return splits, None
    test_pages = manifest.get("test_pages")
    ids = _page_ids(data)
    if manifest.get("folds") != folds or not test_pages or set(sum(test_pages, [])) != set(ids):
        return None, None
    fold_of_page = {pid: k for k, pages in enumerate(test_pages) for pid in pages}
    fold_of_row = np.array([fold_of_page[ids[i]] for i in page_of_row])
    rows = np.arange(len(y))
    note = (f"on a dataset rebuilt since the fold models were fitted ({manifest.get('rows')} rows then, "
            f"{len(y)} now; the same pages, each scored by the fold model that did not see it)")
    return [(rows[fold_of_row != k], rows[fold_of_row == k]) for k in range(folds)], note


def run(mode: str, folds: int, rescore: bool = False, seeds=(SEED,), jobs: int = 1,
        save_folds: Path | None = None, from_folds: Path | None = None) -> list[dict]:
    """The figures of each seed (the first seed's out-of-fold scores and clean text are also saved)."""
    data = joblib.load(work_dir() / "datasets.joblib")[mode]
    t0 = time.time()
    y = np.array(["" if v is None else v for v in data.flat_labels()], dtype=object)
    page_of_row = np.concatenate([np.full(len(d), i) for i, d in enumerate(data.docs)])
    lengths = np.array([len(s.text) for d in data.docs for s in d])
    if rescore:
        # the saved out-of-fold scores, judged again (after a change to how labels are decided from scores)
        oof = np.load(work_dir() / f"oof-{mode}.npz")
        if list(oof["y"]) != [str(v) for v in y]:
            raise SystemExit(f"error: oof-{mode}.npz does not belong to this dataset; rerun without --rescore")
        return [evaluate(mode, data, y, page_of_row, lengths, oof["initial"], oof["revised"], folds, t0)]
    table = featurize(data.docs, mode)
    groups = np.array(data.groups())
    splits = list(GroupKFold(n_splits=folds).split(y, groups=groups))
    tasks = [(seed, k) for seed in seeds for k in range(folds)]
    rescored = None
    if from_folds is not None:
        manifest = json.loads((from_folds / f"{mode}-folds.json").read_text())
        splits, rebuilt = _splits_of_saved(manifest, data, y, page_of_row, folds, splits)
        if splits is None:
            raise SystemExit(f"error: the fold models in {from_folds} were fitted on another dataset or split")
        missing = [str(_fold_file(from_folds, mode, s, k)) for s, k in tasks
                   if not _fold_file(from_folds, mode, s, k).exists()]
        if missing:
            raise SystemExit(f"error: no saved fold model {missing[0]} (give the seeds it was run with)")
        from sourcecheck import __version__

        rescored = (f"{time.strftime('%Y-%m-%d')}: fold models fitted by sourcecheck {manifest.get('sourcecheck')}, "
                    f"scored by sourcecheck {__version__}" + (f" {rebuilt}" if rebuilt else ""))
        print(f"[{mode}] scoring {len(tasks)} saved fold models from {from_folds}", flush=True)
        scores = [score_fold(_fold_file(from_folds, mode, s, k), table, splits[k][1]) for s, k in tasks]
    else:
        from joblib import Parallel, delayed

        if save_folds is not None:
            from sourcecheck import __version__

            save_folds.mkdir(parents=True, exist_ok=True)
            ids = _page_ids(data)
            write_json(save_folds / f"{mode}-folds.json",
                       {**_fingerprint(y, folds), "seeds": list(seeds), "sourcecheck": __version__,
                        "test_pages": [sorted({ids[i] for i in page_of_row[te]}) for _, te in splits]})
        print(f"[{mode}] {len(tasks)} fits ({len(seeds)} seeds x {folds} folds) on {jobs} processes", flush=True)
        scores = Parallel(n_jobs=jobs, verbose=10)(
            delayed(fit_fold)(mode, table, y, groups, splits[k][0], splits[k][1], seed,
                              None if save_folds is None else _fold_file(save_folds, mode, seed, k))
            for seed, k in tasks)
    out = []
    for i, seed in enumerate(seeds):
        P0 = np.zeros((len(y), 3))
        P = np.zeros((len(y), 3))
        fold_of_row = np.zeros(len(y), dtype=int)
        for k, (_, te) in enumerate(splits):
            P0[te], P[te] = scores[i * folds + k]
            fold_of_row[te] = k
        if i == 0:
            np.savez_compressed(work_dir() / f"oof-{mode}.npz", initial=P0, revised=P, y=y.astype(str),
                                fold=fold_of_row)
        res = evaluate(mode, data, y, page_of_row, lengths, P0, P, folds, t0, write=(i == 0))
        res["seed"] = seed
        if rescored:
            res["rescored"] = rescored
        out.append(res)
    return out


def evaluate(mode, data, y, page_of_row, lengths, P0, P, folds, t0, write: bool = True) -> dict:
    """All figures from out-of-fold scores; labels as the library decides them (``decide``)."""

    # augmented copies (cropped text renderings) train but are never evaluated
    real = np.array([not data.pages[i].get("augmented") for i in page_of_row])
    lab = (y != "") & real
    w = lengths.astype(float)
    n_real = sum(1 for p in data.pages if not p.get("augmented"))
    res: dict = {"mode": mode, "folds": folds, "grouping": "site (registered domain)", "pages": n_real,
                 "augmented_training_docs": len(data.docs) - n_real,
                 "labelled_segments": int(lab.sum()), "seconds": None}
    if mode == "text":  # saved scores from before the hold get it here (for fresh ones it is a no-op)
        P = hold_stage1(P0, P, held_lines(data.docs))
    # headline blocks, as the library reads them off an HTML page's features (plain text has none)
    title = (np.array([bool(s.context.get("is_title")) for d in data.docs for s in d]) if mode == "html" else None)
    revised_labels = decide(P, page_of_row, lengths, title)
    for stage, pred in (("initial", CLASSES[P0.argmax(1)]), ("revised", revised_labels)):
        res[stage] = {
            "news_vs_chrome_macro_f1_chars": news_vs_chrome(y[lab], pred[lab], w[lab]),
            "per_class_segments": per_class(y[lab], pred[lab]),
            "per_class_chars": per_class(y[lab], pred[lab], w[lab]),
        }
    pred = revised_labels
    # per corpus and per language, revised
    for key in ("corpus", "lang"):
        vals = np.array([data.pages[i][key] for i in page_of_row])
        out = {}
        for v, n in Counter(p[key] for p in data.pages if not p.get("augmented")).most_common():
            m = lab & (vals == v)
            if m.sum() < 50 or n < 3:
                continue
            out[v] = {"pages": n, "news_vs_chrome_macro_f1_chars": news_vs_chrome(y[m], pred[m], w[m])}
        res[f"by_{key}"] = out
    if mode == "html":
        res["advocacy_on_hand_labels"] = advocacy_report(data, pred)
        res["extraction"] = write_clean(data, pred, write)
    res["seconds"] = round(time.time() - t0, 1)
    return res


def advocacy_report(data, pred) -> dict:
    """Advocacy precision and recall on the hand-labelled records, all and agreed-only, with misses by subtype."""
    rows = [(r, p) for hand_rows, start in zip(data.hand, np.cumsum([0] + [len(d) for d in data.docs[:-1]]))
            for r, p in zip(hand_rows, pred[start:start + len(hand_rows)]) if r is not None]
    out = {}
    for name, keep in (("agreed", lambda r: r.get("agreement") == "agreed"), ("all", lambda r: True)):
        sel = [(r, p) for r, p in rows if keep(r)]
        tp = sum(1 for r, p in sel if r["label"] == "advocacy" and p == "advocacy")
        fp = sum(1 for r, p in sel if r["label"] != "advocacy" and p == "advocacy")
        fn = sum(1 for r, p in sel if r["label"] == "advocacy" and p != "advocacy")
        out[name] = {"records": len(sel), "tp": tp, "fp": fp, "fn": fn,
                     "precision": round(tp / max(tp + fp, 1), 4), "recall": round(tp / max(tp + fn, 1), 4)}
    missed = Counter(r.get("subtype") for r, p in rows if r["label"] == "advocacy" and p != "advocacy")
    false = Counter(f"{r['label']}:{r.get('subtype')}" for r, p in rows if r["label"] != "advocacy" and p == "advocacy")
    out["missed_by_subtype"] = dict(missed.most_common())
    out["false_alarms_by_subtype"] = dict(false.most_common())
    return out


def write_clean(data, pred, write: bool = True) -> dict:
    """Out-of-fold clean text per page, scored with each corpus's metric (and written for the bench)."""
    from sourcecheck.corpora import iter_pages
    from sourcecheck.metrics import snippet_scores, zyte_scores

    outdir = REPO / "bench" / "out" / "sourcecheck-cv"
    outdir.mkdir(parents=True, exist_ok=True)
    texts: dict[str, dict[str, str]] = defaultdict(dict)
    start = 0
    for info, doc in zip(data.pages, data.docs):
        labs = pred[start:start + len(doc)]
        start += len(doc)
        body = "\n\n".join(s.text for s, lab in zip(doc, labs) if lab == "news" and not s.context.get("is_title"))
        texts[info["corpus"]][info["key"]] = body
    scores = {}
    for corpus in ("zyte-aeb", "trafilatura-eval", "readability-tests", "fundus-tests"):
        pages = list(iter_pages(corpus))
        if write:
            with open(outdir / f"{corpus}.jsonl", "w", encoding="utf-8") as fh:
                for p in pages:
                    fh.write(json.dumps({"key": p.key, "text": texts[corpus].get(p.key, "")},
                                        ensure_ascii=False) + "\n")
        pred_texts = {p.key: texts[corpus].get(p.key, "") for p in pages}
        if corpus == "trafilatura-eval":
            s = snippet_scores(pred_texts, pages)
        else:
            truth = {p.key: p.body for p in pages if p.body}
            s = zyte_scores({k: pred_texts[k] for k in truth}, truth)
        scores[corpus] = {k: (round(v, 4) if isinstance(v, float) else v) for k, v in s.items()
                          if k in ("precision", "recall", "f1", "accuracy", "f1_std", "pages")}
    return scores


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mode", choices=["html", "text", "both"], default="both")
    ap.add_argument("--folds", type=int, default=CV_FOLDS)
    ap.add_argument("--rescore", action="store_true",
                    help="judge the saved out-of-fold scores again instead of refitting (labels decided anew)")
    ap.add_argument("--seed", type=int, action="append", default=None,
                    help=f"random state of every fit (default {SEED}); give it twice or more to run the CV under "
                         "each seed and see how much of a difference is noise (the first seed's scores are saved)")
    ap.add_argument("--jobs", type=int, default=2, help="folds fitted side by side, one thread each (default 2)")
    ap.add_argument("--save-folds", type=Path, default=None, metavar="DIR",
                    help="also keep each fold's fitted estimator in DIR (for --from-folds later)")
    ap.add_argument("--from-folds", type=Path, default=None, metavar="DIR",
                    help="score the fold estimators saved in DIR with this code instead of refitting")
    args = ap.parse_args()
    if args.save_folds and args.from_folds or args.rescore and (args.save_folds or args.from_folds):
        print("error: give one of --rescore, --save-folds and --from-folds", file=sys.stderr)
        return 2
    seeds = args.seed or [SEED]
    if len(set(seeds)) != len(seeds) or args.jobs < 1:
        print("error: give each --seed once, and --jobs 1 or more", file=sys.stderr)
        return 2
    if not (work_dir() / "datasets.joblib").exists():
        print("error: run training/01_build_dataset.py first", file=sys.stderr)
        return 1
    for mode in (["html", "text"] if args.mode == "both" else [args.mode]):
        results = run(mode, args.folds, args.rescore, seeds, args.jobs, args.save_folds, args.from_folds)
        res = results[0]
        prev = work_dir() / f"cv-{mode}.json"
        if args.rescore and prev.exists():
            old = json.loads(prev.read_text())
            res["seconds"] = old.get("seconds")  # of the fitting, not of this pass
            res["seed"] = old.get("seed")
            res["rescored"] = time.strftime("%Y-%m-%d")
        if len(results) > 1:
            res["other_seeds"] = results[1:]
        write_json(prev, res)
        for r in results:
            print(json.dumps({"seed": r.get("seed"), **headline_figures(r)}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
