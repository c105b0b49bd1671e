"""Find the sources behind an article, in English and German, with evidence.

Four roles, kept apart because they mean different things to a reader:

- ``publisher``: who put the page out (URL host, ``og:site_name``, JSON-LD
  publisher, and self-references in chrome and advocacy: "Follow China.org.cn
  on Twitter", "Durch die Sperrung von RT ... unserer Website");
- ``wire``: an agency that supplied the text ("(Reuters) -", "(dpa)",
  "dpa/AFP", "mit Material von dpa", "Quelle: dpa" under news text, an
  agency-and-date line "Xinhua, January 20, 2017", the end mark "Endit");
- ``photo``: an agency that supplied an image only ("Foto:", "Bild:",
  "Photo:", "(c)", "AFP/Getty Images", "Quelle: AFP" in a caption);
- ``cited``: an outlet the text attributes a claim to ("according to X",
  "told X", "laut X", "X zufolge", "sagte ... zu 'X'", "schätzt die X").

Every detection is driven by a cue, never by a bare name: a name is only
evidence when something around it says what role it plays.  Names that are
short or common words (AP, RT, FT, SZ, APA, SDA, EFE, Spiegel, Welt, ...;
``ambiguous_aliases`` in the registry) count only with a strong cue (a credit
pattern, quotes, a preposition such as "laut" / "according to", a domain).
Staff initials such as "(kjo)" are not in the registry and never match.

Only curated registry entries are matched in text; the imported state-media
and perennial lists are used for domains and names in page metadata.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from .notes import notes_for
from .registry import AGENCY_TYPES, Registry, load_registry, normalize_host

QUOTES = "\"'„“”«»‚‘’‹›"
ROLES = ("publisher", "wire", "photo", "cited")

# --- context patterns around a name --------------------------------------
# Left patterns end at the name (or its opening quote); right patterns start after it.
# strong=True: also accepted for ambiguous names.

# "die britische Zeitung", "the news agency": a descriptor may stand between cue and name
_DESC = (r"(?:(?:[\w-]+ )?(?:Zeitung|Tageszeitung|Wochenzeitung|Zeitschrift|Magazin|Nachrichtenmagazin|Sender|"
         r"Fernsehsender|Staatssender|Agentur|Nachrichtenagentur|Blatt|Boulevardblatt|Portal|Newsportal|"
         r"newspaper|paper|magazine|broadcaster|agency|news agency|channel|outlet|network|daily|weekly|tabloid) )?")
_ART_DE = r"(?:der |dem |des |den |die |das |the )?" + _DESC
_REPORT_DE = r"(?:Bericht|Berichten|Meldung|Meldungen|Artikel|Recherche|Recherchen|Angaben|Informationen|Umfrage)"

CITED_LEFT: list[tuple[str, str, float, bool]] = [
    ("according_to", r"\b[Aa]ccording to (?:(?:a|an|the) (?:[\w-]+ )?(?:report|story|article|interview|analysis|tally|count|survey|calculation)s? (?:by|in|from|with|of) )?(?:the )?" + _DESC + r"\Z", 0.85, True),
    ("told", r"\btold (?:the )?" + _DESC + r"\Z", 0.8, True),
    ("interview_with", r"\b(?:[Ii]n an interview with|[Ss]peaking to|[Ss]peaking with|[Ii]n a statement to|[Ii]n comments to) (?:the )?" + _DESC + r"\Z", 0.8, True),
    ("reported_by", r"\b(?:reported|cited|quoted|first reported|published) (?:by|in) (?:the )?" + _DESC + r"\Z", 0.8, True),
    ("laut", r"\b[Ll]aut (?:(?:einem|einer|dem|den) " + _REPORT_DE + r" (?:der|des|von|im|in der|auf) )?" + _ART_DE + r"\Z", 0.85, True),
    ("gemaess", r"\b[Gg]em(?:äß|äss|aess|ass) (?:(?:einem|einer|dem|den) " + _REPORT_DE + r" (?:der|des|von|im|in der) )?" + _ART_DE + r"\Z", 0.85, True),
    ("unter_berufung_auf", r"\b[Uu]nter Berufung auf (?:(?:einen|eine|den|die) " + _REPORT_DE + r" (?:der|des|von|im|in der) )?" + _ART_DE + r"\Z", 0.85, True),
    ("gegenueber", r"\b(?:gegenüber|im Gespräch mit|im Interview mit|in einem Interview mit|in einem Gespräch mit) " + _ART_DE + r"\Z", 0.8, True),
    ("sagte_zu", r"\b(?:sagte|sagten|sagt|sagen|erklärte|erklärten|bestätigte|bestätigten|betonte|betonten|meinte)\b[^.!?\n]{0,150}?\bzu " + _ART_DE + r"\Z", 0.8, True),
    ("berichtet_x", r"\b(?:berichtet|berichtete|berichten|berichteten|meldet|meldete|schreibt|schrieb|schätzt|schätzte|zitiert|zitierte|enthüllte)(?: am \w+| bereits| zuerst| unter anderem| nun| jetzt)? (?:die |der |das |den )?" + _DESC + r"\Z", 0.75, False),
    ("wie_x", r"\b[Ww]ie (?:die |der |das |den )?" + _DESC + r"\Z", 0.85, True),  # needs WIE_RIGHT too
    ("dativ_sagte", r"(?:^|[.!?:]\s+|\b[Gg]egenüber )(?:[Dd]er |[Dd]em )" + _DESC + r"\Z", 0.8, True),  # needs SAGTE_RIGHT
    ("sagte_dativ", r"\b(?:sagte|sagten|sagt|erklärte|erklärten|bestätigte|bestätigten|betonte|betonten)\b[^.!?\n]{0,80}? (?:der|dem) " + _DESC + r"\Z", 0.8, True),
]
SAGTE_RIGHT = r"^\W{0,2}\s+(?:sagte|sagten|sagt|erklärte|erklärten|bestätigte|bestätigten|betonte|betonten)\b"
WIE_RIGHT = r"^[^.!?\n]{0,60}?\b(?:berichtet|berichtete|berichten|berichteten|meldet|meldete|schreibt|schrieb|schätzt|schätzte)\b"

CITED_RIGHT: list[tuple[str, str, float, bool]] = [
    ("x_zufolge", r"^\s+zufolge\b", 0.85, True),
    ("x_reported", r"^(?:'s)? (?:has |had |first |also |later |previously |earlier )?(?:reported|reports|wrote|writes|revealed|reveals|estimated|estimates|cited)\b", 0.75, False),
    ("x_berichtet", r"^ (?:berichtet|berichtete|berichten|berichteten|meldet|meldete|schreibt|schrieb|schätzt|schätzte|zitiert|zitierte|enthüllte)\b", 0.75, False),
]

PUBLISHER_LEFT: list[tuple[str, str, float, bool, tuple[str, ...]]] = [
    # (cue, pattern, confidence, strong, labels)
    ("follow", r"\b(?:[Ff]ollow|[Ll]ike|[Ff]olgen Sie|[Ff]olge|[Ff]olgt) (?:us on |uns auf )?\Z", 0.8, True, ("chrome", "advocacy")),
    ("get_more_from", r"(?:\b|(?<=[a-z]))(?:Get more from|Mehr von) \Z", 0.7, True, ("chrome",)),
    ("ban_of_self", r"\b(?:Sperrung|Sperre|Verbot|Verbots|Zensur|Blockade|Blockierung|Abschaltung|Sendeverbot|Ausstrahlungsverbot|[Bb]an|[Bb]anning|[Bb]locking|[Cc]ensorship|[Cc]ensoring) (?:von|gegen|des|der|of|on|against) \Z", 0.8, True, ("advocacy",)),
]
PUBLISHER_RIGHT: list[tuple[str, str, float, bool, tuple[str, ...]]] = [
    ("follow", r"^ (?:on|auf|bei) (?:Twitter|X|Facebook|Telegram|Instagram|YouTube|TikTok|VK|Odysee|Rumble|Mastodon)\b", 0.75, True, ("chrome", "advocacy")),
]

FIRST_PERSON = re.compile(
    r"\b(?:unser(?:e|er|es|em|en)?|[Ww]ir|uns|[Oo]ur|[Ww]e|us)\b(?:\s+(?:Website|Webseite|Seite|Homepage|Artikel|Arbeit|Beiträge|Accounts|Kanal|Redaktion|Journalismus|website|site|articles|journalism|work|channel|newsroom))?"
)
OUR_SITE = re.compile(r"\b(?:[Uu]nser(?:e|er|es|em|en)?|[Oo]ur) (?:Website|Webseite|Seite|Homepage|Artikel|Beiträge|Accounts|Kanal|Redaktion|Arbeit|Journalismus|website|site|articles|channel|newsroom|journalism|work|reporting)\b")

# credit cues followed by a list of names
_LIST_SEP = r"(?:\s*(?:,|/|;|\+|&|\bund\b|\band\b|\bsowie\b)\s*)"
CUE_MATERIAL = re.compile(r"\b[Mm]it (?:Material|Informationen|Agenturmaterial) (?:von |der |des |aus )(?:den |der )?(?:Nachrichtenagentur(?:en)? |Agentur(?:en)? )?")
CUE_REPORTING = re.compile(r"\b(?:[Aa]dditional |[Ww]ith )?[Rr]eporting (?:by|from) (?:the )?")
CUE_QUELLE = re.compile(r"\b(?:Quelle|Quellen|Source|Sources)\s*:\s*")
CUE_PHOTO = re.compile(r"(?:\b(?:Fotos?|Bilder|Bild|Photos?|Photograph|Photography|Pictures?|Images?|Image credit|Bildquelle|Fotoquelle|"
                       r"Bildrechte|Credits?|Titelbild|Symbolbild|Rubriklistenbild|Foto/Video|BILD|FOTO|PHOTO)\s*:\s*)+")
# neutral parts of a photo credit: distributors and markers that are not agencies of their own
PHOTO_NEUTRAL = re.compile(r"^(?:picture[ -]alliance|Picture Alliance|Getty(?: Images)?|Getty images|imago(?:[ -]images)?|IMAGO|"
                           r"Pool|POOL|File|file|FILE|Photo|Foto|Handout|HANDOUT|Zuma Wire|ZUMA Press|ZUMA Wire|Shutterstock|"
                           r"iStock|dpa-Bildfunk|dpa-Zentralbild|Bildfunk|Zentralbild|Keystone|KEYSTONE|SN|Uncredited|STR|[A-Z]{2,6} Photo)$")
# a photographer's name in a credit: one to four capitalised words ("Michael Kappeler", "J. Scott Applewhite", "CYRIL ZINGARO")
PERSON_TOKEN = re.compile(r"^(?:[A-ZÄÖÜ][\w.'’-]*|von|van|de|der|da|del|di|le|la|al|bin)(?:\s+(?:[A-ZÄÖÜ][\w.'’-]*|von|van|de|der|da|del|di|le|la|al|bin)){0,4}$")
CUE_COPYRIGHT = re.compile(r"(?:©|\([cC]\)|\bCopyright\b\s*©?)\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*)?")
FOOTER_WORDS = re.compile(r"[Aa]ll [Rr]ights [Rr]eserved|Alle Rechte vorbehalten|Impressum|Datenschutz|Privacy|Terms of")
# picture distributors: named beside the agency that took the picture ("AFP via Getty Images",
# "imago images/Xinhua", "picture alliance/dpa"), they are left out and the agency is credited;
# named alone ("Bild: Getty Images", "Chip Somodevilla/Getty Images"), they are the photo source
DISTRIBUTOR_IDS = frozenset({"getty_images", "imago", "picture_alliance", "shutterstock"})
# a credit token that names a picture service by its form ("AP Photo", "PA Wire", "PA Images")
PHOTO_FORM = re.compile(r"\s(?:Photos?|PHOTOS?|Images|IMAGES|Wire|Foto)$")
GETTY = re.compile(r"^\s*(?:/|via)\s*Getty(?: Images)?\b")
GETTY_LEFT = re.compile(r"Getty Images\s*/\s*\Z")
PHOTOGRAPHER_LEFT = re.compile(r"(?<![\w/])[A-ZÄÖÜ][\w.'-]+(?: [A-ZÄÖÜ][\w.'-]+){0,3}\s*/\s*\Z")
PHOTOGRAPHER_RIGHT = re.compile(r"^\s*/\s*[A-ZÄÖÜ][\w.'-]+(?: [A-ZÄÖÜ][\w.'-]+){0,3}\b")
_MONTHS_EN = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_MONTHS_DE = r"(?:Januar|Jänner|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember)"
AGENCY_DATE = re.compile(
    r"^,?\s+(?:" + _MONTHS_EN + r"\s+\d{1,2},?\s+\d{4}|\d{1,2}\.?\s*" + _MONTHS_DE + r"\s+\d{4}|\d{1,2}\s+" + _MONTHS_EN
    + r"\s+\d{4}|\d{1,2}\.\d{1,2}\.\d{2,4}|\d{4}-\d{2}-\d{2})"
)
PAREN_GROUP = re.compile(r"\(([^()\n]{1,60})\)")
SLASH_GROUP = re.compile(r"(?<![\w/.])([\w.-]+(?:\s*/\s*[\w.-]+)+)(?![\w/])")
INITIALS = re.compile(r"^(?:[a-zäöü]{2,4}|red|Red|rad)$")
DASH_AFTER = re.compile(r"^\s*[-–—]{1,2}")
# a dateline closed by a full stop or colon: "Wiesbaden (KNA/iz). Der ...", at the start of news text
PLACE_BEFORE = re.compile(r"^\s*[A-ZÄÖÜ][\w.'’-]*(?:[ /-][A-ZÄÖÜ][\w.'’-]*){0,3}\s*\Z")
STOP_AFTER = re.compile(r"^[.:]\s+(?=[A-ZÄÖÜ\"„“])")

_DE_WORDS = frozenset("der die das und nicht ist mit von zu den sich auf für ein eine dem des im wird wurde auch bei".split())
_EN_WORDS = frozenset("the and of to is in that with for on was by are from has have it be as".split())


@dataclass(frozen=True)
class Mention:
    start: int  # in segment text, without quotes
    end: int
    alias: str
    source_id: str
    quoted: bool
    qstart: int  # with quotes
    qend: int


class _Matcher:
    """Alias index of the curated registry entries, compiled once per registry."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.alias_sid: dict[str, str] = {}
        self.ambiguous: set[str] = set()
        for s in registry.curated():
            names = [s["name"]] + [a for lst in (s.get("aliases") or {}).values() for a in lst]
            for a in names:
                self.alias_sid.setdefault(a, s["id"])
            self.ambiguous.update(s.get("ambiguous_aliases") or [])
        alt = "|".join(re.escape(a) for a in sorted(self.alias_sid, key=lambda a: (-len(a), a)))
        # right boundary: a non-word char, or a camel-case seam in glued page text
        # ("China.org.cnMobile"); never "RT" inside "RTL"
        self.name_re = re.compile(r"(?<![\w])(?:" + alt + r")(?:(?![\w])|(?<=[a-z])(?=[A-Z]))") if alt else None
        self.end_marks: list[tuple[re.Pattern, str]] = []
        for s in registry.curated():
            for mark in s.get("end_marks") or []:
                self.end_marks.append((re.compile(r"(?<![\w])" + re.escape(mark) + r"[\W]*$"), s["id"]))
        self.cited_left = [(c, re.compile(p), conf, strong) for c, p, conf, strong in CITED_LEFT]
        self.cited_right = [(c, re.compile(p), conf, strong) for c, p, conf, strong in CITED_RIGHT]
        self.pub_left = [(c, re.compile(p), conf, strong, labels) for c, p, conf, strong, labels in PUBLISHER_LEFT]
        self.pub_right = [(c, re.compile(p), conf, strong, labels) for c, p, conf, strong, labels in PUBLISHER_RIGHT]
        self.wie_right = re.compile(WIE_RIGHT)
        self.sagte_right = re.compile(SAGTE_RIGHT)

    def is_agency(self, sid: str) -> bool:
        return (self.registry.get(sid) or {}).get("type") in AGENCY_TYPES

    def is_photo_agency(self, sid: str) -> bool:
        return (self.registry.get(sid) or {}).get("type") == "photo_agency"

    def photo_token(self, tok: str, unambiguous: bool = False) -> bool:
        """Whether a credit token names a picture service ("Getty Images", "EPA", "AP Photo", "PA Wire").

        ``unambiguous``: only names that say so on their own (not "EPA" or "Getty"), for a credit line
        that is nothing but the name.
        """
        tok = tok.strip(" .\u200b\xa0")
        sid = self.alias_sid.get(tok)
        if not sid or not self.is_agency(sid):
            return False
        if PHOTO_FORM.search(tok):
            return True
        return self.is_photo_agency(sid) and not (unambiguous and tok in self.ambiguous)

    def mentions(self, text: str) -> list[Mention]:
        if self.name_re is None:
            return []
        out = []
        for m in self.name_re.finditer(text):
            s, e = m.start(), m.end()
            quoted = s > 0 and e < len(text) and text[s - 1] in QUOTES and text[e] in QUOTES
            out.append(Mention(s, e, m.group(0), self.alias_sid[m.group(0)], quoted,
                               s - 1 if quoted else s, e + 1 if quoted else e))
        return out

    def credit_token(self, tok: str, names: bool = False) -> str | None:
        """'agency' id, 'initials', 'neutral', 'person' (with ``names``) or None for a token of a credit group."""
        tok = tok.strip(" .\u200b\xa0")
        if names:
            tok = re.sub(r"\s+(?:Photos?|Foto)$", "", tok)  # "AP Photo"
        if tok in self.alias_sid and self.is_agency(self.alias_sid[tok]):
            return self.alias_sid[tok]
        if INITIALS.match(tok):
            return "initials"
        if names:
            if PHOTO_NEUTRAL.match(tok):
                return "neutral"
            if PERSON_TOKEN.match(tok) and tok not in self.alias_sid:
                return "person"
        return None

    def credit_tokens(self, group: str) -> tuple[list[str], list[str | None]]:
        """Split a credit group ("Manu Fernandez/AP", "NASA via AP, File", "AP/dpa | Name") and classify its parts."""
        toks = [t for t in re.split(r"\s*[/,;|]\s*|\s+(?:und|and|via)\s+", group.strip()) if t.strip(" .\u200b\xa0")]
        return toks, [self.credit_token(t, names=True) for t in toks]


