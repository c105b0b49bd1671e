"""Segment features that carry across languages and sites.

Three kinds, all computed without storing any page text in the model:

* hashed character n-grams and word tokens of the segment text (the words
  "Share", "Teilen", "Kommentar" and "Xinhua, January 20" look the same in any
  template);
* hashed layout tokens for HTML blocks: tag, tag path, class/id words of the
  block and its ancestors, and which frame elements (nav, footer, aside,
  form...) enclose it;
* dense numbers: length, punctuation, link density, position, duplicates on
  the page, and cue patterns (credits, bullets, glued link text).

Neighbour context is added later, by the revise stage of the model.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction import FeatureHasher
from sklearn.feature_extraction.text import HashingVectorizer

from .article import Segment
from .cues import CUE_NAMES, cue_matrix

N_CHAR = 2**18
N_WORD = 2**17
N_DOM = 2**16
N_TEXT = N_CHAR + N_WORD  # the text-only part of the sparse block comes first
TEXT_HEAD = 360  # long paragraphs are told apart by their start and end
TEXT_TAIL = 120

_CHAR = HashingVectorizer(analyzer="char_wb", ngram_range=(2, 4), n_features=N_CHAR, alternate_sign=False,
                          norm="l2", dtype=np.float32)
_WORD = HashingVectorizer(analyzer="word", ngram_range=(1, 2), token_pattern=r"(?u)\b\w+\b", n_features=N_WORD,
                          alternate_sign=False, norm="l2", dtype=np.float32)
_DOM = FeatureHasher(n_features=N_DOM, input_type="string", alternate_sign=False, dtype=np.float32)

_WORDS = re.compile(r"\w+", re.U)
_SENT_END = re.compile(r"[.!?…。！？][\"'”’»)]*$")
_SENTENCE = re.compile(r"[.!?。！？](\s|$)")
_GLUED = re.compile(r"[a-zäöüéèàç][A-ZÄÖÜ]|[a-z][0-9]|\)[A-Z]|>>\w")
_BULLET = re.compile(r"^\s*([•·▪●◦‣*\-–—]|\d{1,2}[.)])\s+")
_CREDIT = re.compile(
    r"(\b(quelle|foto|fotos|bild|photo|photograph|image|credit|picture|source|grafik|video)\s*:)|©|\(c\)|"
    r"\b(getty|imago|keystone|afp|reuters|dpa|ap photo|epa|shutterstock|istock)\b", re.I)
_DATE = re.compile(
    r"\b(\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{4}-\d{2}-\d{2}|(19|20)\d\d)\b|"
    r"\b(jan|feb|mär|mar|apr|mai|may|jun|jul|aug|sep|okt|oct|nov|dez|dec)[a-z]*\.?\s+\d", re.I)
_URLISH = re.compile(r"https?://|www\.|\.(com|org|de|net|ch|at|cn|uk)\b", re.I)
_QUOTE = re.compile(r"[\"“”„«»]")
_ADV_VALUES = re.compile(
    r"unabhängig|independen|demokrat|democra|pressefreiheit|press freedom|freedom|freiheit|zensur|zensier|censor|"
    r"silenc|schweigen|sperrung|verbot|banned|mainstream|propaganda|mission|wahrheit|truth|kritisch|critical|"
    r"establishment|systemmedien|big tech|deplatform|gatekeep", re.I)
_ADV_ASK = re.compile(
    r"unterstütz|support|spende|donat|beitrag|contribut|mitglied|member|abonn|subscrib|teilt|teilen|share|"
    r"hilf|help|join|werden sie|become|patreon|paypal|steady", re.I)
_ADDRESS = re.compile(r"\b(sie|ihr|euch|euer|eure|du|dich|dein|you|your|uns|unser|we|our|us)\b", re.I)
_FIRST_PERSON_PLURAL = re.compile(r"\b(wir|uns|unser\w*|we|our|us)\b", re.I)

# the layout flags that become dense columns as well as hashed tokens
DENSE_FLAGS = ("nav", "footer", "header", "aside", "form", "article", "main", "figure", "figcaption",
               "blockquote", "table", "li", "a", "button", "label", "h1", "h2", "h3")
HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")

TEXT_NUMERIC = (
    "log_len", "log_words", "mean_word_len", "n_sentences", "ends_sentence", "punct_ratio", "digit_ratio",
    "upper_ratio", "title_case_ratio", "glued", "bullet", "credit", "date", "urlish", "quotes", "adv_values",
    "adv_ask", "address", "first_plural", "rel_pos", "from_end", "dup_count", "repeats_earlier",
    "blank_before", "blank_after",
)
HTML_NUMERIC = ("link_density", "log_links", "depth", "is_title", "hidden", "is_heading", "is_p", "is_li",
                "is_td", "is_div") + tuple(f"in_{f}" for f in DENSE_FLAGS)


@dataclass
class FeatureTable:
    """Featurized segments of many documents, in document order.

    ``sparse`` holds hashed text (and layout) features, ``dense`` the numeric
    ones named in ``dense_names``; ``doc`` and ``pos`` say which document a row
    belongs to and where in it, so the revise stage can find neighbours.
    """

    sparse: sp.csr_matrix
    dense: np.ndarray
    dense_names: tuple[str, ...]
    doc: np.ndarray
    pos: np.ndarray
    lengths: np.ndarray

    def __len__(self) -> int:
        return self.dense.shape[0]

    def subset(self, idx: np.ndarray) -> "FeatureTable":
        idx = np.asarray(idx)
        return FeatureTable(self.sparse[idx], self.dense[idx], self.dense_names, self.doc[idx], self.pos[idx],
                            self.lengths[idx])


def _clip(text: str) -> str:
    return text if len(text) <= TEXT_HEAD + TEXT_TAIL else text[:TEXT_HEAD] + " " + text[-TEXT_TAIL:]


def text_numeric(segments: list[Segment]) -> np.ndarray:
    """Numbers about each segment's text and its place in the document."""
    n = len(segments)
    out = np.zeros((n, len(TEXT_NUMERIC)), dtype=np.float32)
    counts: dict[str, int] = {}
    for s in segments:
        key = s.text.lower()
        counts[key] = counts.get(key, 0) + 1
    seen_long: list[str] = []
    for i, s in enumerate(segments):
        t = s.text
        L = len(t)
        words = _WORDS.findall(t)
        nw = len(words)
        head = t[:600]
        letters = sum(c.isalpha() for c in head) or 1
        repeats = 0.0
        low = t.lower()
        if L >= 20:
            for prev in seen_long[-200:]:
                if low.startswith(prev) or (len(low) >= 30 and prev.startswith(low)):
                    repeats = 1.0
                    break
            seen_long.append(low[:200] if len(low) >= 30 else low)
        out[i] = (
            math.log1p(L),
            math.log1p(nw),
            (sum(len(w) for w in words) / nw) if nw else 0.0,
            min(len(_SENTENCE.findall(t)), 20),
            1.0 if _SENT_END.search(t) else 0.0,
            sum(not c.isalnum() and not c.isspace() for c in head) / max(len(head), 1),
            sum(c.isdigit() for c in head) / max(len(head), 1),
            sum(c.isupper() for c in head) / letters,
            (sum(w[:1].isupper() for w in words[:60]) / min(nw, 60)) if nw else 0.0,
            min(len(_GLUED.findall(head)), 10) / (1 + nw / 10),
            1.0 if _BULLET.match(t) else 0.0,
            1.0 if _CREDIT.search(t[:300]) else 0.0,
            1.0 if _DATE.search(t[:200]) else 0.0,
            1.0 if _URLISH.search(t[:300]) else 0.0,
            min(len(_QUOTE.findall(t)), 6),
            min(len(_ADV_VALUES.findall(t)), 5),
            min(len(_ADV_ASK.findall(t)), 5),
            min(len(_ADDRESS.findall(t)), 8) / (1 + nw / 20),
            min(len(_FIRST_PERSON_PLURAL.findall(t)), 8) / (1 + nw / 20),
            i / max(n - 1, 1),
            min(n - 1 - i, 50) / 50.0,
            min(counts[low] - 1, 5),
            repeats,
            1.0 if s.context.get("blank_before") else 0.0,
            1.0 if s.context.get("blank_after") else 0.0,
        )
    return out


