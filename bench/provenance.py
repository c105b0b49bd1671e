"""Source detection measured against hand annotations of real pages.

    .venv/bin/python bench/provenance.py [--limit N] [--show-errors] [--model DIR]
                                          [--truth bench/provenance_truth.jsonl]

``bench/provenance_truth.jsonl`` holds one line per page of ``../shared/corpora``:
``{"corpus", "key", "sources": [{"source_id", "role", "evidence": [{"start",
"end", "cue"}]}]}``.  The offsets point into the decoded page HTML
(``decode(page.read())[0]``) and ``cue`` is the short credit found there (at
most 40 characters); no page text is stored beyond that.  The annotations are
complete per page for the roles they cover (wire and photo credits of the
article itself, and its publisher where the registry knows it), so recall can
be measured.

For every annotated page the script

1. checks that each annotation's offsets still point at its cue in the decoded
   page, and stops with an error listing the ones that do not (a changed
   corpus or decoder would otherwise silently skew the figures);
2. runs ``sourcecheck.score(page_bytes, name=key)`` with the shipped model (or
   ``--model``) and compares the detected ``(source_id, role)`` pairs with the
   annotated ones, per role.

Output: a Markdown table (stdout) with precision, recall, F1 and counts per
role, and ``bench/out/provenance.json`` with the figures and every error
(page, source, role, FP/FN, the rule or annotation cue).  Only short cue
strings are printed or written, never page text.  Roles that no page
annotates (``cited`` unless the truth file has it) are counted but not scored.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from sourcecheck.corpora import have_shared, iter_pages  # noqa: E402
from sourcecheck.segment.decode import decode  # noqa: E402

TRUTH = HERE / "provenance_truth.jsonl"
OUT = HERE / "out" / "provenance.json"
ROLES = ("wire", "photo", "publisher", "cited")
CUE_MAX = 40
TARGET = {"wire": (0.9, 0.8), "photo": (0.9, 0.8)}  # (precision, recall) the issue asks for


def short(s: str | None, limit: int = CUE_MAX) -> str:
    s = " ".join((s or "").split())
    return s if len(s) <= limit else s[: limit - 1] + "…"


def load_truth(path: Path) -> list[dict]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            d = json.loads(line)
            d["_line"] = n
            rows.append(d)
    return rows


def page_index(corpora: set[str]) -> dict[tuple[str, str], object]:
    return {(c, p.key): p for c in sorted(corpora) for p in iter_pages(c)}


def check_offsets(row: dict, html: str) -> list[str]:
    """Problems with one page's annotations (empty when every offset points at its cue)."""
    bad = []
    for s in row["sources"]:
        for e in s["evidence"]:
            cue = e["cue"]
            if len(cue) > CUE_MAX:
                bad.append(f"{row['key']}: cue longer than {CUE_MAX} chars ({s['source_id']}/{s['role']})")
            if html[e["start"]:e["end"]] != cue:
                bad.append(f"{row['key']}: offsets {e['start']}:{e['end']} do not point at cue {cue!r} "
                           f"({s['source_id']}/{s['role']})")
    return bad


def prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else None
    r = tp / (tp + fn) if tp + fn else None
    f = 2 * p * r / (p + r) if p and r else (0.0 if p is not None and r is not None else None)
    return {"precision": p, "recall": r, "f1": f, "tp": tp, "fp": fp, "fn": fn}


def fmt(x: float | None) -> str:
    return "–" if x is None else f"{x:.3f}"


