"""Main-text extraction metrics, as the benchmark corpora define them.

Two metrics, both pure functions (no I/O):

``zyte_scores``
    The metric of the Zyte (Scrapinghub) article-extraction-benchmark, its
    ``evaluate.py``.  Texts are split into ``\\w+`` tokens; each text becomes a
    multiset of 4-token shingles; per page the shingle multisets give TP, FP
    and FN, normalised so that TP+FP+FN = 1 (long pages weigh no more than
    short ones).  Precision is the mean per-page precision over the pages with
    TP+FP > 0, recall the mean per-page recall over the pages with TP+FN > 0,
    and F1 = 2PR/(P+R) of those two means (not the mean of per-page F1s).
    Accuracy is the share of pages whose token list equals the truth's.  The
    ``f1_std`` is the standard deviation of F1 over a page bootstrap.

``snippet_scores``
    The metric of trafilatura's evaluation (``tests/eval_common.py``): each
    page carries snippets that must appear in the output (``with``) and
    snippets that must not (``without``).  Output and snippets are
    whitespace-normalised; counts are summed over all pages.

Used by ``bench/run_extraction.py`` and by training code that wants the same
figures on out-of-fold predictions.
"""

from __future__ import annotations

import random
import re
import statistics
from collections import Counter
from typing import Iterable, Mapping

__all__ = [
    "tokenize",
    "shingles",
    "shingle_match",
    "precision_score",
    "recall_score",
    "zyte_scores",
    "normalize_ws",
    "snippet_page_counts",
    "snippet_scores",
]

# ---------------------------------------------------------------------------
# Zyte article-extraction-benchmark
# ---------------------------------------------------------------------------

#: Same flags as the benchmark; IGNORECASE has no effect on ``\w+`` and tokens keep their case.
_TOKEN_RE = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)

NGRAM_N = 4


def tokenize(text: str | None) -> list[str]:
    """The benchmark's tokens: every ``\\w+`` match, case kept. ``None`` is empty."""
    return _TOKEN_RE.findall(text or "")


def shingles(text: str | None, n: int = NGRAM_N) -> Counter:
    """Multiset of ``n``-token shingles of ``text``.

    As in the benchmark, a text with fewer than ``n`` (but at least one)
    tokens yields a single shorter shingle made of all its tokens; an empty
    text yields none.
    """
    tokens = tokenize(text)
    out: Counter = Counter()
    for i in range(0, max(1, len(tokens) - n + 1)):
        sh = tuple(tokens[i:i + n])
        if sh:
            out[sh] += 1
    return out


def shingle_match(true: str | None, pred: str | None, n: int = NGRAM_N) -> tuple[float, float, float]:
    """Per-page ``(tp, fp, fn)`` over shingle multisets, normalised to sum to 1 (if non-zero)."""
    ts, ps = shingles(true, n), shingles(pred, n)
    tp = fp = fn = 0.0
    for key in set(ts) | set(ps):
        t, p = ts.get(key, 0), ps.get(key, 0)
        tp += min(t, p)
        fp += max(0, p - t)
        fn += max(0, t - p)
    s = tp + fp + fn
    if s > 0:
        return tp / s, fp / s, fn / s
    return tp, fp, fn


def precision_score(tp: float, fp: float, fn: float) -> float:
    """Per-page precision, with the benchmark's conventions for degenerate pages."""
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def recall_score(tp: float, fp: float, fn: float) -> float:
    """Per-page recall, with the benchmark's conventions for degenerate pages."""
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


def _mean(values: list[float]) -> float:
    # The benchmark would raise on an empty list; we return 0.0 instead.
    return statistics.fmean(values) if values else 0.0


