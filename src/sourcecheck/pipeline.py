"""The library entry points: score an article, or clean a page to its main text.

``make_segments -> classify -> revise -> detect sources``: each stage is a
function of its own, and a scored segment keeps both its context-free
(``initial_label``) and its revised label.  The CLI is a thin skin over
:func:`score` and :func:`clean`, sharing one :class:`Options` object.
"""

from __future__ import annotations

import gc
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any, Iterable, Iterator

import numpy as np

from .article import LABELS, Article, Segment
from .features import featurize
from .limits import MAX_SEGMENTS, TIMEOUT, check_segments, time_limit
from .model.rules import decide, title_rows
from .model.store import Model, load_model
from .segment.decode import MAX_BYTES, InputError, decode, looks_like_html
from .segment.html import segment_html
from .segment.text import segment_text

#: an input: bytes in any encoding, a str, or the path of a file
Page = "str | bytes | os.PathLike"


@dataclass(frozen=True)
class Options:
    """Settings shared by the library and every CLI command.

    ``model``: a model directory (default ``$SOURCECHECK_MODEL`` or the shipped
    model).  ``kind``: ``"auto"``, ``"text"`` or ``"html"``.  ``sources``: detect
    sources and attach provenance notes.  ``registry``: a user registry file
    merged over the shipped one (default ``$SOURCECHECK_REGISTRY``).
    ``include_title``: let ``clean`` keep the headline block.  ``url``: the
    address a saved page came from, for its publisher (default: the page's own
    canonical or ``og:url``).  ``max_bytes``:
    larger inputs are refused (bytes read, or a str's UTF-8 size).
    ``max_segments``: a page with more segments is refused before its
    features are built (memory grows with segments).  ``timeout``: seconds one
    input may take, in the main thread (0: no limit).
    """

    model: str | None = None
    kind: str = "auto"
    sources: bool = True
    registry: str | None = None
    include_title: bool = False
    max_bytes: int = MAX_BYTES
    max_segments: int = MAX_SEGMENTS
    timeout: float = TIMEOUT
    url: str | None = None

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
    classify_and_revise_many([segments], kind, model)


def classify_and_revise_many(docs: list[list[Segment]], kind: str, model: Model) -> None:
    """Stages 1 and 2 for several documents of one kind at once.

    One feature table and one pass of each model over many pages: the
    per-call costs of the hashing and of the tree ensembles are paid once per
    batch instead of once per page.  The labels are the same as page by page.
    """
    docs = [d for d in docs if d]
    if not docs:
        return
    est = model.for_kind(kind)
    table = featurize(docs, kind)
    initial, revised = est.predict_stages(table)
    classes = list(est.classes_)
    order = [classes.index(c) for c in LABELS]
    labels = decide(revised, table.doc, table.lengths, title_rows(table))
    initial_labels = np.asarray(classes)[np.argmax(initial, axis=1)]
    segs = [s for d in docs for s in d]
    for s, p0, p1, lab0, lab in zip(segs, initial[:, order].tolist(), revised[:, order].tolist(),
                                    initial_labels, labels):
        s.initial_scores = dict(zip(LABELS, p0))
        s.scores = dict(zip(LABELS, p1))
        s.initial_label = str(lab0)
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
    article.sources = detect_sources(article, registry, url=options.url or article.meta.get("url"))


@dataclass
class _Prepared:
    name: str
    kind: str
    text: str
    segments: list[Segment]
    meta: dict
    spent: float = 0.0  # seconds this input has taken so far, against ``Options.timeout``


def _prepare(page, name: str, options: Options) -> _Prepared:
    """Decode, detect the kind, and segment (stage 0), within the input's bounds."""
    if options.kind not in ("auto", "text", "html"):
        raise ValueError(f"kind must be auto, text or html, not {options.kind!r}")
    text, _enc = decode(page, max_bytes=options.max_bytes)
    kind = options.kind
    if kind == "auto":
        kind = "html" if looks_like_html(text) else "text"
    segments, meta, seg_text = make_segments(text, kind)
    check_segments(len(segments), options.max_segments)
    return _Prepared(name, kind, seg_text, segments, meta)


def _finish(prep: _Prepared, options: Options, model: Model, lang: bool = True) -> Article:
    article = Article(input=prep.name, kind=prep.kind, text=prep.text, segments=prep.segments, meta=prep.meta,
                      lang=guess_lang(prep.segments, prep.meta) if lang else None, model=model.info())
    if options.sources:
        attach_sources(article, options)
    return article


def score(page: Page, name: str = "<input>", options: Options = DEFAULT, model: Model | None = None) -> Article:
    """Score one article given as text or HTML: a str, bytes in any encoding, or a file's path.

    Every input error (empty, binary, undecodable, too large, too many segments, over the time limit) is
    an :class:`~sourcecheck.segment.decode.InputError` with a one-line message.
    """
    return _score(page, name, options, model)


