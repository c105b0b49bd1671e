"""The CLI in this process and in one real subprocess: formats, contract, bad inputs, exit codes."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import subprocess
import sys

import pytest

from conftest import EXAMPLES, needs_model, run_cli

pytestmark = needs_model
TXT = str(EXAMPLES / "ferry.txt")
HTML = str(EXAMPLES / "ferry.html")


def run(*args, input=None):
    return run_cli(*args, input=input)


def test_score_json_contract_text():
    r = run("score", TXT, "--format", "json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert set(doc) >= {"input", "kind", "lang", "segments", "model", "sources"}
    assert doc["kind"] == "text" and doc["lang"] == "en"
    assert set(doc["model"]) == {"name", "version", "sha256"}
    raw = (EXAMPLES / "ferry.txt").read_text(encoding="utf-8")
    for seg in doc["segments"]:
        assert set(seg) >= {"index", "start", "end", "text", "label", "scores"}
        assert raw[seg["start"]:seg["end"]].strip() == seg["text"]
        assert set(seg["scores"]) == {"news", "chrome", "advocacy"}
        assert abs(sum(seg["scores"].values()) - 1) < 1e-3
        assert seg["label"] == max(seg["scores"], key=seg["scores"].get)
    assert [s["index"] for s in doc["segments"]] == list(range(len(doc["segments"])))


def test_example_shows_all_three_labels():
    for path in (TXT, HTML):
        doc = json.loads(run("score", path, "--format", "json").stdout)
        labels = {s["text"][:40]: s["label"] for s in doc["segments"]}
        assert {s["label"] for s in doc["segments"]} == {"news", "chrome", "advocacy"}, labels
        if path == TXT:
            by_text = {s["text"]: s["label"] for s in doc["segments"]}
            assert by_text["Share on Facebook | Share on X | Print | E-mail"] == "chrome"
            assert any(s["label"] == "advocacy" and "under threat" in s["text"] for s in doc["segments"])
        # the appeal's arguing sentence (in HTML a block of its own, after its heading)
        assert any(s["label"] == "advocacy" and "Stand with us" in s["text"] for s in doc["segments"])


@pytest.mark.xfail(strict=True, reason="known miss of the HTML model 0.1.6+20261204: the appeal's heading "
                   "'Independent local journalism is under threat.' scores chrome (advocacy 0.21, as in "
                   "0.1.5+20261122; 0.13 in 0.1.3+20261122, 0.57 in 0.1.1). "
                   "When a model gets it right again, this fails: turn it back into a plain test.")
def test_the_appeal_heading_of_the_html_example_is_advocacy():
    doc = json.loads(run("score", HTML, "--format", "json").stdout)
    assert any(s["label"] == "advocacy" and "under threat" in s["text"] for s in doc["segments"])


def test_html_segments_carry_dom_path_and_meta():
    doc = json.loads(run("score", HTML, "--format", "json").stdout)
    assert doc["kind"] == "html"
    assert all("dom_path" in s for s in doc["segments"])
    assert doc["meta"]["site_name"] == "The Riverside Courier"


def test_jsonl_and_csv_and_table():
    r = run("score", TXT, HTML, "--format", "jsonl")
    assert r.exit_code == 0
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert [x["kind"] for x in lines] == ["text", "html"]
    r = run("score", TXT, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert rows and set(rows[0]) >= {"input", "index", "label", "p_news", "text"}
    r = run("score", TXT)
    assert r.exit_code == 0 and "advocacy" in r.stdout and "news" in r.stdout


def test_json_round_trip_several_inputs():
    r = run("score", TXT, HTML, "--format", "json")
    docs = json.loads(r.stdout)
    assert isinstance(docs, list) and len(docs) == 2
    again = json.loads(json.dumps(docs))
    assert again == docs


def test_stdin():
    r = run("score", "-", "--format", "json", input=(EXAMPLES / "ferry.txt").read_text(encoding="utf-8"))
    assert r.exit_code == 0
    assert json.loads(r.stdout)["input"] == "<stdin>"


def test_clean_text_and_json():
    r = run("clean", HTML)
    assert r.exit_code == 0
    assert "battery-powered ferry" in r.stdout
    assert "Share on Facebook" not in r.stdout and "under threat" not in r.stdout
    r = run("clean", HTML, "--format", "json")
    d = json.loads(r.stdout)
    assert d["title"].startswith("New electric ferry") and "battery-powered" in d["text"]


def test_bad_inputs_keep_batch_going(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "x.bin"
    binary.write_bytes(bytes(range(256)) * 40)
    undecodable = tmp_path / "bad.txt"
    undecodable.write_bytes(b"\x81\x8d\x8f\x90\x9d" * 2000)
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    malformed = tmp_path / "m.html"
    malformed.write_text("<html><body><div><p>Unclosed <b>tags <i>everywhere<table><tr><td>cell</p></div>",
                         encoding="utf-8")
    nested = tmp_path / "deep.html"
    nested.write_text("<html><body>" + "<div>" * 20000 + "deep text" + "</div>" * 20000 + "</body></html>",
                      encoding="utf-8")
    r = run("score", str(empty), str(binary), str(undecodable), str(huge), str(tmp_path), str(tmp_path / "missing"),
            TXT, str(malformed), str(nested), "--format", "jsonl")
    assert r.exit_code == 1
    out = [json.loads(x) for x in r.stdout.splitlines()]
    assert [o["input"] for o in out] == [TXT, str(malformed), str(nested)]
    lines = r.stderr.strip().splitlines()
    errs = [e for e in lines if e.startswith("sourcecheck: error:")]
    assert len(errs) == 6, errs
    # the page nested too deeply for the parser is read without its markup, and says so
    assert [w for w in lines if w not in errs] == [f"sourcecheck: warning: {nested}: nested deeper than 2048 levels: "
                                                   "read without its markup"]
    for name, word in [(empty, "empty"), (binary, "binary"), (undecodable, "undecodable"), (huge, "too large"),
                       (tmp_path, "directory"), (tmp_path / "missing", "no such file")]:
        line = next(e for e in errs if f"{name}:" in e)
        assert word in line and line.startswith("sourcecheck: error:")
    assert "Traceback" not in r.stderr


def test_url_is_refused_with_advice():
    r = run("score", "https://example.org/article")
    assert r.exit_code == 1 and "save the page" in r.stderr


def test_usage_error_exit_2():
    r = run("score", TXT, "--format", "yaml")
    assert r.exit_code == 2
    r = run("frobnicate")
    assert r.exit_code == 2


def test_missing_model_is_one_line(tmp_path):
    r = run("score", TXT, "--model", str(tmp_path / "nope"))
    assert r.exit_code == 1
    assert r.stderr.strip().startswith("sourcecheck: error: model directory not found")


def test_real_subprocess():
    p = subprocess.run([sys.executable, "-m", "sourcecheck", "score", TXT, "--format", "jsonl", "--no-sources"],
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    doc = json.loads(p.stdout)
    assert doc["kind"] == "text" and doc["segments"]
    p = subprocess.run([sys.executable, "-m", "sourcecheck", "score", "/nonexistent/file.txt"],
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 1 and "no such file" in p.stderr and "Traceback" not in p.stderr


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_train_and_evaluate(tmp_path, fmt):
    data = tmp_path / f"labels.{fmt}"
    docs = []
    for i in range(4):
        segs = [("Home | News | Sport", "chrome"), (f"Bridge {i} reopens after repairs", "news"),
                (f"The bridge over the river reopened on day {i} after six months of repairs, the city said.", "news"),
                ("Engineers replaced the deck and the railings, according to the works department.", "news"),
                ("Share this article", "chrome"), ("Our independent newsroom needs you: support free journalism.", "advocacy")]
        docs.append(segs)
    if fmt == "jsonl":
        data.write_text("\n".join(json.dumps({"id": f"d{i}", "segments": [{"text": t, "label": lab} for t, lab in d]})
                                  for i, d in enumerate(docs)), encoding="utf-8")
    else:
        with open(data, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["doc_id", "position", "text", "label"])
            for i, d in enumerate(docs):
                for j, (t, lab) in enumerate(d):
                    w.writerow([f"d{i}", j, t, lab])
    out = tmp_path / "model"
    r = run("train", str(data), "--out", str(out))
    assert r.exit_code == 0, r.output
    assert all((out / f).exists() for f in ("text.npz", "text.json", "html.npz", "html.json", "metadata.json",
                                            "MODEL_CARD.md"))
    # 4 documents: trained, but the user is told they are too few, and why
    warnings = [w for w in r.stderr.splitlines() if w.startswith("sourcecheck: warning:")]
    assert any("4 documents are too few to learn from (fewer than 20)" in w and "out-of-fold" in w
               for w in warnings), r.stderr
    card = (out / "MODEL_CARD.md").read_text(encoding="utf-8")
    digest = hashlib.sha256(data.read_bytes()).hexdigest()
    assert digest in card and str(data) in card  # the data hash
    assert "None measured: no cross-validation figures were measured" in card
    assert "4 labelled documents" in card and "too few to learn from" in card
    assert "Benchmark pages" not in card  # not the shipped model's training data
    meta = json.loads((out / "metadata.json").read_text())
    assert meta["training_data"]["documents"] == 4 and len(meta["sha256"]) == 64
    r = run("train", str(data), "--out", str(out))
    assert r.exit_code == 1 and "exists" in r.stderr
    r = run("evaluate", str(data), "--model", str(out))
    assert r.exit_code == 0
    assert "precision" in r.stdout and "confusion" in r.stdout
    r = run("evaluate", str(data), "--model", str(out), "--format", "json")
    rep = json.loads(r.stdout)
    assert rep["per_class"]["news"]["support"] == 12
    r = run("score", TXT, "--model", str(out), "--format", "json")
    assert r.exit_code == 0 and json.loads(r.stdout)["model"]["name"] == "custom"


def test_train_bad_data(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"segments": [{"text": "x", "label": "spam"}]}\n', encoding="utf-8")
    r = run("train", str(bad), "--out", str(tmp_path / "m"))
    assert r.exit_code == 1 and "label must be one of" in r.stderr
    r = run("train", str(tmp_path / "none.jsonl"), "--out", str(tmp_path / "m"))
    assert r.exit_code == 1 and "no such file" in r.stderr


# --- the table fits the terminal and explains itself ----------------------------------------------------
@pytest.mark.parametrize("path", [TXT, HTML])
def test_table_fits_columns(monkeypatch, path):
    for columns in (80, 30, 60, 132):
        monkeypatch.setenv("COLUMNS", str(columns))
        r = run("score", path)
        assert r.exit_code == 0, r.output
        lines = r.stdout.splitlines()
        assert max(len(x) for x in lines) <= columns, max(lines, key=len)
        assert any(len(x) == columns for x in lines)  # the table uses the width it has
        assert "…" in r.stdout  # long segments cut to fit, with an ellipsis
    doc = json.loads(run("score", path, "--format", "json").stdout)
    assert any(len(s["text"]) > 200 and "…" not in s["text"] for s in doc["segments"])  # whole in JSON


def test_table_width_of_a_pipe(monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    lines = run("score", HTML).stdout.splitlines()
    assert max(len(x) for x in lines) == 100  # no terminal, no COLUMNS: 100 (render/table.py PIPE_WIDTH)


def test_columns_80_in_a_real_process():
    for path in (TXT, HTML):
        p = subprocess.run([sys.executable, "-m", "sourcecheck", "score", path], capture_output=True, text=True,
                           timeout=300, env={**__import__("os").environ, "COLUMNS": "80"})
        assert p.returncode == 0, p.stderr
        assert max(len(x) for x in p.stdout.splitlines()) <= 80


def test_table_header_and_sources_in_plain_words(monkeypatch):
    from sourcecheck.render.words import CUES

    monkeypatch.setenv("COLUMNS", "400")  # one line per evidence item and note, to read them whole
    out = run("score", HTML).stdout
    assert re.search(r"share of characters: news \d+% · chrome \d+% · advocacy \d+%", out)
    assert "score: the probability of the label" in out
    assert "page metadata (og:site_name): “The Riverside Courier”" in out
    assert "page address: “riverside-courier.example”" in out
    assert "segment 10, photo credit: “Photo: Reuters”" in out
    assert "#None" not in out and "[]" not in out
    # no cue id anywhere (ids with "_" or ":"), and every note says how far it was checked
    ids = [c for c in CUES if "_" in c or ":" in c]
    assert not [c for c in ids if re.search(rf"(?<![\w(]){re.escape(c)}(?![\w)])", out)]
    assert "unverified, written 2024-12, not checked against its citation" in out
    assert "copied from the cited list, as of" in out
    assert out.count("(unverified:") == 0  # the library's suffix is not said twice


def test_cue_and_check_words():
    from sourcecheck.render.words import check_words, cue_words, evidence_words, note_words

    for cue in ("sagte_zu", "x_berichtet", "ban_of_self", "cited_attrib", "self_reference:laut"):
        words = cue_words(cue)
        assert "_" not in words and cue not in words, words
    assert cue_words("some_new_cue") == "some new cue"  # unknown ids humanized, never raw
    assert evidence_words({"segment": None, "text": "CBC", "cue": "og:site_name"}) == \
        "page metadata (og:site_name): “CBC”"
    assert check_words({"check": "checked", "checked_on": "2026-03-01"}) == \
        "checked against its citation on 2026-03-01"
    assert check_words({"check": "imported", "as_of": "2024-02-07"}) == "copied from the cited list, as of 2024-02-07"
    assert check_words({"check": "unverified", "written": "2024-12"}).startswith("unverified, written 2024-12")
    assert check_words({"check": "none", "as_of": None}) == ""
    n = {"claim": "owner", "value": "X (unverified: written 2024-12, not checked against the citation)",
         "citation": {"title": "T"}, "check": "unverified", "written": "2024-12"}
    assert note_words(n) == "owner: X [T; unverified, written 2024-12, not checked against its citation]"


def test_sources_show_says_how_far_notes_were_checked():
    r = run("sources", "show", "RT DE")
    assert r.exit_code == 0
    assert "copied from the cited list, as of" in r.stdout
    assert "unverified, written 2024-12, not checked against its citation" in r.stdout


def test_clean_names_each_of_several_inputs():
    r = run("clean", TXT, HTML)
    assert r.exit_code == 0
    assert r.stdout.startswith(f"==> {TXT} <==\n")
    assert f"\n\n==> {HTML} <==\n" in r.stdout
    one = run("clean", TXT).stdout
    assert "==>" not in one and one == r.stdout.split("\n\n==> ")[0][len(f"==> {TXT} <==\n"):] + "\n"


def test_meta_always_present_with_contract_fields():
    doc = json.loads(run("score", TXT, "--format", "json").stdout)
    assert doc["meta"] == {"title": None, "site_name": None, "url": None, "date": None}
    doc = json.loads(run("score", HTML, "--format", "json").stdout)
    assert set(doc["meta"]) >= {"title", "site_name", "url", "date"}
    assert doc["meta"]["date"] is None and doc["meta"]["url"].startswith("https://")
    assert list(doc)[:6] == ["input", "kind", "lang", "segments", "model", "meta"]


def test_evidence_offsets_point_into_the_document(model):
    """``start``/``end`` of evidence are offsets into ``article.text`` (the decoded input for text), as the
    README says; ``text`` is that span with whitespace collapsed, cut to 80 characters."""
    import sourcecheck

    def check(text, start, end, ev_text):
        span = " ".join(text[start:end].split())
        assert span == ev_text or (ev_text.endswith("…") and span.startswith(ev_text[:-1])), (span, ev_text)

    seen = 0
    for path in (TXT, HTML):
        art = sourcecheck.score(open(path, "rb").read(), name=path, model=model)
        for src in art.sources:
            for ev in src["evidence"]:
                if ev["segment"] is None:
                    assert ev["start"] is None and ev["end"] is None  # page metadata or address
                    continue
                seg = art.segments[ev["segment"]]
                assert seg.start <= ev["start"] < ev["end"] <= seg.end  # in its segment, counted from the document
                check(art.text, ev["start"], ev["end"], ev["text"])
                seen += 1
    assert seen >= 4
    # through the CLI's JSON, for a text input: offsets into the file itself
    raw = (EXAMPLES / "ferry.txt").read_text(encoding="utf-8")
    doc = json.loads(run("score", TXT, "--format", "json").stdout)
    evs = [ev for src in doc["sources"] for ev in src["evidence"] if ev["start"] is not None]
    assert evs
    for ev in evs:
        check(raw, ev["start"], ev["end"], ev["text"])


def test_what_too_small_to_learn_from_means():
    from sourcecheck.labelled import LabelledDoc
    from sourcecheck.train import MIN_DOCUMENTS, MIN_SEGMENTS_PER_CLASS, data_warnings

    def docs(n, labels):
        return [LabelledDoc(f"d{i}", [], list(labels)) for i in range(n)]

    assert (MIN_DOCUMENTS, MIN_SEGMENTS_PER_CLASS) == (20, 5)
    assert data_warnings(docs(20, ["news", "chrome", "advocacy"])) == []
    w = data_warnings(docs(19, ["news", "chrome", "advocacy"]))
    assert len(w) == 1 and w[0].startswith("19 documents are too few to learn from (fewer than 20)")
    w = data_warnings(docs(20, ["news", "chrome"]) + docs(1, ["advocacy"] * 4))
    assert w == ["too few segments of a label to learn it (fewer than 5): advocacy 4; each fold of the first "
                 "stage sees one or two examples of it, or none"]
    w = data_warnings(docs(20, ["news", "chrome"]))
    assert w == ["no segment labelled advocacy: the model will never give that label"]
