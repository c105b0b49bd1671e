# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False, cdivision=True
"""Compiled sparse-matrix by vector product, summed as scipy's ``csr_matvec`` sums.

Each row's products are added in stored order into a double that starts at
zero, so the result is scipy's to the last bit.  Optional: without a compiler
:mod:`sourcecheck.sparse` sums in NumPy (within a few units in the last place).
"""


def csr_matvec(const long long[::1] indptr, const long long[::1] indices, const float[::1] data,
               const double[::1] x, double[::1] out):
    cdef Py_ssize_t n = out.shape[0], i, jj
    cdef double s
    with nogil:
        for i in range(n):
            s = 0.0
            for jj in range(indptr[i], indptr[i + 1]):
                s += <double>data[jj] * x[indices[jj]]
            out[i] = s