def _score(page, name: str, options: Options, model: Model | None, lang: bool = True) -> Article:
    model = model or load_model(options.model)
    with gc_paused(), time_limit(options.timeout):
        prep = _prepare(page, name, options)
        classify_and_revise(prep.segments, prep.kind, model)
        return _finish(prep, options, model, lang=lang)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Python's cycle collector off for the block, then back as it was.

    Scoring a page allocates thousands of dicts, lists and strings, and a
    batch keeps the segments of all its pages alive while it allocates more;
    each collection the allocations set off walks all of them, and none of
    them is cyclic garbage.  With the collector paused while a page or a batch
    is segmented and scored, ``clean`` over zyte-aeb went from 63-67 to 68-71
    pages/s page by page, and from 59-60 to 72-75 in batches of 32.  It is
    never paused across a ``yield``, so a caller's code runs with it as they
    left it.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def score_many(pages: Iterable[tuple[str, str | bytes]], options: Options = DEFAULT, model: Model | None = None,
               batch_size: int = 32, lang: bool = True) -> Iterator[tuple[str, Article | Exception]]:
    """Score many articles, given as ``(name, page)`` pairs, in batches; yields ``(name, Article or error)``.

    The results come in input order and are the same as :func:`score` gives
    page by page; batching only makes a corpus faster.  An input that fails
    (undecodable, empty, too large...) yields its exception and the batch
    goes on; so does a ``page`` that is itself an exception (an input the
    caller failed to read).  ``lang=False`` skips language identification.
    """
    model = model or load_model(options.model)
    batch: list[tuple[str, _Prepared | Exception]] = []

    # one input's time limit covers all its stages: each stage runs under what is left of it (a batch under
    # what is left of all its pages together), and a batch's time is charged to its pages by their segments
    def left(p: _Prepared) -> float:
        return max(options.timeout - p.spent, 0.001) if options.timeout else 0

    def flush():
        ready = [p for _, p in batch if isinstance(p, _Prepared)]
        for kind in ("html", "text"):
            group = [p for p in ready if p.kind == kind]
            if not group:
                continue
            t0 = time.perf_counter()
            try:
                with gc_paused(), time_limit(sum(left(p) for p in group) if options.timeout else 0, "batch",
                                             options.timeout):
                    classify_and_revise_many([p.segments for p in group], kind, model)
                took, total = time.perf_counter() - t0, max(sum(len(p.segments) for p in group), 1)
                for p in group:
                    p.spent += took * len(p.segments) / total
            except Exception:  # noqa: BLE001 - retry page by page, so only a page that fails alone is lost
                for i, (name, p) in enumerate(batch):
                    if isinstance(p, _Prepared) and p.kind == kind:
                        t0 = time.perf_counter()
                        try:
                            with time_limit(left(p), limit=options.timeout):
                                classify_and_revise(p.segments, kind, model)
                        except Exception as exc:  # noqa: BLE001
                            batch[i] = (name, exc)
                        p.spent += time.perf_counter() - t0
        for name, p in batch:
            if isinstance(p, Exception):
                yield name, p
                continue
            try:
                with time_limit(left(p), limit=options.timeout):
                    article = _finish(p, options, model, lang=lang)
            except Exception as exc:  # noqa: BLE001 - one bad input must not stop a batch
                article = exc
            yield name, article
        batch.clear()

    segments = 0
    for name, page in pages:
        if isinstance(page, Exception):  # an input the caller could not read: reported in its place
            batch.append((name, page))
        else:
            try:
                t0 = time.perf_counter()
                with gc_paused(), time_limit(options.timeout):
                    prep = _prepare(page, name, options)
                prep.spent = time.perf_counter() - t0
                segments += len(prep.segments)
                batch.append((name, prep))
            except Exception as exc:  # noqa: BLE001
                batch.append((name, exc))
        # a batch is bounded in pages and in segments, so its features fit in memory like one large page's
        if len(batch) >= batch_size or segments >= options.max_segments:
            yield from flush()
            segments = 0
    if batch:
        yield from flush()


def score_text(text: Page, name: str = "<input>", options: Options = DEFAULT, model: Model | None = None) -> Article:
    """Score plain text: one segment per non-empty line."""
    return score(text, name, options.with_(kind="text"), model)


def score_html(html: Page, name: str = "<input>", options: Options = DEFAULT, model: Model | None = None) -> Article:
    """Score an HTML page (a saved page: sourcecheck never fetches URLs)."""
    return score(html, name, options.with_(kind="html"), model)


def clean(page: Page, format: str = "text", options: Options = DEFAULT, model: Model | None = None):
    """The main article text: the news segments of :func:`score`, as a string (or a dict for ``json``)."""
    if format not in ("text", "json"):
        raise ValueError("format must be 'text' or 'json'")
    # the plain text carries no language, so it skips language identification (as clean_many does)
    article = _score(page, "<input>", options.with_(sources=False), model, lang=format == "json")
    return _cleaned(article, format, options)


def _cleaned(article: Article, format: str, options: Options):
    body = article.main_text(include_title=options.include_title)
    if format == "text":
        return body
    return {"title": article.title(), "text": body, "lang": article.lang, "kind": article.kind, "meta": article.meta}


def clean_many(pages: Iterable[tuple[str, str | bytes]], format: str = "text", options: Options = DEFAULT,
               model: Model | None = None, batch_size: int = 32) -> Iterator[tuple[str, Any]]:
    """:func:`clean` for a corpus: ``(name, page)`` pairs in, ``(name, text or dict or error)`` out, in order."""
    if format not in ("text", "json"):
        raise ValueError("format must be 'text' or 'json'")
    opts = options.with_(sources=False)
    for name, res in score_many(pages, opts, model, batch_size=batch_size, lang=format == "json"):
        yield name, (res if isinstance(res, Exception) else _cleaned(res, format, opts))
