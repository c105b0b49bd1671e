"""Property tests: any bytes, any text, generated HTML with deep nesting, broken tags and random charsets.

Whatever comes in, scoring either returns an article whose segments keep the
contract (labels in the set, offsets inside the text, a plain text's segment
is ``text[start:end]``) or raises :class:`InputError` with a one-line message.
The longer coverage-guided run is ``bench/fuzz.py``.
"""

from __future__ import annotations

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import sourcecheck  # noqa: E402
from sourcecheck.article import LABELS  # noqa: E402
from sourcecheck.pipeline import Options  # noqa: E402
from sourcecheck.segment.decode import InputError, decode  # noqa: E402

from conftest import needs_model  # noqa: E402

pytestmark = needs_model
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
OPTIONS = Options(sources=True, timeout=20.0)


def _check(article) -> None:
    n = len(article.text)
    assert article.kind in ("html", "text")
    for s in article.segments:
        assert s.label in LABELS and s.initial_label in LABELS
        assert 0 <= s.start <= s.end <= n
        assert abs(sum(s.scores.values()) - 1.0) < 1e-6
        if article.kind == "text":
            assert article.text[s.start:s.end] == s.text
    for src in article.sources or ():
        assert src.get("role")


def _score(page, **kw):
    try:
        art = sourcecheck.score(page, name="prop", options=OPTIONS.with_(**kw))
    except InputError as exc:
        msg = str(exc)
        assert msg and "\n" not in msg
        return None
    _check(art)
    return art


@SETTINGS
@given(st.binary(max_size=3000))
def test_any_bytes_decode_or_are_refused_in_one_line(data):
    try:
        text, enc = decode(data)
    except InputError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert isinstance(text, str) and text.strip() and enc
    _score(data)


@SETTINGS
@given(st.text(max_size=2000))
def test_any_text_scores_within_the_contract(text):
    art = _score(text, kind="text")
    if art is not None and "\ufeff" not in text[:1] and not any("\ud800" <= c <= "\udfff" for c in text):
        assert art.text == text  # the offsets point into the input itself


_TAGS = st.sampled_from(["div", "p", "span", "article", "section", "li", "ul", "table", "td", "tr", "h1", "a",
                         "b", "i", "figure", "figcaption", "aside", "nav", "script", "style", "noscript", "br"])
_CHARSETS = st.sampled_from(["utf-8", "utf-16", "utf-32", "iso-8859-1", "windows-1252", "shift_jis", "koi8-r",
                             "gb2312", "x-unknown", "", "utf-7"])
_WORDS = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=80)


@st.composite
def html_pages(draw):
    parts = [f'<html><head><meta charset="{draw(_CHARSETS)}"><title>{draw(_WORDS)}</title></head><body>']
    depth = draw(st.integers(0, 3000))
    deep_tag = draw(_TAGS)
    parts.append(f"<{deep_tag}>" * depth)
    for _ in range(draw(st.integers(0, 25))):
        tag = draw(_TAGS)
        broken = draw(st.booleans())
        parts.append(f"<{tag} class='{draw(_WORDS)[:10]}'>{draw(_WORDS)}" + ("" if broken else f"</{tag}>"))
    parts.append(f"</{deep_tag}>" * draw(st.integers(0, depth)))
    parts.append("</body></html>")
    page = "".join(parts)
    encoding = draw(st.sampled_from(["utf-8", "latin-1", "utf-16", "cp1252"]))
    return page.encode(encoding, "replace")


@SETTINGS
@given(html_pages())
def test_generated_html_scores_within_the_contract(page):
    art = _score(page)
    if art is not None and art.kind == "html":
        assert all(s.text for s in art.segments)


@settings(max_examples=20, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=120), min_size=1, max_size=40))
def test_a_batch_gives_what_each_page_gives_alone(texts):
    pages = [(f"p{i}", t) for i, t in enumerate(texts)]
    opts = OPTIONS.with_(kind="text", sources=False)
    together = list(sourcecheck.score_many(pages, opts, batch_size=7))
    for (name, page), (name2, res) in zip(pages, together):
        assert name == name2
        try:
            alone = sourcecheck.score(page, name=name, options=opts)
        except InputError:
            assert isinstance(res, InputError)
            continue
        assert [s.label for s in res.segments] == [s.label for s in alone.segments]
