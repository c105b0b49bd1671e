"""Hand-checked cases for sourcecheck.metrics (all texts made up for the tests)."""

from types import SimpleNamespace

import pytest

from sourcecheck.metrics import shingle_match, shingles, snippet_scores, tokenize, zyte_scores

SIX = "alpha beta gamma delta epsilon zeta"  # 6 tokens -> 3 shingles
FIVE = "alpha beta gamma delta epsilon"  # 5 tokens -> 2 shingles


def test_tokenize_and_short_shingles():
    assert tokenize("Hello, wide-world! 42") == ["Hello", "wide", "world", "42"]
    assert tokenize(None) == []
    assert list(shingles(SIX)) == [("alpha", "beta", "gamma", "delta"),
                                   ("beta", "gamma", "delta", "epsilon"),
                                   ("gamma", "delta", "epsilon", "zeta")]
    # fewer than 4 tokens: the whole token tuple is one shingle
    assert shingles("hi there") == {("hi", "there"): 1}
    assert shingles("") == {}


def test_perfect():
    s = zyte_scores({"a": SIX}, {"a": SIX}, bootstrap=50)
    assert s["precision"] == s["recall"] == s["f1"] == s["accuracy"] == 1.0
    assert s["f1_std"] == 0.0
    assert s["pages"] == 1
    assert s["per_page"]["a"]["f1"] == 1.0


def test_empty_and_missing_prediction():
    # empty prediction: excluded from precision (TP+FP = 0), recall 0
    s = zyte_scores({"a": ""}, {"a": SIX}, bootstrap=0)
    assert s["recall"] == 0.0 and s["f1"] == 0.0 and s["accuracy"] == 0.0
    assert s["per_page"]["a"]["p"] is None
    # missing key behaves like empty text
    assert zyte_scores({}, {"a": SIX}, bootstrap=0)["recall"] == 0.0
    # with a second, perfect page: precision comes only from that page
    s = zyte_scores({"b": FIVE}, {"a": SIX, "b": FIVE}, bootstrap=0)
    assert s["precision"] == 1.0
    assert s["recall"] == pytest.approx(0.5)
    assert s["f1"] == pytest.approx(2 * 1 * 0.5 / 1.5)
    assert s["accuracy"] == 0.5


def test_partial_and_normalisation():
    # truth 3 shingles, prediction the first 2: TP 2, FP 0, FN 1 -> /3
    assert shingle_match(SIX, FIVE) == pytest.approx((2 / 3, 0.0, 1 / 3))
    s = zyte_scores({"a": FIVE}, {"a": SIX}, bootstrap=0)
    assert s["precision"] == 1.0
    assert s["recall"] == pytest.approx(2 / 3)
    assert s["f1"] == pytest.approx(0.8)


def test_macro_average_over_pages():
    # page x perfect; page y keeps 3 extra tokens: 5 pred shingles, 2 true -> P 0.4, R 1
    truth = {"x": SIX, "y": FIVE}
    pred = {"x": SIX, "y": FIVE + " eta theta iota"}
    s = zyte_scores(pred, truth, bootstrap=200, seed=1)
    assert s["per_page"]["y"]["p"] == pytest.approx(0.4)
    assert s["precision"] == pytest.approx(0.7)
    assert s["recall"] == 1.0
    assert s["f1"] == pytest.approx(2 * 0.7 / 1.7)
    assert s["accuracy"] == 0.5
    assert s["f1_std"] > 0
    # seeded bootstrap is reproducible
    assert zyte_scores(pred, truth, bootstrap=200, seed=1)["f1_std"] == s["f1_std"]


def test_multiset_and_token_equality():
    # repeated text: 8 tokens -> 5 shingles, (ka,lo,mi,nu) twice; the prediction
    # matches one copy only: TP 1, FN 4
    t = "ka lo mi nu ka lo mi nu"
    assert shingles(t)[("ka", "lo", "mi", "nu")] == 2
    assert shingle_match(t, "ka lo mi nu") == pytest.approx((0.2, 0.0, 0.8))
    # punctuation and whitespace do not matter for tokens; case does
    assert zyte_scores({"a": "Hello,   world!!"}, {"a": "Hello world"}, bootstrap=0)["accuracy"] == 1.0
    assert zyte_scores({"a": "hello world"}, {"a": "Hello world"}, bootstrap=0)["accuracy"] == 0.0
    # short texts: one shingle each, no overlap
    assert shingle_match("hi there", "hi") == (0.0, 0.5, 0.5)


def _page(key, with_, without):
    return SimpleNamespace(key=key, with_snippets=with_, without_snippets=without)


def test_snippets_perfect_and_empty():
    pages = [_page("p", ["quick brown"], ["menu item"])]
    s = snippet_scores({"p": "The quick brown fox"}, pages)
    assert (s["tp"], s["fn"], s["fp"], s["tn"]) == (1, 0, 0, 1)
    assert s["precision"] == s["recall"] == s["accuracy"] == s["f1"] == 1.0
    s = snippet_scores({"p": None}, pages)  # crash = empty output
    assert (s["tp"], s["fn"], s["fp"], s["tn"]) == (0, 1, 0, 1)
    assert s["f1"] == 0.0 and s["accuracy"] == 0.5


def test_snippets_partial_and_whitespace():
    pages = [
        _page("p", ["quick \n brown", "lazy dog"], ["fox  jumps", "menu item"]),
        _page("q", ["never shown"], []),
    ]
    pred = {"p": "  The quick\n\tbrown fox jumps over  "}  # q missing -> empty
    s = snippet_scores(pred, pages)
    assert s["per_page"]["p"] == {"tp": 1, "fn": 1, "fp": 1, "tn": 1}
    assert s["per_page"]["q"] == {"tp": 0, "fn": 1, "fp": 0, "tn": 0}
    assert (s["tp"], s["fn"], s["fp"], s["tn"]) == (1, 2, 1, 1)
    assert s["precision"] == pytest.approx(0.5)
    assert s["recall"] == pytest.approx(1 / 3)
    assert s["accuracy"] == pytest.approx(2 / 5)
    assert s["f1"] == pytest.approx(2 / 5)
    assert s["pages"] == 2
