"""Plain text into line segments with character offsets.

Text pasted or exported from a web page keeps one block per line, often with
blank lines between paragraphs and bullets before list items; link lists are
glued into one line ("Send your storiesGet more from ...").  Every non-empty
line is a segment, so each line of the input gets a label and
``text[start:end]`` is the line without its surrounding whitespace.
"""

from __future__ import annotations

import re

from ..article import Segment

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\n|\r|$)")


def segment_text(text: str) -> list[Segment]:
    segments: list[Segment] = []
    pos = 0
    prev_blank = True
    for m in _LINE.finditer(text):
        raw = m.group(0)
        if not raw:
            break
        line = raw.rstrip("\r\n")
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            start = pos + lead
            seg = Segment(index=len(segments), text=stripped, start=start, end=start + len(stripped),
                          context={"blank_before": prev_blank})
            if segments:
                segments[-1].context.setdefault("blank_after", prev_blank)
            segments.append(seg)
            prev_blank = False
        else:
            if segments and not prev_blank:
                segments[-1].context["blank_after"] = True
            prev_blank = True
        pos = m.end()
    if segments:
        segments[-1].context.setdefault("blank_after", True)
    return segments
