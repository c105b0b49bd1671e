"""Model directories: arrays and JSON, checked before use, written whole.

A model directory (format 2) holds, per input form (``html``, ``text``), the
fitted parameters as ``<form>.npz`` (NumPy arrays, read with
``allow_pickle=False``) and their description as ``<form>.json``, plus
``MODEL_CARD.md`` and ``metadata.json``: name, version, training data,
metrics, the format number, the sha256 of every other file and of its own
content.  Loading reads bytes, JSON and plain arrays only, so a model file can
never run code; it checks the format, every hash, every array's type and
shape and every tree index before a page is scored, and refuses anything else
with one line (:class:`ModelError`) naming the file.

Directories of the older skops format are not loaded here: ``sourcecheck
upgrade-model`` converts them once (:mod:`sourcecheck.model.old.format1`).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

import numpy as np

#: the model directory format this code reads and writes
FORMAT = 2
KINDS = ("html", "text")
CARD = "MODEL_CARD.md"
#: bounds on what loading reads: metadata and descriptions, each array file, all arrays unpacked
MAX_JSON_BYTES = 4 << 20
MAX_FILE_BYTES = 256 << 20
MAX_ARRAY_BYTES = 1 << 30


class ModelError(RuntimeError):
    """A model that cannot be loaded or saved; the message is one line."""


def default_model_dir() -> Path:
    """The model shipped inside the package."""
    return Path(__file__).resolve().parent.parent / "weights" / "default"


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


@dataclass
class Model:
    """A model bundle: one estimator per input form and its metadata.

    Loaded, the estimators are :class:`~sourcecheck.model.scoring.Scorer` objects; a model being saved may
    hold fitted ``SegmentClassifier`` estimators, which are written in their scoring form.
    """

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


# reading ---------------------------------------------------------------------------------------------
def _read(path: Path, limit: int) -> bytes:
    try:
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)
    except FileNotFoundError:
        raise ModelError(f"{path}: missing") from None
    except OSError as exc:
        raise ModelError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if len(data) > limit:
        raise ModelError(f"{path}: larger than {limit >> 20} MiB, not a model file")
    return data


def _json(path: Path, data: bytes) -> Any:
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ModelError(f"{path}: not valid JSON ({str(exc).splitlines()[0][:80]})") from None


def metadata_digest(meta: dict) -> str:
    """The sha256 of the metadata itself (every field but this one, canonical JSON)."""
    body = {k: v for k, v in meta.items() if k != "metadata_sha256"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=True).encode()).hexdigest()


def _file_names() -> set[str]:
    return {f"{k}.{ext}" for k in KINDS for ext in ("npz", "json")} | {CARD}


def read_metadata(d: Path) -> dict:
    """``metadata.json`` of a format-2 directory, checked: its format and its own hash."""
    path = d / "metadata.json"
    if not path.exists():
        if any((d / f"{k}.skops").exists() for k in KINDS):
            raise ModelError(f"{d}: a model in the old skops format; convert it once with: "
                             f"sourcecheck upgrade-model {d} --out NEW_DIR")
        raise ModelError(f"{d}: no metadata.json (not a sourcecheck model directory)")
    meta = _json(path, _read(path, MAX_JSON_BYTES))
    if not isinstance(meta, dict):
        raise ModelError(f"{path}: not a model's metadata (a JSON object is expected)")
    fmt = meta.get("format")
    if fmt is None:
        if any((d / f"{k}.skops").exists() for k in KINDS):
            raise ModelError(f"{d}: a model in the old skops format; convert it once with: "
                             f"sourcecheck upgrade-model {d} --out NEW_DIR")
        raise ModelError(f"{path}: no model format number")
    if fmt != FORMAT:
        newer = isinstance(fmt, int) and fmt > FORMAT
        raise ModelError(f"{path}: model format {fmt!r}, this sourcecheck reads format {FORMAT}"
                         + ("; upgrade sourcecheck" if newer else ""))
    if meta.get("metadata_sha256") != metadata_digest(meta):
        raise ModelError(f"{path}: its content does not match its sha256 (changed or damaged)")
    files = meta.get("files")
    if not isinstance(files, dict) or not files:
        raise ModelError(f"{path}: lists no model files")
    for name, digest in files.items():
        if name not in _file_names() or not isinstance(digest, str):
            raise ModelError(f"{path}: unexpected file entry {str(name)[:40]!r}")
    return meta


def _npz(path: Path, data: bytes) -> dict[str, np.ndarray]:
    """The arrays of an ``.npz`` held in memory: plain arrays only, their unpacked size bounded."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            if sum(i.file_size for i in zf.infolist()) > MAX_ARRAY_BYTES:
                raise ModelError(f"{path}: unpacks to more than {MAX_ARRAY_BYTES >> 20} MiB")
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}
    except ModelError:
        raise
    except Exception as exc:  # noqa: BLE001 - a pickle, an object array, a broken zip: not a model file
        raise ModelError(f"{path}: not a plain array file ({type(exc).__name__}: "
                         f"{str(exc).splitlines()[0][:80] if str(exc) else ''})") from None
    for k, a in arrays.items():
        if a.dtype.kind not in "biuf":
            raise ModelError(f"{path}: array {k} has type {a.dtype}, not numbers")
    return arrays


