"""Provenance notes: what a reader is told about a source, one cited claim each.

Why notes are built from the registry and never free text: every note must
say where it comes from and when it was true, so each one is a fact of the
registry (``claim``, ``value``, ``citation``, ``as_of``) restated in plain
words.  ``kind`` keeps the four sorts apart, as reviewers of such tools ask:
``fact`` (type, owner, founding...), ``state_affiliation`` (who controls
funding, governance and the editorial line), ``legal_status`` (e.g. the EU
broadcast ban), and ``rating`` (other people's judgement of reliability,
never mixed with facts).

Every note says how far it was checked (``check``):

- ``checked``: checked against its citation on ``checked_on`` (``as_of`` is the
  date the fact is stated for);
- ``imported``: copied mechanically from the cited list (State Media Monitor,
  Wikipedia perennial sources, Wikidata, fundus, newscatcher, the EU acts table);
  ``as_of`` is the list's version or the item's modified date;
- ``unverified``: written by hand on ``written`` and never checked against its
  citation here; ``as_of`` is empty (a writing date is not a check) and the value
  says "unverified" so every display shows it.
"""

from __future__ import annotations

from typing import Any

TYPOLOGY = {
    "SC": "state-controlled media: the state controls funding, ownership and governance, and the editorial line",
    "CaPu": "captured public or state-managed media: the state controls governance and the editorial line",
    "CaPr": "captured private media: the state controls the editorial line, not the ownership",
    "ISFM": "independent state-funded and state-managed media: state funding and governance, editorially independent",
    "ISF": "independent state-funded media: state funding, editorially independent",
    "ISM": "independent state-managed media: state governance, editorially independent",
    "IP": "independent public media: editorially independent public media",
}

CATEGORY = {
    "state_controlled": "state-controlled",
    "captured": "captured by the state",
    "state_funded_independent": "state-funded, editorially independent",
    "state_managed_independent": "state-managed, editorially independent",
    "public": "public, editorially independent",
    "private": "privately owned",
    "cooperative": "owned by a cooperative of media companies or readers",
    "nonprofit": "non-profit",
    "religious": "church-owned",
    "unknown": "unknown",
}

PERENNIAL = {
    "gr": "generally reliable",
    "nc": "no consensus on reliability",
    "gu": "generally unreliable",
    "d": "deprecated",
    "b": "blacklisted",
}


#: what a captured outlet's code adds to the category (CaPu and CaPr differ in ownership)
CAPTURED = {
    "CaPu": "captured public or state-managed media: the state controls governance and the editorial line",
    "CaPr": "captured private media: editorial control without formal state ownership",
}


def _note(kind: str, claim: str, value: str, citation: dict | None, as_of: Any, **extra: Any) -> dict:
    n = {"kind": kind, "claim": claim, "value": value, "citation": citation, "as_of": as_of}
    n.update({k: v for k, v in extra.items() if v is not None})
    return n


def _checked(d: dict, default: str = "unverified") -> dict:
    """``check``, ``as_of`` and the dates of a fact-like dict (see the module docstring)."""
    if d.get("checked"):
        return {"check": "checked", "checked_on": d["checked"], "as_of": d.get("as_of")}
    if d.get("check") == "imported":
        return {"check": "imported", "as_of": d.get("as_of") or d.get("smm_as_of")}
    if d.get("written"):
        return {"check": "unverified", "written": d["written"], "as_of": None}
    if d.get("smm_typology") and d.get("smm_as_of"):
        # a curated copy of a State Media Monitor code: tests hold it equal to the imported row
        return {"check": "imported", "as_of": d["smm_as_of"]}
    # a user file's fact: the user's date, not checked here
    return {"check": default, "as_of": d.get("as_of"), "written": None}


def _unverified_suffix(c: dict) -> str:
    if c["check"] != "unverified":
        return ""
    return f" (unverified: written {c['written']}, not checked against the citation)" if c.get("written") \
        else " (unverified: from a user registry file, not checked here)"


def fact_note(f: dict) -> dict:
    c = _checked(f)
    return _note("fact", f["claim"], f["value"] + _unverified_suffix(c), f.get("citation"), c["as_of"],
                 check=c["check"], written=c.get("written"), checked_on=c.get("checked_on"))


