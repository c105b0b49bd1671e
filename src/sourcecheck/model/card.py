"""The model card: what a model was trained on, how well it does, and where it fails."""

from __future__ import annotations


def _f(x) -> str:
    return "n/a" if x is None else f"{x:.3f}" if isinstance(x, float) else str(x)


def headline_figures(run: dict) -> dict:
    """The figures of one cross-validation run that the evaluation gate pins, by name."""
    out = {"news-vs-chrome": (run.get("revised") or {}).get("news_vs_chrome_macro_f1_chars")}
    out.update({corpus: s.get("f1") for corpus, s in (run.get("extraction") or {}).items()})
    agreed = (run.get("advocacy_on_hand_labels") or {}).get("agreed")
    if agreed:
        out["advocacy precision"], out["advocacy recall"] = agreed.get("precision"), agreed.get("recall")
    return out


def _seed_summary(r: dict) -> str:
    h = headline_figures(r)
    parts = [f"{k} {_f(v)}" for k, v in h.items() if not k.startswith("advocacy")]
    if "advocacy precision" in h:
        parts.append(f"advocacy P {_f(h['advocacy precision'])} / R {_f(h['advocacy recall'])}")
    return f"seed {r.get('seed')}: " + ", ".join(parts)


def model_card(meta: dict) -> str:
    td = meta.get("training_data", {})
    lines = [
        f"# Model card: {meta.get('name')} {meta.get('version')}",
        "",
        "Labels every segment of an article `news`, `chrome` or `advocacy` (see the project's label "
        "guidelines). Two estimators: `html.npz` for HTML blocks, `text.npz` for plain-text lines (NumPy arrays, "
        "described by `html.json` and `text.json`; loading reads arrays and JSON only and checks every file's "
        "sha256 in `metadata.json`). "
        "Each was fitted as a `sourcecheck.model.estimator.SegmentClassifier`: a context-free stage (logistic "
        "regression on hashed character n-grams, word tokens and layout tokens, plus an advocacy head) and a "
        "revise stage (gradient boosting over the out-of-fold scores of each segment, its neighbours and, for "
        "HTML, the other blocks of its parent, grandparent and great-grandparent elements and the other blocks "
        "of the page built alike by its template, and for plain text how far a line's words and character "
        "n-grams are those of the page's news and of its lede, and whether a comment-section heading below the "
        "news or comment bylines stand above it, with the layout "
        "numbers and the class/id words templates use for comments, related links, sharing, navigation, "
        "bylines, promotions and article bodies). "
        "The features are hashed, so the model stores no page text.",
        "",
        f"- trained: {meta.get('trained')}; random state {meta.get('random_state')}",
        f"- sha256 of the estimator files (`.npz` and `.json`): `{meta.get('sha256', 'see metadata.json')}`",
        *(f"- the {kind} estimator was not refitted: it is the one of {src}"
          for kind, src in sorted((meta.get("kept_from") or {}).items())),
        f"- libraries: {', '.join(f'{k} {v}' for k, v in (meta.get('libraries') or {}).items())}",
        "",
    ]
    if "files" in td:  # fitted by `sourcecheck train` on the user's labelled files
        lines += _user_training_data(meta)
    else:
        lines += _corpus_training_data(td)
    cv = meta.get("cross_validation") or {}
    if not cv:
        lines += ["## Cross-validation", "",
                  "None measured: no cross-validation figures were measured for this model, so nothing here says "
                  "how well it labels pages it has not seen. Measure it on held-out labelled documents with "
                  "`sourcecheck evaluate HELD_OUT.jsonl --model DIR`.", ""]
    else:
        lines += _cv_section(cv)
    if "files" in td:
        lines += ["## Limits", "",
                  "- The text model knows only what the labelled files above show it; the HTML model is the base "
                  "model's, with that model's limits (see its card).", ""]
    else:
        lines += ["## Limits", "",
                  "- Trained mostly on German and English pages; other languages get fewer examples.",
                  "- Advocacy training data is small (about 150 segments from about 60 pages) and leans on a few "
                  "outlets; censorship complaints and anti-mainstream self-positioning have few examples.",
                  "- Benchmarks disagree on captions and lists; captions are chrome here, as the guidelines say.",
                  ""]
    return "\n".join(lines)


