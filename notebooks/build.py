"""Write the tutorial notebooks from the cells below, with no outputs.

Run ``python notebooks/build.py`` after editing a cell here; never edit the
``.ipynb`` files by hand, so that they stay reproducible and free of outputs.
The notebooks read the invented example articles in ``examples/`` and the
model shipped with the package; they need no network and no data outside
the repository.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent

# Shared first code cell: find the examples folder (next to the notebooks
# folder in a checkout, or $SOURCECHECK_EXAMPLES).
FIND_EXAMPLES = '''\
import os
from pathlib import Path

def find_examples() -> Path:
    """The examples folder: $SOURCECHECK_EXAMPLES, else ../examples or ./examples."""
    candidates = [os.environ.get("SOURCECHECK_EXAMPLES"), Path.cwd().parent / "examples", Path.cwd() / "examples"]
    for c in candidates:
        if c and Path(c).is_dir() and any(Path(c).glob("*.txt")):
            return Path(c)
    raise FileNotFoundError("examples/ not found: run the notebook from the notebooks/ folder of a checkout")

EXAMPLES = find_examples()
FILES = sorted(p for p in EXAMPLES.iterdir() if p.suffix in (".txt", ".html"))
[p.name for p in FILES]'''


def md(text: str):
    return new_markdown_cell(text.strip("\n"))


def code(text: str):
    return new_code_cell(text.strip("\n"))


def anatomy() -> list:
    return [
        md("""
# 1. The anatomy of an article

A news page carries more than the news. sourcecheck gives every segment of an
article (a line of text, or a block of a web page) one of three labels:

| label | who speaks | to do what |
|---|---|---|
| `news` | the reporter, or people the reporter quotes | tell the reader what happened |
| `chrome` | the website as a machine | navigation, bylines, captions, share and subscribe prompts, footers |
| `advocacy` | the publisher in its own voice | win the reader over to its cause or interest |

This notebook scores the example articles that ship with the project (short
invented articles, as plain text and as a saved web page) and looks at the
result three ways: marked inline, as a table of scores, and as a chart of
label shares.
"""),
        code(FIND_EXAMPLES),
        md("""
## Score the examples

`score` takes text or HTML (it tells them apart by itself) and returns an
`Article`: its segments, each with a label and the three scores, and the
sources it found. The model is loaded once and passed to every call.
"""),
        code("""
from sourcecheck import load_model, score

model = load_model()
print("model:", model.info()["name"], model.info()["version"])
articles = [score(p.read_bytes(), name=p.name, model=model) for p in FILES]
for a in articles:
    shares = a.shares()
    print(f"{a.input:<16} {a.kind:<5} lang={a.lang}  {len(a.segments):>3} segments  "
          + "  ".join(f"{k} {v:.0%}" for k, v in shares.items()))
"""),
        md("""
## Marked inline

Every segment carries a tag with its label, and a colour. Hover over a
segment, or move to it with the Tab key, to see its three scores; a dagger
(&#8224;) marks a segment whose label was changed by its neighbours (the
context-free label is shown in the scores box). The same view is what
`sourcecheck report ARTICLE -o report.html` writes as a page.
"""),
        code("""
from IPython.display import HTML, display
from sourcecheck.render.html import article_html

for a in articles:
    display(HTML(article_html(a)))
"""),
        md("""
## The scores as a table

`Article.to_frame()` gives one row per segment. `initial_label` is the
context-free label (stage 1: the segment alone); `label` is the final one,
revised with the neighbours' predictions (stage 2).
"""),
        code("""
import pandas as pd

pd.set_option("display.max_colwidth", 70)
frame = articles[0].to_frame()
frame.round(2)
"""),
        code("""
changed = frame[frame["label"] != frame["initial_label"]]
print(f"{len(changed)} of {len(frame)} segments changed label in stage 2")
changed[["index", "initial_label", "label", "text"]]
"""),
        md("""
## How much of each article is news?

The share of characters under each label. A plain-text export and a saved
page of the same article differ: the page has more chrome (menus, footers).
"""),
        code("""
from sourcecheck.plot import label_shares

ax = label_shares(articles, names=[a.input for a in articles])
"""),
        md("""
## The main text

The news segments alone are what `sourcecheck clean` prints: the article
without its wrapping.
"""),
        code("""
print(articles[0].main_text())
"""),
    ]


def sources() -> list:
    return [
        md("""
# 2. Who is behind the sources?

Besides labelling segments, sourcecheck finds the sources an article relies
on and says who is behind them. Each source has a **role**:

- `publisher`: who put the page out (the page's URL or site name, or the
  outlet naming itself: "Follow X on ...", "the ban of our website");
