"""Pages and segments per second: sourcecheck's score and clean beside trafilatura, in one run, on one core.

    OMP_NUM_THREADS=1 .venv/bin/python bench/speed.py [--corpus zyte-aeb] [--limit N] [--repeat 1] [--no-compiled]

Every extractor gets the same raw page bytes, read into memory first, and
is timed on extraction only; the repeats are interleaved (a round runs each
extractor once) and each keeps its best round.  Thread pools are limited to one thread so the
figures are per core.  ``--no-compiled`` times sourcecheck as installed
without a C compiler (the Python block walk and scikit-learn's per-tree
routine).  Prints a Markdown table and writes ``bench/out/speed.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")


def _once(fn, pages) -> float:
    t = time.perf_counter()
    for data in pages:
        try:
            fn(data)
        except Exception:  # noqa: BLE001 - a crash counts as a page done, as in the other benches
            pass
    return time.perf_counter() - t


def _time_all(runs: dict, repeat: int) -> dict:
    """Best time of each run over ``repeat`` rounds; every round runs each extractor once, in turn.

    Interleaved rather than one extractor's repeats after another's: this
    machine's speed drifts within minutes, and a drift then touches every
    extractor alike instead of favouring whichever ran in a fast spell.
    """
    best: dict = {}
    for _ in range(repeat):
        for name, (fn, pages) in runs.items():
            dt = _once(fn, pages)
            best[name] = min(best.get(name, dt), dt)
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default="zyte-aeb")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--batch", type=int, default=32, help="pages per batch for the batched run")
    ap.add_argument("--no-compiled", action="store_true", help="run sourcecheck without its compiled parts")
    args = ap.parse_args()
    if args.no_compiled:
        from sourcecheck import sparse
        from sourcecheck.model import trees
        from sourcecheck.segment import html

        # as where the extensions were not built
        trees.LOOP.disable()
        sparse.PRODUCT.disable()
        html.WALK.disable()

    from sourcecheck import Options, clean, clean_many, load_model, score
    from sourcecheck.corpora import iter_pages

    pages = [p.read() for p in iter_pages(args.corpus)]
    if args.limit:
        pages = pages[: args.limit]
    model = load_model()
    opts = Options(sources=False)
    clean(pages[0], options=opts, model=model)  # warm-up: model load, imports
    n_segments = 0
    for data in pages[:20]:
        try:
            n_segments += len(score(data, options=opts, model=model).segments)
        except Exception:  # noqa: BLE001
            pass
    seg_per_page = n_segments / min(len(pages), 20)
    runs = {  # page by page: one call per page, as trafilatura.extract
        "sourcecheck clean": lambda d: clean(d, options=opts, model=model),
        "sourcecheck score (with sources)": lambda d: score(d, model=model),
    }
    batch_runs = {
        # what `sourcecheck clean FILE...` does with a corpus: pages featurized and scored in batches
        f"sourcecheck clean, batches of {args.batch}": lambda ps: sum(
            1 for _ in clean_many(((str(i), d) for i, d in enumerate(ps)), options=opts, model=model,
                                  batch_size=args.batch)),
    }
    try:
        import trafilatura

        trafilatura.extract(pages[0])
        runs["trafilatura 2.3.1"] = lambda d: trafilatura.extract(d, include_comments=False, include_tables=True)
        runs["trafilatura fast"] = lambda d: trafilatura.extract(d, include_comments=False, include_tables=True,
                                                                  fast=True)
    except ImportError:
        print("note: trafilatura not installed (pip install '.[bench]'); compared with nothing", file=sys.stderr)
    timed = {name: (fn, pages) for name, fn in runs.items()}
    timed.update({name: (fn, [pages]) for name, fn in batch_runs.items()})
    res = {}
    for name, secs in _time_all(timed, args.repeat).items():
        res[name] = {"pages": len(pages), "seconds": round(secs, 2), "pages_per_s": round(len(pages) / secs, 1)}
    res["sourcecheck clean"]["segments_per_s"] = round(seg_per_page * res["sourcecheck clean"]["pages_per_s"])
    out = Path(__file__).resolve().parent / "out"
    out.mkdir(exist_ok=True)
    (out / "speed.json").write_text(json.dumps({"corpus": args.corpus, "compiled": not args.no_compiled,
                                                "results": res}, indent=2) + "\n")
    print(f"| extractor ({args.corpus}, {len(pages)} pages, one core) | pages/s | seconds |")
    print("|---|---|---|")
    for name, r in res.items():
        print(f"| {name} | {r['pages_per_s']} | {r['seconds']} |")
    print(f"\nsourcecheck clean: about {res['sourcecheck clean']['segments_per_s']} segments/s "
          f"({seg_per_page:.0f} segments per page)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
