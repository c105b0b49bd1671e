"""Cited outlets in running text, wires and photo credits, in the languages of the corpora (issue 23).

Each case is one segment with one cue; the expected set is every (name, role) the detector must give.
Names are compared as shown (``name``), since an unknown outlet has no registry id.
"""

from __future__ import annotations

import pytest

from sourcecheck.article import Article, Segment
from sourcecheck.provenance import detect_sources, load_registry


@pytest.fixture(scope="module")
def reg():
    return load_registry()


def page(lines, lang=None, url="https://www.example-news.invalid/a/1", meta=None):
    text, segs = "", []
    for i, item in enumerate(lines):
        label, t = item[0], item[1]
        path = item[2] if len(item) > 2 else None
        start = len(text)
        text += t + "\n\n"
        segs.append(Segment(index=i, text=t, start=start, end=start + len(t), label=label, dom_path=path))
    return Article(input="t", kind="html", text=text, segments=segs, meta={"url": url, **(meta or {})}, lang=lang)


def roles(dets, role):
    return {d["name"] for d in dets if d["role"] == role}


CITED = [
    # English
    ("en", "The minister resigned, according to the Financial Times.", "Financial Times"),
    ("en", "A spokesman told CNN that talks would continue.", "CNN"),
    ("en", "The Washington Post reported on Sunday that the deal was off.", "The Washington Post"),
    ("en", "The Riverside Clarion newspaper first published the letter.", "Riverside Clarion"),
    # German
    ("de", "Das berichtete die Nachrichtenagentur Interfax am Montag.", "Interfax"),
    ("de", "Laut der Süddeutschen Zeitung ist der Vertrag unterschrieben.", "Süddeutsche Zeitung"),
    ("de", "Das sagte sie der Zeitung „Hallo Bergstadt“ am Montag.", "Hallo Bergstadt"),
    ("de", "Ein BBC-Reporter war vor Ort.", "BBC"),
    # French
    ("fr", "Selon Le Monde, le projet est abandonné.", "Le Monde"),
    ("fr", "Le quotidien Gazeta Lubuska révèle que le maire a démissionné.", "Gazeta Lubuska"),
    ("fr", "L'ingénieur, cité par le Wall Street Journal, reste prudent.", "The Wall Street Journal"),
    # Spanish
    ("es", "Según informó el diario El Mundo, el acuerdo se firmó ayer.", "El Mundo"),
    ("es", "El portavoz dijo a Europa Press que no habrá cambios.", "Europa Press"),
    # Italian
    ("it", "Secondo il Corriere della Sera, il governo è pronto.", "Corriere della Sera"),
    ("it", "Lo riporta l'agenzia Adnkronos citando fonti vicine.", "Adnkronos"),
    # Portuguese
    ("pt", "Segundo o jornal Folha de S.Paulo, o ministro vai sair.", "Folha de S.Paulo"),
    ("pt", "O ministro disse à Lusa que não comenta.", "Lusa"),
    # Dutch
    ("nl", "Volgens de Volkskrant is het kabinet verdeeld.", "de Volkskrant"),
    ("nl", "Dat meldt persbureau ANP op basis van bronnen.", "ANP"),
    # Polish
    ("pl", "Według dziennika Rzeczpospolita rząd rozważa zmiany.", "Rzeczpospolita"),
    ("pl", "Jak podaje portal Onet, minister złożył dymisję.", "Onet"),
    # Nordic
    ("da", "Statsministeren sagde ifølge Berlingske, at hun var glad.", "Berlingske"),
    ("no", "Det skriver avisen Nordlys Nytt på sine nettsider.", "Nordlys Nytt"),
    ("sv", "Enligt Dagens Nyheter har regeringen beslutat.", "Dagens Nyheter"),
]


@pytest.mark.parametrize("lang,text,name", CITED)
def test_cited_outlet_in_running_text(reg, lang, text, name):
    dets = detect_sources(page([("news", text)], lang=lang), reg)
    assert name in roles(dets, "cited"), [(d["name"], d["role"]) for d in dets]


