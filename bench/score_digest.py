"""Score every dev page, as HTML and as plain text, and write what came out: a digest and the raw scores.

    .venv/bin/python bench/score_digest.py --out bench/out/digest-before.npz
    .venv/bin/python bench/score_digest.py --out bench/out/digest-after.npz --compare bench/out/digest-before.npz

For every page of every corpus in ``../shared/corpora`` the page is scored with
``score_html`` and its plain-text rendering (``textify.render_lines``, seed 0)
with ``score_text``, sources off.  The output holds, per input form, every
segment's final and context-free label and its revised and context-free scores
in ``LABELS`` order, and the page boundaries.  The digest is a sha256 over the
labels and the scores rounded to 12 decimals; ``--compare`` reports the largest
score difference and any label that changed against an earlier file.  This is
how a refactoring shows that it changed no label and no score.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from sourcecheck.article import LABELS  # noqa: E402
from sourcecheck.corpora import have_shared, iter_pages  # noqa: E402

CORPORA = ("zyte-aeb", "trafilatura-eval", "readability-tests", "fundus-tests", "postlight-fixtures",
           "htmldate-pages", "wcxb-dev")


def collect(limit: int | None, model_dir: str | None) -> dict[str, np.ndarray]:
    import sourcecheck
    from sourcecheck.pipeline import Options
    from sourcecheck.segment.decode import decode
    from sourcecheck.segment.html import segment_html
    from sourcecheck.textify import render_lines

    model = sourcecheck.load_model(model_dir)
    opts = Options(model=model_dir, sources=False)
    rows: dict[str, dict[str, list]] = {f: {"label": [], "initial_label": [], "scores": [], "initial": [],
                                            "page": [], "name": [], "input": []} for f in ("html", "text")}
    n = 0
    for corpus in CORPORA:
        for k, page in enumerate(iter_pages(corpus)):
            if limit and k >= limit:
                break
            data = page.read()
            html, _ = decode(data)
            try:
                blocks = segment_html(html).segments
                text = render_lines(blocks, [None] * len(blocks), seed=0)[0]
            except Exception:  # noqa: BLE001 - a page without blocks has no text form
                text = None
            for form, inp in (("html", data), ("text", text)):
                if not inp:
                    continue
                try:
                    art = sourcecheck.score(inp, name=page.key, options=opts.with_(kind=form), model=model)
                except Exception as exc:  # noqa: BLE001 - a failing page is part of what is compared
                    rows[form]["name"].append(f"{corpus}/{page.key}!{type(exc).__name__}")
                    rows[form]["input"].append("")
                    continue
                r = rows[form]
                r["name"].append(f"{corpus}/{page.key}")
                r["input"].append(hashlib.sha256(art.text.encode("utf-8", "surrogatepass")).hexdigest()[:16])
                for s in art.segments:
                    r["label"].append(s.label)
                    r["initial_label"].append(s.initial_label)
                    r["scores"].append([s.scores[c] for c in LABELS])
                    r["initial"].append([s.initial_scores[c] for c in LABELS])
                    r["page"].append(len(r["name"]) - 1)
            n += 1
    out = {}
    for form, r in rows.items():
        out[f"{form}_label"] = np.array(r["label"], dtype="U8")
        out[f"{form}_initial_label"] = np.array(r["initial_label"], dtype="U8")
        out[f"{form}_scores"] = np.array(r["scores"], dtype=np.float64).reshape(-1, 3)
        out[f"{form}_initial"] = np.array(r["initial"], dtype=np.float64).reshape(-1, 3)
        out[f"{form}_page"] = np.array(r["page"], dtype=np.int64)
        out[f"{form}_name"] = np.array(r["name"])
        out[f"{form}_input"] = np.array(r["input"])
    out["pages"] = np.array(n)
    return out


def digest(d: dict[str, np.ndarray]) -> str:
    h = hashlib.sha256()
    for key in sorted(d):
        a = d[key]
        if a.dtype.kind == "f":
            a = np.round(a, 12)
        h.update(key.encode())
        h.update(np.ascontiguousarray(a).tobytes() if a.dtype.kind != "U" else "\n".join(a.tolist()).encode())
    return h.hexdigest()


def compare(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> list[str]:
    """Differences page by page; pages whose decoded input changed are counted apart (their scores may differ)."""
    msgs = []
    for form in ("html", "text"):
        names_a, names_b = list(a[f"{form}_name"]), list(b[f"{form}_name"])
        if names_a != names_b:
            msgs.append(f"{form}: the pages differ ({len(names_a)} against {len(names_b)})")
            continue
        pa, pb = a[f"{form}_page"], b[f"{form}_page"]
        ia, ib = a.get(f"{form}_input"), b.get(f"{form}_input")
        same, changed = [], []
        for k in range(len(names_a)):
            ra, rb = np.flatnonzero(pa == k), np.flatnonzero(pb == k)
            if (ia is not None and ib is not None and ia[k] != ib[k]) or len(ra) != len(rb):
                changed.append(k)
            else:
                same.append((ra, rb))
        ra = np.concatenate([r for r, _ in same]) if same else np.zeros(0, int)
        rb = np.concatenate([r for _, r in same]) if same else np.zeros(0, int)
        msgs.append(f"{form}: {len(same)} pages with the same input, {len(changed)} whose decoded input changed")
        for key in ("label", "initial_label"):
            diff = int((a[f"{form}_{key}"][ra] != b[f"{form}_{key}"][rb]).sum())
            msgs.append(f"{form}: {diff} of {len(ra)} segments changed {key}")
        for key in ("scores", "initial"):
            m = float(np.max(np.abs(a[f"{form}_{key}"][ra] - b[f"{form}_{key}"][rb]), initial=0.0))
            msgs.append(f"{form}: largest {key} difference {m:.3g}")
    return msgs


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--compare", type=Path)
    ap.add_argument("--limit", type=int, help="the first N pages of each corpus")
    ap.add_argument("--model", default=None)
    args = ap.parse_args(argv)
    if not have_shared():
        print("shared corpora not found (set SOURCECHECK_SHARED)", file=sys.stderr)
        return 2
    t0 = time.time()
    d = collect(args.limit, args.model)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out, **d)
    print(f"{int(d['pages'])} pages, {len(d['html_label'])} html blocks, {len(d['text_label'])} text lines, "
          f"{time.time() - t0:.0f} s; digest {digest(d)[:16]}")
    if args.compare:
        with np.load(args.compare, allow_pickle=False) as f:
            old = {k: f[k] for k in f.files}
        print(f"against {args.compare.name} (digest {digest(old)[:16]}):")
        for m in compare(old, d):
            print("  " + m)
    return 0


if __name__ == "__main__":
    sys.exit(main())
