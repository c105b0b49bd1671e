"""The revise stage's inputs: what a segment's neighbours, container, page and words say of it.

Everything here is a function of a :class:`~sourcecheck.features.FeatureTable` and
the stage-1 scores; nothing is learned.  Scoring and fitting call the same
functions, so a model sees at prediction the columns it was fitted on.
"""

from __future__ import annotations

import numpy as np

from ..cues import CUE_NAMES
from ..features import N_CHAR, N_TEXT, FeatureTable

OFFSETS = (-3, -2, -1, 1, 2, 3)
WINDOWS = (2, 5, 12)
#: the dense columns the advocacy revise stage reads beside the advocacy scores (:func:`adv_design`)
ADV_CUE_COLUMNS = ("adv_values", "adv_ask", "address", "first_plural", "log_len", "ends_sentence", "rel_pos") + CUE_NAMES


def context_features(table: FeatureTable, p_news: np.ndarray, p_adv: np.ndarray, same_kind: bool = False,
                     with_dense: bool = True, topic: bool = False, comments: bool = False) -> np.ndarray:
    """Stage-2 inputs: own and neighbours' stage-1 scores, window means, page figures, own numbers.

    ``same_kind`` adds the mean score and size of each block's kinds (``FeatureTable.kinds``) after the
    container columns, and ``topic`` how far the segment's words and character n-grams are those of the
    page's news, and its words those of the lede (:func:`topic_similarity`, :func:`lede_rows`), after
    those: an estimator passes its own, so a model fitted before either existed gets the columns it was
    fitted on.  ``comments`` adds, last, where a plain text's comment section starts
    (:func:`comment_columns`).  ``with_dense=False`` leaves out the table's own dense columns at the end (the second
    revise pass reads only the context).
    """
    n = len(table)
    doc = table.doc
    cols = [p_news, p_adv]
    # neighbours within the same document; -1 marks "no neighbour"
    for off in OFFSETS:
        j = np.arange(n) + off
        ok = (j >= 0) & (j < n)
        jj = np.minimum(np.maximum(j, 0), n - 1)
        ok &= doc[jj] == doc
        cols.append(np.where(ok, p_news[jj], -1.0))
        cols.append(np.where(ok, p_adv[jj], -1.0))
        cols.append(np.where(ok, np.log1p(table.lengths[jj]), -1.0))
    # window means over same-document rows (length-weighted for p_news)
    w = np.log1p(table.lengths).astype(np.float64)
    starts = np.r_[0, np.flatnonzero(np.diff(doc)) + 1]
    ends = np.r_[starts[1:], n]
    doc_start = np.repeat(starts, ends - starts)
    doc_end = np.repeat(ends, ends - starts)
    cw = np.r_[0.0, np.cumsum(w)]
    cwp = np.r_[0.0, np.cumsum(w * p_news)]
    cadv = np.r_[0.0, np.cumsum(p_adv)]
    idx = np.arange(n)
    for k in WINDOWS:
        lo = np.maximum(idx - k, doc_start)
        hi = np.minimum(idx + k + 1, doc_end)
        cols.append((cwp[hi] - cwp[lo]) / np.maximum(cw[hi] - cw[lo], 1e-9))
        cols.append((cadv[hi] - cadv[lo]) / np.maximum(hi - lo, 1))
    # page level: mean news score, where the segment stands relative to the page's news block
    dmean = (cwp[doc_end] - cwp[doc_start]) / np.maximum(cw[doc_end] - cw[doc_start], 1e-9)
    cols.append(dmean)
    cols.append(p_news - dmean)
    # distance (in segments) to the nearest confident news segment before (at most 50, also when there is none)
    # and after (at most 50; -1 when there is none).  Until 0.1.4 "none after" was written as 1000 minus the row's
    # place in the whole table: a negative number for rows past the 950th of a batch or of the training table, but
    # 50 for a single page, so a batch could label a page otherwise than the page alone, and single pages showed the
    # model "far after" where it had learned "none after" as a number below 1.  Now it is -1 wherever the row sits.
    conf = p_news > 0.7
    big = np.int64(1) << 40
    prev = np.maximum.accumulate(np.where(conf, idx, -big))  # last confident row at or before each row
    prev = np.r_[-big, prev][:n]  # strictly before
    nxt = np.minimum.accumulate(np.where(conf, idx, big)[::-1])[::-1]  # first confident row at or after
    nxt = np.r_[nxt, big][1:]  # strictly after
    cols.append(np.where(prev >= doc_start, np.minimum(idx - prev, 50), 50))
    cols.append(np.where(nxt < doc_end, np.minimum(nxt - idx, 50), -1))
    # share of the page's confident news that lies before this segment
    cconf = np.r_[0.0, np.cumsum(conf * w)]
    tot = np.maximum(cconf[doc_end] - cconf[doc_start], 1e-9)
    share_before = (cconf[idx] - cconf[doc_start]) / tot
    cols.append(share_before)
    # HTML: how the other blocks of the same parent, grandparent and great-grandparent element score
    # (an article body's paragraphs share a container; so do a comment thread's), and, for a model fitted with
    # ``same_kind``, the other blocks of the same kind (features.kinds: built alike by the template)
    groups = [] if table.containers is None else [table.containers]
    if same_kind and table.kinds is not None:
        groups.append(table.kinds)
    wp = w * p_news
    for inv, sw, has, size_col in _groupings(table, groups, w):
        swp = np.bincount(inv, weights=wp)
        cols.append(np.where(has, swp[inv] / sw, p_news))
        cols.append(size_col)
    if topic:
        cols.append(topic_similarity(table, w * p_news))
        cols.append(topic_similarity(table, w * p_news, "chars"))
        cols.append(topic_similarity(table, lede_rows(table, p_news, doc_start)))
    if comments:
        cols.extend(comment_columns(table, share_before, doc_start, doc_end))
    return np.column_stack(cols + [table.dense] if with_dense else cols).astype(np.float32)


