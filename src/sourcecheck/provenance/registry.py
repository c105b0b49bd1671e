"""The source registry: who is behind a domain or a name.

Layers, merged in this order so that curated knowledge always wins:

1. ``data/sources.yaml``: hand-written entries with cited facts, state
   affiliation, EU legal status, aliases for text detection;
2. ``data/state_media.json`` and ``data/perennial.json``: imported facts
   (State Media Monitor typology, Wikipedia perennial-sources status) that
   (a) fill the ratings of curated entries and (b) give a minimal entry to
   every other listed domain, so an article from any of the 1,157 state-media
   outlets still gets a cited note;
3. ``data/outlets.json``: thousands of outlets imported from open lists
   (Wikidata newspapers, CC0; fundus publishers and newscatcher hosts, MIT),
   each fact citing its list (Wikidata Q-id and the item's modified date; the
   repository and commit), for domains no other layer covers;
4. ``data/eu_restrictions.json``: EU acts that suspended outlets, attached as
   ``legal_status`` to the outlets they name (with act number, adoption date
   and date of application; an asset freeze is recorded as such);
5. a user registry file (``extra_path`` or ``$SOURCECHECK_REGISTRY``), merged
   over the rest by id, field by field, so a newsroom can correct or extend
   the shipped data without forking it.

Names: several outlets share short names (CBC, RTS, ABC, NTV, MBC, ANP, CNA,
"Daily News"), so a name maps to a *list* of candidates and `resolve` picks one
only with evidence that fits (the page's domain, country or language) or when
the name is unambiguous; `find` is `resolve` without context.

Nothing is read at import time; ``load_registry`` caches its result.
"""

from __future__ import annotations

import functools
import json
import os
import re
from importlib import resources
from pathlib import Path
from typing import Iterable
from urllib.parse import urlsplit

import yaml

from .countries import COUNTRY_ISO

ENV_VAR = "SOURCECHECK_REGISTRY"

#: Source types whose name in a credit line means "this agency supplied the text or image".
AGENCY_TYPES = frozenset({"news_agency", "wire_agency", "photo_agency"})


def _data_path(name: str) -> Path:
    return Path(str(resources.files("sourcecheck").joinpath("data", name)))


@functools.lru_cache(maxsize=None)
def _read_yaml(path: str) -> dict:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader when libyaml is there: 6x faster
    with open(path, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=loader) or {}


@functools.lru_cache(maxsize=None)
def _read_json(path: str) -> dict:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def normalize_host(host: str) -> str:
    """A bare lower-case host from a host or URL: no scheme, port, path, trailing dot or 'www.'."""
    host = (host or "").strip()
    if "/" in host or ":" in host:
        try:
            host = urlsplit(host if "//" in host else "//" + host).hostname or ""
        except ValueError:  # a page's own URL can be anything ("http://[x/"): no host
            host = ""
    host = host.lower().strip(".")
    if host.startswith("www."):
        host = host[4:]
    return host


def _key(name: str) -> str:
    """Name key for `find`: case-folded, curly quotes straightened, spaces collapsed."""
    return " ".join(name.replace("’", "'").replace("‘", "'").split()).casefold()


def _full_name(name: str) -> bool:
    """Not a short name or abbreviation: at least 6 letters and not an all-capitals code."""
    letters = re.sub(r"[^\w]", "", name)
    return len(letters) >= 6 and not (name.isupper() and len(letters) <= 6)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def _covered(host: str, domains: Iterable[str]) -> bool:
    return any(host == d or host.endswith("." + d) for d in domains)


#: Which layer wins a domain or a name: lower first.
LAYER = {"registry": 0, "user": 0, "eu": 1, "state_media": 2, "hand": 3, "wikidata": 4, "fundus": 5, "perennial": 6,
         "newscatcher": 7}

#: Country-code top-level domains that are not a country's own (used as generic names).
_GENERIC_CC = {"io", "tv", "co", "me", "fm", "ai", "ly", "to", "cc", "ws", "la", "am", "gg", "is", "info"}


def country_of_host(host: str) -> str | None:
    """ISO country of a host's ccTLD ("cbc.ca" -> "CA"; ".uk" -> "GB"), None for generic TLDs."""
    tld = normalize_host(host).rsplit(".", 1)[-1]
    if len(tld) != 2 or tld in _GENERIC_CC:
        return None
    return {"uk": "GB"}.get(tld, tld.upper())


