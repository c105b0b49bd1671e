# cython: language_level=3, boundscheck=False, initializedcheck=False
"""The block walk of ``segment_html``, compiled: libxml2's nodes read in C instead of through lxml's Python API.

``html._walk_python`` walks the parsed tree with ``etree.iterwalk``: every
element of the page becomes a Python proxy and every attribute lookup a Python
call, though fewer than a third of a page's elements ever start a block with
text.  This module walks the same libxml2 tree that lxml built, through the
node structures lxml publishes for C extensions (``lxml.includes``), and goes
into Python only for the blocks that carry text.  It gives the same segments,
with the same context, in the same order (``tests/test_segment.py`` compares
the two on every page of the dev corpora present); where a page holds nodes
the Python walk treats in ways not copied here (comments, processing
instructions, entity references, namespaced elements), ``walk`` raises
``Unsupported`` and the caller runs the Python walk.
"""

from cpython.unicode cimport PyUnicode_DecodeUTF8
from libc.stdlib cimport free, malloc, realloc
from libc.string cimport strcmp, strlen

from lxml.includes cimport tree
from lxml.includes.etreepublic cimport _Element, import_lxml__etree

from ..article import Segment
from .html import BLOCK_TAGS, FLAG_TAGS, MAX_CLASS_TOKENS, _HIDDEN_STYLE, _tokens_of, normalize_text

import_lxml__etree()

cdef int N_FLAGS = len(FLAG_TAGS)
if N_FLAGS > 32:  # the walk counts open frame elements in a fixed array: the Python walk runs instead
    raise ImportError("more flag tags than the compiled walk counts")
cdef int FLAG_A = FLAG_TAGS.index("a")
_hidden_style = _HIDDEN_STYLE.search


class Unsupported(Exception):
    """The page holds a node this walk does not copy the Python walk's handling of."""


cdef inline str _utf8(const char* s):
    return PyUnicode_DecodeUTF8(s, strlen(s), NULL)


cdef inline bint _blank(const char* s) noexcept:
    """Only ASCII spaces, tabs and line breaks (all of which ``str.split`` takes as whitespace)."""
    while s[0] != 0:
        if s[0] != 32 and s[0] != 10 and s[0] != 9 and s[0] != 13 and s[0] != 12 and s[0] != 11:
            return False
        s += 1
    return True


cdef object _collect_text(tree.xmlNode* c):
    """lxml's ``_collectText``: the text of ``c`` and the text nodes after it, up to the next other node."""
    cdef tree.xmlNode* first
    cdef const char* last_text = NULL
    cdef int count = 0
    while c is not NULL and (c.type == tree.XML_XINCLUDE_START or c.type == tree.XML_XINCLUDE_END):
        c = c.next
    first = c
    while c is not NULL:
        if c.type == tree.XML_TEXT_NODE or c.type == tree.XML_CDATA_SECTION_NODE:
            if c.content[0] != 0:
                last_text = <const char*>c.content
            count += 1
        elif c.type != tree.XML_XINCLUDE_START and c.type != tree.XML_XINCLUDE_END:
            break
        c = c.next
    if last_text is NULL:
        return "" if count else None
    if count == 1:
        if _blank(last_text):  # the indentation between tags: a block's text keeps it as one space at most
            return " "
        return _utf8(last_text)
    cdef bytes joined = b""
    c = first
    while c is not NULL:
        if c.type == tree.XML_TEXT_NODE or c.type == tree.XML_CDATA_SECTION_NODE:
            joined += <bytes>(<const char*>c.content)
        elif c.type != tree.XML_XINCLUDE_START and c.type != tree.XML_XINCLUDE_END:
            break
        c = c.next
    return joined.decode("utf-8")


cdef object _attr(tree.xmlNode* node, const char* name):
    """``el.get(name)``: the value of the first attribute of that name without a namespace, or None."""
    cdef tree.xmlAttr* a = node.properties
    cdef tree.xmlNode* t
    while a is not NULL:
        if a.ns is NULL and strcmp(<const char*>a.name, name) == 0:
            t = a.children
            if t is NULL:
                return ""
            if t.next is NULL and t.type == tree.XML_TEXT_NODE:
                return _utf8(<const char*>t.content)
            value = b""
            while t is not NULL:
                if t.type == tree.XML_TEXT_NODE and t.content is not NULL:
                    value += <bytes>(<const char*>t.content)
                elif t.type != tree.XML_TEXT_NODE:
                    raise Unsupported("an attribute value with entity references")
                t = t.next
            return value.decode("utf-8")
        a = a.next
    return None


