"""The HTML report: self-contained, labelled in text as well as colour, readable by keyboard.

Why: the report is what a reader opens, often offline or from an archive, so
it must load nothing from the network; a label must never be told by colour
alone; the label colours must meet WCAG AA contrast; and the scores must be
reachable with the keyboard, not only on mouse hover.  The static checks run
everywhere; the browser checks need Debian's ``chromium`` package and
Playwright for Python (its own browser download is never used) and are
skipped without them.  The parts that need the shipped model are skipped
when ``src/sourcecheck/weights/default`` is missing.
"""

from __future__ import annotations

import io
import os
import re
import shutil
from pathlib import Path

import pytest

from sourcecheck.article import LABELS, Article, Segment
from sourcecheck.render import write_html
from sourcecheck.render.html import COLOURS, article_html

ROOT = Path(__file__).resolve().parent.parent
MODEL_META = ROOT / "src" / "sourcecheck" / "weights" / "default" / "metadata.json"
EXAMPLES = ROOT / "examples"
CHROMIUM = os.environ.get("SOURCECHECK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


# --- articles -------------------------------------------------------------

def _seg(i: int, text: str, label: str, p: float = 0.8, initial: str | None = None) -> Segment:
    rest = (1.0 - p) / 2
    scores = {k: (p if k == label else rest) for k in LABELS}
    init = initial or label
    return Segment(index=i, text=text, label=label, scores=scores, initial_label=init,
                   initial_scores={k: (0.6 if k == init else 0.2) for k in LABELS})


def hand_article() -> Article:
    """An invented article built by hand: all three labels, a revised label, a source with notes."""
    lines = [
        ("Home | World | Business", "chrome", None),
        ("Harbour town votes to build a second pier", "news", None),
        ("The council of Westhaven approved a second pier on Monday, according to Reuters.", "news", None),
        ("Sea trials", "news", "chrome"),
        ("Share | Print | <script>alert(1)</script>", "chrome", None),
        ("Independent journalism is under threat: stand with us and keep this site free.", "advocacy", None),
    ]
    segs = [_seg(i, t, lab, initial=init) for i, (t, lab, init) in enumerate(lines)]
    evidence = [{"segment": 2, "start": 60, "end": 80, "text": "according to Reuters", "cue": "according_to",
                 "confidence": 0.85}]
    notes = [{"kind": "fact", "claim": "type", "value": "international news agency",
              "citation": {"title": "An invented citation <title>", "url": "https://example.org/reuters?a=1&b=2"},
              "as_of": "2024-12"},
             {"kind": "rating", "claim": "rating", "value": "not a link",
              "citation": {"title": "A bad link", "url": "javascript:alert(1)"}, "as_of": None}]
    sources = [{"source_id": "reuters", "name": "Reuters", "role": "cited", "confidence": 0.85,
                "evidence": evidence, "notes": notes}]
    return Article(input="hand.txt", kind="text", text="\n".join(t for t, _, _ in lines), segments=segs,
                   lang="en", model={"name": "hand", "version": "0"}, sources=sources)


def empty_sources_article() -> Article:
    return Article(input="plain.txt", kind="text", text="One line.", segments=[_seg(0, "One line.", "news")])


def real_articles() -> list[Article]:
    """The examples scored by the shipped model (empty when the model is missing)."""
    if not MODEL_META.is_file():
        return []
    from sourcecheck.pipeline import score

    files = sorted(p for p in EXAMPLES.glob("*") if p.suffix in (".txt", ".html"))
    return [score(p.read_bytes(), name=p.name) for p in files]


def render(articles) -> str:
    buf = io.StringIO()
    write_html(articles, buf)
    return buf.getvalue()


@pytest.fixture(scope="module")
def page() -> str:
    return render(real_articles() + [hand_article(), empty_sources_article()])


# --- static checks ----------------------------------------------------------

def _tree(html: str):
    import lxml.html

    return lxml.html.document_fromstring(html)


def test_self_contained(page):
    doc = _tree(page)
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        for attr in ("src", "srcset", "data", "poster", "background", "action", "formaction"):
            assert not el.get(attr), f"<{el.tag} {attr}=...> loads a resource"
        if el.tag in ("link", "script", "iframe", "img", "object", "embed", "base", "meta") and el.get("href"):
            raise AssertionError(f"<{el.tag} href> loads a resource")
        if el.tag == "meta" and (el.get("http-equiv") or "").lower() == "refresh":
            raise AssertionError("meta refresh")
        style = el.get("style") or ""
        assert "url(" not in style
    css = " ".join(s.text_content() for s in doc.iter("style"))
    assert "url(" not in css and "@import" not in css
    # only plain links, to in-page anchors or to citations over http(s)
    for a in doc.iter("a"):
        href = a.get("href") or ""
        assert href.startswith("#") or href.startswith(("https://", "http://")), href
    assert not list(doc.iter("script")), "the report needs no script"


def test_legend_tags_and_focusable_segments(page):
    doc = _tree(page)
    legend = doc.find_class("sc-legend")
    assert len(legend) == 1
    text = legend[0].text_content()
    for lab in LABELS:
        assert lab.upper() in text
        assert legend[0].find_class(f"sc-{lab}"), f"legend lacks the {lab} tag"
    segs = doc.find_class("sc-seg")
    assert segs
    for li in segs:
        assert li.get("tabindex") == "0"
        tag = li.find_class("sc-tag")[0].text_content()
        assert tag == (li.get("data-label") or "").upper(), "every segment has a text tag of its label"
        tip = doc.get_element_by_id(li.get("aria-describedby"))
        assert all(f"p({lab})" in tip.text_content() for lab in LABELS)


def test_revised_label_and_escaping():
    html = render([hand_article()])
    doc = _tree(html)
    seg3 = doc.get_element_by_id("a1-s3")
    assert "context-free label: chrome" in seg3.text_content()
    assert "context-free" not in doc.get_element_by_id("a1-s2").text_content()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "An invented citation &lt;title&gt;" in html
    assert 'href="https://example.org/reuters?a=1&amp;b=2"' in html
    assert "javascript:" not in html.replace("javascript:alert(1)", "") or 'href="javascript' not in html
    assert 'href="javascript' not in html


def test_sources_panel():
    html = render([hand_article(), empty_sources_article()])
    doc = _tree(html)
    panels = doc.find_class("sc-sources")
    assert len(panels) == 2
    first = panels[0].text_content()
    assert "Reuters" in first and "cited" in first and "according to Reuters" in first
    # the cue in plain words, never its id (which stays in data-cue)
    assert "“according to …”" in first and "according_to" not in first and "segment 2" in first
    assert panels[0].xpath(".//*[@data-cue='according_to']")
    assert "international news agency" in first and "as of 2024-12" in first
    assert panels[0].xpath(".//a[@href='#a1-s2']"), "evidence links to its segment"
    assert "No sources detected." in panels[1].text_content()


def test_summary_bar_shares():
    art = hand_article()
    doc = _tree(render([art]))
    text = doc.find_class("sc-shares")[0].text_content()
    for lab, share in art.shares().items():
        assert f"{lab.upper()}{100 * share:.0f}%" in text.replace(" ", "")


def test_article_fragment_for_notebooks():
    frag = article_html(hand_article())
    assert not frag.lstrip().lower().startswith("<!doctype") and "<html" not in frag
    assert "<style>" in frag and "sc-legend" in frag and "Reuters" in frag
    other = article_html(hand_article())
    ids = set(re.findall(r'id="([^"]+)"', frag))
    assert ids and not ids & set(re.findall(r'id="([^"]+)"', other)), "two fragments in one notebook share no id"


def _luminance(hex_colour: str) -> float:
    h = hex_colour.lstrip("#")
    rgb = [int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _ratio(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.mark.parametrize("label", list(COLOURS))
def test_palette_contrast(label):
    c = COLOURS[label]
    assert _ratio(c["fg"], c["bg"]) >= 4.5
    assert _ratio(c["tag_fg"], c["tag_bg"]) >= 4.5


def test_cli_report(tmp_path):
    if not MODEL_META.is_file():
        pytest.skip("the shipped model (src/sourcecheck/weights/default) is missing")

    from conftest import run_cli

    src = next(p for p in sorted(EXAMPLES.glob("*.txt")))
    out = tmp_path / "report.html"
    res = run_cli("report", str(src), "-o", str(out))
    assert res.exit_code == 0, res.output
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "sc-legend" in html and "sc-seg" in html
    assert "Sources" in html


# --- in a headless browser --------------------------------------------------

CONTRAST_JS = """
() => {
  const parse = s => { const m = s.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const bgOf = el => { const layers = [];
    for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; } }
    let out = [255, 255, 255];
    for (const c of layers.reverse()) out = out.map((v, i) => c[i] * c[3] + v * (1 - c[3]));
    return out; };
  const lum = rgb => { const l = rgb.map(v => { v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2]; };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const out = {};
  for (const lab of ["news", "chrome", "advocacy"]) {
    for (const [what, sel] of [["tag", `.sc-seg .sc-tag.sc-${lab}`], ["text", `.sc-seg.sc-${lab} .sc-text`],
                               ["legend", `.sc-legend .sc-tag.sc-${lab}`], ["bar", `.sc-bar .sc-${lab}`]]) {
      const el = document.querySelector(sel); if (!el) continue;
      const fg = parse(getComputedStyle(el).color);
      out[`${lab} ${what}`] = ratio(fg.slice(0, 3), bgOf(el));
    }
  }
  return out;
}
"""


@pytest.fixture(scope="module")
def browser():
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.skip(f"{CHROMIUM} not installed (Debian packages chromium, chromium-driver)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (Python) not installed")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def test_in_browser(browser, page, tmp_path):
    path = tmp_path / "report.html"
    path.write_text(page, encoding="utf-8")
    ctx = browser.new_context(viewport={"width": 1100, "height": 900})
    tab = ctx.new_page()
    tab.set_default_timeout(15000)
    requests: list[str] = []
    tab.on("request", lambda r: requests.append(r.url))
    tab.goto(path.as_uri())
    tab.wait_for_load_state("load")
    shot = tmp_path / "report.png"
    tab.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10000
    assert [u for u in requests if not u.startswith("file:")] == [], "the page loaded something from outside"

    # the legend, the marks and the sources panel are visible
    assert tab.locator(".sc-legend").is_visible()
    for lab in LABELS:
        assert tab.locator(f".sc-legend .sc-tag.sc-{lab}").is_visible()
    seg_tags = tab.locator(".sc-seg .sc-tag")
    assert seg_tags.count() >= 6 and seg_tags.first.is_visible()
    assert tab.locator(".sc-sources").first.is_visible()
    assert tab.get_by_text("No sources detected.").is_visible()
    assert tab.locator(".sc-bar").first.is_visible()

    # label colours as the browser computes them: WCAG AA
    ratios = tab.evaluate(CONTRAST_JS)
    for lab in LABELS:
        assert f"{lab} tag" in ratios and f"{lab} text" in ratios, ratios
    low = {k: round(v, 2) for k, v in ratios.items() if v < 4.5}
    assert not low, f"contrast below 4.5:1: {low}"

    # scores hidden at first, shown on keyboard focus
    first = tab.locator(".sc-seg").first
    assert not first.locator(".sc-tip").is_visible()
    tab.keyboard.press("Tab")
    focused = tab.evaluate("() => [document.activeElement.className, document.activeElement.id]")
    assert "sc-seg" in focused[0], focused
    tip = tab.locator(f"#{focused[1]} > .sc-tip")
    assert tip.is_visible()
    assert all(f"p({lab})" in tip.inner_text() for lab in LABELS)
    tab.keyboard.press("Tab")
    nxt = tab.evaluate("() => document.activeElement.id")
    assert nxt != focused[1] and tab.locator(f"#{nxt} > .sc-tip").is_visible()
    assert not tip.is_visible(), "the scores of a segment that lost focus are hidden again"

    # and on hover
    last = tab.locator(".sc-seg").last
    last.hover()
    assert last.locator(".sc-tip").is_visible()
    tab.screenshot(path=str(tmp_path / "report-focus.png"))
    keep = os.environ.get("SOURCECHECK_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / "report.png")
        shutil.copy(tmp_path / "report-focus.png", Path(keep) / "report-focus.png")
    ctx.close()


def test_seeds_in_browser(browser, tmp_path):
    """The report of the seed articles: RT DE's appeal marked advocacy, China.org.cn's comment widgets chrome."""
    from conftest import model_available

    from sourcecheck.corpora import have_shared, shared_dir

    if not (model_available() and have_shared()):
        pytest.skip("needs the shipped model and ../shared/seeds")
    from sourcecheck import score

    seeds = shared_dir() / "seeds"
    articles = [score(p.read_bytes(), name=p.name) for p in sorted(seeds.glob("00[12]_*.txt"))]
    path = tmp_path / "seeds.html"
    path.write_text(render(articles), encoding="utf-8")
    ctx = browser.new_context(viewport={"width": 1100, "height": 900})
    tab = ctx.new_page()
    tab.goto(path.as_uri())
    tab.wait_for_load_state("load")
    appeal = tab.locator(".sc-seg", has_text="Durch die Sperrung von RT").first
    appeal.scroll_into_view_if_needed()
    assert appeal.is_visible() and appeal.get_attribute("data-label") == "advocacy"
    assert appeal.locator(".sc-tag").inner_text().strip().lower() == "advocacy"
    for widget in ("Add your comments...", "No comments.", "User Name Required", "Your Comment"):
        seg = tab.locator(".sc-seg", has_text=widget).first
        assert seg.is_visible() and seg.get_attribute("data-label") == "chrome", widget
    panel = tab.locator(".sc-sources", has_text="RT").first
    assert panel.is_visible()
    shot = tmp_path / "seeds.png"
    tab.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10000
    keep = os.environ.get("SOURCECHECK_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / "seeds.png")
    ctx.close()
