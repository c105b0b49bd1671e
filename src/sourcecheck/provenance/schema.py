"""JSON schema of a registry source entry, and of a whole registry file.

Why a schema: provenance notes are only as good as their citations, so the
shape is checked mechanically: every fact carries a citation (title + url) and
an ``as_of`` date; state affiliation, legal status and ratings are kept in
separate fields so that a reader never mistakes a rating for a fact, or state
funding for state control.  The same schema checks a user's registry file
before it is merged over the shipped one.
"""

from __future__ import annotations

from typing import Any

DATE = {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"}
NULLABLE_DATE = {"anyOf": [DATE, {"type": "null"}]}

# a citation names where a claim comes from; a url where there is one (a review or a
# regulator's text quoted by the press may have none)
CITATION: dict[str, Any] = {
    "type": "object",
    "required": ["title"],
    "properties": {
        "title": {"type": "string", "minLength": 1},
        "url": {"type": "string", "pattern": r"^https?://\S+$"},
    },
}

#: How far a fact was checked.  ``written``: the day it was written by hand, nobody here
#: checked it against its citation: shown as unverified.  ``checked``: the day it was checked
#: against its citation (``as_of``: the date the fact is stated for).  A user file may give only
#: ``as_of``: shown as the user's, unverified here.
FACT: dict[str, Any] = {
    "type": "object",
    "required": ["claim", "value", "citation"],
    "additionalProperties": False,
    "properties": {
        "claim": {"type": "string", "minLength": 1},
        "value": {"type": "string", "minLength": 1},
        "citation": CITATION,
        "as_of": DATE,
        "written": DATE,
        "checked": DATE,
    },
    "anyOf": [{"required": ["written"]}, {"required": ["checked", "as_of"]}, {"required": ["as_of"]}],
}

SOURCE_TYPES = [
    "news_agency", "wire_agency", "photo_agency", "state_broadcaster", "public_broadcaster",
    "international_broadcaster", "broadcaster", "newspaper", "magazine", "portal", "blog",
    "state_media", "other",
]
CATEGORIES = [
    "state_controlled", "captured", "state_funded_independent", "state_managed_independent",
    "public", "private", "cooperative", "nonprofit", "religious", "unknown",
]
SMM_CODES = ["SC", "CaPu", "CaPr", "ISFM", "ISF", "ISM", "IP"]

#: The category a State Media Monitor code implies (the test checks the registry agrees).
SMM_CATEGORY = {
    "SC": "state_controlled",
    "CaPu": "captured",
    "CaPr": "captured",
    "ISFM": "state_funded_independent",
    "ISF": "state_funded_independent",
    "ISM": "state_managed_independent",
    "IP": "public",
}

STATE_AFFILIATION: dict[str, Any] = {
    "type": "object",
    "required": ["category", "citation"],
    "properties": {
        "category": {"enum": CATEGORIES},
        "smm_typology": {"anyOf": [{"enum": SMM_CODES}, {"type": "null"}]},
        "smm_as_of": NULLABLE_DATE,
        "as_of": NULLABLE_DATE,
        "written": DATE,
        "checked": DATE,
        "citation": CITATION,
    },
    # a typology code must say when it was assigned
    "if": {"properties": {"smm_typology": {"enum": SMM_CODES}}, "required": ["smm_typology"]},
    "then": {"required": ["smm_as_of"], "properties": {"smm_as_of": DATE}},
}

LEGAL_STATUS: dict[str, Any] = {
    "type": "object",
    "required": ["kind", "instrument", "adopted", "citation", "confidence"],
    "properties": {
        "kind": {"type": "string", "minLength": 1},
        "instrument": {"type": "string", "minLength": 1},
        "amends": {"type": "string"},
        "adopted": DATE,
        "applies_from": NULLABLE_DATE,
        "listed_as": {"type": "string"},
        "outcome": {"type": "string"},
        "citation": CITATION,
        "confidence": {"enum": ["confirmed", "partly_confirmed", "to_verify"]},
    },
}

PERENNIAL_RATING: dict[str, Any] = {
    "type": "object",
    "required": ["status", "url"],
    "properties": {
        "status": {"type": "string"},
        "status_label": {"type": ["string", "null"]},
        "last_discussed": {"type": ["integer", "null"]},
        "url": {"type": "string", "pattern": r"^https?://\S+$"},
        "citation": CITATION,
        "as_of": NULLABLE_DATE,
        "written": DATE,
    },
}

ALIASES: dict[str, Any] = {
    "type": "object",
    "patternProperties": {r"^[a-z]{2}$": {"type": "array", "items": {"type": "string", "minLength": 1}}},
    "additionalProperties": False,
}

SOURCE: dict[str, Any] = {
    "type": "object",
    "required": ["id", "name", "aliases", "domains", "type", "facts"],
    "properties": {
        "id": {"type": "string", "pattern": r"^[a-z0-9_:.-]+$"},
        "name": {"type": "string", "minLength": 1},
        "aliases": ALIASES,
        "ambiguous_aliases": {"type": "array", "items": {"type": "string"}},
        "domains": {"type": "array", "items": {"type": "string", "pattern": r"^[a-z0-9.-]+\.[a-z]{2,}$"}},
        "type": {"enum": SOURCE_TYPES},
        "country": {"type": ["string", "null"]},
        "owner": {"type": ["string", "null"]},
        "parent": {"type": ["string", "null"]},
        "editions": {"type": "object", "additionalProperties": {"type": "string"}},
        "end_marks": {"type": "array", "items": {"type": "string"}},
        "perennial_ids": {"type": "array", "items": {"type": "string"}},
        "facts": {"type": "array", "items": FACT},
        "state_affiliation": STATE_AFFILIATION,
        "legal_status": {"type": "array", "items": LEGAL_STATUS},
        "ratings": {
            "type": "object",
            "properties": {"wikipedia_perennial": {"anyOf": [PERENNIAL_RATING, {"type": "array", "items": PERENNIAL_RATING}]}},
        },
        "origin": {"type": "string"},
    },
}

REGISTRY_FILE: dict[str, Any] = {
    "type": "object",
    "required": ["sources"],
    "properties": {
        "version": {"type": "integer"},
        "updated": DATE,
        "citations": {"type": "object"},
        "sources": {"type": "array", "items": SOURCE},
    },
}

#: A user file may override only some fields of a shipped source, so only ``id`` is required.
USER_SOURCE: dict[str, Any] = {**SOURCE, "required": ["id"]}
USER_REGISTRY_FILE: dict[str, Any] = {**REGISTRY_FILE, "properties": {**REGISTRY_FILE["properties"], "sources": {"type": "array", "items": USER_SOURCE}}}


def validate_source(entry: dict, *, partial: bool = False) -> list[str]:
    """Error messages for one source entry (empty when valid)."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(USER_SOURCE if partial else SOURCE)
    return [f"{entry.get('id', '?')}: {'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in sorted(validator.iter_errors(entry), key=lambda e: list(map(str, e.absolute_path)))]
