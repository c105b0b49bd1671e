"""Find the sources behind an article, with evidence, in the languages of the corpora.

Four roles, kept apart because they mean different things to a reader:

- ``publisher``: who put the page out; every HTML page with an address gets one
  (`publisher.find_publisher`: the address given as ``url`` or the page's
  canonical link, resolved by the longest registered domain suffix, else the
  page's own name from ``og:site_name``, JSON-LD, a copyright line or the
  title, reported with a note that no list has it), plus self-references in
  chrome and advocacy ("Follow China.org.cn on Twitter");
- ``wire``: a source of the text ("(Reuters) -", "(dpa)", "dpa/AFP",
  "mit Material von dpa", "Quelle:"/"Źródło:"/"Fuente:" under news text, an
  agency-and-date line, a byline "Por X, EFE", an end mark "Endit", the
  page's "source" box naming the outlet it republishes);
- ``photo``: a source of an image ("Foto:", "Fotó:", "Fot.", "Kuva:",
  "Photo by", "(c)", chained credits "Name/Outlet via Agency" with every
  agency of the chain, a caption closed by an agency, stock sites, the
  publisher credited for its own picture, an unknown supplier named by its
  form: "LAT Images");
- ``cited``: an outlet the text attributes a claim to (`cited.CitedFinder`:
  cue patterns in English, German, French, Spanish, Italian, Portuguese,
  Dutch, Polish and the Nordic languages; outlets no list knows are reported
  unresolved when the cue says they are outlets).

Every detection is driven by a cue, never by a bare name.  Names that are
short or common words (AP, RT, FT, SZ, APA, SDA, EFE, Spiegel, Welt, ...;
``ambiguous_aliases`` in the registry) count only with a strong cue, and a
name several outlets share (ANP, RTS, CNA, ABC...) is resolved with the page's
domain, country or language, or left unresolved.  A source with two roles is
reported in both (an agency quoted in its own wire story is not also "cited").
Staff initials such as "(kjo)" are not in the registry and never match.

Hand-written registry entries are matched in text by alias; the imported
lists serve domains, page metadata and the names found by cited-outlet cues.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from .cited import PLATFORMS
from .notes import notes_for
from .registry import AGENCY_TYPES, Registry, country_of_host, load_registry

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
CUE_MATERIAL = re.compile(r"\b[Mm]it (?:Material|Informationen|Agenturmaterial) (?:von |der |des |aus )(?:den |der )?(?:Nachrichtenagentur(?:en)? |Agentur(?:en)? )?"
                          r"|\b[Cc]on (?:información|informaci[oó]n|informaciones) (?:de |del )(?:la agencia |las agencias )?"
                          r"|\b[Cc]om (?:informações|agências|a agência) (?:de |da |do )?"
                          r"|\b[Aa]vec (?:l['’]agence |les agences )?(?=[A-Z])"
                          r"|\b[Cc]on (?:l['’]agenzia |le agenzie )?(?=[A-Z][A-Za-z]{2,}\s*\)?\s*$)"
                          r"|\([Aa]vec (?=[A-Z])|\([Cc]on (?=[A-Z])|\([Cc]om (?=[A-Z])|\([Mm]it (?=[A-Z])"
                          r"|\b(?:Agences|Agencias|Agenzie|Agências|Agenturen)\s*[/,:]\s*")
CUE_REPORTING = re.compile(r"\b(?:[Aa]dditional |[Ww]ith )?[Rr]eporting (?:by|from) (?:the )?")
CUE_QUELLE = re.compile(r"\b(?:Quelle|Quellen|Source|Sources|Źródło|Źródła|Fuente|Fuentes|Fonte|Fontes|Kilde|Kilder|"
                        r"Källa|Källor|Lähde|Forrás|Zdroj|Kaynak|Bron|Источник|Джерело)\s*:\s*")
#: photo credit cues in the languages of the corpora ("Foto:", "Fotó:", "Fot.", "Zdjęcie:", "Kuva:",
#: "Photo credit:", "Crédit photo :", "Foto di", "Photo by", "写真：")
CUE_PHOTO = re.compile(r"(?:(?:\b(?:Fotos?|Bilder|Bild|Photos?|Photograph|Photography|Pictures?|Images?|Image credit|"
                       r"Photo [Cc]redits?|Picture credits?|Bildquelle|Fotoquelle|Bildrechte|Credits?|Titelbild|Symbolbild|"
                       r"Rubriklistenbild|Archivfoto|Archivbild|Foto/Video|BILD|FOTO|PHOTO|Fotó|Fotók|Fot|Zdjęcie|Zdjęcia|"
                       r"Źródło zdjęcia(?: głównego)?|Autor zdjęcia|autor|Kuva|Kuvat|Bilde|Billede|Billeder|Fotograf|"
                       r"Fotografía|Fotografia|Fotoğraf|Foto ?credit|Crédits?(?: photo)?|Crédito(?:s)?(?: foto)?|"
                       r"Imagen|Imagem|Immagine|Illustration|Kép|Фото|Фотография|Фото на превью)\s*:\s*)|"
                       r"(?:\b(?:Photo(?:graph)? by|Picture by|Image by|Foto von|Bild von|Foto di|Foto de|Photo de|"
                       r"Fot\.|Symbolbild|Archivfoto|Archivbild)\s+)|写真[：:]\s*|（写真[：:]?\s*)+")
# neutral parts of a photo credit: distributors and markers that are not agencies of their own
PHOTO_NEUTRAL = re.compile(r"^(?:picture[ -]alliance|Picture Alliance|Getty(?: Images)?|Getty images|imago(?:[ -]images)?|IMAGO|"
                           r"Pool|POOL|File|file|FILE|Photo|Foto|Handout|HANDOUT|Zuma Wire|ZUMA Press|ZUMA Wire|Shutterstock|"
                           r"iStock|dpa-Bildfunk|dpa-Zentralbild|Bildfunk|Zentralbild|Keystone|KEYSTONE|SN|Uncredited|STR|[A-Z]{2,6} Photo)$")
# a photographer's name in a credit: one to four capitalised words ("Michael Kappeler", "J. Scott Applewhite", "CYRIL ZINGARO")
PERSON_TOKEN = re.compile(r"^(?:[A-ZÄÖÜ][\w.'’-]*|von|van|de|der|da|del|di|le|la|al|bin)(?:\s+(?:[A-ZÄÖÜ][\w.'’-]*|von|van|de|der|da|del|di|le|la|al|bin)){0,4}$")
CUE_COPYRIGHT = re.compile(r"(?:©|\([cC]\)|（[CcＣｃ]）|\bCopyright\b\s*©?)\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*)?")
FOOTER_WORDS = re.compile(r"[Aa]ll [Rr]ights [Rr]eserved|Alle Rechte vorbehalten|Impressum|Datenschutz|Privacy|Terms of")
# picture distributors: named beside the agency that took the picture ("AFP via Getty Images",
# "imago images/Xinhua", "picture alliance/dpa"), they are left out and the agency is credited;
# named alone ("Bild: Getty Images", "Chip Somodevilla/Getty Images"), they are the photo source
DISTRIBUTOR_IDS = frozenset({"getty_images", "imago", "picture_alliance", "shutterstock"})
#: credit distributors beside the agency ("JIM WATSON/AFP/Getty Images" -> AFP and Getty Images)
CREDIT_DISTRIBUTORS = True
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
PAREN_GROUP = re.compile(r"[(（]([^()（）\n]{1,60})[)）]")  # ASCII or full-width parentheses
SLASH_GROUP = re.compile(r"(?<![\w/.])([\w.-]+(?:\s*/\s*[\w.-]+)+)(?![\w/])")
INITIALS = re.compile(r"^(?:[a-zäöü]{2,4}|red|Red|rad)$")
DASH_AFTER = re.compile(r"^\s*[-–—]{1,2}")
# a dateline closed by a full stop or colon: "Wiesbaden (KNA/iz). Der ...", at the start of news text
PLACE_BEFORE = re.compile(r"^\s*[A-ZÄÖÜ][\w.'’-]*(?:[ /-][A-ZÄÖÜ][\w.'’-]*){0,3}\s*\Z")
STOP_AFTER = re.compile(r"^[.:]\s+(?=[A-ZÄÖÜ\"„“])")

# what may follow an agency that closes a caption, and what stands before it
TAIL_REST = re.compile(r"^[\s.,;)\]]*(?:(?:,\s*)?(?:File|FILE|file|Archiv|Archives?|archivo))?[\s.)\]]*$")
TAIL_SEP = re.compile(r"(?:[.!?]\s+|\s[-–—|/]\s*|\s{2,})\Z")
TAIL_SEP_STRONG = re.compile(r"\s[-–—|/]\s*\Z")
VIA_LEFT = re.compile(r"\bvia\s+(?:the\s+)?\Z")

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


_PIECES = re.compile(r"\w+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_COMMON_WORDS = frozenset("News news The the Press press Times Daily Post Agency Media Images Photo Photos TV Radio "
                          "de la le el di der die das und and of Le La El Il Der Die Das Zeitung World International "
                          "Online Group Wire".split())


def _is_word(c: str) -> bool:
    return c.isalnum() or c == "_"


def _key_word(alias: str) -> str:
    words = _PIECES.findall(alias) or [alias]
    rare = [w for w in words if w not in _COMMON_WORDS]
    return max(rare or words, key=len)



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
        # the most telling word of each alias ("Fox" for "Fox News", "Associated" for "The Associated
        # Press"): a segment without any of them holds no alias (cheap set test before the big regex)
        self.keys = frozenset(_key_word(a) for a in self.alias_sid)
        self.key_aliases: dict[str, tuple[str, ...]] = {}
        for a in sorted(self.alias_sid, key=len, reverse=True):
            self.key_aliases[_key_word(a)] = self.key_aliases.get(_key_word(a), ()) + (a,)
        # aliases that several outlets of the registry share ("ANP", "RTS", "CNA", "ABC")
        self.shared = frozenset(a for a in self.alias_sid if len(registry.candidates(a)) > 1)
        latin = [a for a in self.alias_sid if not _CJK.match(a)]
        # names in Chinese, Japanese or Korean script are written without spaces around them: no word
        # boundary there ("据新华社报道")
        self.cjk_aliases = tuple(sorted((a for a in self.alias_sid if _CJK.match(a)), key=len, reverse=True))
        alt = "|".join(re.escape(a) for a in sorted(latin, key=lambda a: (-len(a), a)))
        cjk = "|".join(re.escape(a) for a in self.cjk_aliases)
        # right boundary: a non-word char, or a camel-case seam in glued page text
        # ("China.org.cnMobile"); never "RT" inside "RTL"
        pat = r"(?<![\w])(?:" + alt + r")(?:(?![\w])|(?<=[a-z])(?=[A-Z]))" if alt else ""
        if cjk:
            pat = (pat + "|" if pat else "") + r"(?:" + cjk + r")"
        self.name_re = re.compile(pat) if pat else None
        self.end_marks: list[tuple[re.Pattern, str]] = []
        self.end_mark_words = tuple(mk for s in registry.curated() for mk in s.get("end_marks") or [])
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

    def context(self, host: str | None, lang: str, country: str | None) -> None:
        """The page's evidence for names several outlets share (set once per page)."""
        self._ctx = (host, lang, country)
        self._resolved: dict[str, str | None] = {}

    def resolve_alias(self, alias: str, sid: str) -> str | None:
        """The outlet an alias means on this page: the hand-checked entry, unless the registry has
        several outlets of that name and the page's domain or country points to another one."""
        if alias in self._resolved:
            return self._resolved[alias]
        cands = self.registry.candidates(alias)
        out = sid
        if len(cands) > 1:
            host, lang, country = getattr(self, "_ctx", (None, "", None))
            r = self.registry.resolve(alias, host=host, lang=lang, country=country)
            if r is not None:
                out = r["id"]
            else:
                cur = self.registry.get(sid) or {}
                langs = {k for k in (cur.get("aliases") or {}) if k not in ("en", "de", "xx")} or set()
                others = {(c.get("country") or "").upper() for c in cands if c["id"] != sid}
                own = (cur.get("country") or "").upper()
                fits = (country and country.upper() == own) or (langs and lang in langs)
                contradicts = (country and country.upper() != own) or (langs and lang not in langs)
                if (country and country.upper() in others) or (contradicts and not fits):
                    out = None  # the page points elsewhere, or nothing on it fits: unresolved
        self._resolved[alias] = out
        return out

    def mentions(self, text: str, words: list[str] | None = None) -> list[Mention]:
        if self.name_re is None:
            return []
        # cheap prefilter: the longest word of some alias must be in the text
        if self.keys.isdisjoint(_PIECES.findall(text) if words is None else words) and not (
                self.cjk_aliases and _CJK.search(text) and any(a in text for a in self.cjk_aliases)):
            return []
        out = []
        for s, e, alias in self._find_aliases(text, words):
            quoted = s > 0 and e < len(text) and text[s - 1] in QUOTES and text[e] in QUOTES
            sid = self.alias_sid[alias]
            if alias in self.shared:
                sid = self.resolve_alias(alias, sid)
                if sid is None:
                    continue
            out.append(Mention(s, e, alias, sid, quoted, s - 1 if quoted else s, e + 1 if quoted else e))
        return out

    def _find_aliases(self, text: str, words: list[str] | None) -> list[tuple[int, int, str]]:
        """(start, end, alias) of the aliases in ``text``, leftmost-longest, not overlapping.

        Only the aliases whose telling word is among the segment's words are looked for, by plain
        substring search with the same boundaries as ``name_re`` (no word character before; after,
        no word character or a camel-case seam: "China.org.cnMobile"); names in CJK script go
        through ``name_re`` (no word boundaries there)."""
        if self.cjk_aliases and _CJK.search(text):
            return [(m.start(), m.end(), m.group(0)) for m in self.name_re.finditer(text)]
        ws = _PIECES.findall(text) if words is None else words
        found: list[tuple[int, int, str]] = []
        n = len(text)
        for k in self.keys.intersection(ws):
            for a in self.key_aliases.get(k, ()):
                i = text.find(a)
                while i >= 0:
                    e = i + len(a)
                    if (i == 0 or not _is_word(text[i - 1])) and (
                            e == n or not _is_word(text[e]) or (text[e - 1].islower() and text[e].isupper())):
                        found.append((i, e, a))
                    i = text.find(a, i + 1)
        if len(found) > 1:
            found.sort(key=lambda t: (t[0], -(t[1] - t[0])))
            kept: list[tuple[int, int, str]] = []
            for f in found:
                if not kept or f[0] >= kept[-1][1]:
                    kept.append(f)
            found = kept
        return found

    def credit_token(self, tok: str, names: bool = False) -> str | None:
        """'agency' id, 'initials', 'neutral', 'person' (with ``names``) or None for a token of a credit group."""
        tok = tok.strip(" .\u200b\xa0")
        if names:
            tok = re.sub(r"\s+(?:Photos?|Foto)$", "", tok)  # "AP Photo"
        if tok in self.alias_sid and self.is_agency(self.alias_sid[tok]):
            if tok in self.shared:
                # "ANP" on a Nigerien page is the Agence Nigérienne de Presse, not the Dutch agency
                return self.resolve_alias(tok, self.alias_sid[tok])
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
BYLINE_PATH = re.compile(r"author|byline|attribution|contributor|publication|autor|source|quelle|zrodlo|fuente|fonte",
                         re.I)