def _credit_line(m: _Matcher, line: str) -> tuple[list[str], str | None]:
    """Agencies in a bare credit line and what it credits: ("photo" | "wire" | None).

    "Michael Conroy, AP", "Philipp von Ditfurth/dpa", "AP/dpa | Richard Drew", "NASA via AP, File":
    a photographer's name or a picture distributor beside an agency makes it a photo credit;
    staff initials ("sak/Reuters", "ino/dpa") make it a wire credit; "Reuters, Thorsten Kramer" or
    "AFP, MANILA" (the agency first, then a name or place after a comma) is a byline: wire.
    """
    line = re.sub(r"^[\s(\[]*(?:©|\([cC]\)|Copyright)?\s*(?:\d{4}\s*)?(?:File\s*:\s*|FILE\s*[-–:]\s*)?", "", line)
    line = re.sub(r"(?:,?\s+(?:file|File|FILE))?[\s.)\]]*$", "", line)
    if not line or len(line) > 90:
        return [], None
    toks, kinds = m.credit_tokens(line)
    sids = [k for k in kinds if k not in (None, "initials", "neutral", "person")]
    if not sids or any(k is None for k in kinds):
        return [], None
    if "initials" in kinds or re.match(r"(?:[Vv]on|[Bb]y|BY|VON)\s", line) or re.search(r"\s(?:und|and)\s", line):
        return sids, "wire"  # staff initials, or a byline ("Von David Hutzler, dpa", "X und Y, dpa")
    if len(toks) == 1:
        return sids, ("photo" if m.photo_token(toks[0], unambiguous=True) else None)
    first_sep = line[len(toks[0]):].lstrip()[:1]
    if kinds[0] in sids and first_sep == ",":
        return sids, "wire"
    if any(k in ("person", "neutral") for k in kinds) or any(m.photo_token(t) for t in toks):
        return sids, "photo"
    return sids, None


