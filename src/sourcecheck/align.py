"""Segment labels from benchmark ground truth.

The benchmarks say what the main text of a page is, not which block is
which, so each block is aligned with the ground truth:

* full-text truth (Zyte ``articleBody``, Fundus, Readability): a block of
  three or more tokens is ``news`` when most of its token trigrams occur in
  the truth, ``chrome`` when almost none do; a short block is ``news`` when its
  text occurs in the truth next to a matched block, ``chrome`` when it does
  not occur at all, and unlabelled otherwise;
* snippet truth (trafilatura's ``with``/``without``): a block containing a
  must-have snippet is ``news``, one containing a must-not snippet ``chrome``,
  the rest unlabelled (they still give context);
* the headline (the block matching the page title) is ``news``, as the
  guidelines say, though benchmarks keep the title apart;
* hand labels from ``shared/labels`` override, matched by exact text on the page.
"""

from __future__ import annotations

import re

from .article import Segment
from .segment.html import normalize_text as _norm

_TOK = re.compile(r"\w+", re.U)


def _toks(s: str) -> list[str]:
    return _TOK.findall(s.lower())


def align_body(segments: list[Segment], body: str, title: str | None = None) -> list[str | None]:
    gold = _toks(body)
    tri = {tuple(gold[i:i + 3]) for i in range(len(gold) - 2)}
    gold_text = " " + " ".join(gold) + " "
    labels: list[str | None] = []
    long_match = []
    for s in segments:
        t = _toks(s.text)
        if len(t) >= 3:
            grams = [tuple(t[i:i + 3]) for i in range(len(t) - 2)]
            cov = sum(g in tri for g in grams) / len(grams)
            if cov >= 0.6:
                labels.append("news")
            elif cov <= 0.2:
                labels.append("chrome")
            else:
                labels.append(None)
            long_match.append(cov >= 0.6)
        else:
            labels.append("short")
            long_match.append(False)
    n = len(segments)
    for i, s in enumerate(segments):
        if labels[i] != "short":
            continue
        t = _toks(s.text)
        if not t:
            labels[i] = "chrome"
            continue
        if (" " + " ".join(t) + " ") not in gold_text:
            labels[i] = "chrome"
            continue
        near = any(long_match[j] for j in range(max(0, i - 2), min(n, i + 3)) if j != i)
        labels[i] = "news" if near else None
    _title_news(segments, labels, title)
    return labels


def align_snippets(segments: list[Segment], with_snippets: list[str], without_snippets: list[str],
                   title: str | None = None) -> list[str | None]:
    w = [_norm(x) for x in with_snippets if _norm(x)]
    wo = [_norm(x) for x in without_snippets if _norm(x)]
    labels: list[str | None] = []
    for s in segments:
        t = s.text
        pos = any(x in t or (len(t) >= 25 and t in x) for x in w)
        neg = any(x in t or (len(t) >= 25 and t in x) for x in wo)
        labels.append("news" if pos and not neg else "chrome" if neg and not pos else None)
    _title_news(segments, labels, title)
    return labels


def _title_news(segments: list[Segment], labels: list[str | None], title: str | None) -> None:
    want = {_norm(title).lower()} if title else set()
    for i, s in enumerate(segments):
        if s.context.get("is_title") or (want and s.text.lower() in want):
            labels[i] = "news"
            s.context["is_title"] = True


def apply_hand_labels(segments: list[Segment], labels: list[str | None], records: list[dict]) -> int:
    """Override labels with hand-labelled records of this page (matched by exact text); returns matches."""
    by_text: dict[str, str] = {}
    for r in records:
        by_text[_norm(r["text"])] = r["label"]
    hits = 0
    for i, s in enumerate(segments):
        lab = by_text.get(s.text)
        if lab is not None:
            labels[i] = lab
            hits += 1
    return hits