CAPTION_PATH = re.compile(r"figcaption|caption|credit|copyright|image|photo|picture|foto|bild", re.I)
# what may stand beside the agency in a byline box: persons, "Von ... mit", "Weitere Quellen •"
BYLINE_REST = re.compile(r"^(?:[\s,;|•·/&+-]|\b(?:[Vv]on|VON|[Bb]y|BY|[Mm]it|[Ww]ith|und|and|[Tt]he|THE)\b|"
                         r"[A-ZÄÖÜ][\w.'’-]*)*$")


def _path_parts(seg, n: int) -> list[str]:
    return [p.strip() for p in (getattr(seg, "dom_path", None) or "").split("<")][:n]


AGENCY_BYLINE = re.compile(r"^(?:By |BY |Von |VON |Text: |[Mm]it |[Ww]ith |Por |POR |Par |PAR |Di |Av |AV |Af |AF |"
                           r"Door |Przez |Autor: |Tekst: |Texto: |Redacción |Redação )?(?:the |The |THE )?(?P<name>[^,]{2,40}?)\s*(?:,\s*[^,]{0,40}| in [A-ZÄÖÜ][\w -]{1,30})?\.?$")
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
        self.extra: dict[str, dict] = {}  # entries of sources no list has (the page's own name, a cited name)
        self.display: dict[str, str] = {}  # a better name than the registry's (a nameless host entry)
        self.page_names: list[str] = []  # the names the page gives itself
        self.source_boxes: list[tuple[str, dict]] = []  # outlets named alone in a "source" element

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


