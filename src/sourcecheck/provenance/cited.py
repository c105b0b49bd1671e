"""Outlets cited in running text, found by their cue in the page's language, known to a list or not.

Why cues and not a list of names: most cited outlets of a page are not in any
list, and most names in any list are also ordinary words somewhere.  So a name
counts only where the text says it is a source:

- an *outlet cue* says that the name is a news outlet ("the X newspaper",
  "die Nachrichtenagentur X", "le quotidien X", "el diario X", "dziennik X",
  "avisen X", "X-Reporter"): any name there is a cited outlet, resolved to a
  registry entry when one fits, else reported as an unresolved cited outlet;
- an *attribution cue* says that the name is a source of a claim, not what sort
  of source ("according to X", "laut X", "selon X", "según X", "secondo X",
  "volgens X", "według X", "ifølge X", "told X", "X reported"): the name counts
  only when a list knows it as an outlet or the name looks like one (a news
  word such as Times, Zeitung, Gazeta, or a web domain).

Names shared by several outlets resolve only with the page's country or
language (`Registry.resolve`); otherwise they are reported unresolved, with
their candidates, and get no notes.  Patterns exist for English, German,
French, Spanish, Italian, Portuguese, Dutch, Polish, Danish, Norwegian,
Swedish, and a few for Russian and Arabic; English patterns run on every page
(English names are cited everywhere), the others on pages of their language.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from .registry import Registry

_UP = "A-ZÀ-ÖØ-ÞĀ-ŽА-ЯЁЄІЇҐΑ-Ω"
_WORD = rf"(?:[{_UP}0-9][\w&'’+-]*(?:\.[\w&'’+-]+)*(?:\.(?![ ]+[{_UP}]))?|[a-z][a-z0-9-]*\.(?:com|net|org|ru|ua|de|pl|fr|es|it|pt|br|nl|be|ch|at|cz|sk|hu|ro|se|no|dk|fi|md|by|info|news|co\.uk|io|tv))"
_CONNECT = r"(?:of|de|del|della|delle|dei|di|du|la|le|el|the|&|für|am|van|do|da|dos)"
NAME = rf"(?:{_WORD}(?:[ -](?:{_WORD}|{_CONNECT}(?=[ ][{_UP}])))" + r"{0,6})"
_Q_OPEN = "\"„“”«»‚‘'‹›「『"
QUOTED = r"[\"„“”«»‚‘'‹›「『](?P<q>[^\"„“”«»‚‘’'‹›」』\n]{2,60})[\"„“”«»‚’'‹›」』]"
_ART = r"(?:the |a |an |der |die |das |dem |den |des |à l['’]|à la |le |la |l['’]|les |du |de la |de l['’]|au |aux |el |los |las |del |al |il |lo |gli |dello |della |dell['’]|al |alla |allo |o |os |as |do |da |dos |das |ao |à |no |na )?"

# --- outlet cues: the cue says the name is a news outlet ---------------------------------------
OUTLET_LEFT = {
    "en": r"\b(?:newspaper|daily newspaper|tabloid|broadsheet|weekly newspaper|magazine|news agency|press agency|wire service|news site|"
          r"news website|news outlet|news portal|broadcaster|TV channel|television channel|TV station|radio station|"
          r"TV network)\s+",
    "de": r"\b(?:Zeitung|Tageszeitung|Wochenzeitung|Nachrichtenmagazin|Wochenmagazin|Sender|"
          r"Fernsehsender|Radiosender|Nachrichtensender|Staatssender|Nachrichtenagentur|Presseagentur|"
          r"Boulevardblatt|Boulevardzeitung|Portal|Nachrichtenportal|Onlineportal|Online-Portal|Online-Zeitung|"
          r"Onlinezeitung|Nachrichtenseite|Nachrichtenwebsite|Wochenblatt|Tagblatt|"
          r"Rundfunksender|TV-Sender)\s+",
    "fr": r"\b(?:quotidien|journal|hebdomadaire|magazine|mensuel|site d['’]information|site d['’]informations|"
          r"site (?:internet|web)|chaîne(?: de télévision| d['’]information)?|radio|télévision|agence de presse|"
          r"tabloïd|média|station|titre)(?: (?:\w+ains?|\w+aises?|\w+iens?|\w+iennes?|\w+ais|\w+eques?|\w+ques?|"
          r"national|nationale|régional|régionale|local|locale|public|publique|privé|privée|officiel|officielle|"
          r"économique|satirique|en ligne|britannique|allemand|allemande|russe|suisse|belge|tchèque|turc|turque|"
          r"israélien|israélienne|américain|américaine))*\s+",
    "es": r"\b(?:diario|periódico|rotativo|semanario|revista|cadena|canal|emisora|agencia(?: de noticias)?|portal|"
          r"medio|tabloide|matutino|vespertino|noticiero|informativo|sitio web|web)(?: \w+(?:ano|ana|ense|és|esa|ino|ina|ico|ica|al))*\s+",
    "it": r"\b(?:quotidiano|giornale|settimanale|rivista|agenzia(?: di stampa)?|emittente|canale|testata|"
          r"tabloid|periodico|magazine|sito)(?: \w+(?:ano|ana|ese|ense|ico|ica|ale|ino|ina))*\s+",
    "pt": r"\b(?:jornal|diário|revista|semanário|emissora|canal|agência(?: de notícias)?|portal|rede|rádio|"
          r"televisão|tablóide|site)(?: \w+(?:ano|ana|ês|esa|ense|ico|ica|al|ino|ina))*\s+",
    "nl": r"\b(?:krant|dagblad|weekblad|zender|omroep|persbureau|nieuwsdienst|nieuwssite|nieuwswebsite|tijdschrift|"
          r"nieuwsblad|nieuwszender|tv-zender)(?: \w+(?:se|sche))*\s+",
    "pl": r"\b(?:dziennik(?:a|u|iem|owi)?|gazet(?:a|y|ie|ą|ę)|tygodnik(?:a|u|iem|owi)?|portal(?:u|owi|em)?|"
          r"serwis(?:u|ie|owi)?|agencj(?:a|i|ę|ą)(?: prasow(?:a|ej|ą))?|telewizj(?:a|i|ę|ą)|stacj(?:a|i|ę)(?: "
          r"telewizyjn(?:a|ej))?|radi(?:o|a|u)|rozgłośni(?:a|i)|magazyn(?:u|ie)?|miesięcznik(?:a|u)?|"
          r"witryn(?:a|y|ie))(?: \w+(?:ski|skiego|skiemu|ska|skiej|ską|cki|ckiego|cka|ckiej|ny|nego|na|nej))*\s+",
    "da": r"\b(?:avisen|dagbladet|ugebladet|magasinet|nyhedsbureauet|tv-stationen|kanalen|mediet|netavisen|radioen)\s+",
    "no": r"\b(?:avisen|avisa|dagbladet|magasinet|nyhetsbyrået|nyhetsbyrå|tv-kanalen|kanalen|nettavisen|nettstedet|"
          r"mediet|riksmediet)\s+",
    "sv": r"\b(?:tidningen|dagstidningen|kvällstidningen|nyhetsbyrån|tv-kanalen|kanalen|sajten|nyhetssajten|"
          r"tidskriften|magasinet)\s+",
    "ru": r"(?:издани[еяю]|газет[аыеу]|агентств[оау]|телеканал[аеу]?|радиостанци[яи]|портал[аеу]?|журнал[аеу]?|"
          r"сайт[аеу]?|СМИ)\s+",
    "ar": r"(?:صحيفة|جريدة|موقع|وكالة|قناة|مجلة|إذاعة|شبكة)\s+",
}
#: after the name: "X newspaper", "X-Reporter", "BBC-Radiosendung"
OUTLET_RIGHT = {
    "en": r"^(?:'s)? (?:newspaper|tabloid|magazine|news agency|news site|news website|broadcaster)\b",
    "de": r"^-(?:Reporter|Reporterin|Korrespondent|Korrespondentin|Journalist|Journalistin|Redakteur|Redakteurin|"
          r"Bericht|Berichten|Berichts|Interview|Recherche|Recherchen|Radiosendung|Sendung|Umfrage|Kolumne|"
          r"Chefredakteur|Informationen|Angaben)\b",
}

# --- attribution cues: the name is a source; counts if known or outlet-like ---------------------
ATTRIB_LEFT = {
    "en": r"\b(?:[Aa]ccording to|told|[Ii]n an interview with|[Ss]peaking (?:to|with)|[Ii]n a statement to|"
          r"[Ii]n comments to|(?:reported|quoted|cited|first reported|published|broadcast|aired) (?:by|in|on)|"
          r"(?:wrote|appeared|appearing|spot) (?:in|on)|[Aa]n? (?:article|report|op-ed|story|piece|"
          r"interview|analysis|investigation|editorial|column) (?:by|in|for|from|with|on)|[Vv]ia|[Ss]ource:|"
          r"[Aa]s first reported by|[Cc]iting)\s+",
    "de": r"\b(?:Agentur|Zeitschrift|Magazin|[Ll]aut|[Gg]emä(?:ß|ss)|[Uu]nter Berufung auf|[Gg]egenüber|[Ii]m Gespräch mit|[Ii]m Interview mit|"
          r"[Ii]n einem Interview mit|[Ii]n einem Gespräch mit|berichtet(?:e|en)?|meldet(?:e|en)?|schreibt|schrieb|"
          r"zitiert(?:e)?|sagte|sagten|erklärte|bestätigte)\s+",
    "fr": r"\b(?:agence|[Ss]elon les informations (?:du|de la|de l['’]|de|des)|[Dd]['’]après les informations "
          r"(?:du|de la|de l['’]|de|des)|dans les colonnes (?:du|de la|de l['’]|de|des)|(?:a|ont) (?:confié|déclaré|"
          r"indiqué|expliqué|affirmé) auprès (?:du|de la|de l['’]|de)|interrogée? par|relate|"
          r"dans (?:un|une) (?:entretien|interview) (?:au|à la|à l['’]|à|avec)|à l['’]antenne (?:de|du)|[Ss]elon|[Dd]['’]après|cité par|citée par|cités par|(?:a |ont |a-t-il |a-t-elle )?(?:déclaré|indiqué|confié|affirmé|expliqué|"
          r"raconté|dit|assuré|précisé)|(?:interview|entretien|entrevue)(?: accordée?)? (?:à|avec|pour)|"
          r"rapporte|révèle|écrit|indique|affirme|au micro de|sur l['’]antenne de|sur le plateau de|"
          r"(?:a|ont) rapporté|(?:a|ont) révélé)\s+",
    "es": r"\b(?:[Ss]egún(?: (?:informa|informó|publica|publicó|recoge|reporta|reportó|indica|indicó|"
          r"revela|reveló|explica|explicó))?|[Dd]e acuerdo con|citad[oa] por|(?:dijo|declaró|aseguró|aseguraba|afirmó|"
          r"explicó|contó|confirmó|señaló|relató|detalló|indicó) a|en (?:declaraciones|una entrevista|entrevista) "
          r"(?:a|con)|(?:informó|publicó|reportó|reveló|publica|informa))\s+",
    "it": r"\b(?:[Ss]econdo(?: quanto (?:riportato|riferito|scritto|rivelato|pubblicato) (?:da|dal|dalla|dallo|su|sul|sulla))?|"
          r"[Cc]ome (?:riporta|riferisce|scrive|rivela|racconta|spiega)|[Ss]tando a|si legge (?:su|sul|sulla|in)|"
          r"(?:dalle colonne|sulle pagine|ai microfoni) (?:di|del|della|dello)|ospite (?:di|del|della)|"
          r"(?:intervistato|intervistata|pubblicato|pubblicata) (?:da|dal|dalla|su|sul|sulla)|fa sapere|"
          r"riporta|riferisce|scrive|rivela|spiega|sottolinea|ha riportato|ha rivelato|citato da|citata da|"
          r"(?:ha detto|ha dichiarato|ha spiegato|ha raccontato|ha confermato|ha confidato) (?:a|al|alla|allo)|"
          r"(?:intervista|intervistato|intervistata) (?:a|al|alla|da|dal|dalla)|[Dd]all[ao]|[Dd]al|"
          r"un['’]analisi (?:del|della)|un articolo (?:del|della|di))\s+",
    "pt": r"\b(?:[Ss]egundo|[Dd]e acordo com|(?:disse|declarou|afirmou|contou|explicou|revelou|confirmou) (?:ao|à|a)|"
          r"em entrevista (?:ao|à|a)|(?:informou|publicou|noticiou|revelou)|citad[oa] pel[oa])\s+",
    "nl": r"\b(?:[Vv]olgens|(?:zei|zegt|vertelde|vertelt|bevestigde|zeggen|zeiden) (?:\w+ ){0,3}tegen|"
          r"(?:meldt|melden|meldde|schrijft|schreef|bericht|berichtte)|in gesprek met)\s+",
    "pl": r"\b(?:[Ww]edług|(?:podaje|podał|podała|podało|informuje|poinformował|poinformowała|pisze|napisał|"
          r"napisała|donosi|konkluduje|przekazał|przekazała|relacjonuje|ustalił|ustaliła|cytuje)|w rozmowie z|"
          r"w wywiadzie dla|(?:powiedział|powiedziała|przyznał|przyznała) (?:w rozmowie z|w wywiadzie dla))\s+",
    "da": r"\b(?:[Ii]følge|(?:siger|sagde|fortæller|fortalte|oplyser|oplyste|skriver|skrev|bekræfter|bekræftede|"
          r"kommenterede|udtaler|udtalte)(?: \w+){0,4} (?:til|over for|overfor)|over for|overfor|skriver|skrev|"
          r"melder|erfarer)\s+",
    "no": r"\b(?:[Ii]følge|(?:sier|sa|forteller|fortalte|opplyser|opplyste|skriver|skrev|bekrefter|bekreftet)"
          r"(?: \w+){0,4} (?:til|overfor)|overfor|skriver|skrev|melder|erfarer)\s+",
    "sv": r"\b(?:[Ee]nligt|(?:säger|sade|sa|berättar|berättade|uppger|uppgav|bekräftar|bekräftade)(?: \w+){0,4} "
          r"(?:till|för)|skriver|skrev|rapporterar|erfar)\s+",
    "ru": r"(?:[Пп]о данным|[Пп]о информации|[Кк]ак (?:сообщает|сообщило|сообщил|пишет|передает|передаёт|передавало|"
          r"передавал)|[Сс]ообщает|[Сс]ообщило|[Пп]ишет|[Пп]ередает|[Пп]ередаёт|[Пп]ередавало|[Сс]огласно)\s+(?:местное |"
          r"российское |украинское |молдавское |американское |британское )?(?:издание |агентство |газета |телеканал )?",
}
#: weak cues (a preposition): the name must be known to a list, unambiguous, and not a common word
WEAK_LEFT = {
    "de": r"\b(?:in der|in dem|im|bei|auf|dem|der|[Ww]ie)\s+",
    "fr": r"\b(?:dans|sur)\s+",
    "it": r"\b(?:su|sul|sulla)\s+",
    "nl": r"\b(?:aan|in)\s+",
    "pl": r"\b(?:[Zz]a|dla|w)\s+",
    "da": r"\b(?:til|i)\s+",
    "no": r"\b(?:til|i)\s+",
    "sv": r"\b(?:till|i)\s+",
}
ATTRIB_RIGHT = {
    "en": r"^(?:'s)? (?:(?:has |had |first |also |later |previously |earlier |exclusively )?(?:reported|reports|wrote|"
          r"writes|revealed|reveals|estimated|estimates|cited|quoted|said in a report)|(?:reporters?|correspondents?|"
          r"columnists?|journalists?|editors?|op-ed|editorial|investigation|report|article|story|interview|"
          r"analysis)\b)",
    "de": r"^ (?:zufolge|berichtet|berichtete|berichten|berichteten|meldet|meldete|schreibt|schrieb|zitiert|"
          r"zitierte|enthüllte)\b",
    "ru": r"^ (?:сообщает|сообщило|сообщил|пишет|передает|передаёт|утверждает)\b",
    "fr": r"^ (?:rapporte|a rapporté|révèle|a révélé|écrit|indique|affirme)\b",
    "es": r"^ (?:informó|informa|publicó|publica|reveló|revela|reportó)\b",
    "it": r"^ (?:riporta|ha riportato|scrive|rivela|ha rivelato)\b",
    "pt": r"^ (?:informou|noticiou|publicou|revelou)\b",
    "nl": r"^ (?:meldt|meldde|schrijft|schreef|berichtte)\b",
    "pl": r"^ (?:podaje|podał|podała|podało|informuje|poinformował|poinformowała|pisze|napisał|donosi|ustalił)\b",
    "da": r"^ (?:skriver|skrev|erfarer|melder|rapporterer)\b",
    "no": r"^ (?:skriver|skrev|erfarer|melder|meldte|rapporterer)\b",
    "sv": r"^ (?:skriver|skrev|rapporterar|rapporterade|erfar|uppger)\b",
}

#: words that mark an outlet's name ("Times", "Zeitung", "Gazeta", "TV", "Radio", ...)
OUTLET_WORDS = frozenset("""
times post news tribune journal herald gazette gazzetta gazeta gazety gazet daily zeitung allgemeine rundschau kurier
anzeiger nachrichten tagblatt tagesspiegel presse press radio television télévision televisión televisão
diario diário corriere giornale folha jornal correio tidning tidningen tidende avis avisen posten bladet dagbladet
aftenposten courier courrier monde matin observer guardian telegraph express mirror chronicle standard independent
examiner inquirer globe magazine magazin weekly wochenblatt kanal channel network nieuws krant dagblad pravda izvestia vedomosti novosti gazette republika repubblica stampa messaggero
libération liberation figaro parisien dépêche nouvelliste quotidien zeitschrift spiegel
standaard volkskrant nrc telegraaf parool trouw aftonbladet expressen dagens helsingin sanomat
wyborcza rzeczpospolita polityka fakt tvn tvp polsat bbc cnn abc nbc cbs fox npr msnbc reuters bloomberg sky
itv rai rtl ard zdf orf srf nrk svt yle nos vrt rtbf tf1 bfm bfmtv lci france24 euronews dw voa rferl
television télévision fernsehen rundfunk omroep
""".split())
_TLD_NAME = re.compile(r"^[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|ru|ua|de|pl|fr|es|it|pt|br|nl|be|ch|at|cz|sk|hu|ro|"
                       r"se|no|dk|fi|md|by|info|news|co\.uk|io|tv)$", re.I)
#: capitalised words that begin sentences or are not names
_STOP = frozenset("""
The A An This That These Those It He She They We I You His Her Their Our Its In On At By For With From To And But Or
Der Die Das Ein Eine Er Sie Es Wir Ich Und Aber Oder Im Am Zum Zur Mit Von Bei Nach Laut
Le La Les Un Une Il Elle Ils Elles Nous Vous Et Mais Ou Dans Sur Selon Pour Par Avec
El Los Las Uno Una Él Ella Ellos Y Pero En Según Con Por Para
Il Lo Gli Uno Una Lui Lei Loro E Ma Nel Nella Secondo Con Per
O Os As Um Uma Ele Ela Eles Mas No Na Segundo
De Het Een Hij Zij Wij En Maar Volgens Met Voor
Według Za Na W Z I Ale To Ten Ta
Ifølge Enligt Han Hun Hon Den Det De Og Men Som Med Til Till
Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August September
October November December Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonntag
Government Police Ministry President Minister Regierung Polizei Ministerium Präsident Gobierno Policía Ministerio
Presidente Gouvernement Police Ministère Président Governo Polizia Ministero Rząd Policja Ministerstwo Regeringen
Politiet Polisen UN EU NATO WHO
""".split())
#: words that stand before "-Interview", "-Reporter" without naming an outlet
_GENERIC_NAMES = frozenset("news live online radio tv web video audio podcast exklusiv exclusive breaking "
                           "zdf-live update ticker liveticker newsletter agence agency agentur agencia agenzia agência "
                           "rss feed ag gmbh inc ltd sa plc llc se kg co corp".split())
#: a newsroom beat before "correspondent", "reporter": not an outlet ("National correspondent")
_BEATS = frozenset("national international foreign local political senior chief metro business sports health "
                   "science tech technology economics education defense diplomatic staff contributing special "
                   "investigative white house washington".split())
#: platforms and services: cited often, never a news outlet
PLATFORMS = frozenset("""
Facebook Twitter X Instagram YouTube Youtube TikTok Telegram LinkedIn Reddit WhatsApp Snapchat Threads Bluesky Medium
Substack Wikipedia Google Apple Amazon Netflix Spotify Twitch Discord Weibo WeChat VK VKontakte Truth Social Mastodon
""".split())
_GENERIC_SOURCES = frozenset("""
police government ministry spokesperson spokesman officials official sources source experts expert data report study
survey research researchers analysts
""".split())


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFKC", s)
    return s.replace("’", "'")


_NAME_AT_END = re.compile(r"(?:" + QUOTED + r"|(?P<n>" + NAME + r"))\Z")
_NAME_START = re.compile(rf"[{_UP}0-9\"„“”«»‚‘'‹›「『a-z]")


class _RightMatch:
    """What `_RightCue.finditer` yields: the groups and offsets of a name-then-cue match."""

    def __init__(self, nm, base: int, cue_end: int) -> None:
        self._nm, self._base, self._end = nm, base, cue_end

    def group(self, g):
        return self._nm.group(g)

    def start(self, g=0):
        return self._base + self._nm.start(g) if g else self._base + self._nm.start()

    def end(self, g=0):
        return self._base + self._nm.end(g) if g else self._end

    def groupdict(self):
        return self._nm.groupdict()


class _RightCue:
    """A cue after a name ("X reported", "X zufolge"): found by the cue, the name read backwards."""

    def __init__(self, cue: re.Pattern) -> None:
        self.cue = cue

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None):
        for c in self.cue.finditer(text, pos, len(text) if endpos is None else endpos):
            lo = max(0, c.start() - 90)
            window = text[lo:c.start()]
            # the name must end at the cue: try the starts of words in the window, longest name first
            for st in range(len(window)):
                if st and window[st - 1] not in " \"„“”«»‚‘'‹›(「『-":
                    continue
                if not _NAME_START.match(window, st):
                    continue
                nm = _NAME_AT_END.match(window, st)
                if nm:
                    yield _RightMatch(nm, lo, c.end())
                    break


def _stems(pattern: str) -> frozenset:
    """Trigger words of a cue pattern, lower-cased and cut to 5 letters: a segment without one of
    them cannot match the pattern, so the pattern is not run on it (most segments cite nothing)."""
    p = re.sub(r"\[([A-ZÀ-ÞА-Я])([a-zà-þа-я])\]", r"\2", pattern)
    p = re.sub(r"\\[bswdWSD]", " ", p)
    out = set()
    for alt in pattern.split("|"):
        if "\\w" in alt:
            continue  # an inflection pattern ("\w+aises?") inside a phrase whose words are kept
        alt = re.sub(r"\[([A-ZÀ-ÞА-Я])([a-zà-þа-я])\]", r"\2", alt)
        alt = re.sub(r"\\[bswdWSD]", " ", alt)
        words = [w.casefold() for w in re.findall(r"[^\W\d_]+", alt)]
        words = [w for w in words if w not in _TINY and len(w) >= 3 and w not in _SUFFIXES]
        if words:
            out.add(max(words, key=len)[:5])
    return frozenset(out)


# inflection endings written as alternatives ("dziennik(?:a|u|iem|owi)?"): never a trigger
_SUFFIXES = frozenset("iem owi ego emu ska ską cki cka nej iej ach ami ów ego ych ymi ano ana ese ense ico ica ale "
                      "ino ina ais ien ens eau aux".split())
# tiny words inside a cue phrase ("reported by", "in an interview with"): never its trigger
_TINY = frozenset("in on for from with by to op ed en ss im mit auf der die das dem den des the an de la le el al "
                  "ao da do a à l du avec pour has had also first later earlier previously exclusively "
                  "s b w".split())


@functools.lru_cache(maxsize=32)
def _all_triggers(lang: str) -> tuple[frozenset, bool]:
    """Every trigger stem of the page's language and of English, and whether a weak cue applies."""
    out: set[str] = set()
    weak = False
    for lg in {lang, "en"}:
        lefts, rights = _compiled(lg)
        for _kind, trig, _rx in (*lefts, *rights):
            if trig is None:
                weak = True
            else:
                out.update(trig)
    return frozenset(out), weak


