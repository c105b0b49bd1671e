"""Turn input bytes into text, and tell HTML from plain text.

Pages in the wild often declare no encoding or a wrong one.  We trust, in
order: a byte-order mark, a ``<meta charset>`` that decodes cleanly, strict
UTF-8, then charset-normalizer's guess.  Anything that still does not look
like text is refused with an :class:`InputError` instead of producing silent
nonsense.
"""

from __future__ import annotations

import codecs
import re

MAX_BYTES = 20 * 1024 * 1024  # larger inputs are refused, not scored


class InputError(ValueError):
    """An input that cannot be scored; the message is one line for stderr."""


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_HTML_HINT = re.compile(
    r"<\s*(!doctype\s+html|html|head|body|div|p|article|section|span|a\s|meta|title|br|table|ul|li|h[1-6])\b",
    re.I,
)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head:
        return True
    ctrl = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return ctrl > max(8, len(head) // 50)


def decode(data: bytes | str, max_bytes: int = MAX_BYTES) -> tuple[str, str]:
    """Return ``(text, encoding)``; raise :class:`InputError` for empty, binary or huge input."""
    if isinstance(data, str):
        if not data.strip():
            raise InputError("empty input")
        return data, "str"
    if len(data) > max_bytes:
        raise InputError(f"input too large ({len(data) / 1e6:.1f} MB > {max_bytes / 1e6:.0f} MB limit)")
    if not data.strip():
        raise InputError("empty input")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data.decode(enc, errors="replace"), enc
    if _looks_binary(data):
        raise InputError("binary data, not text or HTML")
    m = _META_CHARSET.search(data[:4096])
    if m:
        enc = m.group(1).decode("ascii", "ignore").lower()
        try:
            codecs.lookup(enc)
            return data.decode(enc), enc
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None or best.encoding is None:
        raise InputError("undecodable bytes: no text encoding fits")
    text = data.decode(best.encoding, errors="replace")
    if text.count("\ufffd") > max(10, len(text) // 100) or not _reads_like_text(text):
        raise InputError("undecodable bytes: no text encoding fits")
    return text, best.encoding


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
