"""The publisher of a page: every page names itself, so every HTML page with an address gets one.

Evidence, strongest first:

1. the page's address (``url`` given by the caller, else the canonical / ``og:url``
   link of the page; a Wayback Machine address stands for the archived page):
   a registry entry whose domain is the longest suffix of the host;
2. the page's own names: ``og:site_name``, JSON-LD ``publisher``, the holder
   in a copyright line ("© 2019 Hawaii News Now", "Copyright © 2013 - 2025
   Emizentech"), the site part of the title ("... | Ars Technica");
   a name resolves to a registry entry only with evidence that fits (its domain
   is the page's, or the name is unambiguous and the page has no address);
3. the host itself ("motor.at").

A page whose outlet no list knows is still reported, by its own name and
domain, with a note that no list known to sourcecheck has it.
"""

from __future__ import annotations

import re

from .registry import Registry, country_of_host, normalize_host

_WAYBACK = re.compile(r"^https?://web\.archive\.org/web/[^/]+/(?P<url>.+)$", re.I)
_TITLE_SEP = re.compile(r"\s+(?:\||–|—|-|::|·|•|»|«|/)\s+")
_COPYRIGHT = re.compile(
    r"(?:©|&copy;|\([cC]\)|\bCopyright\b|\bCopr\.)\s*(?:©\s*)?(?:\d{4}\s*(?:[-–]\s*\d{4}\s*)?)?[,.]?\s*"
    r"(?:by\s+)?(?P<name>[^\s©|,;:!?()\[\]{}\"“”]{1,40}(?:[ \t]+[^\s©|,;:!?()\[\]{}\"“”]{1,30}){0,5})")
_COPY_STOP = re.compile(r"\s*(?:\b(?:All|all|ALL|Alle|Tous|Todos|Tutti|Wszelkie|Alla|Alle|Kaikki|Minden|Všechna)\b.*|"
                        r"\b(?:Ltd|GmbH|AG|Inc|LLC|S\.A\.|SA|S\.L\.|SL|Co\.|CO\.,LTD\.|B\.V\.|Oy|AB|AS|A/S|Sp\. z o\.o\.)\b.*|"
                        r"\.\s.*|\.$|\s\d{4}.*)$")
_GENERIC_SITE_NAMES = {"home", "homepage", "startseite", "news", "blog", "wordpress", "index", "accueil", "inicio",
                       "website", "site", "web", "article", "articles"}


def page_host(url: str | None) -> str:
    """The host that stands for the page: a Wayback Machine capture stands for the archived address."""
    if not url:
        return ""
    m = _WAYBACK.match(url.strip())
    if m:
        inner = m.group("url")
        if not re.match(r"^https?://", inner):
            inner = "http://" + inner
        url = inner
    host = normalize_host(url)
    return host.split(":")[0]


def _squeeze(s: str) -> str:
    return re.sub(r"[^a-z0-9]", "", s.casefold())


def _host_core(host: str) -> str:
    """The distinctive label of a host ("www.sbnation.com" -> "sbnation", "osthessen-news.de" -> "osthessennews")."""
    labels = host.split(".")
    if len(labels) >= 3 and labels[-2] in {"co", "com", "org", "net", "gov", "ac", "or", "ne", "go"} and len(labels[-1]) == 2:
        core = labels[-3]
    elif len(labels) >= 2:
        core = labels[-2]
    else:
        core = host
    return _squeeze(core)


def _good_name(name: str | None, title: str = "") -> str | None:
    if not isinstance(name, str):
        return None
    name = " ".join(name.split()).strip(" -|·•:")
    if not name or len(name) > 60 or name.casefold() in _GENERIC_SITE_NAMES:
        return None
    if title and name.casefold() == title.casefold() and len(name) > 30:
        return None  # a site name that is the article's title
    if not re.search(r"\w", name):
        return None
    return name


