"""Segmentation and decoding: offsets, glued chrome, bullets, HTML blocks, bad bytes."""

from __future__ import annotations

import pytest

from sourcecheck.segment.decode import InputError, decode, looks_like_html
from sourcecheck.segment.html import segment_html
from sourcecheck.segment.text import segment_text

from conftest import EXAMPLES


def test_text_offsets_point_into_input():
    text = "  Title line  \r\n\r\nFirst paragraph.\n\n\t• item one\nSend your storiesGet moreRSS\n"
    segs = segment_text(text)
    assert [s.text for s in segs] == ["Title line", "First paragraph.", "• item one", "Send your storiesGet moreRSS"]
    for s in segs:
        assert text[s.start:s.end] == s.text
    assert segs[0].context["blank_before"] and segs[0].context["blank_after"]
    assert not segs[2].context["blank_after"]


def test_text_without_final_newline_and_unicode():
    text = "Größe – ok\nÜber uns 😀"
    segs = segment_text(text)
    assert [text[s.start:s.end] for s in segs] == ["Größe – ok", "Über uns 😀"]


def test_html_blocks_nested_and_inline():
    html = ("<html><head><title>T</title><script>var x=1</script></head><body>"
            "<div class='nav'><a href='/'>Home</a><a href='/x'>News</a></div>"
            "<article><h1>Headline here</h1><p>Some <b>bold</b> text, and <a href='#'>a link</a>.</p>"
            "<div>outer <p>inner para</p> tail text</div></article></body></html>")
    page = segment_html(html)
    texts = [s.text for s in page.segments]
    assert "HomeNews" in texts
    assert "Some bold text, and a link." in texts
    assert "inner para" in texts and "outer tail text" in texts
    assert texts.index("outer tail text") < texts.index("inner para")  # document order of the opening tag
    link = next(s for s in page.segments if s.text == "HomeNews")
    assert link.context["link_chars"] == len("HomeNews")
    art = next(s for s in page.segments if s.text.startswith("Some bold"))
    assert "article" in art.context["flags"]
    assert all("var x" not in t for t in texts)
    for s in page.segments:
        assert page.text[s.start:s.end] == s.text


def test_html_block_text_has_no_invisible_characters():
    # soft hyphens and zero-width spaces cut words a reader sees whole; a block of nothing else is no block
    html = ("<html><head><title>Auto&shy;nome Forschung</title></head><body>"
            "<p>Sans recherche auto&shy;nome, nous n\u2019avons pas d\u2019avenir.</p>"
            "<p>long&#8203;url&#8203;part and a word\u2060joiner \ufeffhere</p>"
            "<div>&shy;&#8203;</div><p>\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645</p></body></html>")
    page = segment_html(html)
    texts = [s.text for s in page.segments]
    assert texts == ["Sans recherche autonome, nous n\u2019avons pas d\u2019avenir.",
                     "longurlpart and a wordjoiner here",
                     "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"]  # a zero-width non-joiner stays
    assert page.meta["title"] == "Autonome Forschung"


def test_html_meta_and_title_flag():
    page = segment_html((EXAMPLES / "ferry.html").read_text(encoding="utf-8"))
    assert page.meta["site_name"] == "The Riverside Courier"
    assert page.meta["url"].startswith("https://riverside-courier.example/")
    title = [s for s in page.segments if s.context.get("is_title")]
    assert [s.context["tag"] for s in title] == ["h1"]


def test_deeply_nested_html_does_not_crash():
    html = "<div>" * 5000 + "deep text" + "</div>" * 5000
    page = segment_html(html)
    assert any("deep text" in s.text for s in page.segments)


@pytest.mark.parametrize("data,msg", [
    (b"", "empty"), (b"   \n ", "empty"), (b"\x00\x01\x02binary\x00" * 50, "binary"),
])
def test_decode_refuses(data, msg):
    with pytest.raises(InputError, match=msg):
        decode(data)


def test_decode_charsets():
    assert decode("Grüße".encode("utf-8"))[0] == "Grüße"
    latin = '<html><head><meta charset="iso-8859-1"></head><body><p>Grüße aus Köln</p></body></html>'.encode("latin-1")
    assert "Grüße aus Köln" in decode(latin)[0]
    undeclared = ("Die Straße führt über die Brücke nach Köln, schön und grün. " * 20).encode("cp1252")
    assert "Straße" in decode(undeclared)[0]


def test_decode_size_limit():
    with pytest.raises(InputError, match="too large"):
        decode(b"a" * 101, max_bytes=100)


def test_html_detection():
    assert looks_like_html("<!DOCTYPE html><html><body><p>x</p></body></html>")
    assert not looks_like_html("Plain text with a < sign and 3 > 2.\nSecond line.")


def test_html_blocks_know_their_containers_and_ancestors():
    html = ("<html><body><main class='story-body'><div id='text'><p>One.</p><p>Two.</p></div>"
            "<aside class='related'><div class='teaser'><p>Other story</p></div></aside></main></body></html>")
    segs = {s.text: s for s in segment_html(html).segments}
    one, two, other = segs["One."], segs["Two."], segs["Other story"]
    # siblings share their parent (and grandparent); the teaser's parent is another element
    assert one.context["containers"] == two.context["containers"]
    assert other.context["containers"][0] != one.context["containers"][0]
    assert other.context["containers"][2] == one.context["containers"][1]  # both under <main>
    assert "related" in other.context["anc_tokens"] and "aside" in other.context["flags"]
    assert "aside" not in one.context["flags"] and one.dom_path == "p < div#text < main.story-body < body"
    # built once per parent, but every block owns its lists: changing one leaves its sibling alone
    one.context["anc_tokens"].append("x")
    assert "x" not in two.context["anc_tokens"]
