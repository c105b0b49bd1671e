"""HTML pages into block segments with their DOM context.

A segment is the text of one block-level element together with its inline
children; nested blocks are segments of their own (the same rule the
hand-labelled advocacy set in ``shared/labels`` was cut with, so labels and
segments line up).  Each block keeps what a reader's eye uses to tell an
article from its frame: where it sits (tag path, class and id words of its
ancestors, inside a nav/footer/aside/form...), how much of it is links, and
where on the page it comes.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from typing import Any

from lxml import etree, html as lxml_html

from ..article import Segment
from ..compiled import OptionalModule
from .decode import InputError

DROP_TAGS = ("script", "style", "noscript", "template", "svg", "iframe", "head", "object", "embed", "math", "canvas")
BLOCK_TAGS = frozenset(
    """p div li h1 h2 h3 h4 h5 h6 td th tr table tbody thead tfoot blockquote section header footer
    article aside nav main form ul ol dl dt dd pre figure figcaption address button label option select
    textarea caption fieldset legend center details summary dialog menu hr body html noscript
    """.split()
)
# ancestors worth a flag of their own: the frame around an article
FLAG_TAGS = ("nav", "footer", "header", "aside", "form", "article", "main", "figure", "figcaption",
             "blockquote", "table", "li", "a", "button", "label", "select", "h1", "h2", "h3")
_TOKEN_SPLIT = re.compile(r"[^a-z0-9]+")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
MAX_CLASS_TOKENS = 40


#: characters a browser does not show: soft hyphen, zero-width space, word joiner, byte-order mark.  Left in
#: a block's text they cut words a reader sees whole ("auto\u00adnome"), so a search for the word, a reader's
#: copy of the sentence or a benchmark's reference text does not find it (48 of the 700 trafilatura-eval pages
#: carry soft hyphens).  Zero-width (non-)joiners are kept: they change how Persian, Indic and emoji text reads.
INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff]")


def normalize_text(s: str) -> str:
    r"""A block's text as segments carry it: whitespace runs as one space, no invisible characters, trimmed.

    The same as ``re.sub(r"\s+", " ", s).strip()`` (``\s`` is ``str.isspace``) at a third of the cost, after
    dropping ``INVISIBLE``.  Alignment normalises reference snippets and hand-labelled texts with it too, so
    they match the blocks.
    """
    return " ".join(INVISIBLE.sub("", s).split())


def _class_tokens(el) -> tuple[str, ...]:
    return _tokens_of(f"{el.get('class') or ''} {el.get('id') or ''} {el.get('role') or ''} {el.get('itemprop') or ''}")


@functools.lru_cache(maxsize=8192)
def _tokens_of(raw: str) -> tuple[str, ...]:
    # templates repeat the same class strings hundreds of times a page and across a site's pages
    return tuple([t for t in _TOKEN_SPLIT.split(raw.lower()) if 2 <= len(t) <= 30 and not t.isdigit()][:8])


def _describe(el) -> str:
    s = el.tag
    if el.get("id"):
        s += "#" + el.get("id").strip()
    cls = (el.get("class") or "").split()
    if cls:
        s += "." + ".".join(cls)
    return s


class _Open:
    """A block element whose end tag has not come yet, and the text gathered for it so far."""

    __slots__ = ("el", "parts", "link_chars", "n_links", "order")

    def __init__(self, el: Any, order: int):
        self.el = el
        self.parts: list[str] = []
        self.link_chars = 0
        self.n_links = 0
        self.order = order


@dataclass
class Page:
    """The result of segmenting one page: its blocks, their joined text and the page metadata."""

    text: str
    segments: list[Segment]
    meta: dict[str, Any]


#: libxml2 stops reading a page nested deeper than this (with its huge-tree option)
MAX_DEPTH = 2048


def parse(text: str, warnings: list[str] | None = None):
    """Parse HTML leniently; raise InputError when nothing usable comes out.

    Where the parser stopped early (nesting deeper than ``MAX_DEPTH``), a line is added to ``warnings``:
    the text after that point is not in the tree.
    """
    # lxml refuses str input that carries an XML encoding declaration
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text[:512]) + text[512:]
    # plain lxml elements, not lxml.html's element classes: walking the tree is much cheaper without them
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=True)
    try:
        root = etree.fromstring(text, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise InputError(f"malformed HTML: {exc}") from None
    if root is None:
        raise InputError("malformed HTML: no document")
    if warnings is not None and any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):
        warnings.append(f"nested deeper than {MAX_DEPTH} levels: the parser stopped there, and the text "
                        "after that point was not read")
    return root


def _meta(root) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    lang = root.get("lang") or root.get("xml:lang")
    if lang:
        meta["html_lang"] = lang.strip()
    t = root.find(".//title")
    title = "".join(t.itertext()) if t is not None else ""
    if title.strip():
        meta["title"] = normalize_text(title)
    for m in root.iter("meta"):
        prop = (m.get("property") or m.get("name") or "").lower()
        content = m.get("content")
        if not content:
            continue
        if prop == "og:title":
            meta["og_title"] = normalize_text(content)
        elif prop == "og:site_name":
            meta["site_name"] = normalize_text(content)
        elif prop == "application-name" and "application_name" not in meta:
            meta["application_name"] = normalize_text(content)
        elif prop == "og:url" and "url" not in meta:
            meta["url"] = content.strip()
        elif prop in ("article:published_time", "datepublished", "date", "dc.date", "pubdate") and "date" not in meta:
            meta["date"] = content.strip()
    for link in root.iter("link"):
        if (link.get("rel") or "").lower() == "canonical" and link.get("href", "").startswith("http"):
            meta["url"] = link.get("href").strip()
    for s in root.iter("script"):
        if (s.get("type") or "").lower() != "application/ld+json" or not s.text:
            continue
        try:
            data = json.loads(s.text)
        except ValueError:
            continue
        for item in data if isinstance(data, list) else [data]:
            if not isinstance(item, dict):
                continue
            graph = item.get("@graph")
            for node in graph if isinstance(graph, list) else [item]:
                if not isinstance(node, dict):
                    continue
                pub = node.get("publisher")
                if isinstance(pub, list):  # several publishers: the first one named
                    pub = next((x for x in pub if isinstance(x, dict) and isinstance(x.get("name"), str)), None)
                if isinstance(pub, dict) and isinstance(pub.get("name"), str) and "publisher" not in meta:
                    meta["publisher"] = normalize_text(pub["name"])
                if isinstance(node.get("datePublished"), str) and "date" not in meta:
                    meta["date"] = node["datePublished"].strip()
    return meta


_TAG = re.compile(r"<[^>]*>")


def _fallback_segments(text: str) -> list[Segment]:
    """Text the parser lost (libxml2 drops content nested deeper than ~2,000 levels): strip tags instead."""
    body = re.sub(r"(?is)<(script|style)\b.*?</\1\s*>", " ", text)
    out = []
    for i, chunk in enumerate(_TAG.split(body)):
        t = normalize_text(lxml_html.fromstring(f"<span>{chunk}</span>").text_content()) if "&" in chunk else normalize_text(chunk)
        if t:
            out.append(Segment(index=0, text=t, context={"tag": "div", "order": i, "link_chars": 0, "n_links": 0,
                                                         "flags": [], "path": [], "own_tokens": [], "anc_tokens": [],
                                                         "depth": 0, "hidden": False, "is_title": False}))
    return out


def _walk_python(root, titles: set[str]) -> list[Segment]:
    """The blocks with text under ``root``, in the order they close, each with its DOM context."""
    segments: list[Segment] = []
    stack: list[_Open] = []  # open blocks
    anc: list[Any] = []  # all open elements
    anc_ids: list[int] = []  # a number for each open element, so blocks can tell who shares their container
    n_elements = 0
    tokens: dict[Any, tuple[str, ...]] = {}  # class/id words, computed only for the ancestors of blocks with text
    hidden_els: set = set()
    flag_counts = dict.fromkeys(FLAG_TAGS, 0)
    hidden_depth = 0
    order = 0

    def toks(e) -> tuple[str, ...]:
        t = tokens.get(e)
        if t is None:
            t = tokens[e] = _class_tokens(e)
        return t

    # what a block's context takes from its ancestors is the same for every block with the same
    # parent (the open elements and their flags then match), so it is built once per parent
    by_parent: dict[int, tuple] = {}

    def from_ancestors() -> tuple:
        key = anc_ids[-1] if anc_ids else 0
        got = by_parent.get(key)
        if got is None:
            got = by_parent[key] = (
                len(anc),
                [a.tag for a in anc[-4:] if isinstance(a.tag, str)],
                [t for a in anc[-6:] for t in toks(a)][:MAX_CLASS_TOKENS],
                [f for f, c in flag_counts.items() if c],
                anc_ids[-3:][::-1],
                "".join(" < " + _describe(a) for a in reversed(anc[-3:])),
            )
        return got

    for event, el in etree.iterwalk(root, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        tag = tag.lower()
        if event == "start":
            if el.get("hidden") is not None or el.get("aria-hidden") == "true" or (
                    el.get("style") and _HIDDEN_STYLE.search(el.get("style"))):
                hidden_depth += 1
                hidden_els.add(el)
            if tag in BLOCK_TAGS:
                order += 1
                stack.append(_Open(el, order=order))
            if tag in flag_counts:
                flag_counts[tag] += 1
            if tag == "a" and stack:
                stack[-1].n_links += 1
            anc.append(el)
            n_elements += 1
            anc_ids.append(n_elements)
            if el.text and stack:
                stack[-1].parts.append(el.text)
                if flag_counts["a"]:
                    stack[-1].link_chars += len(el.text.strip())
            elif tag == "br" and stack:
                stack[-1].parts.append(" ")
        else:
            anc.pop()
            anc_ids.pop()
            if tag in flag_counts:
                flag_counts[tag] -= 1
            if stack and stack[-1].el is el:
                blk = stack.pop()
                txt = normalize_text("".join(blk.parts))
                if txt:
                    # the context is read now, when the block closes: its ancestors and their flags are
                    # the same as when it opened, and blocks without text (most wrappers) cost nothing
                    low = txt.lower()
                    depth, path, anc_tokens, flags, containers, anc_path = from_ancestors()
                    ctx = {
                        "tag": tag,
                        "depth": depth,
                        "path": list(path),
                        "own_tokens": list(toks(el)),
                        "anc_tokens": list(anc_tokens),
                        "flags": list(flags),
                        "hidden": hidden_depth > 0,
                        "order": blk.order,
                        "containers": list(containers),  # parent, grandparent, great-grandparent
                        "link_chars": min(blk.link_chars, len(txt)),
                        "n_links": blk.n_links,
                        "is_title": low in titles or (
                            tag == "h1" and any(t.startswith(low) for t in titles if len(txt) > 10)),
                    }
                    dom_path = _describe(el) + anc_path
                    segments.append(Segment(index=0, text=txt, dom_path=dom_path, context=ctx))
            if el in hidden_els:
                hidden_depth -= 1
            if el.tail and stack:
                stack[-1].parts.append(el.tail)
                if flag_counts["a"]:
                    stack[-1].link_chars += len(el.tail.strip())
    return segments


#: the compiled walk (``_walk.pyx``), where it was built
WALK = OptionalModule("sourcecheck.segment._walk")


def segment_html(text: str, compiled: bool = True) -> Page:
    """Split a decoded HTML page into block segments (document order) with DOM context.

    ``compiled``: walk the tree with the compiled walk where it was built (the
    same segments, in less than half the time); False runs the Python walk.
    """
    warnings: list[str] = []
    root = parse(text, warnings)
    meta = _meta(root)
    if warnings:
        meta["warnings"] = warnings
    etree.strip_elements(root, *DROP_TAGS, with_tail=False)
    titles = {normalize_text(meta[k]).lower() for k in ("title", "og_title") if meta.get(k)}
    fast = WALK.get() if compiled else None
    segments = None
    if fast is not None:
        try:
            segments = fast.walk(root, titles)
        except fast.Unsupported:  # a node the compiled walk leaves to the Python one
            segments = None
    if segments is None:
        segments = _walk_python(root, titles)

    # document order is the order blocks open, not the order they close
    segments.sort(key=lambda s: s.context["order"])
    if not segments:
        segments = _fallback_segments(text)
        meta["parse_fallback"] = True
        if warnings:  # nothing was lost after all: the page was read again without its markup
            meta["warnings"] = [f"nested deeper than {MAX_DEPTH} levels: read without its markup"]
    out_parts = []
    pos = 0
    for i, s in enumerate(segments):
        s.index = i
        s.start, s.end = pos, pos + len(s.text)
        out_parts.append(s.text)
        pos = s.end + 2
    if not segments:
        raise InputError("no text found in HTML")
    return Page(text="\n\n".join(out_parts), segments=segments, meta=meta)
