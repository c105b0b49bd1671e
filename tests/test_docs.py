"""The README's commands, run: every ``sourcecheck ...`` line of its ```bash blocks, on the examples.

As sqlite-utils' ``test_docs.py`` keeps its documentation and its CLI in step, this reads the README,
runs each command it shows (in a directory where the README's file names, ``page.html``,
``article.txt``, ``a.html``, ..., are copies of ``examples/``, and a small generated labelled file
stands for ``my-labels.jsonl``) and checks that the output has the shape the README gives it: the
JSON carries every key of the README's JSON contract, a table is a table, a refusal refuses.  A
command the README gains without a check here fails the test, so it cannot drift unseen.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shlex
import shutil

import pytest

from conftest import EXAMPLES, REPO, needs_model, run_cli, toy_pages

pytestmark = needs_model

README = (REPO / "README.md").read_text(encoding="utf-8")

# what the README's placeholder names stand for
FILES = {"page.html": "ferry.html", "a.html": "ferry.html", "b.html": "ferry.html", "article.txt": "ferry.txt"}


def bash_blocks(text: str) -> list[str]:
    return re.findall(r"^```bash\n(.*?)^```", text, flags=re.S | re.M)


def readme_commands() -> list[tuple[str, list[str], str | None, str | None, str]]:
    """``(line, argv after 'sourcecheck', stdin file or None, stdout file or None, comment)`` of every
    sourcecheck command in the README's bash blocks (one part of a ``&&`` chain or a pipe)."""
    out = []
    for block in bash_blocks(README):
        for line in block.splitlines():
            comment = line.split("  #", 1)[1].strip() if "  #" in line else ""
            for part in line.split("&&"):
                words = shlex.split(part, comments=True)
                stdin = None
                if "|" in words:  # "cat page.html | sourcecheck score -"
                    i = words.index("|")
                    if words[0] == "cat":
                        stdin = words[1]
                    words = words[i + 1:]
                if not words or not re.fullmatch(r"(?:\S*/)?sourcecheck", words[0]):
                    continue
                stdout = None
                if ">" in words:
                    i = words.index(">")
                    stdout, words = words[i + 1], words[:i]
                out.append((line.strip(), words[1:], stdin, stdout, comment))
    return out


def contract() -> dict:
    """The example object of the README's JSON contract."""
    section = README.split("### JSON output contract", 1)[1]
    return json.loads(re.search(r"```json\n(.*?)```", section, flags=re.S).group(1))


def assert_shape(readme, actual, where="$"):
    """Every key the README shows is in the output, at every level (lists: each item has the keys of
    the README's first item); a README object may be null in the output (a note without citation)."""
    if isinstance(readme, dict):
        if actual is None and where.endswith(".citation"):
            return
        assert isinstance(actual, dict), f"{where}: the README shows an object, the output has {actual!r}"
        missing = set(readme) - set(actual)
        assert not missing, f"{where}: keys in the README but not in the output: {sorted(missing)}"
        for k, v in readme.items():
            assert_shape(v, actual[k], f"{where}.{k}")
    elif isinstance(readme, list) and readme:
        assert isinstance(actual, list) and actual, f"{where}: the README shows a non-empty list"
        for i, item in enumerate(actual):
            assert_shape(readme[0], item, f"{where}[{i}]")


def assert_table(out: str):
    lines = out.splitlines()
    assert re.search(r"^share of characters: news \d+% · chrome \d+% · advocacy \d+%$", out, flags=re.M), out[:300]
    assert any(re.search(r"\blabel\b.*\bscore\b.*\btext\b", x) for x in lines)
    assert sum(1 for x in lines if re.search(r"\b(news|chrome|advocacy)\b", x)) >= 5