def _scan_segment(m: _Matcher, reg: Registry, article, seg, label: str, lang: str, out: _Collector,
                  words: list[str] | None = None) -> None:
    text = seg.text
    mentions = m.mentions(text, words)
    if not mentions and not (label in ("news", "chrome") and any(w in text[-40:] for w in m.end_mark_words)):
        return  # every rule below starts from a registry name (or an end mark)
    base = _seg_base(article, seg)

    def ev(start: int, end: int, cue: str, conf: float, **extra: Any) -> dict:
        d = {"segment": seg.index, "start": base + start, "end": base + end,
             "text": _short(text[start:end]), "cue": cue, "confidence": conf}
        d.update(extra)
        return d

    credited: set[tuple[int, int]] = set()  # mentions consumed by a credit cue
    if not mentions:
        _end_marks(m, text, label, ev, out)
        return

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
                    if label == "chrome" and not agency and re.search(r"\d{4}\s*[-–]\s*\d{4}", c.group(0)):
                        role, conf = "publisher", 0.6  # "© 1996-2024 The Washington Post": a site's footer
                    elif _credit_line(m, text[c.end():end + 40].split("\n")[0])[1] == "photo" and label != "advocacy":
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
    _end_marks(m, text, label, ev, out)

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

        # photo: the agency closes a picture caption ("... pasado. EFE", "Prétexte - Belga",
        # "New York State Sex Offender Registry via AP")
        if label == "chrome" and agency and (mn.start, mn.end) not in credited and len(text) <= 400 \
                and TAIL_REST.match(right) and (TAIL_SEP.search(left) or VIA_LEFT.search(left)) \
                and (VIA_LEFT.search(left) or CAPTION_PATH.search(" ".join(_path_parts(seg, 2)))):
            if True:
                out.add(sid, "photo", ev(mn.qstart, mn.qend, "caption_tail_credit", 0.75))
                credited.add((mn.start, mn.end))
                continue
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
        if (agency or (mn.qstart == 0 and len(text) <= 80 and label == "chrome")) and label != "advocacy" \
                and not (ambiguous and re.search(r"[A-Za-z]\s*,\s*\Z", left)):
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