@lru_cache(maxsize=8)
def _load_cached(path: str, stamp: tuple) -> Model:
    from .scoring import Scorer

    d = Path(path)
    meta = read_metadata(d)
    files: dict[str, str] = meta["files"]
    contents: dict[str, bytes] = {}
    for name, digest in files.items():
        f = d / name
        data = _read(f, MAX_FILE_BYTES if name.endswith(".npz") else MAX_JSON_BYTES)
        if hashlib.sha256(data).hexdigest() != digest:
            raise ModelError(f"{f}: does not match the sha256 in metadata.json (changed or damaged)")
        contents[name] = data
    estimators = {}
    for kind in KINDS:
        if f"{kind}.npz" not in contents:
            continue
        if f"{kind}.json" not in contents:
            raise ModelError(f"{d / (kind + '.json')}: missing beside {kind}.npz")
        desc = _json(d / f"{kind}.json", contents[f"{kind}.json"])
        arrays = _npz(d / f"{kind}.npz", contents[f"{kind}.npz"])
        if not isinstance(desc, dict):
            raise ModelError(f"{d / (kind + '.json')}: not the description of an estimator")
        try:
            estimators[kind] = Scorer(desc, arrays)
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelError(f"{d / (kind + '.npz')}: not a valid {kind} estimator ({type(exc).__name__}: "
                             f"{str(exc).splitlines()[0][:80] if str(exc) else ''})") from None
    if not estimators:
        raise ModelError(f"{d}: no estimator files ({', '.join(k + '.npz' for k in KINDS)})")
    return Model(estimators, meta, d, str(meta.get("sha256", "")))


def load_model(path: str | os.PathLike | None = None) -> Model:
    """Load a model directory (default: ``$SOURCECHECK_MODEL`` or the shipped model)."""
    d = resolve_model_dir(path)
    if not d.is_dir():
        raise ModelError(f"model directory not found: {d}")
    meta = d / "metadata.json"
    try:
        st = meta.stat()
        stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
    except OSError:
        stamp = ()
    return _load_cached(str(d.resolve()), stamp)


# writing ---------------------------------------------------------------------------------------------
def npz_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    """An ``.npz`` as ``numpy.savez`` writes it (stored, not deflated: loading it is then a copy, and a wheel
    compresses it anyway), with fixed member dates so that equal arrays give equal bytes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as zf:
        for name in sorted(arrays):
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED
            member = io.BytesIO()
            np.lib.format.write_array(member, np.ascontiguousarray(arrays[name]), allow_pickle=False)
            zf.writestr(info, member.getvalue())
    return buf.getvalue()


def _scoring_form(est):
    from .scoring import Scorer

    if isinstance(est, Scorer):
        return est
    if hasattr(est, "scorer"):
        return est.scorer()
    raise ModelError(f"cannot save an estimator of type {type(est).__name__}")


def save_model(model: Model, out: str | os.PathLike, overwrite: bool = False,
               card: str | Callable[[dict], str] | None = None) -> Path:
    """Write a model directory whole: built beside ``out``, then moved into place.

    An existing non-empty ``out`` is refused unless ``overwrite``; it is replaced only once the new
    directory is complete, so a writer killed midway leaves the old model as it was.  ``card`` is the
    model card's text, or a function of the final metadata (which then carries the model's sha256).
    """
    from ..atomic import WriteError, new_dir_beside, replace_dir

    d = Path(out)
    if d.exists() and (not d.is_dir() or any(d.iterdir())) and not overwrite:
        raise ModelError(f"{d} exists and is not empty (use --force to replace it)")
    unknown = set(model.estimators) - set(KINDS)
    if unknown:
        raise ModelError(f"no file name for estimators of kind {', '.join(sorted(unknown))}")
    contents: dict[str, bytes] = {}
    for kind in KINDS:  # in the order load_model reads them: the recorded hash is the one a loaded model reports
        if kind in model.estimators:
            desc, arrays = _scoring_form(model.estimators[kind]).to_arrays()
            contents[f"{kind}.npz"] = npz_bytes(arrays)
            contents[f"{kind}.json"] = (json.dumps(desc, indent=1, sort_keys=True) + "\n").encode()
    h = hashlib.sha256()
    for name in contents:
        h.update(contents[name])
    model.sha256 = h.hexdigest()
    meta = {k: v for k, v in model.meta.items() if k not in ("files", "metadata_sha256")}
    meta["format"] = FORMAT
    meta["sha256"] = model.sha256
    if card is not None:
        contents[CARD] = (card(meta) if callable(card) else card).encode("utf-8")
    meta["files"] = {name: hashlib.sha256(data).hexdigest() for name, data in contents.items()}
    meta["metadata_sha256"] = metadata_digest(meta)
    contents["metadata.json"] = (json.dumps(meta, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    try:
        built = new_dir_beside(d)
        try:
            for name, data in contents.items():
                with open(built / name, "wb") as fh:
                    fh.write(data)
                    fh.flush()
                    os.fsync(fh.fileno())
            os.chmod(built, 0o755)
            replace_dir(built, d, overwrite)
        except BaseException:
            import shutil

            shutil.rmtree(built, ignore_errors=True)
            raise
    except WriteError as exc:
        raise ModelError(str(exc)) from None
    except OSError as exc:
        raise ModelError(f"{d}: cannot write ({exc.strerror or exc})") from None
    model.meta = meta
    model.path = d
    _load_cached.cache_clear()
    return d


def library_versions() -> dict[str, str]:
    import importlib.metadata as md

    from .. import __version__

    out = {"sourcecheck": __version__}  # the code that runs, also from a checkout whose install is older
    for pkg in ("scikit-learn", "numpy", "scipy", "lxml"):
        try:
            out[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            pass
    return out