class Registry:
    """All known sources, indexed by id, domain and name.

    ``sources`` maps id to the entry (a plain dict, shaped as in
    ``schema.SOURCE``).  Entries have ``origin``: ``registry`` (curated),
    ``user``, ``state_media`` or ``perennial`` (imported only).
    """

    def __init__(self, sources: dict[str, dict], meta: dict | None = None) -> None:
        self.sources = sources
        self.meta = meta or {}
        self._domains: dict[str, str] = {}
        self._names: dict[str, list[str]] = {}
        # curated first so that they win over imported entries on equal keys
        order = sorted(sources.values(), key=lambda s: LAYER.get(s.get("origin", ""), 9))
        for s in order:
            for d in s.get("domains") or []:
                self._domains.setdefault(normalize_host(d), s["id"])
        for s in order:
            for n in source_names(s):
                lst = self._names.setdefault(_key(n), [])
                if s["id"] not in lst:
                    lst.append(s["id"])
        # the same outlet in several lists is one candidate: an imported row named like a hand-checked
        # entry of the same country (or a perennial row that gives no country) is that entry
        for key, lst in self._names.items():
            if len(lst) < 2:
                continue
            cur = [sources[i] for i in lst if sources[i].get("origin") in ("registry", "user")]
            if not cur:
                continue
            countries = {(c.get("country") or "").upper() for c in cur}
            self._names[key] = [i for i in lst if sources[i].get("origin") in ("registry", "user") or not (
                (sources[i].get("country") or "").upper() in countries
                or (sources[i].get("origin") == "perennial" and not sources[i].get("country")))]

    # -- lookups ---------------------------------------------------------
    def get(self, source_id: str) -> dict | None:
        return self.sources.get(source_id)

    def __contains__(self, source_id: str) -> bool:
        return source_id in self.sources

    def __len__(self) -> int:
        return len(self.sources)

    def lookup_domain(self, host: str) -> dict | None:
        """The source whose registered domain is the longest suffix of ``host``.

        ``de.rt.com`` finds RT DE before RT (``rt.com``); ``www.`` and ports
        are ignored; a full URL is accepted too.
        """
        host = normalize_host(host)
        if not host:
            return None
        labels = host.split(".")
        for i in range(len(labels) - 1):
            sid = self._domains.get(".".join(labels[i:]))
            if sid:
                return self.sources[sid]
        return None

    def candidates(self, name: str) -> list[dict]:
        """Every source with this name, alias or domain (case-insensitive, exact), curated first."""
        if not name:
            return []
        return [self.sources[sid] for sid in self._names.get(_key(name), ())]

    def resolve(self, name: str, host: str | None = None, lang: str | None = None,
                country: str | None = None) -> dict | None:
        """The one source a name means here, or None when the evidence does not single one out.

        Evidence, strongest first: a candidate whose domain covers the page's ``host``; the only
        candidate; the only candidate of the page's country (``country``, else the host's ccTLD)
        or language.  A name shared by several outlets never resolves on the name alone
        ("CBC" is Canada's on cbc.ca, Azerbaijan's nowhere without such evidence).
        """
        if not name:
            return None
        if name in self.sources:
            return self.sources[name]
        cands = self.candidates(name)
        if not cands:
            return None
        h = normalize_host(host or "")
        if h:
            for c in cands:
                if _covered(h, c.get("domains") or []):
                    return c
        if len(cands) == 1:
            return cands[0]
        country = country or (country_of_host(h) if h else None)
        if country:
            fit = [c for c in cands if (c.get("country") or "").upper() == country.upper()]
            if len(fit) == 1:
                return fit[0]
        if lang and all(c.get("languages") for c in cands):
            # language counts only when every candidate says which languages it publishes in
            fit = [c for c in cands if lang in c["languages"]]
            if len(fit) == 1:
                return fit[0]
        curated = [c for c in cands if c.get("origin") in ("registry", "user")]
        if len(curated) == 1 and _full_name(name) and name not in (curated[0].get("ambiguous_aliases") or ()):
            # a full name ("The Guardian") that one hand-checked entry carries: that entry; a short
            # one ("CBC", "RTS", "ANP") never resolves on the name alone
            return curated[0]
        return None

    def find(self, name: str) -> dict | None:
        """A source by id, or by a name, alias or domain that only one source has (see `resolve`)."""
        return self.resolve(name)

    def name_keys(self):
        """Every indexed name key (case-folded)."""
        return self._names.keys()

    def is_ambiguous(self, name: str) -> bool:
        return len(self._names.get(_key(name), ())) > 1

    def curated(self) -> list[dict]:
        """Hand-written and user entries: the only ones matched in article text."""
        return [s for s in self.sources.values() if s.get("origin") in ("registry", "user")]

    # -- checks ----------------------------------------------------------
    def validate(self) -> list[str]:
        """Schema errors and broken cross-references of the curated entries (empty when fine)."""
        from .schema import validate_source

        errors: list[str] = []
        for s in self.curated():
            entry = {k: v for k, v in s.items() if not k.startswith("_")}
            errors.extend(validate_source(entry))
            for ref in ("parent",):
                if s.get(ref) and s[ref] not in self.sources:
                    errors.append(f"{s['id']}: {ref} {s[ref]!r} is not a registry id")
            for lang, target in (s.get("editions") or {}).items():
                if target not in self.sources:
                    errors.append(f"{s['id']}: edition {lang} -> {target!r} is not a registry id")
            for pid in s.get("perennial_ids") or []:
                if pid not in self.meta.get("perennial_ids", ()):
                    errors.append(f"{s['id']}: perennial id {pid!r} not in perennial.json")
        return errors


