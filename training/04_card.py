"""Step 04: refresh a model directory's metadata and card from the latest cross-validation figures.

    python training/04_card.py --model src/sourcecheck/models/default

Step 03 reads the figures of step 02 when it finishes fitting; when step 02
finished later (they may run side by side), this step writes them in
without refitting.  The estimator files are not touched, so their sha256
stays the same.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import work_dir  # noqa: E402

from sourcecheck.model.card import model_card  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", required=True)
    args = ap.parse_args()
    d = Path(args.model)
    meta_path = d / "metadata.json"
    if not meta_path.exists():
        print(f"error: {d} is not a model directory", file=sys.stderr)
        return 1
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    wd = work_dir()
    cv = {m: json.loads((wd / f"cv-{m}.json").read_text()) for m in ("html", "text") if (wd / f"cv-{m}.json").exists()}
    if not cv:
        print(f"error: no cv-*.json in {wd} (run training/02_crossval.py)", file=sys.stderr)
        return 1
    meta["cross_validation"] = cv
    meta_path.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (d / "MODEL_CARD.md").write_text(model_card(meta), encoding="utf-8")
    print(f"updated {meta_path} with cross-validation figures for {', '.join(sorted(cv))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
