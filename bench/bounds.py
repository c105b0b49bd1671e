"""Time and peak memory of the CLI on inputs at and past its limits, each a process of its own.

    .venv/bin/python bench/bounds.py            # writes the pages to bench/out/bounds/, prints a Markdown table

The inputs: ``/dev/zero`` followed by a small page (the endless input must be
refused and the page scored), an HTML page of 47,000 paragraphs (about 19 MB:
past the segment limit, refused), an HTML page of 29,000 long paragraphs and a
plain text of 29,000 long lines (just under the limit, scored), and the
library's ``str`` path with a 50 MB string.  Each runs under ``/usr/bin/time
-v``; the table gives the exit code, wall seconds, peak resident memory and
the first line of stderr.  The pages are invented text, made here.
"""

from __future__ import annotations

import random
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out" / "bounds"
REPO = HERE.parent
WORDS = ("the council said on tuesday that the new tram line would open next year after delays in "
         "construction and funding").split()


def _para(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def make_inputs() -> dict[str, Path]:
    OUT.mkdir(parents=True, exist_ok=True)
    rng = random.Random(0)
    pages = {}
    for name, n, words in (("html-47000-paragraphs.html", 47_000, 70), ("html-29000-paragraphs.html", 29_000, 100)):
        path = OUT / name
        if not path.exists():
            body = "".join(f"<p>{_para(rng, words)}</p>\n" for _ in range(n))
            path.write_text(f"<!doctype html><html><head><title>Big</title></head><body><article>{body}"
                            "</article></body></html>", encoding="utf-8")
        pages[name] = path
    path = OUT / "text-29000-lines.txt"
    if not path.exists():
        path.write_text("\n".join(_para(rng, 100) for _ in range(29_000)), encoding="utf-8")
    pages[path.name] = path
    return pages


def run(label: str, argv: list[str]) -> dict:
    p = subprocess.run(["/usr/bin/time", "-v", *argv], capture_output=True, text=True)
    err = p.stderr
    peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", err).group(1)) / 1024
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", err).group(1)
    parts = [float(x) for x in wall.split(":")]
    seconds = parts[-1] + 60 * parts[-2] + (3600 * parts[-3] if len(parts) > 2 else 0)
    first = next((line for line in err.splitlines() if line.startswith("sourcecheck:") or "Error" in line), "")
    return {"input": label, "exit": p.returncode, "seconds": seconds, "peak_mib": peak, "stderr": first}


def main() -> int:
    pages = make_inputs()
    cli = [sys.executable, "-m", "sourcecheck"]
    small = str(REPO / "examples" / "ferry.html")
    rows = [
        run("/dev/zero, then a small page (score)", cli + ["score", "/dev/zero", small, "--format", "jsonl"]),
        run("HTML, 47,000 paragraphs (clean)", cli + ["clean", str(pages["html-47000-paragraphs.html"])]),
        run("HTML, 29,000 paragraphs (clean)", cli + ["clean", str(pages["html-29000-paragraphs.html"])]),
        run("HTML, 29,000 paragraphs (score)", cli + ["score", str(pages["html-29000-paragraphs.html"]),
                                                      "--format", "jsonl"]),
        run("text, 29,000 lines (score)", cli + ["score", str(pages["text-29000-lines.txt"]), "--format", "jsonl"]),
        run("library, a 50 MB str", [sys.executable, "-c",
                                     "import sourcecheck, sys\n"
                                     "try:\n    sourcecheck.score('<p>' + 'word ' * 10_000_000 + '</p>')\n"
                                     "except sourcecheck.segment.decode.InputError as e:\n"
                                     "    print('sourcecheck: ' + str(e), file=sys.stderr); sys.exit(1)"]),
    ]
    sizes = {k: v.stat().st_size / 2**20 for k, v in pages.items()}
    print("| input | exit | wall s | peak MiB | stderr |\n|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['input']} | {r['exit']} | {r['seconds']:.2f} | {r['peak_mib']:.0f} | {r['stderr'][:90]} |")
    print("\n" + ", ".join(f"{k}: {v:.1f} MiB" for k, v in sizes.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
