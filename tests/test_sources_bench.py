"""The matcher of bench/sources.py: annotations name outlets as the page credits them, detections carry
registry names, aliases and domains; the bench must pair them neither too loosely nor too strictly."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from sourcecheck.provenance import load_registry

BENCH = Path(__file__).resolve().parents[1] / "bench" / "sources.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_sources", BENCH)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def reg():
    return load_registry()


def det(name, role, sid="x:none", domains=()):
    return {"name": name, "role": role, "source_id": sid, "domains": list(domains)}


def truth(name, role, domain=None):
    return {"name": name, "role": role, "cue": name, **({"domain": domain} if domain else {})}


@pytest.mark.parametrize("t,d", [
    (truth("USA TODAY", "publisher"), det("USA Today", "publisher")),
    (truth("Getty Images", "photo"), det("Getty", "photo")),
    (truth("SB Nation", "publisher"), det("SBNation.com", "publisher")),
    (truth("Tarnkappe.info", "publisher"), det("tarnkappe.info", "publisher")),
    (truth("EL PAÍS", "publisher"), det("El País", "publisher")),
    (truth("VG", "publisher", "vg.no"), det("Verdens Gang", "publisher", domains=["www.vg.no"])),
    (truth("AP", "photo", "apnews.com"), det("Associated Press", "photo", sid="ap")),  # registry alias
    (truth("Ukrainska Pravda", "cited"), det("Ukrajinska Prawda", "cited")),  # a transliteration
    (truth("Annals of Internal Medicine (American College of Physicians)", "publisher"),
     det("Annals of Internal Medicine", "publisher")),
    (truth("The Wall Street Journal", "cited"), det("Wall Street Journal", "cited")),
])
def test_same_outlet_matches(bench, reg, t, d):
    pairs, fns, fps = bench.match([t], [d], reg)
    assert len(pairs) == 1 and not fns and not fps


@pytest.mark.parametrize("t,d", [
    (truth("New York magazine", "cited"), det("The New York Times", "cited", sid="nyt")),
    (truth("Reuters", "photo"), det("Reuters", "wire", sid="reuters")),  # roles must agree
    (truth("ABC News", "cited"), det("CBS News", "cited")),
    (truth("Daily News", "cited"), det("Daily Mail", "cited")),
    (truth("Bild", "cited"), det("Blick", "cited")),
])
def test_different_outlets_do_not_match(bench, reg, t, d):
    pairs, fns, fps = bench.match([t], [d], reg)
    assert not pairs and fns and fps


def test_each_annotation_matches_once(bench, reg):
    ts = [truth("AFP", "photo"), truth("Getty Images", "photo")]
    ds = [det("Agence France-Presse", "photo", sid="afp"), det("AFP", "photo"), det("Getty Images", "photo")]
    pairs, fns, fps = bench.match(ts, ds, reg)
    assert len(pairs) == 2 and not fns and len(fps) == 1


def test_truth_file_is_well_formed():
    path = BENCH.parent / "sources_truth.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) >= 200 and len({r["corpus"] for r in rows}) >= 5 and len({r["lang"] for r in rows}) >= 6
    assert {r["split"] for r in rows} == {"tune", "test"}
    for r in rows:
        for s in r["sources"]:
            assert s["role"] in ("publisher", "wire", "photo", "cited") and s["name"]
