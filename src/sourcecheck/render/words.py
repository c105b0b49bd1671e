"""Plain words for what the renderers show: detection cues, evidence and how far a note was checked.

Detection names its cues by short ids (``sagte_zu``, ``x_berichtet``, ``og:site_name``); the JSON keeps
them, as a program wants, and the table and the HTML report say them in words a reader follows.  An id
that this table does not know yet is shown humanized ("new cue"), never as the raw id.
"""

from __future__ import annotations

import re
from typing import Any

#: cue id -> what the page says that made the detection (the cues of ``provenance/detect.py``,
#: ``provenance/publisher.py`` and ``provenance/cited.py``)
CUES: dict[str, str] = {
    # credits followed by a list of names
    "photo_credit": "photo credit",
    "quelle": "“Source:” line",
    "mit_material": "“with material from” line",
    "reporting_by": "“reporting by” line",
    "copyright": "copyright notice",
    "quelle_caption": "“Source:” in a picture caption",
    "mit_material_caption": "“with material from” in a picture caption",
    "reporting_by_caption": "“reporting by” in a picture caption",
    "copyright_caption": "copyright notice of a picture",
    # credit groups and bylines
    "paren_photo_credit": "agency in parentheses in a photo credit",
    "paren_dateline": "agency in the dateline, as in “(Reuters) -”",
    "paren_credit_caption": "agency in parentheses in a picture caption",
    "slash_photo_credit": "photo credit “photographer/agency”",
    "slash_credit_caption": "picture caption credit “photographer/agency”",
    "agency_byline": "agency named as the byline",
    "caption_credit_box": "credit in the page's caption element",
    "author_box": "agency in the page's author box",
    "contributed": "“… contributed to this report”",
    "caption_tail_credit": "credit at the end of a picture caption",
    "getty_credit": "picture credit “via Getty Images”",
    "photographer_credit": "photo credit after a photographer's name",
    "agency_date_line": "agency followed by a date",
    "end_mark": "agency mark at the end of the text",
    "source_box": "the page's “source” box",
    "photo_credit_unknown": "photo credit naming a supplier no list knows",
    "self_photo_credit": "photo credit naming the outlet itself",
    # the publisher speaking of itself
    "follow": "“follow us on …”",
    "get_more_from": "“get more from …”",
    "ban_of_self": "the outlet complaining of a ban on itself",
    "advocacy_self_reference": "the outlet naming itself in an appeal",
    "our_site_near_name": "“our site” beside the name",
    "first_person": "the page speaking of itself (“our”, “we”)",
    # outlets cited in running text
    "according_to": "“according to …”",
    "told": "“told …”",
    "interview_with": "“in an interview with …”",
    "reported_by": "“reported by …”",
    "laut": "“laut …” (according to)",
    "gemaess": "“gemäß …” (according to)",
    "unter_berufung_auf": "“unter Berufung auf …” (citing)",
    "gegenueber": "“gegenüber …” (speaking to)",
    "sagte_zu": "“sagte zu …” (said to)",
    "berichtet_x": "“berichtet …” (reports)",
    "wie_x": "“wie … berichtet” (as … reports)",
    "dativ_sagte": "“der … sagte” (told …)",
    "sagte_dativ": "“sagte der …” (told …)",
    "x_zufolge": "“… zufolge” (according to)",
    "x_reported": "“… reported”",
    "x_berichtet": "“… berichtet” (reports)",
    "cited_outlet": "named as an outlet, as in “the … newspaper”",
    "cited_attrib": "a claim attributed to it, as in “… reported”",
    "cited_weak": "a claim attributed to it by a preposition, as in “in …”",
    "cited_reference": "a reference to its reporting",
    # the page's metadata and address (evidence without a segment)
    "og:site_name": "page metadata (og:site_name)",
    "jsonld_publisher": "page metadata (JSON-LD publisher)",
    "application-name": "page metadata (application-name)",
    "title_site": "page title (its site part)",
    "url_host": "page address",
    "copyright_line": "copyright line",
}

#: prefixes detection puts before a cue id when it moves evidence to another role
PREFIXES: dict[str, str] = {"self_reference:": "the outlet naming itself: "}


def cue_words(cue: Any) -> str:
    """A cue id in plain words; an unknown id humanized ("some_new_cue" -> "some new cue")."""
    cue = str(cue or "")
    for prefix, words in PREFIXES.items():
        if cue.startswith(prefix):
            return words + cue_words(cue[len(prefix):])
    if cue in CUES:
        return CUES[cue]
    return re.sub(r"[_:]+", " ", cue).strip() or "unnamed cue"


def evidence_words(ev: dict, limit: int | None = 60) -> str:
    """One item of evidence: where it is, what it reads, and the cue in words.

    ``segment 10, photo credit: “Photo: Reuters”``; evidence from the page's metadata or address has no
    segment and reads ``page metadata (og:site_name): “CBC”``.
    """
    text = " ".join(str(ev.get("text") or "").split())
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    seg = ev.get("segment")
    cue = cue_words(ev.get("cue"))
    if isinstance(seg, int):
        return f"segment {seg}, {cue}: “{text}”"
    return f"{cue}: “{text}”"


_UNVERIFIED_SUFFIX = re.compile(r"\s*\(unverified: [^()]*\)\s*$")


def check_words(note: dict) -> str:
    """How far a note was checked, in words ("" for a note with nothing to check)."""
    check = note.get("check")
    as_of = note.get("as_of")
    if check == "checked":
        s = f"checked against its citation on {note['checked_on']}" if note.get("checked_on") else \
            "checked against its citation"
        return s + (f", as of {as_of}" if as_of and as_of != note.get("checked_on") else "")
    if check == "imported":
        return "copied from the cited list" + (f", as of {as_of}" if as_of else "")
    if check == "unverified":
        return (f"unverified, written {note['written']}, not checked against its citation" if note.get("written")
                else "unverified, not checked against its citation")
    return f"as of {as_of}" if as_of else ""


def note_value(note: dict) -> str:
    """A note's value without the "(unverified: ...)" the library appends, for displays that say the
    check status beside it (the JSON keeps the value whole)."""
    value = str(note.get("value") or "")
    return _UNVERIFIED_SUFFIX.sub("", value) if note.get("check") == "unverified" else value


def note_words(note: dict) -> str:
    """``claim: value [citation; check status]`` on one line."""
    cit = (note.get("citation") or {}).get("title") or (note.get("citation") or {}).get("url") or ""
    bracket = "; ".join(x for x in (cit, check_words(note)) if x)
    return f"{note.get('claim')}: {note_value(note)}" + (f" [{bracket}]" if bracket else "")


__all__ = ["CUES", "cue_words", "evidence_words", "check_words", "note_value", "note_words"]
