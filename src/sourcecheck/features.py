"""Segment features that carry across languages and sites.

Three kinds, all computed without storing any page text in the model:

* hashed character n-grams and word tokens of the segment text (the words
  "Share", "Teilen", "Kommentar" and "Xinhua, January 20" look the same in any
  template);
* hashed layout tokens for HTML blocks: tag, tag path, class/id words of the
  block and its ancestors, and which frame elements (nav, footer, aside,
  form...) enclose it;
* dense numbers: length, punctuation, link density, position, duplicates on
  the page, and cue patterns (credits, bullets, glued link text); for HTML
  blocks also the class/id words templates use for comments, related links,
  sharing, navigation, bylines, promotions and article bodies.

HTML n-grams are hashed in NumPy over a whole batch (``textarrays``);
plain-text lines keep scikit-learn's ``char_wb`` analyzer, which measured
better for lines.  Neighbour and container context (the other blocks under a
block's parent, grandparent and great-grandparent: ``FeatureTable.containers``;
the other blocks of its kind: ``FeatureTable.kinds``) is added later, by the
revise stage of the model.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from .hashing import murmurhash3_32
from .sparse import Csr, hstack as csr_hstack, vstack as csr_vstack

from .article import Segment
from .cues import CUE_NAMES, cue_matrix
from .teasers import teaser_lead_ins
from .textarrays import (ALNUM, ALPHA, DIGIT, SPACE, UPPER, WORD, Joined, char_wb_ngrams, compile_trie,
                         count_pairs, hash_char_ngrams, hash_words, hashing_vectorize, word_ngrams, words_at_boundary)

N_CHAR = 2**18
N_WORD = 2**17
N_DOM = 2**16
N_TEXT = N_CHAR + N_WORD  # the text-only part of the sparse block comes first
TEXT_HEAD = 360  # long paragraphs are told apart by their start and end
TEXT_TAIL = 120

_SEP = "\x00"  # joins segment heads: no pattern below matches it, so no match runs into the next segment
_SENT_CHARS = frozenset(".!?。！？")
_SENT_END_CHARS = ".!?…。！？"
_CLOSERS = "\"'”’»)"
# case-blind patterns, written in lowercase and matched against lowercased text (several times faster
# than re.I)
_ADV_VALUES = compile_trie(
    r"unabhängig|independen|demokrat|democra|pressefreiheit|press freedom|freedom|freiheit|zensur|zensier|censor|"
    r"silenc|schweigen|sperrung|verbot|banned|mainstream|propaganda|mission|wahrheit|truth|kritisch|critical|"
    r"establishment|systemmedien|big tech|deplatform|gatekeep")
_ADV_ASK = compile_trie(
    r"unterstütz|support|spende|donat|beitrag|contribut|mitglied|member|abonn|subscrib|teilt|teilen|share|"
    r"hilf|help|join|werden sie|become|patreon|paypal|steady")
# (``words_at_boundary`` writes ``\b(a|b)`` so that the regex engine can skip positions by first letter)
_ADDRESS = compile_trie("(?:" + words_at_boundary("sie", "ihr", "euch", "euer", "eure", "du", "dich", "dein", "you",
                                                  "your", "uns", "unser", "we", "our", "us") + r")\b")
_FIRST_PERSON_PLURAL = compile_trie("(?:" + words_at_boundary("wir", "uns", r"unser\w*", "we", "our", "us") + r")\b")
_GLUED = compile_trie(  # case matters here: read on the original text
    r"[a-zäöüéèàç][A-ZÄÖÜ]|[a-z][0-9]|\)[A-Z]|>>\w")
_BULLET = re.compile(r"^\s*([•·▪●◦‣*\-–—]|\d{1,2}[.)])\s+")
# the words before a colon that name where a picture or text comes from ("Foto: dpa")
CREDIT_WORDS = ("quelle", "foto", "fotos", "bild", "photo", "photograph", "image", "credit", "picture", "source",
                "grafik", "video")
_CREDIT = compile_trie(
    "(?:" + words_at_boundary(*CREDIT_WORDS) + r")\s*:|©|\(c\)|"
    "(?:" + words_at_boundary("getty", "imago", "keystone", "afp", "reuters", "dpa", "ap photo", "epa", "shutterstock",
                              "istock") + r")\b")
_DATE = compile_trie(
    r"\b(\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{4}-\d{2}-\d{2}|(19|20)\d\d)\b|"
    r"\b(jan|feb|mär|mar|apr|mai|may|jun|jul|aug|sep|okt|oct|nov|dez|dec)[a-z]*\.?\s+\d")
_URLISH = compile_trie(r"https?://|www\.|\.(com|org|de|net|ch|at|cn|uk)\b")
_QUOTE = re.compile(r"[\"“”„«»]")
# the layout flags that become dense columns as well as hashed tokens
DENSE_FLAGS = ("nav", "footer", "header", "aside", "form", "article", "main", "figure", "figcaption",
               "blockquote", "table", "li", "a", "button", "label", "h1", "h2", "h3")
HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")

TEXT_NUMERIC = (
    "log_len", "log_words", "mean_word_len", "n_sentences", "ends_sentence", "punct_ratio", "digit_ratio",
    "upper_ratio", "title_case_ratio", "glued", "bullet", "credit", "date", "urlish", "quotes", "adv_values",
    "adv_ask", "address", "first_plural", "rel_pos", "from_end", "dup_count", "repeats_earlier",
    "blank_before", "blank_after", "ends_colon", "one_word", "before_first_long", "to_first_long",
)
# the plain-text model reads the columns before "ends_colon"; HTML blocks read them all.  With the later ones
# (where the body starts, one-word and colon-ended lines) and line groups, plain-text lines scored 0.9066
# against 0.9023 in site-grouped CV, but the seed articles fell from 38 to 37 of 40 lines (BENCHMARKS.md)
TEXT_MODE_NUMERIC = TEXT_NUMERIC[:TEXT_NUMERIC.index("ends_colon")]
LONG_SEGMENT = 150  # characters: the first segment this long is usually where the article body starts
# what a block's own and its ancestors' class/id words say it is: the words templates use, in any language
# of the page, are mostly English (and a few German) ones
CLASS_WORDS = {
    "comment": r"comment|kommentar|reply|replies|respond|disqus|discussion|diskussion|forum",
    "related": r"related|teaser|recommend|popular|trending|readmore|weitere|empfehl|morestories|outbrain|taboola",
    "share": r"share|sharing|social|teilen|follow|facebook|twitter|whatsapp",
    "nav": r"nav|menu|breadcrumb|header|footer|sidebar|widget|masthead|toolbar|pagination|sitemap",
    "meta": r"author|byline|dateline|date|time|meta|caption|credit|copyright|tags?$|keyword|autor",
    "promo": r"^ads?$|advert|sponsor|promo|banner|newsletter|subscri|signup|paywall|abo|cookie|consent|werbung|anzeige",
    "content": r"article|content|story|post|entry|body|text|main|artikel|beitrag|detail|lead|intro|paragraph",
}
_CLASS_RX = {k: re.compile(v) for k, v in CLASS_WORDS.items()}
HTML_NUMERIC = ("link_density", "log_links", "depth", "is_title", "hidden", "is_heading", "is_p", "is_li",
                "is_td", "is_div") + tuple(f"in_{f}" for f in DENSE_FLAGS) + tuple(
                    f"{where}_{k}" for where in ("own", "anc") for k in CLASS_WORDS)


@dataclass
class FeatureTable:
    """Featurized segments of many documents, in document order.

    ``sparse`` holds hashed text (and layout) features, ``dense`` the numeric
    ones named in ``dense_names``; ``doc`` and ``pos`` say which document a row
    belongs to and where in it, so the revise stage can find neighbours.
    """

    sparse: Csr
    dense: np.ndarray
    dense_names: tuple[str, ...]
    doc: np.ndarray
    pos: np.ndarray
    lengths: np.ndarray
    containers: np.ndarray | None = None  # (n, 3) parent/grandparent/great-grandparent ids, HTML only
    # plain text only: lines held to their stage-1 scores when stage 1 called them chrome (``held_lines``: labels
    # above the body, captions that end in a credit)
    held: np.ndarray | None = None
    teasers: np.ndarray | None = None  # related-link lead-ins ("Read more: ..."), see ``sourcecheck.teasers``
    kinds: np.ndarray | None = None  # (n, 2) page-unique numbers of a block's DOM signature, HTML only (``kinds``)
    # plain text only: 1 for a line that heads a comment section, 2 for one that ends as a comment's byline
    # (``comment_marks``)
    marks: np.ndarray | None = None
    # what the revise stage derives from the table alone, kept for its second pass (not carried by ``subset``)
    cache: dict = field(default_factory=dict, repr=False, compare=False)

    def __len__(self) -> int:
        return self.dense.shape[0]

    def subset(self, idx: np.ndarray) -> "FeatureTable":
        idx = np.asarray(idx)
        return FeatureTable(self.sparse.rows(idx), self.dense[idx], self.dense_names, self.doc[idx], self.pos[idx],
                            self.lengths[idx], None if self.containers is None else self.containers[idx],
                            None if self.held is None else self.held[idx],
                            None if self.teasers is None else self.teasers[idx],
                            None if self.kinds is None else self.kinds[idx],
                            marks=None if self.marks is None else self.marks[idx])


def _clip(text: str) -> str:
    return text if len(text) <= TEXT_HEAD + TEXT_TAIL else text[:TEXT_HEAD] + " " + text[-TEXT_TAIL:]


def text_numeric(docs: list[list[Segment]]) -> np.ndarray:
    """Numbers about each segment's text and its place in its document, for many documents at once.

    The same numbers as counting segment by segment (tests/test_features.py
    checks them against the plain definitions), computed over all texts joined.
    """
    segs = [s for d in docs for s in d]
    texts = [s.text for s in segs]
    n = len(segs)
    out = np.zeros((n, len(TEXT_NUMERIC)), dtype=np.float32)
    if not n:
        return out
    j = Joined(texts)
    props = j.props
    L = j.lens.astype(np.float64)
    word = j.word_starts()
    seg_w = j.seg_of(word)
    nw = np.bincount(seg_w, minlength=n).astype(np.float64)
    word_chars = j.per_segment((props & WORD) > 0).astype(np.float64)
    # rank of each word within its segment: title case is judged on the first 60 words
    first_word = np.r_[0, np.cumsum(np.bincount(seg_w, minlength=n))[:-1]]
    rank = np.arange(len(word)) - first_word[seg_w]
    upper_start = (props[word] & UPPER) > 0
    titled = np.bincount(seg_w[(rank < 60) & upper_start], minlength=n)
    sent = np.isin(j.cp, [ord(c) for c in _SENT_CHARS])
    after = np.r_[(props[1:] & SPACE) > 0, True]
    n_sent = j.per_segment(sent & after)
    head = np.minimum(j.lens, 600).astype(np.float64)
    alnum = (props & ALNUM) > 0
    space = (props & SPACE) > 0
    punct = j.window_sum(~alnum & ~space, 600)
    digits = j.window_sum((props & DIGIT) > 0, 600)
    letters = np.maximum(j.window_sum((props & ALPHA) > 0, 600), 1)
    upper = j.window_sum((props & UPPER) > 0, 600)
    glued = Joined([t[:600] for t in texts], sep=_SEP, props=False).regex_counts(_GLUED)
    # the case-blind patterns read lowercased text
    j300 = Joined([t[:300].lower() for t in texts], sep=_SEP, props=False)
    credit = j300.regex_counts(_CREDIT) > 0
    urlish = j300.regex_counts(_URLISH) > 0
    date = Joined([t[:200].lower() for t in texts], sep=_SEP, props=False).regex_counts(_DATE) > 0
    quotes = j.regex_counts(_QUOTE)
    lowered = [t.lower() for t in texts]  # also read below, for duplicates on the page
    low = Joined(lowered, props=False)
    # broad appeal words (the finer groups are in cues.py); both measured to help the advocacy head
    adv_values = low.regex_counts(_ADV_VALUES)
    adv_ask = low.regex_counts(_ADV_ASK)
    address = low.regex_counts(_ADDRESS)
    first_plural = low.regex_counts(_FIRST_PERSON_PLURAL)
    ends_sentence = np.fromiter(((t.rstrip(_CLOSERS)[-1:] or " ") in _SENT_END_CHARS for t in texts), bool, n)
    ends_colon = np.fromiter((t.endswith(":") for t in texts), bool, n)
    bullet = np.fromiter((_BULLET.match(t) is not None for t in texts), bool, n)
    blank_before = np.fromiter((bool(s.context.get("blank_before")) for s in segs), bool, n)
    blank_after = np.fromiter((bool(s.context.get("blank_after")) for s in segs), bool, n)

    cols = {
        "log_len": np.log1p(L), "log_words": np.log1p(nw), "mean_word_len": word_chars / np.maximum(nw, 1),
        "n_sentences": np.minimum(n_sent, 20), "ends_sentence": ends_sentence,
        "punct_ratio": punct / np.maximum(head, 1), "digit_ratio": digits / np.maximum(head, 1),
        "upper_ratio": upper / letters, "title_case_ratio": titled / np.maximum(np.minimum(nw, 60), 1),
        "glued": np.minimum(glued, 10) / (1 + nw / 10), "bullet": bullet, "credit": credit, "date": date,
        "urlish": urlish, "quotes": np.minimum(quotes, 6), "blank_before": blank_before,
        "adv_values": np.minimum(adv_values, 5), "adv_ask": np.minimum(adv_ask, 5),
        "address": np.minimum(address, 8) / (1 + nw / 20), "first_plural": np.minimum(first_plural, 8) / (1 + nw / 20),
        "blank_after": blank_after, "ends_colon": ends_colon, "one_word": nw == 1,
    }
    for name, v in cols.items():
        out[:, TEXT_NUMERIC.index(name)] = v
    # place in the document, duplicates, and distance to where the body starts
    at = 0
    c_rel, c_end, c_dup, c_rep, c_before, c_to = (TEXT_NUMERIC.index(x) for x in (
        "rel_pos", "from_end", "dup_count", "repeats_earlier", "before_first_long", "to_first_long"))
    for d in docs:
        m = len(d)
        if not m:
            continue
        idx = np.arange(m)
        out[at:at + m, c_rel] = idx / max(m - 1, 1)
        out[at:at + m, c_end] = np.minimum(m - 1 - idx, 50) / 50.0
        longs = np.flatnonzero(j.lens[at:at + m] >= LONG_SEGMENT)
        first_long = longs[0] if len(longs) else m
        out[at:at + m, c_before] = idx < first_long
        out[at:at + m, c_to] = np.clip((idx - first_long) / 5.0, -1, 1)
        lows = lowered[at:at + m]
        counts = Counter(lows)
        out[at:at + m, c_dup] = np.minimum(np.fromiter((counts[t] for t in lows), np.int64, m) - 1, 5)
        out[at:at + m, c_rep] = _repeats_earlier(lows)
        at += m
    return out


def _repeats_earlier(lows: list[str]) -> np.ndarray:
    """Per segment of 20 characters or more: does it start like one of the 200 such segments before it?

    That is, one of those (its first 200 characters, if it has 30 or more) is a start of it, or it is a start
    of one of those (when it has 30 characters or more): a teaser repeating a paragraph, a caption repeated.
    Both need the two to share their first 20 characters, so only earlier segments with the same first 20
    are compared.
    """
    out = np.zeros(len(lows), dtype=bool)
    by_head: dict[str, list[tuple[int, str]]] = {}
    n_seen = 0
    for i, t in enumerate(lows):
        if len(t) < 20:
            continue
        first_in_window = n_seen - 200
        for k, prev in by_head.get(t[:20], ()):
            if k >= first_in_window and (t.startswith(prev) or (len(t) >= 30 and prev.startswith(t))):
                out[i] = True
                break
        by_head.setdefault(t[:20], []).append((n_seen, t[:200] if len(t) >= 30 else t))
        n_seen += 1
    return out


def html_numeric(segments: list[Segment]) -> np.ndarray:
    """Layout numbers of each HTML block: links, depth, tag, enclosing frame elements, class/id word groups.

    Column by column over all blocks; the flag and class-word sets, which a template repeats block after
    block, are turned into bits once each (``_flag_bits``, ``_token_bits``).
    """
    n = len(segments)
    out = np.zeros((n, len(HTML_NUMERIC)), dtype=np.float32)
    if not n:
        return out
    ctx = [s.context for s in segments]
    L = np.fromiter((max(len(s.text), 1) for s in segments), np.float64, n)
    tags = [c.get("tag", "") for c in ctx]
    out[:, 0] = np.fromiter((c.get("link_chars", 0) for c in ctx), np.float64, n) / L
    out[:, 1] = np.log1p(np.fromiter((c.get("n_links", 0) for c in ctx), np.float64, n))
    out[:, 2] = np.minimum(np.fromiter((c.get("depth", 0) for c in ctx), np.float64, n), 60) / 60.0
    out[:, 3] = np.fromiter((bool(c.get("is_title")) for c in ctx), bool, n)
    out[:, 4] = np.fromiter((bool(c.get("hidden")) for c in ctx), bool, n)
    out[:, 5] = np.fromiter((t in HEADING_TAGS for t in tags), bool, n)
    out[:, 6] = np.fromiter((t == "p" for t in tags), bool, n)
    out[:, 7] = np.fromiter((t == "li" for t in tags), bool, n)
    out[:, 8] = np.fromiter((t in ("td", "th") for t in tags), bool, n)
    out[:, 9] = np.fromiter((t == "div" for t in tags), bool, n)
    n_flags = 10 + len(DENSE_FLAGS)
    n_words = len(CLASS_WORDS)
    flags = np.fromiter((_flag_bits(tuple(c.get("flags", ()))) for c in ctx), np.int64, n)
    out[:, 10:n_flags] = (flags[:, None] >> np.arange(len(DENSE_FLAGS))) & 1
    for off, key in ((n_flags, "own_tokens"), (n_flags + n_words, "anc_tokens")):
        bits = np.fromiter((_token_bits(tuple(c.get(key, ()))) for c in ctx), np.int64, n)
        out[:, off:off + n_words] = (bits[:, None] >> np.arange(n_words)) & 1
    return out


@functools.lru_cache(maxsize=65536)
def _flag_bits(flags: tuple[str, ...]) -> int:
    """Which of DENSE_FLAGS are among ``flags``, as bits."""
    return sum(1 << j for j, f in enumerate(DENSE_FLAGS) if f in flags)


@functools.lru_cache(maxsize=65536)
def _token_bits(tokens: tuple[str, ...]) -> int:
    """Which CLASS_WORDS groups any of ``tokens`` belongs to, as bits."""
    bits = 0
    for t in tokens:
        bits |= _class_bits(t)
    return bits


@functools.lru_cache(maxsize=65536)
def _class_bits(token: str) -> int:
    """Which CLASS_WORDS groups a class/id word belongs to, as bits (templates repeat their words a lot)."""
    bits = 0
    for k, rx in enumerate(_CLASS_RX.values()):
        if rx.search(token):
            bits |= 1 << k
    return bits


def containers(docs: list[list[Segment]]) -> np.ndarray:
    """Per segment, page-unique numbers of its parent, grandparent and great-grandparent elements (-1: none)."""
    rows = []
    for d in docs:
        for s in d:
            ids = list(s.context.get("containers", ()))[:3]
            rows.append(ids + [-1] * (3 - len(ids)))
    return np.asarray(rows, dtype=np.int64).reshape(-1, 3)


_DIGITS = re.compile(r"\d+")


def kinds(docs: list[list[Segment]]) -> np.ndarray:
    """Per block, page-unique numbers of its kind: blocks a template builds alike, wherever they sit.

    Two signatures, digits dropped (``comment-1837`` and ``comment-1838`` are one kind): the block's tag,
    id and classes with those of its three nearest ancestors (``dom_path``), and with its parent's only.
    A template repeats a kind for every paragraph of an article body, every teaser of a list, every comment,
    even where they do not share a parent element (a body split by ads, a thread of nested replies).  Over
    the labelled blocks of the dev corpora, the other labelled blocks of the same kind on the page have the
    block's label by majority 98.8% of the time (the first signature, covering 77% of the blocks) and 98.4%
    (the second, 80%); the revise stage reads how the blocks of its kinds score
    (:func:`~sourcecheck.model.estimator.context_features`).
    """
    rows = []
    keys_of: dict[str, tuple[str, str]] = {}  # a template repeats its paths: each is read once
    for d in docs:
        full: dict[str, int] = {}
        near: dict[str, int] = {}
        for s in d:
            raw = s.dom_path or s.context.get("tag", "")
            keys = keys_of.get(raw)
            if keys is None:
                path = _DIGITS.sub("", raw)
                keys = keys_of[raw] = (path, " < ".join(path.split(" < ", 2)[:2]))
            rows.append((full.setdefault(keys[0], len(full)), near.setdefault(keys[1], len(near))))
    return np.asarray(rows, dtype=np.int64).reshape(-1, 2)


def _hashed_column(token: str) -> int:
    """The column scikit-learn's ``FeatureHasher`` (``N_DOM`` columns) gives ``token``: signed MurmurHash3, seed 0."""
    h = murmurhash3_32(token, seed=0, positive=False)
    if h == -2147483648:
        return (2147483647 - (N_DOM - 1)) % N_DOM
    return abs(h) % N_DOM


