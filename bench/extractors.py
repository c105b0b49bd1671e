"""Competing main-text extractors for the extraction benchmark.

Each extractor is a function ``html_bytes -> str`` (the page's main text,
possibly empty).  They all get the raw bytes of the page and decode them
themselves, as each library does when handed a file it has not seen.

- ``trafilatura``: trafilatura 2.3.1 ``extract()`` in its default (full)
  mode, called as trafilatura's own comparison script calls it: no comments,
  tables kept, plain text.
- ``trafilatura-fast``: the same with ``fast=True`` (no fallback extractors).
- ``justext``: jusText as trafilatura's comparison script runs it: one
  stoplist made of all of jusText's stoplists together, and that script's
  parameters (``JUSTEXT_PARAMS``).  Paragraphs that are not boilerplate are
  joined by newlines.
- ``justext-lang``: the same parameters with the stoplist of the page's
  language (the ``<html lang>`` attribute, else a py3langid guess on the
  page text); when jusText has no stoplist for that language, its
  language-independent mode (empty stoplist, stopword thresholds 0).
- ``readability``: readability-lxml ``Document(html).summary()`` turned into
  text (one line per block element), if readability-lxml is installed.
- ``sourcecheck``: ``sourcecheck.clean(html_bytes)`` with the shipped model,
  if the package exposes it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

_WARMUP_HTML = (b"<html><head><title>t</title></head><body><div><p>"
                + b"Warm up text for the extractor, long enough to be kept as a paragraph. " * 5
                + b"</p></div></body></html>")


@dataclass
class Extractor:
    name: str
    label: str
    fn: Callable[[bytes], str]

    def __call__(self, html: bytes) -> str:
        return self.fn(html) or ""

    def warm_up(self) -> None:
        """One untimed call, so that lazy imports and caches do not count for the first page."""
        try:
            self.fn(_WARMUP_HTML)
        except Exception:
            pass


# --------------------------------------------------------------------------- trafilatura

def _trafilatura(fast: bool) -> Callable[[bytes], str]:
    import trafilatura

    def run(html: bytes) -> str:
        return trafilatura.extract(html, fast=fast, include_comments=False, include_tables=True) or ""

    return run


# --------------------------------------------------------------------------- language guess

_LANG_ATTR_RE = re.compile(rb"<html\b[^>]*?\blang\s*=\s*[\"']?\s*([A-Za-z]{2,3})", re.I)


def html_lang(html: bytes) -> str | None:
    """Two/three-letter code from ``<html lang=...>``, lower-cased, or None."""
    m = _LANG_ATTR_RE.search(html[:20000])
    return m.group(1).decode("ascii").lower() if m else None


def text_lang(text: str) -> str | None:
    """py3langid's guess for ``text``, or None if py3langid is missing or the text is short."""
    if not text or len(text) < 20:
        return None
    try:
        import py3langid
    except ImportError:
        return None
    return py3langid.classify(text[:5000])[0]


def _visible_text(html: bytes) -> str:
    import lxml.html
    try:
        tree = lxml.html.fromstring(html)
    except Exception:
        return ""
    for bad in tree.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    body = tree.find("body")
    return " ".join((body if body is not None else tree).text_content().split())


def guess_lang(html: bytes) -> str | None:
    """The page's language: ``<html lang>``, else py3langid on its visible text."""
    return html_lang(html) or text_lang(_visible_text(html))


# --------------------------------------------------------------------------- jusText

#: jusText parameters of trafilatura's comparison script: length_low, length_high,
#: stopwords_low, stopwords_high, max_link_density, max_heading_distance, no_headings.
JUSTEXT_PARAMS = dict(length_low=50, length_high=200, stopwords_low=0.1, stopwords_high=0.2,
                      max_link_density=0.2, max_heading_distance=200, no_headings=True)


