"""A naive HTML-to-text rendering, for training the plain-text model.

Plain-text articles reach us as the output of some HTML-to-text conversion:
one block per line, blank lines after paragraphs, bullets before list items,
runs of short links glued together, sometimes paragraphs glued too.  To
train on real pages for that input form, each labelled page is rendered this
way (with seeded variation), and every line keeps the label of the blocks it
came from.
"""

from __future__ import annotations

import random

from .article import Segment

BULLETS = ("• ", "  • ", "- ", "* ")


def render_lines(blocks: list[Segment], labels: list[str | None], seed: int) -> tuple[str, list[str | None]]:
    """Return the text and the label of each non-empty line, in order."""
    rng = random.Random(seed)
    bullet = rng.choice(BULLETS) if rng.random() < 0.6 else ""
    glue_links = rng.random() < 0.5
    glue_paras = rng.random() < 0.15
    blank_after_p = rng.random() < 0.7
    lines: list[str] = []
    line_labels: list[str | None] = []
    out: list[str] = []
    i = 0
    n = len(blocks)
    while i < n:
        b, lab = blocks[i], labels[i]
        text = b.text
        tag = b.context.get("tag", "")
        linky = b.context.get("link_chars", 0) >= 0.8 * len(text) and len(text) < 40
        # glue a run of short link blocks, as inline link lists come out of many converters
        if glue_links and linky and lab != "news":
            j = i + 1
            parts = [text]
            labs = [lab]
            while j < n and len(parts) < 8:
                nb = blocks[j]
                if not (nb.context.get("link_chars", 0) >= 0.8 * len(nb.text) and len(nb.text) < 40) or labels[j] == "news":
                    break
                parts.append(nb.text)
                labs.append(labels[j])
                j += 1
            if len(parts) > 1:
                text = "".join(parts)
                lab = "chrome" if "chrome" in labs else (None if None in labs else labs[0])
                i = j - 1
        elif glue_paras and lab == "news" and tag == "p":
            j = i + 1
            parts = [text]
            while j < n and labels[j] == "news" and blocks[j].context.get("tag") == "p" and len(parts) < 6:
                parts.append(blocks[j].text)
                j += 1
            text = "".join(parts)
            i = j - 1
        if tag == "li" and bullet:
            text = bullet + text
        out.append(text)
        lines.append(text)
        line_labels.append(lab)
        if tag in ("p", "h1", "h2", "h3", "h4") and blank_after_p:
            out.append("")
        i += 1
    return "\n".join(out), line_labels