# the page's layout around a segment (``seg.dom_path``, innermost element first): an author or
# byline box ("div.article-author__source", "span.publication") or a picture caption
# ("figcaption", "div.image-credit"); only the innermost elements are read for the byline
BYLINE_PATH = re.compile(r"author|byline|attribution|contributor|publication|autor", re.I)
CAPTION_PATH = re.compile(r"figcaption|caption|credit|copyright|image|photo|picture|foto|bild", re.I)
# what may stand beside the agency in a byline box: persons, "Von ... mit", "Weitere Quellen •"
BYLINE_REST = re.compile(r"^(?:[\s,;|•·/&+-]|\b(?:[Vv]on|VON|[Bb]y|BY|[Mm]it|[Ww]ith|und|and|[Tt]he|THE)\b|"
                         r"[A-ZÄÖÜ][\w.'’-]*)*$")


def _path_parts(seg, n: int) -> list[str]:
    return [p.strip() for p in (getattr(seg, "dom_path", None) or "").split("<")][:n]


AGENCY_BYLINE = re.compile(r"^(?:By |BY |Von |VON |Text: |[Mm]it |[Ww]ith )?(?:the |The |THE )?(?P<name>[^,]{2,40}?)\s*(?:,\s*[^,]{0,40}| in [A-ZÄÖÜ][\w -]{1,30})?\.?$")
CONTRIBUTED = re.compile(r"\b(?:writers?|reporters?|correspondents?|journalists?)\b[^.!?\n]{0,120}\bcontributed\b")