class _ColumnCache(dict):
    """Hashed DOM columns by token part; templates repeat their tags, paths and class words on every page."""

    def __init__(self, prefix: str):
        super().__init__()
        self.prefix = prefix

    def __missing__(self, key) -> int:
        if len(self) > 200_000:  # a corpus of millions of pages: bounded memory
            self.clear()
        part = key if isinstance(key, str) else ">".join(key)
        col = self[key] = _hashed_column(self.prefix + part)
        return col


_COLUMNS = {k: _ColumnCache(k) for k in ("t:", "p:", "p3:", "o:", "a:", "f:")}


def dom_matrix(segments: list[Segment]) -> Csr:
    """Counts of each block's hashed layout tokens, ``N_DOM`` columns.

    The tokens: ``t:<tag>``, ``p:`` and ``p3:`` with the tag after its last two and three ancestors' tags
    (joined by ``>``), ``o:<word>`` for the block's class/id words, ``a:<word>`` for its ancestors', and
    ``f:<flag>`` for the frame elements around it.  The matrix is the one scikit-learn's ``FeatureHasher``
    (non-alternating, float32) makes of those strings (``tests/test_speedups.py`` compares them), but each
    token part is hashed once and looked up after, instead of formatting and hashing every token of every
    block.
    """
    t_, p_, p3_, o_, a_, f_ = (_COLUMNS[k] for k in ("t:", "p:", "p3:", "o:", "a:", "f:"))
    indices: list[int] = []
    ends: list[int] = []
    for s in segments:
        c = s.context
        tag = c.get("tag", "")
        path = c.get("path", [])
        indices.append(t_[tag])
        indices.append(p_[(*path[-2:], tag)])
        indices.append(p3_[(*path[-3:], tag)])
        indices.extend([o_[t] for t in c.get("own_tokens", ())])
        indices.extend([a_[t] for t in c.get("anc_tokens", ())])
        indices.extend([f_[f] for f in c.get("flags", ())])
        ends.append(len(indices))
    rows = np.repeat(np.arange(len(segments), dtype=np.int64), np.diff(np.r_[0, ends]).astype(np.int64))
    return count_pairs(rows, np.asarray(indices, dtype=np.int64), len(segments), N_DOM)


