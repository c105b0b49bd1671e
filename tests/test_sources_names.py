"""Names in context: a name several outlets share never resolves on the name alone (issue 23).

Every collision the issue lists has a test: "CBC" (Azerbaijan / Canada), "RTS" (Senegal, Serbia /
Switzerland), "Daily News" (Sri Lanka, Botswana, South Africa, Tanzania, New York...), "ANP" (Niger /
the Netherlands), "NTV" (Nepal, Turkey, Russia), "MBC" (Korea, Saudi Arabia, Malawi), "CNA" (Taiwan,
Cyprus, Singapore), "ABC" (Australia, the US, Spain).  The page's domain, country or language decides.
"""

from __future__ import annotations

import pytest

from sourcecheck.article import Article, Segment
from sourcecheck.provenance import detect_sources, load_registry


@pytest.fixture(scope="module")
def reg():
    return load_registry()


def page(lines, meta=None, lang=None, kind="html"):
    text, segs = "", []
    for i, (label, t) in enumerate(lines):
        start = len(text)
        text += t + "\n\n"
        segs.append(Segment(index=i, text=t, start=start, end=start + len(t), label=label))
    return Article(input="t", kind=kind, text=text, segments=segs, meta=meta or {}, lang=lang)


COLLISIONS = ["CBC", "RTS", "Daily News", "ANP", "NTV", "MBC", "CNA", "ABC"]


@pytest.mark.parametrize("name", COLLISIONS)
def test_shared_name_never_resolves_alone(reg, name):
    assert len(reg.candidates(name)) >= 2, name
    assert reg.find(name) is None
    assert reg.resolve(name) is None


@pytest.mark.parametrize("name,kw,country", [
    ("CBC", {"host": "www.cbc.ca"}, "CA"),
    ("CBC", {"country": "AZ"}, "AZ"),
    ("RTS", {"host": "www.rts.ch"}, "CH"),
    ("RTS", {"host": "rts.sn"}, "SN"),
    ("Daily News", {"host": "www.dailynews.lk"}, "LK"),
    ("Daily News", {"country": "TZ"}, "TZ"),
    ("ANP", {"host": "nos.nl"}, "NL"),
    ("ANP", {"country": "NE"}, "NE"),
    ("NTV", {"host": "ntv.com.tr"}, "TR"),
    ("NTV", {"country": "NP"}, "NP"),
    ("MBC", {"host": "imbc.com"}, "KR"),
    ("MBC", {"country": "MW"}, "MW"),
    ("CNA", {"host": "www.channelnewsasia.com"}, "SG"),
    ("CNA", {"host": "cna.com.tw"}, "TW"),
    ("ABC", {"host": "www.abc.net.au"}, "AU"),
    ("ABC", {"host": "abcnews.go.com"}, "US"),
])
def test_shared_name_resolves_with_evidence(reg, name, kw, country):
    s = reg.resolve(name, **kw)
    assert s is not None and (s.get("country") or "").upper() == country, (name, kw, s and s["id"])


def test_cbc_page_gets_only_the_canadian_outlet(reg):
    a = page([("news", "The story.")], meta={"url": "https://www.cbc.ca/news/x", "site_name": "CBC"})
    dets = detect_sources(a, reg)
    pubs = [d for d in dets if d["role"] == "publisher"]
    assert len(pubs) == 1 and reg.get(pubs[0]["source_id"])["country"] == "CA"
    notes = " ".join(n["value"] for n in pubs[0]["notes"])
    assert "Azerbaijan" not in notes and "state-controlled" not in notes


def test_rts_page_gets_only_the_swiss_outlet(reg):
    a = page([("news", "Le texte.")], meta={"url": "https://www.rts.ch/info/x.html", "site_name": "RTS"}, lang="fr")
    dets = detect_sources(a, reg)
    assert [d["source_id"] for d in dets if d["role"] == "publisher"] == ["rts_ch"]
    assert not any(d["source_id"].startswith("smm:") for d in dets)


def test_og_site_name_alone_does_not_pick_a_namesake(reg):
    """ "CBC" as og:site_name on an unknown host is the page's own name, not Azerbaijan's CBC."""
    a = page([("news", "Text.")], meta={"url": "https://cbc-example.invalid/x", "site_name": "CBC"})
    (d,) = [d for d in detect_sources(a, reg) if d["role"] == "publisher"]
    assert d["source_id"] == "site:cbc-example.invalid" and d["name"] == "CBC"


def test_anp_credit_follows_the_page(reg):
    nl = page([("news", "DEN HAAG (ANP) - Het kabinet heeft besloten.")], meta={"url": "https://nos.nl/x"}, lang="nl")
    assert ("anp", "wire") in {(d["source_id"], d["role"]) for d in detect_sources(nl, reg)}
    ne = page([("news", "NIAMEY (ANP) - Le gouvernement a décidé.")], meta={"url": "https://www.actuniger.ne/x"},
              lang="fr")
    ids = {(d["source_id"], d["role"]) for d in detect_sources(ne, reg)}
    assert ("anp", "wire") not in ids


def test_unknown_outlet_gets_a_publisher_by_its_own_name(reg):
    a = page([("news", "Der Gemeinderat tagte."), ("chrome", "© 2024 Riverside Kurier. Alle Rechte vorbehalten.")],
             meta={"url": "https://www.riverside-kurier.example/lokales/1", "site_name": "Riverside Kurier"})
    (d,) = [d for d in detect_sources(a, reg) if d["role"] == "publisher"]
    assert d["source_id"] == "site:riverside-kurier.example" and d["name"] == "Riverside Kurier"
    assert d["known"] is False
    assert d["notes"][0]["kind"] == "registry" and "no list" in d["notes"][0]["value"]


def test_publisher_from_host_alone_and_from_wayback(reg):
    a = page([("news", "Text.")], meta={})
    (d,) = detect_sources(a, reg, url="https://motor.example.at/x")
    assert d["role"] == "publisher" and d["domains"] == ["motor.example.at"]
    b = page([("news", "Text.")])
    (d,) = detect_sources(b, reg, url="https://web.archive.org/web/2013/http://www.peptalks.example/x.html")
    assert d["domains"] == ["peptalks.example"]


def test_plain_text_self_reference_is_the_publisher(reg):
    a = page([("news", "The council met on Monday."), ("chrome", "© 2025 Lakeside Gazette")], kind="text")
    (d,) = [d for d in detect_sources(a, reg) if d["role"] == "publisher"]
    assert d["name"] == "Lakeside Gazette"


def test_url_argument_wins_over_missing_meta(reg):
    a = page([("news", "Text.")])
    (d,) = detect_sources(a, reg, url="https://www.theguardian.com/world/x")
    assert d["source_id"] == "guardian"


def test_shared_credit_name_unresolved_when_the_page_contradicts_it(reg):
    """ "(ANP)" on a Spanish-language page of another country is not taken for the Dutch agency."""
    a = page([("news", "MONTEVIDEO (ANP)- El gobierno anunció medidas.")], meta={"url": "https://www.example.com.uy/x"},
             lang="es")
    assert not any(d["source_id"] == "anp" for d in detect_sources(a, reg))