@pytest.fixture()
def workdir(tmp_path, monkeypatch):
    for name, example in FILES.items():
        shutil.copy(EXAMPLES / example, tmp_path / name)
    (tmp_path / "examples").symlink_to(EXAMPLES)
    # the labelled files of the training section: small invented pages (train warns, and trains)
    pages = toy_pages(6)
    for name, docs in (("my-labels.jsonl", pages[:4]), ("held-out.jsonl", pages[4:])):
        (tmp_path / name).write_text("".join(
            json.dumps({"id": f"doc-{i}", "segments": [{"text": t, "label": lab} for t, lab in doc]}) + "\n"
            for i, doc in enumerate(docs)), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.delenv("SOURCECHECK_MODEL", raising=False)
    return tmp_path


def test_readme_has_the_commands_this_test_runs():
    cmds = [c[1][0] if c[1] else "" for c in readme_commands()]
    assert cmds.count("score") >= 6 and {"clean", "report", "sources", "train", "evaluate"} <= set(cmds), cmds


def test_readme_commands(workdir):
    ran = []
    for line, argv, stdin, stdout, comment in readme_commands():
        data = (workdir / stdin).read_bytes() if stdin else None
        r = run_cli(*argv, input=data)
        assert r.exit_code == 0, f"{line}\n{r.output}"
        assert "Traceback" not in r.stderr, line
        if stdout:
            (workdir / stdout).write_text(r.stdout, encoding="utf-8")
        check(line, argv, r, workdir, comment)
        ran.append(line)
    assert len(ran) >= 14, ran


def check(line, argv, r, workdir, comment):
    cmd = argv[0]
    inputs = [a for a in argv[1:] if a in FILES or a.startswith("examples/") or a == "-"]
    fmt = argv[argv.index("--format") + 1] if "--format" in argv else None
    if cmd == "score" and fmt in ("json", "jsonl"):
        docs = json.loads(r.stdout) if fmt == "json" else [json.loads(x) for x in r.stdout.splitlines()]
        docs = docs if isinstance(docs, list) else [docs]
        assert len(docs) == len(inputs), line  # one object per input
        for doc, name in zip(docs, inputs):
            assert_shape(contract(), doc)
            assert doc["input"] == name, line
    elif cmd == "score" and fmt == "csv":
        rows = list(csv.reader(io.StringIO(r.stdout)))
        segments = json.loads(run_cli("score", *inputs, "--format", "json").stdout)["segments"]
        assert {"input", "index", "label", "text"} <= set(rows[0]) and len(rows) - 1 == len(segments), line
    elif cmd == "score" and fmt == "html":
        assert r.stdout.startswith("<!DOCTYPE html>") and r.stdout.rstrip().endswith("</html>"), line
    elif cmd == "score":
        assert fmt in (None, "table"), f"{line}: no check for --format {fmt}"
        assert_table(r.stdout)
        if "--model" in argv:
            assert (workdir / argv[argv.index("--model") + 1] / "MODEL_CARD.md").is_file()
    elif cmd == "report":
        out = workdir / argv[argv.index("-o") + 1]
        assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>"), line
        if "refusing to overwrite" in comment:
            again = run_cli(*argv)
            assert again.exit_code == 1 and "--force" in again.stderr, line
    elif cmd == "clean":
        assert fmt in (None, "text"), f"{line}: no check for --format {fmt}"
        if len(inputs) > 1:  # several texts, each after a line naming it
            assert [x for x in r.stdout.splitlines() if x.startswith("==>")] == [f"==> {p} <==" for p in inputs]
        else:
            assert "battery-powered ferry" in r.stdout and "Share on Facebook" not in r.stdout and "==>" not in r.stdout
        if "--format json adds title and language" in comment:
            d = json.loads(run_cli(*argv, "--format", "json").stdout)
            assert {"title", "lang", "text"} <= set(d), d
    elif cmd == "sources" and argv[1] == "show":
        lines = r.stdout.splitlines()
        assert argv[2] in lines[0], line
        notes = [x for x in lines if x.startswith("  - ")]
        assert notes and all("[" in x and "http" in x for x in notes), line  # cited notes
    elif cmd == "sources" and argv[1] == "lookup":
        sid, name = r.stdout.rstrip("\n").split("\t")
        assert sid and name, line
        # longest suffix: the edition's entry, not its parent's
        assert sid != run_cli("sources", "lookup", argv[2].split(".", 1)[1]).stdout.split("\t")[0], line
    elif cmd == "train":
        out = workdir / argv[argv.index("--out") + 1]
        assert {"MODEL_CARD.md", "metadata.json", "text.npz"} <= {p.name for p in out.iterdir()}, line
        if "refuses to replace" in comment:
            again = run_cli(*argv)
            assert again.exit_code == 1 and "--force" in again.stderr, line
    elif cmd == "evaluate":
        assert "precision" in r.stdout and "confusion" in r.stdout, line
        if "per-class P/R/F1" in comment:
            assert all(re.search(rf"^{lab}\s", r.stdout, flags=re.M) for lab in ("news", "chrome", "advocacy"))
    else:
        pytest.fail(f"the README runs {line!r}, and this test has no check for it: add one")


def test_readme_version_line():
    """"`sourcecheck --version` names the package, the model and the model's sha256"."""
    import sourcecheck
    from sourcecheck.model.store import read_metadata, resolve_model_dir

    assert "`sourcecheck --version` names the package, the model and the model's sha256" in \
        " ".join(README.split())
    r = run_cli("--version")
    meta = read_metadata(resolve_model_dir(None))
    assert r.exit_code == 0
    assert sourcecheck.__version__ in r.stdout and meta["name"] in r.stdout and meta["sha256"][:12] in r.stdout


def test_readme_evidence_example_is_the_example_page(workdir):
    """The contract's evidence example ("Photo: Reuters" at 628-642 in segment 10) is what ferry.html gives:
    offsets into the page's extracted text, as the README says, not into the segment."""
    ev = contract()["sources"][0]["evidence"][0]
    doc = json.loads(run_cli("score", "page.html", "--format", "json").stdout)
    found = [e for s in doc["sources"] for e in s["evidence"] if e["text"] == ev["text"]]
    assert found and (found[0]["segment"], found[0]["start"], found[0]["end"]) == (ev["segment"], ev["start"], ev["end"])
    seg = doc["segments"][ev["segment"]]
    assert seg["start"] <= ev["start"] < ev["end"] <= seg["end"]


def test_readme_numbers_are_the_code_s():
    """The figures the README's prose gives: the table's width on a pipe, what train calls too small."""
    from sourcecheck.render.table import PIPE_WIDTH
    from sourcecheck.train import MIN_DOCUMENTS, MIN_SEGMENTS_PER_CLASS

    text = " ".join(README.split())
    m = re.search(r"output to a pipe or a file is (\d+) columns wide", text)
    assert m and int(m.group(1)) == PIPE_WIDTH
    m = re.search(r"warns on stderr \(and in the card\) below (\d+) documents or (\d+) segments of a label", text)
    assert m and (int(m.group(1)), int(m.group(2))) == (MIN_DOCUMENTS, MIN_SEGMENTS_PER_CLASS)
