#!/usr/bin/env python
"""Step 00: turn the two third-party references into compact facts the package ships.

Why a script and not a hand copy: the references (State Media Monitor typology via
the ASD/GMF state-media-profiles CSV, and a parse of Wikipedia's Perennial sources
list) change over time, so the import must be rerunnable and give byte-identical
output for identical input.  Only facts are kept (names, countries, domains,
typology codes, consensus status, year of the last discussion, links), each file
with its attribution; prose notes and Wikipedia's summaries are deliberately
dropped (licence and "facts, not verdicts").

Input:  <shared>/reference/state-media-profiles/State_Media_Matrix.csv
        <shared>/reference/wikipedia-perennial-sources/sources.jsonl
        <shared>/reference/outlets/{wikidata-newspapers,fundus-publishers,newscatcher-sources}/
        <shared>/reference/eu-media-restrictions/{acts,other-measures}.csv
        where <shared> is $SOURCECHECK_SHARED, else ../shared beside the repo.
Output: src/sourcecheck/data/state_media.json, src/sourcecheck/data/perennial.json,
        src/sourcecheck/data/outlets.json (Wikidata newspapers CC0, fundus MIT, newscatcher MIT:
        one compact row per outlet, each with its list's citation: Q-id and the item's
        `modified` date; repository and commit), src/sourcecheck/data/eu_restrictions.json

Usage:  python training/00_import_reference.py [--shared PATH] [--out DIR]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import re
import sys
from pathlib import Path
from urllib.parse import quote, urlsplit

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from sourcecheck.corpora import shared_dir  # noqa: E402

SMM_REPO_URL = "https://github.com/ASD-at-GMF/state-media-profiles"
SMM_VERSION = "2024-02-07"
PERENNIAL_PAGE = "https://en.wikipedia.org/wiki/Wikipedia:Reliable_sources/Perennial_sources"
PERENNIAL_PARSER_URL = "https://github.com/audiodude/wiki-reliable-sources-parser"
PERENNIAL_VERSION = "2026-04-19"

TYPOLOGY = {
    "SC": "state-controlled media",
    "CaPu": "captured public/state-managed media",
    "CaPr": "captured private media",
    "ISFM": "independent state-funded and state-managed media",
    "ISF": "independent state-funded media",
    "ISM": "independent state-managed media",
    "IP": "independent public media",
}
PERENNIAL_STATUS = {
    "gr": "generally reliable",
    "nc": "no consensus",
    "gu": "generally unreliable",
    "d": "deprecated",
    "b": "blacklisted",
}


def host_of(url: str) -> str | None:
    """The host of a URL from the CSV (some lack a scheme), lower-case, without 'www.'."""
    url = (url or "").strip()
    if not url:
        return None
    host = urlsplit(url if "//" in url else "//" + url).hostname or ""
    host = host.lower().strip(".")
    if host.startswith("www."):
        host = host[4:]
    return host or None


def import_state_media(shared: Path) -> dict:
    path = shared / "reference" / "state-media-profiles" / "State_Media_Matrix.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    outlets = []
    for i, r in enumerate(rows):
        raw = (r.get("Typology") or "").strip()
        code = raw.rstrip("?").strip() or None
        if code is not None and code not in TYPOLOGY:
            raise ValueError(f"unknown typology {raw!r} in CSV row {i + 2}")
        host = host_of(r.get("URL") or "")
        outlet = {
            "row": i + 2,  # line number in the CSV, header is line 1
            "region": (r.get("Region") or "").strip() or None,
            "country": (r.get("Country") or "").strip() or None,
            "name": (r.get("Media company") or "").strip() or None,
            "main_assets": (r.get("Main assets") or "").strip() or None,
            "url": (r.get("URL") or "").strip() or None,
            "domains": [host] if host else [],
            "typology": code,
            "typology_uncertain": raw.endswith("?"),
            "status": (r.get("Status") or "").strip() or None,
        }
        outlets.append(outlet)
    return {
        "attribution": (
            "Typology: State Media Monitor (statemediamonitor.com), Media and Journalism Research "
            "Center. Data: state-media-profiles by the Alliance for Securing Democracy at GMF "
            f"({SMM_REPO_URL}), MIT License, version of {SMM_VERSION}. Notes column omitted."
        ),
        "source": {
            "title": "state-media-profiles, State_Media_Matrix.csv",
            "url": SMM_REPO_URL,
            "license": "MIT",
            "version": SMM_VERSION,
            "typology_url": "https://statemediamonitor.com/typology/",
        },
        "typology": TYPOLOGY,
        "count": len(outlets),
        "outlets": outlets,
    }


_USES = re.compile(r"\{\{\s*WP:RSPUSES\s*\|([^}]*)\}\}")
_DOMAIN = re.compile(r"^[a-z0-9][a-z0-9.-]*\.[a-z]{2,}(/\S*)?$", re.I)


def perennial_domains(row: dict) -> list[str]:
    """Hosts from the row's RSPUSES template (the page's own list), else the parser's `domain`."""
    tokens: list[str] = []
    for m in _USES.finditer(row.get("alltext") or ""):
        tokens.extend(t.strip() for t in m.group(1).split("|"))
    if not tokens and row.get("domain"):
        tokens = [row["domain"]]
    hosts: list[str] = []
    for t in tokens:
        if "=" in t or not _DOMAIN.match(t):
            continue
        h = t.split("/", 1)[0].lower()
        if h.startswith("www."):
            h = h[4:]
        if h not in hosts:
            hosts.append(h)
    return hosts


