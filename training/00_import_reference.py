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
        where <shared> is $SOURCECHECK_SHARED, else ../shared beside the repo.
Output: src/sourcecheck/data/state_media.json, src/sourcecheck/data/perennial.json

Usage:  python training/00_import_reference.py [--shared PATH] [--out DIR]
"""

from __future__ import annotations

import argparse
import csv
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


def write_json(path: Path, data: dict) -> None:
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
    print(f"state_media.json: {sm['count']} outlets; perennial.json: {pe['count']} entries -> {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