def _prf(tp_fp_fns: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    p = _mean([precision_score(*x) for x in tp_fp_fns if x[0] + x[1] > 0])
    r = _mean([recall_score(*x) for x in tp_fp_fns if x[0] + x[2] > 0])
    f1 = 2 * p * r / (p + r) if p + r > 0 else 0.0
    return p, r, f1


def zyte_scores(pred: Mapping[str, str | None], truth: Mapping[str, str | None],
                bootstrap: int = 1000, seed: int = 0) -> dict:
    """Score predicted main texts against true ones with the Zyte benchmark metric.

    ``pred`` and ``truth`` map page key -> text.  Every key of ``truth`` is a
    page; a key missing from ``pred`` (or a ``None`` text) counts as empty
    output.  Keys of ``pred`` absent from ``truth`` are ignored.

    Returns ``precision``, ``recall``, ``f1``, ``accuracy``, ``f1_std`` (std of
    F1 over ``bootstrap`` page resamples drawn with ``random.Random(seed)``;
    0.0 if ``bootstrap`` < 2 or there are no pages), ``pages`` (count) and
    ``per_page``: key -> {"p", "r", "f1", "tp", "fp", "fn", "exact"} where
    ``p``/``r`` are ``None`` for a page that is excluded from that mean.
    """
    keys = list(truth.keys())
    tp_fp_fns: list[tuple[float, float, float]] = []
    accuracies: list[float] = []
    per_page: dict[str, dict] = {}
    for key in keys:
        t = truth[key] or ""
        p = pred.get(key) or ""
        x = shingle_match(t, p)
        tp_fp_fns.append(x)
        exact = float(tokenize(t) == tokenize(p))
        accuracies.append(exact)
        pp = precision_score(*x) if x[0] + x[1] > 0 else None
        rr = recall_score(*x) if x[0] + x[2] > 0 else None
        if pp is None and rr is None:
            f = None  # both texts empty: the page does not enter P or R
        else:
            a, b = pp or 0.0, rr or 0.0
            f = 2 * a * b / (a + b) if a + b > 0 else 0.0
        per_page[key] = {"p": pp, "r": rr, "f1": f, "tp": x[0], "fp": x[1], "fn": x[2], "exact": bool(exact)}

    precision, recall, f1 = _prf(tp_fp_fns)
    accuracy = _mean(accuracies)

    f1_std = 0.0
    n = len(tp_fp_fns)
    if n and bootstrap >= 2:
        rng = random.Random(seed)
        f1s = []
        for _ in range(bootstrap):
            idx = [rng.randint(0, n - 1) for _ in range(n)]
            f1s.append(_prf([tp_fp_fns[i] for i in idx])[2])
        f1_std = statistics.stdev(f1s)

    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "accuracy": accuracy,
        "f1_std": f1_std,
        "pages": n,
        "per_page": per_page,
    }


# ---------------------------------------------------------------------------
# trafilatura evaluation snippets
# ---------------------------------------------------------------------------

_WS_RE = re.compile(r"\s+")


def normalize_ws(text: str | None) -> str:
    """Collapse every whitespace run to one space and strip; ``None`` is empty."""
    return _WS_RE.sub(" ", text or "").strip()


def snippet_page_counts(text: str | None, with_snippets: Iterable[str | None],
                        without_snippets: Iterable[str | None]) -> dict:
    """``{"tp", "fn", "fp", "tn"}`` for one page; ``None`` output (a crash) counts as empty."""
    out = normalize_ws(text)
    tp = fn = fp = tn = 0
    for s in with_snippets or ():
        if s is None:
            continue
        if normalize_ws(s) in out:
            tp += 1
        else:
            fn += 1
    for s in without_snippets or ():
        if s is None:
            continue
        if normalize_ws(s) in out:
            fp += 1
        else:
            tn += 1
    return {"tp": tp, "fn": fn, "fp": fp, "tn": tn}


def snippet_scores(pred: Mapping[str, str | None], pages: Iterable) -> dict:
    """Score predictions with trafilatura's snippet metric.

    ``pages``: objects with ``.key``, ``.with_snippets`` and ``.without_snippets``
    (e.g. :class:`sourcecheck.corpora.Page`).  A page missing from ``pred``
    counts as empty output.  Counts are summed over pages, then
    precision = TP/(TP+FP), recall = TP/(TP+FN), accuracy = (TP+TN)/all,
    F1 = 2TP/(2TP+FP+FN) (each 0.0 when its denominator is 0).

    Returns those four, the totals ``tp``/``fn``/``fp``/``tn``, ``pages`` and
    ``per_page``: key -> counts.
    """
    per_page: dict[str, dict] = {}
    tot = {"tp": 0, "fn": 0, "fp": 0, "tn": 0}
    for page in pages:
        c = snippet_page_counts(pred.get(page.key), page.with_snippets, page.without_snippets)
        per_page[page.key] = c
        for k in tot:
            tot[k] += c[k]
    tp, fn, fp, tn = tot["tp"], tot["fn"], tot["fp"], tot["tn"]

    def div(a, b):
        return a / b if b else 0.0

    return {
        "precision": div(tp, tp + fp),
        "recall": div(tp, tp + fn),
        "accuracy": div(tp + tn, tp + tn + fp + fn),
        "f1": div(2 * tp, 2 * tp + fp + fn),
        **tot,
        "pages": len(per_page),
        "per_page": per_page,
    }
