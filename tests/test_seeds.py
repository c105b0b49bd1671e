"""The three seed articles, labelled line by line exactly as ../shared/seeds/gold.jsonl (40 of 40)."""

from __future__ import annotations

import json


from sourcecheck import score_text

from conftest import needs_model


def _gold(shared):
    return [json.loads(x) for x in (shared / "seeds" / "gold.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]


def _line_labels(text: str, article) -> dict[int, str]:
    out = {}
    for s in article.segments:
        out[text.count("\n", 0, s.start) + 1] = s.label
    return out


@needs_model
def test_seed_lines_match_gold(shared, model):
    gold = _gold(shared)
    wrong = []
    by_file: dict[str, dict[int, str]] = {}
    for g in gold:
        if g["file"] not in by_file:
            text = (shared / "seeds" / g["file"]).read_text(encoding="utf-8")
            by_file[g["file"]] = _line_labels(text, score_text(text, name=g["file"], model=model))
        got = by_file[g["file"]].get(g["line"])
        if got != g["label"]:
            wrong.append(f"{g['file']}:{g['line']} want {g['label']} got {got}: {g['text'][:60]}")
    assert len(gold) == 40
    assert not wrong, "\n".join(wrong)


@needs_model
def test_seed_segments_cover_every_gold_line(shared, model):
    for g in _gold(shared):
        text = (shared / "seeds" / g["file"]).read_text(encoding="utf-8")
        line = text.splitlines()[g["line"] - 1].strip()
        assert line == g["text"].strip() or line.replace("  ", " ").startswith(g["text"][:20].strip())


@needs_model
def test_seed_key_lines(shared, model):
    """The lines the provenance notes rest on: RT DE's appeal is advocacy, the AFP caption and the comment form chrome."""
    for name, line, want in (("002_76f412d990a1b66b.txt", 16, "advocacy"), ("002_76f412d990a1b66b.txt", 6, "chrome"),
                             ("001_52c2ead04ce56fdb.txt", 44, "chrome"), ("000_da120fbd53673842.txt", 5, "news")):
        text = (shared / "seeds" / name).read_text(encoding="utf-8")
        assert _line_labels(text, score_text(text, model=model))[line] == want


@needs_model
def test_seed_sources_through_the_pipeline(shared, model):
    """Scored end to end (the model's own labels, not the gold ones), each seed gives exactly its sources."""
    want = {
        "000_da120fbd53673842.txt": {("bloomberg", "cited"), ("financial_times", "cited")},
        "001_52c2ead04ce56fdb.txt": {("xinhua", "wire"), ("china_org_cn", "publisher")},
        "002_76f412d990a1b66b.txt": {("rt_de", "publisher"), ("afp", "photo")},
    }
    for name, expected in want.items():
        text = (shared / "seeds" / name).read_text(encoding="utf-8")
        got = {(s["source_id"], s["role"]) for s in score_text(text, model=model).sources}
        assert got == expected, (name, got)
