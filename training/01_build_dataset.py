"""Step 01: segment every benchmark page and label its blocks from the ground truth.

    python training/01_build_dataset.py [--shared ../shared]

Writes ``datasets.joblib`` (our own cache of segments and labels, both input
forms) and ``datasets.json`` (counts and corpus hashes) to the work directory.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import joblib  # noqa: E402
from common import corpus_hashes, work_dir, write_json  # noqa: E402

from sourcecheck.corpora import ALL_CORPORA, have_shared  # noqa: E402
from sourcecheck.dataset import build  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=None)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    if not have_shared(args.shared):
        print("error: ../shared/corpora not found (set SOURCECHECK_SHARED)", file=sys.stderr)
        return 1
    t = time.time()
    html_ds, text_ds = build(ALL_CORPORA, args.shared, n_jobs=args.jobs)
    out = work_dir()
    joblib.dump({"html": html_ds, "text": text_ds}, out / "datasets.joblib", compress=3)
    summary = {
        "corpora": list(ALL_CORPORA),
        "corpus_sha256": corpus_hashes(ALL_CORPORA, args.shared),
        "pages": len(html_ds.docs),
        "labels": {ds.mode: dict(Counter(str(x) for x in ds.flat_labels())) for ds in (html_ds, text_ds)},
        "seconds": round(time.time() - t, 1),
    }
    write_json(out / "datasets.json", summary)
    print(f"{summary['pages']} pages -> {out / 'datasets.joblib'} in {summary['seconds']} s")
    print(summary["labels"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