def _justext(per_language: bool) -> Callable[[bytes], str]:
    import justext
    from trafilatura.settings import JUSTEXT_LANGUAGES  # ISO 639-1 code -> jusText stoplist name

    names = set(justext.get_stoplists())
    stoplists: dict[str, frozenset] = {}
    combined = None if per_language else frozenset().union(*(justext.get_stoplist(n) for n in names))

    def stoplist_for(code: str | None) -> frozenset | None:
        name = JUSTEXT_LANGUAGES.get(code or "")
        if not name or name not in names:
            return None
        if name not in stoplists:
            stoplists[name] = justext.get_stoplist(name)
        return stoplists[name]

    def run(html: bytes) -> str:
        if combined is not None:
            paragraphs = justext.justext(html, combined, **JUSTEXT_PARAMS)
        else:
            stoplist = stoplist_for(guess_lang(html))
            if stoplist is None:  # language-independent mode, as jusText's docs describe
                paragraphs = justext.justext(html, frozenset(), **{**JUSTEXT_PARAMS, "stopwords_low": 0,
                                                                    "stopwords_high": 0})
            else:
                paragraphs = justext.justext(html, stoplist, **JUSTEXT_PARAMS)
        return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)

    return run


# --------------------------------------------------------------------------- readability-lxml

_BLOCK_TAGS = {"p", "div", "section", "article", "main", "header", "footer", "aside", "blockquote",
               "pre", "ul", "ol", "li", "dl", "dt", "dd", "table", "tr", "td", "th", "caption",
               "h1", "h2", "h3", "h4", "h5", "h6", "figure", "figcaption", "br", "hr", "form"}


def html_to_text(fragment: str) -> str:
    """Text of an HTML fragment, one line per block element, whitespace collapsed within lines."""
    import lxml.html
    if not fragment or not fragment.strip():
        return ""
    try:
        root = lxml.html.fromstring(fragment)
    except Exception:
        return ""
    parts: list[str] = []

    def walk(el) -> None:  # no tree mutation: page text may hold characters lxml refuses to set
        block = isinstance(el.tag, str) and el.tag.lower() in _BLOCK_TAGS
        if block:
            parts.append("\n")
        if isinstance(el.tag, str) and el.text:
            parts.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if block:
            parts.append("\n")

    walk(root)
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _readability() -> Callable[[bytes], str]:
    import logging

    from readability import Document
    logging.getLogger("readability").setLevel(logging.ERROR)
    logging.getLogger("readability.readability").setLevel(logging.ERROR)

    def run(html: bytes) -> str:
        return html_to_text(Document(html).summary(html_partial=True))

    return run


# --------------------------------------------------------------------------- sourcecheck

def sourcecheck_clean() -> Callable[[bytes], str] | None:
    """``sourcecheck.clean`` if the package has it and it imports, else None."""
    try:
        import sourcecheck
        fn = getattr(sourcecheck, "clean", None)
    except Exception:
        return None
    return fn if callable(fn) else None


# --------------------------------------------------------------------------- registry

COMPETITORS = ("trafilatura", "trafilatura-fast", "justext", "justext-lang", "readability")
#: Live sourcecheck run, scored and timed like the competitors.
SOURCECHECK_LIVE = "sourcecheck"
#: Out-of-fold predictions written by the training step (no timing).
SOURCECHECK_CV = "sourcecheck-cv"

LABELS = {
    "trafilatura": "trafilatura 2.3.1 (default)",
    "trafilatura-fast": "trafilatura 2.3.1 (fast=True)",
    "justext": "jusText (all-language stoplist)",
    "justext-lang": "jusText (page-language stoplist)",
    "readability": "readability-lxml",
    SOURCECHECK_LIVE: "sourcecheck (shipped model, not CV)",
    SOURCECHECK_CV: "sourcecheck (site-grouped CV, out-of-fold)",
}


def make(name: str) -> Extractor | None:
    """Build an extractor by name; None if its library is not installed (or sourcecheck has no ``clean``)."""
    try:
        if name == "trafilatura":
            fn = _trafilatura(fast=False)
        elif name == "trafilatura-fast":
            fn = _trafilatura(fast=True)
        elif name == "justext":
            fn = _justext(per_language=False)
        elif name == "justext-lang":
            fn = _justext(per_language=True)
        elif name == "readability":
            fn = _readability()
        elif name == SOURCECHECK_LIVE:
            fn = sourcecheck_clean()
        else:
            raise KeyError(name)
    except ImportError:
        return None
    if fn is None:
        return None
    return Extractor(name, LABELS[name], fn)
