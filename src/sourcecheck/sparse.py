"""A small compressed-sparse-row matrix: what featurizing and scoring need, without importing scipy.

The hashed text and layout columns of a feature table are a CSR matrix:
``data`` (float32), ``indices`` and ``indptr``, rows in canonical form (column
indices sorted, no duplicates).  Scoring builds it, stacks blocks, takes rows
and column ranges, and multiplies it by a weight vector; fitting hands it to
scikit-learn as a scipy matrix (:meth:`Csr.to_scipy`).  Importing scipy costs a
command-line call more time than scoring a page, so scoring does without it.
"""

from __future__ import annotations

import numpy as np

from .compiled import OptionalModule

#: the compiled product (``_csr.pyx``), where it was built
PRODUCT = OptionalModule("sourcecheck._csr")


class Csr:
    """Rows of sparse float32 values: ``data[indptr[i]:indptr[i+1]]`` at columns ``indices[...]`` of row ``i``."""

    __slots__ = ("data", "indices", "indptr", "shape")

    def __init__(self, data, indices, indptr, shape: tuple[int, int]):
        self.data = np.asarray(data, dtype=np.float32)
        self.indices = np.asarray(indices)
        self.indptr = np.asarray(indptr)
        self.shape = (int(shape[0]), int(shape[1]))
        if len(self.indptr) != self.shape[0] + 1 or len(self.data) != len(self.indices):
            raise ValueError("inconsistent CSR arrays")

    @classmethod
    def empty(cls, n_rows: int, n_cols: int) -> "Csr":
        return cls(np.zeros(0, np.float32), np.zeros(0, np.int32), np.zeros(n_rows + 1, np.int64), (n_rows, n_cols))

    @classmethod
    def from_scipy(cls, m) -> "Csr":
        m = m.tocsr()
        return cls(m.data, m.indices, m.indptr, m.shape)

    def to_scipy(self):
        import scipy.sparse as sp

        return sp.csr_matrix((self.data, self.indices, self.indptr), shape=self.shape)

    @property
    def dtype(self) -> np.dtype:
        return self.data.dtype

    @property
    def has_canonical_format(self) -> bool:
        """Column indices strictly increasing within every row (sorted, no duplicates)."""
        if self.nnz < 2:
            return True
        step = np.diff(self.indices[self.indptr[0]:self.indptr[-1]].astype(np.int64))
        row_start = np.zeros(len(step), dtype=bool)
        starts = self.indptr[1:-1] - self.indptr[0] - 1
        row_start[starts[(starts >= 0) & (starts < len(step))]] = True
        return bool(((step > 0) | row_start).all())

    @property
    def nnz(self) -> int:
        return int(self.indptr[-1] - self.indptr[0]) if len(self.indptr) else 0

    def tocsr(self) -> "Csr":
        return self

    def toarray(self) -> np.ndarray:
        out = np.zeros(self.shape, dtype=np.float32)
        rows = np.repeat(np.arange(self.shape[0]), np.diff(self.indptr))
        out[rows, self.indices[self.indptr[0]:self.indptr[-1]]] = self.data[self.indptr[0]:self.indptr[-1]]
        return out

    def __matmul__(self, x: np.ndarray) -> np.ndarray:
        """The product with a vector, in float64, each row summed in stored order (as scipy sums)."""
        x = np.ascontiguousarray(x, dtype=np.float64)
        if x.ndim != 1 or len(x) != self.shape[1]:
            raise ValueError(f"cannot multiply a {self.shape} matrix by a vector of {x.shape}")
        out = np.empty(self.shape[0])
        loop = PRODUCT.get()
        if loop is not None:
            loop.csr_matvec(np.ascontiguousarray(self.indptr, dtype=np.int64),
                            np.ascontiguousarray(self.indices, dtype=np.int64),
                            np.ascontiguousarray(self.data, dtype=np.float32), x, out)
            return out
        prod = self.data.astype(np.float64) * x[self.indices]
        cs = np.r_[0.0, np.cumsum(prod)]  # a sequential sum; a row's sum is a difference of two of its entries
        lo, hi = self.indptr[:-1], self.indptr[1:]
        out[:] = cs[hi] - cs[lo]
        return out

    def eliminate_zeros(self) -> None:
        keep = self.data != 0
        if keep.all():
            return
        counts = np.add.reduceat(keep.astype(np.int64), self.indptr[:-1]) if len(keep) else np.zeros(0, np.int64)
        counts[np.diff(self.indptr) == 0] = 0
        self.indptr = np.r_[0, np.cumsum(counts)].astype(self.indptr.dtype)
        self.data, self.indices = self.data[keep], self.indices[keep]

    def rows(self, idx) -> "Csr":
        """The rows ``idx`` (an index array, a boolean mask or a slice), in that order."""
        idx = np.atleast_1d(np.arange(self.shape[0])[idx])
        lo, hi = self.indptr[idx], self.indptr[idx + 1]
        lens = hi - lo
        take = np.repeat(lo - np.r_[0, np.cumsum(lens)[:-1]], lens) + np.arange(lens.sum())
        return Csr(self.data[take], self.indices[take], np.r_[0, np.cumsum(lens)], (len(idx), self.shape[1]))

    def columns(self, start: int, stop: int) -> "Csr":
        """Columns ``start`` to ``stop`` (a range), renumbered from 0, rows keeping their order."""
        keep = (self.indices >= start) & (self.indices < stop)
        per_row = np.diff(np.r_[0, np.cumsum(keep)][self.indptr])
        return Csr(self.data[keep], self.indices[keep] - start, np.r_[0, np.cumsum(per_row)], (self.shape[0], stop - start))

    def __getitem__(self, key):
        if isinstance(key, tuple):
            rows, cols = key
            out = self if rows == slice(None) else self.rows(rows)
            if isinstance(cols, slice) and cols.step in (None, 1):
                start, stop, _ = cols.indices(self.shape[1])
                return out.columns(start, stop)
            cols = np.asarray(cols)
            if cols.ndim == 1 and len(cols) and np.all(np.diff(cols) == 1):
                return out.columns(int(cols[0]), int(cols[-1]) + 1)
            raise IndexError("only a range of columns can be taken")
        return self.rows(key)


