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

from .hashing import murmurhash3_32
from .sparse import Csr

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
    if not small.all():  # emoji and the like: each distinct one looked up once
        big = np.flatnonzero(~small)
        uniq, which = np.unique(cp[big], return_inverse=True)
        out[big] = np.array([_char_props(chr(int(u))) for u in uniq], dtype=np.uint8)[which]
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


def words_at_boundary(*words: str) -> str:
    r"""A regex source matching any of ``words`` where a word starts (``\b``), written so it runs fast.

    ``words_at_boundary("ban", "app")`` matches what ``\bban|\bapp`` does, in the
    same order, but each alternative is written ``b(?<=\bb)an``: it starts with
    a literal letter, and the lookbehind puts the word boundary back.  Python's
    regex engine skips positions by their first character only when every
    alternative starts with a literal; one leading ``\b`` makes it try every
    alternative at every position, which cost several times the time on the
    long joined texts searched here.  Each word must start with a plain letter.
    """
    out = []
    for w in words:
        head = w[0]
        if not head.isalpha():
            raise ValueError(f"{w!r} must start with a letter")
        out.append(f"{head}(?<=\\b{head}){w[1:]}")
    return "|".join(out)


_MIX = np.uint64(0x9E3779B97F4A7C15)
_PRIME = np.uint64(1099511628211)


def _bucket(h: np.ndarray, bits: int) -> np.ndarray:
    return ((h * _MIX) >> np.uint64(64 - bits)).astype(np.int64)


def _csr(rows: np.ndarray, cols: np.ndarray, n_rows: int, n_cols: int):
    """L2-normalised counts of the (row, column) pairs given, as a CSR matrix in canonical form.

    The matrix scipy makes from the pairs (``csr_matrix((ones, (rows, cols)))``, duplicates summed, then each
    row divided by its norm), built from one sort of the pairs.  The sort runs on 32-bit keys where they fit
    (a page, or a batch of pages): twice as fast as on 64-bit ones.  The counts are whole numbers, so the sum
    of their squares is exact in any order, and the norms are those scipy computes; ``tests/test_speedups.py``
    compares the two.
    """
    dtype = np.int32 if n_rows * n_cols < 2**31 else np.int64
    key = rows.astype(dtype) * dtype(n_cols) + cols.astype(dtype)
    key.sort()
    first = np.flatnonzero(np.concatenate(([True], key[1:] != key[:-1]))) if len(key) else np.zeros(0, np.int64)
    counts = np.diff(np.append(first, len(key)))
    ukey = key[first]
    row = ukey // dtype(n_cols)
    per_row = np.bincount(row, minlength=n_rows)
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(per_row, out=indptr[1:])
    norms = np.sqrt(np.bincount(row, weights=counts.astype(np.float64) ** 2, minlength=n_rows).astype(np.float32))
    norms[norms == 0] = 1.0
    data = counts.astype(np.float32) / np.repeat(norms, per_row)
    index = np.int32 if n_cols < 2**31 and len(ukey) < 2**31 else np.int64
    return Csr(data, (ukey - row * dtype(n_cols)).astype(index), indptr.astype(index), (n_rows, n_cols))


def count_pairs(rows: np.ndarray, cols: np.ndarray, n_rows: int, n_cols: int, norm: str | None = None) -> Csr:
    """The counts of the (row, column) pairs given, as a canonical CSR matrix (float32).

    ``norm=None`` keeps the counts (scipy's ``sum_duplicates`` of ones); ``norm="l2"`` divides each row by its
    Euclidean norm as scikit-learn's ``normalize`` does for float32 (the sum of squares and the division in
    double, the result rounded to float32).
    """
    rows = np.asarray(rows, dtype=np.int64)
    cols = np.asarray(cols, dtype=np.int64)
    key = rows * np.int64(n_cols) + cols
    key.sort(kind="stable")
    first = np.flatnonzero(np.concatenate(([True], key[1:] != key[:-1]))) if len(key) else np.zeros(0, np.int64)
    counts = np.diff(np.append(first, len(key))).astype(np.float64)
    ukey = key[first]
    row = ukey // np.int64(n_cols)
    per_row = np.bincount(row, minlength=n_rows)
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(per_row, out=indptr[1:])
    if norm == "l2":
        norms = np.sqrt(np.bincount(row, weights=counts ** 2, minlength=n_rows))
        norms[norms == 0] = 1.0
        data = (counts / np.repeat(norms, per_row)).astype(np.float32)
    elif norm is None:
        data = counts.astype(np.float32)
    else:
        raise ValueError(f"unknown norm {norm!r}")
    return Csr(data, (ukey - row * np.int64(n_cols)).astype(np.int32), indptr, (n_rows, n_cols))