@functools.lru_cache(maxsize=32)
def _compiled(lang: str) -> tuple:
    """Per cue table: (kind, trigger stems or None, regex); left cues end before the name, right
    cues start after it."""
    lefts = []
    for table, kind in ((OUTLET_LEFT, "outlet"), (ATTRIB_LEFT, "attrib"), (WEAK_LEFT, "weak")):
        pat = table.get(lang)
        if pat:
            art = _ART[:-2] + r"|de |het |een )?" if lang == "nl" else _ART
            # the cue in any case ("Riferisce l'Ansa", "Podaje"), the name capitalised
            # the cue in any case where a verb may open the sentence ("Riferisce l'Ansa", "Podaje");
            # English and German patterns spell their capitals (case-insensitive matching is slower)
            cue = r"(?i:" + pat + r")" if kind == "attrib" and lang not in ("en", "de") else r"(?:" + pat + r")"
            rx = re.compile(cue + art + r"(?:" + QUOTED + r"|(?P<n>" + NAME + r"))")
            lefts.append((kind, None if kind == "weak" else _stems(pat), rx))
    rights = []
    for table, kind in ((OUTLET_RIGHT, "outlet"), (ATTRIB_RIGHT, "attrib")):
        pat = table.get(lang)
        if pat:
            # two steps, far cheaper than a name pattern tried at every position: find the cue, then
            # the name that ends right before it
            rx = _RightCue(re.compile(r"(?:" + pat.lstrip("^") + r")"))
            rights.append((kind, _stems(pat), rx))
    return tuple(lefts), tuple(rights)


