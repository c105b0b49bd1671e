"""Step 03: fit both models on every labelled page and write the model directory.

    python training/03_train.py [--out DIR] [--force] [--jobs 2] [--fitted DIR]

Default output: a new directory under ``$SOURCECHECK_HOME/models``
(``~/.local/share/sourcecheck/models/corpora-<date>``); ``--out
src/sourcecheck/weights/default --force`` replaces the shipped model.  The
model card and ``metadata.json`` carry the cross-validated figures of step 02
(``cv-html.json``, ``cv-text.json`` in the work directory), the corpus hashes
of step 01 and the library versions.  The model directory holds the scoring
form (arrays and JSON, ``sourcecheck.model.store``); the fitted scikit-learn
estimators are kept as skops files in ``--fitted`` (default: the work
directory's ``fitted/``), the training artefacts from which the scoring form
can be made again and against which tests check it.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import joblib  # noqa: E402
from common import SEED, work_dir  # noqa: E402

from sourcecheck import __version__  # noqa: E402
from sourcecheck.features import featurize  # noqa: E402
from sourcecheck.model.card import model_card  # noqa: E402
from sourcecheck.model.estimator import SegmentClassifier  # noqa: E402
from sourcecheck.model.store import Model, ModelError, library_versions, save_model, user_model_root  # noqa: E402


def fit(ds, mode: str) -> SegmentClassifier:
    """One estimator (fitted on one thread, as ``SegmentClassifier.fit`` always is)."""
    t = time.time()
    table = featurize(ds.docs, mode)
    y = ["" if v is None else v for v in ds.flat_labels()]
    est = SegmentClassifier(mode=mode, random_state=SEED).fit(table, y, groups=ds.groups())
    print(f"[{mode}] fitted on {len(ds.docs)} pages in {time.time() - t:.0f} s", flush=True)
    return est


def save_fitted(estimators: dict, meta: dict, folder: Path) -> None:
    """The fitted estimators as skops files (read back by ``sourcecheck.model.old.format1``), with the metadata."""
    import skops.io as sio

    folder.mkdir(parents=True, exist_ok=True)
    for kind, est in estimators.items():
        tmp = folder / f".{kind}.skops.tmp"
        sio.dump(est, tmp)
        tmp.replace(folder / f"{kind}.skops")
    (folder / "metadata.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=None)
    ap.add_argument("--force", action="store_true")
    ap.add_argument("--name", default="sourcecheck-corpora")
    ap.add_argument("--only", choices=["html", "text"], default=None,
                    help="fit one input form and take the other from --base")
    ap.add_argument("--base", default=None, help="model directory to take the other form from (with --only)")
    ap.add_argument("--jobs", type=int, default=1, help="fit the two input forms in parallel processes (2)")
    ap.add_argument("--fitted", default=None, help="folder for the fitted estimators as skops files "
                    "(default: <work dir>/fitted; training/fitted for the shipped model)")
    args = ap.parse_args()
    wd = work_dir()
    if not (wd / "datasets.joblib").exists():
        print("error: run training/01_build_dataset.py first", file=sys.stderr)
        return 1
    data = joblib.load(wd / "datasets.joblib")
    summary = json.loads((wd / "datasets.json").read_text())
    estimators = {}
    kept: dict[str, str] = {}
    if args.only:
        if not args.base:
            print("error: --only needs --base", file=sys.stderr)
            return 1
        from sourcecheck.model.store import load_model

        other = "text" if args.only == "html" else "html"
        base = load_model(args.base)
        estimators[other] = base.for_kind(other)
        # the card says which estimator was not refitted, and from which model it came
        kept = {other: base.meta.get("kept_from", {}).get(other) or f"{base.meta.get('name')} {base.meta.get('version')}"}
    modes = [args.only] if args.only else ["html", "text"]
    if args.jobs > 1 and len(modes) > 1:
        from joblib import Parallel, delayed

        fitted = Parallel(n_jobs=min(args.jobs, len(modes)))(delayed(fit)(data[m], m) for m in modes)
    else:
        fitted = [fit(data[m], m) for m in modes]
    estimators.update(zip(modes, fitted))
    # read after fitting, so that step 02 may still be running while the final fit starts
    cv = {m: json.loads((wd / f"cv-{m}.json").read_text()) for m in ("html", "text") if (wd / f"cv-{m}.json").exists()}
    meta = {
        "name": args.name,
        "version": f"{__version__}+{date.today().strftime('%Y%m%d')}",
        "trained": date.today().isoformat(),
        "training_data": {"corpora": summary["corpora"], "sha256": summary["corpus_sha256"],
                          "pages": summary["pages"], "segment_labels": summary["labels"]},
        "cross_validation": cv,
        "random_state": SEED,
        "libraries": library_versions(),
    }
    if kept:
        meta["kept_from"] = kept
    out = Path(args.out) if args.out else user_model_root() / f"corpora-{date.today().isoformat()}"
    model = Model(estimators, meta)
    try:
        save_model(model, out, overwrite=args.force, card=model_card)  # the card names the model's hash
    except ModelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    fitted_dir = Path(args.fitted) if args.fitted else wd / "fitted"
    save_fitted({k: e for k, e in estimators.items() if k in modes}, meta, fitted_dir)
    print(f"model written to {out} (sha256 {model.sha256[:12]}); fitted estimators in {fitted_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
