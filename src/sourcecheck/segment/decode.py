"""Turn an input into text, and tell HTML from plain text.

Every input is bounded: bytes are read to at most the limit plus one, so a
device, pipe or endless stream is refused as soon as it passes the limit
(:func:`read_bounded`), and a ``str`` is held to the same limit by its UTF-8
size.  Pages in the wild often declare no encoding or a wrong one.  We trust,
in order: a byte-order mark (UTF-32 before UTF-16, whose marks they begin
with), strict UTF-8 when the page has non-ASCII bytes that are valid UTF-8 (a
page declared Latin-1 or windows-1252 that is really UTF-8 is common; the
reverse, Latin-1 text that happens to be valid UTF-8, is rare), a
``<meta charset>`` that decodes cleanly and is ASCII-compatible when the
declaration itself was readable as ASCII, then charset-normalizer's guess.
Anything that still does not look like text is refused with an
:class:`InputError` (one line) instead of producing silent nonsense.
"""

from __future__ import annotations

import codecs
import os
import re
from typing import BinaryIO

MAX_BYTES = 20 * 1024 * 1024  # larger inputs are refused, not scored


class InputError(ValueError):
    """An input that cannot be scored; the message is one line for stderr."""


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_HTML_HINT = re.compile(
    r"<\s*(!doctype\s+html|html|head|body|div|p|article|section|span|a\s|meta|title|br|table|ul|li|h[1-6])\b",
    re.I,
)
# longest first: the UTF-32 LE mark begins with the UTF-16 LE one
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_XML_DECL = re.compile(r"^\ufeff?\s*<\?xml[^>]*\?>")
_SURROGATE = re.compile("[\ud800-\udfff]")


def too_large(limit: int) -> InputError:
    return InputError(f"input too large (more than {limit / 1048576:g} MiB)")


def read_bounded(fh: BinaryIO, limit: int = MAX_BYTES) -> bytes:
    """Read at most ``limit`` bytes from a file, device or pipe; :class:`InputError` past that."""
    chunks, n = [], 0
    while n <= limit:
        chunk = fh.read(min(1 << 20, limit + 1 - n))
        if not chunk:
            break
        chunks.append(chunk)
        n += len(chunk)
    if n > limit:
        raise too_large(limit)
    return b"".join(chunks)


def read_path(path: str | os.PathLike, limit: int = MAX_BYTES) -> bytes:
    """A file's bytes, bounded; every failure an :class:`InputError` naming what went wrong."""
    try:
        if os.path.isdir(path):
            raise InputError("is a directory")
        with open(path, "rb") as fh:
            return read_bounded(fh, limit)
    except FileNotFoundError:
        raise InputError("no such file") from None
    except IsADirectoryError:
        raise InputError("is a directory") from None
    except OSError as exc:
        raise InputError(exc.strerror or str(exc)) from None


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head:
        return True
    ctrl = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return ctrl > max(8, len(head) // 50)


def _clean_str(text: str, limit: int) -> str:
    if len(text) > limit or (len(text) * 4 > limit and len(text.encode("utf-8", "surrogatepass")) > limit):
        raise too_large(limit)
    if _SURROGATE.search(text):  # a lone surrogate (a str can hold one; no encoding can)
        text = _SURROGATE.sub("\ufffd", text)
    m = _XML_DECL.match(text)
    if m:  # lxml refuses a str that declares an encoding; the declaration says nothing about a str
        text = text[m.end():]
    elif text.startswith("\ufeff"):
        text = text[1:]
    return text


def decode(data: bytes | str | os.PathLike, max_bytes: int = MAX_BYTES) -> tuple[str, str]:
    """Return ``(text, encoding)``; raise :class:`InputError` for empty, binary or too large input.

    ``data`` is bytes in any encoding, a ``str``, or a path (read, bounded).  Empty means nothing but
    white space once decoded (control characters such as U+001C count as white space there).
    """
    text, enc = _decode(data, max_bytes)
    if not text.strip():
        raise InputError("empty input")
    return text, enc


def _decode(data, max_bytes: int) -> tuple[str, str]:
    if isinstance(data, os.PathLike):
        data = read_path(data, max_bytes)
    if isinstance(data, str):
        text = _clean_str(data, max_bytes)
        if not text.strip():
            raise InputError("empty input")
        return text, "str"
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise InputError(f"cannot read a {type(data).__name__}: give bytes, a str or a path")
    data = bytes(data)
    if len(data) > max_bytes:
        raise too_large(max_bytes)
    if not data.strip():
        raise InputError("empty input")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            text = data.decode(enc, errors="replace")
            if not text.strip("\ufeff \t\r\n"):
                raise InputError("empty input")
            return _clean_str(text, max_bytes), enc
    if _looks_binary(data):
        raise InputError("binary data, not text or HTML")
    ascii_only = data.isascii()
    if not ascii_only:
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    m = _META_CHARSET.search(data[:4096])
    if m:
        enc = m.group(1).decode("ascii", "ignore").lower()
        try:
            info = codecs.lookup(enc)
            # the declaration was read as ASCII, so the page is in an ASCII-compatible encoding: a declared
            # UTF-16 or UTF-32 is wrong (decoding ASCII as UTF-16 "succeeds" with CJK nonsense)
            if not _ascii_compatible(info.name):
                raise LookupError(enc)
            return data.decode(info.name), enc
        except (LookupError, UnicodeDecodeError):
            pass
    if ascii_only:
        return data.decode("ascii"), "ascii"
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None or best.encoding is None:
        raise InputError("undecodable bytes: no text encoding fits")
    text = data.decode(best.encoding, errors="replace")
    if text.count("\ufffd") > max(10, len(text) // 100) or not _reads_like_text(text):
        raise InputError("undecodable bytes: no text encoding fits")
    return text, best.encoding


def _ascii_compatible(codec_name: str) -> bool:
    try:
        return "<meta charset=x>".encode(codec_name) == b"<meta charset=x>"
    except (UnicodeError, LookupError):
        return False


_BREAKS = frozenset(" \t\r\n。，、！？；：")


def _reads_like_text(text: str) -> bool:
    """Guessed encodings turn any bytes into *some* characters; real text has word or sentence breaks."""
    head = text[:10_000]
    if len(head) < 300:
        return True
    return sum(c in _BREAKS for c in head) >= len(head) / 300


def looks_like_html(text: str) -> bool:
    """HTML when markup tags appear near the start, or many of them anywhere."""
    head = text[:4096].lstrip()
    if head.startswith("<") and _HTML_HINT.search(head[:1024]):
        return True
    return len(_HTML_HINT.findall(text[:200_000])) >= 5