def detection_cues(d: dict) -> str:
    """The rules that fired and their matched credit, shortened: e.g. ``photo_credit: Foto: X/dpa``."""
    parts = []
    for e in d.get("evidence") or []:
        parts.append(f"{e.get('cue')}: {short(e.get('text'), 32)}" if e.get("text") else str(e.get("cue")))
    return "; ".join(dict.fromkeys(parts))[:120]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--truth", type=Path, default=TRUTH)
    ap.add_argument("--limit", type=int, default=None, help="only the first N annotated pages")
    ap.add_argument("--show-errors", action="store_true", help="list every FP/FN (page, source, role, cue)")
    ap.add_argument("--model", default=None, help="model directory (default: the shipped model)")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)

    if not have_shared():
        print("shared corpora not found (set SOURCECHECK_SHARED)", file=sys.stderr)
        return 2
    rows = load_truth(args.truth)
    if args.limit:
        rows = rows[: args.limit]
    pages = page_index({r["corpus"] for r in rows})

    # 1. the annotations still point into the pages
    problems, htmls = [], {}
    for r in rows:
        p = pages.get((r["corpus"], r["key"]))
        if p is None:
            problems.append(f"{r['corpus']}/{r['key']}: page not found")
            continue
        data = p.read()
        htmls[(r["corpus"], r["key"])] = data
        problems += check_offsets(r, decode(data)[0])
    if problems:
        print("ANNOTATION OFFSETS DO NOT MATCH THE PAGES:", file=sys.stderr)
        for msg in problems:
            print("  " + msg, file=sys.stderr)
        return 3

    # 2. detection vs annotation
    from sourcecheck import score
    from sourcecheck.model.store import ModelError, load_model
    from sourcecheck.pipeline import Options

    try:
        model = load_model(args.model)
    except ModelError as exc:
        print(f"offsets OK for {len(rows)} pages; no model to score with: {exc}", file=sys.stderr)
        return 4
    options = Options(model=args.model)
    annotated_roles = {s["role"] for r in rows for s in r["sources"]}
    counts = {role: Counter() for role in ROLES}
    errors: list[dict] = []
    per_page = []
    t0 = time.time()
    for r in rows:
        key = (r["corpus"], r["key"])
        art = score(htmls[key], name=r["key"], options=options, model=model)
        truth = {(s["source_id"], s["role"]): s for s in r["sources"]}
        found = {(d["source_id"], d["role"]): d for d in (art.sources or [])}
        page_err = 0
        for pair in sorted(set(truth) | set(found)):
            sid, role = pair
            if role not in ROLES:
                continue
            if pair in truth and pair in found:
                counts[role]["tp"] += 1
            elif pair in found:
                counts[role]["fp"] += 1
                if role in annotated_roles:
                    page_err += 1
                    errors.append({"corpus": r["corpus"], "key": r["key"], "source_id": sid, "role": role,
                                   "error": "FP", "cue": detection_cues(found[pair])})
            else:
                counts[role]["fn"] += 1
                page_err += 1
                other = [ro for (s2, ro) in found if s2 == sid]
                errors.append({"corpus": r["corpus"], "key": r["key"], "source_id": sid, "role": role,
                               "error": "FN", "cue": "; ".join(short(e["cue"]) for e in truth[pair]["evidence"]),
                               "detected_as": other})
        per_page.append({"corpus": r["corpus"], "key": r["key"], "errors": page_err})
    seconds = time.time() - t0

    figures = {}
    for role in ROLES:
        c = counts[role]
        figures[role] = {**prf(c["tp"], c["fp"], c["fn"]), "annotated": role in annotated_roles}
    allc = Counter()
    for role in ("wire", "photo"):
        allc.update(counts[role])
    figures["wire+photo"] = {**prf(allc["tp"], allc["fp"], allc["fn"]), "annotated": True}

    lines = [f"Source detection on {len(rows)} annotated pages ({args.truth.name}), "
             f"model {model.info().get('name')} {model.info().get('version')}",
             "", "| role | precision | recall | F1 | TP | FP | FN | target P/R | met |",
             "|---|---|---|---|---|---|---|---|---|"]
    for role in ("wire", "photo", "wire+photo", "publisher", "cited"):
        f = figures[role]
        if not f["annotated"]:
            lines.append(f"| {role} | (not annotated) | | | | {f['fp'] + f['tp']} detected | | | |")
            continue
        tgt = TARGET.get(role)
        met = ""
        if tgt:
            met = "yes" if (f["precision"] or 0) >= tgt[0] and (f["recall"] or 0) >= tgt[1] else "NO"
        lines.append(f"| {role} | {fmt(f['precision'])} | {fmt(f['recall'])} | {fmt(f['f1'])} | {f['tp']} | "
                     f"{f['fp']} | {f['fn']} | {'%.1f/%.1f' % tgt if tgt else ''} | {met} |")
    lines.append("")
    lines.append(f"{len(errors)} errors on {sum(1 for p in per_page if p['errors'])} pages; {seconds:.1f} s")
    print("\n".join(lines))
    if args.show_errors and errors:
        print("\n| page | source | role | error | cue |\n|---|---|---|---|---|")
        for e in errors:
            extra = f" (found as {', '.join(e['detected_as'])})" if e.get("detected_as") else ""
            print(f"| {e['corpus']}/{short(e['key'], 48)} | {e['source_id']} | {e['role']} | {e['error']} | "
                  f"{e['cue'].replace('|', '/')}{extra} |")

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"pages": len(rows), "truth": str(args.truth.name), "figures": figures,
                                    "target": TARGET, "errors": errors, "per_page": per_page,
                                    "seconds": round(seconds, 1)}, indent=2, ensure_ascii=False) + "\n",
                        encoding="utf-8")
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