def _perennial_rating(entry: dict, source: dict) -> dict:
    return {
        "status": entry["status"],
        "status_label": entry.get("status_label"),
        "last_discussed": entry.get("last_discussed"),
        "qualifier": entry.get("qualifier"),
        "shortcut": entry.get("shortcut"),
        "url": entry["url"],
        "citation": {"title": source.get("title", "Wikipedia:Reliable sources/Perennial sources"), "url": entry["url"]},
        "as_of": source.get("version"),
    }


def source_names(s: dict) -> list[str]:
    """Name, aliases and domains of a source: what `Registry.candidates` indexes."""
    names = [s["name"]]
    for lst in (s.get("aliases") or {}).values():
        names.extend(lst)
    names.extend(s.get("domains") or [])
    return [n for n in names if n]


#: Imported State Media Monitor rows corrected after review (issue 23, 2026-12-08, checked against
#: the sources they cite and public reporting): a row is dropped, loses a domain that is not the
#: outlet's, or has its typology withheld.  Keyed by CSV row.
SMM_REVIEW: dict[int, dict] = {
    31: {"name": "China Daily", "why": "the row gave China Youth Daily's pinyin (Zhōngguó Qīngnián Bào)"},
    174: {"drop_domains": ["kcnawatch.org"],
          "why": "kcnawatch.org is a service of the private NK News, not North Korean state TV"},
    275: {"drop_domains": ["socar.az"], "why": "socar.az is the oil company's site, not a media outlet"},
    579: {"withhold_typology": True,
          "why": "the imported code (SC, state-controlled) for RTVE was found wrong in review"},
    754: {"drop_domains": ["pdvsa.com"], "why": "pdvsa.com is the oil company's site, not a media outlet"},
    755: {"drop_domains": ["pdvsa.com"], "why": "pdvsa.com is the oil company's site, not a media outlet"},
}
REVIEW_CITATION = {"title": "sourcecheck issue 23 review of 2026-12-08 (imported rows checked against the sources "
                            "they cite and public reporting)"}
_ABBR = re.compile(r"^(.*?)\s*\(([^()]{2,12})\)\s*\**$")