def anchor_url(anchor: str) -> str:
    return PERENNIAL_PAGE + "#" + quote(anchor.replace(" ", "_"), safe="_-.()'!,:~*")


def import_perennial(shared: Path) -> dict:
    path = shared / "reference" / "wikipedia-perennial-sources" / "sources.jsonl"
    entries = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            r = json.loads(line)
            status = (r.get("status") or "").strip() or None
            last = r.get("rsp_last")
            last = int(last) if isinstance(last, str) and last.isdigit() else None
            entries.append({
                "id": r["id"],
                "name": r.get("name"),
                "qualifier": r.get("content_qualifier") or None,  # e.g. "(general topics)"
                "also_known_as": r.get("name_qualifier") or None,  # e.g. "(AFP)"
                "domains": perennial_domains(r),
                "status": status,
                "status_label": PERENNIAL_STATUS.get(status or ""),
                "last_discussed": last,
                "shortcut": r.get("shortcut") or None,
                "url": anchor_url(r["id"]),
            })
    return {
        "attribution": (
            "Status and year of last discussion from Wikipedia, \"Wikipedia:Reliable sources/"
            f"Perennial sources\" ({PERENNIAL_PAGE}), CC BY-SA 4.0, via the parse by "
            f"{PERENNIAL_PARSER_URL} (commit of {PERENNIAL_VERSION}). Summaries omitted."
        ),
        "source": {
            "title": "Wikipedia:Reliable sources/Perennial sources",
            "url": PERENNIAL_PAGE,
            "license": "CC BY-SA 4.0",
            "version": PERENNIAL_VERSION,
            "parser": PERENNIAL_PARSER_URL,
        },
        "status_codes": PERENNIAL_STATUS,
        "count": len(entries),
        "entries": entries,
    }


# --- outlets (Wikidata newspapers, fundus, newscatcher) ------------------------------------
WIKIDATA_REPO = "https://github.com/patrickswickard/international_newspapers"
WIKIDATA_COMMIT = "0d8b4a34764914490583a603d2a5d12ad175ecbd"
FUNDUS_REPO = "https://github.com/flairNLP/fundus"
FUNDUS_COMMIT = "18da6e53592f99cf0ac5770dc63d6ba99ba63ae8"
NEWSCATCHER_PKG = "https://pypi.org/project/newscatcher/0.2.0/"

from sourcecheck.provenance.countries import COUNTRY_ISO, LANG_ISO  # noqa: E402

_QID = re.compile(r"/(Q\d+)$")
_LABEL_QID = re.compile(r"^(.*) \((Q\d+)\)$")