def _user_training_data(meta: dict) -> list[str]:
    td = meta.get("training_data") or {}
    seg = td.get("segments") or {}
    lines = ["## Training data", "",
             f"The text model was fitted by `sourcecheck train` on {td.get('documents')} labelled documents "
             f"({', '.join(f'{k} {v}' for k, v in seg.items())} segments). The data files and their sha256:", "",
             "| file | sha256 |", "|---|---|"]
    lines += [f"| `{name}` | `{digest}` |" for name, digest in (td.get("files") or {}).items()]
    lines.append("")
    base = meta.get("html_estimator_from") or {}
    if base:
        lines += [f"The HTML model is the one of the base model {base.get('name')} {base.get('version')} "
                  f"(sha256 `{str(base.get('sha256', ''))[:16]}…`), not refitted.", ""]
    for w in td.get("warnings") or []:
        lines += [f"**Warning:** {w}.", ""]
    return lines


def _corpus_training_data(td: dict) -> list[str]:
    lines = [
        "## Training data",
        "",
        "Benchmark pages read in place from the project's shared data (never copied): block labels aligned with "
        "each corpus's ground truth (Zyte `articleBody`, trafilatura's with/without snippets, Readability and "
        "Fundus article bodies; the headline block counts as news), overridden by the hand labels of the "
        "advocacy set. Pages without main-text truth (Postlight, htmldate) contribute only their hand-labelled "
        "segments. The text model trains on the lines of a naive HTML-to-text rendering of the same pages.",
        "",
        f"- pages: {td.get('pages')}",
        "",
        "| corpus | sha256 |",
        "|---|---|",
    ]
    lines += [f"| {k} | `{v[:16]}…` |" for k, v in (td.get("sha256") or {}).items()]
    lines += ["", "Segment labels per input form: " + "; ".join(
        f"{mode}: " + ", ".join(f"{k} {v}" for k, v in sorted(c.items())) for mode, c in (td.get("segment_labels") or {}).items()), ""]
    return lines


def _cv_section(cv: dict) -> list[str]:
    lines: list[str] = []
    if cv:
        lines += ["## Site-grouped cross-validation", "",
                  "All pages of a site fall in one fold, so no page is scored by a model that saw its site's "
                  "template. Regenerate with `python training/02_crossval.py`.", ""]
        for mode, r in cv.items():
            rev, ini = r.get("revised", {}), r.get("initial", {})
            lines += [f"### {mode} ({r.get('pages')} pages, {r.get('folds')} folds)", "",
                      f"News-vs-chrome macro-F1, character-weighted: **{_f(rev.get('news_vs_chrome_macro_f1_chars'))}** "
                      f"(context-free stage alone: {_f(ini.get('news_vs_chrome_macro_f1_chars'))})", "",
                      "| label | precision | recall | F1 | segments |", "|---|---|---|---|---|"]
            if r.get("rescored"):  # saved fold models scored again by newer code, without refitting
                lines[-2:-2] = [f"Scored again, not refitted: {r['rescored']}.", ""]
            if r.get("other_seeds"):
                lines[-2:-2] = [f"The same cross-validation under other seeds (seed {r.get('seed')} above; the evaluation "
                                "gate holds every seed to its floors): "
                                + "; ".join(_seed_summary(o) for o in r["other_seeds"]) + ".", ""]
            for lab, m in (rev.get("per_class_segments") or {}).items():
                lines.append(f"| {lab} | {_f(m['precision'])} | {_f(m['recall'])} | {_f(m['f1'])} | {int(m['support'])} |")
            lines.append("")
            for key in ("by_corpus", "by_lang"):
                if r.get(key):
                    lines += [f"{key.replace('by_', 'By ')}: " + ", ".join(
                        f"{k} {_f(v['news_vs_chrome_macro_f1_chars'])} ({v['pages']} pages)" for k, v in r[key].items()), ""]
            if r.get("extraction"):
                lines += ["Main-text extraction (`clean`, out-of-fold):", "",
                          "| corpus | metric | F1 | precision | recall |", "|---|---|---|---|---|"]
                for c, s in r["extraction"].items():
                    metric = "snippets" if c == "trafilatura-eval" else "token shingles"
                    lines.append(f"| {c} | {metric} | {_f(s.get('f1'))} | {_f(s.get('precision'))} | {_f(s.get('recall'))} |")
                lines.append("")
            adv = r.get("advocacy_on_hand_labels")
            if adv:
                a = adv.get("agreed", {})
                lines += [f"Advocacy on hand-labelled records both annotators agree on ({a.get('records')}): "
                          f"precision {_f(a.get('precision'))}, recall {_f(a.get('recall'))}.",
                          f"Missed advocacy by subtype: {adv.get('missed_by_subtype')}; "
                          f"false alarms: {adv.get('false_alarms_by_subtype')}.", ""]
    return lines
