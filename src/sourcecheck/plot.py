"""Small matplotlib charts for the notebooks: label shares per article, and a confusion matrix.

matplotlib is imported inside the functions, so importing this module costs
nothing and the library does not depend on it (install the ``notebooks``
extra to use these).  The label colours are the HTML report's, and every
chart labels its parts in text too, so that colour is never the only cue.
"""

from __future__ import annotations

from typing import Any, Iterable, Sequence

from .article import LABELS, Article

#: The report's tag colours (see ``render.html.COLOURS``), one per label.
COLOURS = {"news": "#0b4f8a", "chrome": "#575757", "advocacy": "#9a3412"}
HATCHES = {"news": "", "chrome": "//", "advocacy": ".."}


def _axes(ax, figsize):
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _fig, ax = plt.subplots(figsize=figsize)
    return ax


def _name(article: Article) -> str:
    title = (article.meta or {}).get("title")
    name = str(title or article.input)
    return name if len(name) <= 40 else name[:39] + "…"


def label_shares(articles: Iterable[Article] | Article, ax=None, names: Sequence[str] | None = None):
    """A horizontal stacked bar per article: the share of characters labelled news, chrome, advocacy.

    Returns the matplotlib Axes.  ``names`` overrides the bar labels (default:
    the article title, else its input name).
    """
    if isinstance(articles, Article):
        articles = [articles]
    articles = list(articles)
    names = list(names) if names is not None else [_name(a) for a in articles]
    ax = _axes(ax, (8, 0.6 * max(len(articles), 1) + 1.4))
    shares = [a.shares() for a in articles]
    ypos = list(range(len(articles)))
    left = [0.0] * len(articles)
    for lab in LABELS:
        vals = [s[lab] for s in shares]
        bars = ax.barh(ypos, vals, left=left, color=COLOURS[lab], hatch=HATCHES[lab], edgecolor="white",
                       label=lab, height=0.6)
        for rect, v in zip(bars, vals):
            if v >= 0.08:
                ax.text(rect.get_x() + rect.get_width() / 2, rect.get_y() + rect.get_height() / 2, f"{v:.0%}",
                        ha="center", va="center", color="white", fontsize=8, fontweight="bold")
        left = [x + v for x, v in zip(left, vals)]
    ax.set_yticks(ypos)
    ax.set_yticklabels(names)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of characters")
    ax.xaxis.set_major_formatter(_percent())
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.35 if len(articles) < 3 else -0.15), ncol=3, frameon=False)
    ax.set_title("Label shares per article")
    ax.figure.tight_layout()
    return ax


def _percent():
    from matplotlib.ticker import PercentFormatter

    return PercentFormatter(xmax=1.0, decimals=0)


def _matrix(report_or_matrix: Any) -> tuple[list[list[int]], list[str]]:
    if isinstance(report_or_matrix, dict):
        cm = report_or_matrix.get("confusion", report_or_matrix)
        return [list(map(int, row)) for row in cm["matrix"]], list(cm.get("labels", LABELS))
    rows = [list(map(int, row)) for row in report_or_matrix]
    return rows, list(LABELS[: len(rows)])


def confusion(report_or_matrix: Any, ax=None, title: str | None = None, normalize: bool = False):
    """A confusion matrix (rows: truth, columns: predicted) with the count in every cell.

    Takes an ``evaluate_docs`` report (its ``confusion``), a ``{"labels", "matrix"}``
    dict, or a square list of lists / array in ``LABELS`` order.  ``normalize``
    colours by the share of each true label (the counts stay printed).
    Returns the matplotlib Axes.
    """
    matrix, labels = _matrix(report_or_matrix)
    n = len(labels)
    if any(len(row) != n for row in matrix) or len(matrix) != n:
        raise ValueError("confusion matrix must be square and match its labels")
    ax = _axes(ax, (4.2, 3.8))
    totals = [sum(row) or 1 for row in matrix]
    shade = [[v / totals[i] for v in row] for i, row in enumerate(matrix)] if normalize else matrix
    vmax = max((max(r) for r in shade), default=1) or 1
    ax.imshow(shade, cmap="Blues", vmin=0, vmax=vmax)
    for i in range(n):
        for j in range(n):
            v = matrix[i][j]
            dark = shade[i][j] > vmax * 0.55
            txt = f"{v}" + (f"\n{v / totals[i]:.0%}" if normalize else "")
            ax.text(j, i, txt, ha="center", va="center", fontsize=10,
                    color="white" if dark else "#1a1a1a", fontweight="bold" if i == j else "normal")
    ax.set_xticks(range(n))
    ax.set_yticks(range(n))
    ax.set_xticklabels(labels)
    ax.set_yticklabels(labels)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true label")
    if title is None and isinstance(report_or_matrix, dict) and "accuracy" in report_or_matrix:
        title = f"accuracy {report_or_matrix['accuracy']:.2f}, macro-F1 {report_or_matrix.get('macro_f1', 0):.2f}"
    if title:
        ax.set_title(title)
    return ax


__all__ = ["label_shares", "confusion", "COLOURS"]
