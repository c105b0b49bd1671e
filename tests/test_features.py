"""Bulk feature code gives, segment by segment, what the plain Python definitions give."""

from __future__ import annotations

import re

import numpy as np
import pytest

from sourcecheck.article import Segment
from sourcecheck.cues import CUE_NAMES, cue_matrix
from sourcecheck.features import (N_CHAR, N_WORD, TEXT_NUMERIC, comment_marks, credit_lines, featurize, held_lines, label_lines,
                                  text_numeric)
from sourcecheck.textarrays import Joined, char_props, codepoints, hash_char_ngrams, hash_words, words_at_boundary

TEXTS = [
    "Die Regierung hat am Dienstag neue Regeln beschlossen. Sie gelten ab Mai!",
    "Share",
    "Adjust font size:",
    "Émile Zoë said: “We’ll see.” — naïve café",
    "日本語のテキスト。次の文！",
    "emoji 😀 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 letters",
    "HomeNewsSportWeather",
    "• a bullet item",
    "Foto: Reuters",
    "x" * 700 + " END.",
    "Support independent journalism: donate now so we stay free of billionaires.",
]


def _col(table, name):
    return table[:, TEXT_NUMERIC.index(name)]


def test_char_props_match_python_everywhere_including_astral_planes():
    s = "aZ9_ \t€😀𝔘٣"
    props = char_props(codepoints(s))
    for c, p in zip(s, props):
        assert bool(p & 1) == c.isalpha() and bool(p & 2) == c.isdigit() and bool(p & 4) == c.isupper()
        assert bool(p & 16) == c.isspace()


def test_numeric_columns_equal_their_plain_definitions():
    docs = [[Segment(index=i, text=t, context={}) for i, t in enumerate(TEXTS)]]
    num = text_numeric(docs)
    for i, t in enumerate(TEXTS):
        words = re.findall(r"\w+", t)
        head = t[:600]
        letters = sum(c.isalpha() for c in head) or 1
        assert _col(num, "log_words")[i] == pytest.approx(np.log1p(len(words)))
        assert _col(num, "mean_word_len")[i] == pytest.approx(sum(map(len, words)) / max(len(words), 1), rel=1e-5)
        assert _col(num, "upper_ratio")[i] == pytest.approx(sum(c.isupper() for c in head) / letters, rel=1e-5)
        assert _col(num, "digit_ratio")[i] == pytest.approx(sum(c.isdigit() for c in head) / max(len(head), 1))
        assert _col(num, "n_sentences")[i] == min(len(re.findall(r"[.!?。！？](\s|$)", t)), 20)
        assert _col(num, "one_word")[i] == (len(words) == 1)
    assert _col(num, "ends_colon")[2] == 1 and _col(num, "ends_colon")[0] == 0
    assert _col(num, "credit")[8] == 1 and _col(num, "bullet")[7] == 1
    assert _col(num, "ends_sentence")[0] == 1 and _col(num, "ends_sentence")[2] == 0
    # the first segment of 150+ characters is where the body starts
    assert list(_col(num, "before_first_long")[[0, 8, 9, 10]]) == [1, 1, 0, 0]


def test_cues_equal_per_text_regexes():
    from sourcecheck.cues import _COMPILED, GROUPS

    m = cue_matrix(TEXTS)
    assert m.shape == (len(TEXTS), len(CUE_NAMES))
    for i, t in enumerate(TEXTS):
        low = t[:1500].lower()
        scale = 1.0 + max(len(low.split()), 1) / 40.0
        for k, g in enumerate(GROUPS):
            assert m[i, k] == pytest.approx(min(len(_COMPILED[g].findall(low)), 6) / scale)
    assert m[TEXTS.index(TEXTS[-1]), CUE_NAMES.index("cue_ask_x_value_independence")] == 1


def test_hashed_ngrams_are_per_segment_normalised_and_position_free():
    texts = ["Share this", "a", "", "Share this"]
    for X, n in ((hash_char_ngrams(texts, N_CHAR), N_CHAR), (hash_words(texts, N_WORD), N_WORD)):
        assert X.shape == (4, n)
        X = X.to_scipy()
        dense_norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
        assert dense_norms[0] == pytest.approx(1.0, rel=1e-5) and dense_norms[1] == pytest.approx(1.0, rel=1e-5)
        # the same text hashes the same wherever it stands in the batch
        assert (X[0] != X[3]).nnz == 0
    # n-grams never run from one text into the next: "a" alone has the n-grams of " a " only
    assert hash_char_ngrams(["a"], N_CHAR)[0].nnz == hash_char_ngrams(["x", "a", "y"], N_CHAR)[1].nnz == 3
    # word bigrams: "share this" has two unigrams and one bigram
    assert hash_words(["Share this"], N_WORD).nnz == 3


def test_joined_counts_locate_every_text():
    j = Joined(["ab", "", "cde"])
    assert list(j.starts) == [0, 3, 4] and list(j.lens) == [2, 0, 3]
    assert list(j.regex_counts(re.compile(r"[a-e]"))) == [2, 0, 3]
    assert list(j.window_sum((j.props & 1) > 0, 2)) == [2, 0, 2]


def test_featurize_batches_equal_single_documents():
    docs = [[Segment(index=i, text=t, context={}) for i, t in enumerate(TEXTS[:6])],
            [Segment(index=i, text=t, context={}) for i, t in enumerate(TEXTS[6:])]]
    both = featurize(docs, "text")
    one = featurize(docs[1:], "text")
    n0 = len(docs[0])
    assert np.allclose(both.dense[n0:], one.dense)
    assert (both.sparse[n0:].to_scipy() != one.sparse.to_scipy()).nnz == 0
    assert list(both.doc) == [0] * n0 + [1] * len(docs[1])


