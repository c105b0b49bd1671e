# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False, cdivision=True
"""Compiled evaluation of a fitted gradient-boosting ensemble, all trees in one loop.

scikit-learn evaluates a ``HistGradientBoostingClassifier`` one tree at a time,
each call going through Python (and an OpenMP region); with 300 small trees and
a page of about 180 rows that overhead is most of the booster's time.  Here the
trees are flattened into one node table (``flatten`` in ``estimator.py``) and
walked in one C loop, with the same decisions as scikit-learn's
``_predict_one_from_raw_data`` for numerical splits (missing values follow
``missing_go_to_left``) and the leaves added in the same order, so the sums are
the same to the last bit.  Optional: without a compiler the pure-Python path
runs (``estimator.raw_score``).
"""

from libc.math cimport isnan


def ensemble_raw(const double[:, ::1] X, const int[::1] roots, const int[::1] feature,
                 const double[::1] threshold, const int[::1] left, const int[::1] right,
                 const unsigned char[::1] missing_left, const unsigned char[::1] is_leaf,
                 const double[::1] value, double baseline, double[::1] out):
    """Add each tree's leaf value for every row of ``X`` to ``baseline``, tree by tree, into ``out``."""
    cdef Py_ssize_t n = X.shape[0], n_trees = roots.shape[0], i, t
    cdef int node
    cdef double x
    with nogil:
        for i in range(n):
            out[i] = baseline
        for t in range(n_trees):
            for i in range(n):
                node = roots[t]
                while not is_leaf[node]:
                    x = X[i, feature[node]]
                    if isnan(x):
                        node = left[node] if missing_left[node] else right[node]
                    elif x <= threshold[node]:
                        node = left[node]
                    else:
                        node = right[node]
                out[i] += value[node]
