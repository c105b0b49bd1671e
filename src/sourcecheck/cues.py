"""Multilingual cue lexicon for the advocacy decision.

The guidelines draw the advocacy line by meaning: a call to the reader
(support, donate, subscribe, share) becomes advocacy when it names a value,
a cause or a threat (independence, democracy, censorship, "the mainstream");
cost or continuity alone stays chrome; the publisher speaks in its own
voice ("we", "our") to the reader ("you").  Hand-labelled examples are few
(about 150), so these word groups, in the languages of our pages, give the
model the concepts and it learns how they combine.  They are general
vocabulary, not phrases of any one site.
"""

from __future__ import annotations

import re

import numpy as np

from .textarrays import compile_trie
from .textarrays import words_at_boundary as _w

_GROUPS: dict[str, str] = {
    "ask": r"unterstütz|support|donat|spende|spenden|contribut|beitrag|mitglied|member|abonn|subscri|teilt|teilen|"
           r"share|hilf|help|helfen|join|werde|become|förder|patreon|paypal|steady|soutenez|soutien|don\b|faire un don|"
           r"apoya|apoyo|dona|apoia|assine|sostieni|abbonati|steun|word lid|chip in|give|gib|schenk|pledge",
    "value_independence": r"unabhängig|independen|indépendan|independien|indipenden|onafhankelijk|frei|free|libre|"
                          r"liber|vrij|pressefreiheit|meinungsfreiheit|press freedom|free speech",
    "value_democracy": r"demokrat|democra|démocrat|gesellschaft|society|öffentlichkeit|public interest|gemeinwohl|"
                       r"bürger|citizen|civil",
    "threat": r"zensur|zensier|censor|censur|silenc|schweigen|mundtot|sperr|verbot|verbiet|banned|"
              + _w("ban")
              + r"\b|blockier|blocked|deplatform|unterdrück|suppress|angriff|attack|threat|bedroh|überleb|surviv|"
              r"existenz|gefahr|danger|shut down|einschränk|diffam|hetz|verfolg|persecut|intimidat|einschüchter|"
              r"sanktion|sanction",
    "mainstream": r"mainstream|leitmedien|systemmedien|establishment|legacy media|corporate media|big tech|"
                  r"staatsfunk|haltungsjournal|lügenpresse|gleichgeschaltet|regierungsnah|konzernmedien|"
                  r"milliardär|billionaire|oligarch|narrativ|propaganda|desinformation|disinformation|fake news",
    "mission": r"mission|auftrag|wahrheit|truth|aufklär|kritisch|critical|investigativ|investigat|unbequem|"
               r"uncomfortable|hinterfrag|question|recherche|watchdog|kontroll|accountab|qualitätsjournal|"
               r"journalismus|journalism|journalisme|periodismo|jornalismo|giornalismo|stimme|voice",
    "we": "(?:" + _w("wir", "uns", r"unser\w*", "we", "our", "ours", "us", "nous", "notre", "nos", "nosotros",
                     r"nuestr\w*", "nós", r"nosso\w*", "noi", r"nostr\w*", "wij", "ons", "onze") + r")\b",
    "you": "(?:" + _w("sie", "ihr", "ihre[mnrs]?", "euch", "euer", "eure[mnrs]?", "du", "dich", "dir", r"dein\w*",
                      "you", r"your\w*", "vous", "votre", "vos", "usted", "tu", "você", "voi", "jij", "je",
                      "uw") + r")\b",
    "money": r"€|\$|£|" + _w("eur") + r"\b|euro|iban|" + _w("bic")
             + r"\b|konto|account|bank|betrag|amount|monat|month|jährlich|year|kosten|cost|price|preis|gratis|"
             r"free trial|kündig|cancel",
    "functional": r"newsletter|cookie|werbung|advert|ad.?block|log ?in|anmeld|registr|" + _w("app") + r"\b|download|"
                  r"datenschutz|privacy|impressum|kommentar|comment|e-?mail",
    "exclaim": r"!",
    "imperative_now": "|".join([_w("jetzt") + r"\b", _w("now") + r"\b", _w("today") + r"\b", _w("heute") + r"\b",
                                "maintenant|ahora|agora|adesso", _w("nu") + r"\b"]),
}
# patterns are lowercase and matched against lowercased text: several times faster than re.I
_COMPILED = {k: compile_trie(v) for k, v in _GROUPS.items()}  # the same matches, found faster
GROUPS: tuple[str, ...] = tuple(_GROUPS)
PAIRS: tuple[tuple[str, str], ...] = (
    ("ask", "value_independence"), ("ask", "value_democracy"), ("ask", "threat"), ("ask", "mainstream"),
    ("ask", "mission"), ("we", "threat"), ("we", "mainstream"), ("we", "you"), ("ask", "money"),
    ("ask", "functional"), ("we", "value_independence"),
)
CUE_NAMES: tuple[str, ...] = tuple(f"cue_{g}" for g in GROUPS) + tuple(f"cue_{a}_x_{b}" for a, b in PAIRS)


CUE_HEAD = 1500  # characters of a segment read for cues


def cue_matrix(texts: list[str]) -> np.ndarray:
    """Per text: counts per cue group (capped, scaled by length) and presence products of the pairs.

    All texts are searched at once (joined by newlines, which no cue pattern crosses).
    """
    from .textarrays import SPACE, Joined

    if not texts:
        return np.zeros((0, len(CUE_NAMES)), dtype=np.float32)
    j = Joined([t[:CUE_HEAD].lower() for t in texts])
    nonspace = (j.props & SPACE) == 0
    n_words = np.maximum(j.per_segment(nonspace & ~np.r_[False, nonspace[:-1]]), 1)
    counts = np.column_stack([j.regex_counts(_COMPILED[g]) for g in GROUPS])
    scale = 1.0 + n_words / 40.0
    out = [np.minimum(counts, 6) / scale[:, None]]
    idx = {g: i for i, g in enumerate(GROUPS)}
    out.append(np.column_stack([(counts[:, idx[a]] > 0) & (counts[:, idx[b]] > 0) for a, b in PAIRS]))
    return np.hstack(out).astype(np.float32)