def state_affiliation_note(sa: dict) -> dict:
    cat = sa.get("category") or "unknown"
    code = sa.get("smm_typology")
    value = CAPTURED[code] if cat == "captured" and code in CAPTURED else CATEGORY.get(cat, cat)
    if code:
        when = f", as of {sa['smm_as_of']}" if sa.get("smm_as_of") else ""
        unsure = ", marked uncertain in the source data" if sa.get("smm_uncertain") else ""
        gloss = "" if cat == "captured" and code in CAPTURED else f": {TYPOLOGY.get(code, code)}"
        value += f" (State Media Monitor typology {code}{gloss}{when}{unsure})"
    c = _checked(sa)
    if sa.get("check") == "imported":
        value += "; imported list row, not reviewed one by one here"
    return _note("state_affiliation", "state affiliation", value + _unverified_suffix(c), sa.get("citation"),
                 c["as_of"], check=c["check"], written=c.get("written"), checked_on=c.get("checked_on"))


def legal_status_note(ls: dict) -> dict:
    """An EU act or ruling: act number, adoption date and date of application; an asset freeze
    is said to be one (never a broadcast ban); what is unconfirmed is said."""
    kind = ls.get("kind", "")
    adopted = ls.get("adopted") or "date not confirmed"
    if kind == "eu_broadcast_ban":
        claim = "EU broadcast suspension"
        applies = (f", applies from {ls['applies_from']}" + (f" ({ls['applies_from_act']})"
                                                             if ls.get("applies_from_act") else "")
                   if ls.get("applies_from") else ", date of application not confirmed")
        value = (f"listed as \"{ls.get('listed_as', '?')}\" by {ls['instrument']}"
                 + (f", which amends {ls['amends']}" if ls.get("amends") else "")
                 + f", adopted {adopted}{applies}")
    elif kind == "eu_asset_freeze":
        claim = "EU asset freeze (not a broadcast ban)"
        value = f"{ls['instrument']}, {adopted}" + (f": {ls['outcome']}" if ls.get("outcome") else "")
    elif kind == "court_ruling":
        claim = "court ruling"
        value = f"{ls['instrument']}, {adopted}" + (f": {ls['outcome']}" if ls.get("outcome") else "")
    else:
        claim = kind.replace("_", " ")
        value = f"{ls['instrument']}, {adopted}" + (f" ({ls['outcome']})" if ls.get("outcome") else "")
    if ls.get("confidence") == "to_verify":
        value = "not yet verified: " + value
    elif ls.get("confidence") == "partly_confirmed":
        value += f" (partly confirmed: {ls.get('unconfirmed') or 'some details not confirmed'})"
    return _note("legal_status", claim, value, ls.get("citation"), ls.get("adopted"),
                 confidence=ls.get("confidence"), check="imported" if ls.get("checked_in") or
                 ls.get("confidence") in ("confirmed", "partly_confirmed") else "unverified")


def rating_notes(ratings: dict) -> list[dict]:
    out = []
    wp = ratings.get("wikipedia_perennial")
    for r in ([wp] if isinstance(wp, dict) else wp or []):
        label = r.get("status_label") or PERENNIAL.get(r.get("status", ""), r.get("status", "?"))
        value = f"{label} (consensus of Wikipedia editors"
        if r.get("last_discussed"):
            value += f", last discussed {r['last_discussed']}"
        value += ")"
        if r.get("qualifier"):
            value += f" {r['qualifier']}"
        cit = r.get("citation") or {"title": "Wikipedia:Reliable sources/Perennial sources", "url": r["url"]}
        if r.get("written"):
            out.append(_note("rating", "Wikipedia perennial sources status",
                             value + f" (unverified: written {r['written']} by hand, not checked against the list)",
                             cit, None, check="unverified", written=r["written"]))
        else:
            out.append(_note("rating", "Wikipedia perennial sources status", value, cit, r.get("as_of"),
                             check="imported"))
    return out


def notes_for(source: dict) -> list[dict]:
    """Cited notes on one registry source: facts, state affiliation, legal status, then ratings."""
    notes = [fact_note(f) for f in source.get("facts") or []]
    if source.get("review"):
        r = source["review"]
        notes.append(_note("fact", "corrected after review", r["note"], r.get("citation"), r.get("checked"),
                           check="checked", checked_on=r.get("checked")))
    if source.get("state_affiliation"):
        notes.append(state_affiliation_note(source["state_affiliation"]))
    notes.extend(legal_status_note(ls) for ls in source.get("legal_status") or [])
    notes.extend(rating_notes(source.get("ratings") or {}))
    return notes


__all__ = ["notes_for"]