#: a comment-section heading opens the comments when at least this share of the page's confident news is above it
#: (a "Comments" link in a menu above the article does not)
COMMENTS_AFTER = 0.6


def comment_columns(table: FeatureTable, share_before: np.ndarray, doc_start: np.ndarray,
                    doc_end: np.ndarray) -> list[np.ndarray]:
    """Where a plain text's comment section lies, from the lines ``features.comment_marks`` found.

    Five columns: whether a comment-section heading stands above the row, below most of the page's
    confident news (``share_before``, at ``COMMENTS_AFTER``); how many comment bylines stand above it (log);
    whether the row, the one before and the one after are bylines.  A table without marks gets zeros.
    """
    n = len(table)
    marks = np.zeros(n, dtype=np.int8) if table.marks is None else table.marks
    idx = np.arange(n)
    opened = np.where((marks == 1) & (share_before >= COMMENTS_AFTER), idx, -1)
    zone = np.maximum.accumulate(opened) >= doc_start
    byline = (marks == 2).astype(np.float64)
    cb = np.r_[0.0, np.cumsum(byline)]
    before = np.log1p(cb[idx + 1] - cb[doc_start])
    prev = np.where(idx - 1 >= doc_start, byline[np.maximum(idx - 1, 0)], 0.0)
    nxt = np.where(idx + 1 < doc_end, byline[np.minimum(idx + 1, n - 1)], 0.0)
    return [zone.astype(np.float64), before, byline, prev, nxt]


def _cache(table: FeatureTable) -> dict:
    """What the revise stage derives from the table alone (``FeatureTable.cache``)."""
    if not isinstance(getattr(table, "cache", None), dict):  # a table pickled before tables had a cache
        table.cache = {}
    return table.cache


def _groupings(table: FeatureTable, groups: list[np.ndarray], w: np.ndarray) -> list[tuple]:
    """Per container or kind column: each row's group, the group weights, which rows have one, the size column.

    None of it depends on the scores, so it is computed once per table (the revise stage reads it twice).
    """
    key = ("groupings", len(groups))
    got = _cache(table).get(key)
    if got is None:
        got = []
        doc = table.doc
        for ids in (g[:, k] for g in groups for k in range(g.shape[1])):
            _, inv = np.unique(doc.astype(np.int64) * (1 << 32) + ids, return_inverse=True)
            inv = inv.ravel()
            has = ids >= 0
            got.append((inv, np.maximum(np.bincount(inv, weights=w)[inv], 1e-9), has,
                        np.where(has, np.log1p(np.bincount(inv)[inv] - 1), 0.0)))
        table.cache[key] = got
    return got