CHUNK = 20_000  # segments featurized at once: bounds memory when a whole corpus is featurized
#: characters hashed at once: the n-gram arrays of a slice take about 100 bytes a character, so a page of
#: long paragraphs is hashed in slices (rows are independent: the matrix is the same)
HASH_CHARS = 2_000_000


def featurize(docs: list[list[Segment]], mode: str) -> FeatureTable:
    """Build the feature table for documents given as lists of segments."""
    ids = [i for i, d in enumerate(docs) if d]
    docs = [docs[i] for i in ids]
    if not docs:
        raise ValueError("no segments to featurize")
    parts = []
    chunk: list[list[Segment]] = []
    size = 0
    for d in docs:
        chunk.append(d)
        size += len(d)
        if size >= CHUNK:
            parts.append(_featurize(chunk, mode))
            chunk, size = [], 0
    if chunk:
        parts.append(_featurize(chunk, mode))
    sparse_block = csr_vstack([p[0] for p in parts]) if len(parts) > 1 else parts[0][0]
    dense = np.vstack([p[1] for p in parts])
    names = dense_names(mode)
    doc = np.concatenate([np.full(len(d), i, dtype=np.int32) for i, d in zip(ids, docs)])
    pos = np.concatenate([np.arange(len(d), dtype=np.int32) for d in docs])
    lengths = np.array([len(s.text) for d in docs for s in d], dtype=np.int32)
    teasers = teaser_lead_ins([s.text for d in docs for s in d])
    if mode == "html":
        return FeatureTable(sparse_block, dense, names, doc, pos, lengths, containers(docs), teasers=teasers,
                            kinds=kinds(docs))
    return FeatureTable(sparse_block, dense, names, doc, pos, lengths, held=held_lines(docs), teasers=teasers,
                        marks=comment_marks(docs))


