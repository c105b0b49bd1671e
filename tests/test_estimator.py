"""The classifier follows scikit-learn's estimator conventions and persists safely with skops."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.base import clone

from conftest import needs_model, needs_shared, toy_pages
from sourcecheck.article import Segment
from sourcecheck.features import featurize
from sourcecheck.model.estimator import SegmentClassifier
from sourcecheck.model.rules import decide, hold_stage1
from sourcecheck.model.scoring import expit
from sourcecheck.model.trees import Trees


def raw_score(booster, X):
    return Trees.from_booster(booster).raw(X)


def news_score(booster, X):
    return expit(raw_score(booster, X))
from sourcecheck.model.store import Model, ModelError, load_model, save_model

def _docs(n=8):
    pages = toy_pages(n)
    docs = [[Segment(index=j, text=t, context={}) for j, (t, _) in enumerate(rows)] for rows in pages]
    return docs, [lab for rows in pages for _, lab in rows]


def saved_before(est: SegmentClassifier, param: str) -> SegmentClassifier:
    """``est`` as a model pickled before ``param`` existed comes back: its state without that parameter."""
    state = est.__getstate__()
    state.pop(param)
    old = SegmentClassifier.__new__(SegmentClassifier)
    old.__setstate__(state)
    return old


@pytest.fixture(scope="module")
def fitted():
    docs, labels = _docs()
    table = featurize(docs, "text")
    est = SegmentClassifier(mode="text", inner_folds=2).fit(table, labels)
    return est, table, labels


def test_init_stores_params_only():
    est = SegmentClassifier(mode="text", C=0.5)
    assert est.get_params()["C"] == 0.5
    assert not [k for k in vars(est) if k.endswith("_")]
    assert clone(est).get_params() == est.get_params()


def test_classes_match_predict_proba(fitted):
    est, table, labels = fitted
    proba = est.predict_proba(table)
    assert list(est.classes_) == ["advocacy", "chrome", "news"]
    assert proba.shape == (len(table), 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-6)
    pred = est.predict(table)
    assert set(pred) <= set(est.classes_)
    assert (pred == np.array(labels)).mean() > 0.9


def test_unlabelled_rows_are_context_only(fitted):
    docs, labels = _docs()
    labels = [lab if i % 3 else None for i, lab in enumerate(labels)]
    est = SegmentClassifier(mode="text", inner_folds=2).fit(featurize(docs, "text"), labels)
    assert est.predict_proba(featurize(docs, "text")).shape[1] == 3


def test_unknown_label_is_refused():
    docs, labels = _docs(4)
    labels[0] = "spam"
    with pytest.raises(ValueError, match="unknown labels"):
        SegmentClassifier(mode="text", inner_folds=2).fit(featurize(docs, "text"), labels)


def test_model_round_trip_as_arrays(tmp_path, fitted):
    est, table, _ = fitted
    model = Model({"text": est}, {"name": "t", "version": "1", "training_data": {"sha256": {"x": "0"}}})
    save_model(model, tmp_path / "m")
    meta = json.loads((tmp_path / "m" / "metadata.json").read_text())
    assert meta["sha256"] == model.sha256 and len(model.sha256) == 64
    assert meta["format"] == 2 and set(meta["files"]) == {"text.npz", "text.json"}
    loaded = load_model(tmp_path / "m")
    np.testing.assert_array_equal(loaded.for_kind("text").predict_proba(table), est.predict_proba(table))
    # saved again, the same arrays give the same bytes and so the same hash
    save_model(Model(dict(loaded.estimators), {"name": "t", "version": "1", "training_data": {"sha256": {"x": "0"}}}),
               tmp_path / "again")
    assert load_model(tmp_path / "again").sha256 == model.sha256
    with pytest.raises(ModelError, match="exists"):
        save_model(model, tmp_path / "m")
    with pytest.raises(ModelError, match="no estimator for html"):
        loaded.for_kind("html")


def test_the_recorded_hash_is_the_loaded_one_whatever_order_the_estimators_come_in(tmp_path, fitted):
    # `03_train.py --only html` builds {"text": kept, "html": new}; the hash once followed that order
    est, _, _ = fitted
    model = Model({"text": est, "html": est}, {"name": "t", "version": "1"})
    save_model(model, tmp_path / "m")
    meta = json.loads((tmp_path / "m" / "metadata.json").read_text())
    assert load_model(tmp_path / "m").sha256 == meta["sha256"] == model.sha256


class Sneaky:
    """Not a type a sourcecheck model may contain."""


def test_refuses_untrusted_types(tmp_path):
    import skops.io as sio

    from sourcecheck.model.old.format1 import load_format1

    d = tmp_path / "bad"
    d.mkdir()
    sio.dump({"x": Sneaky()}, d / "text.skops")
    (d / "metadata.json").write_text("{}")
    with pytest.raises(ModelError, match="old skops format"):  # scoring never reads skops files
        load_model(d)
    with pytest.raises(ModelError, match="refusing to load types a model is not made of: .*Sneaky"):
        load_format1(d)


def test_not_a_model(tmp_path):
    with pytest.raises(ModelError, match="not found"):
        load_model(tmp_path / "nowhere")
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "metadata.json").write_text("{}")
    (tmp_path / "m" / "text.skops").write_bytes(b"garbage")
    with pytest.raises(ModelError, match="old skops format"):
        load_model(tmp_path / "m")
    from sourcecheck.model.old.format1 import load_format1
    with pytest.raises(ModelError, match="not a readable skops model"):
        load_format1(tmp_path / "m")


def test_decide_is_argmax_unless_a_page_keeps_almost_no_news():
    from sourcecheck.model.rules import FALLBACK_MIN_CHARS, decide

    # page 0: plenty of news by argmax; page 1: no segment wins news, so its newsiest ones become news
    proba = np.array([[0.0, 0.2, 0.8], [0.0, 0.9, 0.1], [0.0, 0.7, 0.3],
                      [0.0, 0.6, 0.4], [0.0, 0.99, 0.01], [0.9, 0.05, 0.05], [0.0, 0.7, 0.3]])
    doc = np.array([0, 0, 0, 1, 1, 1, 1])
    lengths = np.array([FALLBACK_MIN_CHARS, 50, 50, 400, 30, 300, 200])
    labels = decide(proba, doc, lengths)
    assert list(labels[:3]) == ["news", "chrome", "chrome"]           # argmax, untouched
    assert list(labels[3:]) == ["news", "chrome", "advocacy", "news"]  # fallback; advocacy stays


def test_a_headline_neither_counts_as_the_body_nor_sets_its_bar():
    from sourcecheck.model.rules import decide

    # the headline is the page's only confident block; the body blocks score low but well above the menu
    proba = np.array([[0.0, 0.01, 0.99], [0.0, 0.8, 0.2], [0.0, 0.9, 0.1], [0.0, 0.99, 0.01]])
    doc, lengths = np.zeros(4, int), np.array([60, 400, 300, 30])
    title = np.array([True, False, False, False])
    # read as body, the headline set the bar at 0.3 x 0.99 and clean (which leaves headlines out) came out empty
    assert decide(proba, doc, lengths).tolist() == ["news", "chrome", "chrome", "chrome"]
    assert decide(proba, doc, lengths, title).tolist() == ["news", "news", "news", "chrome"]
    # over a body with enough news of its own, the argmax stands
    proba[1] = [0.0, 0.1, 0.9]
    assert decide(proba, doc, np.array([60, 600, 300, 30]), title).tolist() == ["news", "news", "chrome", "chrome"]


def test_container_context_averages_a_blocks_siblings():
    import numpy as np
    import scipy.sparse as sp

    from sourcecheck.features import FeatureTable
    from sourcecheck.model.context import context_features

    n = 4
    lengths = np.array([100, 100, 100, 100])
    containers = np.array([[1, 0, -1], [1, 0, -1], [2, 0, -1], [3, -1, -1]])
    table = FeatureTable(sp.csr_matrix((n, 2)), np.zeros((n, 1), np.float32), ("x",), np.zeros(n, np.int32),
                         np.arange(n, dtype=np.int32), lengths, containers)
    p_news = np.array([0.9, 0.7, 0.1, 0.4])
    plain = context_features(FeatureTable(table.sparse, table.dense, ("x",), table.doc, table.pos, lengths),
                             p_news, np.zeros(n))
    ctx = context_features(table, p_news, np.zeros(n))
    extra = ctx[:, plain.shape[1] - 1:-1]  # the container columns sit between the other context and the dense
    assert extra.shape[1] == 6  # mean and size for parent, grandparent, great-grandparent
    parent_mean, parent_size = extra[:, 0], extra[:, 1]
    np.testing.assert_allclose(parent_mean[:2], 0.8, rtol=1e-6)  # the two siblings of container 1
    assert parent_mean[2] == np.float32(0.1) and parent_size[2] == 0.0  # alone in its container
    np.testing.assert_allclose(extra[:3, 2], (0.9 + 0.7 + 0.1) / 3, rtol=1e-6)  # the shared grandparent
    assert extra[3, 4] == np.float32(0.4)  # no great-grandparent: its own score


def test_same_kind_context_averages_the_blocks_of_a_kind_only_for_models_that_read_it():
    import scipy.sparse as sp

    from sourcecheck.features import FeatureTable
    from sourcecheck.model.context import context_features

    n = 4
    lengths = np.array([100, 100, 100, 100])
    containers = np.array([[1, 0, -1], [2, 0, -1], [3, 0, -1], [4, -1, -1]])  # no two blocks share a parent
    kinds = np.array([[0, 0], [1, 0], [0, 0], [2, 1]])  # rows 0 and 2 are one kind; 0-2 one near kind
    table = FeatureTable(sp.csr_matrix((n, 2)), np.zeros((n, 1), np.float32), ("x",), np.zeros(n, np.int32),
                         np.arange(n, dtype=np.int32), lengths, containers, kinds=kinds)
    p_news = np.array([0.9, 0.2, 0.7, 0.4])
    without = context_features(table, p_news, np.zeros(n))
    ctx = context_features(table, p_news, np.zeros(n), same_kind=True)
    assert ctx.shape[1] == without.shape[1] + 4  # mean and size for each of the two kinds
    np.testing.assert_array_equal(ctx[:, : without.shape[1] - 1], without[:, :-1])
    full_mean, full_size, near_mean, near_size = ctx[:, without.shape[1] - 1:-1].T
    np.testing.assert_allclose(full_mean, [0.8, 0.2, 0.8, 0.4], rtol=1e-6)
    np.testing.assert_allclose(full_size, np.log1p([1, 0, 1, 0]), rtol=1e-6)
    np.testing.assert_allclose(near_mean[:3], 0.6, rtol=1e-6)
    assert near_mean[3] == np.float32(0.4)
    assert SegmentClassifier().same_kind is True


def test_a_model_saved_before_block_kinds_reads_none():
    # an estimator pickled by 0.1.5 has no ``same_kind``: it was fitted without the columns, and must score so
    old = saved_before(SegmentClassifier(), "same_kind")
    assert old.same_kind is False and old.get_params()["same_kind"] is False


def test_topic_similarity_is_the_cosine_with_the_other_segments_of_the_page():
    from sourcecheck.features import N_CHAR, N_TEXT
    from sourcecheck.model.context import topic_similarity

    docs, _ = _docs(n=3)
    docs[1].append(Segment(index=len(docs[1]), text="", context={}))  # a segment without words reads 0
    table = featurize(docs, "text")
    weights = np.random.default_rng(5).random(len(table))

    def cosines(columns):  # the plain definition: each row against the weighted sum of the other rows of its page
        grams = (table.sparse[:, columns].toarray() != 0).astype(float)
        want = np.zeros(len(table))
        for i in range(len(table)):
            others = (table.doc == table.doc[i]) & (np.arange(len(table)) != i)
            centre = weights[others] @ grams[others]
            norm = np.linalg.norm(grams[i]) * np.linalg.norm(centre)
            want[i] = grams[i] @ centre / norm if norm > 0 else 0.0
        return want

    got = topic_similarity(table, weights)
    np.testing.assert_allclose(got, cosines(slice(N_CHAR, N_TEXT)), atol=1e-12)
    np.testing.assert_allclose(topic_similarity(table, weights, "chars"), cosines(slice(0, N_CHAR)), atol=1e-12)
    assert got[len(docs[0]) + len(docs[1]) - 1] == 0.0 and 0 < got.max() <= 1
    # a segment about the page's subject is nearer the page's words than one about something else
    page = [Segment(index=0, text="Ferry service to the island resumes after the storm", context={}),
            Segment(index=1, text="The island ferry resumes service on Monday, the operator said after the storm", context={}),
            Segment(index=2, text="Subscribe to our newsletter for weekly deals", context={})]
    sims = topic_similarity(featurize([page], "text"), np.ones(3))
    assert sims[0] > 0.3 and sims[1] > 0.3 and sims[2] < 0.1


def test_the_lede_is_the_first_two_long_newsy_segments_of_each_page():
    import scipy.sparse as sp

    from sourcecheck.features import FeatureTable
    from sourcecheck.model.context import lede_rows

    doc = np.array([0, 0, 0, 0, 1, 1, 1, 2])
    lengths = np.array([200, 10, 300, 400, 500, 500, 500, 10])
    table = FeatureTable(sp.csr_matrix((8, 1)), np.zeros((8, 1)), ("x",), doc, np.arange(8), lengths)
    p_news = np.array([0.9, 0.9, 0.9, 0.9, 0.2, 0.9, 0.9, 0.9])
    doc_start = np.array([0, 0, 0, 0, 4, 4, 4, 7])
    assert lede_rows(table, p_news, doc_start).tolist() == [1, 0, 1, 0, 0, 1, 1, 0]


def test_topic_column_only_for_models_that_read_it(fitted):
    from sourcecheck.model.context import context_features

    est, table, _ = fitted
    p = np.full(len(table), 0.5)
    assert est.topic is None and est.topic_ is True  # by default plain-text lines read it, HTML blocks do not
    assert context_features(table, p, p, topic=True).shape[1] == context_features(table, p, p).shape[1] + 3
    old = saved_before(SegmentClassifier(), "topic")  # pickled before the column existed: fitted without it
    assert old.topic is False and old._topic is False
    docs, labels = _docs(4)
    html = SegmentClassifier(mode="html", inner_folds=2).fit(featurize(docs, "html"), labels)
    assert html.topic_ is False


def test_comment_columns_open_after_the_news_and_count_bylines():
    import scipy.sparse as sp

    from sourcecheck.features import FeatureTable
    from sourcecheck.model.context import comment_columns

    # page 0: a heading in the menu (no news above it), news, a heading below the news, two bylines;
    # page 1: a byline on its own
    doc = np.array([0, 0, 0, 0, 0, 0, 1, 1])
    marks = np.array([1, 0, 1, 2, 0, 2, 2, 0], dtype=np.int8)
    table = FeatureTable(sp.csr_matrix((8, 1)), np.zeros((8, 1)), ("x",), doc, np.arange(8), np.full(8, 100),
                         marks=marks)
    share_before = np.array([0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 0.0, 1.0])
    doc_start = np.array([0, 0, 0, 0, 0, 0, 6, 6])
    doc_end = np.array([6, 6, 6, 6, 6, 6, 8, 8])
    zone, before, own, prev, nxt = comment_columns(table, share_before, doc_start, doc_end)
    assert zone.tolist() == [0, 0, 1, 1, 1, 1, 0, 0]  # the menu's heading opens nothing; no zone crosses pages
    np.testing.assert_allclose(before, np.log1p([0, 0, 0, 1, 1, 2, 1, 1]))
    assert own.tolist() == [0, 0, 0, 1, 0, 1, 1, 0]
    assert prev.tolist() == [0, 0, 0, 0, 1, 0, 0, 1] and nxt.tolist() == [0, 0, 1, 0, 1, 0, 0, 0]
    # a table without marks (HTML blocks) reads zeros
    bare = FeatureTable(sp.csr_matrix((8, 1)), np.zeros((8, 1)), ("x",), doc, np.arange(8), np.full(8, 100))
    assert all(not c.any() for c in comment_columns(bare, share_before, doc_start, doc_end))


def test_comment_columns_only_for_models_that_read_them(fitted):
    from sourcecheck.model.context import context_features

    est, table, _ = fitted
    p = np.full(len(table), 0.5)
    assert est.comments is None and est.comments_ is True  # plain-text lines read them by default
    assert context_features(table, p, p, comments=True).shape[1] == context_features(table, p, p).shape[1] + 5
    old = saved_before(SegmentClassifier(), "comments")  # pickled before the columns existed: fitted without them
    assert old.comments is False and old._comments is False


def test_label_lines_that_stage_one_called_chrome_keep_their_stage_one_scores():
    # classes_ order: advocacy, chrome, news
    revised = np.array([[0.0, 0.4, 0.6], [0.0, 0.1, 0.9], [0.0, 0.3, 0.7]])
    initial = np.array([[0.0, 0.8, 0.2], [0.0, 0.2, 0.8], [0.0, 0.6, 0.4]])
    hold = np.array([True, True, False])
    out = hold_stage1(initial, revised, hold)
    # held: the first (stage 1 said chrome) takes its stage-1 scores; the second was news in stage 1
    assert out.tolist() == [[0.0, 0.8, 0.2], [0.0, 0.1, 0.9], [0.0, 0.3, 0.7]]
    assert decide(out, np.zeros(3, int), np.array([10, 900, 800])).tolist() == ["chrome", "news", "news"]
    assert hold_stage1(initial, revised, None) is revised


def test_news_score_equals_the_boosters_own_predict_proba(fitted_model):
    # the shipped model's boosters, on inputs with missing values and beyond the training range
    est = fitted_model.estimators["html"]
    rng = np.random.default_rng(1)
    for booster in (est.revise_news_, est.revise2_news_):
        X = rng.normal(scale=3.0, size=(400, booster.n_features_in_))
        X[rng.random(X.shape) < 0.05] = np.nan
        # the trees' sums to the bit; the logistic function within a unit in the last place
        assert np.array_equal(raw_score(booster, X), booster.decision_function(X))
        np.testing.assert_allclose(news_score(booster, X), booster.predict_proba(X)[:, 1], rtol=0, atol=1e-15)
        assert news_score(booster, X[:1]).shape == (1,)
    with pytest.raises(ValueError):
        news_score(est.revise_news_, np.zeros((3, est.revise_news_.n_features_in_ + 1)))


def test_metadata_names_the_sourcecheck_code_that_runs():
    import sourcecheck
    from sourcecheck.model.store import library_versions
    versions = library_versions()
    assert versions["sourcecheck"] == sourcecheck.__version__
    assert "scikit-learn" in versions and "numpy" in versions


@needs_shared
def test_two_fits_with_one_seed_are_the_same():
    # real pages, so that the dual solver stops at its iteration cap, where the order it visits rows matters
    from sourcecheck.corpora import iter_pages
    from sourcecheck.pipeline import make_segments
    from sourcecheck.segment.decode import decode
    docs = [make_segments(decode(p.read())[0], "html")[0] for p in list(iter_pages("zyte-aeb"))[:40]]
    table = featurize(docs, "html")
    y = np.where(table.lengths > 150, "news", "chrome").astype(object)
    est = SegmentClassifier(mode="html", random_state=7)
    heads = [est._fit_stage1(table, y, np.random.default_rng(0))[1].coef_.ravel() for _ in range(2)]
    assert np.array_equal(heads[0], heads[1])


def test_boosters_learn_from_every_row_whatever_the_seed():
    # scikit-learn's default early stopping, above 10,000 rows, held out a random tenth of them: the seed
    # then chose which rows a revise booster learned from
    rng = np.random.default_rng(0)
    X = rng.normal(size=(12_000, 4))
    y = X[:, 0] + rng.normal(size=len(X)) > 0
    fits = [SegmentClassifier(max_iter=20, random_state=seed)._booster(len(X)).fit(X, y) for seed in (1, 2)]
    assert [f.n_iter_ for f in fits] == [20, 20]
    assert np.array_equal(raw_score(fits[0], X), raw_score(fits[1], X))


def _recording(booster, note):
    """``booster``, whose ``fit`` first hands what it is given to ``note``."""
    fit = booster.fit

    def recording_fit(X, y):
        note(X, y)
        return fit(X, y)

    booster.fit = recording_fit
    return booster


class _RecordingClassifier(SegmentClassifier):
    """A real classifier that notes what each booster was fitted on."""

    def _booster(self, n_rows):
        return _recording(super()._booster(n_rows), lambda X, y: self.seen_.append((np.array(X), np.array(y))))

    def _adv_booster(self):
        return _recording(super()._adv_booster(), lambda X, y: self.adv_seen_.append(len(X)))


def test_revise_boosters_learn_from_two_draws_of_stage_one_scores():
    docs, labels = _docs()
    table = featurize(docs, "text")
    n_lab = sum(1 for lab in labels if lab)
    est = _RecordingClassifier(mode="text", inner_folds=2)
    est.seen_, est.adv_seen_ = [], []
    est.fit(table, labels)
    assert est.adv_gate_ == 0.0 and est.adv_seen_[0] == 2 * n_lab  # the advocacy booster too (no gate here)
    X, y = est.seen_[-1]  # the second revise pass, fitted on every labelled row
    assert len(X) == 2 * n_lab and np.array_equal(y[:n_lab], y[n_lab:])
    n_dense = table.dense.shape[1]
    # the same rows twice: same own numbers, stage-1 scores drawn from two different site splits
    assert np.array_equal(X[:n_lab, -n_dense:], X[n_lab:, -n_dense:])
    assert not np.array_equal(X[:n_lab, :-n_dense], X[n_lab:, :-n_dense])
    one = _RecordingClassifier(mode="text", inner_folds=2, stage1_draws=1)
    one.seen_, one.adv_seen_ = [], []
    one.fit(table, labels)
    assert len(one.seen_[-1][0]) == n_lab and one.adv_seen_[0] == n_lab


def test_fit_runs_on_one_thread_whatever_the_caller_allows():
    from threadpoolctl import threadpool_info, threadpool_limits

    seen = []

    class Noting(SegmentClassifier):
        def _booster(self, n_rows):
            return _recording(super()._booster(n_rows),
                              lambda X, y: seen.append([p["num_threads"] for p in threadpool_info()]))

    docs, labels = _docs()
    with threadpool_limits(2):
        Noting(mode="text", inner_folds=2).fit(featurize(docs, "text"), labels)
    assert seen and all(n == [1] * len(n) and n for n in seen)


def test_two_draws_are_reproducible_and_at_least_one_is_needed():
    docs, labels = _docs()
    table = featurize(docs, "text")
    scores = [SegmentClassifier(mode="text", inner_folds=2, random_state=3).fit(table, labels).predict_proba(table)
              for _ in range(2)]
    assert np.array_equal(scores[0], scores[1])
    with pytest.raises(ValueError, match="stage1_draws"):
        SegmentClassifier(mode="text", inner_folds=2, stage1_draws=0).fit(table, labels)


def test_a_model_fitted_before_two_draws_reads_as_one_draw(fitted):
    # a model saved by 0.1.2 or earlier has no `stage1_draws` in its state; it drew stage-1 scores once
    est, table, _ = fitted
    old = saved_before(est, "stage1_draws")
    assert old.get_params()["stage1_draws"] == 1
    assert repr(old).startswith("SegmentClassifier(")
    np.testing.assert_array_equal(old.predict_proba(table), est.predict_proba(table))


@needs_model
def test_the_shipped_estimators_learned_from_two_draws(model, fitted_model):
    assert {k: e.get_params()["stage1_draws"] for k, e in fitted_model.estimators.items()} == {"html": 2, "text": 2}
    assert {k: e.desc["params"]["stage1_draws"] for k, e in model.estimators.items()} == {"html": 2, "text": 2}


def test_the_card_names_an_estimator_that_was_not_refitted():
    from sourcecheck.model.card import model_card
    card = model_card({"name": "m", "kept_from": {"text": "sourcecheck-corpora 0.1.1+20261121"}})
    assert "- the text estimator was not refitted: it is the one of sourcecheck-corpora 0.1.1+20261121" in card
    assert "not refitted" not in model_card({"name": "m"})


def test_the_card_shows_the_figures_of_every_seed():
    from sourcecheck.model.card import model_card
    run = {"pages": 3, "folds": 2, "revised": {"news_vs_chrome_macro_f1_chars": 0.9376},
           "extraction": {"zyte-aeb": {"f1": 0.9457}},
           "advocacy_on_hand_labels": {"agreed": {"records": 9, "precision": 0.7742, "recall": 0.4444}}}
    other = {**run, "seed": 1, "revised": {"news_vs_chrome_macro_f1_chars": 0.935}}
    card = model_card({"name": "m", "cross_validation": {"html": {**run, "seed": 7, "other_seeds": [other]}}})
    assert "seed 7 above" in card
    assert "seed 1: news-vs-chrome 0.935, zyte-aeb 0.946, advocacy P 0.774 / R 0.444" in card
    assert "other seeds" not in model_card({"name": "m", "cross_validation": {"html": run}})


def test_the_card_says_when_figures_were_scored_again_without_refitting():
    from sourcecheck.model.card import model_card
    run = {"pages": 3, "folds": 2, "revised": {"news_vs_chrome_macro_f1_chars": 0.94}}
    card = model_card({"name": "m", "cross_validation": {"html": {**run, "rescored": "by the code of 9.9"}}})
    assert "Scored again, not refitted: by the code of 9.9." in card
    assert "Scored again" not in model_card({"name": "m", "cross_validation": {"html": run}})


def test_segments_below_the_advocacy_gate_keep_their_stage_one_score(fitted):
    import copy
    est, table, _ = fitted
    est = copy.deepcopy(est)
    initial, _ = est.predict_stages(table)
    est.adv_gate_ = float(np.median(initial[:, 0]))  # a tiny training set reads every row; here half of them
    initial, revised = est.predict_stages(table)
    below = initial[:, 0] < est.adv_gate_
    assert below.any() and (~below).any()
    np.testing.assert_allclose(revised[below, 0], initial[below, 0])
    assert not np.allclose(revised[~below, 0], initial[~below, 0])


def test_a_refit_forgets_the_advocacy_stage_of_a_0_1_1_model():
    from sklearn.ensemble import HistGradientBoostingClassifier
    docs, labels = _docs()
    est = SegmentClassifier(mode="text", inner_folds=2)
    est.adv_scaler_ = "left by a fit of sourcecheck 0.1.1"
    est.fit(featurize(docs, "text"), labels)
    assert not hasattr(est, "adv_scaler_")
    assert isinstance(est.revise_adv_, HistGradientBoostingClassifier)


def test_a_model_fitted_by_0_1_1_still_scores_advocacy_its_way(fitted):
    # 0.1.1 fitted a logistic advocacy stage over every row, with a scaler; a user's model may be one such
    import copy

    from scipy.special import expit
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    from sourcecheck.model.context import adv_design, context_features
    est, table, labels = fitted
    est = copy.deepcopy(est)
    p_news, p_adv = est._predict_stage1(table, est.stage1_)
    A = adv_design(context_features(table, p_news, p_adv), table.dense, est._adv_columns(table))
    est.adv_scaler_ = StandardScaler().fit(A)
    est.revise_adv_ = LogisticRegression().fit(est.adv_scaler_.transform(A), np.array(labels) == "advocacy")
    del est.adv_gate_
    import dataclasses

    _, revised = est.predict_stages(dataclasses.replace(table, held=None))  # no line held to stage 1
    np.testing.assert_allclose(revised[:, 0], expit(est.revise_adv_.decision_function(est.adv_scaler_.transform(A))
                                                    - est.adv_shift_))



def test_only_rows_the_first_revise_pass_is_unsure_of_get_the_second(fitted_model):
    from pathlib import Path
    from sourcecheck.pipeline import make_segments
    est = fitted_model.estimators["html"]
    segments, _, _ = make_segments((Path(__file__).parents[1] / "examples" / "ferry.html").read_text(), "html")
    table = featurize([segments], "html")
    p_news, p_adv = est._predict_stage1(table, est.stage1_)
    Z = est._context(table, p_news, p_adv)
    q1 = news_score(est.revise_news_, Z)
    q2 = news_score(est.revise2_news_, est._second_pass(table, Z, q1, p_adv))
    _, revised = est.predict_stages(table)
    q_news = revised[:, 2] / (1 - revised[:, 0])
    from sourcecheck.model.scoring import SECOND_PASS_BAND
    lo, hi = SECOND_PASS_BAND
    unsure = (q1 > lo) & (q1 < hi)
    assert unsure.any() and (~unsure).any()
    assert not np.allclose(q1[~unsure], q2[~unsure], rtol=1e-3)  # teeth: the second pass would have moved them
    np.testing.assert_allclose(q_news[~unsure], q1[~unsure], rtol=1e-6)
    np.testing.assert_allclose(q_news[unsure], q2[unsure], rtol=1e-6)


def test_context_of_a_page_is_the_same_alone_and_in_a_large_batch():
    # 1,200 rows: the "no confident news after" distance once depended on a row's place in the whole table
    from sourcecheck.model.context import context_features
    docs, _ = _docs(n=150)
    table = featurize(docs, "text")
    assert len(table) > 1000
    rng = np.random.default_rng(3)
    p_news, p_adv = rng.random(len(table)), rng.random(len(table)) * 0.1
    p_news[table.pos >= 6] = 0.01  # the last rows of each page: no confident news after them
    together = context_features(table, p_news, p_adv, topic=True)
    for d in (0, 75, 149):
        rows = np.flatnonzero(table.doc == d)
        alone = context_features(table.subset(rows), p_news[rows], p_adv[rows], topic=True)
        np.testing.assert_array_equal(together[rows], alone)
    assert context_features(table.subset(np.array([], dtype=int)), np.zeros(0), np.zeros(0), topic=True).shape[0] == 0


def test_no_confident_news_after_a_segment_reads_minus_one_not_far():
    # the shipped model learned "none after" as a number below 1; 50 means "far after" (BENCHMARKS.md)
    from sourcecheck.model.context import context_features
    docs, _ = _docs(n=1)
    table = featurize(docs, "text")
    n = len(table)
    p_news = np.full(n, 0.1)
    p_news[2] = 0.9  # the only confident news segment
    Z = context_features(table, p_news, np.zeros(n))
    after = np.r_[2 - np.arange(2), np.full(n - 2, -1)]
    before = np.r_[np.full(3, 50), np.arange(1, n - 2)]
    assert any(np.array_equal(Z[:, j], after) for j in range(Z.shape[1]))
    assert any(np.array_equal(Z[:, j], before) for j in range(Z.shape[1]))