def test_unknown_outlet_is_reported_unresolved(reg):
    dets = detect_sources(page([("news", "Le quotidien Gazeta Lubuska révèle que le maire a démissionné.")],
                               lang="fr"), reg)
    (d,) = [d for d in dets if d["role"] == "cited"]
    assert d["unresolved"] and d["source_id"].startswith("name:") and d["notes"][0]["kind"] == "registry"


@pytest.mark.parametrize("lang,text", [
    ("en", "According to the police, the suspect fled."),
    ("en", "He told reporters that the plan would work."),
    ("de", "Laut Polizei war der Fahrer betrunken."),
    ("de", "Er lebt seit Jahren in Europa und bei Berlin."),
    ("fr", "Selon le ministère, la mesure sera prolongée."),
    ("es", "Según el Gobierno, la medida se prolongará."),
    ("it", "Secondo la polizia, l'uomo era armato."),
    ("pl", "Według policji kierowca był pijany."),
    ("en", "She wrote on Facebook that she was leaving."),
    ("en", "A Senate investigation found no wrongdoing."),
    ("en", "He said in Washington that the talks continue."),
])
def test_no_cited_outlet_without_one(reg, lang, text):
    assert roles(detect_sources(page([("news", text)], lang=lang), reg), "cited") == set()


def test_self_citation_is_not_a_cited_outlet(reg):
    dets = detect_sources(page([("news", "A spokesman told the Guardian that talks continue.")], lang="en",
                               url="https://www.theguardian.com/x"), reg)
    assert roles(dets, "cited") == set()


PHOTO = [
    ("chrome", "Foto: Mads Claus Rasmussen/Ritzau Scanpix", {"Ritzau"}),
    ("chrome", "Fotoğraf: AA", set()),  # "AA" alone is too short to be read as Anadolu without a list alias
    ("chrome", "Photo: Jane Doe/Reuters via Getty Images", {"Reuters", "Getty Images"}),
    ("chrome", "Protesters in Kyiv (Sky News via AP)", {"Associated Press"}),
    ("chrome", "Image: Adobe Stock", {"Adobe Stock"}),
    ("chrome", "Fot. Jan Kowalski / PAP", {"Polska Agencja Prasowa"}),
    ("chrome", "Kuva: Lehtikuva", {"STT"}),
    ("chrome", "Bild: picture alliance/dpa/Zuma Wire", {"Deutsche Presse-Agentur", "ZUMA Press", "picture alliance"}),
    ("chrome", "Photo by SOPA Images/LightRocket via Getty Images", {"SOPA Images", "LightRocket", "Getty Images"}),
    ("chrome", "Photograph: NurPhoto/Alamy", {"NurPhoto", "Alamy"}),
    ("chrome", "Crédit photo : Belga", {"Belga"}),
    ("chrome", "Foto: Unsplash", {"Unsplash"}),
]


@pytest.mark.parametrize("label,text,names", PHOTO)
def test_photo_credits(reg, label, text, names):
    dets = detect_sources(page([(label, text, "figcaption < figure")]), reg)
    got = {reg.get(d["source_id"])["name"] if reg.get(d["source_id"]) else d["name"]
           for d in dets if d["role"] == "photo"}
    got_names = {d["name"] for d in dets if d["role"] == "photo"} | got
    for n in names:
        assert any(n.casefold() in g.casefold() or g.casefold() in n.casefold() for g in got_names), (n, got_names)