- `wire`: an agency that supplied the text ("(Reuters) -", "(dpa)", "Endit");
- `photo`: an agency that supplied an image only ("Photo: AFP");
- `cited`: an outlet the text attributes a claim to ("according to X", "told X").

A source is only detected through a **cue**: a bare name is never enough,
since "AP" or "RT" are also ordinary letters. Every detection keeps its
evidence: the segment, the matched text and the cue. Every **note** about a
source comes from the registry with a citation and a date ("as of").
"""),
        code(FIND_EXAMPLES),
        code("""
import pandas as pd
from IPython.display import HTML, display
from sourcecheck import load_model, score, score_text
from sourcecheck.provenance import load_registry, notes_for

pd.set_option("display.max_colwidth", 90)
model = load_model()
articles = [score(p.read_bytes(), name=p.name, model=model) for p in FILES]
registry = load_registry()
"""),
        md("""
## The sources found in the examples
"""),
        code("""
rows = []
for a in articles:
    for s in a.sources:
        rows.append({"article": a.input, "source": s["name"], "id": s["source_id"], "role": s["role"],
                     "confidence": s["confidence"], "cues": ", ".join(sorted({e["cue"] for e in s["evidence"]})),
                     "notes": len(s["notes"])})
pd.DataFrame(rows) if rows else "No sources detected in the examples."
"""),
        md("""
## How each was detected

One row per piece of evidence: the segment it is in (with that segment's
label: a credit line is usually chrome, an attribution sits in news), the
matched text and the cue that made it count. Evidence from page metadata
(URL, `og:site_name`) has no segment.
"""),
        code("""
rows = []
for a in articles:
    for s in a.sources:
        for e in s["evidence"]:
            seg = e.get("segment")
            rows.append({"article": a.input, "source": s["name"], "role": s["role"],
                         "segment": seg, "segment label": a.segments[seg].label if seg is not None else "(metadata)",
                         "matched": e["text"], "cue": e["cue"], "confidence": e["confidence"]})
pd.DataFrame(rows) if rows else "No evidence."
"""),
        md("""
## The notes, with their citations

A note is one claim from the registry (`fact`, `state_affiliation`,
`legal_status` or `rating`), with the document it is cited from and the date
it was true. Ratings (what others judge about reliability) are kept apart
from facts.
"""),
        code("""
for a in articles:
    for s in a.sources:
        print(f"{a.input}: {s['name']} ({s['role']})")
        for n in s["notes"]:
            cit = n.get("citation") or {}
            print(f"   [{n['kind']}] {n['claim']}: {n['value']}")
            print(f"       cited: {cit.get('title', '-')} <{cit.get('url', '-')}>, as of {n.get('as_of') or '?'}")
"""),
        md("""
The HTML report shows the same panel under each article:
"""),
        code("""
from sourcecheck.render.html import sources_html, style_html

for i, a in enumerate(articles):
    display(HTML(style_html() + f'<div class="sc-report"><h4>{a.input}</h4>{sources_html(a, f"src{i}")}</div>'))
"""),
        md("""
## Cues at work on a few invented sentences

`score_text` scores plain text, one segment per line. The outlets below are
real, the sentences are made up. Note the cues: "according to", "told",
"Photo:", and the agency tag at the start of a wire story.
"""),
        code("""
demo = '''(Reuters) - The harbour authority approved the new pier on Monday, its chair said.
The plan had been delayed twice, according to Xinhua.
A spokesperson told the BBC that construction would begin in May.
Workers at the harbour on Monday. Photo: AFP
AP'''
art = score_text(demo, name="demo", model=model)
for s in art.sources:
    e = s["evidence"][0]
    print(f"{s['name']:<22} {s['role']:<9} cue {e['cue']:<16} segment {e['segment']}: {e['text']!r}")
print("The bare 'AP' on the last line is not detected: a short name needs a cue.")
"""),
        md("""
## State-funded is not state-controlled

Public money does not decide who controls the editorial line. The registry
follows the State Media Monitor typology, which separates **funding** and
**governance** from **editorial control**:

- the BBC is *public*: funded by a licence fee set by the state, editorially
  independent (typology IP, independent public media);
- Deutsche Welle is *state-funded, editorially independent*: paid from the
  federal budget, with editorial independence guaranteed by law (ISF);
- RT and Xinhua are *state-controlled*: the state controls funding,
  ownership, governance and the editorial line (SC).

So "state media" is not one thing: a reader should be told which kind.
"""),
        code("""
rows = []
for name in ["bbc", "dw", "rt", "xinhua"]:
    s = registry.find(name)
    sa = s.get("state_affiliation") or {}
    rows.append({"query": name, "source": s["name"], "type": s.get("type"), "country": s.get("country"),
                 "category": sa.get("category"), "typology": sa.get("smm_typology"),
                 "state-controlled": sa.get("category") == "state_controlled"})
