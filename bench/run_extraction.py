"""Score main-text extractors on the benchmark corpora.

    .venv/bin/python bench/run_extraction.py [--corpora C ...] [--extractors E ...]
                                             [--limit N] [--refresh] [--bootstrap 1000]

For each corpus and extractor the page texts are computed (or read from the
cache ``bench/out/<extractor>/<corpus>.jsonl``, lines ``{"key","text","seconds"}``),
scored with the corpus's own metric (see ``sourcecheck.metrics``), and
written to ``bench/out/extraction.json``; a Markdown table goes to stdout.

- zyte-aeb, readability-tests, fundus-tests: Zyte token-shingle metric against
  the page's ``articleBody`` (pages without one are skipped).
- trafilatura-eval: trafilatura's snippet metric.

sourcecheck enters from two optional places: out-of-fold predictions in
``bench/out/sourcecheck-cv/<corpus>.jsonl`` (lines ``{"key","text"}``,
scored only), and a live run of ``sourcecheck.clean`` with the shipped model
(scored and timed; recomputed every run unless ``--reuse-sourcecheck``,
since the model changes).
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

import extractors as ex  # noqa: E402
from sourcecheck.corpora import MAIN_TEXT_CORPORA, iter_pages  # noqa: E402
from sourcecheck.metrics import snippet_scores, zyte_scores  # noqa: E402

OUT = HERE / "out"
SNIPPET_CORPORA = {"trafilatura-eval"}


def corpus_pages(corpus: str, limit: int | None = None) -> list:
    """The scored pages of a corpus: with a body for the Zyte-metric corpora, first ``limit``."""
    pages = [p for p in iter_pages(corpus)
             if corpus in SNIPPET_CORPORA or p.body is not None]
    return pages[:limit] if limit else pages


def cache_path(extractor: str, corpus: str, out: Path = OUT) -> Path:
    return out / extractor / f"{corpus}.jsonl"


def read_cache(path: Path) -> dict[str, dict]:
    """key -> {"key","text","seconds",...}; empty if the file is missing. Later lines win."""
    rows: dict[str, dict] = {}
    if not path.exists():
        return rows
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if line:
                d = json.loads(line)
                rows[d["key"]] = d
    return rows


def write_cache(path: Path, rows: dict[str, dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".jsonl.tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        for d in rows.values():
            fh.write(json.dumps(d, ensure_ascii=False) + "\n")
    tmp.replace(path)


def run_extractor(extractor: ex.Extractor, corpus: str, pages: list, refresh: bool,
                  out: Path = OUT, log=sys.stderr) -> dict[str, dict]:
    """Texts and timings for ``pages``: cached rows reused unless ``refresh``; new rows cached."""
    path = cache_path(extractor.name, corpus, out)
    rows = {} if refresh else read_cache(path)
    todo = [p for p in pages if p.key not in rows]
    if todo:
        extractor.warm_up()
        t_start = time.perf_counter()
        for i, page in enumerate(todo, 1):
            html = page.read()
            error = None
            t0 = time.perf_counter()
            try:
                text = extractor(html)
            except Exception as err:  # a crash counts as empty output
                text, error = "", f"{type(err).__name__}: {err}"[:300]
            secs = time.perf_counter() - t0
            row = {"key": page.key, "text": text, "seconds": secs}
            if error:
                row["error"] = error
            rows[page.key] = row
            if i % 100 == 0:
                print(f"  {extractor.name} {corpus}: {i}/{len(todo)} "
                      f"({time.perf_counter() - t_start:.0f}s)", file=log, flush=True)
        # keep the cache in corpus page order, then any extra keys
        order = {p.key: i for i, p in enumerate(iter_pages(corpus))}
        rows = dict(sorted(rows.items(), key=lambda kv: order.get(kv[0], len(order))))
        write_cache(path, rows)
    return {p.key: rows[p.key] for p in pages if p.key in rows}


_LANGS: dict[tuple[str, str], str] = {}


def page_lang(p) -> str:
    """The language of a page's ground truth (its body, or its must-have snippets)."""
    key = (p.corpus, p.key)
    if key not in _LANGS:
        import py3langid

        text = (p.body or " ".join(p.with_snippets))[:3000]
        _LANGS[key] = py3langid.classify(text)[0] if text.strip() else "und"
    return _LANGS[key]


