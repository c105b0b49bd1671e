"""The fitted segment classifier as data: arrays, a JSON description, and the code that scores with them.

This is what scoring loads and runs.  Stage 1 is two linear heads (a dot
product over the hashed text and layout columns and the standardized dense
block); stage 2 is three boosters (:class:`~sourcecheck.model.trees.Trees`) over
the context columns (:mod:`sourcecheck.model.context`).  No scikit-learn:
:func:`from_estimator` reads a fitted
:class:`~sourcecheck.model.estimator.SegmentClassifier` into this form, and
``SegmentClassifier.predict_stages`` scores through it, so the estimator and
the exported model share one implementation.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..features import N_TEXT, FeatureTable
from .context import ADV_CUE_COLUMNS, adv_design, context_features
from .rules import CLASSES, decide, hold_stage1, hold_teasers, title_rows
from .trees import Trees

#: first-pass news scores inside this open band get the second revise pass; outside it they are final
SECOND_PASS_BAND = (0.01, 0.99)
BOOSTERS = ("revise_news", "revise2_news", "revise_adv")


def expit(x: np.ndarray) -> np.ndarray:
    """The logistic function, by the formula ``scipy.special.expit`` uses (``1 / (1 + exp(-x))``)."""
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=np.float64)))


class LinearStage:
    """A standardized linear model over the advocacy design (the advocacy stage of models fitted by 0.1.1)."""

    __slots__ = ("mean", "scale", "coef", "intercept")

    def __init__(self, mean: np.ndarray, scale: np.ndarray, coef: np.ndarray, intercept: float):
        self.mean, self.scale = np.asarray(mean, np.float64), np.asarray(scale, np.float64)
        # the coefficients keep their float type: a logistic model fitted on float32 rows computes in float32
        coef = np.asarray(coef)
        self.coef = coef.ravel().astype(coef.dtype if coef.dtype in (np.float32, np.float64) else np.float64)
        self.intercept = float(intercept)
        if not (len(self.mean) == len(self.scale) == len(self.coef)):
            raise ValueError("linear stage arrays differ in length")

    def raw(self, A: np.ndarray) -> np.ndarray:
        # standardized in A's float type, as scikit-learn's StandardScaler keeps float32 input float32
        X = np.array(A, dtype=A.dtype if A.dtype in (np.float32, np.float64) else np.float64)
        X -= self.mean.astype(X.dtype)
        X /= self.scale.astype(X.dtype)
        return (X @ self.coef[:, None]).ravel() + self.intercept


class LinearHeads:
    """Stage 1: the news and advocacy heads over the hashed sparse block and the standardized dense block."""

    __slots__ = ("mean", "scale", "with_mean", "with_std", "news_coef", "news_intercept", "adv_coef",
                 "adv_intercept", "n_sparse", "_adv_sparse")

    def __init__(self, arrays: dict[str, np.ndarray], n_sparse: int, n_dense: int, with_mean: bool = True,
                 with_std: bool = True):
        self.n_sparse, self.with_mean, self.with_std = int(n_sparse), bool(with_mean), bool(with_std)
        self.mean = _vector(arrays, "stage1.mean", n_dense)
        self.scale = _vector(arrays, "stage1.scale", n_dense)
        self.news_coef = _vector(arrays, "stage1.news_coef", n_sparse + n_dense)
        self.news_intercept = float(_vector(arrays, "stage1.news_intercept", 1)[0])
        self.adv_coef = None
        if "stage1.adv_coef" in arrays:
            self.adv_coef = _vector(arrays, "stage1.adv_coef", N_TEXT + n_dense)
            self.adv_intercept = float(_vector(arrays, "stage1.adv_intercept", 1)[0])
            # the advocacy head reads the text columns only: zeros for the layout ones of the sparse block
            self._adv_sparse = np.concatenate([self.adv_coef[:N_TEXT], np.zeros(n_sparse - N_TEXT)])

    @classmethod
    def from_parts(cls, scaler, news_head, adv_head, n_sparse: int) -> "LinearHeads":
        """From a fitted ``StandardScaler`` and two ``LogisticRegression`` heads (read by attribute)."""
        n_dense = len(scaler.mean_) if scaler.with_mean else len(scaler.scale_)
        arrays = {"stage1.mean": np.asarray(scaler.mean_ if scaler.with_mean else np.zeros(n_dense), np.float64),
                  "stage1.scale": np.asarray(scaler.scale_ if scaler.with_std else np.ones(n_dense), np.float64),
                  "stage1.news_coef": np.asarray(news_head.coef_, np.float64).ravel(),
                  "stage1.news_intercept": np.asarray(news_head.intercept_, np.float64).ravel()}
        if adv_head is not None:
            arrays["stage1.adv_coef"] = np.asarray(adv_head.coef_, np.float64).ravel()
            arrays["stage1.adv_intercept"] = np.asarray(adv_head.intercept_, np.float64).ravel()
        return cls(arrays, n_sparse, n_dense, scaler.with_mean, scaler.with_std)

    def arrays(self) -> dict[str, np.ndarray]:
        out = {"stage1.mean": self.mean, "stage1.scale": self.scale, "stage1.news_coef": self.news_coef,
               "stage1.news_intercept": np.array([self.news_intercept])}
        if self.adv_coef is not None:
            out["stage1.adv_coef"] = self.adv_coef
            out["stage1.adv_intercept"] = np.array([self.adv_intercept])
        return out

    def predict(self, table: FeatureTable) -> tuple[np.ndarray, np.ndarray]:
        """p(news) and p(advocacy), context-free: dot products over the two blocks (the same numbers as the
        heads' ``predict_proba`` on the stacked design, without building it)."""
        X = table.dense
        if X.ndim != 2 or X.shape[1] != len(self.mean):
            raise ValueError(f"expected {len(self.mean)} dense columns, got {X.shape}")
        # standardized as scikit-learn's StandardScaler does: a copy in X's float type, mean and scale cast to it
        dense = np.array(X, dtype=X.dtype if X.dtype in (np.float32, np.float64) else np.float64)
        if self.with_mean:
            dense -= self.mean.astype(dense.dtype)
        if self.with_std:
            dense /= self.scale.astype(dense.dtype)
        coef = self.news_coef
        p_news = expit(table.sparse @ coef[:self.n_sparse] + dense @ coef[self.n_sparse:] + self.news_intercept)
        if self.adv_coef is None:
            return p_news, np.zeros(len(table))
        p_adv = expit(table.sparse @ self._adv_sparse + dense @ self.adv_coef[N_TEXT:] + self.adv_intercept)
        return p_news, p_adv


class Scorer:
    """A fitted segment classifier in its scoring form: ``predict_stages(table)`` as the estimator computes it."""

    def __init__(self, desc: dict[str, Any], arrays: dict[str, np.ndarray]):
        self.desc = desc
        self.mode = str(desc["mode"])
        self.classes_ = np.asarray(desc["classes"])
        if list(self.classes_) != list(CLASSES):
            raise ValueError(f"classes must be {list(CLASSES)}")
        self.same_kind = bool(desc["same_kind"])
        self.topic = bool(desc["topic"])
        self.comments = bool(desc["comments"])
        self.dense_names_ = tuple(str(n) for n in desc["dense_names"])
        self.n_sparse = int(desc["n_sparse"])
        self.n_features_in_ = self.n_sparse + len(self.dense_names_)
        self.adv_gate = float(desc["adv_gate"])
        self.adv_shift = float(desc["adv_shift"])
        self.stage1 = LinearHeads(arrays, self.n_sparse, len(self.dense_names_), bool(desc["with_mean"]),
                                  bool(desc["with_std"]))
        self.revise_news = _trees(arrays, desc, "revise_news")
        self.revise2_news = _trees(arrays, desc, "revise2_news")
        kind = desc.get("revise_adv")
        if kind == "trees":
            self.revise_adv = _trees(arrays, desc, "revise_adv")
        elif kind == "linear":
            self.revise_adv = LinearStage(*(arrays[f"revise_adv.{k}"] for k in ("mean", "scale", "coef")),
                                          float(arrays["revise_adv.intercept"].ravel()[0]))
        elif kind is None:
            self.revise_adv = None
        else:
            raise ValueError(f"unknown advocacy stage {kind!r}")
        if self.revise_news is None or self.revise2_news is None:
            raise ValueError("a model needs both news revise stages")

    # the arrays and description that make this model, as written to disk -----------------------------
    def to_arrays(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        arrays = self.stage1.arrays()
        desc = dict(self.desc)
        for name in BOOSTERS:
            stage = getattr(self, name)
            if isinstance(stage, Trees):
                arrays.update({f"{name}.{k}": v for k, v in stage.arrays().items()})
                desc[f"{name}.baseline"] = stage.baseline
                desc[f"{name}.n_features"] = stage.n_features
            elif isinstance(stage, LinearStage):
                arrays.update({f"{name}.{k}": getattr(stage, k) for k in ("mean", "scale", "coef")})
                arrays[f"{name}.intercept"] = np.array([stage.intercept])
        return desc, arrays

    # scoring -------------------------------------------------------------------------------------------
    def _context(self, X: FeatureTable, p_news: np.ndarray, p_adv: np.ndarray, with_dense: bool = True) -> np.ndarray:
        return context_features(X, p_news, p_adv, self.same_kind, with_dense=with_dense, topic=self.topic,
                                comments=self.comments)

    def _second_pass(self, X: FeatureTable, Z: np.ndarray, q1: np.ndarray, p_adv: np.ndarray) -> np.ndarray:
        return np.hstack([self._context(X, q1, p_adv, with_dense=False), Z])

    def predict_stages(self, X: FeatureTable) -> tuple[np.ndarray, np.ndarray]:
        """Context-free and revised probabilities, each of shape (n, 3) in ``CLASSES`` order."""
        if tuple(X.dense_names) != self.dense_names_ or X.sparse.shape[1] + X.dense.shape[1] != self.n_features_in_:
            raise ValueError("the model was trained on other features than this version of sourcecheck computes: "
                             "retrain it, or use the sourcecheck version it was made with")
        p_news, p_adv = self.stage1.predict(X)
        initial = combine(p_adv, p_news)
        Z = self._context(X, p_news, p_adv)
        q1 = expit(self.revise_news.raw(Z))
        # The second pass only rescores rows the first is unsure of: outside the band it changed no label in
        # site-grouped CV, and skipping those rows (about 85% of blocks) saves a tree ensemble's work
        q_news = q1.copy()
        unsure = (q1 > SECOND_PASS_BAND[0]) & (q1 < SECOND_PASS_BAND[1])
        if unsure.any():
            q_news[unsure] = expit(self.revise2_news.raw(self._second_pass(X, Z, q1, p_adv)[unsure]))
        adv_cols = [X.dense_names.index(c) for c in ADV_CUE_COLUMNS]
        if self.revise_adv is None:
            q_adv = np.zeros(len(X))
        elif isinstance(self.revise_adv, LinearStage):  # every row, as 0.1.1 fitted it
            q_adv = expit(self.revise_adv.raw(adv_design(Z, X.dense, adv_cols)) - self.adv_shift)
        else:  # rows under the gate keep their stage-1 score
            q_adv = p_adv.copy()
            gate = p_adv >= self.adv_gate
            if gate.any():
                A = adv_design(Z[gate], X.dense[gate], adv_cols)
                q_adv[gate] = expit(self.revise_adv.raw(A) - self.adv_shift)
        revised = hold_stage1(initial, combine(q_adv, q_news), X.held)
        return initial, hold_teasers(revised, X.teasers)

    def predict_proba(self, X: FeatureTable) -> np.ndarray:
        return self.predict_stages(X)[1]

    def predict(self, X: FeatureTable) -> np.ndarray:
        """Labels: the revised probabilities, decided page by page (:func:`~sourcecheck.model.rules.decide`)."""
        return decide(self.predict_proba(X), X.doc, X.lengths, title_rows(X))


def combine(p_adv: np.ndarray, p_news: np.ndarray) -> np.ndarray:
    """The three classes from p(advocacy) and p(news | not advocacy), in ``CLASSES`` order."""
    p_news_given = np.clip(p_news, 0.0, 1.0)
    return np.column_stack([p_adv, (1 - p_adv) * (1 - p_news_given), (1 - p_adv) * p_news_given])


def _vector(arrays: dict[str, np.ndarray], name: str, length: int) -> np.ndarray:
    a = arrays.get(name)
    if a is None:
        raise ValueError(f"missing array {name}")
    if a.dtype.kind != "f" or a.ndim != 1 or len(a) != length:
        raise ValueError(f"array {name} has shape {a.shape} and type {a.dtype}, expected ({length},) floats")
    return np.ascontiguousarray(a, dtype=np.float64)


def _trees(arrays: dict[str, np.ndarray], desc: dict[str, Any], name: str) -> Trees | None:
    if f"{name}.roots" not in arrays:
        return None
    from .trees import FIELDS

    return Trees({k: arrays[f"{name}.{k}"] for k in FIELDS}, float(desc[f"{name}.baseline"]),
                 int(desc[f"{name}.n_features"]))


def from_estimator(est) -> Scorer:
    """The scoring form of a fitted ``SegmentClassifier`` (read by attribute; scikit-learn is not imported here)."""
    scaler, news_head, adv_head = est.stage1_
    n_sparse = est.n_features_in_ - len(est.dense_names_)
    desc: dict[str, Any] = {
        "params": {k: v for k, v in est.get_params().items() if isinstance(v, (bool, int, float, str, type(None)))},
        "mode": est.mode, "classes": [str(c) for c in est.classes_], "same_kind": bool(est.same_kind),
        "topic": bool(getattr(est, "topic_", False)), "comments": bool(getattr(est, "comments_", False)),
        "dense_names": list(est.dense_names_), "n_sparse": int(n_sparse),
        "adv_gate": float(getattr(est, "adv_gate_", 0.02)), "adv_shift": float(est.adv_shift_),
        "with_mean": bool(scaler.with_mean), "with_std": bool(scaler.with_std),
    }
    arrays = LinearHeads.from_parts(scaler, news_head, adv_head, n_sparse).arrays()
    for name, booster in (("revise_news", est.revise_news_), ("revise2_news", est.revise2_news_)):
        t = Trees.from_booster(booster)
        arrays.update({f"{name}.{k}": v for k, v in t.arrays().items()})
        desc[f"{name}.baseline"], desc[f"{name}.n_features"] = t.baseline, t.n_features
    adv = est.revise_adv_
    if adv is None:
        desc["revise_adv"] = None
    elif hasattr(est, "adv_scaler_"):  # a model fitted by sourcecheck 0.1.1: a logistic stage over every row
        desc["revise_adv"] = "linear"
        sc = est.adv_scaler_
        arrays.update({"revise_adv.mean": np.asarray(sc.mean_, np.float64), "revise_adv.scale": np.asarray(sc.scale_, np.float64),
                       "revise_adv.coef": np.asarray(adv.coef_).ravel(),
                       "revise_adv.intercept": np.asarray(adv.intercept_, np.float64).ravel()})
    else:
        desc["revise_adv"] = "trees"
        t = Trees.from_booster(adv)
        arrays.update({f"revise_adv.{k}": v for k, v in t.arrays().items()})
        desc["revise_adv.baseline"], desc["revise_adv.n_features"] = t.baseline, t.n_features
    return Scorer(desc, arrays)