table = pd.DataFrame(rows)
table
"""),
        code("""
assert not table.set_index("query").loc[["bbc", "dw"], "state-controlled"].any()
assert table.set_index("query").loc[["rt", "xinhua"], "state-controlled"].all()
for name in ["dw", "rt"]:
    s = registry.find(name)
    note = next(n for n in notes_for({"source_id": s["id"], **s}) if n["kind"] == "state_affiliation")
    print(f"{s['name']}: {note['value']}")
    print(f"   cited: {(note.get('citation') or {}).get('title')}, as of {note.get('as_of')}\\n")
"""),
        md("""
Legal status is a separate note from affiliation: RT, for instance, is under
an EU broadcast ban, cited to the legal act.
"""),
        code("""
rt = registry.find("rt")
for n in notes_for({"source_id": rt["id"], **rt}):
    if n["kind"] in ("legal_status", "rating"):
        print(f"[{n['kind']}] {n['claim']}: {n['value']} (as of {n.get('as_of')})")
"""),
        md("""
## Domains

A page's URL finds its publisher by the longest matching domain suffix, so a
language edition is told apart from its parent outlet.
"""),
        code("""
for host in ["https://www.bbc.co.uk/news/world", "de.rt.com", "english.news.cn", "example.org"]:
    s = registry.lookup_domain(host)
    print(f"{host:<36} -> {s['name'] + ' (' + s['id'] + ')' if s else 'unknown'}")
"""),
    ]


def teach() -> list:
    return [
        md("""
# 3. Teach the model

The shipped model was trained on labelled news pages. When it gets your
site's pages wrong, you can correct its output and retrain the text model on
your corrections. This notebook goes through the loop on the examples:

1. score the examples and keep the model's labels as a **draft**;
2. a reviewer **corrects** some labels, following the guidelines;
3. write the labelled documents to a file (the format `sourcecheck train` reads);
4. **retrain** with `train_text_model` (the HTML part of the model is kept);
5. **compare** the old and new models on the corrected labels.

Evaluating on the very documents one trained on is optimistic; a real check
keeps some documents out. Here the point is the workflow, on a set small
enough to train in seconds.
"""),
        code(FIND_EXAMPLES),
        code("""
import json
import tempfile
import time

import matplotlib.pyplot as plt
import pandas as pd
from sourcecheck import load_model, score, score_text
from sourcecheck.labelled import read_labelled
from sourcecheck.plot import confusion
from sourcecheck.train import evaluate_docs, train_text_model

pd.set_option("display.max_colwidth", 80)
base = load_model()
articles = [score(p.read_bytes(), name=p.name, model=base) for p in FILES]
"""),
        md("""
## 1. The draft: the model's labels
"""),
        code("""
draft = {a.input: [(s.text, s.label) for s in a.segments] for a in articles}
pd.DataFrame([{"doc": d, "index": i, "draft": lab, "text": t}
              for d, segs in draft.items() for i, (t, lab) in enumerate(segs)]).head(20)
"""),
        md("""
## 2. The reviewer's corrections

A reviewer reads the draft against the guidelines and writes down the
corrections as rules, so they are easy to check:

- a caption with a photo credit, share, comment, log-in and subscription
  prompts, copyright lines and menus are `chrome`;
- an appeal that argues from independence, democracy or threat is `advocacy`;
- a call with no reason ("Subscribe to our newsletter") stays `chrome`.

The rules below are the reviewer's notes for these examples, not a
classifier: they only need to be right on this set.
"""),
        code("""
import re

CHROME = re.compile(r"^(Photo|Foto|Picture|Image)s?:|\\bPhoto: |^Share\\b|\\bShare on\\b|^\\d+ Comments?$|^Log in\\b|"
                    r"^Subscribe\\b|^©|All rights reserved|^Home \\|", re.I)
ADVOCACY = re.compile(r"\\b(independent|independence|democracy|under threat|silence us|stand with us)\\b", re.I)
SELF = re.compile(r"\\b(us|our|we|journalism)\\b", re.I)  # the outlet speaking of itself


def review(text: str, label: str) -> str:
    \"\"\"The reviewer's label for one segment (the draft label unless a rule applies).\"\"\"
    if ADVOCACY.search(text) and SELF.search(text):
        return "advocacy"
    if CHROME.search(text):
        return "chrome"
    return label


corrected = {d: [(t, review(t, lab)) for t, lab in segs] for d, segs in draft.items()}
changes = pd.DataFrame([{"doc": d, "index": i, "draft": draft[d][i][1], "corrected": lab, "text": t}
                        for d, segs in corrected.items() for i, (t, lab) in enumerate(segs)
                        if lab != draft[d][i][1]])
print(f"{len(changes)} corrections")
changes
"""),
        md("""