def _state_media_entry(o: dict, source: dict) -> dict:
    code = o.get("typology")
    from .schema import SMM_CATEGORY

    review = SMM_REVIEW.get(o["row"]) or {}
    if review.get("name"):
        o = {**o, "main_assets": review["name"]}

    cit = {"title": f"State Media Monitor typology, State_Media_Matrix.csv row {o['row']} ({o.get('main_assets') or o.get('name')})",
           "url": source["url"]}
    facts = []
    if o.get("country"):
        facts.append({"claim": "country", "value": o["country"], "citation": cit, "as_of": source["version"]})
    if o.get("name"):
        facts.append({"claim": "media company", "value": o["name"], "citation": cit, "as_of": source["version"]})
    for f in facts:
        f["check"] = "imported"
    sa = {"category": SMM_CATEGORY.get(code, "unknown"), "smm_typology": code,
          "smm_as_of": source["version"], "citation": cit, "check": "imported"}
    if o.get("typology_uncertain"):
        sa["smm_uncertain"] = True
    aliases: list[str] = []
    m = _ABBR.match(o.get("name") or "")
    if m:  # "Canadian Broadcasting Corporation (CBC)": both forms name the outlet
        aliases += [m.group(1), m.group(2)]
    entry = {
        "id": f"smm:{o['row']}",
        "name": o.get("main_assets") or o.get("name") or o["domains"][0],
        "aliases": {"xx": aliases} if aliases else {},
        "domains": [d for d in o["domains"] if d not in (review.get("drop_domains") or ())],
        "type": "state_media",
        "country": COUNTRY_ISO.get(o.get("country") or "", o.get("country")),
        "country_name": o.get("country"),
        "owner": o.get("name"),
        "facts": facts,
        "state_affiliation": sa,
        "origin": "state_media",
    }
    if review:
        entry["review"] = {"note": review["why"], "citation": REVIEW_CITATION, "checked": "2026-12-08"}
        if review.get("withhold_typology"):
            del entry["state_affiliation"]
    return entry


def _merge_user(sources: dict[str, dict], user: dict, path: str) -> None:
    from .schema import validate_source

    for entry in user.get("sources") or []:
        sid = entry.get("id")
        if not sid:
            raise ValueError(f"{path}: a source without id")
        if sid in sources and sources[sid].get("origin") in ("registry", "user"):
            errs = validate_source(entry, partial=True)
            if errs:
                raise ValueError(f"{path}: " + "; ".join(errs))
            merged = dict(sources[sid])
            merged.update(entry)
            merged["origin"] = "user"
            sources[sid] = merged
        else:
            errs = validate_source(entry)
            if errs:
                raise ValueError(f"{path}: " + "; ".join(errs))
            sources[sid] = {**entry, "origin": "user"}


def _wikidata_entry(row: list, src: dict) -> dict:
    qid, label, aliases, hosts, country, langs, owner, inception, modified = row
    cit = {"title": f"Wikidata {qid}" + (f" (item modified {modified})" if modified else ""),
           "url": f"https://www.wikidata.org/wiki/{qid}"}
    facts = [{"claim": "type", "value": "newspaper (Wikidata: instance of newspaper)", "citation": cit,
              "as_of": modified, "check": "imported"}]
    if owner:
        facts.append({"claim": "owner", "value": owner, "citation": cit, "as_of": modified, "check": "imported"})
    if inception:
        facts.append({"claim": "founded", "value": inception, "citation": cit, "as_of": modified, "check": "imported"})
    return {"id": f"wd:{qid}", "name": label, "aliases": {"xx": list(aliases)} if aliases else {},
            "domains": list(hosts), "type": "newspaper", "country": country, "languages": list(langs),
            "owner": owner, "facts": facts, "origin": "wikidata", "wikidata": qid}


def _fundus_entry(row: list, src: dict) -> dict:
    key, name, hosts, country, lang = row
    cit = {"title": f"fundus publisher collection ({src.get('commit', '')[:12]}), publisher {key}",
           "url": src["url"]}
    return {"id": f"fundus:{key.lower()}", "name": name, "aliases": {}, "domains": list(hosts), "type": "other",
            "country": country, "languages": [lang] if lang else [],
            "facts": [{"claim": "listed as", "value": "a news publisher in the fundus collection",
                       "citation": cit, "as_of": src.get("version"), "check": "imported"}],
            "origin": "fundus"}


def _newscatcher_entry(row: list, src: dict) -> dict:
    host, lang, topic, country = row
    cit = {"title": "newscatcher 0.2.0 source list (package_rss.db)", "url": src["url"]}
    return {"id": f"nc:{host}", "name": host, "aliases": {}, "domains": [host], "type": "other",
            "country": country, "languages": [lang] if lang else [], "nameless": True,
            "facts": [{"claim": "listed as", "value": f"a news site ({topic or 'news'}, language {lang or '?'}) "
                                                      "in the newscatcher source list",
                       "citation": cit, "as_of": src.get("version"), "check": "imported"}],
            "origin": "newscatcher"}


