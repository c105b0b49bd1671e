"""sourcecheck: tell news from site chrome and publisher advocacy, and say who is behind the sources.

The public functions are imported lazily so that ``import sourcecheck`` stays
cheap and has no side effects.
"""

from __future__ import annotations

__version__ = "0.2.0"

__all__ = ["score", "score_text", "score_html", "score_many", "clean", "clean_many", "load_model", "Options", "Article", "Segment"]


def __getattr__(name: str):
    if name in ("score", "score_text", "score_html", "score_many", "clean", "clean_many", "Options"):
        from . import pipeline

        return getattr(pipeline, name)
    if name == "load_model":
        from .model.store import load_model

        return load_model
    if name in ("Article", "Segment"):
        from . import article

        return getattr(article, name)
    raise AttributeError(name)