# scripts written without spaces between words: a line of them is a sentence, not one word
_NO_SPACE_SCRIPTS = re.compile(r"[\u3000-\u9fff\uac00-\ud7af\uff00-\uffef]")


def label_lines(docs: list[list[Segment]]) -> np.ndarray:
    """Per plain-text line: does it read as a label above the article body?

    Before the first line of ``LONG_SEGMENT`` or more characters, a single word
    (20 characters at most, in a script written with spaces) or a line ending
    in a colon: a section name ("Politik"), a widget's caption ("Text
    size:").  The guidelines call both chrome, and a plain text has no
    markup to show it; :func:`~sourcecheck.model.estimator.hold_stage1` keeps
    such a line's stage-1 scores when stage 1 called it chrome, whatever its
    neighbours.
    """
    out = []
    for d in docs:
        first = next((i for i, s in enumerate(d) if len(s.text) >= LONG_SEGMENT), len(d))
        for i, s in enumerate(d):
            t = s.text.strip()
            one_word = len(t) <= 20 and len(t.split()) == 1 and not _NO_SPACE_SCRIPTS.search(t)
            out.append(i < first and (one_word or t.endswith(":")))
    return np.array(out, dtype=bool)


# a credit at the end of a line: "... Quelle: AFP", "... Photo: Reuters", "... © dpa"
_CREDIT_END = re.compile(
    r"(?:\b(?:" + "|".join(CREDIT_WORDS) + r")\s*:\s*[^.!?:]{1,60}"
    r"|©\s*[^.!?]{1,60}|\((?:c|©)\)\s*[^.!?]{1,60})$", re.I)
