"""The fast paths give exactly what the plain definitions give.

The compiled block walk and tree loop, the cached DOM hashing, the
column-wise layout numbers, the bucketed repeat search and the trie-written
regexes are all there for speed only: each is checked here against the plain
code it replaces, on made-up edge cases and (where ../shared is present) on
every dev page.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from sourcecheck import features as F
from sourcecheck import cues
from sourcecheck.model import context as E
from sourcecheck.segment import html as H
from sourcecheck.segment.decode import decode
from sourcecheck.textarrays import compile_trie, factor_alternatives

from conftest import EXAMPLES, needs_model, needs_shared

TRICKY = (
    "<html lang='de'><head><title>Der Titel der Seite</title><meta property='og:title' content='Der Titel'>"
    "</head><body><DIV ID=' top ' class='Nav  main-nav' role='navigation'><a href='/'>Start</a><br>"
    "<a href='/x'>Politik</a> &amp; <a href='/y'>Kultur</a></DIV>"
    "<div hidden><p>versteckt</p></div><p aria-hidden='true'>auch versteckt</p>"
    "<section style='display: none'><h2>weg</h2></section><fb:like class='x'>Gefällt mir</fb:like>"
    "<article class='story-1234 body'><h1>Der Titel der Seite</h1><p>Ein <b>fetter</b> Satz,&nbsp;und "
    "<a href='#'>ein Link</a>.<br/>Zweite Zeile</p><div>außen <p>innen</p> Rest</div>"
    "<ul><li>eins<li>zwei</ul><table><tr><td>Zelle</td><td><p>tief</p></td></tr></table>"
    "<p class=''>leer class</p><p>" + "".join(f"<span class='s{i}'>w{i} </span>" for i in range(30)) + "</p>"
    "</article><footer><form><label>E-Mail</label><button>Abonnieren</button></form></footer>"
    "</body></html>"
)


def _walk_fields(page):
    return [(s.text, s.dom_path, s.context, s.start, s.end) for s in page.segments]


def _both_walks(text: str):
    return H.segment_html(text, compiled=False), H.segment_html(text, compiled=True)


def test_the_compiled_parts_are_built():
    # an install without a C compiler falls back to the Python code; a development or CI install must not
    from sourcecheck.model import _trees  # noqa: F401
    from sourcecheck.segment import _walk  # noqa: F401


@pytest.mark.parametrize("html", [TRICKY, (EXAMPLES / "ferry.html").read_text(encoding="utf-8"),
                                  "<p>one</p>", "<div><div><div>" * 300 + "deep" + "</div>" * 900])
def test_the_compiled_walk_gives_the_python_walks_segments(html):
    slow, fast = _both_walks(html)
    assert _walk_fields(fast) == _walk_fields(slow)
    assert fast.text == slow.text and fast.meta == slow.meta


def test_the_compiled_walk_leaves_what_it_does_not_copy_to_the_python_walk():
    from sourcecheck.segment import _walk
    # a processing instruction kept in the tree: the compiled walk says so, and segment_html still works
    root = H.parse("<html><body><p>a</p><p>b</p></body></html>")
    body = root.find("body")
    from lxml import etree
    body.insert(1, etree.ProcessingInstruction("x", "y"))
    with pytest.raises(_walk.Unsupported):
        _walk.walk(root, set())
    assert [s.text for s in H._walk_python(root, set())] == ["a", "b"]


@needs_shared
def test_the_compiled_walk_matches_on_every_dev_page():
    from sourcecheck.corpora import iter_pages
    n = 0
    for corpus in ("zyte-aeb", "trafilatura-eval", "readability-tests", "fundus-tests", "postlight-fixtures",
                   "htmldate-pages"):
        for p in iter_pages(corpus):
            text = decode(p.read())[0]
            try:
                slow = H.segment_html(text, compiled=False)
            except Exception as exc:  # noqa: BLE001 - a page the Python walk refuses: so must the compiled one
                with pytest.raises(type(exc)):
                    H.segment_html(text, compiled=True)
                continue
            fast = H.segment_html(text, compiled=True)
            assert _walk_fields(fast) == _walk_fields(slow), p.key
            n += 1
    assert n > 1000


def test_the_tree_loop_and_scikit_learns_routine_give_the_same_scores(monkeypatch, fitted_model):
    import sourcecheck.model.trees as T
    model = fitted_model.estimators["html"]
    rng = np.random.default_rng(3)
    for booster in (model.revise_news_, model.revise2_news_, model.revise_adv_):
        X = rng.normal(scale=3.0, size=(300, booster.n_features_in_))
        X[rng.random(X.shape) < 0.05] = np.nan
        trees = T.Trees.from_booster(booster)
        compiled = trees.raw(X)
        monkeypatch.setattr(T.LOOP, "_module", None)  # as where the compiled loop was not built
        plain = trees.raw(X)
        monkeypatch.undo()
        assert np.array_equal(compiled, plain)
        assert np.array_equal(compiled, booster.decision_function(X))


def test_the_sparse_product_compiled_and_in_numpy(monkeypatch):
    import sourcecheck.sparse as S
    rng = np.random.default_rng(5)
    rows = rng.integers(0, 40, 3000)
    cols = rng.integers(0, 5000, 3000)
    from sourcecheck.textarrays import count_pairs
    m = count_pairs(rows, cols, 40, 5000, norm="l2")
    x = rng.normal(size=5000)
    want = m.to_scipy() @ x
    got = m @ x
    assert np.array_equal(got, want) or S.PRODUCT.get() is None
    monkeypatch.setattr(S.PRODUCT, "_module", None)  # as where the compiled product was not built
    np.testing.assert_allclose(m @ x, want, rtol=1e-12, atol=1e-12)


def test_the_stage_one_heads_equal_scikit_learns_own(fitted_model):
    # the shipped model's stage 1 as dot products equals its scaler and logistic heads on the stacked design
    from sourcecheck.features import N_TEXT
    from sourcecheck.model.scoring import LinearHeads
    est = fitted_model.estimators["html"]
    scaler, news_head, adv_head = est.stage1_
    segs = _pages_segments(3)
    table = F.featurize(segs, "html")
    X = est._design(table, scaler)
    p_news, p_adv = LinearHeads.from_parts(scaler, news_head, adv_head, table.sparse.shape[1]).predict(table)
    np.testing.assert_allclose(p_news, news_head.predict_proba(X)[:, 1], rtol=0, atol=1e-12)
    np.testing.assert_allclose(p_adv, adv_head.predict_proba(est._text_design(X, table))[:, 1], rtol=0, atol=1e-12)
    assert N_TEXT < table.sparse.shape[1]


def _pages_segments(limit_per_corpus: int | None = None):
    docs = [H.segment_html(TRICKY).segments, H.segment_html((EXAMPLES / "ferry.html").read_text("utf-8")).segments]
    from conftest import have_shared
    if have_shared():
        from sourcecheck.corpora import iter_pages
        for corpus in ("zyte-aeb", "readability-tests"):
            for p in list(iter_pages(corpus))[:limit_per_corpus]:
                docs.append(H.segment_html(decode(p.read())[0]).segments)
    return docs


def _plain_html_numeric(segments):
    """The layout numbers block by block, as written before they were computed column-wise."""
    out = np.zeros((len(segments), len(F.HTML_NUMERIC)), dtype=np.float32)
    n_flags = 10 + len(F.DENSE_FLAGS)
    n_words = len(F.CLASS_WORDS)
    for i, s in enumerate(segments):
        c = s.context
        flags = set(c.get("flags", ()))
        tag = c.get("tag", "")
        L = max(len(s.text), 1)
        out[i, :10] = (c.get("link_chars", 0) / L, math.log1p(c.get("n_links", 0)), min(c.get("depth", 0), 60) / 60.0,
                       bool(c.get("is_title")), bool(c.get("hidden")), tag in F.HEADING_TAGS, tag == "p", tag == "li",
                       tag in ("td", "th"), tag == "div")
        for j, f in enumerate(F.DENSE_FLAGS):
            out[i, 10 + j] = f in flags
        for off, toks in ((n_flags, c.get("own_tokens", ())), (n_flags + n_words, c.get("anc_tokens", ()))):
            for k, rx in enumerate(F._CLASS_RX.values()):
                out[i, off + k] = any(rx.search(t) for t in toks)
    return out


def _plain_dom_tokens(s):
    """A block's layout tokens as strings, as they were written out before ``dom_matrix`` hashed them by part."""
    c = s.context
    tag = c.get("tag", "")
    path = c.get("path", [])
    toks = [f"t:{tag}", "p:" + ">".join(path[-2:] + [tag]), "p3:" + ">".join(path[-3:] + [tag])]
    toks += [f"o:{t}" for t in c.get("own_tokens", ())]
    toks += [f"a:{t}" for t in c.get("anc_tokens", ())]
    toks += [f"f:{f}" for f in c.get("flags", ())]
    return toks


