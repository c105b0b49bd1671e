"""Decisions that follow the model's probabilities: held lines, related-link teasers, the page fallback.

``predict_stages`` of a model gives probabilities; these rules revise them
(:func:`hold_stage1`, :func:`hold_teasers`) and turn them into labels
(:func:`decide`).  They read the feature table's masks and nothing learned.
"""

from __future__ import annotations

import numpy as np

from ..features import FeatureTable

#: the class order of every probability array
CLASSES = np.array(["advocacy", "chrome", "news"])


#: a page whose news segments hold fewer characters than this gets the fallback of :func:`decide`
FALLBACK_MIN_CHARS = 500
#: ... and then every segment whose news score reaches this share of the page's best score, and at least
#: ``FALLBACK_FLOOR``, is news
FALLBACK_REL = 0.3
FALLBACK_FLOOR = 0.05


def decide(proba: np.ndarray, doc: np.ndarray, lengths: np.ndarray, title: np.ndarray | None = None) -> np.ndarray:
    """Labels from revised probabilities (``classes_`` order): the most probable class, page by page.

    A page is read for its article, so a page left with (almost) no news is
    more likely a page the model is unsure about than a page without an
    article: the argmax then yields to a relative rule, and the segments the
    model rates most newsy on that page (not advocacy) are news.  Site-grouped
    cross-validation chose the constants (``training/02_crossval.py``; on
    zyte-aeb ``clean`` went from 0.933 to 0.9395 token F1 and trafilatura-eval
    from 0.9145 to 0.917; pages that came out empty had the largest share of it).

    ``title`` marks the headline blocks (:func:`title_rows`).  The rule is
    about the article's body, which ``clean`` gives without its headline: a
    headline neither counts as the page's news nor sets the bar the body is
    measured against.  Before 0.1.5 it did both, and a page whose only
    confident block was its headline came out of ``clean`` empty (site-grouped
    CV of the HTML estimator of 0.1.3: trafilatura-eval 0.9285 to 0.9296, fundus-tests
    0.9470 to 0.9489, zyte-aeb 0.9496 to 0.9491, BENCHMARKS.md).
    """
    proba = np.asarray(proba)
    labels = CLASSES[np.argmax(proba, axis=1)]
    doc = np.asarray(doc)
    body_rows = np.ones(len(doc), dtype=bool) if title is None else ~np.asarray(title, dtype=bool)
    starts = np.r_[0, np.flatnonzero(np.diff(doc)) + 1]
    ends = np.r_[starts[1:], len(doc)]
    for a, b in zip(starts, ends):
        body = body_rows[a:b]
        if not body.any() or lengths[a:b][(labels[a:b] == "news") & body].sum() >= FALLBACK_MIN_CHARS:
            continue
        p = proba[a:b, 2]
        keep = (p >= max(FALLBACK_FLOOR, FALLBACK_REL * p[body].max())) & (labels[a:b] != "advocacy")
        labels[a:b][keep] = "news"
    return labels


def title_rows(table: FeatureTable) -> np.ndarray | None:
    """The rows of an HTML feature table that are the page's headline (None for plain text, which has none)."""
    if "is_title" not in table.dense_names:
        return None
    return table.dense[:, table.dense_names.index("is_title")] > 0.5


def hold_stage1(initial: np.ndarray, revised: np.ndarray, hold: np.ndarray | None) -> np.ndarray:
    """Revised scores where the rows of ``hold`` that stage 1 called chrome keep their stage-1 scores.

    ``hold`` marks plain-text lines that read as labels above the body
    (:func:`sourcecheck.features.label_lines`): a section name, a widget's
    caption.  They sit right above a headline and lede, so the revise stage
    tends to pull them in with them; the guidelines call them chrome, and
    when stage 1 did too, the revise stage does not apply to them.  In
    site-grouped CV of plain-text lines this changed nothing (0.9023 either
    way: of the 31 labelled lines it touched, 15 are chrome and 16 news),
    and it puts the two seed lines of that kind right.  Since 0.1.8 it also
    marks lines that end in a credit (:func:`sourcecheck.features.credit_lines`),
    picture captions, which the topic columns pull towards the body: on the
    out-of-fold scores of a plain-text model with the word column this raised
    news-vs-chrome under both seeds (0.9113 to 0.9116, 0.9119 to 0.9122).
    """
    if hold is None:
        return revised
    stay = np.asarray(hold, dtype=bool) & (CLASSES[np.argmax(initial, axis=1)] == "chrome")
    if not stay.any():
        return revised
    out = np.array(revised, copy=True)
    out[stay] = initial[stay]
    return out


#: a related-link lead-in keeps at most this news score after the revise stage (:func:`hold_teasers`)
TEASER_NEWS_CAP = 0.02


def hold_teasers(revised: np.ndarray, teasers: np.ndarray | None) -> np.ndarray:
    """Revised scores where related-link lead-ins (``"Lesen Sie auch: ..."``) cannot be news.

    The guidelines call related-link teasers chrome whatever their words;
    :mod:`sourcecheck.teasers` finds the ones that say so themselves.  Their
    news score above ``TEASER_NEWS_CAP`` moves to chrome (low enough that the
    fallback of :func:`decide` does not take them either); the advocacy score
    stays.  The context-free scores are left alone, so a user sees what the
    model made of the segment before this rule.
    """
    if teasers is None:
        return revised
    rows = np.flatnonzero(teasers)
    if not len(rows):
        return revised
    out = np.array(revised, dtype=float, copy=True)
    cut = np.maximum(out[rows, 2] - TEASER_NEWS_CAP, 0.0)
    out[rows, 2] -= cut
    out[rows, 1] += cut
    return out