def hash_char_ngrams(texts: list[str], n_features: int, ns=(2, 3, 4), within_words: bool = False):
    """L2-normalised counts of hashed character n-grams of each (lowercased, space-padded) text.

    ``within_words``: only n-grams that do not span a space inside them, i.e.
    the n-grams of each space-padded word (as scikit-learn's ``char_wb``);
    otherwise n-grams run across word boundaries too.
    """
    bits = int(np.log2(n_features))
    j = Joined([" " + t.lower() + " " for t in texts], sep="\x00", props=within_words)
    space = (j.props & SPACE) > 0 if within_words else None
    cp = j.cp.astype(np.uint64)
    row = np.repeat(np.arange(j.n), j.lens + 1)[: len(cp)]
    pos_in = np.arange(len(cp)) - j.starts[row]
    rows, cols = [], []
    for k in ns:
        m = len(cp) - k + 1
        if m <= 0:
            continue
        h = np.full(m, k, dtype=np.uint64)
        for i in range(k):
            h = h * _PRIME + cp[i:i + m]
        ok = pos_in[:m] + k <= j.lens[row[:m]]
        if space is not None:
            for i in range(1, k - 1):
                ok &= ~space[i:i + m]
            if k == 2:  # a pair of spaces is no n-gram of any word
                ok &= ~(space[:m] & space[1:1 + m])
        rows.append(row[:m][ok])
        cols.append(_bucket(h[ok], bits))
    rows_a = np.concatenate(rows) if rows else np.zeros(0, np.int64)
    cols_a = np.concatenate(cols) if cols else np.zeros(0, np.int64)
    return _csr(rows_a, cols_a, len(texts), n_features)


def hash_words(texts: list[str], n_features: int):
    """L2-normalised counts of hashed word unigrams and bigrams (``\\w+`` tokens, lowercased)."""
    bits = int(np.log2(n_features))
    j = Joined([t.lower() for t in texts])
    w = (j.props & WORD) > 0
    if not w.any():
        return Csr.empty(len(texts), n_features)
    starts = np.flatnonzero(w & ~np.r_[False, w[:-1]])
    ends = np.flatnonzero(w & ~np.r_[w[1:], False]) + 1
    # polynomial hash of each word from prefix sums: sum cp[i] * P^i over the word, then shifted to its start
    cp = j.cp.astype(np.uint64)
    powers = np.cumprod(np.r_[np.uint64(1), np.full(len(cp), _PRIME, dtype=np.uint64)])[: len(cp)]
    inv = np.uint64(pow(int(_PRIME), -1, 2**64))
    inv_powers = np.cumprod(np.r_[np.uint64(1), np.full(len(cp), inv, dtype=np.uint64)])[: len(cp)]
    prefix = np.r_[np.uint64(0), np.cumsum(cp * powers, dtype=np.uint64)]
    h = (prefix[ends] - prefix[starts]) * inv_powers[starts] + (ends - starts).astype(np.uint64)
    seg = j.seg_of(starts)
    same = seg[1:] == seg[:-1]
    big = h[:-1][same] * _PRIME + h[1:][same] + np.uint64(7)
    rows = np.r_[seg, seg[:-1][same]]
    cols = np.r_[_bucket(h, bits), _bucket(big * _MIX + np.uint64(3), bits)]
    return _csr(rows, cols, len(texts), n_features)


