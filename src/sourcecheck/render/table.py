"""A readable terminal table: one row per segment, then the sources block."""

from __future__ import annotations

from typing import IO, Iterable

from rich.console import Console
from rich.table import Table

from ..article import Article

STYLE = {"news": "green", "chrome": "grey50", "advocacy": "bold magenta"}


def _short(text: str, n: int = 90) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def write_table(articles: Iterable[Article], out: IO[str]) -> None:
    console = Console(file=out, width=140, soft_wrap=False)
    for a in articles:
        shares = a.shares()
        title = (f"{a.input}  [{a.kind}, lang={a.lang or '?'}]  news {shares['news']:.0%} · "
                 f"chrome {shares['chrome']:.0%} · advocacy {shares['advocacy']:.0%}")
        t = Table(title=title, title_justify="left", show_lines=False)
        t.add_column("#", justify="right")
        t.add_column("label")
        t.add_column("score", justify="right")
        t.add_column("was", style="dim")
        t.add_column("text")
        for s in a.segments:
            lab = s.label or "?"
            changed = s.initial_label if s.initial_label != s.label else ""
            t.add_row(str(s.index), f"[{STYLE.get(lab, '')}]{lab}[/]", f"{s.scores.get(lab, 0.0):.2f}", changed,
                      _short(s.text))
        console.print(t)
        if a.sources:
            st = Table(title="Sources", title_justify="left")
            st.add_column("source")
            st.add_column("role")
            st.add_column("evidence")
            st.add_column("notes")
            for src in a.sources:
                ev = "; ".join(f"#{e.get('segment')} “{_short(str(e.get('text', '')), 40)}” ({e.get('cue')})"
                               for e in src.get("evidence", [])[:3])
                notes = "\n".join(f"{n.get('claim')}: {n.get('value')} [{(n.get('citation') or {}).get('title', '')}]"
                                  for n in src.get("notes", [])[:6])
                st.add_row(str(src.get("name")), str(src.get("role")), ev, notes)
            console.print(st)
        else:
            console.print("Sources: none detected.")
