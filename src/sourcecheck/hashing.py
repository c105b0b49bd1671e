"""MurmurHash3 (x86, 32 bit), the hash scikit-learn's ``FeatureHasher`` uses, in plain Python.

The layout columns (``features.dom_matrix``) were learned with scikit-learn's
``murmurhash3_32``; scoring must give every token the same column without
importing scikit-learn.  Tokens are short and cached per template, so plain
Python is fast enough.  ``tests/test_features.py`` checks it against
scikit-learn's on many strings.
"""

from __future__ import annotations

_C1, _C2, _M32 = 0xCC9E2D51, 0x1B873593, 0xFFFFFFFF


def _rotl(x: int, r: int) -> int:
    return ((x << r) | (x >> (32 - r))) & _M32


def murmurhash3_32(key: str | bytes, seed: int = 0, positive: bool = False) -> int:
    """The 32-bit MurmurHash3 of ``key`` (a ``str`` is hashed as UTF-8), signed unless ``positive``."""
    data = key.encode("utf-8") if isinstance(key, str) else bytes(key)
    n = len(data)
    h = seed & _M32
    end = n - n % 4
    for i in range(0, end, 4):
        k = int.from_bytes(data[i:i + 4], "little")
        k = (k * _C1) & _M32
        k = _rotl(k, 15)
        k = (k * _C2) & _M32
        h ^= k
        h = _rotl(h, 13)
        h = (h * 5 + 0xE6546B64) & _M32
    tail = data[end:]
    if tail:
        k = int.from_bytes(tail, "little")
        k = (k * _C1) & _M32
        k = _rotl(k, 15)
        k = (k * _C2) & _M32
        h ^= k
    h ^= n
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & _M32
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & _M32
    h ^= h >> 16
    if positive or h < 0x80000000:
        return h
    return h - 0x100000000