def test_class_words_of_a_block_and_its_ancestors():
    from sourcecheck.features import HTML_NUMERIC, html_numeric

    segs = [Segment(index=0, text="Great post!", context={"own_tokens": ["comments"], "anc_tokens": ["article", "body"]}),
            Segment(index=1, text="Home", context={"own_tokens": [], "anc_tokens": ["nav", "menu"]})]
    num = html_numeric(segs)
    col = {n: num[:, i] for i, n in enumerate(HTML_NUMERIC)}
    assert list(col["own_comment"]) == [1, 0] and list(col["anc_content"]) == [1, 0]
    assert list(col["anc_nav"]) == [0, 1] and list(col["own_nav"]) == [0, 0]


def test_blocks_of_one_kind_share_a_number_whatever_their_digits_and_parents():
    from sourcecheck.features import kinds

    def seg(path):
        return Segment(index=0, text="x", dom_path=path, context={"tag": path.split(".")[0]})

    page = [seg("p < div.body < article < main"),
            seg("div.comment-17 < li < ol.thread < section"),
            seg("p < div.body < article < main"),  # the same path: the first's kind
            seg("div.comment-18 < li < ol.thread < section"),  # digits aside, the comment's kind
            seg("div.comment-19 < li < ul.replies < li")]  # another thread level: its own full kind, same near kind
    other_page = [seg("h1 < header < body"), seg("p < div.body < article < main")]
    got = kinds([page, other_page])
    assert got[:, 0].tolist() == [0, 1, 0, 1, 2, 0, 1]  # numbered per page, in order of first sight
    assert got[:, 1].tolist() == [0, 1, 0, 1, 1, 0, 1]
    assert featurize([page], "html").kinds.tolist() == got[:5].tolist()
    assert featurize([page], "text").kinds is None


def test_char_ngrams_within_words_never_span_a_space():
    cross = hash_char_ngrams(["ab cd"], N_CHAR)
    within = hash_char_ngrams(["ab cd"], N_CHAR, within_words=True)
    # " ab cd ": within words, the n-grams of " ab " and " cd " (2-grams 3+3, 3-grams 2+2, 4-grams 1+1 = 12),
    # of which none is shared; across words there are more (e.g. "b c", "ab c")
    assert within.nnz == 12
    assert cross.nnz > within.nnz


def test_words_at_boundary_matches_the_plain_word_boundary_pattern():
    # the fast form must find exactly the spans of ``\b(?:w1|w2|...)`` (same alternative order), on text
    # where words start mid-token, after punctuation, digits, underscores and non-Latin letters
    words = ("ban", "unser\\w*", "uns", "nós", "ap photo", "eure[mnrs]?")
    plain = re.compile(r"\b(?:" + "|".join(words) + r")\b")
    fast = re.compile("(?:" + words_at_boundary(*words) + r")\b")
    text = ("ban urban ban_ _ban ban2 2ban (ban) ünsban unsere uns unser unserem xuns nós anós nósso "
            "ap photo, cap photo eurem eure euro.ban—ban Кban ban\n" * 3)
    assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)]
    assert len(plain.findall(text)) > 20
    with pytest.raises(ValueError):
        words_at_boundary("\\d+")


def test_label_lines_are_single_words_and_colon_lines_above_the_body():
    long = "The ferry left the harbour at dawn, and by noon the island's only road was full of cars. " * 2
    texts = ["Politik", "Text size:", "Ferry service resumes", "市场新闻标题", long, "Sport", "Share:"]
    doc = [Segment(index=i, text=t) for i, t in enumerate(texts)]
    assert label_lines([doc]).tolist() == [True, True, False, False, False, False, False]
    # a page without a long line: every label-like line is above the body
    assert label_lines([doc[:2], [Segment(index=0, text="Menu")]]).tolist() == [True, True, True]


def test_credit_lines_end_in_a_credit_and_are_short():
    texts = ["The ferry at dawn. Photo: Reuters", "Alibaba und Mail.ru geben Partnerschaft bekannt Quelle: AFP",
             "© 2026 Example Media", "Source: the ministry said on Monday that the ferry will run again.",
             "He said: it runs.", "A long paragraph " * 30 + "Foto: dpa"]
    doc = [Segment(index=i, text=t) for i, t in enumerate(texts)]
    assert credit_lines([doc]).tolist() == [True, True, True, False, False, False]
    # held: the label lines above the body and the credit lines
    menu = [Segment(index=0, text="Politik"), Segment(index=1, text="x" * 200), Segment(index=2, text="Foto: dpa")]
    assert held_lines([menu]).tolist() == [True, False, True]
    assert featurize([menu], "text").held.tolist() == [True, False, True]


def test_comment_marks_find_section_headings_and_bylines():
    texts = ["23 Comments", "Kommentare (4)", "Leave a Reply", "Jane Doe says:", "May 3, 2019 at 4:15 pm",
             "3. Mai 2019 um 16:15 Uhr", "Reply", "Antworten",
             # prose that happens to contain the words, and a heading too long to be one
             "The minister says the ferry will run again, and the comments of the operator agree.",
             "Comments from the minister on the ferry service were welcomed by the islanders today",
             "He said it at 4:15 pm on Monday, and then he left the harbour with the others.",
             "Ferry service resumes"]
    doc = [Segment(index=i, text=t) for i, t in enumerate(texts)]
    assert comment_marks([doc]).tolist() == [1, 1, 1, 2, 2, 2, 2, 2, 0, 0, 0, 0]
    assert featurize([doc], "text").marks.tolist() == comment_marks([doc]).tolist()
    assert featurize([doc], "html").marks is None
