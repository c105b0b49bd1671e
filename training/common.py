"""Shared bits of the numbered training steps: paths, seeds, corpus hashes.

Every step reads ``../shared`` (or ``$SOURCECHECK_SHARED``) and writes only
to a work directory outside the project (``$SOURCECHECK_WORK``, default
``~/.cache/sourcecheck/work``), except step 03, which writes the model.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

SEED = 20261121
CV_FOLDS = 5


def work_dir() -> Path:
    d = Path(os.environ.get("SOURCECHECK_WORK") or Path.home() / ".cache" / "sourcecheck" / "work")
    d.mkdir(parents=True, exist_ok=True)
    return d


def corpus_hashes(corpora, shared=None) -> dict[str, str]:
    """sha256 over each corpus folder's files (names and bytes), so a model card names its data exactly."""
    from sourcecheck.corpora import shared_dir

    root = shared_dir(shared)
    out = {}
    for c in list(corpora) + ["../labels"]:
        folder = (root / "corpora" / c).resolve()
        h = hashlib.sha256()
        for f in sorted(p for p in folder.rglob("*") if p.is_file()):
            h.update(str(f.relative_to(folder)).encode())
            h.update(hashlib.sha256(f.read_bytes()).digest())
        out["labels" if c == "../labels" else c] = h.hexdigest()
    return out


def write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