MIN_LANG_PAGES = 5


def by_language(corpus: str, pages: list, texts: dict[str, str]) -> dict:
    """The corpus's metric per language of the pages, for languages with at least MIN_LANG_PAGES pages."""
    groups: dict[str, list] = {}
    for p in pages:
        groups.setdefault(page_lang(p), []).append(p)
    out = {}
    for lang, ps in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        if len(ps) < MIN_LANG_PAGES:
            continue
        s = _metric(corpus, ps, {p.key: texts.get(p.key, "") for p in ps}, 0)
        out[lang] = {"pages": len(ps), "f1": round(s["f1"], 4), "precision": round(s["precision"], 4),
                     "recall": round(s["recall"], 4)}
    return out


def score(corpus: str, pages: list, texts: dict[str, str], bootstrap: int) -> dict:
    """The corpus's own metric over all pages, with the per-language figures under ``by_lang``."""
    s = _metric(corpus, pages, texts, bootstrap)
    s["by_lang"] = by_language(corpus, pages, texts)
    return s


def _metric(corpus: str, pages: list, texts: dict[str, str], bootstrap: int) -> dict:
    if corpus in SNIPPET_CORPORA:
        s = snippet_scores(texts, pages)
        s["metric"] = "snippets"
    else:
        s = zyte_scores({p.key: texts.get(p.key, "") for p in pages}, {p.key: p.body for p in pages},
                        bootstrap=bootstrap)
        s["metric"] = "zyte-shingles"
    s.pop("per_page", None)
    return s


