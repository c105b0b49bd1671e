"""A readable terminal table: one row per segment, then the sources, sized to the terminal.

The width is rich's own: the terminal's, or ``COLUMNS`` when it is set.  Output that goes to a pipe or a
file, with ``COLUMNS`` unset, has no width to ask; it gets ``PIPE_WIDTH`` (see there).  Long texts are cut
with an ellipsis to fit (``--format json`` has them whole), so no line is wider than the width.
"""

from __future__ import annotations

import os
from typing import IO, Iterable

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..article import LABELS, Article
from .words import evidence_words, note_words

STYLE = {"news": "green", "chrome": "grey50", "advocacy": "bold magenta"}

#: width of a table written to a pipe or a file when COLUMNS is unset: rich would fall back to 80 (or to
#: the width of whatever terminal stderr happens to be), but such output is read later in a pager, a log
#: or an editor, where 100 columns show a segment's opening words beside its label and still fit a
#: side-by-side window; a user who wants another width sets COLUMNS.
PIPE_WIDTH = 100

#: what the narrow columns mean, said under the table (for the columns it shows)
LEGEND = {"score": "score: the probability of the label",
          "was": "was: the label the segment had on its own, where its neighbours changed it"}


def _console(out: IO[str]) -> Console:
    is_tty = False
    try:
        is_tty = out.isatty()
    except (AttributeError, ValueError, OSError):
        pass
    columns = os.environ.get("COLUMNS", "")
    # rich's own width detection (the terminal, or COLUMNS) wherever there is a width to detect
    width = None if is_tty or columns.strip().isdigit() else PIPE_WIDTH
    return Console(file=out, width=width, soft_wrap=False, highlight=False, markup=False, emoji=False)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def write_table(articles: Iterable[Article], out: IO[str]) -> None:
    console = _console(out)
    for n, a in enumerate(articles):
        if n:
            console.print()
        shares = a.shares()
        console.print(Text(f"{a.input}  ({a.kind}, language {a.lang or 'unknown'}, {len(a.segments)} segments)",
                           style="bold", overflow="fold"))
        console.print(Text("share of characters: " + " · ".join(f"{lab} {shares[lab]:.0%}" for lab in LABELS)))
        revised = any(s.initial_label and s.initial_label != s.label for s in a.segments)
        # the narrow columns keep their width; the text takes the room left (borders and one space of
        # padding each side of a cell) and is cut there with an ellipsis.  On a very narrow terminal the
        # "was" column, then the score, give way to the text (--format json has them).
        cols = {"#": max(1, len(str(len(a.segments) - 1))), "label": 8, "score": 5, "was": 8 if revised else 3}
        for drop in ("was", "score", None):
            room = console.width - sum(cols.values()) - 3 * (len(cols) + 1) - 1
            if room >= 16 or drop is None:
                break
            del cols[drop]
        t = Table(show_lines=False)
        t.add_column("#", justify="right", no_wrap=True, min_width=cols["#"])
        t.add_column("label", no_wrap=True, min_width=cols["label"])
        if "score" in cols:
            t.add_column("score", justify="right", no_wrap=True, min_width=cols["score"])
        if "was" in cols:
            t.add_column("was", style="dim", no_wrap=True, min_width=cols["was"])
        t.add_column("text", no_wrap=True, overflow="ellipsis", max_width=max(room, 4))
        for s in a.segments:
            lab = s.label or "?"
            changed = s.initial_label if s.initial_label != s.label else ""
            row = [str(s.index), Text(lab, style=STYLE.get(lab, ""))]
            if "score" in cols:
                row.append(f"{s.scores.get(lab, 0.0):.2f}")
            if "was" in cols:
                row.append(changed or "")
            t.add_row(*row, Text(_one_line(s.text)))
        console.print(t)
        legend = [LEGEND[c] for c in LEGEND if c in cols]
        if legend:
            console.print(Text("; ".join(legend), style="dim"))
        if not a.sources:
            console.print("Sources: none detected.")
            continue
        st = Table(title="Sources", title_justify="left", show_lines=True, pad_edge=False)
        st.add_column("source", ratio=2, overflow="fold")
        st.add_column("evidence", ratio=4, overflow="fold")
        st.add_column("notes", ratio=5, overflow="fold")
        for src in a.sources:
            evidence = src.get("evidence") or []
            ev = "\n".join(evidence_words(e) for e in evidence[:3])
            if len(evidence) > 3:
                ev += f"\n(and {len(evidence) - 3} more: --format json)"
            notes = src.get("notes") or []
            nt = "\n".join(note_words(x) for x in notes[:6])
            if len(notes) > 6:
                nt += f"\n(and {len(notes) - 6} more: --format json)"
            st.add_row(Text(f"{src.get('name') or src.get('source_id')}\n{src.get('role')}"), Text(ev), Text(nt))
        console.print(st)
