"""Source detection measured against independent annotations of real pages.

    .venv/bin/python bench/sources.py [--split tune|test|all] [--no-url] [--show-errors]
                                      [--lang xx] [--corpus NAME] [--fresh] [--model DIR]

``bench/sources_truth.jsonl`` holds one line per dev page of ``../shared/corpora``
(241 pages, 7 corpora, 18 languages), annotated from the page alone by annotators
who had not seen the detector's output: ``{corpus, key, url, lang, is_article,
split, annotator, sources: [{name, role, cue, domain?}], second?}``.  Names are
as the page credits them, not registry ids, so a detection is matched to an
annotation by :func:`match` (normalized name, registry alias, registered
domain, or a close spelling variant; see its docstring).  ``split`` is by site: develop against ``tune``,
report ``test`` separately and never tune rules to a test page.

Each page is scored once with the model (``sources=False``; cached in
``bench/out/sources_articles.pkl`` keyed by the page bytes, ``--fresh`` to
rebuild), then :func:`sourcecheck.provenance.detect_sources` runs on it with the
page's address from the truth file (what a user gives with ``--url``; the
annotators saw it too); ``--no-url`` measures without it.

Output (stdout, Markdown): precision / recall / F1 per role for tune and test,
per language, pages with no publisher, the worst pages; ``bench/out/sources.json``
has the figures and every error.  Only cue strings of at most 40 characters
are printed, never page text.

The older ``bench/provenance.py`` (63 pages, registry ids and offsets) still
runs unchanged; its truth was written with the detector's help, so this file
is the measure of record.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import re
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

from provenance import fmt, prf  # noqa: E402  (bench/provenance.py: the same figures for the older truth)

TRUTH = HERE / "sources_truth.jsonl"
OUT = HERE / "out" / "sources.json"
CACHE = HERE / "out" / "sources_articles.pkl"
ROLES = ("publisher", "wire", "photo", "cited")
TARGET = (0.9, 0.85)
CUE_MAX = 40

# words that only say what sort of outlet a name is: dropped at the end of a name
# ("Getty Images" = "Getty", "New York Times" != "New York magazine": only trailing)
_GENERIC_TAIL = {"images", "image", "photo", "photos", "foto", "fotos", "pictures", "news", "online", "digital",
                 "agency", "newspaper", "magazine", "magazin", "com", "de", "net", "org", "homepage", "website",
                 "group", "inc", "ltd", "llc", "co", "ag", "gmbh", "sa", "tv", "wire", "press", "media",
                 "daily", "newsroom", "staff", "team", "edition"}
_ARTICLES = {"the", "der", "die", "das", "le", "la", "les", "el", "los", "il", "lo", "de", "het", "a", "an"}
_TLD = re.compile(r"\.(?:com|net|org|info|co\.uk|co\.za|co\.jp|com\.[a-z]{2}|[a-z]{2})$")


def short(s: str | None, limit: int = CUE_MAX) -> str:
    s = " ".join((s or "").split())
    return s if len(s) <= limit else s[: limit - 1] + "…"


def fold(s: str) -> str:
    """Case-folded, accents removed, punctuation to spaces."""
    s = unicodedata.normalize("NFKD", s or "")
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    s = s.replace("&", " and ").replace("’", "'")
    return " ".join(re.sub(r"[^\w.]+|_", " ", s).split())


def name_keys(name: str) -> set[str]:
    """Comparable forms of a name: whole, without a leading article, a TLD or trailing generic words,
    and the parts of "Name (Other name)"; each also squeezed without spaces or dots."""
    out: set[str] = set()
    parts = [name]
    m = re.match(r"^(.*?)\s*\((.*)\)\s*$", name or "")
    if m:
        parts += [m.group(1), m.group(2)]
    for p in parts:
        f = fold(p).strip(". ")
        if not f:
            continue
        f = _TLD.sub("", f)
        toks = f.replace(".", " ").split()
        while len(toks) > 1 and toks[0] in _ARTICLES:
            toks = toks[1:]
        while len(toks) > 1 and toks[-1] in _GENERIC_TAIL:
            toks = toks[:-1]
        if toks:
            out.add(" ".join(toks))
            out.add("".join(toks))
    return {k for k in out if len(k) >= 2}


def site(host: str | None) -> str | None:
    from sourcecheck.corpora import site_of

    return site_of(host) if host else None


def detection_keys(d: dict, registry) -> tuple[set[str], set[str]]:
    """Name keys and registered domains of one detection (with its registry entry's aliases)."""
    names = {d.get("name") or ""}
    doms = set(d.get("domains") or ([d["domain"]] if d.get("domain") else []))
    src = registry.get(d.get("source_id") or "") if registry is not None else None
    if src:
        names.add(src.get("name") or "")
        for lst in (src.get("aliases") or {}).values():
            names.update(lst)
        doms.update(src.get("domains") or [])
    keys = set().union(*(name_keys(n) for n in names if n))
    return keys, {s for s in (site(x) for x in doms) if s}


def truth_keys(t: dict) -> tuple[set[str], set[str]]:
    keys = name_keys(t["name"])
    return keys, ({site(t["domain"])} if t.get("domain") else set())


def match(truth: list[dict], found: list[dict], registry) -> tuple[list[tuple[dict, dict]], list[dict], list[dict]]:
    """Pair annotations with detections of the same role.

    A detection matches an annotation when (a) a registered domain of the detection
    (its page host, or its registry entry's domains) equals the annotation's domain,
    or (b) one of their name keys is equal: names are compared case- and
    accent-insensitively, without a leading article, a TLD, or trailing generic
    words ("Getty Images" = "Getty"; "SBNation.com" = "SB Nation"), and the
    detection's registry aliases count ("AP" = "Associated Press"); (c) failing
    both, their squeezed names (no spaces, at least 6 letters) are spelling
    variants (difflib ratio >= 0.85: transliterations such as "Ukrajinska Prawda" /
    "Ukrainska Pravda").  Each annotation and each detection is used at most once,
    name matches first, then domain, then spelling.
    Returns (pairs, unmatched annotations, unmatched detections).
    """
    pairs: list[tuple[dict, dict]] = []
    t_left = list(truth)
    f_left = list(found)
    tk = {id(t): truth_keys(t) for t in truth}
    fk = {id(f): detection_keys(f, registry) for f in found}
    for pass_ in ("name", "domain", "similar"):
        for t in list(t_left):
            for f in f_left:
                if f["role"] != t["role"]:
                    continue
                (tn, td), (fn, fd) = tk[id(t)], fk[id(f)]
                if pass_ == "name":
                    ok = bool(tn & fn)
                elif pass_ == "domain":
                    ok = bool(td and fd and td & fd)
                else:
                    ok = similar(tn, fn)
                if ok:
                    pairs.append((t, f))
                    t_left.remove(t)
                    f_left.remove(f)
                    break
    return pairs, t_left, f_left


def similar(a: set[str], b: set[str], ratio: float = 0.85) -> bool:
    """Spelling variants of one name (transliterations: "Ukrajinska Prawda" / "Ukrainska Pravda")."""
    from difflib import SequenceMatcher

    for x in a:
        for y in b:
            if " " in x or " " in y or min(len(x), len(y)) < 6:
                continue
            if SequenceMatcher(None, x, y).ratio() >= ratio:
                return True
    return False


def load_truth(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def scored_articles(rows: list[dict], model_dir: str | None, fresh: bool) -> dict:
    """The model's segmentation and labels of every page, cached by page bytes."""
    from sourcecheck import score
    from sourcecheck.corpora import iter_pages
    from sourcecheck.model.store import load_model
    from sourcecheck.pipeline import Options

    cache: dict = {}
    if CACHE.exists() and not fresh:
        try:
            cache = pickle.loads(CACHE.read_bytes())
        except Exception:  # noqa: BLE001
            cache = {}
    wanted = {(r["corpus"], r["key"]) for r in rows}
    pages = {}
    for c in sorted({r["corpus"] for r in rows}):
        for p in iter_pages(c):
            if (c, p.key) in wanted:
                pages[(c, p.key)] = p
    model = None
    out = {}
    changed = False
    for key in sorted(wanted):
        p = pages.get(key)
        if p is None:
            print(f"page not found: {key}", file=sys.stderr)
            continue
        data = p.read()
        digest = hashlib.sha256(data).hexdigest()
        hit = cache.get(key)
        if hit and hit[0] == digest:
            out[key] = hit[1]
            continue
        if model is None:
            model = load_model(model_dir)
        art = score(data, name=p.key, options=Options(model=model_dir, sources=False), model=model)
        out[key] = art
        cache[key] = (digest, art)
        changed = True
    if changed:
        CACHE.parent.mkdir(parents=True, exist_ok=True)
        CACHE.write_bytes(pickle.dumps(cache))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--truth", type=Path, default=TRUTH)
    ap.add_argument("--split", default="both", choices=["tune", "test", "both"])
    ap.add_argument("--no-url", action="store_true", help="do not give the page's address to the detector")
    ap.add_argument("--show-errors", action="store_true")
    ap.add_argument("--lang", default=None)
    ap.add_argument("--corpus", default=None)
    ap.add_argument("--fresh", action="store_true", help="re-score the pages (ignore the cache)")
    ap.add_argument("--model", default=None)
    ap.add_argument("--worst", type=int, default=10)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)

    from sourcecheck.corpora import have_shared
    from sourcecheck.provenance import detect_sources, load_registry

    if not have_shared():
        print("shared corpora not found (set SOURCECHECK_SHARED)", file=sys.stderr)
        return 2
    rows = load_truth(args.truth)
    if args.split != "both":
        rows = [r for r in rows if r["split"] == args.split]
    if args.lang:
        rows = [r for r in rows if r["lang"] == args.lang]
    if args.corpus:
        rows = [r for r in rows if r["corpus"] == args.corpus]
    arts = scored_articles(rows, args.model, args.fresh)
    reg = load_registry()

    if arts:  # build the registry's text indexes before timing (once per process)
        detect_sources(next(iter(arts.values())), reg)
    counts: dict[tuple[str, str], Counter] = defaultdict(Counter)  # (split, role)
    by_lang: dict[tuple[str, str, str], Counter] = defaultdict(Counter)  # (split, lang, role)
    errors: list[dict] = []
    per_page: list[dict] = []
    no_pub = Counter()
    t_det = 0.0
    for r in rows:
        art = arts.get((r["corpus"], r["key"]))
        if art is None:
            continue
        t0 = time.perf_counter()
        found = detect_sources(art, reg, url=None if args.no_url else r.get("url"))
        t_det += time.perf_counter() - t0
        found = [d for d in found if d["role"] in ROLES]
        pairs, fns, fps = match(r["sources"], found, reg)
        sp = r["split"]
        for t, _f in pairs:
            counts[(sp, t["role"])]["tp"] += 1
            by_lang[(sp, r["lang"], t["role"])]["tp"] += 1
        for t in fns:
            counts[(sp, t["role"])]["fn"] += 1
            by_lang[(sp, r["lang"], t["role"])]["fn"] += 1
            errors.append({"split": sp, "corpus": r["corpus"], "key": r["key"], "lang": r["lang"], "error": "FN",
                           "role": t["role"], "name": t["name"], "cue": short(t.get("cue"))})
        for f in fps:
            counts[(sp, f["role"])]["fp"] += 1
            by_lang[(sp, r["lang"], f["role"])]["fp"] += 1
            ev = (f.get("evidence") or [{}])[0]
            errors.append({"split": sp, "corpus": r["corpus"], "key": r["key"], "lang": r["lang"], "error": "FP",
                           "role": f["role"], "name": f.get("name"), "source_id": f.get("source_id"),
                           "cue": f"{ev.get('cue')}: {short(ev.get('text'), 32)}"})
        if not any(f["role"] == "publisher" for f in found):
            no_pub[sp] += 1
        per_page.append({"split": sp, "corpus": r["corpus"], "key": r["key"], "lang": r["lang"],
                         "errors": len(fns) + len(fps), "fn": len(fns), "fp": len(fps)})

    splits = [s for s in ("tune", "test") if any(r["split"] == s for r in rows)]
    figures: dict = {}
    lines = [f"Source detection on {len(per_page)} pages of {args.truth.name} "
             f"({'without' if args.no_url else 'with'} the page address); target P ≥ {TARGET[0]}, R ≥ {TARGET[1]}", ""]
    for sp in splits:
        n = sum(1 for p in per_page if p["split"] == sp)
        figures[sp] = {"pages": n, "no_publisher": no_pub[sp], "roles": {}, "langs": {}}
        lines += [f"### {sp}: {n} pages, {no_pub[sp]} without a publisher", "",
                  "| role | precision | recall | F1 | TP | FP | FN | met |", "|---|---|---|---|---|---|---|---|"]
        allc = Counter()
        for role in ROLES:
            c = counts[(sp, role)]
            allc.update(c)
            f = prf(c["tp"], c["fp"], c["fn"])
            figures[sp]["roles"][role] = f
            met = "yes" if (f["precision"] or 0) >= TARGET[0] and (f["recall"] or 0) >= TARGET[1] else "NO"
            lines.append(f"| {role} | {fmt(f['precision'])} | {fmt(f['recall'])} | {fmt(f['f1'])} | {f['tp']} | "
                         f"{f['fp']} | {f['fn']} | {met} |")
        f = prf(allc["tp"], allc["fp"], allc["fn"])
        figures[sp]["roles"]["all"] = f
        lines.append(f"| all | {fmt(f['precision'])} | {fmt(f['recall'])} | {fmt(f['f1'])} | {f['tp']} | "
                     f"{f['fp']} | {f['fn']} | |")
        lines += ["", "| lang | pages | " + " | ".join(f"{r} P/R (n)" for r in ROLES) + " |",
                  "|---|---|" + "---|" * len(ROLES)]
        for lang in sorted({p["lang"] for p in per_page if p["split"] == sp}):
            cells = []
            figures[sp]["langs"][lang] = {}
            for role in ROLES:
                c = by_lang[(sp, lang, role)]
                f = prf(c["tp"], c["fp"], c["fn"])
                figures[sp]["langs"][lang][role] = f
                n_t = c["tp"] + c["fn"]
                cells.append("" if not (n_t or c["fp"]) else f"{fmt(f['precision'])}/{fmt(f['recall'])} ({n_t})")
            npg = sum(1 for p in per_page if p["split"] == sp and p["lang"] == lang)
            lines.append(f"| {lang} | {npg} | " + " | ".join(cells) + " |")
        worst = sorted((p for p in per_page if p["split"] == sp and p["errors"]), key=lambda p: -p["errors"])
        lines += ["", f"worst {sp} pages: " + ", ".join(f"{p['corpus']}/{short(p['key'], 30)} ({p['fp']} FP, {p['fn']} FN)"
                                                      for p in worst[: args.worst]), ""]
    ms = 1000 * t_det / max(1, len(per_page))
    lines.append(f"detection and notes: {ms:.2f} ms a page (mean over {len(per_page)} pages, registry loaded; "
                 "bench/sources_speed.py measures speed properly)")
    print("\n".join(lines))
    if args.show_errors:
        print("\n| split | page | lang | err | role | name | cue |\n|---|---|---|---|---|---|---|")
        for e in sorted(errors, key=lambda e: (e["split"], e["role"], e["error"], e["corpus"], e["key"])):
            print(f"| {e['split']} | {e['corpus']}/{short(e['key'], 36)} | {e['lang']} | {e['error']} | {e['role']} | "
                  f"{short(e['name'], 36)} | {str(e['cue']).replace('|', '/')} |")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"truth": args.truth.name, "url": not args.no_url, "figures": figures,
                                    "errors": errors, "per_page": per_page, "ms_per_page": round(ms, 3)},
                                   indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
