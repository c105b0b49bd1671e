"""Related-link lead-ins: "Lesen Sie auch: ...", "Read more: ...", "À lire aussi : ...".

The guidelines call related-link teasers chrome "whatever their words", and
a teaser that sits between two paragraphs of an article is the kind the
revise stage gets wrong: its neighbours are news, so it is pulled in with
them.  When a short segment opens with one of these phrases, followed by a
colon, a guillemet, a dash, a question mark or nothing, it is a teaser by its
own words, and :func:`sourcecheck.model.estimator.hold_teasers` keeps the
revise stage from calling it news.  A lead-in of several words may also run
straight into the linked headline ("À lire aussi La natalité ..."), which
then has to start with a capital letter.

The phrases are the stock lead-ins of the languages our pages are written in
(not any one site's wording).  In site-grouped CV of the HTML estimator of 0.1.3 the
rule turned trafilatura-eval 0.9296 into 0.9323 (BENCHMARKS.md); of the
labelled HTML segments it matches, 285 are chrome and 9 news (readability's
and Fundus's references keep a few "Related: ..." and "Read more: ..." lines).
"""

from __future__ import annotations

import re

import numpy as np

LEAD_INS: tuple[str, ...] = (
    # German
    "lesen sie auch", "lesen sie hier", "lesen sie mehr", "lesen sie weiter", "lies auch", "lies hier",
    "auch interessant", "ebenfalls interessant", "mehr zum thema", "mehr dazu", "weitere artikel", "weitere beiträge",
    "weiterlesen", "schon gelesen", "das könnte sie auch interessieren", "das könnte dich auch interessieren",
    "das könnte sie interessieren", "das könnte dich interessieren", "das thema könnte dich auch interessieren",
    "das thema könnte sie auch interessieren", "passend dazu", "passend zum thema", "siehe auch",
    "empfohlener redaktioneller inhalt",
    # English
    "read more", "read also", "also read", "see also", "related", "related articles", "related stories",
    "related content", "more on this", "more on this story", "you may also like", "you might also like",
    "recommended", "recommended for you", "further reading", "more stories", "more from",
    # French
    "lire aussi", "à lire aussi", "a lire aussi", "voir aussi", "à voir aussi", "lire la suite", "sur le même sujet",
    # Spanish
    "le puede interesar", "te puede interesar", "lea también", "lee también", "puedes ver", "mira", "ver también",
    "también te puede interesar", "te recomendamos", "noticias relacionadas",
    # Portuguese
    "leia também", "leia mais", "veja também", "você pode gostar", "saiba mais",
    # Italian
    "leggi anche", "potrebbe interessarti", "leggi pure",
    # Polish
    "czytaj też", "czytaj także", "czytaj również", "czytaj więcej", "zobacz też", "zobacz także",
    "dowiedz się więcej",
    # Dutch
    "lees ook", "lees meer", "zie ook",
)
#: a segment this long or longer is more than a lead-in and its link, whatever it opens with
MAX_CHARS = 300

def _alternatives(phrases) -> str:
    return "|".join(sorted(map(re.escape, phrases), key=len, reverse=True))


# the phrase at the start (after at most three symbols such as "»" or "►"), then a delimiter or the end:
# "Mira: ..." is a teaser, "Mira Nair directed ..." is not
_LEAD_IN = re.compile(r"^\W{0,3}(?:" + _alternatives(LEAD_INS) + r")\s*(?:[:»›>|–—?]|\.\.\.|…|\[edit\]|$)",
                      re.IGNORECASE)
# a phrase of several words, then a linked headline without a delimiter ("À lire aussi La natalité ...",
# "Mehr zum Thema Gazastreifen"): the next word must start with a capital (checked in ``teaser_lead_ins``)
_LEAD_IN_HEADLINE = re.compile(
    r"^\W{0,3}(?:" + _alternatives(p for p in LEAD_INS if " " in p and p not in ("more from", "more stories"))
    + r")\s+(?=\w)", re.IGNORECASE)


def _is_lead_in(text: str) -> bool:
    if len(text) >= MAX_CHARS:
        return False
    if _LEAD_IN.match(text):
        return True
    m = _LEAD_IN_HEADLINE.match(text)
    return m is not None and text[m.end()].isupper()


def teaser_lead_ins(texts: list[str]) -> np.ndarray:
    """Per segment text: is it a related-link lead-in (a teaser by its own words)?"""
    return np.fromiter(map(_is_lead_in, texts), dtype=bool, count=len(texts))
