"""Saving and loading models: skops files, a metadata sidecar and a model card.

A model directory holds ``html.skops`` and ``text.skops`` (one estimator per
input form), ``metadata.json`` (version, training-data hashes, metrics,
library versions) and ``MODEL_CARD.md``.  Loading never unpickles arbitrary
objects: skops lists the types a file would build, and we refuse any that
are not scikit-learn, NumPy, SciPy or sourcecheck's own.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

FILES = {"html": "html.skops", "text": "text.skops"}
TRUSTED_PREFIXES = ("sklearn.", "numpy.", "scipy.", "sourcecheck.", "builtins.", "collections.")


class ModelError(RuntimeError):
    """A model that cannot be loaded or saved; the message is one line."""


def default_model_dir() -> Path:
    """The model shipped inside the package."""
    return Path(__file__).resolve().parent.parent / "models" / "default"


def user_model_root() -> Path:
    """Where retrained models go unless ``--out`` says otherwise: ``$SOURCECHECK_HOME/models``."""
    home = os.environ.get("SOURCECHECK_HOME")
    if home:
        return Path(home) / "models"
    xdg = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(xdg) / "sourcecheck" / "models"


def resolve_model_dir(path: str | os.PathLike | None) -> Path:
    """A path, ``$SOURCECHECK_MODEL``, a model name under the user root, or the shipped model."""
    if path is None:
        path = os.environ.get("SOURCECHECK_MODEL") or None
    if path is None:
        return default_model_dir()
    p = Path(path)
    if not p.exists() and not p.is_absolute() and (user_model_root() / p).exists():
        p = user_model_root() / p
    return p


def sha256_of(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for p in paths:
        with open(p, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    return h.hexdigest()


@dataclass
class Model:
    """A loaded model bundle: one estimator per input form and its metadata."""

    estimators: dict[str, Any]
    meta: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None
    sha256: str = ""

    def for_kind(self, kind: str):
        est = self.estimators.get(kind)
        if est is None:
            raise ModelError(f"model has no estimator for {kind} input")
        return est

    def info(self) -> dict[str, str]:
        return {"name": self.meta.get("name", "unnamed"), "version": self.meta.get("version", "0"),
                "sha256": self.sha256}


def load_estimator(path: Path):
    """One skops estimator file, refusing any type that is not scikit-learn, NumPy, SciPy or sourcecheck's own."""
    import skops.io as sio

    try:
        untrusted = sio.get_untrusted_types(file=path)
    except Exception as exc:  # noqa: BLE001 - any parse failure means "not a model file"
        raise ModelError(f"{path}: not a readable skops model ({type(exc).__name__})") from None
    refused = [t for t in untrusted if not t.startswith(TRUSTED_PREFIXES)]
    if refused:
        raise ModelError(f"{path}: refusing to load untrusted types: {', '.join(refused[:5])}")
    return sio.load(path, trusted=untrusted)


@lru_cache(maxsize=8)
def _load_cached(path: str, stamp: float) -> Model:
    d = Path(path)
    meta_path = d / "metadata.json"
    if not meta_path.exists():
        raise ModelError(f"{d}: no metadata.json (not a sourcecheck model directory)")
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    estimators = {}
    files = []
    for kind, fname in FILES.items():
        f = d / fname
        if f.exists():
            estimators[kind] = load_estimator(f)
            files.append(f)
    if not estimators:
        raise ModelError(f"{d}: no estimator files ({', '.join(FILES.values())})")
    return Model(estimators, meta, d, sha256_of(files))


def load_model(path: str | os.PathLike | None = None) -> Model:
    """Load a model directory (default: ``$SOURCECHECK_MODEL`` or the shipped model)."""
    d = resolve_model_dir(path)
    if not d.is_dir():
        raise ModelError(f"model directory not found: {d}")
    return _load_cached(str(d.resolve()), (d / "metadata.json").stat().st_mtime if (d / "metadata.json").exists() else 0)


def save_model(model: Model, out: str | os.PathLike, overwrite: bool = False, card: str | None = None) -> Path:
    """Write a model directory; refuse to replace an existing one unless ``overwrite``."""
    import skops.io as sio

    d = Path(out)
    if d.exists() and any(d.iterdir()) and not overwrite:
        raise ModelError(f"{d} exists and is not empty (use --force to replace it)")
    d.mkdir(parents=True, exist_ok=True)
    unknown = set(model.estimators) - set(FILES)
    if unknown:
        raise ModelError(f"no file name for estimators of kind {', '.join(sorted(unknown))}")
    files = []
    # in the order load_model reads them, whatever order the estimators came in: the recorded
    # hash must be the one a loaded model reports
    for kind, fname in FILES.items():
        if kind in model.estimators:
            f = d / fname
            sio.dump(model.estimators[kind], f)
            files.append(f)
    model.sha256 = sha256_of(files)
    meta = dict(model.meta)
    meta["sha256"] = model.sha256
    (d / "metadata.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if card is not None:
        (d / "MODEL_CARD.md").write_text(card, encoding="utf-8")
    model.path = d
    _load_cached.cache_clear()
    return d


def library_versions() -> dict[str, str]:
    import importlib.metadata as md

    from .. import __version__

    out = {"sourcecheck": __version__}  # the code that runs, also from a checkout whose install is older
    for pkg in ("scikit-learn", "numpy", "scipy", "lxml", "skops"):
        try:
            out[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            pass
    return out
