"""The library entry points: score an article, or clean a page to its main text.

``make_segments -> classify -> revise -> detect sources``: each stage is a
function of its own, and a scored segment keeps both its context-free
(``initial_label``) and its revised label.  The CLI is a thin skin over
:func:`score` and :func:`clean`, sharing one :class:`Options` object.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from .article import LABELS, Article, Segment
from .features import featurize
from .model.estimator import decide
from .model.store import Model, load_model
from .segment.decode import InputError, decode, looks_like_html
from .segment.html import segment_html
from .segment.text import segment_text


@dataclass(frozen=True)
class Options:
    """Settings shared by the library and every CLI command.

    ``model``: a model directory (default ``$SOURCECHECK_MODEL`` or the shipped
    model).  ``kind``: ``"auto"``, ``"text"`` or ``"html"``.  ``sources``: detect
    sources and attach provenance notes.  ``registry``: a user registry file
    merged over the shipped one (default ``$SOURCECHECK_REGISTRY``).
    ``include_title``: let ``clean`` keep the headline block.
    """

    model: str | None = None
    kind: str = "auto"
    sources: bool = True
    registry: str | None = None
    include_title: bool = False
    max_bytes: int = 20 * 1024 * 1024

    def with_(self, **kw: Any) -> "Options":
        return replace(self, **kw)


DEFAULT = Options()


def make_segments(text: str, kind: str) -> tuple[list[Segment], dict, str]:
    """Stage 0: segments, page metadata and the text the offsets point into."""
    if kind == "html":
        page = segment_html(text)
        return page.segments, page.meta, page.text
    segments = segment_text(text)
    if not segments:
        raise InputError("empty input")
    return segments, {}, text


def classify_and_revise(segments: list[Segment], kind: str, model: Model) -> None:
    """Stages 1 and 2: context-free scores, then scores revised with the neighbours."""
    est = model.for_kind(kind)
    table = featurize([segments], kind)
    initial, revised = est.predict_stages(table)
    classes = list(est.classes_)
    labels = decide(revised, table.doc, table.lengths)
    for s, p0, p1, lab in zip(segments, initial, revised, labels):
        s.initial_scores = {c: float(p0[classes.index(c)]) for c in LABELS}
        s.scores = {c: float(p1[classes.index(c)]) for c in LABELS}
        s.initial_label = classes[int(np.argmax(p0))]
        s.label = str(lab)


def guess_lang(segments: list[Segment], meta: dict) -> str | None:
    import py3langid

    body = " ".join(s.text for s in segments if s.label == "news")[:4000]
    if len(body) < 40:
        body = " ".join(s.text for s in segments)[:4000]
    if not body.strip():
        return None
    return py3langid.classify(body)[0]


def attach_sources(article: Article, options: Options) -> None:
    from .provenance import detect_sources, load_registry

    registry = load_registry(options.registry or os.environ.get("SOURCECHECK_REGISTRY") or None)
    article.sources = detect_sources(article, registry)


def score(page: str | bytes, name: str = "<input>", options: Options = DEFAULT, model: Model | None = None) -> Article:
    """Score one article given as text or HTML (str, or bytes in any encoding)."""
    text, _enc = decode(page, max_bytes=options.max_bytes)
    kind = options.kind
    if kind == "auto":
        kind = "html" if looks_like_html(text) else "text"
    if kind not in ("text", "html"):
        raise ValueError(f"kind must be auto, text or html, not {kind!r}")
    model = model or load_model(options.model)
    segments, meta, seg_text = make_segments(text, kind)
    classify_and_revise(segments, kind, model)
    article = Article(input=name, kind=kind, text=seg_text, segments=segments, meta=meta,
                      lang=guess_lang(segments, meta), model=model.info())
    if options.sources:
        attach_sources(article, options)
    return article


def score_text(text: str | bytes, name: str = "<input>", options: Options = DEFAULT, model: Model | None = None) -> Article:
    """Score plain text: one segment per non-empty line."""
    return score(text, name, options.with_(kind="text"), model)


def score_html(html: str | bytes, name: str = "<input>", options: Options = DEFAULT, model: Model | None = None) -> Article:
    """Score an HTML page (a saved page: sourcecheck never fetches URLs)."""
    return score(html, name, options.with_(kind="html"), model)


def clean(page: str | bytes, format: str = "text", options: Options = DEFAULT, model: Model | None = None):
    """The main article text: the news segments of :func:`score`, as a string (or a dict for ``json``)."""
    if format not in ("text", "json"):
        raise ValueError("format must be 'text' or 'json'")
    article = score(page, options=options.with_(sources=False), model=model)
    body = article.main_text(include_title=options.include_title)
    if format == "text":
        return body
    return {"title": article.title(), "text": body, "lang": article.lang, "kind": article.kind, "meta": article.meta}