_DATE_TAIL = (r"(?:\d{1,2}\.?\s*(?:\w{3,9}\.?)\s+\d{4}|\d{1,2}\.\d{1,2}\.\d{2,4}|\(\d{1,2}\.\d{1,2}\.\d{2,4}\)|"
              r"\w{3,9}\.? \d{1,2},? \d{4}|\d{4}-\d{2}-\d{2})\s*$")
REF_LINE = re.compile(r"(?:^|[;,–—-]\s*|\?\s+|\.\s+)(?P<n>" + NAME + r"),?\s+" + _DATE_TAIL)
_WORDS = re.compile(r"\w+")
_NAME_RE = re.compile(r"(?:" + QUOTED + r"|(?P<n>" + NAME + r"))")
_TRIGGER: dict[str, re.Pattern] = {}


def _trim_name(name: str) -> str:
    name = re.sub(r"(?:['’]s|['’])$", "", name.strip(" .,;:"))
    return name.strip(" .,;:-")


#: single words that, with an article put back, would name some outlet by accident ("The Daily")
_NO_ARTICLE_VARIANT = frozenset("news daily online weekly digital live tv radio press media magazine magazin "
                                "zeitung today journal world".split())
_NAME_ARTICLES = {
    "fr": ("Le ", "La ", "L'", "Les "), "de": ("Der ", "Die ", "Das "), "es": ("El ", "La "),
    "it": ("Il ", "La ", "Lo ", "L'"), "pt": ("O ", "A "), "nl": ("De ", "de ", "Het ", "het "),
    "en": (),
}