def _end_marks(m: _Matcher, text: str, label: str, ev, out: _Collector) -> None:
    """Wire end marks ("Endit") at the end of a segment."""
    if label not in ("news", "chrome") or not any(w in text[-40:] for w in m.end_mark_words):
        return
    off = max(0, len(text) - 40)
    tail = text[off:]
    for rx, sid in m.end_marks:
        em = rx.search(tail)
        if em:
            a = off + em.start()
            out.add(sid, "wire", ev(a, a + len(em.group(0).rstrip(" .")), "end_mark", 0.6))


def _resolve_edition(reg: Registry, sid: str, lang: str) -> str:
    """The edition of ``sid`` in the article's language, if the registry knows one (RT -> RT DE)."""
    ed = ((reg.get(sid) or {}).get("editions") or {}).get(lang)
    return ed if ed and ed in reg else sid


def _add_publisher(out: _Collector, reg: Registry, sid: str, lang: str, evidence: dict) -> None:
    target = _resolve_edition(reg, sid, lang)
    if target != sid:
        evidence = {**evidence, "via": f"{sid}, {lang} edition"}
    out.add(target, "publisher", evidence)


def _scan_meta(reg: Registry, article, lang: str, out: _Collector, url: str | None) -> dict | None:
    """The page's publisher (see `publisher.find_publisher`); its entry when no list has it."""
    from .publisher import find_publisher

    pub = find_publisher(reg, article, url, lang)
    if pub is None:
        return None
    src = pub["source"]
    out.page_names = list(pub.get("names") or [])
    if src.get("origin") == "page":
        out.extra[src["id"]] = src
    elif pub["name"] != src.get("name"):
        out.display[src["id"]] = pub["name"]
    for e in pub["evidence"]:
        out.add(src["id"], "publisher", e)
    return pub


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
        if (sid, "publisher") in out.items:
            # "told BuzzFeed News" on BuzzFeed's own page: the page citing itself, not a cited outlet
            out.move((sid, "cited"), (sid, "publisher"), prefix="self_reference:")
        elif (sid, "wire") in out.items and (reg.get(sid) or {}).get("type") in AGENCY_TYPES:
            # "told Xinhua" in a Xinhua wire story: the agency's own reporting, not a cited outlet
            out.move((sid, "cited"), (sid, "wire"), prefix="self_reference:")
        # any other source with two roles is reported in both (a newspaper whose story the page
        # republishes and whose reporting the text cites: "cité par le Wall Street Journal")

    _photo_agencies_only_photo(out, reg)
    for sid, role in list(out.items):
        if role == "wire" and (sid, "publisher") in out.items and (reg.get(sid) or {}).get("type") not in AGENCY_TYPES:
            del out.items[(sid, role)]  # "CBS News February 24, 2020" on CBS's own page: its date line, not a wire
    # an unresolved name whose candidate the page already names in another role: that outlet
    present = {sid for sid, _ in out.items}
    for sid, role in list(out.items):
        ent = out.extra.get(sid) or {}
        if ent.get("origin") == "cited_name" and ent.get("candidates"):
            hit = [c for c in ent["candidates"] if c in present]
            if len(hit) == 1:
                out.move((sid, role), (hit[0], role))

    result = []
    for (sid, role), evidence in out.items.items():
        src = reg.get(sid) or out.extra.get(sid) or {"id": sid, "name": sid}
        evidence = sorted(evidence, key=lambda e: (-1 if e.get("segment") is None else e["segment"], e.get("start") or 0))
        d = {
            "source_id": sid,
            "name": out.display.get(sid) or src.get("name", sid),
            "role": role,
            "confidence": round(max(e["confidence"] for e in evidence), 3),
            "evidence": evidence,
            "domains": list(src.get("domains") or [])[:5],
            "known": src.get("origin") not in ("page", "cited_name"),
        }
        if src.get("origin") == "cited_name":
            d["unresolved"] = True
            if src.get("candidates"):
                d["candidates"] = src["candidates"]
        result.append(d)
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
    if CREDIT_DISTRIBUTORS:
        return  # "AFP/Getty Images": both are credited (the picture's chain, as the page gives it)
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