WIRE = [
    ("news", "KYIV (UNIAN) - The government said on Monday.", "UNIAN"),
    ("news", "NEW DELHI (PTI) - The minister said on Monday.", "Press Trust of India"),
    ("news", "TOKYO (Jiji Press) - The yen fell.", "Jiji Press"),
    ("news", "MADRID, 3 Mar. (EUROPA PRESS) - El Gobierno aprobó.", "Europa Press"),
    ("news", "OTTAWA — (The Canadian Press) — The House rose.", "The Canadian Press"),
    ("news", "WARSZAWA (PAP) - Rząd przyjął projekt.", "Polska Agencja Prasowa"),
    ("news", "LISBOA (Lusa) - O Governo aprovou.", "Lusa"),
    ("news", "BUDAPEST (MTI) - A kormány döntött.", "MTI"),
    ("news", "STOCKHOLM (TT) - Regeringen beslutade.", "TT Nyhetsbyrån"),
    ("news", "OSLO (NTB) - Regjeringen har bestemt.", "NTB"),
    ("news", "KØBENHAVN (Ritzau) - Regeringen har besluttet.", "Ritzau"),
    ("news", "PRAHA (ČTK) - Vláda schválila.", "ČTK"),
    ("news", "SYDNEY (AAP) - The premier said.", "Australian Associated Press"),
    ("news", "MOSKAU (Interfax) - Die Regierung erklärte.", "Interfax"),
    ("news", "Le gouvernement a tranché lundi. (Avec AFP)", "Agence France-Presse"),
    ("news", "El Gobierno aprobó la ley. Con información de EFE.", "Agencia EFE"),
    ("news", "Il governo ha deciso ieri. Con Ansa", "ANSA"),
    ("chrome", "Źródło: PAP", "Polska Agencja Prasowa"),
    ("chrome", "Por Agencia EFE", "Agencia EFE"),
]


@pytest.mark.parametrize("label,text,name", WIRE)
def test_wire_datelines_of_more_agencies(reg, label, text, name):
    dets = detect_sources(page([(label, text)]), reg)
    assert name in roles(dets, "wire"), [(d["name"], d["role"]) for d in dets]


@pytest.mark.parametrize("lang,text,name", [
    ("it", "Riferisce l'Ansa che il voto è rinviato.", "ANSA"),
    ("it", "In un'intervista a Repubblica, il sindaco ha spiegato tutto.", "la Repubblica"),
    ("fr", "Le ministre a confié au Parisien qu'il restait.", "Le Parisien"),
    ("de", "Der Minister sagte dem Tagesspiegel, er bleibe.", "Der Tagesspiegel"),
    ("no", "Det opplyser politiet til NRK.", "NRK"),
])
def test_cited_outlet_with_article_dropped_or_sentence_initial_cue(reg, lang, text, name):
    assert name in roles(detect_sources(page([("news", text)], lang=lang), reg), "cited")


def test_short_names_need_their_own_spelling(reg):
    """ "according to Dr Smith" is not Denmark's DR."""
    assert roles(detect_sources(page([("news", "The risk is low, according to Dr Smith.")], lang="en"), reg),
                 "cited") == set()


@pytest.mark.parametrize("lang,label,text,name,role", [
    ("zh", "news", "北京1月20日电（新华社）", "Xinhua News Agency", "wire"),
    ("zh", "news", "（路透社）", "Reuters", "wire"),
    ("ja", "chrome", "日本代表の選手たち（Ｃ）共同通信社", "Kyodo News", "photo"),
    ("ja", "chrome", "写真：ロイター", "Reuters", "photo"),
])
def test_credits_in_chinese_and_japanese_script(reg, lang, label, text, name, role):
    dets = detect_sources(page([(label, text, "figcaption < figure")], lang=lang), reg)
    assert name in roles(dets, role), [(d["name"], d["role"]) for d in dets]


def test_source_with_two_roles_is_reported_in_both(reg):
    dets = detect_sources(page([
        ("chrome", "Foto: Michael Kappeler/dpa", "figcaption < figure"),
        ("news", "BERLIN (AFP) - Die Regierung hat entschieden."),
        ("chrome", "Die Kanzlerin in Berlin. AFP", "figcaption < figure"),
    ], lang="de"), reg)
    assert {("Agence France-Presse", "wire"), ("Agence France-Presse", "photo")} <= {(d["name"], d["role"]) for d in dets}


def test_publisher_credited_for_its_own_picture(reg):
    dets = detect_sources(page([("chrome", "Foto: Seznam Zprávy", "div.caption < figure")], lang="cs",
                               url="https://www.seznamzpravy.cz/clanek/x", meta={"site_name": "Seznam Zprávy"}), reg)
    assert {d["role"] for d in dets if d["name"] == "Seznam Zprávy"} == {"publisher", "photo"}
