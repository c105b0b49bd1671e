"""Per-page error analysis of one extractor's cached outputs.

    .venv/bin/python bench/errors.py [--extractor sourcecheck-cv] [--corpora C ...]
                                     [--pages N] [--spans K] [--words 12] [--save]

Reads ``bench/out/<extractor>/<corpus>.jsonl`` (written by run_extraction.py,
or by the training step for ``sourcecheck-cv``), scores each page with its
corpus's metric and prints, grouped by corpus and then by page language,
the worst pages first with:

- Zyte-metric corpora: the page's F1 / P / R and its longest *missing* spans
  (runs of true-text tokens none of whose 4-token shingles the output has)
  and longest *wrongly kept* spans (runs of output tokens with no shingle in
  the true text), each cut to a short token window;
- trafilatura-eval: the page's snippet F1 and the ``with`` snippets it
  missed / ``without`` snippets it kept, cut the same way.

The language is the ``<html lang>`` attribute, else py3langid's guess (if
installed).  Output goes to stdout, or with ``--save`` also to
``bench/out/errors-<extractor>.txt``.  Both hold third-party text and are
never committed (bench/out is git-ignored).
"""

from __future__ import annotations

import argparse
import io
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

import extractors as ex  # noqa: E402
from run_extraction import OUT, SNIPPET_CORPORA, cache_path, corpus_pages, read_cache  # noqa: E402
from sourcecheck.corpora import MAIN_TEXT_CORPORA  # noqa: E402
from sourcecheck.metrics import NGRAM_N, shingles, snippet_page_counts, tokenize, zyte_scores  # noqa: E402


def uncovered_runs(tokens: list[str], other: set, n: int = NGRAM_N) -> list[tuple[int, int]]:
    """Maximal runs ``(start, end)`` of ``tokens`` covered by no n-shingle that is in ``other``."""
    covered = [False] * len(tokens)
    if len(tokens) < n:
        if tuple(tokens) in other:
            covered = [True] * len(tokens)
    else:
        for i in range(len(tokens) - n + 1):
            if tuple(tokens[i:i + n]) in other:
                for j in range(i, i + n):
                    covered[j] = True
    runs, start = [], None
    for i, c in enumerate(covered + [True]):
        if not c and start is None:
            start = i
        elif c and start is not None:
            runs.append((start, i))
            start = None
    return sorted(runs, key=lambda r: r[0] - r[1])  # longest first


def window(words: list[str], max_words: int) -> str:
    """At most ``max_words`` words, with the count of those left out."""
    if len(words) <= max_words:
        return " ".join(words)
    return " ".join(words[:max_words]) + f" … (+{len(words) - max_words} words)"


def page_lang(page, truth_text: str | None) -> str:
    try:
        lang = ex.html_lang(page.read())
    except OSError:
        lang = None
    return lang or ex.text_lang(truth_text or "") or "?"


def analyse_zyte(pages, texts, args) -> list[dict]:
    truth = {p.key: p.body for p in pages}
    per = zyte_scores(texts, truth, bootstrap=0)["per_page"]
    out = []
    for p in pages:
        t_tok, p_tok = tokenize(p.body), tokenize(texts.get(p.key))
        t_sh, p_sh = set(shingles(p.body)), set(shingles(texts.get(p.key)))
        missing = [window(t_tok[a:b], args.words) for a, b in uncovered_runs(t_tok, p_sh)[:args.spans]]
        kept = [window(p_tok[a:b], args.words) for a, b in uncovered_runs(p_tok, t_sh)[:args.spans]]
        pp = per[p.key]
        out.append({"key": p.key, "f1": pp["f1"] if pp["f1"] is not None else 1.0,
                    "detail": f"P {_f(pp['p'])} R {_f(pp['r'])}  tokens true {len(t_tok)} / out {len(p_tok)}",
                    "missing": missing, "kept": kept, "lang": page_lang(p, p.body)})
    return out


def analyse_snippets(pages, texts, args) -> list[dict]:
    from sourcecheck.metrics import normalize_ws
    out = []
    for p in pages:
        text = texts.get(p.key)
        c = snippet_page_counts(text, p.with_snippets, p.without_snippets)
        d = 2 * c["tp"] + c["fp"] + c["fn"]
        norm = normalize_ws(text)
        missing = [window(normalize_ws(s).split(), args.words) for s in p.with_snippets
                   if s is not None and normalize_ws(s) not in norm][:args.spans]
        kept = [window(normalize_ws(s).split(), args.words) for s in p.without_snippets
                if s is not None and normalize_ws(s) in norm][:args.spans]
        out.append({"key": p.key, "f1": 2 * c["tp"] / d if d else 1.0,
                    "detail": "TP {tp} FN {fn} FP {fp} TN {tn}".format(**c),
                    "missing": missing, "kept": kept,
                    "lang": page_lang(p, " ".join(s for s in p.with_snippets if s))})
    return out


def _f(x):
    return "–" if x is None else f"{x:.2f}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--extractor", default=ex.SOURCECHECK_CV)
    ap.add_argument("--corpora", nargs="+", default=list(MAIN_TEXT_CORPORA), choices=MAIN_TEXT_CORPORA)
    ap.add_argument("--pages", type=int, default=15, help="worst pages shown per corpus and language (0: all)")
    ap.add_argument("--spans", type=int, default=3, help="spans shown per kind per page")
    ap.add_argument("--words", type=int, default=12, help="words per span at most")
    ap.add_argument("--all-pages", action="store_true", help="also list pages with F1 = 1")
    ap.add_argument("--save", action="store_true", help="also write bench/out/errors-<extractor>.txt")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)

    buf = io.StringIO()

    def emit(line=""):
        print(line)
        buf.write(line + "\n")

    for corpus in args.corpora:
        rows = read_cache(cache_path(args.extractor, corpus, args.out))
        if not rows:
            emit(f"## {corpus}: no outputs for {args.extractor} in {cache_path(args.extractor, corpus, args.out)}\n")
            continue
        pages = [p for p in corpus_pages(corpus) if p.key in rows]
        texts = {k: r.get("text") or "" for k, r in rows.items()}
        analyse = analyse_snippets if corpus in SNIPPET_CORPORA else analyse_zyte
        results = analyse(pages, texts, args)
        by_lang: dict[str, list[dict]] = defaultdict(list)
        for r in results:
            by_lang[r["lang"]].append(r)
        mean = sum(r["f1"] for r in results) / len(results) if results else 0.0
        emit(f"## {corpus} — {args.extractor}: {len(results)} pages, mean page F1 {mean:.3f}")
        emit("   by language: " + ", ".join(
            f"{lang} {len(rs)}p {sum(r['f1'] for r in rs) / len(rs):.3f}"
            for lang, rs in sorted(by_lang.items(), key=lambda kv: -len(kv[1]))))
        emit()
        for lang, rs in sorted(by_lang.items(), key=lambda kv: -len(kv[1])):
            rs = sorted(rs, key=lambda r: r["f1"])
            if not args.all_pages:
                rs = [r for r in rs if r["f1"] < 1.0]
            if args.pages:
                rs = rs[:args.pages]
            if not rs:
                continue
            emit(f"### {corpus} / {lang}")
            for r in rs:
                emit(f"- {r['key']}  F1 {r['f1']:.3f}  {r['detail']}")
                for s in r["missing"]:
                    emit(f"    missing: {s}")
                for s in r["kept"]:
                    emit(f"    kept:    {s}")
            emit()
    if args.save:
        path = args.out / f"errors-{args.extractor}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(buf.getvalue(), encoding="utf-8")
        print(f"(written to {path})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