def detect(article, registry: Registry | None = None, url: str | None = None) -> list[dict]:
    """Detections without notes (see `detect_sources`)."""
    reg = registry or load_registry()
    m = _matcher(reg)
    lang = guess_lang(article)
    out = _Collector()
    pub = _scan_meta(reg, article, lang, out, url)
    host = pub["host"] if pub else None
    pub_id = pub["source"]["id"] if pub else None
    country = (pub["source"].get("country") if pub else None) or (country_of_host(host) if host else None)
    m.context(host, lang, country)
    finder = _cited_finder(reg)
    pub_names = _publisher_names(reg, out, pub_id)
    self_rx = _self_credit_re(reg, out, pub_id, host)
    self_names = tuple({n.lower() for n in self_rx.pattern_names}) if self_rx is not None else ()
    segs = getattr(article, "segments", None) or []
    low = (article.text or "").lower()
    starts = [sg.start or 0 for sg in segs]
    ordered = starts == sorted(starts)
    # page-level passes (substring scans of the whole text): the segments that hold the publisher's
    # name or a picture credit cue; the other rules start from a registry alias or a cue word found
    # segment by segment through cheap word-set tests
    self_hits = (_needle_hits(low, self_names, starts, segs) if ordered else {sg.index for sg in segs}) \
        if self_rx is not None else set()
    photo_hits = _needle_hits(low, PHOTO_NEEDLES, starts, segs) if ordered else {sg.index for sg in segs}
    keys = m.keys
    cjk = m.cjk_aliases if lang in ("zh", "ja", "ko") else ()
    marks = tuple(w for w in m.end_mark_words if w in (article.text or ""))  # the page's wire end marks
    for seg in segs:
        label = seg.label or seg.initial_label or "news"
        text = seg.text
        words = _PIECES.findall(text)
        if not keys.isdisjoint(words) or (cjk and any(a in text for a in cjk)):
            _scan_segment(m, reg, article, seg, label, lang, out, words)
        elif marks and label in ("news", "chrome") and any(w in text[-40:] for w in marks):
            _scan_segment(m, reg, article, seg, label, lang, out, [])
        if label != "advocacy":
            if seg.index in self_hits and len(text) <= 400:
                _self_photo_credit(self_rx, article, seg, pub_id, out)
            if seg.index in photo_hits and len(text) <= 300:
                _unknown_photo_credit(m, reg, article, seg, host, lang, country, pub_id, out)
            if label == "chrome" and 2 <= len(text) <= 70 and seg.dom_path and _source_path(seg.dom_path[:80]):
                _source_box(reg, article, seg, host, lang, country, pub_id, out)
        if (label == "news" and len(words) >= 3) or (label == "chrome" and len(words) >= 12
                                                     and ("." in text or "," in text)):
            _scan_cited(finder, reg, article, seg, label, lang, host, country, pub_names, out, words)
    if len({sid for sid, _ in out.source_boxes}) == 1:
        # one outlet in the page's source box; several are a list of teasers from other sites
        for sid, e in out.source_boxes:
            out.add(sid, "wire", e)
    return _finish(out, reg)