def html_numeric(segments: list[Segment]) -> np.ndarray:
    out = np.zeros((len(segments), len(HTML_NUMERIC)), dtype=np.float32)
    for i, s in enumerate(segments):
        c = s.context
        flags = set(c.get("flags", ()))
        tag = c.get("tag", "")
        L = max(len(s.text), 1)
        out[i, :10] = (
            c.get("link_chars", 0) / L,
            math.log1p(c.get("n_links", 0)),
            min(c.get("depth", 0), 60) / 60.0,
            1.0 if c.get("is_title") else 0.0,
            1.0 if c.get("hidden") else 0.0,
            1.0 if tag in HEADING_TAGS else 0.0,
            1.0 if tag == "p" else 0.0,
            1.0 if tag == "li" else 0.0,
            1.0 if tag in ("td", "th") else 0.0,
            1.0 if tag == "div" else 0.0,
        )
        for j, f in enumerate(DENSE_FLAGS):
            if f in flags:
                out[i, 10 + j] = 1.0
    return out


def dom_tokens(s: Segment) -> list[str]:
    c = s.context
    tag = c.get("tag", "")
    path = c.get("path", [])
    toks = [f"t:{tag}", "p:" + ">".join(path[-2:] + [tag]), "p3:" + ">".join(path[-3:] + [tag])]
    toks += [f"o:{t}" for t in c.get("own_tokens", ())]
    toks += [f"a:{t}" for t in c.get("anc_tokens", ())]
    toks += [f"f:{f}" for f in c.get("flags", ())]
    return toks


def featurize(docs: list[list[Segment]], mode: str) -> FeatureTable:
    """Build the feature table for documents given as lists of segments."""
    segs = [s for d in docs for s in d]
    if not segs:
        raise ValueError("no segments to featurize")
    texts = [_clip(s.text) for s in segs]
    blocks = [_CHAR.transform(texts), _WORD.transform(texts)]
    dense = [np.vstack([text_numeric(d) for d in docs if d]), cue_matrix([s.text for s in segs])]
    names = TEXT_NUMERIC + CUE_NAMES
    if mode == "html":
        blocks.append(_DOM.transform(dom_tokens(s) for s in segs))
        dense.append(np.vstack([html_numeric(d) for d in docs if d]))
        names = names + HTML_NUMERIC
    doc = np.concatenate([np.full(len(d), i, dtype=np.int32) for i, d in enumerate(docs) if d])
    pos = np.concatenate([np.arange(len(d), dtype=np.int32) for d in docs if d])
    lengths = np.array([len(s.text) for s in segs], dtype=np.int32)
    return FeatureTable(sp.hstack(blocks, format="csr", dtype=np.float32), np.hstack(dense), names, doc, pos,
                        lengths)