CREDIT_LINE_MAX = 400  # characters: longer lines that end in a source are paragraphs, not captions


def credit_lines(docs: list[list[Segment]]) -> np.ndarray:
    """Per plain-text line: does it end in a credit, as the caption of a picture does?

    A naive rendering of a page puts a picture's caption on a line of its own,
    and its credit ("Quelle: AFP", "Photo: Reuters") at the end.  The guidelines
    call captions chrome, but a caption speaks of what the article speaks of
    (it often repeats the headline), so the revise stage, which reads how far a
    line's words are the page's (``topic_similarity``), pulls it in with the
    body.  Of the 405 labelled lines of the dev pages that end so, 382 are chrome.
    """
    return np.array([len(t) <= CREDIT_LINE_MAX and _CREDIT_END.search(t) is not None
                     for t in (s.text.strip() for d in docs for s in d)], dtype=bool)


def held_lines(docs: list[list[Segment]]) -> np.ndarray:
    """The plain-text lines that keep their stage-1 scores when stage 1 called them chrome
    (:func:`~sourcecheck.model.estimator.hold_stage1`): labels above the body and credit-ended captions."""
    return label_lines(docs) | credit_lines(docs)


# a short line that heads a comment section: "23 Comments", "Kommentare (4)", "Leave a Reply", "Deja un comentario"
_COMMENT_HEAD = re.compile(
    r"^\W*(?:\d+\s+)?(?:comments?|kommentare?|commentaires?|comentarios?|comentários?|commenti|reacties|"
    r"leserkommentare|responses?|replies|discussion|diskussion|réactions?|leave an? (?:reply|comment)|"
    r"schreibe? einen kommentar|kommentar schreiben|deine meinung|ihre meinung|"
    r"laisser un commentaire|deja un comentario|lascia un commento|deixe um comentário)\b.{0,40}$", re.I)
