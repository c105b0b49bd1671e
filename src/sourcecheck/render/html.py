"""A self-contained HTML report: each segment marked by its label, with scores and sources.

The page needs nothing from the network and no script to be read: styles are
inline, the scores of a segment show on hover and on keyboard focus (every
segment is a tab stop) through CSS alone, and a label is always shown as a
text tag as well as a colour.  Label colours are chosen for WCAG AA contrast
(at least 4.5:1 for text on its background); the tests measure it in a
headless browser.

``write_html(articles, out)`` writes a whole page, one article at a time;
``article_html(article)`` returns the fragment of one article, with its
styles, for notebooks (``Article._repr_html_``).
"""

from __future__ import annotations

import uuid
from html import escape
from typing import IO, Any, Iterable

from ..article import LABELS, Article, Segment
from .words import check_words, cue_words, note_value

#: Per label: segment background, segment text, tag background, tag text.
#: Contrast (WCAG relative luminance): text on segment >= 15:1, tag text >= 7:1.
COLOURS: dict[str, dict[str, str]] = {
    "news": {"bg": "#eef5fc", "fg": "#1a1a1a", "tag_bg": "#0b4f8a", "tag_fg": "#ffffff"},
    "chrome": {"bg": "#f0f0f0", "fg": "#1a1a1a", "tag_bg": "#575757", "tag_fg": "#ffffff"},
    "advocacy": {"bg": "#fdf0e6", "fg": "#1a1a1a", "tag_bg": "#9a3412", "tag_fg": "#ffffff"},
    "none": {"bg": "#ffffff", "fg": "#1a1a1a", "tag_bg": "#1a1a1a", "tag_fg": "#ffffff"},
}

DESCRIPTIONS = {
    "news": "the reporter, or people the reporter quotes, telling what happened",
    "chrome": "the website as a machine: navigation, bylines, dates, captions, share and subscribe prompts, ads, footers",
    "advocacy": "the publisher in its own voice, arguing for itself or a cause",
}

ROLE_DESCRIPTIONS = {
    "publisher": "put the page out",
    "wire": "an agency that supplied the text",
    "photo": "an agency that supplied an image",
    "cited": "an outlet the text attributes a claim to",
}