def hstack(blocks: list[Csr]) -> Csr:
    """Blocks of the same rows side by side (their columns one after the other)."""
    n = blocks[0].shape[0]
    if any(b.shape[0] != n for b in blocks):
        raise ValueError("blocks differ in rows")
    offsets = np.cumsum([0] + [b.shape[1] for b in blocks])
    lens = np.column_stack([np.diff(b.indptr) for b in blocks]) if n else np.zeros((0, len(blocks)), np.int64)
    indptr = np.r_[0, np.cumsum(lens.sum(axis=1))].astype(np.int64)
    nnz = int(indptr[-1])
    big = offsets[-1] >= 2**31 or nnz >= 2**31
    data = np.empty(nnz, np.float32)
    indices = np.empty(nnz, np.int64 if big else np.int32)
    # where each block's row run starts in the output: the row's start plus the lengths of the blocks before
    before = np.cumsum(np.c_[np.zeros((n, 1), np.int64), lens[:, :-1]], axis=1) if n else lens
    for k, b in enumerate(blocks):
        if b.nnz == 0:
            continue
        dest = np.repeat(indptr[:-1] + before[:, k] - b.indptr[:-1], lens[:, k]) + np.arange(b.indptr[0], b.indptr[-1])
        data[dest] = b.data[b.indptr[0]:b.indptr[-1]]
        indices[dest] = b.indices[b.indptr[0]:b.indptr[-1]] + offsets[k]
    return Csr(data, indices, indptr, (n, int(offsets[-1])))


def vstack(blocks: list[Csr]) -> Csr:
    """Blocks of the same columns one under the other."""
    m = blocks[0].shape[1]
    if any(b.shape[1] != m for b in blocks):
        raise ValueError("blocks differ in columns")
    parts = [(b.data[b.indptr[0]:b.indptr[-1]], b.indices[b.indptr[0]:b.indptr[-1]], np.diff(b.indptr)) for b in blocks]
    lens = np.concatenate([p[2] for p in parts])
    indices = np.concatenate([p[1] for p in parts])
    return Csr(np.concatenate([p[0] for p in parts]), indices, np.r_[0, np.cumsum(lens)].astype(np.int64),
               (int(sum(b.shape[0] for b in blocks)), m))