#: Outlets named by the EU acts in eu_restrictions.json, with the domains that identify them here
#: (hand-written on 2026-12-08; the domains are identification, not a claim shown to readers) and
#: the registry id to attach the listing to when a curated entry exists.
EU_OUTLETS: dict[str, tuple[str | None, list[str]]] = {
    "RT - Russia Today English": ("rt", ["rt.com"]),
    "RT - Russia Today UK": ("rt", []),
    "RT - Russia Today Germany": ("rt_de", ["de.rt.com"]),
    "RT - Russia Today France": ("rt_france", ["francais.rt.com"]),
    "RT - Russia Today Spanish": ("rt_spanish", ["actualidad.rt.com", "esrt.press"]),
    "Sputnik": ("sputnik", ["sputniknews.com"]),
    "Rossiya RTR / RTR Planeta": (None, ["rtr-planeta.com"]),
    "Rossiya 24 / Russia 24": (None, ["vesti.ru"]),
    "TV Centre International": (None, ["tvc.ru"]),
    "NTV / NTV Mir": (None, ["ntv.ru"]),
    "Rossiya 1": (None, ["russia.tv", "smotrim.ru"]),
    "REN TV": (None, ["ren.tv"]),
    "Pervyi Kanal": (None, ["1tv.ru", "1tv.com"]),
    "RT Arabic": (None, ["arabic.rt.com"]),
    "Sputnik Arabic": (None, ["sarabic.ae"]),
    "RT Balkan": (None, ["rt.rs"]),
    "Oriental Review": (None, ["orientalreview.org"]),
    "Tsargrad": (None, ["tsargrad.tv"]),
    "New Eastern Outlook": (None, ["journal-neo.su", "journal-neo.org"]),
    "Katehon": (None, ["katehon.com"]),
    "Voice of Europe": (None, ["voiceofeurope.com"]),
    "RIA Novosti": ("ria_novosti", ["ria.ru"]),
    "Izvestia": (None, ["iz.ru"]),
    "Rossiyskaya Gazeta": (None, ["rg.ru"]),
    "EADaily / Eurasia Daily": (None, ["eadaily.com"]),
    "Fondsk": (None, ["fondsk.ru"]),
    "Lenta": (None, ["lenta.ru"]),
    "NewsFront": (None, ["news-front.su", "news-front.info"]),
    "RuBaltic": (None, ["rubaltic.ru"]),
    "SouthFront": (None, ["southfront.press", "southfront.org"]),
    "Strategic Culture Foundation": (None, ["strategic-culture.su", "strategic-culture.org"]),
    "Krasnaya Zvezda / TV Zvezda": (None, ["redstar.ru", "tvzvezda.ru"]),
}
#: Other measures (asset freezes, rulings) and the outlets they concern.
EU_OTHER: dict[str, tuple[str | None, list[str]]] = {
    "Press TV": ("press_tv", ["presstv.ir"]),
    "Belteleradio": (None, ["tvr.by"]),
    "Voice of Europe listed": (None, ["voiceofeurope.com"]),
    "RT France v Council": ("rt_france", ["francais.rt.com"]),
}


def _eu_status(act: dict, listed_as: str) -> dict:
    confirmed = act.get("confirmed", "")
    unconfirmed = []
    if not confirmed.startswith("yes"):
        unconfirmed.append(confirmed or "not confirmed")
    return {
        "kind": "eu_broadcast_ban",
        "instrument": act["act"],
        "amends": "Council Regulation (EU) No 833/2014 (Article 2f, Annex XV)",
        "adopted": act.get("adopted") or None,
        "applies_from": act.get("applies_from") or None,
        "applies_from_act": act.get("applies_from_act") or None,
        "listed_as": listed_as,
        "citation": ({"title": f"{act['act']} (EUR-Lex)", "url": act["url"]} if act.get("url")
                     else {"title": f"{act['act']}: Council statement as quoted by the press"}),
        "checked_in": act.get("sources"),
        "confidence": "confirmed" if not unconfirmed else "partly_confirmed",
        "unconfirmed": "; ".join(unconfirmed) or None,
    }


def _eu_other_status(m: dict) -> dict:
    what = m.get("what it is", "")
    kind = "court_ruling" if m["measure"].startswith("Case ") else (
        "eu_asset_freeze" if "asset freeze" in what else "eu_measure")
    return {
        "kind": kind,
        "instrument": m["measure"],
        "adopted": m.get("date") or None,
        "outcome": what,
        "not": m.get("what it is not") or None,
        "citation": {"title": m.get("sources") or "eu-media-restrictions, other-measures.csv"},
        "confidence": "confirmed" if (m.get("confirmed") or "").startswith("yes") else "partly_confirmed",
        "unconfirmed": None if (m.get("confirmed") or "") == "yes" else m.get("confirmed"),
    }