def test_layout_numbers_and_dom_hashing_equal_their_plain_definitions():
    from sklearn.feature_extraction import FeatureHasher
    hasher = FeatureHasher(n_features=F.N_DOM, input_type="string", alternate_sign=False, dtype=np.float32)
    for segs in _pages_segments(40):
        assert np.array_equal(F.html_numeric(segs), _plain_html_numeric(segs))
        want = hasher.transform(_plain_dom_tokens(s) for s in segs).tocsr()
        got = F.dom_matrix(segs)
        assert got.dtype == want.dtype and got.shape == want.shape
        assert np.array_equal(got.indptr, want.indptr) and np.array_equal(got.indices, want.indices)
        assert np.array_equal(got.data, want.data)


def _plain_repeats(lows):
    out, seen = [], []
    for t in lows:
        hit = False
        if len(t) >= 20:
            hit = any(t.startswith(p) or (len(t) >= 30 and p.startswith(t)) for p in seen[-200:])
            seen.append(t[:200] if len(t) >= 30 else t)
        out.append(hit)
    return np.array(out, dtype=bool)


def test_repeats_earlier_is_the_plain_search():
    rng = np.random.default_rng(5)
    heads = ["the same opening words of a teaser ", "another start of a paragraph here ", "short one"]
    lows = []
    for _ in range(900):  # more than the 200-segment window, with repeats inside and outside it
        t = heads[rng.integers(3)] + "x" * int(rng.integers(0, 300))
        lows.append(t if rng.random() < 0.7 else t[: int(rng.integers(15, 40))])
    assert np.array_equal(F._repeats_earlier(lows), _plain_repeats(lows))
    for segs in _pages_segments(40):
        lows = [s.text.lower() for s in segs]
        assert np.array_equal(F._repeats_earlier(lows), _plain_repeats(lows))


