"""The shipped source registry: schema, citations, state affiliation, lookups, user merge.

Why these tests: a provenance note is only trustworthy if every claim is cited
and dated, and if state funding is never confused with state control.  These
checks run on the shipped data, so a bad hand edit fails CI.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from sourcecheck.provenance.registry import build_registry, load_registry, normalize_host
from sourcecheck.provenance.schema import REGISTRY_FILE, SMM_CATEGORY

DATA = Path(__file__).resolve().parents[1] / "src" / "sourcecheck" / "data"


@pytest.fixture(scope="module")
def reg():
    return load_registry()


@pytest.fixture(scope="module")
def raw():
    return yaml.safe_load((DATA / "sources.yaml").read_text(encoding="utf-8"))


def _cited(c) -> bool:
    return isinstance(c, dict) and bool(c.get("title")) and str(c.get("url", "")).startswith(("http://", "https://"))


def test_yaml_file_validates_against_schema(raw):
    import jsonschema

    jsonschema.validate(raw, REGISTRY_FILE)


def test_registry_validate_is_clean(reg):
    assert reg.validate() == []


def _cited_or_review(c) -> bool:
    """A citation with a url, or the issue 23 review (which has none)."""
    return _cited(c) or bool(c and "review" in c.get("title", ""))


def test_every_fact_is_cited_and_says_how_far_it_was_checked(raw):
    """Hand-written facts carry the day they were written (shown unverified) or the day they were
    checked with the date they are stated for; none carries a bare date that reads as a check."""
    bad = []
    for s in raw["sources"]:
        for f in s.get("facts") or []:
            if not (_cited_or_review(f.get("citation")) or (f.get("written") and (f.get("citation") or {}).get("title"))):
                bad.append((s["id"], f.get("claim"), "citation"))
            if not (f.get("written") or (f.get("checked") and f.get("as_of"))):
                bad.append((s["id"], f.get("claim"), "check"))
            if f.get("as_of") and not f.get("checked"):
                bad.append((s["id"], f.get("claim"), "as_of without a check"))
        sa = s.get("state_affiliation")
        if sa and (not _cited_or_review(sa.get("citation")) or not (sa.get("smm_as_of") or sa.get("written")
                                                                      or sa.get("checked"))):
            bad.append((s["id"], "state_affiliation"))
        assert not s.get("legal_status"), "EU legal status comes from eu_restrictions.json, not the YAML"
    assert bad == []


def test_unverified_facts_are_shown_as_unverified_without_as_of(reg):
    from sourcecheck.provenance import notes_for

    for s in reg.curated():
        for n in notes_for(s):
            if n.get("check") == "unverified":
                assert n["as_of"] is None and "unverified" in n["value"], (s["id"], n)
            else:
                assert n.get("check") in ("checked", "imported"), (s["id"], n)
                assert n["as_of"], (s["id"], n)


def test_facts_fixed_by_the_review(reg):
    from sourcecheck.provenance import notes_for

    def values(sid):
        return " | ".join(n["value"] for n in notes_for(reg.get(sid)))

    assert "USA TODAY Co." in values("usa_today") and "Gannett\"" not in values("usa_today")
    for sid in ("voa", "rferl"):
        assert "March 2025" in values(sid)
    assert "95.6%" in values("junge_welt") and reg.get("junge_welt")["state_affiliation"]["category"] == "cooperative"
    assert "Tamedia, a TX Group company" in values("tages_anzeiger")
    assert "subsidiary of Agence France-Presse" in values("sid") and reg.get("sid")["parent"] == "afp"
    checked = [n for sid in ("usa_today", "voa", "junge_welt", "tages_anzeiger", "sid")
               for n in notes_for(reg.get(sid)) if n.get("check") == "checked"]
    assert checked and all(n["checked_on"] == "2026-12-08" and "issue 23 review" in n["citation"]["title"]
                           for n in checked)


def test_imported_rows_reviewed(reg):
    from sourcecheck.provenance import notes_for

    # RTVE: the imported "state-controlled" code is withheld, and the note says why
    rtve = reg.lookup_domain("rtve.es")
    assert "state_affiliation" not in rtve and any("RTVE" in n["value"] and n["check"] == "checked"
                                                   for n in notes_for(rtve))
    # not media outlets / not the outlet's site
    assert reg.lookup_domain("kcnawatch.org") is None or reg.lookup_domain("kcnawatch.org")["id"] != "smm:174"
    for host in ("socar.az", "pdvsa.com"):
        s = reg.lookup_domain(host)
        assert s is None or not s["id"].startswith("smm:"), host
    # China Daily's name is not China Youth Daily's pinyin
    assert reg.lookup_domain("chinadaily.com.cn")["name"] == "China Daily"


def test_smm_captured_glosses_differ():
    from sourcecheck.provenance.notes import state_affiliation_note

    pub = state_affiliation_note({"category": "captured", "smm_typology": "CaPu", "smm_as_of": "2024-02-07",
                                  "citation": {"title": "x", "url": "https://x.org"}})["value"]
    priv = state_affiliation_note({"category": "captured", "smm_typology": "CaPr", "smm_as_of": "2024-02-07",
                                   "citation": {"title": "x", "url": "https://x.org"}})["value"]
    assert "without formal state ownership" not in pub and "governance" in pub
    assert "without formal state ownership" in priv


def test_fact_without_citation_is_rejected():
    from sourcecheck.provenance.schema import validate_source

    entry = {"id": "x", "name": "X", "aliases": {}, "domains": ["x.example"], "type": "blog",
             "facts": [{"claim": "owner", "value": "Y", "as_of": "2024"}]}
    assert validate_source(entry)
    entry["facts"][0]["citation"] = {"title": "Y", "url": "https://example.org"}
    assert validate_source(entry) == []
    del entry["facts"][0]["as_of"]
    assert validate_source(entry)  # neither a date it is stated for nor the day it was written
    entry["facts"][0]["written"] = "2026-12-08"
    assert validate_source(entry) == []


def test_every_curated_source_has_facts(reg):
    """Every hand-written entry has at least one fact (possibly unverified), so it says what it is."""
    assert all(s["facts"] for s in reg.curated())


def test_seeded_sources_present(reg):
    for sid in ["afp", "ap", "reuters", "dpa", "xinhua", "tass", "ria_novosti", "anadolu", "efe", "ansa", "kyodo",
                "yonhap", "keystone_sda", "apa", "kna", "epd", "rt", "rt_de", "sputnik", "cgtn", "china_org_cn",
                "global_times", "peoples_daily", "press_tv", "trt", "al_jazeera", "voa", "rferl", "dw", "bbc",
                "france24", "bloomberg", "financial_times", "faz", "sueddeutsche", "welt", "spiegel", "zeit",
                "handelsblatt", "taz", "bild", "nzz", "tages_anzeiger", "blick", "der_standard", "die_presse",
                "kurier", "guardian", "the_times", "telegraph", "the_independent", "daily_mail", "nyt",
                "washington_post", "wsj", "usa_today", "la_times"]:
        assert sid in reg, sid


@pytest.mark.parametrize("sid", ["bbc", "dw"])
def test_public_and_state_funded_are_never_state_controlled(reg, sid):
    sa = reg.get(sid)["state_affiliation"]
    assert sa["category"] != "state_controlled"
    assert sa["smm_typology"] not in ("SC", "CaPu", "CaPr")
    assert _cited(sa["citation"])


@pytest.mark.parametrize("sid", ["rt", "rt_de", "xinhua", "cgtn", "china_org_cn"])
def test_state_controlled_with_citation(reg, sid):
    sa = reg.get(sid)["state_affiliation"]
    assert sa["category"] == "state_controlled"
    assert sa["smm_typology"] == "SC"
    assert sa["smm_as_of"]
    assert _cited(sa["citation"])


def test_category_agrees_with_typology_and_import(reg):
    """The hand-written typology matches the imported State Media Monitor rows it cites."""
    sm = json.loads((DATA / "state_media.json").read_text(encoding="utf-8"))
    rows = {o["row"]: o for o in sm["outlets"]}
    import re

    for s in reg.curated():
        sa = s.get("state_affiliation") or {}
        code = sa.get("smm_typology")
        if not code:
            continue
        assert sa["category"] == SMM_CATEGORY[code], s["id"]
        cited_rows = [int(n) for n in re.findall(r"\d+", sa["citation"]["title"].split("row", 1)[1].split("(")[0])]
        assert cited_rows, s["id"]
        for n in cited_rows:
            assert rows[n]["typology"] == code, (s["id"], n)


def test_eu_listings_from_the_checked_table(reg):
    rt_de = reg.get("rt_de")["legal_status"][0]
    assert rt_de["instrument"] == "Council Regulation (EU) 2022/350"
    assert (rt_de["adopted"], rt_de["applies_from"], rt_de["listed_as"]) == (
        "2022-03-01", "2022-03-02", "RT - Russia Today Germany")
    assert rt_de["confidence"] == "confirmed"
    assert rt_de["citation"]["url"] == "https://eur-lex.europa.eu/eli/reg/2022/350/oj"
    for sid in ("tass", "xinhua", "cgtn", "trt"):
        assert not any(ls["kind"] == "eu_broadcast_ban" for ls in reg.get(sid).get("legal_status") or [])


@pytest.mark.parametrize("host,act,applies", [
    ("iz.ru", "2024/1428", "2024-06-25"), ("rg.ru", "2024/1428", "2024-06-25"),
    ("voiceofeurope.com", "2024/1428", "2024-06-25"), ("ria.ru", "2024/1428", "2024-06-25"),
    ("lenta.ru", "16th sanctions package", None), ("tvzvezda.ru", "16th sanctions package", None),
    ("tsargrad.tv", "2023/1214", "2023-10-01"), ("ntv.ru", "2022/2474", "2023-02-01"),
])
def test_eu_broadcast_bans_beyond_rt(reg, host, act, applies):
    from sourcecheck.provenance import notes_for

    s = reg.lookup_domain(host)
    bans = [ls for ls in s.get("legal_status") or [] if ls["kind"] == "eu_broadcast_ban" and act in ls["instrument"]]
    assert bans, host
    assert bans[0]["applies_from"] == applies
    note = next(n for n in notes_for(s) if n["kind"] == "legal_status" and act in n["value"])
    assert ("applies from " + applies) in note["value"] if applies else "not confirmed" in note["value"]


def test_asset_freeze_is_never_a_broadcast_ban(reg):
    from sourcecheck.provenance import notes_for

    press_tv = reg.get("press_tv")
    assert not any(ls["kind"] == "eu_broadcast_ban" for ls in press_tv["legal_status"])
    notes = [n for n in notes_for(press_tv) if n["kind"] == "legal_status"]
    assert notes and all("asset freeze" in n["claim"] and "not a broadcast ban" in n["claim"] for n in notes)


def test_ratings_kept_apart_from_facts(reg):
    for s in reg.curated():
        for f in s["facts"]:
            assert "perennial" not in f["claim"].lower() and "reliab" not in f["claim"].lower()
    assert reg.get("rt")["ratings"]["wikipedia_perennial"]["status"] == "d"
    assert reg.get("xinhua")["ratings"]["wikipedia_perennial"]["status"] == "nc"


@pytest.mark.parametrize("host,expected", [
    ("de.rt.com", "rt_de"),
    ("https://de.rt.com/wirtschaft/123-x/", "rt_de"),
    ("rt.com", "rt"),
    ("www.rt.com:443", "rt"),
    ("russian.rt.com", "rt"),
    ("www.china.org.cn", "china_org_cn"),
    ("english.news.cn", "xinhua"),
    ("www.bbc.co.uk", "bbc"),
    ("test.bbc.com", "bbc"),
    ("radiosputnik.ria.ru", "sputnik"),
    ("ria.ru", "ria_novosti"),
])
def test_lookup_domain_longest_suffix(reg, host, expected):
    assert reg.lookup_domain(host)["id"] == expected


def test_lookup_domain_imported_and_unknown(reg):
    s = reg.lookup_domain("bakhtarnews.af")
    assert s["origin"] == "state_media" and s["state_affiliation"]["smm_typology"] == "SC"
    assert reg.lookup_domain("breitbart.com")["ratings"]["wikipedia_perennial"]["status"] == "d"
    assert reg.lookup_domain("example.org") is None
    assert reg.lookup_domain("") is None
    assert normalize_host("HTTPS://WWW.Example.COM./a") == "example.com"


def test_find(reg):
    assert reg.find("RT")["id"] == "rt"
    assert reg.find("RT DE")["id"] == "rt_de"
    assert reg.find("china.org.cn")["id"] == "china_org_cn"
    assert reg.find("Süddeutsche Zeitung")["id"] == "sueddeutsche"
    assert reg.find("the guardian")["id"] == "guardian"
    assert reg.find("Alibaba") is None


def test_imports_complete():
    sm = json.loads((DATA / "state_media.json").read_text(encoding="utf-8"))
    pe = json.loads((DATA / "perennial.json").read_text(encoding="utf-8"))
    assert sm["count"] == len(sm["outlets"]) == 1157
    assert "State Media Monitor" in sm["attribution"] and sm["source"]["url"].startswith("https://")
    assert "CC BY-SA" in pe["attribution"] and pe["count"] == len(pe["entries"])
    for e in pe["entries"]:
        assert e["url"].startswith("https://en.wikipedia.org/wiki/Wikipedia:Reliable_sources/Perennial_sources#")
        assert set(e) >= {"name", "domains", "status", "last_discussed", "shortcut"}
        assert "summary" not in e and "alltext" not in e  # no prose copied
    assert all("notes" not in o.lower() for o in sm["outlets"][0])


def test_user_registry_merges_by_id(tmp_path, monkeypatch):
    user = tmp_path / "mine.yaml"
    user.write_text(yaml.safe_dump({"sources": [
        {"id": "bbc", "owner": "overridden for the test"},
        {"id": "local_paper", "name": "Local Paper", "aliases": {"de": ["Lokalblatt"]}, "domains": ["lokal.example"],
         "type": "newspaper",
         "facts": [{"claim": "type", "value": "local daily", "citation": {"title": "Impressum", "url": "https://lokal.example/impressum"}, "as_of": "2025-01"}]},
    ]}), encoding="utf-8")
    reg = build_registry(extra_path=user)
    assert reg.get("bbc")["owner"] == "overridden for the test"
    assert reg.get("bbc")["state_affiliation"]["category"] == "public"  # untouched fields stay
    assert reg.get("bbc")["origin"] == "user"
    assert reg.lookup_domain("www.lokal.example")["id"] == "local_paper"
    assert reg.find("Lokalblatt")["id"] == "local_paper"
    assert reg.validate() == []

    monkeypatch.setenv("SOURCECHECK_REGISTRY", str(user))
    load_registry.cache_clear()
    try:
        assert load_registry().get("local_paper") is not None
    finally:
        monkeypatch.delenv("SOURCECHECK_REGISTRY")
        load_registry.cache_clear()
    assert load_registry().get("local_paper") is None


def test_user_registry_rejects_uncited_new_source(tmp_path):
    user = tmp_path / "bad.yaml"
    user.write_text(yaml.safe_dump({"sources": [
        {"id": "nocite", "name": "No Cite", "aliases": {}, "domains": ["nocite.example"], "type": "blog",
         "facts": [{"claim": "owner", "value": "someone", "as_of": "2025"}]}]}), encoding="utf-8")
    with pytest.raises(ValueError):
        build_registry(extra_path=user)


def test_import_script_is_deterministic(tmp_path):
    """Rerunning step 00 gives the shipped files byte for byte."""
    import importlib.util

    from sourcecheck.corpora import shared_dir

    if not (shared_dir() / "reference").is_dir():
        pytest.skip("shared/reference not available")
    path = Path(__file__).resolve().parents[1] / "training" / "00_import_reference.py"
    spec = importlib.util.spec_from_file_location("import_reference", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert mod.main(["--out", str(tmp_path)]) == 0
    for name in ("state_media.json", "perennial.json"):
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), name