cdef bint _is_hidden(tree.xmlNode* node) except -1:
    """``hidden`` present, ``aria-hidden="true"``, or a style that hides the element."""
    cdef tree.xmlAttr* a = node.properties
    cdef bint aria = False, style = False
    while a is not NULL:
        if a.ns is NULL:
            if strcmp(<const char*>a.name, "hidden") == 0:
                return True
            if strcmp(<const char*>a.name, "aria-hidden") == 0:
                aria = True
            elif strcmp(<const char*>a.name, "style") == 0:
                style = True
        a = a.next
    if aria and _attr(node, "aria-hidden") == "true":
        return True
    if not style:
        return False
    value = _attr(node, "style")
    return bool(value) and _hidden_style(value) is not None


cdef str _describe(tree.xmlNode* node, str tag):
    s = tag
    ident = _attr(node, "id")
    if ident:
        s += "#" + ident.strip()
    cls = (_attr(node, "class") or "").split()
    if cls:
        s += "." + ".".join(cls)
    return s


cdef class _Open:
    """A block element whose end has not come yet, and the text gathered for it so far."""

    cdef size_t node
    cdef list parts
    cdef long link_chars
    cdef long n_links
    cdef long order

    cdef int add(self, str text, bint in_link) except -1:
        """Text met inside the block (an element's text or tail); inside a link it counts as link text."""
        self.parts.append(text)
        if in_link:
            self.link_chars += len(text.strip())
        return 0


cdef class _Walk:
    """The state of one walk: open elements as C arrays, caches by node address."""

    cdef tree.xmlNode** anc
    cdef long* anc_ids
    cdef unsigned char* hidden
    cdef Py_ssize_t n_anc, cap
    cdef int flag_counts[32]
    cdef dict names, tokens, by_parent
    cdef set titles

    def __cinit__(self):
        self.cap = 256
        self.anc = <tree.xmlNode**>malloc(self.cap * sizeof(tree.xmlNode*))
        self.anc_ids = <long*>malloc(self.cap * sizeof(long))
        self.hidden = <unsigned char*>malloc(self.cap)
        if self.anc is NULL or self.anc_ids is NULL or self.hidden is NULL:
            raise MemoryError()
        self.n_anc = 0
        for i in range(32):
            self.flag_counts[i] = 0
        self.names = {}
        self.tokens = {}
        self.by_parent = {}

    def __dealloc__(self):
        free(self.anc)
        free(self.anc_ids)
        free(self.hidden)

    cdef int push(self, tree.xmlNode* node, long ident, unsigned char hidden) except -1:
        cdef void* grown
        if self.n_anc == self.cap:  # each array is replaced only once its larger copy exists
            grown = realloc(self.anc, 2 * self.cap * sizeof(tree.xmlNode*))
            if grown is NULL:
                raise MemoryError()
            self.anc = <tree.xmlNode**>grown
            grown = realloc(self.anc_ids, 2 * self.cap * sizeof(long))
            if grown is NULL:
                raise MemoryError()
            self.anc_ids = <long*>grown
            grown = realloc(self.hidden, 2 * self.cap)
            if grown is NULL:
                raise MemoryError()
            self.hidden = <unsigned char*>grown
            self.cap *= 2
        self.anc[self.n_anc] = node
        self.anc_ids[self.n_anc] = ident
        self.hidden[self.n_anc] = hidden
        self.n_anc += 1
        return 0

    cdef tuple name_of(self, tree.xmlNode* node):
        """(tag as lxml gives it, lowercased tag, is a block, flag index or -1), cached by libxml2's name."""
        key = <size_t>node.name
        got = self.names.get(key)
        if got is None:
            raw = _utf8(<const char*>node.name)
            low = raw.lower()
            got = (raw, low, low in BLOCK_TAGS, FLAG_TAGS.index(low) if low in FLAG_TAGS else -1)
            self.names[key] = got
        return got

    cdef tuple toks(self, tree.xmlNode* node):
        key = <size_t>node
        got = self.tokens.get(key)
        if got is None:
            got = _tokens_of(f"{_attr(node, 'class') or ''} {_attr(node, 'id') or ''} "
                             f"{_attr(node, 'role') or ''} {_attr(node, 'itemprop') or ''}")
            self.tokens[key] = got
        return got

    cdef tuple from_ancestors(self):
        """What a block's context takes from its open ancestors: the same for all blocks under one parent."""
        cdef Py_ssize_t n = self.n_anc, i
        key = self.anc_ids[n - 1] if n else 0
        got = self.by_parent.get(key)
        if got is not None:
            return got
        path = [self.name_of(self.anc[i])[0] for i in range(max(n - 4, 0), n)]
        anc_tokens = [t for i in range(max(n - 6, 0), n) for t in self.toks(self.anc[i])][:MAX_CLASS_TOKENS]
        flags = [FLAG_TAGS[i] for i in range(N_FLAGS) if self.flag_counts[i]]
        containers = [self.anc_ids[i] for i in range(n - 1, max(n - 3, 0) - 1, -1)]
        anc_path = "".join([" < " + _describe(self.anc[i], self.name_of(self.anc[i])[0])
                            for i in range(n - 1, max(n - 3, 0) - 1, -1)])
        got = (n, path, anc_tokens, flags, containers, anc_path)
        self.by_parent[key] = got
        return got


