"""The two types everything else passes around: `Segment` and `Article`.

A segment flows through named stages, as a jusText paragraph does:
``make_segments -> classify (context-free) -> revise (with neighbours)``.
Both the context-free and the revised label are kept, so a user can see
what the neighbours changed and why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LABELS: tuple[str, ...] = ("news", "chrome", "advocacy")

#: the fields of ``meta`` in the JSON contract: always there, null when unknown
META_FIELDS: tuple[str, ...] = ("title", "site_name", "url", "date")


@dataclass
class Segment:
    """One unit of an article: a line or paragraph of text, or one HTML block.

    ``start``/``end`` are character offsets into the decoded input for text
    input (``input[start:end]`` is the segment, whitespace-trimmed at most);
    for HTML they are offsets into the page's extracted text and ``dom_path``
    says where the block sits.  ``context`` holds layout facts the segmenter
    saw (tag path, link density, class/id tokens, ...) that features read.
    """

    index: int
    text: str
    start: int = 0
    end: int = 0
    dom_path: str | None = None
    context: dict[str, Any] = field(default_factory=dict)
    # stage 1: context-free label and scores
    initial_label: str | None = None
    initial_scores: dict[str, float] = field(default_factory=dict)
    # stage 2: label revised with the neighbours' predictions
    label: str | None = None
    scores: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "index": self.index,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "label": self.label,
            "scores": {k: round(float(self.scores.get(k, 0.0)), 4) for k in LABELS},
            "initial_label": self.initial_label,
        }
        if self.dom_path is not None:
            d["dom_path"] = self.dom_path
        return d


@dataclass
class Article:
    """A scored input: its segments, page metadata and the model that scored it."""

    input: str
    kind: str  # "text" or "html"
    text: str  # decoded text input, or the page's extracted text for HTML
    segments: list[Segment] = field(default_factory=list)
    lang: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)  # title, site_name, url, date, ...
    model: dict[str, Any] = field(default_factory=dict)  # name, version, sha256
    sources: list[dict[str, Any]] = field(default_factory=list)

    def segments_with(self, label: str) -> list[Segment]:
        return [s for s in self.segments if s.label == label]

    def main_text(self, include_title: bool = False) -> str:
        """The news segments joined by blank lines: what `clean` returns.

        The headline block of an HTML page (``context['is_title']``) is news,
        but extractors and their benchmarks keep the title apart from the
        body, so it is left out unless asked for.
        """
        parts = [
            s.text
            for s in self.segments
            if s.label == "news" and (include_title or not s.context.get("is_title"))
        ]
        return "\n\n".join(parts)

    def title(self) -> str | None:
        """The headline: the block that matches the page title, else the page's <title>."""
        return next((s.text for s in self.segments if s.context.get("is_title")), self.meta.get("title"))

    def shares(self) -> dict[str, float]:
        """Share of characters under each label."""
        total = sum(len(s.text) for s in self.segments) or 1
        return {lab: sum(len(s.text) for s in self.segments if s.label == lab) / total for lab in LABELS}

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "input": self.input,
            "kind": self.kind,
            "lang": self.lang,
            "segments": [s.to_dict() for s in self.segments],
            "model": self.model,
        }
        # always present, with the contract's fields null where the input does not say them (a text
        # input has no metadata); other fields the page gives are kept after them
        d["meta"] = {**{k: None for k in META_FIELDS}, **self.meta}
        d["sources"] = self.sources
        return d

    def _repr_html_(self) -> str:
        """Inline display in notebooks: the article with its segments marked."""
        from .render.html import article_html

        return article_html(self)

    def to_frame(self):
        """One row per segment, as a pandas DataFrame (for notebooks)."""
        import pandas as pd

        rows = []
        for s in self.segments:
            row = {"index": s.index, "label": s.label, "initial_label": s.initial_label, "text": s.text}
            row.update({f"p_{k}": s.scores.get(k, 0.0) for k in LABELS})
            rows.append(row)
        return pd.DataFrame(rows)