@functools.lru_cache(maxsize=1024)
def _present_re(keys: frozenset) -> re.Pattern:
    """A regex of the given alias words (word-bounded), cached: pages share their agencies."""
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True)) + r")(?!\w)")


@functools.lru_cache(maxsize=4096)
def _source_path(path: str) -> bool:
    """Whether a segment's layout path names a "source" element (cached: pages repeat their paths)."""
    low = path.lower()
    return any(w in low for w in ("source", "quelle", "fuente", "fonte", "origin", "syndic"))
#: lower-case words that start a picture credit in some language (a substring pre-pass; the regexes
#: decide): "foto", "photo", "bild", "image", "crédit", "zdjęcie", "kuva", "©", "(c)"...
PHOTO_NEEDLES = ("foto", "fotó", "photo", "bild", "imag", "picture", "credit", "crédit", "kuva", "fot.", "zdjęci",
                 "źródło", "illustration", "kép", "фото", "写真", "archiv", "autor", "©", "(c)", "（c）", "（ｃ）")


def _needle_hits(low: str, needles, starts: list[int], segs) -> set[int]:
    """Indexes of the segments whose text holds one of ``needles`` (lower-case ``low`` = article text)."""
    import bisect

    out: set[int] = set()
    if not low or not segs:
        return out
    for nd in needles:
        i = low.find(nd)
        while i >= 0:
            k = bisect.bisect_right(starts, i) - 1
            if k >= 0:
                out.add(segs[k].index)
            i = low.find(nd, i + len(nd))
    return out


SOURCE_PATH = re.compile(r"(?:^|[\s._-])(?:source|sources|quelle|fuente|fonte|origin|syndicat\w*)(?:$|[\s._-])", re.I)
_SOURCE_LABEL = re.compile(r"^(?:Source|Sources|Quelle|Fuente|Fonte|Źródło|Kilde|Källa|Bron)\s*:\s*", re.I)


def _source_box(reg: Registry, article, seg, host, lang, country, pub_id, out: _Collector) -> None:
    """An outlet named alone in the page's "source" box ("div.source-name": The Wall Street Journal):
    the outlet whose story the page republishes or translates, a wire credit."""
    if not SOURCE_PATH.search(" ".join(_path_parts(seg, 2))):
        return
    text = seg.text.strip()
    name = _SOURCE_LABEL.sub("", text).strip(" .•|")
    name = re.sub(r"\s*\([^()]{1,40}\)$", "", name)  # "The Wall Street Journal (New York)"
    if not name or len(name) > 60:
        return
    src = reg.resolve(name, host=host, lang=lang, country=country)
    if src is None or src["id"] == pub_id or src.get("type") == "photo_agency":
        return
    base = _seg_base(article, seg)
    off = seg.text.find(name)
    out.source_boxes.append((src["id"], {"segment": seg.index, "start": base + max(off, 0),
                                         "end": base + max(off, 0) + len(name), "text": _short(name),
                                         "cue": "source_box", "confidence": 0.7}))


# a picture supplier that no list knows, named by its form: "LAT Images", "Action Press", "pixelmaker.at"
PHOTO_ORG = re.compile(r"^(?:[A-ZÀ-Þ0-9][\w&'’.-]*\s+){0,3}(?:Images?|Photos?|Pictures|Press|Presse|Agency|Agentur|"
                       r"Media|Stock|Studios?|Archives?|Archiv|Fotos?|Photography|Fotografie|Bildagentur|Newspix|"
                       r"Bilder|Picture Agency)$|^[\w-]+\.(?:com|net|org|de|at|ch|fr|it|es|pl|nl|be|dk|no|se|fi|cz|"
                       r"hu|pt|br|co\.uk|com\.au)$")
_PHOTO_GENERIC = re.compile(r"^(?:Supplied|Handout|File|Pool|Archive|Archiv|Archives|Stock|Press|Presse|Symbol|"
                            r"Private|Privat|Getty|Image|Photo|Foto|Media)(?:\s+(?:Image|Images|Photo|Photos|Foto|"
                            r"Fotos|Bild))?$", re.I)
