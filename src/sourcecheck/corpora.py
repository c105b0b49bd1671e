"""Readers for the benchmark corpora kept outside the project in ``../shared``.

The pages and their ground truth belong to third parties, so the project
never copies them: training steps, benchmarks and slow tests read them in
place.  The location is ``$SOURCECHECK_SHARED``, else ``../shared`` beside
the checkout.
"""

from __future__ import annotations

import gzip
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

#: Corpora whose ground truth says what the main text is.
MAIN_TEXT_CORPORA: tuple[str, ...] = ("zyte-aeb", "trafilatura-eval", "readability-tests", "fundus-tests")
ALL_CORPORA: tuple[str, ...] = MAIN_TEXT_CORPORA + ("postlight-fixtures", "htmldate-pages")


def shared_dir(path: str | os.PathLike | None = None) -> Path:
    """Where ``shared/`` is: an explicit path, ``$SOURCECHECK_SHARED``, or ``../shared``."""
    if path is not None:
        return Path(path)
    env = os.environ.get("SOURCECHECK_SHARED")
    if env:
        return Path(env)
    repo = Path(__file__).resolve().parents[2]
    for cand in (repo.parent / "shared", Path.cwd().parent / "shared", Path.cwd() / "shared"):
        if cand.is_dir():
            return cand
    return repo.parent / "shared"


def have_shared(path: str | os.PathLike | None = None) -> bool:
    return (shared_dir(path) / "corpora").is_dir()


@dataclass
class Page:
    """One benchmark page and what its ground truth says."""

    corpus: str
    key: str
    url: str
    path: Path
    body: str | None = None  # full main text, where the corpus has it
    title: str | None = None
    with_snippets: list[str] = field(default_factory=list)  # trafilatura-eval
    without_snippets: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)

    def read(self) -> bytes:
        with gzip.open(self.path, "rb") as fh:
            return fh.read()

    @property
    def site(self) -> str:
        """The grouping key for cross-validation: the page's registered site."""
        return site_of(self.url) or f"{self.corpus}:{self.key}"


_SECOND_LEVEL = {"co", "com", "org", "net", "gov", "ac", "edu", "or", "ne", "go", "gv"}


def site_of(url: str) -> str:
    """A cheap registered-domain guess: the last two labels, three under co.uk-style suffixes."""
    if not url:
        return ""
    host = (urlsplit(url if "//" in url else "//" + url).hostname or "").lower().strip(".")
    if host.startswith("www."):
        host = host[4:]
    parts = host.split(".")
    if len(parts) >= 3 and parts[-2] in _SECOND_LEVEL and len(parts[-1]) == 2:
        return ".".join(parts[-3:])
    return ".".join(parts[-2:])


def iter_pages(corpus: str, shared: str | os.PathLike | None = None) -> Iterator[Page]:
    """Yield the pages of one corpus, in a stable order."""
    root = shared_dir(shared) / "corpora" / corpus
    if not root.is_dir():
        raise FileNotFoundError(f"corpus not found: {root}")
    if corpus == "trafilatura-eval":
        data = json.loads((root / "evaldata.json").read_text(encoding="utf-8"))
        for url, d in data.items():
            yield Page(corpus, d["file"], url, root / "html" / (d["file"] + ".gz"),
                       with_snippets=list(d.get("with") or []), without_snippets=list(d.get("without") or []))
        return
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    for key in sorted(truth):
        d = truth[key]
        path = root / "html" / f"{key}.html.gz"
        if not path.exists():
            continue
        yield Page(corpus, key, d.get("url") or "", path, body=d.get("articleBody"),
                   title=d.get("title"), extra={k: v for k, v in d.items() if k not in ("articleBody",)})


def load_pages(corpora: tuple[str, ...] | list[str] = MAIN_TEXT_CORPORA, shared=None) -> list[Page]:
    return [p for c in corpora for p in iter_pages(c, shared)]