cdef inline tree.xmlNode* _element_from(tree.xmlNode* c) except? NULL:
    """The first node from ``c`` on that lxml's walk visits; an unsupported one raises."""
    while c is not NULL:
        if c.type == tree.XML_ELEMENT_NODE:
            if c.ns is not NULL:
                raise Unsupported("a namespaced element")
            return c
        if (c.type == tree.XML_COMMENT_NODE or c.type == tree.XML_PI_NODE
                or c.type == tree.XML_ENTITY_REF_NODE):
            raise Unsupported("a comment, processing instruction or entity reference")
        c = c.next
    return NULL


def walk(root, titles):
    """The segments of the tree under ``root`` in the order blocks close, as ``html._walk_python``."""
    cdef _Element el = <_Element?>root
    cdef tree.xmlNode* top = el._c_node
    cdef tree.xmlNode* node = top
    cdef tree.xmlNode* nxt
    cdef _Walk w = _Walk()
    cdef _Open blk
    cdef list stack = []
    cdef list segments = []
    cdef long n_elements = 0, order = 0, hidden_depth = 0
    cdef int flag
    cdef bint is_hidden, starting = True
    if top.type != tree.XML_ELEMENT_NODE or top.ns is not NULL:
        raise Unsupported("the root is not a plain element")
    w.titles = set(titles)
    while True:
        if starting:
            raw, tag, is_block, flag = w.name_of(node)
            is_hidden = _is_hidden(node)
            if is_hidden:
                hidden_depth += 1
            if is_block:
                order += 1
                blk = _Open()
                blk.node = <size_t>node
                blk.parts = []
                blk.link_chars = 0
                blk.n_links = 0
                blk.order = order
                stack.append(blk)
            if flag >= 0:
                w.flag_counts[flag] += 1
            if flag == FLAG_A and stack:
                (<_Open>stack[-1]).n_links += 1
            n_elements += 1
            w.push(node, n_elements, is_hidden)
            if stack:
                text = _collect_text(node.children)
                if text:
                    (<_Open>stack[-1]).add(text, w.flag_counts[FLAG_A] > 0)
                elif tag == "br":
                    (<_Open>stack[-1]).parts.append(" ")
            nxt = _element_from(node.children)
            if nxt is not NULL:
                node = nxt
                continue
            starting = False
        # the end of ``node``
        raw, tag, is_block, flag = w.name_of(node)
        w.n_anc -= 1
        is_hidden = w.hidden[w.n_anc]
        if flag >= 0:
            w.flag_counts[flag] -= 1
        if stack and (<_Open>stack[-1]).node == <size_t>node:
            blk = stack.pop()
            txt = normalize_text("".join(blk.parts)) if blk.parts else ""
            if txt:
                low = txt.lower()
                depth, path, anc_tokens, flags, containers, anc_path = w.from_ancestors()
                ctx = {
                    "tag": tag,
                    "depth": depth,
                    "path": list(path),
                    "own_tokens": list(w.toks(node)),
                    "anc_tokens": list(anc_tokens),
                    "flags": list(flags),
                    "hidden": hidden_depth > 0,
                    "order": blk.order,
                    "containers": list(containers),
                    "link_chars": min(blk.link_chars, len(txt)),
                    "n_links": blk.n_links,
                    "is_title": low in w.titles or (
                        tag == "h1" and any(t.startswith(low) for t in w.titles if len(txt) > 10)),
                }
                segments.append(Segment(index=0, text=txt, dom_path=_describe(node, raw) + anc_path, context=ctx))
        if is_hidden:
            hidden_depth -= 1
        if stack:
            tail = _collect_text(node.next)
            if tail:
                (<_Open>stack[-1]).add(tail, w.flag_counts[FLAG_A] > 0)
        if node == top:
            return segments
        nxt = _element_from(node.next)
        if nxt is not NULL:
            node = nxt
            starting = True
        else:
            node = node.parent