@functools.lru_cache(maxsize=8)
def _matcher(registry: Registry) -> _Matcher:
    return _Matcher(registry)


def guess_lang(article) -> str:
    """Article language: ``article.lang`` if set, else a stop-word count (German vs English)."""
    if getattr(article, "lang", None):
        return str(article.lang).split("-")[0].lower()
    words = re.findall(r"[a-zäöüß]+", (article.text or "").lower())
    de = sum(w in _DE_WORDS for w in words)
    en = sum(w in _EN_WORDS for w in words)
    return "de" if de > en else "en"


class _Collector:
    """Detections keyed by (source id, role); evidence merged and de-duplicated."""

    def __init__(self) -> None:
        self.items: dict[tuple[str, str], list[dict]] = {}

    def add(self, sid: str, role: str, evidence: dict) -> None:
        lst = self.items.setdefault((sid, role), [])
        key = (evidence.get("segment"), evidence.get("start"), evidence.get("end"), evidence.get("cue"))
        if any((e.get("segment"), e.get("start"), e.get("end"), e.get("cue")) == key for e in lst):
            return
        lst.append(evidence)

    def move(self, src: tuple[str, str], dst: tuple[str, str], prefix: str = "") -> None:
        for ev in self.items.pop(src, []):
            self.add(dst[0], dst[1], {**ev, "cue": prefix + ev["cue"]} if prefix else ev)