def _hosts(urls) -> list[str]:
    out: list[str] = []
    for u in urls:
        h = host_of(u or "")
        if h and "." in h and h not in out and not h.startswith("web.archive.org"):
            out.append(h)
    return out


def _label(value) -> str | None:
    """'Turkey (Q43)' -> 'Turkey'; the first of a list."""
    if isinstance(value, list):
        value = value[0] if value else None
    if not isinstance(value, str):
        return None
    m = _LABEL_QID.match(value)
    return m.group(1) if m else value


def import_outlets(shared: Path) -> dict:
    base = shared / "reference" / "outlets"
    # Wikidata: the query result gives every item; the entity records add aliases, owner, inception, modified
    items: dict[str, dict] = {}
    with (base / "wikidata-newspapers" / "get_newspaper_info.csv").open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            qid = _QID.search(r["item"]).group(1)
            it = items.setdefault(qid, {"label": r["itemLabel"], "urls": [], "countries": [], "langs": []})
            it["urls"].append(r["offurl"])
            if r["countryLabel"] and r["countryLabel"] not in it["countries"]:
                it["countries"].append(r["countryLabel"])
            if r["languageLabel"] and r["languageLabel"] not in it["langs"]:
                it["langs"].append(r["languageLabel"])
    with gzip.open(base / "wikidata-newspapers" / "entities.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            e = json.loads(line)
            qid = e.get("wikibase")
            if qid not in items:
                continue
            it = items[qid]
            wd = e.get("wikidata") or {}
            title = _label(wd.get("title (P1476)"))
            it["label"] = e.get("label") or it["label"]
            if _QID.match("/" + (it["label"] or "")) and title:
                it["label"] = title  # no English label: the title the paper prints
            names = list(e.get("aliases") or [])
            if title and title not in names:
                names.append(title)
            it["aliases"] = [n for n in names if n and n != it["label"]]
            it["owner"] = _label(wd.get("owned by (P127)"))
            inc = wd.get("inception (P571)")
            inc = inc[0] if isinstance(inc, list) else inc
            it["inception"] = inc[1:5] if isinstance(inc, str) and re.match(r"^[+-]\d{4}", inc) else None
            it["modified"] = ((e.get("modified") or {}).get("wikidata") or "")[:10] or None
            if not it["countries"]:
                c = _label(wd.get("country (P17)")) or _label(wd.get("country of origin (P495)"))
                if c:
                    it["countries"].append(c)
    wikidata = []
    for qid in sorted(items, key=lambda q: int(q[1:])):
        it = items[qid]
        hosts = _hosts(it["urls"])
        if not hosts or not it["label"] or _QID.match("/" + it["label"]):
            continue
        country = next((COUNTRY_ISO[c] for c in it["countries"] if c in COUNTRY_ISO), None)
        langs = sorted({LANG_ISO[lab] for lab in it["langs"] if lab in LANG_ISO})
        wikidata.append([qid, it["label"], it.get("aliases") or [], hosts, country, langs,
                         it.get("owner"), it.get("inception"), it.get("modified")])
    fundus = []
    for p in json.loads((base / "fundus-publishers" / "publishers.json").read_text(encoding="utf-8")):
        hosts = _hosts([p.get("domain")])
        if hosts:
            cg = (p.get("country_group") or "").upper()
            country = {"UK": "GB", "IND": "IN", "ISL": "IS"}.get(cg, cg if len(cg) == 2 else None)
            fundus.append([p["key"], p["name"], hosts, country, p.get("default_language")])
    newscatcher = {}
    with (base / "newscatcher-sources" / "package_rss.csv").open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            h = host_of(r["clean_url"])
            if not h or h in newscatcher:
                continue
            c = (r.get("clean_country") or "").strip()
            newscatcher[h] = [h, r.get("language") or None, r.get("topic_unified") or None,
                              c if re.fullmatch(r"[A-Z]{2}", c) else None]
    return {
        "attribution": {
            "wikidata": "Wikidata items typed newspaper (P31 Q11032) with an official website, CC0, via "
                        f"{WIKIDATA_REPO} (commit {WIKIDATA_COMMIT}, 2023-12-29); each fact cites its item "
                        "and the item's modified date.",
            "fundus": f"fundus publisher collection, {FUNDUS_REPO} commit {FUNDUS_COMMIT} (2026-08-05). "
                      "MIT License, Copyright (c) 2023 Max Dallabetta, Conrad Dobberstein, Aaron Wey.",
            "newscatcher": f"newscatcher 0.2.0 source list ({NEWSCATCHER_PKG}), package_rss.db. MIT License, "
                           "Copyright (c) 2020 newscatcherapi.com.",
        },
        "source": {
            "wikidata": {"title": "Wikidata", "url": "https://www.wikidata.org/wiki/", "license": "CC0",
                         "repository": WIKIDATA_REPO, "commit": WIKIDATA_COMMIT},
            "fundus": {"title": "fundus publisher collection", "url": f"{FUNDUS_REPO}/tree/{FUNDUS_COMMIT}",
                       "license": "MIT", "commit": FUNDUS_COMMIT, "version": "2026-08-05"},
            "newscatcher": {"title": "newscatcher 0.2.0 source list", "url": NEWSCATCHER_PKG, "license": "MIT",
                            "version": "2020-05"},
        },
        "columns": {"wikidata": ["qid", "label", "aliases", "domains", "country", "languages", "owner",
                                 "inception", "modified"],
                    "fundus": ["key", "name", "domains", "country", "language"],
                    "newscatcher": ["host", "language", "topic", "country"]},
        "count": {"wikidata": len(wikidata), "fundus": len(fundus), "newscatcher": len(newscatcher)},
        "wikidata": wikidata,
        "fundus": fundus,
        "newscatcher": [newscatcher[h] for h in sorted(newscatcher)],
    }


def import_eu(shared: Path) -> dict:
    base = shared / "reference" / "eu-media-restrictions"
    with (base / "acts.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    head, acts = rows[0], []
    for r in rows[1:]:
        if len(r) == len(head) + 1:  # an unquoted comma in `kind` ("Art. 2f, Annex XV"): rejoin it
            r = [r[0], r[1] + "," + r[2], *r[3:]]
        if len(r) != len(head):
            raise ValueError(f"acts.csv: cannot read row {r!r}")
        acts.append(dict(zip(head, r)))
    with (base / "other-measures.csv").open(encoding="utf-8", newline="") as fh:
        other = [dict(r) for r in csv.DictReader(fh)]
    for a in acts:
        m = re.search(r"\(EU\) (\d{4})/(\d+)", a["act"])
        a["url"] = f"https://eur-lex.europa.eu/eli/reg/{m.group(1)}/{m.group(2)}/oj" if m else None
        a["outlets_added"] = [o.strip() for o in a["outlets_added"].split(";")
                              if o.strip() and not o.strip().startswith("none")]
    return {"source": {"title": "eu-media-restrictions (compiled 2026-12-08 from the Council's and regulators' texts)",
                       "version": "2026-12-08"},
            "acts": acts, "other_measures": other}


def write_json(path: Path, data: dict, compact: bool = False) -> None:
    if compact:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n"
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", default=None, help="shared/ directory (default: $SOURCECHECK_SHARED or ../shared)")
    ap.add_argument("--out", default=str(REPO / "src" / "sourcecheck" / "data"))
    args = ap.parse_args(argv)
    shared = shared_dir(args.shared)
    if not (shared / "reference").is_dir():
        print(f"no reference/ under {shared}", file=sys.stderr)
        return 2
    out = Path(args.out)
    sm = import_state_media(shared)
    pe = import_perennial(shared)
    write_json(out / "state_media.json", sm)
    write_json(out / "perennial.json", pe)
    ol = import_outlets(shared)
    write_json(out / "outlets.json", ol, compact=True)
    eu = import_eu(shared)
    write_json(out / "eu_restrictions.json", eu)
    print(f"state_media.json: {sm['count']} outlets; perennial.json: {pe['count']} entries; outlets.json: "
          f"{ol['count']}; eu_restrictions.json: {len(eu['acts'])} acts -> {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
