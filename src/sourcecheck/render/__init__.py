"""Renderers: the same scored articles as a table, JSON, JSON Lines, CSV or HTML.

Each renderer takes an iterable of :class:`~sourcecheck.article.Article` and
writes to a text stream, one article at a time, so a batch of millions
streams without being held in memory.
"""

from __future__ import annotations

import csv
import json
from typing import IO, Iterable

from ..article import LABELS, Article

FORMATS = ("table", "json", "jsonl", "csv", "html")


def write_json(articles: Iterable[Article], out: IO[str]) -> None:
    """One JSON document: a single object for one input, an array for several."""
    items = [a.to_dict() for a in articles]
    json.dump(items[0] if len(items) == 1 else items, out, ensure_ascii=False, indent=2)
    out.write("\n")


def write_jsonl(articles: Iterable[Article], out: IO[str]) -> None:
    for a in articles:
        out.write(json.dumps(a.to_dict(), ensure_ascii=False) + "\n")
        out.flush()


CSV_FIELDS = ("input", "index", "start", "end", "label", "initial_label") + tuple(f"p_{k}" for k in LABELS) + ("text",)


def write_csv(articles: Iterable[Article], out: IO[str]) -> None:
    w = csv.writer(out)
    w.writerow(CSV_FIELDS)
    for a in articles:
        for s in a.segments:
            w.writerow([a.input, s.index, s.start, s.end, s.label, s.initial_label]
                       + [f"{s.scores.get(k, 0.0):.4f}" for k in LABELS] + [s.text])


def write_table(articles: Iterable[Article], out: IO[str]) -> None:
    from .table import write_table as _wt

    _wt(articles, out)


def write_html(articles: Iterable[Article], out: IO[str]) -> None:
    from .html import write_html as _wh

    _wh(articles, out)


WRITERS = {"table": write_table, "json": write_json, "jsonl": write_jsonl, "csv": write_csv, "html": write_html}