def _seg_base(article, seg) -> int:
    """Offset of ``seg.text`` in ``article.text`` (segments may be whitespace-trimmed)."""
    text = article.text or ""
    start = seg.start or 0
    if text[start:start + len(seg.text)] == seg.text:
        return start
    window = text[start:(seg.end or start) + len(seg.text)]
    i = window.find(seg.text)
    if i >= 0:
        return start + i
    j = text.find(seg.text)
    return j if j >= 0 else start


def _short(s: str, limit: int = 80) -> str:
    s = re.sub(r"\s+", " ", s).strip()
    return s if len(s) <= limit else s[: limit - 1] + "…"


def _caption_kind(text: str, label: str, cue_start: int, region_end: int) -> str | None:
    """'caption' (text then credit), 'standalone' (a credit line alone) or None, for chrome segments."""
    if label != "chrome" or len(text) > 500:
        return None
    words_before = len(re.findall(r"\w+", text[:cue_start]))
    tail = re.sub(r"[\s.;,|)\]]+", "", text[region_end:])
    if words_before < 2:
        return "standalone"
    if len(tail) <= 40:
        return "caption"
    return None


def _names_in_region(m: _Matcher, mentions: list[Mention], start: int, text: str, max_len: int = 80,
                     allow_prefix: bool = False) -> list[Mention]:
    """Names listed right after a cue ("Quelle: dpa, AFP"), stopping at the first non-list text.

    ``allow_prefix`` lets a photographer's name come first ("Foto: Michael Kappeler/dpa").
    """
    out: list[Mention] = []
    pos = start
    limit = min(len(text), start + max_len)
    for mn in mentions:
        if mn.qstart < pos or text[mn.qend:mn.qend + 1] == ":":
            continue
        if mn.qstart > limit:
            break
        gap = text[pos:mn.qstart]
        if out and not re.fullmatch(_LIST_SEP + r"?", gap):
            break
        if not out and not (re.fullmatch(r"[^.!?\n:]{0,60}?(?:\s*/\s*|\s+|)", gap) if allow_prefix
                            else re.fullmatch(r"(?:(?:der|den|die|the) )?", gap)):
            break
        out.append(mn)
        pos = mn.qend
    return out


