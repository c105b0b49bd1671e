"""Labelled-data files for ``train`` and ``evaluate``.

Two formats, documented in the README:

* JSON Lines, one document per line::

    {"id": "doc-1", "segments": [{"text": "Headline", "label": "news"}, ...]}

* CSV with a header ``doc_id,position,text,label`` (one row per segment;
  rows of a document are ordered by ``position``).

Segments are read as plain-text lines (the ``text`` model); their order in
the document matters, because the model looks at neighbours.
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from .article import LABELS, Segment


class DataError(ValueError):
    """A labelled-data file that cannot be read; the message names file and line."""


@dataclass
class LabelledDoc:
    id: str
    segments: list[Segment]
    labels: list[str]


def _doc(doc_id: str, items: list[tuple[str, str]], where: str) -> LabelledDoc:
    segs, labs = [], []
    for text, label in items:
        if label not in LABELS:
            raise DataError(f"{where}: label must be one of {', '.join(LABELS)}, not {label!r}")
        text = " ".join(str(text).split())
        if not text:
            continue
        segs.append(Segment(index=len(segs), text=text, context={"blank_before": True, "blank_after": True}))
        labs.append(label)
    return LabelledDoc(doc_id, segs, labs)


def read_jsonl(path: Path) -> list[LabelledDoc]:
    docs = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
                segs = d["segments"]
                items = [(s["text"], s["label"]) for s in segs]
            except (ValueError, KeyError, TypeError) as exc:
                raise DataError(f"{path}:{n}: not a labelled document ({type(exc).__name__}: {exc})") from None
            docs.append(_doc(str(d.get("id", f"{path.name}:{n}")), items, f"{path}:{n}"))
    return docs


def read_csv(path: Path) -> list[LabelledDoc]:
    rows: dict[str, list[tuple[float, str, str]]] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        need = {"doc_id", "position", "text", "label"}
        if not reader.fieldnames or not need <= set(reader.fieldnames):
            raise DataError(f"{path}: CSV needs the columns doc_id, position, text, label")
        for n, r in enumerate(reader, 2):
            try:
                pos = float(r["position"])
            except ValueError:
                raise DataError(f"{path}:{n}: position is not a number") from None
            rows.setdefault(r["doc_id"], []).append((pos, r["text"], r["label"]))
    return [_doc(k, [(t, lab) for _, t, lab in sorted(v, key=lambda x: x[0])], f"{path} (doc {k})")
            for k, v in rows.items()]


def read_labelled(paths: list[str | Path]) -> list[LabelledDoc]:
    docs: list[LabelledDoc] = []
    for p in map(Path, paths):
        if not p.is_file():
            raise DataError(f"{p}: no such file")
        if p.suffix.lower() == ".csv":
            docs += read_csv(p)
        elif p.suffix.lower() in (".jsonl", ".json", ".ndjson"):
            docs += read_jsonl(p)
        else:
            raise DataError(f"{p}: unknown format (use .jsonl or .csv)")
    docs = [d for d in docs if d.segments]
    if not docs:
        raise DataError("no labelled segments in the given files")
    return docs


def files_sha256(paths: list[str | Path]) -> dict[str, str]:
    return {str(p): hashlib.sha256(Path(p).read_bytes()).hexdigest() for p in paths}