def topic_similarity(table: FeatureTable, weights: np.ndarray, part: str = "words") -> np.ndarray:
    """Per segment: the cosine between its words and the weighted words of the other segments of its page.

    With news scores (times log length) as weights this asks whether a segment
    speaks of what the page's article speaks of.  An article's paragraphs share
    its names and words; a teaser for another story, a comment, a cookie notice
    or a menu does not, in any language and any template.  Words are the hashed
    word unigrams and bigrams of the sparse block, counted once per segment
    (no corpus statistics, so nothing is learned or stored).  The segment's own
    words are left out of the page's, so a page of one segment gets 0.
    ``part="chars"`` reads the hashed character n-grams instead: they match
    inflected forms and compounds, and scripts written without spaces.
    """
    key = ("topic", part)
    got = _cache(table).get(key)
    if got is None:
        cols = slice(N_CHAR, N_TEXT) if part == "words" else slice(0, N_CHAR)
        words = table.sparse[:, cols].tocsr()
        words.eliminate_zeros()
        row = np.repeat(np.arange(words.shape[0]), np.diff(words.indptr))
        _, page = np.unique(table.doc, return_inverse=True)
        page = page.ravel()
        # one entry per (page, word) pair that occurs: the centre of a page is a sum over these, and memory stays
        # that of the table's own entries (a row-by-row product with each page's centre does not fit for n-grams)
        _, pair = np.unique(page[row].astype(np.int64) * words.shape[1] + words.indices, return_inverse=True)
        pair = pair.ravel()
        n_words = np.diff(words.indptr).astype(np.float64)  # squared norm of a 0/1 row: its number of words
        pair_page = np.zeros(int(pair.max()) + 1 if len(pair) else 0, dtype=np.int64)
        pair_page[pair] = page[row]
        got = table.cache[key] = (row, pair, pair_page, page, n_words)
    row, pair, pair_page, page, n2 = got
    n = len(page)
    if n == 0:
        return np.zeros(0)
    weights = np.asarray(weights, dtype=np.float64)
    centre = np.bincount(pair, weights=weights[row], minlength=len(pair_page))  # per (page, word): its weight
    c2 = np.bincount(pair_page, weights=centre ** 2, minlength=int(page.max()) + 1)
    dot = np.bincount(row, weights=centre[pair], minlength=n)
    others = dot - weights * n2  # leave the segment's own words out
    rest2 = np.maximum(c2[page] - 2 * weights * dot + weights ** 2 * n2, 0.0)
    denom = np.sqrt(n2 * rest2)
    return np.where(denom > 1e-12, others / np.maximum(denom, 1e-12), 0.0)


#: the lede: the first ``LEDE_ROWS`` segments of a page with ``LEDE_MIN_CHARS`` or more and a news score over 0.5
LEDE_ROWS = 2
LEDE_MIN_CHARS = 150


def lede_rows(table: FeatureTable, p_news: np.ndarray, doc_start: np.ndarray) -> np.ndarray:
    """1.0 for the rows that open a page's article (see ``LEDE_ROWS``), else 0.0: what the story is about.

    ``doc_start``: per row, the row its page starts at.
    """
    cand = (table.lengths >= LEDE_MIN_CHARS) & (p_news > 0.5)
    before = np.r_[0, np.cumsum(cand)]  # candidates before each row, over the whole table
    rank = before[:-1] - before[doc_start]  # candidates earlier on the same page
    return (cand & (rank < LEDE_ROWS)).astype(np.float64)


def adv_design(Z: np.ndarray, dense: np.ndarray, adv_cols: list[int]) -> np.ndarray:
    """The advocacy revise stage's inputs: own and neighbour advocacy scores, window means, own news score, cue counts."""
    n_off = len(OFFSETS)
    neigh_adv = [3 + 3 * k for k in range(n_off)]
    base = 2 + 3 * n_off
    win_adv = [base + 2 * k + 1 for k in range(len(WINDOWS))]
    cols = [1, 0] + neigh_adv + win_adv
    return np.column_stack([Z[:, cols], dense[:, adv_cols]])

