"""The source registry: who is behind a domain or a name.

Three layers, merged in this order so that curated knowledge always wins:

1. ``data/sources.yaml``: hand-written entries with cited facts, state
   affiliation, EU legal status, aliases for text detection;
2. ``data/state_media.json`` and ``data/perennial.json``: imported facts
   (State Media Monitor typology, Wikipedia perennial-sources status) that
   (a) fill the ratings of curated entries and (b) give a minimal entry to
   every other listed domain, so an article from any of the 1,157 state-media
   outlets still gets a cited note;
3. a user registry file (``extra_path`` or ``$SOURCECHECK_REGISTRY``), merged
   over the rest by id, field by field, so a newsroom can correct or extend
   the shipped data without forking it.

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

ENV_VAR = "SOURCECHECK_REGISTRY"

#: Source types whose name in a credit line means "this agency supplied the text or image".
AGENCY_TYPES = frozenset({"news_agency", "wire_agency", "photo_agency"})


def _data_path(name: str) -> Path:
    return Path(str(resources.files("sourcecheck").joinpath("data", name)))


@functools.lru_cache(maxsize=None)
def _read_yaml(path: str) -> dict:
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh) or {}


@functools.lru_cache(maxsize=None)
def _read_json(path: str) -> dict:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def normalize_host(host: str) -> str:
    """A bare lower-case host from a host or URL: no scheme, port, path, trailing dot or 'www.'."""
    host = (host or "").strip()
    if "/" in host or ":" in host:
        host = urlsplit(host if "//" in host else "//" + host).hostname or ""
    host = host.lower().strip(".")
    if host.startswith("www."):
        host = host[4:]
    return host


def _key(name: str) -> str:
    """Name key for `find`: case-folded, curly quotes straightened, spaces collapsed."""
    name = name.replace("’", "'").replace("‘", "'")
    return re.sub(r"\s+", " ", name).strip().casefold()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def _covered(host: str, domains: Iterable[str]) -> bool:
    return any(host == d or host.endswith("." + d) for d in domains)


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
        self._names: dict[str, str] = {}
        # curated first so that they win over imported entries on equal keys
        order = sorted(sources.values(), key=lambda s: 0 if s.get("origin") in ("registry", "user") else 1)
        for s in order:
            for d in s.get("domains") or []:
                self._domains.setdefault(normalize_host(d), s["id"])
        for s in order:
            names = [s["name"]]
            for lst in (s.get("aliases") or {}).values():
                names.extend(lst)
            names.extend(s.get("domains") or [])
            for n in names:
                self._names.setdefault(_key(n), s["id"])

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

    def find(self, name: str) -> dict | None:
        """A source by id, name, alias or domain (case-insensitive, exact)."""
        if not name:
            return None
        if name in self.sources:
            return self.sources[name]
        sid = self._names.get(_key(name))
        return self.sources[sid] if sid else None

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


def _state_media_entry(o: dict, source: dict) -> dict:
    code = o.get("typology")
    from .schema import SMM_CATEGORY

    cit = {"title": f"State Media Monitor typology, State_Media_Matrix.csv row {o['row']} ({o.get('main_assets') or o.get('name')})",
           "url": source["url"]}
    facts = []
    if o.get("country"):
        facts.append({"claim": "country", "value": o["country"], "citation": cit, "as_of": source["version"]})
    if o.get("name"):
        facts.append({"claim": "media company", "value": o["name"], "citation": cit, "as_of": source["version"]})
    sa = {"category": SMM_CATEGORY.get(code, "unknown"), "smm_typology": code,
          "smm_as_of": source["version"], "citation": cit}
    if o.get("typology_uncertain"):
        sa["smm_uncertain"] = True
    return {
        "id": f"smm:{o['row']}",
        "name": o.get("main_assets") or o.get("name") or o["domains"][0],
        "aliases": {},
        "domains": list(o["domains"]),
        "type": "state_media",
        "country": o.get("country"),
        "owner": o.get("name"),
        "facts": facts,
        "state_affiliation": sa,
        "origin": "state_media",
    }


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


def build_registry(yaml_path: str | os.PathLike | None = None,
                   state_media_path: str | os.PathLike | None = None,
                   perennial_path: str | os.PathLike | None = None,
                   extra_path: str | os.PathLike | None = None) -> Registry:
    """Build a registry from explicit files (uncached; `load_registry` is the cached entry)."""
    shipped = _read_yaml(str(yaml_path or _data_path("sources.yaml")))
    sm = _read_json(str(state_media_path or _data_path("state_media.json")))
    pe = _read_json(str(perennial_path or _data_path("perennial.json")))

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

    curated_domains = [normalize_host(d) for s in sources.values() for d in s.get("domains") or []]
    sm_src = sm.get("source") or {}
    for o in sm.get("outlets") or []:
        doms = [d for d in o.get("domains") or [] if not _covered(d, curated_domains)]
        if doms:
            e = _state_media_entry({**o, "domains": doms}, sm_src)
            sources[e["id"]] = e
    known = set(curated_domains) | {d for s in sources.values() for d in s.get("domains") or []}
    for e in pe.get("entries") or []:
        doms = [d for d in e.get("domains") or [] if d not in known and not _covered(d, curated_domains)]
        if not doms:
            continue
        sid = f"wp:{_slug(e['id'])}"
        if sid in sources:
            continue
        sources[sid] = {
            "id": sid, "name": e.get("name") or e["id"], "aliases": {}, "domains": doms, "type": "other",
            "facts": [], "ratings": {"wikipedia_perennial": _perennial_rating(e, pe_src)}, "origin": "perennial",
        }
        known.update(doms)

    meta = {
        "version": shipped.get("version"),
        "updated": shipped.get("updated"),
        "state_media_attribution": sm.get("attribution"),
        "perennial_attribution": pe.get("attribution"),
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