def _attach_eu(sources: dict[str, dict], eu: dict, domain_of) -> None:
    def target(sid: str | None, domains: list[str], name: str) -> dict:
        if sid and sid in sources:
            return sources[sid]
        for d in domains:
            s = domain_of(d)
            if s is not None and s.get("origin") in ("registry", "user", "eu"):
                return s
        new_id = "eu:" + _slug(name.split(" / ")[0])
        if new_id not in sources:
            sources[new_id] = {"id": new_id, "name": name.split(" / ")[0],
                               "aliases": {"xx": [n.strip() for n in name.split(" / ")]},
                               "domains": list(domains), "type": "other", "facts": [], "origin": "eu"}
        return sources[new_id]

    for act in eu.get("acts") or []:
        for name in act.get("outlets_added") or []:
            sid, doms = EU_OUTLETS.get(name, (None, []))
            t = target(sid, doms, name)
            t.setdefault("legal_status", []).append(_eu_status(act, name))
    for m in eu.get("other_measures") or []:
        for key, (sid, doms) in EU_OTHER.items():
            if key in m["measure"]:
                t = target(sid, doms, key)
                t.setdefault("legal_status", []).append(_eu_other_status(m))


def _add_hand_outlets(sources: dict, path: Path, covered, domain_of, add_domains) -> None:
    """Major outlets written by hand (data/outlets_hand.json): names for entries the lists know by
    host only, or new entries whose only fact is that they are unverified."""
    if not path.exists():
        return
    data = _read_json(str(path))
    written = data.get("written")
    for name, aliases, domains, country, lang, typ in data.get("outlets") or []:
        names = [name, *aliases]
        target = next((domain_of(d) for d in domains if covered(d)), None)
        if target is not None and target.get("origin") not in ("registry", "user"):
            al = dict(target.get("aliases") or {})
            al["xx"] = list(dict.fromkeys([*(al.get("xx") or []), *names]))
            target["aliases"] = al
            if target.get("nameless"):
                target["name"] = name
                target.pop("nameless", None)
            if lang and not target.get("languages"):
                target["languages"] = [lang]
            continue
        if target is not None:
            continue  # a hand-checked entry has it
        sid = "hand:" + _slug(name)
        sources[sid] = {
            "id": sid, "name": name, "aliases": {"xx": list(aliases)} if aliases else {}, "domains": list(domains),
            "type": typ, "country": country, "languages": [lang] if lang else [], "origin": "hand",
            "facts": [{"claim": "type", "value": typ.replace("_", " "), "written": written,
                       "citation": {"title": "sourcecheck hand-written outlet list (data/outlets_hand.json); "
                                             "no page opened"}}],
        }
        add_domains(sources[sid])


