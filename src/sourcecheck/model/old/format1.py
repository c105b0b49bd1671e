"""Format 1: a model directory of skops files (``html.skops``, ``text.skops``), sourcecheck 0.1.9 and before.

Scoring never loads these.  ``sourcecheck upgrade-model OLD --out NEW`` reads
one with :func:`load_estimator` and writes it in the current format; the
training steps read their own saved fold estimators the same way.  skops would
build any type its file names, so only the exact types a
``SegmentClassifier`` is made of are allowed (scikit-learn's and NumPy's
plain containers are skops' own safe defaults); a file that names any other
type is refused before anything is built.  Needs scikit-learn and skops.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..store import KINDS, Model, ModelError

#: every type a fitted SegmentClassifier's skops file names beyond skops' own safe defaults
ALLOWED_TYPES = frozenset({
    "sourcecheck.model.estimator.SegmentClassifier",
    "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
})
MAX_SKOPS_BYTES = 512 << 20


def load_estimator(path: Path):
    """One skops estimator file, refusing any type outside :data:`ALLOWED_TYPES`."""
    import skops.io as sio

    path = Path(path)
    try:
        if path.stat().st_size > MAX_SKOPS_BYTES:
            raise ModelError(f"{path}: larger than {MAX_SKOPS_BYTES >> 20} MiB, not a model file")
        untrusted = sio.get_untrusted_types(file=path)
    except ModelError:
        raise
    except Exception as exc:  # noqa: BLE001 - any parse failure means "not a model file"
        raise ModelError(f"{path}: not a readable skops model ({type(exc).__name__})") from None
    refused = sorted(set(untrusted) - ALLOWED_TYPES)
    if refused:
        raise ModelError(f"{path}: refusing to load types a model is not made of: {', '.join(refused[:5])}")
    try:
        est = sio.load(path, trusted=sorted(ALLOWED_TYPES & set(untrusted)))
    except Exception as exc:  # noqa: BLE001
        raise ModelError(f"{path}: not a loadable skops model ({type(exc).__name__})") from None
    from ..estimator import SegmentClassifier

    if not isinstance(est, SegmentClassifier):
        raise ModelError(f"{path}: holds a {type(est).__name__}, not a sourcecheck estimator")
    return est


def load_format1(d: Path) -> Model:
    """A format-1 directory as a :class:`Model` of fitted estimators (its metadata kept, its old hash dropped)."""
    d = Path(d)
    meta_path = d / "metadata.json"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
    except (OSError, UnicodeDecodeError, ValueError):
        raise ModelError(f"{meta_path}: not valid JSON") from None
    if not isinstance(meta, dict):
        raise ModelError(f"{meta_path}: not a model's metadata")
    estimators = {k: load_estimator(d / f"{k}.skops") for k in KINDS if (d / f"{k}.skops").exists()}
    if not estimators:
        raise ModelError(f"{d}: no skops files (html.skops, text.skops)")
    meta.pop("sha256", None)
    meta.setdefault("converted_from", "format 1 (skops)")
    return Model(estimators, meta)