@pytest.mark.parametrize("src,text", [
    ("support|spende|share|spenden|s", "spenden share sx support"),
    ("(?:ab|a|abc)c", "abcc ac abc"),  # backtracking into the group: the order of its alternatives matters
    ("a?b|ab|b", "ab b aab"),  # a quantified first character is not grouped
    (r"\$|€|\$\$|x\b", "$$ € x xx"),
    (r"[ab]c|ad|ae", "bc ad ae ac"),
    (r"(?<=\bs)ie|sie|s(?<=\bs)ie", "sie ssie"),
])
def test_trie_written_patterns_find_the_same_matches(src, text):
    fast = compile_trie(src)
    assert [m.span() for m in fast.finditer(text)] == [m.span() for m in re.finditer(src, text)]


def test_trie_writing_groups_alternatives_by_first_character_only():
    assert factor_alternatives("support|spende|share|help") == "s(?:upport|pende|hare)|help"
    assert factor_alternatives("a?b|ab") == "a?b|ab"
    assert compile_trie("Ab|ab", re.I).pattern == "Ab|ab"  # case-blind: left as written


def test_the_feature_patterns_written_as_tries_match_as_written():
    from sourcecheck.textarrays import AS_WRITTEN
    assert len(AS_WRITTEN) >= len(cues.GROUPS) + 8  # the cue groups and the feature module's word patterns
    assert all(AS_WRITTEN[cues._COMPILED[g]] == cues._GROUPS[g] for g in cues.GROUPS)
    texts = ["\n".join(s.text for s in segs) for segs in _pages_segments(None)]
    texts.append("Unterstützen Sie uns jetzt! Support our independent journalism today: donate €5 a month.")
    for fast, src in AS_WRITTEN.items():
        plain = re.compile(src, fast.flags)
        for t in texts:
            for txt in (t, t.lower()):
                assert [m.span() for m in fast.finditer(txt)] == [m.span() for m in plain.finditer(txt)], plain.pattern


def _csr_plain(rows, cols, n_rows, n_cols):
    """L2-normalised counts of (row, column) pairs as scipy builds them: what ``textarrays._csr`` replaced."""
    import scipy.sparse as sp
    m = sp.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(n_rows, n_cols))
    m.sum_duplicates()
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    m.data /= np.repeat(norms, np.diff(m.indptr)).astype(np.float32)
    return m


