"""A model file is data, every input is bounded, every write is whole.

Crafted model directories of every kind are refused with one line and exit 1
before anything in them runs; inputs are read to at most their limit; a killed
writer leaves the old model as it was; scoring a page imports neither
scikit-learn, skops, scipy nor pandas.
"""

from __future__ import annotations

import io
import json
import os
import pickle
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest

from sourcecheck.model.store import FORMAT, ModelError, load_model, metadata_digest, npz_bytes, save_model

from conftest import EXAMPLES, REPO, needs_model, run_cli

pytestmark = needs_model
SHIPPED = REPO / "src" / "sourcecheck" / "weights" / "default"
TXT = str(EXAMPLES / "ferry.txt")
HTML = str(EXAMPLES / "ferry.html")


def _copy(tmp_path: Path) -> Path:
    d = tmp_path / "model"
    shutil.copytree(SHIPPED, d)
    return d


def _rehash(d: Path) -> None:
    """Make the metadata match the files again, as an attacker who writes the whole directory would."""
    import hashlib

    meta = json.loads((d / "metadata.json").read_text())
    meta["files"] = {name: hashlib.sha256((d / name).read_bytes()).hexdigest() for name in meta["files"]}
    meta["metadata_sha256"] = metadata_digest(meta)
    (d / "metadata.json").write_text(json.dumps(meta))


def _refused(d: Path, marker: Path, *inputs: str) -> str:
    for inp in inputs or (TXT, HTML):
        r = run_cli("score", inp, "--model", str(d), "--no-sources")
        assert r.exit_code == 1, r.output
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("sourcecheck: error:"), r.stderr
        assert r.stdout == ""
    assert not marker.exists(), "the payload ran"
    return lines[0]


def test_a_skops_file_that_calls_eval_is_refused_and_never_runs(tmp_path):
    import skops.io as sio

    marker = tmp_path / "pwned"
    d = tmp_path / "evil"
    d.mkdir()
    sio.dump({"x": 1}, d / "html.skops")
    # rewrite its schema so that loading would construct builtins.eval with a string
    payload = f"__import__('pathlib').Path({str(marker)!r}).write_text('x')"
    with zipfile.ZipFile(d / "html.skops") as zf:
        files = {n: zf.read(n) for n in zf.namelist()}
    schema = json.loads(files["schema.json"])
    schema["content"]["x"] = {"__class__": "eval", "__module__": "builtins", "__loader__": "ObjectNode",
                                         "content": {"__class__": "str", "__module__": "builtins",
                                                     "__loader__": "JsonNode", "content": json.dumps(payload),
                                                     "is_json": True}, "is_json": False}
    files["schema.json"] = json.dumps(schema).encode()
    with zipfile.ZipFile(d / "html.skops", "w") as zf:
        for n, b in files.items():
            zf.writestr(n, b)
    (d / "metadata.json").write_text("{}")
    line = _refused(d, marker, HTML)
    assert "old skops format" in line and "upgrade-model" in line
    r = run_cli("upgrade-model", str(d), "--out", str(tmp_path / "converted"))
    assert r.exit_code == 1 and "refusing" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert not marker.exists() and not (tmp_path / "converted").exists()


def test_an_npz_holding_a_pickled_object_is_refused(tmp_path):
    marker = tmp_path / "pwned"

    class Payload:
        def __reduce__(self):
            return (Path.write_text, (marker, "x"))

    d = _copy(tmp_path)
    with np.load(d / "html.npz") as npz:
        arrays = {k: npz[k] for k in npz.files}
    arrays["stage1.mean"] = np.array([Payload()], dtype=object)
    buf = io.BytesIO()
    np.savez(buf, allow_pickle=True, **arrays)
    (d / "html.npz").write_bytes(buf.getvalue())
    _rehash(d)
    assert "not a plain array file" in _refused(d, marker, HTML)