def _title_site(meta: dict, host: str) -> str | None:
    """The part of the page title that names the site, when it matches the host."""
    core = _host_core(host) if host else ""
    for key in ("title", "og_title"):
        t = meta.get(key)
        if not isinstance(t, str):
            continue
        parts = [p.strip() for p in _TITLE_SEP.split(t) if p.strip()]
        if len(parts) < 2:
            continue
        for p in (parts[-1], parts[0]):
            sq = _squeeze(p)
            if core and sq and (sq == core or (len(core) >= 4 and (core in sq or sq in core)) and len(p) <= 40):
                return p
    return None


def copyright_names(texts) -> list[tuple[int, str, str]]:
    """(segment index, matched text, holder) of copyright lines in the given (index, text) pairs.

    Only a line that starts with the mark counts (a footer), not a picture caption that ends
    with one ("Bundesrat in Bern. (c) Keystone"); a holder with a slash is a photo credit."""
    out = []
    for idx, text in texts:
        if len(text) > 400 or ("©" not in text and "opyright" not in text and "(c)" not in text
                               and "(C)" not in text):
            continue
        for m in _COPYRIGHT.finditer(text):
            if m.start() > 3 and not re.match(r"^\W*$", text[:m.start()]):
                continue
            if "/" in text[m.start():m.end() + 3]:
                continue
            name = _COPY_STOP.sub("", m.group("name")).strip(" .-–,")
            if not name or not (name[0].isupper() or name[0].isdigit() or "." in name) or len(name) < 2:
                continue
            if re.fullmatch(r"\d+", name):
                continue
            out.append((idx, m.group(0).strip(), name))
    return out


