"""Batches give what single pages give, in input order, and a bad input does not sink its batch."""

from __future__ import annotations

import pytest

from sourcecheck import Options, clean, clean_many, score, score_many
from sourcecheck.segment.decode import InputError

from conftest import EXAMPLES, needs_model

pytestmark = needs_model


def _inputs():
    txt = (EXAMPLES / "ferry.txt").read_bytes()
    html = (EXAMPLES / "ferry.html").read_bytes()
    return [("a.txt", txt), ("empty", b""), ("b.html", html), ("binary", bytes(range(256)) * 4),
            ("c.txt", txt.replace(b"Lake Arden", b"Lake Orm")), ("unread", OSError("cannot read")), ("d.html", html)]


@pytest.mark.parametrize("batch_size", [1, 3, 32])
def test_score_many_equals_score_page_by_page(model, batch_size):
    opts = Options(sources=False)
    got = list(score_many(_inputs(), options=opts, model=model, batch_size=batch_size))
    assert [name for name, _ in got] == [name for name, _ in _inputs()]
    for (name, data), (_, res) in zip(_inputs(), got):
        if name in ("empty", "binary"):
            assert isinstance(res, InputError)
            continue
        if name == "unread":
            assert isinstance(res, OSError)
            continue
        one = score(data, name=name, options=opts, model=model)
        assert res.kind == one.kind and res.lang == one.lang
        assert [s.label for s in res.segments] == [s.label for s in one.segments]
        assert [s.initial_label for s in res.segments] == [s.initial_label for s in one.segments]
        for a, b in zip(res.segments, one.segments):
            assert a.scores == pytest.approx(b.scores, abs=1e-6)


def test_clean_many_equals_clean(model):
    opts = Options(sources=False)
    pages = [(n, d) for n, d in _inputs() if n.endswith((".txt", ".html"))]
    got = dict(clean_many(pages, options=opts, model=model, batch_size=2))
    for name, data in pages:
        assert got[name] == clean(data, options=opts, model=model)
        assert "crossing" in got[name] and "Share on Facebook" not in got[name]
