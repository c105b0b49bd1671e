"""Gradient-boosted trees as data: one flat node table per ensemble, walked without scikit-learn.

A fitted ``HistGradientBoostingClassifier`` (binary, numerical splits) is its
baseline plus, per tree, nodes that send a row left when its feature is at most
the threshold (a missing value goes where ``missing_go_to_left`` says) and a
leaf value.  :class:`Trees` holds all trees of one booster as eight arrays,
child indices made absolute, and adds the leaves to the baseline tree by tree,
in scikit-learn's order, so the sums are the same to the last bit.  The walk
runs in the compiled loop (``_trees.pyx``) where it was built, else in NumPy.
"""

from __future__ import annotations

import numpy as np

from ..compiled import OptionalModule

#: the arrays of a :class:`Trees`, in the order the compiled loop takes them
FIELDS = ("roots", "feature", "threshold", "left", "right", "missing_left", "is_leaf", "value")
_DTYPES = {"roots": np.int32, "feature": np.int32, "threshold": np.float64, "left": np.int32, "right": np.int32,
           "missing_left": np.uint8, "is_leaf": np.uint8, "value": np.float64}

#: the compiled tree loop (``_trees.pyx``), where it was built
LOOP = OptionalModule("sourcecheck.model._trees")


class Trees:
    """The trees of one binary booster: ``raw(X)`` is the log-odds its ``predict_proba`` turns into p(class 1)."""

    __slots__ = FIELDS + ("baseline", "n_features")

    def __init__(self, arrays: dict[str, np.ndarray], baseline: float, n_features: int):
        for name in FIELDS:
            setattr(self, name, np.ascontiguousarray(arrays[name], dtype=_DTYPES[name]))
        self.baseline = float(baseline)
        self.n_features = int(n_features)
        self._check()

    def _check(self) -> None:
        # a model file is data: indices that point outside the table would read outside it in the compiled loop
        n = len(self.feature)
        if not (len(self.threshold) == len(self.left) == len(self.right) == len(self.missing_left)
                == len(self.is_leaf) == len(self.value) == n) or n == 0:
            raise ValueError("tree arrays differ in length")
        inner = self.is_leaf == 0
        for name in ("left", "right"):
            child = getattr(self, name)[inner]
            if child.size and (child.min() < 0 or child.max() >= n):
                raise ValueError(f"tree {name} child out of range")
        if self.roots.size and (self.roots.min() < 0 or self.roots.max() >= n):
            raise ValueError("tree root out of range")
        feat = self.feature[inner]
        if feat.size and (feat.min() < 0 or feat.max() >= self.n_features):
            raise ValueError("tree feature index out of range")
        # every inner node's children come after it, so no walk can loop
        idx = np.flatnonzero(inner)
        if idx.size and ((self.left[idx] <= idx).any() or (self.right[idx] <= idx).any()):
            raise ValueError("tree children must follow their parent")

    @classmethod
    def from_booster(cls, booster) -> "Trees":
        """The trees of a fitted scikit-learn ``HistGradientBoostingClassifier`` (binary, numerical splits)."""
        predictors = booster._predictors
        if not predictors or len(predictors[0]) != 1:
            raise ValueError("only binary boosters are supported")
        nodes = [tree.nodes for (tree,) in predictors]
        if any(n["is_categorical"].any() for n in nodes):
            raise ValueError("categorical splits are not supported")
        sizes = [len(n) for n in nodes]
        offsets = np.r_[0, np.cumsum(sizes)[:-1]].astype(np.int64)
        allnodes = np.concatenate(nodes)
        shift = np.repeat(offsets, sizes)
        arrays = {
            "roots": offsets,
            "feature": allnodes["feature_idx"],
            "threshold": allnodes["num_threshold"],
            "left": allnodes["left"].astype(np.int64) + shift,
            "right": allnodes["right"].astype(np.int64) + shift,
            "missing_left": allnodes["missing_go_to_left"],
            "is_leaf": allnodes["is_leaf"],
            "value": allnodes["value"],
        }
        return cls(arrays, float(np.ravel(booster._baseline_prediction)[0]), booster.n_features_in_)

    def arrays(self) -> dict[str, np.ndarray]:
        return {name: getattr(self, name) for name in FIELDS}

    def raw(self, X: np.ndarray) -> np.ndarray:
        X = np.ascontiguousarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != self.n_features:
            raise ValueError(f"expected {self.n_features} columns, got {X.shape}")
        loop = LOOP.get()
        if loop is not None:
            out = np.empty(X.shape[0])
            loop.ensemble_raw(X, *(getattr(self, name) for name in FIELDS), self.baseline, out)
            return out
        return self._raw_numpy(X)

    def _raw_numpy(self, X: np.ndarray) -> np.ndarray:
        """The compiled loop's arithmetic in NumPy: all trees walked level by level, leaves summed tree by tree."""
        n, n_trees = X.shape[0], len(self.roots)
        node = np.broadcast_to(self.roots, (n, n_trees)).copy()
        rows = np.broadcast_to(np.arange(n)[:, None], (n, n_trees))
        active = self.is_leaf[node] == 0
        while active.any():
            r, nd = rows[active], node[active]
            x = X[r, self.feature[nd]]
            left = np.where(np.isnan(x), self.missing_left[nd] == 1, x <= self.threshold[nd])
            node[active] = np.where(left, self.left[nd], self.right[nd])
            active = self.is_leaf[node] == 0
        # baseline first, then each tree's leaf in tree order: a sequential sum, as the compiled loop adds
        vals = np.concatenate([np.full((n, 1), self.baseline), self.value[node]], axis=1)
        return np.cumsum(vals, axis=1)[:, -1] if n else np.zeros(0)
