"""The hand annotations behind bench/provenance.py: well-formed, real, and still pointing into the pages.

Why: the source-detection figures are only as good as the truth file.  Each
line must name registry sources and roles, and each evidence offset must
still land on its short cue in the decoded page (pages live in ../shared,
so that part is skipped where they are absent).  Only short cues are stored,
never page text.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sourcecheck.corpora import have_shared, iter_pages
from sourcecheck.provenance import load_registry
from sourcecheck.segment.decode import decode

TRUTH = Path(__file__).resolve().parents[1] / "bench" / "provenance_truth.jsonl"
ROLES = {"wire", "photo", "publisher", "cited"}


def rows() -> list[dict]:
    return [json.loads(line) for line in TRUTH.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_truth_parses_and_is_well_formed():
    data = rows()
    assert len(data) >= 50
    seen = set()
    for d in data:
        assert set(d) == {"corpus", "key", "sources"}, d.get("key")
        assert (d["corpus"], d["key"]) not in seen, d["key"]
        seen.add((d["corpus"], d["key"]))
        assert d["sources"], d["key"]
        assert any(s["role"] in ("wire", "photo") for s in d["sources"]), d["key"]
        pairs = [(s["source_id"], s["role"]) for s in d["sources"]]
        assert len(pairs) == len(set(pairs)), d["key"]
        for s in d["sources"]:
            assert s["role"] in ROLES
            assert s["evidence"]
            for e in s["evidence"]:
                assert set(e) == {"start", "end", "cue"}
                assert 0 <= e["start"] < e["end"] and e["end"] - e["start"] == len(e["cue"])
                assert 0 < len(e["cue"]) <= 40


def test_truth_mixes_corpora_and_languages():
    data = rows()
    corpora = {d["corpus"] for d in data}
    assert len(corpora) >= 4
    german = sum(1 for d in data if d["key"].startswith(("de-", "at-", "ch-")) or ".de" in d["key"])
    assert 15 <= german <= len(data) - 15


def test_source_ids_exist_in_registry():
    reg = load_registry()
    for d in rows():
        for s in d["sources"]:
            assert s["source_id"] in reg, (d["key"], s["source_id"])


@pytest.mark.skipif(not have_shared(), reason="shared corpora not available")
def test_offsets_point_at_cues():
    data = rows()
    index = {}
    for c in {d["corpus"] for d in data}:
        index.update({(c, p.key): p for p in iter_pages(c)})
    for d in data:
        page = index.get((d["corpus"], d["key"]))
        assert page is not None, (d["corpus"], d["key"])
        html = decode(page.read())[0]
        for s in d["sources"]:
            for e in s["evidence"]:
                assert html[e["start"]:e["end"]] == e["cue"], (d["key"], s["source_id"], e)
