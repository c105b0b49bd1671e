"""Related-link lead-ins: found by their own words, and never news after the revise stage."""

from __future__ import annotations

import numpy as np

from sourcecheck.model.rules import TEASER_NEWS_CAP, decide, hold_teasers
from sourcecheck.teasers import MAX_CHARS, teaser_lead_ins

from conftest import needs_model


def test_lead_ins_need_the_phrase_at_the_start_and_a_delimiter_after_it():
    texts = [
        "Lesen Sie auch: Der Hafen bekommt eine neue Fähre",
        "» Read more: Council votes on the ferry budget",
        "À lire aussi : Le port investit",
        "Czytaj też: Prom wraca na trasę",
        "Mehr zum Thema",
        "Schon gelesen?",
        "Mira: el video del accidente",
        "À lire aussi La natalité russe en baisse",  # several words, straight into the headline
        "Mehr zum Thema Fährverkehr",
        # not lead-ins: the word starts a sentence, sits inside it, or the segment is a paragraph
        "Mira Nair directed the film in 2001.",
        "Related to the ferry, the council also voted on parking.",
        "See also the council's report on parking.",
        "The mayor said readers should read more: the report is public.",
        "Read more: " + "x" * MAX_CHARS,
    ]
    assert teaser_lead_ins(texts).tolist() == [True] * 9 + [False] * 5


def test_a_lead_in_keeps_at_most_a_small_news_score_and_is_chrome():
    # classes_ order: advocacy, chrome, news
    revised = np.array([[0.0, 0.1, 0.9], [0.1, 0.2, 0.7], [0.0, 0.9, 0.1]])
    teasers = np.array([True, False, True])
    out = hold_teasers(revised, teasers)
    np.testing.assert_allclose(out[0], [0.0, 0.98, TEASER_NEWS_CAP])
    np.testing.assert_allclose(out[1], revised[1])
    np.testing.assert_allclose(out[2], [0.0, 0.98, TEASER_NEWS_CAP])
    np.testing.assert_allclose(out.sum(axis=1), 1.0)
    # not even the fallback of a page with little news takes it
    assert decide(out, np.zeros(3, int), np.array([40, 200, 40])).tolist() == ["chrome", "news", "chrome"]
    assert hold_teasers(revised, None) is revised


@needs_model
def test_a_lead_in_inside_an_article_is_chrome_end_to_end(model):
    from sourcecheck import score_html

    body = " ".join(["The harbour authority confirmed on Monday that the new ferry will enter service in May,"
                     " after two years of delays caused by a dispute over the engines."] * 3)
    html = (f"<html><head><title>Ferry to enter service in May</title></head><body><article>"
            f"<h1>Ferry to enter service in May</h1><p>{body}</p>"
            f"<p>Read more: <a href='/council-budget'>Council approves the harbour budget</a></p>"
            f"<p>{body.replace('Monday', 'Tuesday')}</p></article></body></html>")
    art = score_html(html, model=model)
    seg = next(s for s in art.segments if s.text.startswith("Read more:"))
    assert seg.label == "chrome"
    assert seg.scores["news"] <= TEASER_NEWS_CAP + 1e-9
