"""Provenance: who is behind an article's sources, with evidence and cited notes.

``detect_sources(article, registry=None, url=None)`` finds publisher, wire,
photo and cited sources in an `Article` (``url``: the page's address, e.g. a
saved page's ``--url``; default ``article.meta["url"]``); ``load_registry()``
gives the registry it uses (shipped YAML, imported State Media Monitor,
Wikipedia perennial-sources, Wikidata / fundus / newscatcher outlet lists and
EU restrictions, and an optional user file).  Submodules are imported lazily by these functions, so
importing the package reads no data.
"""

from __future__ import annotations

from typing import Any


def load_registry(extra_path=None):
    from .registry import load_registry as _load

    return _load(extra_path)


def detect_sources(article, registry=None, url: str | None = None) -> list[dict[str, Any]]:
    from .detect import detect_sources as _detect

    return _detect(article, registry, url=url)


def notes_for(source: dict) -> list[dict[str, Any]]:
    from .notes import notes_for as _notes

    return _notes(source)


__all__ = ["detect_sources", "load_registry", "notes_for"]
