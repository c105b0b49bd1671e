"""Provenance notes: what a reader is told about a source, one cited claim each.

Why notes are built from the registry and never free text: every note must
say where it comes from and when it was true, so each one is a fact of the
registry (``claim``, ``value``, ``citation``, ``as_of``) restated in plain
words.  ``kind`` keeps the four sorts apart, as reviewers of such tools ask:
``fact`` (type, owner, founding...), ``state_affiliation`` (who controls
funding, governance and the editorial line), ``legal_status`` (e.g. the EU
broadcast ban), and ``rating`` (other people's judgement of reliability,
never mixed with facts).
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
    "captured": "captured by the state (editorial control without formal state ownership)",
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


def _note(kind: str, claim: str, value: str, citation: dict | None, as_of: Any, **extra: Any) -> dict:
    n = {"kind": kind, "claim": claim, "value": value, "citation": citation, "as_of": as_of}
    n.update({k: v for k, v in extra.items() if v is not None})
    return n


def state_affiliation_note(sa: dict) -> dict:
    cat = sa.get("category") or "unknown"
    value = CATEGORY.get(cat, cat)
    code = sa.get("smm_typology")
    if code:
        when = f", as of {sa['smm_as_of']}" if sa.get("smm_as_of") else ""
        unsure = ", marked uncertain in the source data" if sa.get("smm_uncertain") else ""
        value += f" (State Media Monitor typology {code}: {TYPOLOGY.get(code, code)}{when}{unsure})"
    return _note("state_affiliation", "state affiliation", value, sa.get("citation"),
                 sa.get("smm_as_of") or sa.get("as_of"))


def legal_status_note(ls: dict) -> dict:
    kind = ls.get("kind", "")
    if kind == "eu_broadcast_ban":
        claim = "EU broadcast ban"
        value = (f"listed as \"{ls.get('listed_as', '?')}\" by {ls['instrument']}"
                 + (f", which amends {ls['amends']}" if ls.get("amends") else "")
                 + f", adopted {ls['adopted']}"
                 + (f", applies from {ls['applies_from']}" if ls.get("applies_from") else ""))
    elif kind == "court_ruling":
        claim = "court ruling"
        value = f"{ls['instrument']}, {ls['adopted']}" + (f": {ls['outcome']}" if ls.get("outcome") else "")
    else:
        claim = kind.replace("_", " ")
        value = f"{ls['instrument']}, {ls['adopted']}" + (f" ({ls['outcome']})" if ls.get("outcome") else "")
    if ls.get("confidence") != "confirmed":
        value = "not yet verified: " + value
    return _note("legal_status", claim, value, ls.get("citation"), ls.get("adopted"),
                 confidence=ls.get("confidence"))


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
        out.append(_note("rating", "Wikipedia perennial sources status", value, cit, r.get("as_of")))
    return out


def notes_for(source: dict) -> list[dict]:
    """Cited notes on one registry source: facts, state affiliation, legal status, then ratings."""
    notes = [_note("fact", f["claim"], f["value"], f.get("citation"), f.get("as_of")) for f in source.get("facts") or []]
    if source.get("state_affiliation"):
        notes.append(state_affiliation_note(source["state_affiliation"]))
    notes.extend(legal_status_note(ls) for ls in source.get("legal_status") or [])
    notes.extend(rating_notes(source.get("ratings") or {}))
    return notes


__all__ = ["notes_for"]