The reviewer also corrects a few segments by hand, by their exact text. A
section name above the headline is site navigation, so `chrome`, whatever
the draft said. A hand correction that matches no segment is skipped.
"""),
        code("""
HAND = {"Local": "chrome", "Politics": "chrome", "Home": "chrome"}
n = 0
for d, segs in corrected.items():
    for i, (t, lab) in enumerate(segs):
        if t in HAND and HAND[t] != lab:
            corrected[d][i] = (t, HAND[t])
            n += 1
            print(f"{d} #{i}: {lab} -> {HAND[t]}: {t!r}")
print(f"{n} hand corrections")
"""),
        md("""
## 3. The labelled file

One JSON object per document: its id and its segments in order, each with
its text and label. `sourcecheck train FILE.jsonl` reads the same file.
"""),
        code("""
workdir = Path(tempfile.mkdtemp(prefix="sourcecheck-teach-"))
data = workdir / "corrected.jsonl"
with open(data, "w", encoding="utf-8") as fh:
    for d, segs in corrected.items():
        fh.write(json.dumps({"id": d, "segments": [{"text": t, "label": lab} for t, lab in segs]},
                            ensure_ascii=False) + "\\n")
docs = read_labelled([data])
print(data.read_text(encoding="utf-8")[:400], "...")
print(f"{len(docs)} documents, {sum(len(d.segments) for d in docs)} segments")
"""),
        md("""
## 4. Retrain

`train_text_model` fits the text model on the labelled documents and keeps
the base model's HTML estimator.
"""),
        code("""
t0 = time.time()
retrained = train_text_model(docs, name="teach-demo")
print(f"trained in {time.time() - t0:.1f} s:", retrained.meta["training_data"])
"""),
        md("""
## 5. Compare

`evaluate_docs` gives precision, recall and F1 per label and the confusion
matrix (rows: the corrected labels, columns: the model's predictions).
"""),
        code("""
before = evaluate_docs(base, docs)
after = evaluate_docs(retrained, docs)
pd.DataFrame({
    "before": {"accuracy": before["accuracy"], "macro-F1": before["macro_f1"],
               **{f"F1 {k}": v["f1"] for k, v in before["per_class"].items()}},
    "after": {"accuracy": after["accuracy"], "macro-F1": after["macro_f1"],
              **{f"F1 {k}": v["f1"] for k, v in after["per_class"].items()}},
}).round(3)
"""),
        code("""
fig, axes = plt.subplots(1, 2, figsize=(9, 4))
confusion(before, ax=axes[0], title=f"before: accuracy {before['accuracy']:.2f}")
confusion(after, ax=axes[1], title=f"after: accuracy {after['accuracy']:.2f}")
fig.tight_layout()
"""),
        md("""
Segment by segment: each labelled document scored as plain text (one
segment per line) by the old and the new model.
"""),
        code("""
rows = []
for d in docs:
    text = "\\n\\n".join(s.text for s in d.segments)
    old = score_text(text, name=d.id, model=base)
    new = score_text(text, name=d.id, model=retrained)
    for s, o, n, lab in zip(d.segments, old.segments, new.segments, d.labels):
        rows.append({"doc": d.id, "index": s.index, "corrected": lab, "before": o.label, "after": n.label,
                     "p_after": round(n.scores[n.label], 2), "text": s.text})
compare = pd.DataFrame(rows)
print("segments the retrained model now gets right:",
      int(((compare.before != compare.corrected) & (compare.after == compare.corrected)).sum()))
compare[(compare.before != compare.corrected) | (compare.after != compare.corrected)]
"""),
        md("""
To keep the new model, save it and point sourcecheck at it:

```python
from sourcecheck.model.store import save_model
save_model(retrained, "models/teach-demo")
```

then `sourcecheck score --model models/teach-demo ARTICLE`, or set
`SOURCECHECK_MODEL`.
"""),
        code("""
from sourcecheck.model.store import save_model

path = save_model(retrained, workdir / "teach-demo")
print(sorted(p.name for p in path.iterdir()))
"""),
    ]


NOTEBOOKS = {
    "01_anatomy.ipynb": anatomy,
    "02_sources.ipynb": sources,
    "03_teach_the_model.ipynb": teach,
}


def build(out_dir: Path = HERE) -> list[Path]:
    written = []
    for name, cells in NOTEBOOKS.items():
        nb = new_notebook(cells=cells())
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nb.metadata["language_info"] = {"name": "python"}
        for i, cell in enumerate(nb.cells):
            cell["id"] = f"{Path(name).stem[:2]}-{i:02d}"  # stable ids: rebuilding gives the same file
        nbformat.validate(nb)
        path = out_dir / name
        nbformat.write(nb, str(path))
        written.append(path)
    return written


if __name__ == "__main__":
    for p in build():
        print(f"wrote {p}")