def _scan_segment(m: _Matcher, reg: Registry, article, seg, label: str, lang: str, out: _Collector) -> None:
    text = seg.text
    base = _seg_base(article, seg)
    mentions = m.mentions(text)

    def ev(start: int, end: int, cue: str, conf: float, **extra: Any) -> dict:
        d = {"segment": seg.index, "start": base + start, "end": base + end,
             "text": _short(text[start:end]), "cue": cue, "confidence": conf}
        d.update(extra)
        return d

    credited: set[tuple[int, int]] = set()  # mentions consumed by a credit cue

    # 1. credit cues followed by a list of names -----------------------------
    for cue_re, cue in ((CUE_PHOTO, "photo_credit"), (CUE_QUELLE, "quelle"), (CUE_MATERIAL, "mit_material"),
                        (CUE_REPORTING, "reporting_by"), (CUE_COPYRIGHT, "copyright")):
        for c in cue_re.finditer(text):
            names = _names_in_region(m, mentions, c.end(), text, allow_prefix=cue in ("photo_credit", "copyright"))
            if not names:
                continue
            end = names[-1].qend
            kind = _caption_kind(text, label, c.start(), end)
            for mn in names:
                sid = mn.source_id
                agency = m.is_agency(sid)
                role = None
                conf = 0.0
                if cue == "photo_credit":
                    role, conf = "photo", 0.9
                elif cue == "quelle":
                    if label == "chrome" and (kind == "caption" or CAPTION_PATH.search(" ".join(_path_parts(seg, 2)))):
                        role, conf = "photo", 0.85
                    elif label == "advocacy":
                        role = None
                    elif agency:
                        role, conf = "wire", (0.8 if label != "chrome" else 0.6)
                    else:
                        role, conf = "cited", 0.6
                elif cue in ("mit_material", "reporting_by"):
                    if agency and label != "advocacy":
                        role, conf = "wire", 0.9 if cue == "mit_material" else 0.8
                elif cue == "copyright":
                    if _credit_line(m, text[c.end():end + 40].split("\n")[0])[1] == "photo" and label != "advocacy":
                        role, conf = "photo", 0.8
                    elif label == "chrome" and (kind == "caption" or (agency and not FOOTER_WORDS.search(text))):
                        role, conf = "photo", 0.8
                    elif agency and label != "advocacy" and re.search(r"/\s*(?:Copyright|©)", text[c.end():end]):
                        # "Copyright <photographer>/Copyright <year> The AP": a picture's rights line
                        role, conf = "photo", 0.75
                    elif label == "chrome":
                        role, conf = "publisher", 0.6
                    elif label == "news" and agency:
                        role, conf = "wire", 0.6
                if role:
                    out.add(sid, role, ev(c.start(), end, cue if role != "photo" or cue == "photo_credit" else f"{cue}_caption", conf))
                    credited.add((mn.start, mn.end))

    # 2. credit groups: "(dpa)", "(Reuters) -", "dpa/AFP", "red/dpa" ---------
    stripped_end = len(text.rstrip(" \t.;"))
    paren_spans: list[tuple[int, int]] = []
    for g in PAREN_GROUP.finditer(text):
        inner = re.sub(r"\s+\d{1,2}\.\d{1,2}\.\d{2,4}$", "", g.group(1).strip())  # "(KNA 19.11.21)"
        toks = [t for t in re.split(r"\s*[/,;]\s*|\s+(?:und|and)\s+", inner) if t]
        kinds = [m.credit_token(t) for t in toks]
        sids = [k for k in kinds if k and k != "initials"]
        if not sids or any(k is None for k in kinds):
            csids, ckind = _credit_line(m, inner)
            if ckind == "photo" and label != "advocacy" and not DASH_AFTER.match(text[g.end():]):
                for sid in csids:
                    out.add(sid, "photo", ev(g.start(), g.end(), "paren_photo_credit", 0.8))
                credited.update((mn.start, mn.end) for mn in mentions if g.start() <= mn.start < g.end())
                paren_spans.append((g.start(), g.end()))
            continue
        dash = DASH_AFTER.match(text[g.end():])
        if not dash and label == "news" and PLACE_BEFORE.match(text[:g.start()]):
            dash = STOP_AFTER.match(text[g.end():])
        at_edge = g.end() >= stripped_end or not text[:g.start()].strip()
        if label == "advocacy":
            continue
        if any(m.photo_token(t) for t in toks):
            # "(AP Photo)", "(Getty Images)": a picture credit, never a dateline; in news text only
            # by its form, since "(EPA)" there is mostly the Environmental Protection Agency
            if dash or not at_edge or not (label == "chrome" or any(PHOTO_FORM.search(t) for t in toks)):
                continue
            for sid in sids:
                out.add(sid, "photo", ev(g.start(), g.end(), "paren_photo_credit", 0.8))
        elif dash:
            for sid in sids:
                out.add(sid, "wire", ev(g.start(), g.end() + dash.end(), "paren_dateline", 0.95))
        elif at_edge:
            kind = _caption_kind(text, label, g.start(), g.end())
            for sid in sids:
                if label == "chrome" and kind == "caption":
                    out.add(sid, "photo", ev(g.start(), g.end(), "paren_credit_caption", 0.8))
                else:
                    out.add(sid, "wire", ev(g.start(), g.end(), "paren_credit", 0.85 if label != "chrome" else 0.6))
        else:
            continue
        paren_spans.append((g.start(), g.end()))
        credited.update((mn.start, mn.end) for mn in mentions if g.start() <= mn.start < g.end())
    for g in SLASH_GROUP.finditer(text):
        if any(a <= g.start() < b for a, b in paren_spans):
            continue
        toks = [t.strip() for t in g.group(1).split("/")]
        kinds = [m.credit_token(t) for t in toks]
        sids = [k for k in kinds if k and k != "initials"]
        if not sids or any(k is None for k in kinds) or label == "advocacy":
            continue
        at_edge = g.end() >= stripped_end or not text[:g.start()].strip(" (")
        if not (at_edge or len(text) <= 40):
            continue
        kind = _caption_kind(text, label, g.start(), g.end())
        if "initials" in kinds:
            kind = None  # staff initials beside the agency: a wire credit ("ino/dpa")
        photo_group = any(m.photo_token(t) for t in toks)  # "AFP/Getty", "EPA/dpa"
        for sid in sids:
            if photo_group:
                out.add(sid, "photo", ev(g.start(), g.end(), "slash_photo_credit", 0.75))
            elif label == "chrome" and kind == "caption":
                out.add(sid, "photo", ev(g.start(), g.end(), "slash_credit_caption", 0.75))
            else:
                out.add(sid, "wire", ev(g.start(), g.end(), "slash_credit", 0.8 if label != "chrome" else 0.6))
        credited.update((mn.start, mn.end) for mn in mentions if g.start() <= mn.start < g.end())

    # 2b. bare credit lines ("Michael Conroy, AP"; a caption ending "... Jaafar ASHTIYEH / AFP") and bylines
    if label in ("chrome", "news"):
        stripped = text.strip()
        tail_at = 0
        if len(stripped) > 90:
            cut = max(stripped.rfind(". "), stripped.rfind("? "), stripped.rfind("! "))
            tail_at = cut + 2 if cut >= 0 else len(stripped)
            if stripped.endswith("]") and "[" in stripped[-60:]:  # "... [File: Reuters]"
                tail_at = max(tail_at, stripped.rfind("["))
        line = stripped[tail_at:]
        lo = text.find(line) if line else -1
        csids, ckind = _credit_line(m, line) if line else ([], None)
        if ckind and lo >= 0 and not any(lo <= a < lo + len(line) for a, _ in credited):
            role = ckind if (ckind == "photo" or tail_at == 0) else None
            for sid in csids if role else []:
                out.add(sid, role, ev(lo, lo + len(line), f"credit_line_{role}", 0.75))
            credited.update((mn.start, mn.end) for mn in mentions if lo <= mn.start < lo + len(line))
        elif len(stripped) <= 60:
            bm = AGENCY_BYLINE.match(stripped)
            name = bm.group("name") if bm else None
            sid = m.alias_sid.get(name) if name else None
            explicit = bool(bm) and (stripped != name or len(name) >= 8)  # "By AP", "AFP, MANILA", "Associated Press"
            if sid and m.is_agency(sid) and explicit:
                lo = text.find(stripped)
                out.add(sid, "wire", ev(lo, lo + len(stripped), "agency_byline", 0.75))
                credited.update((mn.start, mn.end) for mn in mentions)
    # 2c. the page's own layout: an agency alone in a caption's credit box ("AP" under a picture),
    # or named in the article's author box ("Tom Davies / Associated Press", "Von X mit AP")
    if label != "advocacy" and len(text) <= 80 and getattr(seg, "dom_path", None):
        agencies = [mn for mn in mentions if m.is_agency(mn.source_id) and (mn.start, mn.end) not in credited]
        rest = text
        for mn in reversed(agencies):
            rest = rest[:mn.qstart] + " " + rest[mn.qend:]
        if agencies and BYLINE_REST.match(rest) and len(rest.split()) <= 6:
            path = " ".join(_path_parts(seg, 4))
            if CAPTION_PATH.search(path):
                if text.strip(" .") == agencies[0].alias and len(agencies) == 1:
                    mn = agencies[0]
                    out.add(mn.source_id, "photo", ev(mn.qstart, mn.qend, "caption_credit_box", 0.7))
                    credited.add((mn.start, mn.end))
            elif BYLINE_PATH.search(" ".join(_path_parts(seg, 2))):
                for mn in agencies:
                    out.add(mn.source_id, "wire", ev(mn.qstart, mn.qend, "author_box", 0.8))
                    credited.add((mn.start, mn.end))

    if label != "advocacy":
        for mn in mentions:
            if m.is_agency(mn.source_id) and CONTRIBUTED.match(text[mn.qend:mn.qend + 200].lstrip()):
                out.add(mn.source_id, "wire", ev(mn.qstart, mn.qend, "contributed", 0.8))
                credited.add((mn.start, mn.end))

    # 3. end marks ("Endit") --------------------------------------------------
    if label in ("news", "chrome"):
        for rx, sid in m.end_marks:
            em = rx.search(text)
            if em:
                out.add(sid, "wire", ev(em.start(), em.start() + len(em.group(0).rstrip(" .")), "end_mark", 0.6))

    first_person = FIRST_PERSON.search(text) if label in ("advocacy", "chrome") else None
    our_site = OUR_SITE.search(text) if label in ("advocacy", "chrome") else None

    # 4. cues around each name --------------------------------------------------
    weak_self: list[tuple[str, dict]] = []
    for mn in mentions:
        sid = mn.source_id
        ambiguous = mn.alias in m.ambiguous and not mn.quoted
        left = text[max(0, mn.qstart - 220):mn.qstart]
        right = text[mn.qend:mn.qend + 120]
        agency = m.is_agency(sid)

        # photo: "AFP/Getty Images", "Getty Images/AFP", "Name Surname/KEYSTONE" in a caption
        gm = GETTY.match(right)
        if gm or GETTY_LEFT.search(left):
            end = mn.qend + (gm.end() if gm else 0)
            start = mn.qstart - (len(GETTY_LEFT.search(left).group(0)) if not gm else 0)
            out.add(sid, "photo", ev(start, end, "getty_credit", 0.9))
            continue
        if label == "chrome" and agency and (mn.start, mn.end) not in credited:
            pl = PHOTOGRAPHER_LEFT.search(left)
            pr = PHOTOGRAPHER_RIGHT.match(right)
            if (pl or pr) and _caption_kind(text, label, mn.qstart - (len(pl.group(0)) if pl else 0), mn.qend) is not None:
                start = mn.qstart - (len(pl.group(0)) if pl else 0)
                end = mn.qend + (pr.end() if pr and not pl else 0)
                out.add(sid, "photo", ev(start, end, "photographer_credit", 0.75))
                continue

        # wire: agency and date line ("Xinhua, January 20, 2017")
        if agency and label != "advocacy" and not (ambiguous and re.search(r"[A-Za-z]\s*,\s*\Z", left)):
            # (not "Harrisburg, PA, Jan. 5, 2021": a US state after a place name)
            dm = AGENCY_DATE.match(right)
            if dm:
                out.add(sid, "wire", ev(mn.qstart, mn.qend + dm.end(), "agency_date_line", 0.85))
                continue

        # publisher: self-references in chrome and advocacy
        if label in ("chrome", "advocacy"):
            hit = False
            for cue, rx, conf, strong, labels in m.pub_left:
                if label not in labels or (ambiguous and not strong):
                    continue
                lm = rx.search(left)
                if lm and (cue != "ban_of_self" or first_person):
                    _add_publisher(out, reg, sid, lang, ev(mn.qstart - len(lm.group(0)), mn.qend, cue, conf))
                    hit = True
                    break
            if not hit:
                for cue, rx, conf, strong, labels in m.pub_right:
                    if label not in labels or (ambiguous and not strong):
                        continue
                    rm = rx.match(right)
                    if rm:
                        _add_publisher(out, reg, sid, lang, ev(mn.qstart, mn.qend + rm.end(), cue, conf))
                        hit = True
                        break
            if not hit and our_site and abs(our_site.start() - mn.start) <= 400 and label == "advocacy":
                # an advocacy segment that names the outlet and speaks of "our website"; decided
                # after the loop, since an appeal that names several outlets is arguing against them
                if not ambiguous or mn.quoted:
                    weak_self.append((sid, ev(mn.qstart, mn.qend, "advocacy_self_reference", 0.6)))
                continue
            elif not hit and our_site and label == "chrome" and abs(our_site.start() - mn.start) <= 80:
                _add_publisher(out, reg, sid, lang, ev(mn.qstart, mn.qend, "our_site_near_name", 0.6))
                hit = True
            if hit and our_site:
                pub = _resolve_edition(reg, sid, lang)
                out.add(pub, "publisher", ev(our_site.start(), our_site.end(), "first_person", 0.5))
            continue

        # cited: only in news text
        if label != "news" or (mn.start, mn.end) in credited:
            continue
        for cue, rx, conf, strong in m.cited_left:
            if ambiguous and not strong:
                continue
            lm = rx.search(left)
            if not lm:
                continue
            end = mn.qend
            if cue in ("wie_x", "dativ_sagte"):
                wm = (m.wie_right if cue == "wie_x" else m.sagte_right).match(right)
                if not wm:
                    continue
                end = mn.qend + wm.end()
            out.add(sid, "cited", ev(mn.qstart - len(lm.group(0)), end, cue, conf))
            break
        else:
            for cue, rx, conf, strong in m.cited_right:
                if ambiguous and not strong:
                    continue
                rm = rx.match(right)
                if rm:
                    art = re.search(r"(?:[Dd]ie |[Dd]er |[Dd]as |[Tt]he )\Z", left)
                    start = mn.qstart - (len(art.group(0)) if art else 0)
                    out.add(sid, "cited", ev(start, mn.qend + rm.end(), cue, conf))
                    break

    if len({sid for sid, _ in weak_self}) == 1:
        for sid, e in weak_self:
            _add_publisher(out, reg, sid, lang, e)
        pub = _resolve_edition(reg, weak_self[0][0], lang)
        out.add(pub, "publisher", ev(our_site.start(), our_site.end(), "first_person", 0.5))