_CREDIT_SPLIT = re.compile(r"\s*[/|,;]\s*|\s+via\s+|\s+[-–]\s+|\s+(?:for|für|pour|para|per)\s+")


def _unknown_photo_credit(m: _Matcher, reg: Registry, article, seg, host, lang, country, pub_id,
                          out: _Collector) -> None:
    """Picture suppliers no list knows, after a photo cue: "Foto: LAT Images", "(c) TV Thermen- &
    Vulkanland | pixelmaker.at"; reported by the name the credit gives (unresolved)."""
    text = seg.text
    c = CUE_PHOTO.search(text) or (CUE_COPYRIGHT.search(text) if PICTURE_PATH.search(
        " ".join(_path_parts(seg, 2))) else None)
    if c is None:
        return
    region = text[c.end():c.end() + 90].split("\n")[0]
    region = re.split(r"(?<=[a-z])\.\s|\)", region)[0]
    base = None
    for tok in _CREDIT_SPLIT.split(re.sub(r"\[[^\]]*\]", " ", region)):
        tok = tok.strip(" .()[]©")
        if not tok or len(tok) < 3 or _PHOTO_GENERIC.match(tok) or tok in m.alias_sid:
            continue  # a known agency: the credit rules above handle it
        if tok in PLATFORMS or tok.split(".")[0] in PLATFORMS:
            continue  # "Facebook", "Amazon.co.jp": a platform or shop, not a picture supplier
        src = reg.resolve(tok, host=host, lang=lang, country=country) if tok[:1].isupper() else None
        if src is not None and src.get("origin") == "perennial" and src.get("type") not in AGENCY_TYPES:
            continue  # the perennial list also rates companies and platforms
        if src is not None and src.get("type") not in ("person",) and len(tok) >= 4:
            pass  # an outlet a list knows, credited for the picture ("Clayton Aldern / Grist")
        elif not PHOTO_ORG.match(tok):
            continue
        if (src is not None and src["id"] == pub_id) or _is_self(tok, src, _publisher_names(reg, out, pub_id)):
            continue
        if base is None:
            base = _seg_base(article, seg)
        off = text.find(tok, c.end())
        if src is not None:
            sid = src["id"]
        else:
            sid = "name:" + re.sub(r"[^\w]+", "-", tok.casefold()).strip("-")
            out.extra.setdefault(sid, {"id": sid, "name": tok, "aliases": {}, "domains": [], "type": "other",
                                       "facts": [], "origin": "cited_name"})
        out.add(sid, "photo", {"segment": seg.index, "start": base + off, "end": base + off + len(tok),
                               "text": _short(tok), "cue": "photo_credit_unknown", "confidence": 0.6})


def _in_caption(seg) -> bool:
    """A picture caption (where chrome text may still cite an outlet: "... ifølge Berlingske")."""
    return bool(PICTURE_PATH.search(" ".join(_path_parts(seg, 2))))


def _self_credit_re(reg: Registry, out: _Collector, pub_id: str | None, host: str | None):
    """A regex of the names the publisher goes by (for its own photo credits), or None."""
    if not pub_id:
        return None
    src = reg.get(pub_id) or out.extra.get(pub_id) or {}
    names = {src.get("name") or "", out.display.get(pub_id) or ""} | set(out.page_names)
    if src.get("origin") in ("registry", "user"):
        for lst in (src.get("aliases") or {}).values():
            names.update(a for a in lst if a not in (src.get("ambiguous_aliases") or ()))
    if host:
        names.add(host)
        core = host.split(".")[-2] if host.count(".") >= 1 else host
        if len(core) >= 3:
            names.add(core)
    names = {n for n in names if len(n) >= 3 and len(n) <= 60}
    if not names:
        return None
    alt = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return _NamesRe(re.compile(r"(?<![\w.])(?:" + alt + r")(?![\w])", re.I), names)


class _NamesRe:
    """A compiled regex of names, with the names themselves (for a cheap substring pre-pass)."""

    def __init__(self, rx: re.Pattern, names) -> None:
        self.rx = rx
        self.pattern_names = tuple(names)
        self.search = rx.search
        self.finditer = rx.finditer


CAPTION_STRICT = re.compile(r"figcaption|caption|credit|legend|bildunterschrift", re.I)
PICTURE_PATH = re.compile(r"figcaption|caption|credit|image|photo|picture|foto|bild", re.I)
FOOTER_PATH = re.compile(r"footer|copyright|colophon|impressum", re.I)
SELF_CREDIT_LEFT = re.compile(r"(?:/\s*|\bfor\s+|\bpour\s+|\bfür\s+|\bpara\s+|\bper\s+|\(\s*|,\s*|\bArchives?\s+|"
                              r"\bArchivo\s+)\Z")