def _variants(name: str, lang: str) -> list[str]:
    """Forms to look up: the name, without possessive, and (German) without adjective endings."""
    out = [name]
    if lang == "de":
        words = name.split()
        if len(words) >= 2 and re.search(r"(?:en|er|es|em)$", words[0]):
            out.append(re.sub(r"(?:en|er|es|em)$", "e", words[0]) + " " + " ".join(words[1:]))
        if re.search(r"s$", words[-1]) and len(words[-1]) > 4:
            out.append(" ".join(words[:-1] + [words[-1][:-1]]))  # "des Spiegels"
    if lang == "pl":
        # "dziennika Rzeczpospolitej": leave as is; inflected names resolve only through the registry's aliases
        pass
    return out


def outlet_like(name: str) -> bool:
    if _TLD_NAME.match(name):
        return True
    toks = re.findall(r"[\w]+", name.casefold())
    return any(t in OUTLET_WORDS for t in toks) and not all(t in _GENERIC_SOURCES for t in toks)


class CitedFinder:
    """Cue-driven finder of cited outlets for one registry (compiled once)."""

    def __init__(self, registry: Registry) -> None:
        self.reg = registry
        # short or common names that count only with a strong cue or quotes
        self.ambiguous = {a for s in registry.curated() for a in s.get("ambiguous_aliases") or []}
        # the longest word of every name a list knows: a weak cue needs one in the segment
        self.keys = frozenset(max(_WORDS.findall(k) or [""], key=len) for k in registry.name_keys())

    def lookup(self, name: str, lang: str, host: str | None, country: str | None) -> tuple[dict | None, list[dict]]:
        if len(name) <= 4 and not self._exact_case(name):
            return None, []  # "Dr" is not DR, "Ap" not AP: a short name must be written as the outlet writes it
        variants = _variants(name, lang)
        # the article the outlet's name begins with, dropped after a preposition ("selon le Parisien",
        # "du Monde", "dem Spiegel"): try it back
        if name.casefold() not in _NO_ARTICLE_VARIANT and name.casefold() not in _GENERIC_NAMES:
            variants += [a + v for v in list(variants) for a in _NAME_ARTICLES.get(lang, ()) + ("The ",)
                         if not v.startswith(a)]
        for v in variants:
            cands = self.reg.candidates(v)
            if not cands and v.lower().startswith("the "):
                cands = self.reg.candidates(v[4:])
            if cands:
                s = self.reg.resolve(v if self.reg.candidates(v) else v[4:], host=None, lang=lang, country=country)
                return s, cands
        return None, []

    def _exact_case(self, name: str) -> bool:
        for c in self.reg.candidates(name):
            names = [c.get("name") or "", *(c.get("domains") or [])]
            for lst in (c.get("aliases") or {}).values():
                names.extend(lst)
            if name in names:
                return True
        return False

    def _candidates_of(self, raw: str, side: str) -> list[str]:
        """The name and its shorter forms: for a left cue drop trailing words, for a right cue leading ones."""
        raw = _trim_name(raw)
        words = raw.split()
        if not words:
            return []
        forms = []
        for i in range(len(words), 0, -1):
            part = words[:i] if side == "left" else words[len(words) - i:]
            if side == "left" and i < len(words) and words[i][:1].isupper() and words[i] not in _STOP:
                continue  # "told Hawk Sawyer" is not "told Hawk"
            while part and (part[-1].lower() in {"of", "de", "del", "della", "di", "du", "des", "la", "le", "el", "the",
                                                 "and", "&", "für", "am", "van", "der", "den", "do", "da", "dos",
                                                 "das", "och", "og", "i", "y", "e", "und"}):
                part = part[:-1]
            while side == "right" and part and part[0] in _STOP:
                part = part[1:]
            f = " ".join(part)
            if f and f not in forms:
                forms.append(f)
        return forms

    def find(self, text: str, lang: str, host: str | None, country: str | None, words: list[str] | None = None):
        """Yield (start, end, name, cue_kind, source or None, candidates) for each cited outlet in ``text``
        (``words``: the segment's words, if the caller has them)."""
        langs = ["en"] if lang == "en" else [lang, "en"]
        seen: set[tuple[int, int]] = set()
        if len(text) <= 240 and text[-1:].isdigit() or text.endswith(")"):
            m = REF_LINE.search(text)
            if m:
                hit = self._decide(m.group("n"), "attrib", "right", False, lang, host, country)
                if hit:
                    name, src, cands = hit
                    gs = m.end("n") - len(name)
                    seen.add((gs, gs + len(name)))
                    yield gs, m.end(), name, "reference", src, cands
        union, weak = _all_triggers(lang)
        lw = _WORDS.findall(text.lower())
        stems = {w[:5] for w in lw}
        if union.isdisjoint(stems) and not weak:
            return  # no cue word of the page's language or of English in this segment
        folded = set(lw)
        known = not self.keys.isdisjoint(folded)
        for lg in langs:
            lefts, rights = _compiled(lg)
            for kind, trig, rx in lefts:
                if (trig is None and not known) or (trig is not None and trig.isdisjoint(stems)):
                    continue
                yield from self._run(rx, kind, "left", text, lang, host, country, seen)
            for kind, trig, rx in rights:
                if trig.isdisjoint(stems):
                    continue
                yield from self._run(rx, kind, "right", text, lang, host, country, seen)

    def _run(self, rx, kind: str, side: str, text: str, lang: str, host, country, seen: set,
             lo: int = 0, hi: int | None = None):
        for m in rx.finditer(text, lo, len(text) if hi is None else hi):
            quoted = m.group("q")
            raw = quoted if quoted is not None else m.group("n")
            hit = self._decide(raw, kind, side, quoted is not None, lang, host, country)
            if not hit:
                continue
            name, src, cands = hit
            if side == "left":
                gs = m.start("q") if quoted is not None else m.start("n")
                start, end = m.start(), gs + len(name)
            else:
                gs = m.start("q") if quoted is not None else m.end("n") - len(name)
                start, end = gs, m.end()
            key = (gs, gs + len(name))
            if key not in seen:
                seen.add(key)
                yield start, end, name, kind, src, cands

    def _decide(self, raw: str | None, kind: str, side: str, quoted: bool, lang: str, host, country):
        if not raw:
            return None
        raw = _fold(raw)
        if not quoted:
            if side == "left":
                raw = re.split(r"['’]s\b", raw)[0]  # "NPR's Feng": NPR
            elif re.search(r"['’]s\s", raw):
                raw = re.split(r"['’]s\s+", raw)[-1]  # "Murdoch's British newspaper": not Murdoch
            if side == "right" and raw.split() and raw.split()[-1].casefold() in _BEATS:
                return None  # "National correspondent", "Metro reporter": a beat, not an outlet
        forms = self._candidates_of(raw, side) if not quoted else [_trim_name(raw)]
        for f in forms:
            if not f or f in _STOP or len(f) < 2:
                continue
            if f in self.ambiguous and not quoted and (kind == "weak" or (kind == "attrib" and side == "right")):
                continue
            if f in PLATFORMS or re.split(r"[\s-]", f)[0] in PLATFORMS or f.casefold() in _GENERIC_NAMES:
                return None
            src, cands = self.lookup(f, lang, host, country)
            if cands and kind != "outlet" and len(f.split()) == 1 and not outlet_like(f) and all(
                    c.get("origin") in ("wikidata", "fundus", "newscatcher", "perennial") for c in cands):
                # a one-word name that only an imported list has ("Europa", "Hawk"): needs the page's
                # country or language to fit
                if src is None or not ((country and (src.get("country") or "") == country)
                                       or lang in (src.get("languages") or ())):
                    continue
            if cands:
                if src is not None and src.get("type") == "photo_agency":
                    return None  # "according to the EPA": not the photo agency
                fits = src is not None and ((country and (src.get("country") or "") == country)
                                            or lang in (src.get("languages") or ()))
                if kind == "weak" and (src is None or len(f) < 3 or f in self.ambiguous or
                                       (len(f.split()) == 1 and src.get("origin") not in ("registry", "user")
                                        and not fits)):
                    continue
                return f, src, cands
        if kind == "weak":
            return None
        # no list knows it: an outlet cue, or a name that looks like an outlet
        best = forms[0] if forms else None
        if not best or best in _STOP:
            return None
        if len(best.split()) > 5 or not re.search(r"\w", best):
            return None
        if best.casefold() in _GENERIC_NAMES:
            return None
        if not quoted:
            # "told VOA Pentagon correspondent ...": the known outlet at the head of a longer name
            words = _trim_name(raw).split()
            for i in range(len(words) - 1, 0, -1):
                head = " ".join(words[:i])
                src, cands = self.lookup(head, lang, host, country)
                if cands and (src is None or src.get("origin") in ("registry", "user", "state_media", "hand")):
                    if outlet_like(head) or src is not None and src.get("origin") in ("registry", "user", "hand",
                                                                                     "state_media"):
                        return head, src, cands
        if side == "right" and not quoted and (len(best.split()) > 3 or re.search(r"\s[a-zß]", best)):
            return None  # "Veröffentlichung des Amnesty-Berichts": not a name
        if kind == "outlet" and (quoted or best[0].isupper() or _TLD_NAME.match(best)):
            if side == "right" and not quoted and len(best.split()) == 1 and not _TLD_NAME.match(best):
                return None  # "Beijing magazine": one unknown word before the cue is too little
            return best, None, []
        for f in forms:
            if outlet_like(f) and f not in _STOP:
                return f, None, []
        return None


__all__ = ["CitedFinder", "outlet_like"]