def test_hashed_counts_are_the_matrix_scipy_builds():
    from sourcecheck.textarrays import _csr
    rng = np.random.default_rng(2)
    for n_rows, n_cols, nnz in ((1, 8, 0), (5, 2**18, 3000), (40, 2**17, 20000), (3, 2**40, 500)):
        rows = np.sort(rng.integers(0, n_rows, nnz))
        cols = rng.integers(0, min(n_cols, 50), nnz) * (n_cols // 50 or 1)  # many repeats in a row
        got, want = _csr(rows, cols, n_rows, n_cols), _csr_plain(rows, cols, n_rows, n_cols)
        assert got.shape == want.shape and got.has_canonical_format
        assert np.array_equal(got.indptr, want.indptr) and np.array_equal(got.indices, want.indices)
        assert got.data.dtype == want.data.dtype and np.array_equal(got.data, want.data)


def test_character_classes_beyond_the_basic_plane():
    from sourcecheck.textarrays import _char_props, char_props, codepoints
    text = "Größe 😀 x𝔘y 😀 ab\U0001F600 ٣"
    assert char_props(codepoints(text)).tolist() == [_char_props(c) for c in text]


def test_the_cycle_collector_is_paused_only_inside_the_library():
    import gc
    from sourcecheck import score_many
    from sourcecheck.pipeline import gc_paused
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            pass
        assert not gc.isenabled()  # an inner pause leaves the outer one in place
    assert gc.isenabled()
    seen = []
    pages = [(f"p{i}", f"<p>Paragraph number {i} of a page.</p>") for i in range(3)]
    for _name, _article in score_many(pages, batch_size=2, lang=False):
        seen.append(gc.isenabled())  # the caller's code between results runs with the collector on
    assert seen == [True, True, True] and gc.isenabled()


@needs_model
def test_the_revise_stage_reads_the_same_context_twice():
    from sourcecheck import load_model
    est = load_model().for_kind("html")
    table = F.featurize([H.segment_html(TRICKY).segments, H.segment_html(
        (EXAMPLES / "ferry.html").read_text("utf-8")).segments], "html")
    rng = np.random.default_rng(0)
    p1, p2, pa = rng.random(len(table)), rng.random(len(table)), rng.random(len(table)) * 0.1
    fresh = E.context_features(F.FeatureTable(table.sparse, table.dense, table.dense_names, table.doc, table.pos,
                                              table.lengths, table.containers, kinds=table.kinds), p2, pa, True)
    E.context_features(table, p1, pa, True)  # fills the table's cache
    again = E.context_features(table, p2, pa, True)
    assert np.array_equal(again, fresh)
    short = E.context_features(table, p2, pa, True, with_dense=False)
    assert np.array_equal(short, fresh[:, : fresh.shape[1] - table.dense.shape[1]])
    assert est.predict_stages(table)[1].shape == (len(table), 3)


def _tag_soup(rng, depth: int = 0) -> str:
    """Random, often broken HTML: unclosed and stray tags, odd attributes, entities, comments, control bytes."""
    tags = ("p div span a b br li ul h1 h2 td tr table section article aside nav footer header form label "
            "button figure figcaption blockquote select option script style svg iframe fb:like x-y TABLE DIV A BR "
            "img hr pre").split()
    attrs = ('class="a b"', 'class=""', "id=' x '", "hidden", 'aria-hidden="true"', "aria-hidden=false",
             'style="display:none"', 'style="color:red"', "role=nav", 'href="#"', 'class="comment-12"')
    texts = ("Hello world.", "  ", "\n\t", "&nbsp;", "&amp;", "Grüße 😀", "\u00ad", "Read more:", "<!-- c -->",
             "<?pi x?>", "<![CDATA[x]]>", "&#x1F600;", "&bogus;", "<", "&", "\x00")
    out = []
    for _ in range(rng.randint(0, 6)):
        r = rng.random()
        if r < 0.45 and depth < 12:
            tag = rng.choice(tags)
            inner = _tag_soup(rng, depth + 1)
            out.append(f"<{tag} {' '.join(rng.sample(attrs, rng.randint(0, 3)))}>{inner}"
                       + (f"</{tag}>" if rng.random() < 0.85 else ""))
        elif r < 0.5:
            out.append(f"</{rng.choice(tags)}>")
        else:
            out.append(rng.choice(texts))
    return "".join(out)


def test_the_compiled_walk_agrees_on_random_tag_soup():
    import random
    rng = random.Random(20261204)
    for _ in range(400):
        html = ("<html><head><title>Hello world.</title></head><body>" if rng.random() < 0.7 else "") + _tag_soup(rng)
        try:
            slow = H.segment_html(html, compiled=False)
        except Exception as exc:  # noqa: BLE001 - refused input: the compiled walk must refuse it alike
            with pytest.raises(type(exc)):
                H.segment_html(html, compiled=True)
            continue
        fast = H.segment_html(html, compiled=True)
        assert _walk_fields(fast) == _walk_fields(slow), html


def test_a_compiled_part_that_is_missing_leaves_the_python_code():
    from sourcecheck.compiled import optional_module
    assert optional_module("sourcecheck.segment._no_such_module") is None
    assert optional_module("sourcecheck.segment._walk") is not None