def _resolve_edition(reg: Registry, sid: str, lang: str) -> str:
    """The edition of ``sid`` in the article's language, if the registry knows one (RT -> RT DE)."""
    ed = ((reg.get(sid) or {}).get("editions") or {}).get(lang)
    return ed if ed and ed in reg else sid


def _add_publisher(out: _Collector, reg: Registry, sid: str, lang: str, evidence: dict) -> None:
    target = _resolve_edition(reg, sid, lang)
    if target != sid:
        evidence = {**evidence, "via": f"{sid}, {lang} edition"}
    out.add(target, "publisher", evidence)


def _meta_names(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return _meta_names(value.get("name"))
    if isinstance(value, (list, tuple)):
        return [n for v in value for n in _meta_names(v)]
    return []


def _scan_meta(reg: Registry, article, lang: str, out: _Collector) -> None:
    meta = getattr(article, "meta", None) or {}
    url = meta.get("url") or ""
    if url:
        s = reg.lookup_domain(url)
        if s:
            out.add(s["id"], "publisher", {"segment": None, "start": None, "end": None,
                                           "text": normalize_host(url), "cue": "url_host", "confidence": 0.95})
    for key, cue in (("site_name", "og:site_name"), ("publisher", "jsonld_publisher")):
        for name in _meta_names(meta.get(key)):
            s = reg.find(name)
            if s:
                ev = {"segment": None, "start": None, "end": None, "text": _short(name), "cue": cue, "confidence": 0.9}
                _add_publisher(out, reg, s["id"], lang, ev)


def _finish(out: _Collector, reg: Registry) -> list[dict]:
    """Merge a parent into its edition, and self-citations into the wire/publisher role."""
    pubs = {sid for sid, role in out.items if role == "publisher"}
    strong = {sid for sid in pubs if max(e["confidence"] for e in out.items[(sid, "publisher")]) >= 0.75}
    if strong:
        # a weak self-reference loses against a publisher known from the URL, og:site_name or a follow link
        for sid in pubs - strong:
            parent_or_child = any((reg.get(x) or {}).get("parent") == sid or (reg.get(sid) or {}).get("parent") == x for x in strong)
            if not parent_or_child:
                out.items.pop((sid, "publisher"), None)
        pubs = {sid for sid, role in out.items if role == "publisher"}
    for sid in list(pubs):
        parent = (reg.get(sid) or {}).get("parent")
        if parent and parent in pubs:
            out.move((parent, "publisher"), (sid, "publisher"))
    for sid, role in list(out.items):
        if role != "cited":
            continue
        for target in ("wire", "publisher"):
            if (sid, target) in out.items:
                # "told Xinhua" in a Xinhua wire story: the agency itself, not a cited outlet
                out.move((sid, "cited"), (sid, target), prefix="self_reference:")
                break

    _photo_agencies_only_photo(out, reg)

    result = []
    for (sid, role), evidence in out.items.items():
        src = reg.get(sid) or {"id": sid, "name": sid}
        evidence = sorted(evidence, key=lambda e: (-1 if e.get("segment") is None else e["segment"], e.get("start") or 0))
        result.append({
            "source_id": sid,
            "name": src.get("name", sid),
            "role": role,
            "confidence": round(max(e["confidence"] for e in evidence), 3),
            "evidence": evidence,
        })
    result.sort(key=lambda d: (ROLES.index(d["role"]),
                               min((-1 if e.get("segment") is None else e["segment"]) for e in d["evidence"]),
                               d["source_id"]))
    return result


def _photo_agencies_only_photo(out: _Collector, reg: Registry) -> None:
    """A photo agency supplies pictures: drop its wire and cited roles ("according to the EPA" is
    the Environmental Protection Agency), and a distributor credited beside the agency that took
    the picture ("AFP/Getty Images", "picture alliance/dpa")."""
    def typ(sid: str) -> str | None:
        return (reg.get(sid) or {}).get("type")

    for sid, role in list(out.items):
        if role in ("wire", "cited") and typ(sid) == "photo_agency":
            del out.items[(sid, role)]
    others = [e for (sid, role), evs in out.items.items()
              if role == "photo" and sid not in DISTRIBUTOR_IDS and typ(sid) in AGENCY_TYPES
              for e in evs if e.get("segment") is not None]
    for sid in DISTRIBUTOR_IDS:
        evs = out.items.get((sid, "photo"))
        if not evs:
            continue
        keep = [e for e in evs if e.get("segment") is None or not any(
            o["segment"] == e["segment"] and o["start"] < e["end"] and e["start"] < o["end"] for o in others)]
        if keep:
            out.items[(sid, "photo")] = keep
        else:
            del out.items[(sid, "photo")]


def detect(article, registry: Registry | None = None) -> list[dict]:
    """Detections without notes (see `detect_sources`)."""
    reg = registry or load_registry()
    m = _matcher(reg)
    lang = guess_lang(article)
    out = _Collector()
    _scan_meta(reg, article, lang, out)
    for seg in getattr(article, "segments", None) or []:
        label = seg.label or seg.initial_label or "news"
        _scan_segment(m, reg, article, seg, label, lang, out)
    return _finish(out, reg)


def detect_sources(article, registry: Registry | None = None) -> list[dict]:
    """The sources behind ``article``, each with its role, evidence and cited notes.

    Returns ``[{source_id, name, role, confidence, evidence: [...], notes: [...]}]``;
    the caller stores it in ``article.sources`` (this function does not mutate the article).
    """
    reg = registry or load_registry()
    dets = detect(article, reg)
    for d in dets:
        d["notes"] = notes_for(reg.get(d["source_id"]) or {})
    return dets


__all__ = ["detect_sources", "detect", "guess_lang", "ROLES"]
