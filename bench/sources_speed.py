"""What source detection and notes cost a page, measured in the same run as scoring without them.

    OMP_NUM_THREADS=1 .venv/bin/python bench/sources_speed.py [--corpus zyte-aeb] [--repeat 3] [--limit N]

For every page of the corpus (default: the 113 zyte-aeb dev pages), in one
process and one round after another: ``score(page, sources=False)``,
``score(page, sources=True)``, and ``detect_sources(article)`` alone on the
article of the first call (the page's address from its metadata only; the
garbage collector paused as score() pauses it for a page).  Each
figure keeps its best of ``--repeat`` rounds.  The registry is loaded once
before timing (its one-time load is reported apart).  Prints ms per page.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from pathlib import Path

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", default="zyte-aeb")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--limit", type=int, default=None)
    args = ap.parse_args(argv)

    from sourcecheck import score
    from sourcecheck.corpora import iter_pages
    from sourcecheck.model.store import load_model
    from sourcecheck.pipeline import Options
    from sourcecheck.provenance import detect_sources, load_registry

    pages = [p.read() for p in iter_pages(args.corpus)][: args.limit]
    t = time.perf_counter()
    reg = load_registry()
    from sourcecheck.provenance.detect import _cited_finder, _matcher

    _matcher(reg), _cited_finder(reg)
    t_load = time.perf_counter() - t
    model = load_model(None)
    without, with_ = Options(sources=False), Options(sources=True)
    best = {"without": float("inf"), "with": float("inf"), "detect": float("inf")}
    n_sources = 0
    for _ in range(args.repeat):
        tot = {"without": 0.0, "with": 0.0, "detect": 0.0}
        n_sources = 0
        for data in pages:
            t = time.perf_counter()
            art = score(data, options=without, model=model)
            tot["without"] += time.perf_counter() - t
            t = time.perf_counter()
            score(data, options=with_, model=model)
            tot["with"] += time.perf_counter() - t
            gc.disable()  # as inside score(), which pauses the collector for a page (pipeline.gc_paused)
            t = time.perf_counter()
            n_sources += len(detect_sources(art, reg))
            tot["detect"] += time.perf_counter() - t
            gc.enable()
        for k in best:
            best[k] = min(best[k], tot[k])
    n = len(pages)
    print(f"{args.corpus}: {n} pages, best of {args.repeat} rounds, one process")
    print("| measure | ms a page |\n|---|---|")
    print(f"| score without sources | {1000 * best['without'] / n:.2f} |")
    print(f"| score with sources | {1000 * best['with'] / n:.2f} |")
    print(f"| difference | {1000 * (best['with'] - best['without']) / n:.2f} |")
    print(f"| detect_sources alone (detection and notes) | {1000 * best['detect'] / n:.2f} |")
    print(f"\nregistry load and index (once per process): {1000 * t_load:.0f} ms; "
          f"{n_sources / n:.1f} sources a page")
    return 0


if __name__ == "__main__":
    sys.exit(main())
