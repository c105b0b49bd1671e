"""Labelled training documents built from the benchmark corpora in ``shared/``.

One document per page, in two input forms: ``html`` (the page's blocks) and
``text`` (the lines of a naive HTML-to-text rendering of the same page, each
line labelled from its blocks).  Nothing here is written into the project;
training steps cache what they build in a work directory outside it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field

from .align import align_body, align_snippets, apply_hand_labels
from .article import Segment
from .corpora import ALL_CORPORA, Page, iter_pages, shared_dir
from .segment.decode import InputError, decode
from .segment.html import segment_html
from .segment.text import segment_text
from .textify import render_lines


@dataclass
class Dataset:
    mode: str
    docs: list[list[Segment]] = field(default_factory=list)
    labels: list[list[str | None]] = field(default_factory=list)
    pages: list[dict] = field(default_factory=list)  # corpus, key, site, url, lang
    hand: list[list[dict | None]] = field(default_factory=list)  # hand-label record per row, if any

    def flat_labels(self) -> list[str | None]:
        return [lab for labs in self.labels for lab in labs]

    def groups(self) -> list[str]:
        return [p["site"] for p, d in zip(self.pages, self.docs) for _ in d]


def hand_labels(shared=None) -> dict[tuple[str, str], list[dict]]:
    path = shared_dir(shared) / "labels" / "advocacy-dev.jsonl"
    out: dict[tuple[str, str], list[dict]] = defaultdict(list)
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                r = json.loads(line)
                out[(r["corpus"], r["page_key"])].append(r)
    return out


def _page_lang(segments: list[Segment], labels: list[str | None], meta: dict) -> str:
    import py3langid

    text = " ".join(s.text for s, lab in zip(segments, labels) if lab == "news")[:3000]
    if len(text) < 100:
        text = " ".join(s.text for s in segments)[:3000]
    return py3langid.classify(text)[0] if text.strip() else "und"


def label_page(page: Page, hand: list[dict]):
    """Segment one page and label its blocks; None when the page has no usable text."""
    try:
        text, _ = decode(page.read())
        seg = segment_html(text)
    except InputError:
        return None
    blocks = seg.segments
    if page.body:
        labels = align_body(blocks, page.body, page.title)
    elif page.with_snippets or page.without_snippets:
        labels = align_snippets(blocks, page.with_snippets, page.without_snippets, page.title)
    else:
        labels = [None] * len(blocks)
    rec_by_text = {}
    if hand:
        apply_hand_labels(blocks, labels, hand)
        rec_by_text = {" ".join(r["text"].split()): r for r in hand}
    hand_rows = [rec_by_text.get(b.text) for b in blocks]
    if not any(lab is not None for lab in labels):
        return None
    info = {"corpus": page.corpus, "key": page.key, "site": page.site, "url": page.url,
            "lang": _page_lang(blocks, labels, seg.meta)}
    return blocks, labels, hand_rows, info


def _label_many(pages: list[Page], hand: dict) -> list:
    return [label_page(p, hand.get((p.corpus, p.key), [])) for p in pages]


def crop_to_article(lines: list[Segment], labels: list[str | None], seed: int):
    """Keep the article and a few lines around it, as text pasted or exported from a page usually is.

    Plain-text inputs rarely carry a whole page's navigation: they start near
    the headline and end soon after the last paragraph.  A share of the
    training renderings is cut that way, from 0-3 lines before the first news
    line to 0-12 lines after the last one.
    """
    import random

    news = [i for i, lab in enumerate(labels) if lab == "news"]
    if not news:
        return lines, labels
    rng = random.Random(seed)
    lo = max(0, news[0] - rng.randint(0, 3))
    hi = min(len(lines), news[-1] + 1 + rng.randint(0, 12))
    kept = lines[lo:hi]
    for i, s in enumerate(kept):
        s.index = i
    if kept:
        kept[0].context["blank_before"] = True
        kept[-1].context["blank_after"] = True
    return kept, labels[lo:hi]


def build(corpora=ALL_CORPORA, shared=None, n_jobs: int = 2, crop_share: float = 0.0) -> tuple[Dataset, Dataset]:
    """Both input forms of every labelled page: ``(html_dataset, text_dataset)``.

    For ``crop_share`` of the pages the text form also gets a second copy cut
    to the article and its surroundings (see :func:`crop_to_article`), marked
    ``augmented`` in its page info: training uses it, evaluation does not.
    """
    from joblib import Parallel, delayed

    hand = hand_labels(shared)
    pages = [p for c in corpora for p in iter_pages(c, shared)]
    chunks = [pages[i::n_jobs * 4] for i in range(n_jobs * 4)]
    results = Parallel(n_jobs=n_jobs)(delayed(_label_many)(ch, hand) for ch in chunks)
    by_key = {}
    for ch, res in zip(chunks, results):
        for p, r in zip(ch, res):
            by_key[(p.corpus, p.key)] = r
    html_ds, text_ds = Dataset("html"), Dataset("text")
    for p in pages:
        r = by_key[(p.corpus, p.key)]
        if r is None:
            continue
        blocks, labels, hand_rows, info = r
        html_ds.docs.append(blocks)
        html_ds.labels.append(labels)
        html_ds.hand.append(hand_rows)
        html_ds.pages.append(info)
        seed = hash_key(p.key)
        text, line_labels = render_lines(blocks, labels, seed=seed)
        lines = segment_text(text)
        if len(lines) != len(line_labels):  # a block whose text contains line breaks; keep the page out
            continue
        text_ds.docs.append(lines)
        text_ds.labels.append(line_labels)
        text_ds.hand.append([None] * len(lines))
        text_ds.pages.append(info)
        if crop_share and (seed % 1000) / 1000 < crop_share:
            # a second, cropped copy of the page for training only (same site group; never evaluated)
            cropped, cropped_labels = crop_to_article(segment_text(text), list(line_labels), seed)
            text_ds.docs.append(cropped)
            text_ds.labels.append(cropped_labels)
            text_ds.hand.append([None] * len(cropped))
            text_ds.pages.append({**info, "augmented": True})
    return html_ds, text_ds


def hash_key(key: str) -> int:
    import hashlib

    return int(hashlib.sha256(key.encode("utf-8")).hexdigest()[:8], 16)