def timing(rows: dict[str, dict]) -> dict:
    secs = [r["seconds"] for r in rows.values() if r.get("seconds") is not None]
    if not secs:
        return {}
    total = sum(secs)
    secs.sort()
    return {"seconds_total": total, "pages_timed": len(secs),
            "pages_per_s": len(secs) / total if total > 0 else None,
            "seconds_median": secs[len(secs) // 2], "seconds_max": secs[-1]}


def _fmt(x, spec=".3f"):
    return "–" if x is None else format(x, spec)


def markdown(results: dict, corpora: list[str]) -> str:
    head = ["extractor"] + [f"{c} F1 / P / R" for c in corpora] + ["pages/s (all)"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name, per in results.items():
        cells = [ex.LABELS.get(name, name)]
        n = t = 0.0
        for c in corpora:
            s = per.get(c)
            if not s:
                cells.append("–")
                continue
            cells.append(f"{_fmt(s['f1'])} / {_fmt(s['precision'])} / {_fmt(s['recall'])}")
            if s.get("seconds_total"):
                n += s["pages_timed"]
                t += s["seconds_total"]
        cells.append(f"{n / t:.1f}" if t else "–")
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "| extractor | " + " | ".join(f"{c} pages/s" for c in corpora) + " |",
              "|" + "---|" * (len(corpora) + 1)]
    for name, per in results.items():
        cells = [ex.LABELS.get(name, name)]
        for c in corpora:
            s = per.get(c) or {}
            cells.append(_fmt(s.get("pages_per_s"), ".1f"))
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "Per language of the page (languages with at least "
              f"{MIN_LANG_PAGES} pages), F1:", ""]
    for c in corpora:
        langs: list[str] = []
        for per in results.values():
            for lang in (per.get(c) or {}).get("by_lang", {}):
                if lang not in langs:
                    langs.append(lang)
        if not langs:
            continue
        first = next(iter(results.values())).get(c, {}).get("by_lang", {})
        lines += [f"| {c} | " + " | ".join(f"{lang} ({first.get(lang, {}).get('pages', '?')})" for lang in langs) + " |",
                  "|" + "---|" * (len(langs) + 1)]
        for name, per in results.items():
            bl = (per.get(c) or {}).get("by_lang", {})
            lines.append(f"| {ex.LABELS.get(name, name)} | " + " | ".join(_fmt(bl.get(lang, {}).get("f1")) for lang in langs) + " |")
        lines.append("")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpora", nargs="+", default=list(MAIN_TEXT_CORPORA), choices=MAIN_TEXT_CORPORA)
    ap.add_argument("--extractors", nargs="+",
                    default=list(ex.COMPETITORS) + [ex.SOURCECHECK_LIVE, ex.SOURCECHECK_CV],
                    help="names among: " + ", ".join(ex.LABELS))
    ap.add_argument("--limit", type=int, default=None, help="first N pages per corpus (quick run)")
    ap.add_argument("--refresh", action="store_true", help="recompute cached outputs")
    ap.add_argument("--reuse-sourcecheck", action="store_true",
                    help="reuse cached live sourcecheck outputs instead of rerunning the model")
    ap.add_argument("--bootstrap", type=int, default=1000, help="page resamples for the F1 std")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)

    unknown = [e for e in args.extractors if e not in ex.LABELS]
    if unknown:
        ap.error(f"unknown extractors: {unknown}")

    pages = {c: corpus_pages(c, args.limit) for c in args.corpora}
    results: dict[str, dict] = {}
    skipped: dict[str, str] = {}
    for name in args.extractors:
        if name == ex.SOURCECHECK_CV:
            per = {}
            for c in args.corpora:
                rows = read_cache(cache_path(name, c, args.out))
                if not rows:
                    continue
                texts = {k: r.get("text") or "" for k, r in rows.items()}
                s = score(c, pages[c], texts, args.bootstrap)
                s["pages_predicted"] = sum(1 for p in pages[c] if p.key in rows)
                per[c] = s
            if per:
                results[name] = per
            else:
                skipped[name] = "no out-of-fold predictions in " + str(args.out / name)
            continue
        extractor = ex.make(name)
        if extractor is None:
            skipped[name] = "not available (library not installed / sourcecheck.clean missing)"
            print(f"skip {name}: {skipped[name]}", file=sys.stderr)
            continue
        refresh = args.refresh or (name == ex.SOURCECHECK_LIVE and not args.reuse_sourcecheck)
        per = {}
        for c in args.corpora:
            print(f"{name} on {c} ({len(pages[c])} pages)", file=sys.stderr, flush=True)
            rows = run_extractor(extractor, c, pages[c], refresh, args.out)
            s = score(c, pages[c], {k: r["text"] for k, r in rows.items()}, args.bootstrap)
            s.update(timing(rows))
            s["crashes"] = sum(1 for r in rows.values() if r.get("error"))
            per[c] = s
        results[name] = per

    versions = {}
    for mod in ("trafilatura", "justext", "readability", "lxml"):
        try:
            from importlib.metadata import version
            versions[mod] = version({"readability": "readability-lxml", "justext": "jusText"}.get(mod, mod))
        except Exception:
            pass
    report = {
        "meta": {"date": time.strftime("%Y-%m-%d %H:%M:%S"), "python": platform.python_version(),
                 "machine": platform.machine(), "limit": args.limit, "bootstrap": args.bootstrap,
                 "versions": versions, "corpora": {c: len(pages[c]) for c in args.corpora},
                 "skipped": skipped,
                 "timing": "seconds of extraction only (after reading the bytes), one process, per page"},
        "results": results,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "extraction.json").write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
    print(markdown(results, args.corpora))
    notes = []
    for name, per in results.items():
        for c, st in per.items():
            if st.get("crashes"):
                notes.append(f"{name} crashed on {st['crashes']} {c} pages (scored as empty)")
            if "pages_predicted" in st and st["pages_predicted"] < st["pages"]:
                notes.append(f"{name} has predictions for {st['pages_predicted']} of {st['pages']} {c} pages "
                             "(the rest scored as empty)")
    if notes:
        print("\n" + "\n".join("note: " + n for n in notes))
    if skipped:
        print("\nskipped: " + "; ".join(f"{k}: {v}" for k, v in skipped.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