# a line that ends as a comment's byline or its reply link does: "Jane says:", "May 3, 2019 at 4:15 pm", "Antworten"
_COMMENT_BYLINE = re.compile(
    r"(?:\b(?:says|sagt|schreibt|dit|dice|diz|zegt)\s*:?"
    r"|\bat \d{1,2}:\d\d\s*(?:[ap]\.?m\.?)?|\bum \d{1,2}[:.]\d\d(?:\s*uhr)?|\bà \d{1,2}h\d\d"
    r"|^(?:reply|antworten|répondre|responder|rispondi|reageer))$", re.I)
COMMENT_HEAD_MAX, COMMENT_BYLINE_MAX = 60, 120  # characters: longer lines are prose that happens to match


def comment_marks(docs: list[list[Segment]]) -> np.ndarray:
    """Per plain-text line: 1 if it heads a comment section, 2 if it ends as a comment's byline, else 0.

    Readers' comments below an article are prose, so stage 1 reads them as
    news; in a page's markup their container gives them away, in a plain text
    only the section's heading and the commenters' bylines do.  The revise
    stage reads where such lines fall (``context_features``).
    """
    out = []
    for t in (s.text.strip() for d in docs for s in d):
        if len(t) <= COMMENT_HEAD_MAX and _COMMENT_HEAD.search(t):
            out.append(1)
        elif len(t) <= COMMENT_BYLINE_MAX and _COMMENT_BYLINE.search(t):
            out.append(2)
        else:
            out.append(0)
    return np.array(out, dtype=np.int8)