# --- alternations as tries -------------------------------------------------------------------------------
# The feature patterns are long alternations of words ("support|spende|subscrib|share|...").  Python's regex
# engine tries the alternatives one after the other at every position whose character starts any of them;
# written as a trie of first characters ("s(?:upport|pende|ubscrib|hare)") it reads each character once.
# ``compile_trie`` rewrites a pattern that way without changing a single match (see ``factor_alternatives``).

_SPECIAL = set(".^$*+?{}[]|()\\")
_QUANT = set("*+?{")


def _class_end(src: str, i: int) -> int:
    """Where the character class opening at ``src[i]`` (``[``) ends: the index after its ``]``."""
    j = i + 1
    if src[j] == "^":
        j += 1
    if src[j] == "]":  # a ``]`` first in a class is a literal
        j += 1
    while src[j] != "]":
        j += 2 if src[j] == "\\" else 1
    return j + 1


def _atoms(src: str) -> list[str]:
    """A regex source as atoms: an escape, a class, a whole group, or one character (quantifiers apart)."""
    out, i = [], 0
    while i < len(src):
        c = src[i]
        if c == "\\":
            j = i + 2
        elif c == "[":
            j = _class_end(src, i)
        elif c == "(":
            depth, j = 0, i
            while True:
                if src[j] == "\\":
                    j += 2
                elif src[j] == "[":
                    j = _class_end(src, j)
                else:
                    depth += {"(": 1, ")": -1}.get(src[j], 0)
                    j += 1
                    if depth == 0:
                        break
        else:
            j = i + 1
        out.append(src[i:j])
        i = j
    return out


def _split_alternatives(src: str) -> list[str]:
    alts, cur = [], []
    for a in _atoms(src):
        if a == "|":
            alts.append("".join(cur))
            cur = []
        else:
            cur.append(a)
    alts.append("".join(cur))
    return alts


def _head(alt: str):
    """(the character ``alt`` starts with literally, that start as written, the rest), or None."""
    atoms = _atoms(alt)
    if not atoms:
        return None
    first = atoms[0]
    if len(atoms) > 1 and atoms[1][0] in _QUANT:
        return None
    if len(first) == 1 and first not in _SPECIAL:
        return first, first, "".join(atoms[1:])
    if len(first) == 2 and first[0] == "\\" and not first[1].isalnum():
        return first[1], first, "".join(atoms[1:])
    return None


def _inner(atom: str) -> str:
    """A group atom with its alternatives factored inside (lookarounds left alone)."""
    if atom.startswith("(?:"):
        return "(?:" + factor_alternatives(atom[3:-1]) + ")"
    if atom.startswith("(") and not atom.startswith("(?"):
        return "(" + factor_alternatives(atom[1:-1]) + ")"
    return atom


def _factor_run(alts: list[str]) -> list[str]:
    """Consecutive alternatives that each start with a literal character, grouped by that character."""
    groups: dict[str, list] = {}
    for alt in alts:
        ch, written, rest = _head(alt)
        groups.setdefault(ch, [written, []])[1].append(rest)
    out = []
    for written, rests in groups.values():
        if len(rests) == 1:
            out.append(written + rests[0])
        else:
            out.append(written + "(?:" + factor_alternatives("|".join(rests)) + ")")
    return out


def factor_alternatives(src: str) -> str:
    """The same regex, each alternation written as a trie of the characters its alternatives start with.

    Only alternatives that start with a literal character (not quantified) are grouped, and only with
    neighbours that do too (an alternative that starts otherwise stays where it is, between its neighbours);
    within a group they keep their order.  Two alternatives with different first characters never both
    match at one position, so at every position the engine meets the alternatives that can match in the
    same order as before, and every match, with its backtracking, is the same.  Groups (not lookarounds)
    are rewritten inside too.  ``tests/test_features.py`` compares the matches of every feature pattern
    before and after on real pages.
    """
    alts = ["".join(_inner(a) for a in _atoms(alt)) for alt in _split_alternatives(src)]
    out, run = [], []
    for alt in alts:
        if _head(alt) is not None:
            run.append(alt)
            continue
        out += _factor_run(run)
        run = []
        out.append(alt)
    out += _factor_run(run)
    return "|".join(out)