def _self_photo_credit(rx, article, seg, pub_id: str, out: _Collector) -> None:
    """The publisher credited for its own picture: "Foto: Seznam Zprávy", "Tagesspiegel/Rita Böttcher",
    "Adam Maida for BuzzFeed News", "Photo Credit: Taylor Passofaro (CleverHiker.com)"."""
    text = seg.text
    if rx.search(text) is None:
        return
    path = " ".join(_path_parts(seg, 2))
    if FOOTER_PATH.search(path) or BYLINE_PATH.search(path):
        return
    cue = CUE_PHOTO.search(text)
    in_caption = bool(CAPTION_STRICT.search(path))
    if not cue and not in_caption:
        return
    for mm in rx.finditer(text):
        s, e = mm.start(), mm.end()
        left = text[max(0, s - 80):s]
        if re.search(r"[A-ZÀ-Þ][\w-]*\s\Z", left) and not (cue and cue.end() == s) or \
                re.match(r"\s[A-ZÀ-Þ]\w", text[e:e + 3]):
            continue  # part of a longer name ("Agencja Gazeta")
        ok = False
        if cue and cue.end() <= s and s - cue.end() <= 60 and not re.search(r"[.!?]\s", text[cue.end():s]):
            ok = True  # "Foto: Seznam Zprávy", "Photo: Adil Boukind Archives Le Devoir"
        elif in_caption and (SELF_CREDIT_LEFT.search(left) or text[e:e + 3].lstrip().startswith("/")):
            ok = len(text) - e <= 40 or text[e:e + 3].lstrip().startswith("/")
        if ok:
            base = _seg_base(article, seg)
            out.add(pub_id, "photo", {"segment": seg.index, "start": base + s, "end": base + e,
                                      "text": _short(text[s:e]), "cue": "self_photo_credit", "confidence": 0.7})
            return


def _squeeze(s: str) -> str:
    return re.sub(r"\W+", "", s.casefold())


def _publisher_names(reg: Registry, out: _Collector, pub_id: str | None) -> tuple[str | None, frozenset]:
    if not pub_id:
        return None, frozenset()
    src = reg.get(pub_id) or out.extra.get(pub_id) or {}
    names = {src.get("name") or "", out.display.get(pub_id) or ""} | set(out.page_names)
    for lst in (src.get("aliases") or {}).values():
        names.update(lst)
    for d in src.get("domains") or []:
        names.add(d.rsplit(".", 1)[0])
    return pub_id, frozenset(q for q in (_squeeze(n) for n in names) if len(q) >= 3)


def _is_self(name: str, src: dict | None, pub: tuple) -> bool:
    pub_id, names = pub
    if not pub_id:
        return False
    if src is not None and src.get("id") == pub_id:
        return True
    q = _squeeze(name)
    return bool(q) and any(q == n or (len(n) >= 4 and (q.startswith(n) or n.startswith(q) and len(q) >= 4))
                           for n in names)


@functools.lru_cache(maxsize=8)
def _cited_finder(registry: Registry):
    from .cited import CitedFinder

    return CitedFinder(registry)


def _scan_cited(finder, reg: Registry, article, seg, label: str, lang: str, host, country, pub_names,
                out: _Collector, words: list[str] | None = None) -> None:
    """Outlets cited in running text by their cue (see `cited.CitedFinder`), known to a list or not."""
    text = seg.text
    base = None
    pub_id = pub_names[0]
    for start, end, name, kind, src, cands in finder.find(text, lang, host, country, words):
        if base is None:
            base = _seg_base(article, seg)
        if _is_self(name, src, pub_names):
            continue  # the page citing itself ("told BuzzFeed News" on buzzfeed.com)
        if src is not None:
            sid = src["id"]
        else:
            sid = "name:" + re.sub(r"[^\w]+", "-", name.casefold()).strip("-")
            if pub_id and out.extra.get(pub_id, {}).get("name", "").casefold() == name.casefold():
                continue
            entry = {"id": sid, "name": name, "aliases": {}, "domains": [], "type": "other", "facts": [],
                     "origin": "cited_name"}
            if cands:
                entry["candidates"] = [c["id"] for c in cands[:8]]
            out.extra[sid] = entry
        conf = {"outlet": 0.8, "attrib": 0.75, "weak": 0.6, "reference": 0.7}.get(kind, 0.6)
        if label != "news":
            conf -= 0.1
        out.add(sid, "cited", {"segment": seg.index, "start": base + start, "end": base + end,
                               "text": _short(text[start:end]), "cue": f"cited_{kind}", "confidence": conf})


def detect_sources(article, registry: Registry | None = None, url: str | None = None) -> list[dict]:
    """The sources behind ``article``, each with its role, evidence and cited notes.

    Returns ``[{source_id, name, role, confidence, evidence: [...], notes: [...]}]``;
    the caller stores it in ``article.sources`` (this function does not mutate the article).
    """
    from .publisher import unknown_outlet_note

    reg = registry or load_registry()
    dets = detect(article, reg, url=url)
    for d in dets:
        src = reg.get(d["source_id"])
        if src is not None:
            d["notes"] = notes_for(src)
        elif d["source_id"].startswith(("site:", "page:")):
            d["notes"] = [unknown_outlet_note(d, "named here as the page names itself")]
        else:
            how = ("the name is shared by several outlets and the page gives no evidence which one is meant"
                   if d.get("candidates") else "found by its cue in the text (an unresolved cited outlet)")
            d["notes"] = [unknown_outlet_note(d, how)]
    return dets


__all__ = ["detect_sources", "detect", "guess_lang", "ROLES"]
