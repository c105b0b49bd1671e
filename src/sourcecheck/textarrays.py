"""Many short texts as one array of code points, so per-segment figures are computed in bulk.

A page has a couple of hundred segments and a corpus millions; counting
letters, words or regex hits segment by segment in Python costs more than
everything else in the model.  Here the texts are joined (with a separator
that no feature crosses), turned into one NumPy array of code points, and
every count becomes a vectorised sum between segment offsets.  Character
classes come from a table of the Basic Multilingual Plane built on first use
(``str.isalpha`` and friends, so the classes are Python's own); code points
beyond it are looked up one by one.
"""

from __future__ import annotations

import functools
import re

import numpy as np

ALPHA, DIGIT, UPPER, ALNUM, SPACE, WORD = 1, 2, 4, 8, 16, 32


def _char_props(c: str) -> int:
    alnum = c.isalnum()
    return ((ALPHA if c.isalpha() else 0) | (DIGIT if c.isdigit() else 0) | (UPPER if c.isupper() else 0)
            | (ALNUM if alnum else 0) | (SPACE if c.isspace() else 0) | (WORD if alnum or c == "_" else 0))


@functools.lru_cache(maxsize=1)
def _bmp_table() -> np.ndarray:
    return np.fromiter((_char_props(chr(i)) for i in range(0x10000)), dtype=np.uint8, count=0x10000)


def codepoints(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def char_props(cp: np.ndarray) -> np.ndarray:
    """Bit flags (ALPHA, DIGIT, UPPER, ALNUM, SPACE, WORD) of each code point."""
    table = _bmp_table()
    small = cp < 0x10000
    out = table[np.where(small, cp, 0)]
    if not small.all():
        for u in np.unique(cp[~small]):
            out[cp == u] = _char_props(chr(int(u)))
    return out


class Joined:
    """Texts joined by ``sep``; ``starts``/``lens`` locate each text, ``cp`` and ``props`` describe each character."""

    def __init__(self, texts: list[str], sep: str = "\n", props: bool = True):
        self.n = len(texts)
        self.text = sep.join(texts)
        self.lens = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        self.starts = np.r_[0, np.cumsum(self.lens + len(sep))[:-1]].astype(np.int64) if texts else np.zeros(0, np.int64)
        self.cp = codepoints(self.text)
        self.props = char_props(self.cp) if props else None

    def seg_of(self, pos: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.starts, pos, side="right") - 1

    def per_segment(self, mask: np.ndarray) -> np.ndarray:
        """How many positions where ``mask`` holds fall in each text."""
        return self.count_at(np.flatnonzero(mask))

    def count_at(self, pos: np.ndarray) -> np.ndarray:
        return np.bincount(self.seg_of(pos), minlength=self.n) if len(pos) else np.zeros(self.n, dtype=np.int64)

    def window_sum(self, mask: np.ndarray, head: int) -> np.ndarray:
        """Per text, how many of its first ``head`` characters satisfy ``mask``."""
        c = np.r_[0, np.cumsum(mask, dtype=np.int64)]
        end = self.starts + np.minimum(self.lens, head)
        return c[end] - c[self.starts]

    def regex_counts(self, rx: re.Pattern) -> np.ndarray:
        pos = np.fromiter((m.start() for m in rx.finditer(self.text)), dtype=np.int64)
        return self.count_at(pos)

    def word_starts(self) -> np.ndarray:
        """Positions where a run of word characters (``\\w``) begins."""
        w = (self.props & WORD) > 0
        return np.flatnonzero(w & ~np.r_[False, w[:-1]])