def dense_names(mode: str) -> tuple[str, ...]:
    """The dense columns of a feature table, in order."""
    if mode == "html":
        return TEXT_NUMERIC + CUE_NAMES + HTML_NUMERIC
    return TEXT_MODE_NUMERIC + CUE_NAMES


def _stacked(parts: list[Csr]) -> Csr:
    return parts[0] if len(parts) == 1 else csr_vstack(parts)


def _featurize(docs: list[list[Segment]], mode: str) -> tuple[Csr, np.ndarray]:
    segs = [s for d in docs for s in d]
    texts = [_clip(s.text) for s in segs]
    slices, start, size = [], 0, 0
    for i, t in enumerate(texts):
        size += len(t) + 2
        if size >= HASH_CHARS:
            slices.append(slice(start, i + 1))
            start, size = i + 1, 0
    if start < len(texts) or not slices:
        slices.append(slice(start, len(texts)))
    if mode == "html":
        # bulk n-gram hashing, n-grams across word boundaries too (several times faster than scikit-learn's
        # analyzers: 1.4 against 9 ms a page)
        blocks = [_stacked([hash_char_ngrams(texts[sl], N_CHAR) for sl in slices]),
                  _stacked([hash_words(texts[sl], N_WORD) for sl in slices])]
        dense = [text_numeric(docs), cue_matrix([s.text for s in segs])]
    else:
        # plain-text lines keep scikit-learn's char_wb n-grams (computed without it, ``hashing_vectorize``): in
        # site-grouped CV the bulk hashing scored 0.896-0.898 against 0.902 for lines
        blocks = [_stacked([hashing_vectorize([char_wb_ngrams(t) for t in texts[sl]], N_CHAR) for sl in slices]),
                  _stacked([hashing_vectorize([word_ngrams(t) for t in texts[sl]], N_WORD) for sl in slices])]
        dense = [text_numeric(docs)[:, :len(TEXT_MODE_NUMERIC)], cue_matrix([s.text for s in segs])]
    if mode == "html":
        blocks.append(dom_matrix(segs))
        dense.append(html_numeric(segs))
    return csr_hstack(blocks), np.hstack(dense).astype(np.float32)