def meta_names(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return meta_names(value.get("name"))
    if isinstance(value, (list, tuple)):
        return [n for v in value for n in meta_names(v)]
    return []


def find_publisher(reg: Registry, article, url: str | None, lang: str) -> dict | None:
    """``{source, name, host, evidence: [...], known: bool}`` for the page, or None without any evidence.

    ``source`` is a registry entry, or a page entry (``id`` ``site:<host>`` or ``page:<name>``) built
    from the page's own names when no list has the outlet.
    """
    meta = getattr(article, "meta", None) or {}
    url = url or meta.get("url") or ""
    host = page_host(url)
    title = meta.get("og_title") or meta.get("title") or ""
    evidence: list[dict] = []

    def ev(text: str, cue: str, conf: float, segment=None, start=None, end=None) -> dict:
        return {"segment": segment, "start": start, "end": end, "text": text[:80], "cue": cue, "confidence": conf}

    names: list[tuple[str, str, float, dict]] = []  # (name, cue, confidence, evidence)
    for key, cue in (("site_name", "og:site_name"), ("publisher", "jsonld_publisher"),
                     ("application_name", "application-name")):
        for n in meta_names(meta.get(key)):
            g = _good_name(n, title)
            if g:
                names.append((g, cue, 0.9, ev(g, cue, 0.9)))
    if article is not None and (getattr(article, "kind", "html") == "html" or not names):
        segs = getattr(article, "segments", None) or []
        # copyright lines: page chrome (footers) first; plain text: anywhere
        cands = [(s.index, s.text) for s in segs if (s.label or s.initial_label) != "news" or article.kind == "text"]
        for idx, text, name in copyright_names(cands[-60:]):
            seg = segs[idx] if idx < len(segs) else None
            start = None
            if seg is not None and seg.start is not None:
                off = seg.text.find(text)
                start = seg.start + off if off >= 0 else None
            names.append((name, "copyright_line", 0.7, ev(text, "copyright_line", 0.7, idx, start,
                                                          start + len(text) if start is not None else None)))
    ts = _title_site(meta, host) if host else None
    if ts:
        names.append((ts, "title_site", 0.7, ev(ts, "title_site", 0.7)))
    elif not host and not names:
        # no address and no other name: the site part of a "Headline | Site" title
        t = meta.get("title") if isinstance(meta.get("title"), str) else ""
        parts = [p.strip() for p in _TITLE_SEP.split(t) if p.strip()]
        if len(parts) >= 2 and 2 <= len(parts[-1]) <= 40 and parts[-1][:1].isupper():
            names.append((parts[-1], "title_site", 0.5, ev(parts[-1], "title_site", 0.5)))

    source = None
    if host:
        s = reg.lookup_domain(host)
        if s is not None:
            source = s
            evidence.append(ev(host, "url_host", 0.95))
    country = country_of_host(host) if host else None
    if source is None:
        # a name resolves without an address only when nothing contradicts it
        for name, cue, conf, e in names:
            s = reg.resolve(name, host=host or None, lang=lang, country=country)
            if s is None:
                continue
            if cue == "copyright_line" and s.get("type") in ("news_agency", "wire_agency", "photo_agency"):
                continue  # "(c) Keystone": the picture's agency
            if host and not any(host == d or host.endswith("." + d) for d in s.get("domains") or []):
                continue  # the same name on another domain: another outlet (or a copy)
            source = s
            break
    if source is not None:
        ed = ((source.get("editions") or {}).get(lang))
        if ed and reg.get(ed) and not host:
            source = reg.get(ed)
        own = {_squeeze(n) for n in _source_names(source)}
        for name, cue, conf, e in names:
            if _squeeze(name) in own:
                evidence.append(e)
        if not evidence:
            evidence.append(names[0][3] if names else ev(host, "url_host", 0.95))
        display = source.get("name")
        if source.get("nameless"):
            # a list that knows only the host: the page's own name is the better name
            display = next((n for n, cue, _, _ in names if cue != "copyright_line"), None) or \
                next((n for n, _, _, _ in names), None) or display
            evidence.extend(e for n, _, _, e in names if n == display and e not in evidence)
        return {"source": source, "name": display, "host": host, "evidence": evidence, "known": True,
                "names": _consistent(names, display, host, own)}
    if not names and not host:
        return None
    # no list has it: the page's own name (metadata first, then copyright and title), and its domain
    best = None
    core = _host_core(host) if host else ""
    for name, cue, conf, e in names:
        if cue == "copyright_line" and core and _squeeze(name).find(core) < 0 and any(
                c != "copyright_line" for _, c, _, _ in names):
            continue
        best = (name, cue, conf, e)
        break
    if best is None and names:
        best = names[0]
    if best is not None:
        name = best[0]
        evidence = [e for n, _, _, e in names if _squeeze(n) == _squeeze(name)]
    else:
        name = host
    if host:
        evidence.insert(0, ev(host, "url_host", 0.9))
    sid = f"site:{host}" if host else "page:" + re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")
    entry = {"id": sid, "name": name, "aliases": {}, "domains": [host] if host else [], "type": "other",
             "facts": [], "origin": "page", "country": country}
    return {"source": entry, "name": name, "host": host, "evidence": evidence, "known": False,
            "names": _consistent(names, name, host, set())}


def _consistent(names, display: str, host: str, own: set) -> list[str]:
    """The page's names that name the publisher (not a photo agency's copyright line)."""
    core = _host_core(host) if host else ""
    d = _squeeze(display or "")
    out = []
    for n, cue, _, _ in names:
        q = _squeeze(n)
        if not q:
            continue
        if cue != "copyright_line" or q in own or q == d or (core and (core in q or q in core and len(q) >= 4)):
            out.append(n)
    return out


def _source_names(s: dict) -> list[str]:
    names = [s.get("name") or ""]
    for lst in (s.get("aliases") or {}).values():
        names.extend(lst)
    names.extend(s.get("domains") or [])
    return [n for n in names if n]


def unknown_outlet_note(entry: dict, how: str) -> dict:
    """The note on an outlet no list known to sourcecheck has."""
    return {"kind": "registry", "claim": "not in the registry",
            "value": f"no list known to sourcecheck has this outlet; {how}",
            "citation": None, "as_of": None, "check": "none"}


__all__ = ["find_publisher", "page_host", "copyright_names", "unknown_outlet_note"]