def _e(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _safe_url(url: Any) -> str | None:
    url = str(url or "").strip()
    return url if url.lower().startswith(("http://", "https://")) else None


def _css(scope: str = ".sc-report") -> str:
    rules = [
        f"{scope}{{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif;"
        "color:#1a1a1a;background:#ffffff;line-height:1.5;max-width:60rem;padding:0.5rem 1rem;}",
        f"{scope} h1,{scope} h2,{scope} h3{{line-height:1.25;margin:1rem 0 0.5rem;}}",
        f"{scope} .sc-meta{{color:#4a4a4a;font-size:0.9rem;margin:0 0 0.5rem;}}",
        f"{scope} a{{color:#0b4f8a;}}",
        f"{scope} .sc-legend{{border:1px solid #c8c8c8;border-radius:4px;padding:0.5rem 0.75rem;margin:0.5rem 0 1rem;"
        "font-size:0.9rem;}",
        f"{scope} .sc-legend dl{{display:flex;flex-wrap:wrap;gap:0.5rem 1.25rem;align-items:baseline;margin:0 0 0.4rem;}}",
        f"{scope} .sc-legend dt{{display:inline;}}",
        f"{scope} .sc-legend dd{{display:inline;margin:0 0 0 0.25rem;color:#1a1a1a;}}",
        f"{scope} .sc-legend dl>div{{max-width:28rem;}}",
        f"{scope} .sc-legend p{{margin:0;}}",
        f"{scope} .sc-tag{{display:inline-block;font-size:0.7rem;font-weight:700;letter-spacing:0.04em;"
        "padding:0.05rem 0.35rem;border-radius:3px;margin-right:0.5rem;vertical-align:0.1em;white-space:nowrap;}",
        f"{scope} .sc-segs{{list-style:none;padding:0;margin:0.5rem 0;}}",
        f"{scope} .sc-seg{{position:relative;margin:0 0 0.3rem;padding:0.3rem 0.5rem 0.3rem 0.6rem;"
        "border-left:5px solid transparent;border-radius:2px;}",
        f"{scope} .sc-seg:focus{{outline:3px solid #1a1a1a;outline-offset:1px;}}",
        f"{scope} .sc-seg:hover{{box-shadow:0 0 0 1px #1a1a1a;}}",
        f"{scope} .sc-num{{font-size:0.75rem;color:#4a4a4a;margin-right:0.4rem;font-variant-numeric:tabular-nums;}}",
        f"{scope} .sc-rev{{font-weight:700;margin:0 0.35rem 0 -0.2rem;}}",
        f"{scope} .sc-tip{{display:none;position:absolute;z-index:10;left:2rem;top:100%;margin-top:2px;"
        "background:#1a1a1a;color:#ffffff;font-size:0.8rem;padding:0.35rem 0.6rem;border-radius:4px;"
        "width:max-content;max-width:min(36rem,85%);box-shadow:0 2px 6px rgba(0,0,0,0.3);}",
        f"{scope} .sc-seg:hover>.sc-tip,{scope} .sc-seg:focus>.sc-tip,{scope} .sc-seg:focus-within>.sc-tip{{display:block;}}",
        f"{scope} .sc-tip span{{display:inline-block;margin-right:0.75rem;white-space:nowrap;}}",
        f"{scope} .sc-tip .sc-path{{white-space:normal;overflow-wrap:anywhere;}}",
        f"{scope} .sc-bar{{display:flex;height:1.6rem;border:1px solid #1a1a1a;border-radius:3px;overflow:hidden;margin:0.25rem 0;}}",
        f"{scope} .sc-bar div{{overflow:hidden;white-space:nowrap;font-size:0.75rem;font-weight:700;line-height:1.6rem;"
        "padding-left:0.3rem;box-sizing:border-box;}",
        f"{scope} .sc-shares{{font-size:0.9rem;margin:0 0 0.5rem;}}",
        f"{scope} .sc-shares span{{margin-right:1rem;}}",
        f"{scope} .sc-sources{{border:1px solid #c8c8c8;border-radius:4px;padding:0.25rem 0.75rem 0.5rem;margin:1rem 0;}}",
        f"{scope} .sc-sources>ul{{list-style:none;padding:0;margin:0;}}",
        f"{scope} .sc-source{{border-top:1px solid #dedede;padding:0.5rem 0;}}",
        f"{scope} .sc-source:first-child{{border-top:none;}}",
        f"{scope} .sc-role{{display:inline-block;font-size:0.75rem;font-weight:700;padding:0.05rem 0.4rem;"
        "border:1px solid #1a1a1a;border-radius:3px;margin-left:0.4rem;}",
        f"{scope} .sc-source h4{{margin:0 0 0.25rem;font-size:1rem;}}",
        f"{scope} .sc-source ul{{margin:0.2rem 0;padding-left:1.25rem;font-size:0.9rem;}}",
        f"{scope} .sc-cue{{font-style:italic;}}",
        f"{scope} code{{font-family:ui-monospace,'SFMono-Regular',Menlo,Consolas,monospace;font-size:0.85em;"
        "background:#f0f0f0;color:#1a1a1a;padding:0 0.2rem;border-radius:2px;}",
        f"{scope} .sc-kind{{font-size:0.75rem;color:#4a4a4a;text-transform:uppercase;letter-spacing:0.03em;margin-right:0.3rem;}}",
        f"{scope} .sc-none{{font-style:italic;}}",
        f"{scope} .sc-article{{border-top:2px solid #1a1a1a;margin-top:1.5rem;}}",
    ]
    for lab, c in COLOURS.items():
        rules.append(f"{scope} .sc-seg.sc-{lab}{{background:{c['bg']};color:{c['fg']};border-left-color:{c['tag_bg']};}}")
        rules.append(f"{scope} .sc-tag.sc-{lab},{scope} .sc-bar .sc-{lab}{{background:{c['tag_bg']};color:{c['tag_fg']};}}")
    rules.append("@media print{.sc-tip{display:block!important;position:static!important;}}")
    return "\n".join(rules)


def style_html(scope: str = ".sc-report") -> str:
    """The report's styles as a ``<style>`` element, scoped to ``scope`` (for fragments in notebooks)."""
    return f"<style>{_css(scope)}</style>"


def _tag(label: str | None) -> str:
    lab = label if label in LABELS else "none"
    text = label.upper() if label in LABELS else "UNLABELLED"
    return f'<span class="sc-tag sc-{lab}">{_e(text)}</span>'


def legend_html() -> str:
    """The legend: each label's tag, colour and meaning, and how to read the scores."""
    items = "".join(f"<div><dt>{_tag(lab)}</dt><dd>{_e(DESCRIPTIONS[lab])}</dd></div>" for lab in LABELS)
    return (
        '<section class="sc-legend" aria-label="Legend">'
        f"<dl>{items}</dl>"
        '<p>Hover over or tab to a segment to see its scores. &nbsp;'
        '<span class="sc-rev" aria-hidden="true">&#8224;</span> marks a label that its neighbours changed '
        "from the context-free label.</p></section>"
    )


def _tooltip(seg: Segment, tip_id: str) -> str:
    parts = [f"<span>p({_e(lab)}) {float(seg.scores.get(lab, 0.0)):.2f}</span>" for lab in LABELS]
    if seg.initial_label and seg.initial_label != seg.label:
        p0 = float(seg.initial_scores.get(seg.initial_label, 0.0)) if seg.initial_scores else None
        extra = f" ({p0:.2f})" if p0 is not None else ""
        parts.append(f"<span>context-free label: {_e(seg.initial_label)}{extra}</span>")
    if seg.dom_path:
        path = seg.dom_path if len(seg.dom_path) <= 80 else "…" + seg.dom_path[-79:]
        parts.append(f'<span class="sc-path">at {_e(path)}</span>')
    return f'<span class="sc-tip" role="tooltip" id="{tip_id}">{"".join(parts)}</span>'


def _segment_html(seg: Segment, prefix: str) -> str:
    lab = seg.label if seg.label in LABELS else "none"
    sid = f"{prefix}-s{seg.index}"
    tip_id = f"{sid}-tip"
    revised = bool(seg.initial_label and seg.initial_label != seg.label)
    rev = ('<span class="sc-rev" aria-hidden="true" title="changed by the neighbours">&#8224;</span>'
           if revised else "")
    return (
        f'<li class="sc-seg sc-{lab}" id="{sid}" tabindex="0" data-label="{_e(seg.label or "")}" '
        f'data-index="{seg.index}" aria-describedby="{tip_id}">'
        f'<span class="sc-num">{seg.index}</span>{_tag(seg.label)}{rev}'
        f'<span class="sc-text">{_e(seg.text)}</span>{_tooltip(seg, tip_id)}</li>'
    )


def shares_html(article: Article) -> str:
    """The share of characters under each label, as a bar and as text."""
    shares = article.shares()
    bar = "".join(
        f'<div class="sc-{lab}" style="width:{100 * shares[lab]:.2f}%" title="{lab} {_pct(shares[lab])}">'
        f"{_e(lab) if shares[lab] >= 0.12 else ''}</div>"
        for lab in LABELS if shares[lab] > 0
    )
    text = "".join(f"<span>{_tag(lab)}{_pct(shares[lab])}</span>" for lab in LABELS)
    n = {lab: sum(1 for s in article.segments if s.label == lab) for lab in LABELS}
    counts = ", ".join(f"{n[lab]} {lab}" for lab in LABELS)
    return (
        '<div class="sc-summary">'
        f'<div class="sc-bar" role="img" aria-label="Share of characters: '
        f'{", ".join(f"{lab} {_pct(shares[lab])}" for lab in LABELS)}">{bar}</div>'
        f'<p class="sc-shares">Share of characters: {text} '
        f'<span class="sc-meta">({len(article.segments)} segments: {_e(counts)})</span></p></div>'
    )


def _citation(cit: dict | None) -> str:
    if not cit:
        return '<span class="sc-none">no citation</span>'
    title = cit.get("title") or cit.get("url") or "source"
    url = _safe_url(cit.get("url"))
    if url:
        return f'<a href="{_e(url)}" rel="noopener noreferrer">{_e(title)}</a>'
    return _e(title)


def _evidence_item(ev: dict, prefix: str) -> str:
    seg = ev.get("segment")
    cue = _e(cue_words(ev.get("cue")))
    text = str(ev.get("text") or "")
    if len(text) > 120:
        text = text[:119] + "…"
    conf = ev.get("confidence")
    conf_s = f", confidence {float(conf):.2f}" if isinstance(conf, (int, float)) else ""
    via = f", via {_e(ev['via'])}" if ev.get("via") else ""
    # the cue in plain words; its id stays in data-cue for programs that read the page
    cue_html = f'<span class="sc-cue" data-cue="{_e(ev.get("cue") or "")}">{cue}</span>'
    if isinstance(seg, int):
        return (f'<li><a href="#{prefix}-s{int(seg)}">segment {int(seg)}</a>: <q>{_e(text)}</q> ({cue_html}'
                f"{conf_s}{via})</li>")
    return f"<li>{cue_html}: <q>{_e(text)}</q> ({conf_s.lstrip(', ')}{via})</li>" if conf_s else \
        f"<li>{cue_html}: <q>{_e(text)}</q></li>"


def _note_item(note: dict) -> str:
    kind = str(note.get("kind") or "").replace("_", " ")
    kind_s = f'<span class="sc-kind">{_e(kind)}</span>' if kind else ""
    check = check_words(note) or "as of: not stated"
    return (f"<li>{kind_s}<strong>{_e(note.get('claim'))}</strong>: {_e(note_value(note))} "
            f"[{_citation(note.get('citation'))}; {_e(check)}]</li>")


def sources_html(article: Article, prefix: str) -> str:
    """The sources panel: name, role, evidence (cue and segment) and cited notes of each source."""
    head = f'<section class="sc-sources" aria-labelledby="{prefix}-src"><h3 id="{prefix}-src">Sources</h3>'
    if not article.sources:
        return head + '<p class="sc-none">No sources detected.</p></section>'
    items = []
    for src in article.sources:
        role = str(src.get("role") or "?")
        role_d = ROLE_DESCRIPTIONS.get(role, "")
        conf = src.get("confidence")
        conf_s = f' <span class="sc-meta">confidence {float(conf):.2f}</span>' if isinstance(conf, (int, float)) else ""
        evidence = src.get("evidence") or []
        shown, rest = evidence[:5], evidence[5:]
        ev_html = "".join(_evidence_item(ev, prefix) for ev in shown)
        if rest:
            ev_html += (f"<li><details><summary>{len(rest)} more</summary><ul>"
                        + "".join(_evidence_item(ev, prefix) for ev in rest) + "</ul></details></li>")
        notes = src.get("notes") or []
        notes_html = ("<ul>" + "".join(_note_item(n) for n in notes) + "</ul>") if notes else \
            '<p class="sc-none">No notes in the registry.</p>'
        items.append(
            f'<li class="sc-source" data-source="{_e(src.get("source_id"))}">'
            f'<h4>{_e(src.get("name") or src.get("source_id"))}'
            f'<span class="sc-role" title="{_e(role_d)}">{_e(role)}</span>{conf_s}</h4>'
            + (f'<p class="sc-meta">{_e(role_d)}</p>' if role_d else "")
            + f"<div>Evidence:<ul>{ev_html}</ul></div><div>Notes:{notes_html}</div></li>"
        )
    return head + "<ul>" + "".join(items) + "</ul></section>"


def _title(article: Article) -> str:
    t = (article.meta or {}).get("title")
    if not t:
        t = next((s.text for s in article.segments if s.context.get("is_title")), None)
    return str(t or article.input)


def _article_body(article: Article, prefix: str, heading: str = "h2") -> str:
    meta = article.meta or {}
    bits = [f"input {_e(article.input)}", f"{_e(article.kind)}", f"language {_e(article.lang or '?')}"]
    if meta.get("site_name"):
        bits.append(f"site {_e(meta['site_name'])}")
    if meta.get("url"):
        bits.append(f"URL {_e(meta['url'])}")
    if meta.get("date"):
        bits.append(f"date {_e(meta['date'])}")
    if article.model:
        bits.append(f"model {_e(article.model.get('name', '?'))} {_e(article.model.get('version', ''))}")
    segs = "".join(_segment_html(s, prefix) for s in article.segments)
    return (
        f'<article class="sc-article" id="{prefix}" aria-labelledby="{prefix}-h">'
        f'<{heading} id="{prefix}-h">{_e(_title(article))}</{heading}>'
        f'<p class="sc-meta">{" · ".join(bits)}</p>'
        f"{shares_html(article)}"
        f'<ol class="sc-segs" aria-label="Segments">{segs}</ol>'
        f"{sources_html(article, prefix)}</article>"
    )


def article_html(article: Article, prefix: str | None = None) -> str:
    """One article as a self-contained HTML fragment (styles, legend, segments, sources), for notebooks."""
    prefix = prefix or f"sc{uuid.uuid4().hex[:10]}"
    return (f'<div class="sc-report" id="{prefix}-report"><style>{_css(f"#{prefix}-report")}</style>'
            f"{legend_html()}{_article_body(article, prefix, 'h3')}</div>")


def write_html(articles: Iterable[Article], out: IO[str]) -> None:
    """A whole page: the legend, then each article as it comes (streamed), then the end of the page."""
    out.write(
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>sourcecheck report</title>\n"
        f"<style>\nbody{{margin:0;background:#ffffff;}}\n{_css('.sc-report')}\n</style>\n</head>\n"
        '<body>\n<main class="sc-report">\n<h1>sourcecheck report</h1>\n'
        f"{legend_html()}\n"
    )
    n = 0
    for n, article in enumerate(articles, 1):
        out.write(_article_body(article, f"a{n}") + "\n")
        out.flush()
    if n == 0:
        out.write('<p class="sc-none">No articles.</p>\n')
    out.write("</main>\n</body>\n</html>\n")


__all__ = ["write_html", "article_html", "style_html", "legend_html", "shares_html", "sources_html", "COLOURS"]