def build_registry(yaml_path: str | os.PathLike | None = None,
                   state_media_path: str | os.PathLike | None = None,
                   perennial_path: str | os.PathLike | None = None,
                   extra_path: str | os.PathLike | None = None,
                   outlets_path: str | os.PathLike | None = None,
                   eu_path: str | os.PathLike | None = None) -> Registry:
    """Build a registry from explicit files (uncached; `load_registry` is the cached entry)."""
    shipped = _read_yaml(str(yaml_path or _data_path("sources.yaml")))
    sm = _read_json(str(state_media_path or _data_path("state_media.json")))
    pe = _read_json(str(perennial_path or _data_path("perennial.json")))
    ol_path = Path(outlets_path or _data_path("outlets.json"))
    ol = _read_json(str(ol_path)) if ol_path.exists() else {}
    eu_p = Path(eu_path or _data_path("eu_restrictions.json"))
    eu = _read_json(str(eu_p)) if eu_p.exists() else {}

    sources: dict[str, dict] = {}
    for s in shipped.get("sources") or []:
        sources[s["id"]] = {**s, "origin": "registry"}
    if extra_path:
        _merge_user(sources, _read_yaml(str(extra_path)), str(extra_path))

    perennial = {e["id"]: e for e in pe.get("entries") or []}
    pe_src = pe.get("source") or {}
    for s in list(sources.values()):
        ids = s.get("perennial_ids") or []
        if ids and not (s.get("ratings") or {}).get("wikipedia_perennial"):
            rows = [_perennial_rating(perennial[i], pe_src) for i in ids if i in perennial]
            if rows:
                s["ratings"] = {**(s.get("ratings") or {}),
                                "wikipedia_perennial": rows[0] if len(rows) == 1 else rows}

    # a domain index that grows as layers are added: a later layer only adds domains no earlier one has
    index: dict[str, str] = {}

    def add_domains(s: dict) -> None:
        for d in s.get("domains") or []:
            index.setdefault(normalize_host(d), s["id"])

    def covered(host: str) -> bool:
        labels = normalize_host(host).split(".")
        return any(".".join(labels[i:]) in index for i in range(len(labels) - 1))

    def domain_of(host: str) -> dict | None:
        labels = normalize_host(host).split(".")
        for i in range(len(labels) - 1):
            sid = index.get(".".join(labels[i:]))
            if sid:
                return sources[sid]
        return None

    for s in sources.values():
        add_domains(s)
    _attach_eu(sources, eu, domain_of)
    for s in sources.values():
        if s.get("origin") == "eu":
            add_domains(s)

    sm_src = sm.get("source") or {}
    for o in sm.get("outlets") or []:
        doms = [d for d in o.get("domains") or [] if not covered(d)]
        if doms or (o.get("domains") and SMM_REVIEW.get(o["row"], {}).get("drop_domains")):
            e = _state_media_entry({**o, "domains": doms}, sm_src)
            sources[e["id"]] = e
            add_domains(e)

    _add_hand_outlets(sources, Path(_data_path("outlets_hand.json")), covered, domain_of, add_domains)

    ol_src = ol.get("source") or {}
    for row in ol.get("wikidata") or []:
        hosts = [h for h in row[3] if not covered(h)]
        if hosts:
            e = _wikidata_entry([*row[:3], hosts, *row[4:]], ol_src.get("wikidata") or {})
            sources[e["id"]] = e
            add_domains(e)
    for row in ol.get("fundus") or []:
        hosts = [h for h in row[2] if not covered(h)]
        if hosts:
            e = _fundus_entry([row[0], row[1], hosts, *row[3:]], ol_src.get("fundus") or {})
            sources[e["id"]] = e
            add_domains(e)

    for e in pe.get("entries") or []:
        doms = [d for d in e.get("domains") or [] if not covered(d)]
        if not doms:
            continue
        sid = f"wp:{_slug(e['id'])}"
        if sid in sources:
            continue
        sources[sid] = {
            "id": sid, "name": e.get("name") or e["id"], "aliases": {}, "domains": doms, "type": "other",
            "facts": [], "ratings": {"wikipedia_perennial": _perennial_rating(e, pe_src)}, "origin": "perennial",
        }
        add_domains(sources[sid])

    for row in ol.get("newscatcher") or []:
        if not covered(row[0]):
            e = _newscatcher_entry(row, ol_src.get("newscatcher") or {})
            sources[e["id"]] = e
            add_domains(e)

    meta = {
        "version": shipped.get("version"),
        "updated": shipped.get("updated"),
        "state_media_attribution": sm.get("attribution"),
        "perennial_attribution": pe.get("attribution"),
        "outlets_attribution": ol.get("attribution"),
        "eu_source": eu.get("source"),
        "perennial_ids": frozenset(perennial),
        "extra_path": str(extra_path) if extra_path else None,
    }
    return Registry(sources, meta)


@functools.lru_cache(maxsize=8)
def _cached(extra: str | None) -> Registry:
    return build_registry(extra_path=extra)


def load_registry(extra_path: str | os.PathLike | None = None) -> Registry:
    """The shipped registry, with ``extra_path`` (else ``$SOURCECHECK_REGISTRY``) merged over it.

    Cached per path: call ``load_registry.cache_clear()`` after editing a file.
    """
    extra = extra_path or os.environ.get(ENV_VAR) or None
    return _cached(str(Path(extra).resolve()) if extra else None)


def _cache_clear() -> None:
    _cached.cache_clear()
    _read_yaml.cache_clear()
    _read_json.cache_clear()


load_registry.cache_clear = _cache_clear  # type: ignore[attr-defined]

__all__ = ["Registry", "build_registry", "load_registry", "normalize_host", "AGENCY_TYPES", "ENV_VAR"]