def test_a_pickle_in_place_of_the_arrays_is_refused(tmp_path):
    marker = tmp_path / "pwned"

    class Payload:
        def __reduce__(self):
            return (Path.write_text, (marker, "x"))

    d = _copy(tmp_path)
    (d / "text.npz").write_bytes(pickle.dumps(Payload()))
    _rehash(d)
    assert "not a plain array file" in _refused(d, marker, TXT)


@pytest.mark.parametrize("name", ["html.npz", "html.json", "text.npz", "text.json", "metadata.json", "MODEL_CARD.md"])
def test_a_flipped_byte_in_any_file_is_refused(tmp_path, name):
    d = _copy(tmp_path)
    data = bytearray((d / name).read_bytes())
    for at in (len(data) // 2, len(data) - 3):  # the middle and the end of the file
        data[at] ^= 0x01
    (d / name).write_bytes(bytes(data))
    line = _refused(d, tmp_path / "none")
    assert name in line or "metadata.json" in line


def test_arrays_that_point_outside_the_trees_are_refused(tmp_path):
    # a directory whose hashes all match (whoever wrote it): the arrays are still checked before use
    d = _copy(tmp_path)
    with np.load(d / "html.npz") as npz:
        arrays = {k: npz[k] for k in npz.files}
    arrays["revise_news.left"] = arrays["revise_news.left"].copy()
    arrays["revise_news.left"][0] = 10**9
    (d / "html.npz").write_bytes(npz_bytes(arrays))
    _rehash(d)
    assert "child out of range" in _refused(d, tmp_path / "none", HTML)


def test_truncated_metadata_another_format_and_a_missing_file(tmp_path):
    d = _copy(tmp_path)
    meta = (d / "metadata.json").read_text()
    (d / "metadata.json").write_text(meta[: len(meta) // 2])
    assert "not valid JSON" in _refused(d, tmp_path / "none")
    d = _copy(tmp_path / "b")
    m = json.loads(meta)
    m["format"] = FORMAT + 1
    m["metadata_sha256"] = metadata_digest(m)
    (d / "metadata.json").write_text(json.dumps(m))
    assert f"format {FORMAT + 1}" in _refused(d, tmp_path / "none") and "upgrade sourcecheck" in \
        run_cli("score", TXT, "--model", str(d)).stderr
    d = _copy(tmp_path / "c")
    (d / "text.npz").unlink()
    assert "missing" in _refused(d, tmp_path / "none")


def test_upgrade_model_converts_the_training_artefacts_to_the_shipped_model(tmp_path, fitted_model):
    # the shipped scoring form is exactly what converting the fitted estimators gives
    r = run_cli("upgrade-model", str(REPO / "training" / "fitted"), "--out", str(tmp_path / "m"))
    assert r.exit_code == 0, r.output
    assert load_model(tmp_path / "m").sha256 == load_model(SHIPPED).sha256
    for kind in ("html", "text"):
        assert (tmp_path / "m" / f"{kind}.npz").read_bytes() == (SHIPPED / f"{kind}.npz").read_bytes()


# writes ------------------------------------------------------------------------------------------------
_SLOW_WRITER = """
import os, sys, time
from pathlib import Path
from sourcecheck.model.store import load_model, save_model
real = os.fsync
def slow(fd):
    real(fd)
    print("wrote a file", flush=True)
    time.sleep(30)
os.fsync = slow
model = load_model(sys.argv[1])
model.meta["name"] = "replacement"
save_model(model, Path(sys.argv[2]), overwrite=True)
"""


def test_a_writer_killed_midway_leaves_the_old_model_intact(tmp_path):
    target = _copy(tmp_path)
    before = {p.name: p.read_bytes() for p in target.iterdir()}
    p = subprocess.Popen([sys.executable, "-c", _SLOW_WRITER, str(SHIPPED), str(target)], stdout=subprocess.PIPE,
                         text=True)
    assert p.stdout.readline().strip() == "wrote a file"  # the new model is half written
    p.send_signal(signal.SIGKILL)
    p.wait(timeout=30)
    assert {q.name: q.read_bytes() for q in target.iterdir()} == before
    assert load_model(target).meta["name"] == "sourcecheck-corpora"
    # and a writer that finishes replaces it whole
    model = load_model(target)
    model.meta["name"] = "replacement"
    save_model(model, target, overwrite=True)
    assert load_model(target).meta["name"] == "replacement"
    assert [q.name for q in tmp_path.iterdir() if q.name.startswith(".")] == [q.name for q in tmp_path.iterdir()
                                                                             if q.name.startswith(".model.")]


def test_save_refuses_to_replace_without_force_and_names_a_file_in_the_way(tmp_path):
    d = _copy(tmp_path)
    with pytest.raises(ModelError, match="exists and is not empty"):
        save_model(load_model(d), d)
    f = tmp_path / "afile"
    f.write_text("mine")
    with pytest.raises(ModelError, match="not a directory"):
        save_model(load_model(d), f, overwrite=True)
    assert f.read_text() == "mine"


def test_report_into_a_missing_folder_or_over_a_file_is_one_line(tmp_path):
    r = run_cli("report", TXT, "-o", str(tmp_path / "missing" / "r.html"))
    assert r.exit_code == 1 and r.stderr.strip().splitlines() == [f"sourcecheck: error: {tmp_path / 'missing'}: "
                                                                  "no such directory"]
    out = tmp_path / "r.html"
    out.write_text("mine")
    r = run_cli("report", TXT, "-o", str(out))
    assert r.exit_code == 1 and "exists" in r.stderr and out.read_text() == "mine"
    r = run_cli("report", TXT, "-o", str(out), "--force")
    assert r.exit_code == 0 and out.read_text().startswith("<!")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.html"]  # no temporary file left


def test_train_into_an_existing_file_is_one_line(tmp_path):
    data = tmp_path / "d.jsonl"
    data.write_text("\n".join(json.dumps({"id": f"d{i}", "segments": [{"text": "Home", "label": "chrome"},
                                                                      {"text": f"News {i} said.", "label": "news"}]})
                              for i in range(3)))
    f = tmp_path / "notadir"
    f.write_text("x")
    r = run_cli("train", str(data), "--out", str(f))
    assert r.exit_code == 1 and "not a model directory" in r.stderr and "Traceback" not in r.stderr


# bounded input -----------------------------------------------------------------------------------------
def test_an_endless_device_is_refused_and_the_next_input_scored():
    r = run_cli("score", "/dev/zero", TXT, "--format", "jsonl", "--no-sources")
    assert r.exit_code == 1
    assert r.stderr.strip().splitlines() == ["sourcecheck: error: /dev/zero: input too large (more than 20 MiB)"]
    assert [json.loads(x)["input"] for x in r.stdout.splitlines()] == [TXT]


def test_a_pipe_is_bounded_too(tmp_path):
    # stdin from a process that writes forever: refused once past the limit, with the limit in MiB
    p = subprocess.run(f"yes 'a line of text' | {sys.executable} -m sourcecheck score -", shell=True,
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 1 and p.stderr.strip() == "sourcecheck: error: <stdin>: input too large (more than 20 MiB)"


def test_the_library_holds_str_and_bytes_to_the_same_limits():
    import sourcecheck
    from sourcecheck.pipeline import Options
    from sourcecheck.segment.decode import InputError

    big = "<p>" + "word " * (5 * 1024 * 1024) + "</p>"  # 25 MiB as a str
    for page in (big, big.encode()):
        with pytest.raises(InputError, match="too large"):
            sourcecheck.score(page)
    small = Options(max_bytes=1000)
    with pytest.raises(InputError, match=r"more than 0.000953674 MiB"):
        sourcecheck.score("é" * 600, options=small)  # 600 characters, 1,200 bytes
    many = "\n".join(f"line {i} of a long text" for i in range(50))
    with pytest.raises(InputError, match="too many segments"):
        sourcecheck.score(many, options=Options(max_segments=40))
    with pytest.raises(InputError, match="took longer than"):
        sourcecheck.score("\n".join(f"line {i} with words" for i in range(3000)), options=Options(timeout=0.001))


def test_decoding_does_not_lie():
    import codecs

    import sourcecheck
    from sourcecheck.segment.decode import decode

    ascii_page = b'<html><head><meta charset="utf-16"></head><body><p>The ferry sails at noon.</p></body></html>'
    text, enc = decode(ascii_page)
    assert "The ferry sails at noon." in text and enc != "utf-16"
    assert decode(codecs.BOM_UTF32_LE + "héllo wörld".encode("utf-32-le")) == ("héllo wörld", "utf-32")
    assert decode(codecs.BOM_UTF16_LE + "héllo".encode("utf-16-le")) == ("héllo", "utf-16")
    latin_declared = '<html><head><meta charset="iso-8859-1"></head><body><p>Zürich, Genève</p></body>'.encode()
    assert "Zürich, Genève" in decode(latin_declared)[0]
    really_latin = '<html><head><meta charset="iso-8859-1"></head><body><p>Zürich</p></body>'.encode("latin-1")
    assert "Zürich" in decode(really_latin)[0]
    xml = '<?xml version="1.0" encoding="iso-8859-1"?><html><body><p>' + "A sentence of the article. " * 10 + "</p></body></html>"
    assert sourcecheck.score(xml).segments[0].text.startswith("A sentence")
    lone = "A line with a lone surrogate \ud800 in it.\nAnother line of the article."
    art = sourcecheck.score(lone)
    assert art.segments[0].text == "A line with a lone surrogate \ufffd in it."
    assert len(sourcecheck.score(Path(TXT)).segments) == len(sourcecheck.score(Path(TXT).read_bytes()).segments)


# start-up ----------------------------------------------------------------------------------------------
def test_scoring_a_page_imports_no_training_library():
    code = ("import sys; from sourcecheck.cli import main; "
            "rc = main(['clean', sys.argv[1]]) + main(['score', sys.argv[2], '--format', 'json']); "
            "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'sklearn', 'skops', 'scipy', 'pandas', "
            "'joblib', 'typer', 'pydantic'}); print(rc, heavy, file=sys.stderr)")
    p = subprocess.run([sys.executable, "-c", code, HTML, TXT], capture_output=True, text=True, timeout=120,
                       env={**os.environ, "PYTHONWARNINGS": "ignore"})
    assert p.stderr.strip().splitlines()[-1] == "0 []", p.stderr[-2000:]


def test_version_names_the_package_and_the_model():
    import sourcecheck

    r = run_cli("--version")
    meta = json.loads((SHIPPED / "metadata.json").read_text())
    assert r.exit_code == 0
    assert r.stdout.strip() == (f"sourcecheck {sourcecheck.__version__} (model {meta['name']} {meta['version']}, "
                                f"sha256 {meta['sha256'][:12]})")


@pytest.mark.parametrize("args", [["score", TXT, "-f", "xml"], ["clean", TXT, "--format", "csv"],
                                  ["evaluate", TXT, "-f", "yaml"], ["sources", "show", "RT", "-f", "html"]])
def test_every_format_option_refuses_an_unknown_value(args):
    r = run_cli(*args)
    assert r.exit_code == 2 and "invalid choice" in r.stderr


def test_time_limit_leaves_no_timer_behind():
    from sourcecheck.limits import time_limit

    with time_limit(5.0):
        time.sleep(0.01)
    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0


def test_one_time_limit_covers_all_stages_of_an_input_in_a_batch():
    import sourcecheck
    from sourcecheck.pipeline import Options

    text = "\n".join(f"line {i} with a few words of the article" for i in range(4000))
    got = list(sourcecheck.score_many([("big", text), ("small", "A short line.\nAnother line of text.")],
                                      Options(timeout=0.05, sources=False)))
    assert [n for n, _ in got] == ["big", "small"]
    assert "took longer than 0.05 s" in str(got[0][1])
    assert not isinstance(got[1][1], Exception)