def compile_trie(src: str, flags: int = 0) -> re.Pattern:
    """``re.compile(src, flags)``, its alternations written as tries (``factor_alternatives``): the same matches.

    Case-blind patterns are compiled as they are: there ``S`` and ``s`` start alternatives that can both match.
    """
    if flags & re.IGNORECASE or "(?i" in src:
        return re.compile(src, flags)
    compiled = re.compile(factor_alternatives(src), flags)
    AS_WRITTEN[compiled] = src
    return compiled


#: every pattern ``compile_trie`` made, with its source as written: the tests compare their matches
AS_WRITTEN: dict[re.Pattern, str] = {}


# --- scikit-learn's hashing vectorizers, without scikit-learn ------------------------------------------
# The plain-text model was fitted with scikit-learn's ``HashingVectorizer`` (char_wb 2-4 n-grams, word 1-2
# grams, no alternating sign, L2 norm).  Scoring computes the same matrices here; ``tests/test_features.py``
# compares them with scikit-learn's on real texts.

_WHITE_SPACES = re.compile(r"\s\s+")
_TOKEN = re.compile(r"(?u)\b\w+\b")


def char_wb_ngrams(text: str, min_n: int = 2, max_n: int = 4) -> list[str]:
    """scikit-learn's ``char_wb`` analyzer on a lowercased text: the n-grams of each space-padded word."""
    text = _WHITE_SPACES.sub(" ", text.lower())
    grams: list[str] = []
    append = grams.append
    for w in text.split():
        w = " " + w + " "
        w_len = len(w)
        for n in range(min_n, max_n + 1):
            offset = 0
            append(w[offset:offset + n])
            while offset + n < w_len:
                offset += 1
                append(w[offset:offset + n])
            if offset == 0:  # a short word counted once
                break
    return grams


def word_ngrams(text: str) -> list[str]:
    """scikit-learn's ``word`` analyzer (``(?u)\\b\\w+\\b`` tokens, lowercased) with unigrams and bigrams."""
    tokens = _TOKEN.findall(text.lower())
    return tokens + [" ".join(tokens[i:i + 2]) for i in range(len(tokens) - 1)]


class _Columns(dict):
    """The hashed column of each token (signed MurmurHash3, seed 0, as scikit-learn's ``FeatureHasher``)."""

    def __init__(self, n_features: int):
        super().__init__()
        self.n_features = n_features

    def __missing__(self, token: str) -> int:
        if len(self) > 200_000:  # bounded memory over a corpus (about 40 MB a cache when full)
            self.clear()
        h = murmurhash3_32(token, 0)
        col = (2147483647 - (self.n_features - 1)) % self.n_features if h == -2147483648 else abs(h) % self.n_features
        self[token] = col
        return col


_COLUMN_CACHES: dict[int, _Columns] = {}


def hashing_vectorize(token_lists: list[list[str]], n_features: int) -> Csr:
    """``HashingVectorizer(alternate_sign=False, norm="l2", dtype=float32).transform`` of analyzed texts."""
    cols_of = _COLUMN_CACHES.setdefault(n_features, _Columns(n_features))
    lens = np.fromiter((len(t) for t in token_lists), dtype=np.int64, count=len(token_lists))
    cols = np.fromiter((cols_of[tok] for toks in token_lists for tok in toks), dtype=np.int64, count=int(lens.sum()))
    rows = np.repeat(np.arange(len(token_lists), dtype=np.int64), lens)
    return count_pairs(rows, cols, len(token_lists), n_features, norm="l2")
