"""Coverage-guided fuzzing of decoding, segmenting and scoring (atheris; not part of the test suite).

    pip install atheris
    .venv/bin/python bench/fuzz.py -max_total_time=1800 -rss_limit_mb=2048 bench/out/fuzz-corpus

Each input is fed, as bytes, to ``sourcecheck.score`` (auto kind, then HTML
and text), to ``decode`` and to ``segment_html``; as text (decoded as UTF-8
with surrogates kept) to ``score`` on a ``str``.  The only exception allowed
out is :class:`~sourcecheck.segment.decode.InputError`; anything else, or a
result that breaks an invariant (labels outside the set, offsets outside the
text, a text segment that is not ``text[start:end]``), stops the run with the
input that caused it (libFuzzer writes it to ``crash-*``).  The seed corpus
is the examples and the seed articles; the inputs the run finds go to the
folder given (git-ignored, under ``bench/out``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

import atheris  # noqa: E402

with atheris.instrument_imports(include=["sourcecheck"]):
    import sourcecheck  # noqa: E402
    from sourcecheck.article import LABELS  # noqa: E402
    from sourcecheck.pipeline import Options  # noqa: E402
    from sourcecheck.segment.decode import InputError, decode  # noqa: E402
    from sourcecheck.segment.html import segment_html  # noqa: E402
    from sourcecheck.model.store import load_model  # noqa: E402

MODEL = load_model()
# a short time limit: the fuzzer's own inputs are small, and a page that takes seconds is a finding too
OPTIONS = {kind: Options(kind=kind, sources=True, timeout=10.0) for kind in ("auto", "html", "text")}


def check(article, kind: str) -> None:
    assert article.kind in ("html", "text")
    n = len(article.text)
    for s in article.segments:
        assert s.label in LABELS and s.initial_label in LABELS, s.label
        assert 0 <= s.start <= s.end <= n, (s.start, s.end, n)
        assert abs(sum(s.scores.values()) - 1.0) < 1e-6
        if article.kind == "text":
            assert article.text[s.start:s.end] == s.text, (s.start, s.end)
    for src in article.sources or ():
        for e in src.get("evidence") or ():
            if e.get("start") is not None and e.get("end") is not None:
                assert 0 <= e["start"] <= e["end"] <= n


def one(data: bytes) -> None:
    try:
        text, _ = decode(data)
        segment_html(text)
    except InputError:
        pass
    for kind, opts in OPTIONS.items():
        try:
            check(sourcecheck.score(data, name="fuzz", options=opts, model=MODEL), kind)
        except InputError:
            pass
    as_text = data.decode("utf-8", "surrogateescape")
    try:
        check(sourcecheck.score(as_text, name="fuzz", options=OPTIONS["auto"], model=MODEL), "str")
    except InputError:
        pass


def main() -> None:
    seeds = [p for p in (HERE.parent / "examples").iterdir() if p.is_file()]
    args = list(sys.argv)
    folders = [a for a in args[1:] if not a.startswith("-")]
    if folders:
        corpus = Path(folders[0])
        corpus.mkdir(parents=True, exist_ok=True)
        for p in seeds:
            target = corpus / f"seed-{p.name}"
            if not target.exists():
                target.write_bytes(p.read_bytes())
    atheris.Setup(args, one)
    atheris.Fuzz()


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
