"""Step 04: refresh a model directory's metadata and card from the latest cross-validation figures.

    python training/04_card.py --model src/sourcecheck/weights/default

Step 03 reads the figures of step 02 when it finishes fitting; when step 02
finished later (they may run side by side), this step writes them in
without refitting.  The model is loaded and written again whole (its
metadata lists the hash of every file, the card's too); the estimator files
come out byte for byte the same, so the model's sha256 stays the same.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import work_dir  # noqa: E402

from sourcecheck.model.card import model_card  # noqa: E402
from sourcecheck.model.store import ModelError, load_model, save_model  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", required=True)
    args = ap.parse_args()
    d = Path(args.model)
    try:
        model = load_model(d)
    except ModelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    wd = work_dir()
    cv = {m: json.loads((wd / f"cv-{m}.json").read_text()) for m in ("html", "text") if (wd / f"cv-{m}.json").exists()}
    if not cv:
        print(f"error: no cv-*.json in {wd} (run training/02_crossval.py)", file=sys.stderr)
        return 1
    model.meta["cross_validation"] = cv
    save_model(model, d, overwrite=True, card=model_card)
    print(f"updated {d} with cross-validation figures for {', '.join(sorted(cv))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
