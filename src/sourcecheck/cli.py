"""The command line: a thin skin over the library.

Each command parses its arguments into one :class:`~sourcecheck.pipeline.Options`,
calls the library and prints.  Exit codes: 0 every input was handled, 1 some
input failed (each failure is one line on stderr and the batch goes on), 2 a
usage error (an unknown option or ``--format`` value, a missing argument).

The parser is the standard library's: a command that scores one page starts
in a fraction of a second, and nothing but the command's own work is imported.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Callable, Iterator

from . import __version__

PROG = "sourcecheck"

# output formats, defined once for every command that has them: argparse refuses any other value (exit 2)
FORMATS: dict[str, tuple[str, ...]] = {
    "score": ("table", "json", "jsonl", "csv", "html"),
    "clean": ("text", "json", "jsonl"),
    "evaluate": ("table", "json"),
    "show": ("text", "json"),
}


class _Exit(Exception):
    def __init__(self, code: int):
        super().__init__(code)
        self.code = code


def _err(msg: str) -> None:
    sys.stderr.write(f"{PROG}: error: {msg}\n")
    sys.stderr.flush()


def _fail(msg: str) -> _Exit:
    _err(msg)
    return _Exit(1)


# reading and scoring -----------------------------------------------------------------------------------
def _read_inputs(paths: list[str] | None, max_bytes: int) -> Iterator[tuple[str, bytes | None, str | None]]:
    """Yield ``(name, data, error)`` for each input, never raising.

    Every read stops at ``max_bytes`` plus one, whatever the input is (a file, a device, a pipe, stdin), so
    an endless input is refused as soon as it passes the limit and the next input is read.
    """
    from .segment.decode import InputError, read_bounded, read_path

    if not paths:
        paths = ["-"]
    for p in paths:
        name = "<stdin>" if p == "-" else p
        try:
            if p == "-":
                if sys.stdin.isatty():
                    sys.stderr.write(f"{PROG}: reading an article from the terminal; end it with Ctrl-D "
                                     f"(or give files: {PROG} score FILE ...)\n")
                yield name, read_bounded(sys.stdin.buffer, max_bytes), None
            elif p.startswith(("http://", "https://")):
                yield name, None, "URLs are not fetched: save the page and pass the file"
            else:
                yield name, read_path(p, max_bytes), None
        except InputError as exc:
            yield name, None, str(exc)


def _load(options):
    from .model.store import ModelError, load_model

    try:
        return load_model(options.model)
    except ModelError as exc:
        raise _fail(str(exc)) from None


class _ReadError(Exception):
    pass


def _scored(paths, options, model, failures: list[str], lang: bool = True):
    """Score the inputs in batches (a corpus goes much faster so); failures are reported, one line each."""
    from .pipeline import score_many

    # inputs that could not be read travel through as errors, in their place in the order
    pages = ((name, _ReadError(error) if error is not None else data)
             for name, data, error in _read_inputs(paths, options.max_bytes))
    for name, res in score_many(pages, options, model, lang=lang):
        if not isinstance(res, Exception):
            for w in res.meta.get("warnings", ()):
                sys.stderr.write(f"{PROG}: warning: {name}: {w}\n")
            yield res
            continue
        if isinstance(res, RecursionError):
            error = "malformed HTML: nested too deeply"
        elif isinstance(res, MemoryError):
            error = "out of memory"
        else:
            error = str(res).splitlines()[0] if str(res) else type(res).__name__
        _err(f"{name}: {error}")
        failures.append(name)


def _options(a: argparse.Namespace, **kw):
    from .pipeline import Options

    return Options(model=getattr(a, "model", None), registry=getattr(a, "registry", None),
                   kind=getattr(a, "kind", "auto"), **kw)


# commands ----------------------------------------------------------------------------------------------
def cmd_score(a: argparse.Namespace) -> int:
    from .render import WRITERS

    if a.url and len(a.paths or []) > 1:
        raise _fail("--url names the address of one page: give one input with it")
    options = _options(a, sources=not a.no_sources, url=a.url)
    m = _load(options)
    failures: list[str] = []
    WRITERS[a.format](_scored(a.paths, options, m, failures), sys.stdout)
    return 1 if failures else 0


def cmd_clean(a: argparse.Namespace) -> int:
    options = _options(a, sources=False, include_title=a.with_title)
    m = _load(options)
    failures: list[str] = []
    first = True
    # several inputs as text: a line naming each, as ``head`` does, so one text is told from the next
    # (a blank line alone would read as one more paragraph); one input prints just its text
    named = len(a.paths or []) > 1
    for art in _scored(a.paths, options, m, failures, lang=a.format != "text"):
        body = art.main_text(include_title=a.with_title)
        if a.format == "text":
            if not first:
                sys.stdout.write("\n")
            if named:
                sys.stdout.write(f"==> {art.input} <==\n")
            sys.stdout.write(body + "\n")
        else:
            sys.stdout.write(json.dumps({"input": art.input, "title": art.title(), "lang": art.lang, "kind": art.kind,
                                         "text": body}, ensure_ascii=False) + "\n")
        first = False
        sys.stdout.flush()
    return 1 if failures else 0


def cmd_train(a: argparse.Namespace) -> int:
    from .labelled import DataError, files_sha256, read_labelled
    from .model.card import model_card
    from .model.store import ModelError, save_model, user_model_root
    from .train import data_warnings, train_text_model

    data = [Path(p) for p in a.data]
    target = Path(a.out) if a.out else user_model_root() / a.name
    if target.exists() and not target.is_dir():
        raise _fail(f"{target} exists and is not a model directory")
    if target.exists() and any(target.iterdir()) and not a.force:
        raise _fail(f"{target} exists and is not empty (use --force to replace it)")
    try:
        docs = read_labelled(data)
        for warning in data_warnings(docs):
            sys.stderr.write(f"{PROG}: warning: {warning}\n")
        model = train_text_model(docs, base=a.model, name=a.name, data_hashes=files_sha256(data))
        path = save_model(model, target, overwrite=a.force, card=model_card)
    except (DataError, ModelError, ValueError) as exc:
        raise _fail(str(exc)) from None
    print(f"trained on {len(docs)} documents; model written to {path}")
    return 0


def cmd_evaluate(a: argparse.Namespace) -> int:
    from .labelled import DataError, read_labelled
    from .model.store import ModelError, load_model
    from .train import evaluate_docs

    try:
        docs = read_labelled([Path(p) for p in a.data])
        report = evaluate_docs(load_model(a.model), docs)
    except (DataError, ModelError, ValueError) as exc:
        raise _fail(str(exc)) from None
    if a.format == "json":
        print(json.dumps(report, indent=2))
        return 0
    print(f"model {report['model']['name']} {report['model']['version']}: "
          f"{report['documents']} documents, {report['segments']} segments, "
          f"accuracy {report['accuracy']:.3f}, macro-F1 {report['macro_f1']:.3f}")
    print(f"{'label':<10}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>10}")
    for lab, m in report["per_class"].items():
        print(f"{lab:<10}{m['precision']:>10.3f}{m['recall']:>10.3f}{m['f1']:>10.3f}{m['support']:>10}")
    labs = report["confusion"]["labels"]
    print("confusion (rows: truth, columns: predicted)")
    print(" " * 10 + "".join(f"{lab:>10}" for lab in labs))
    for lab, row in zip(labs, report["confusion"]["matrix"]):
        print(f"{lab:<10}" + "".join(f"{v:>10}" for v in row))
    return 0


def cmd_report(a: argparse.Namespace) -> int:
    from .atomic import WriteError, atomic_open
    from .render import write_html

    output = Path(a.output)
    if output.exists() and not a.force:
        raise _fail(f"{output} exists (use --force to replace it)")
    if not output.parent.is_dir():
        raise _fail(f"{output.parent}: no such directory")
    options = _options(a)
    m = _load(options)
    failures: list[str] = []
    articles = list(_scored([a.path], options, m, failures))
    if failures:
        return 1
    try:
        with atomic_open(output, "w", overwrite=a.force) as fh:
            write_html(articles, fh)
    except WriteError as exc:
        raise _fail(str(exc)) from None
    except OSError as exc:
        raise _fail(f"{output}: {exc.strerror or exc}") from None
    print(f"report written to {output}")
    return 0


def cmd_upgrade_model(a: argparse.Namespace) -> int:
    from .model.card import model_card
    from .model.old.format1 import load_format1
    from .model.store import ModelError, save_model

    try:
        model = load_format1(Path(a.old))
        path = save_model(model, Path(a.out), overwrite=a.force, card=model_card)
    except ModelError as exc:
        raise _fail(str(exc)) from None
    print(f"model written to {path} (sha256 {model.sha256[:12]})")
    return 0


def _registry(registry: str | None):
    from .provenance import load_registry

    try:
        return load_registry(registry)
    except Exception as exc:  # noqa: BLE001 - any problem with the user's file is one line
        raise _fail(f"registry: {exc}") from None


def cmd_sources_list(a: argparse.Namespace) -> int:
    reg = _registry(a.registry)
    for s in (list(reg.sources.values()) if a.all else reg.curated()):
        print(f"{s['id']:<28} {s.get('type', ''):<26} {s.get('country', '') or '':<4} {s.get('name', '')}")
    return 0


def cmd_sources_show(a: argparse.Namespace) -> int:
    from .provenance import notes_for
    from .render.words import check_words

    reg = _registry(a.registry)
    src = reg.find(a.name)
    if src is None:
        candidates = reg.candidates(a.name) if hasattr(reg, "candidates") else []
        if candidates:  # a short name several outlets share: never resolved on the name alone
            print(f"{a.name!r} names {len(candidates)} sources; give one of their ids or domains:")
            for c in candidates:
                print(f"  {c['id']:<28} {c.get('country', '') or '':<4} {c.get('name', '')}")
            return 1
        raise _fail(f"no source named {a.name!r}")
    notes = notes_for({"source_id": src["id"], **src})
    if a.format == "json":
        print(json.dumps({"source": src, "notes": notes}, indent=2, ensure_ascii=False, default=str))
        return 0
    print(f"{src.get('name')} ({src['id']}): {src.get('type', '')}, {src.get('country', '')}")
    for n in notes:
        cit = n.get("citation") or {}
        bracket = "; ".join(x for x in (" ".join(x for x in (cit.get("title"), cit.get("url")) if x),
                                        check_words(n)) if x)
        # the value as the JSON has it (an unverified one says so itself), then where it is from and its check
        print(f"  - {n.get('claim')}: {n.get('value')}" + (f"  [{bracket}]" if bracket else ""))
    return 0


def cmd_sources_lookup(a: argparse.Namespace) -> int:
    reg = _registry(a.registry)
    src = reg.lookup_domain(a.domain)
    if src is None:
        raise _fail(f"no source known for {a.domain}")
    print(f"{src['id']}\t{src.get('name', '')}")
    return 0


# the parser --------------------------------------------------------------------------------------------
def _version() -> str:
    from .model.store import ModelError, read_metadata, resolve_model_dir

    try:
        meta = read_metadata(resolve_model_dir(None))
        model = f"model {meta.get('name')} {meta.get('version')}, sha256 {str(meta.get('sha256', ''))[:12]}"
    except ModelError as exc:
        model = f"no usable model ({exc})"
    return f"{PROG} {__version__} ({model})"


class _VersionAction(argparse.Action):
    def __init__(self, option_strings, dest, **kw):
        super().__init__(option_strings, dest, nargs=0, help="print the version of sourcecheck and its model")

    def __call__(self, parser, namespace, values, option_string=None):
        print(_version())
        parser.exit(0)


def _add_format(p: argparse.ArgumentParser, command: str, default: str) -> None:
    choices = FORMATS[command]
    p.add_argument("-f", "--format", choices=choices, default=default, metavar="FORMAT",
                   help=f"output format: {', '.join(choices)} (default {default})")


def _add_model(p: argparse.ArgumentParser, what: str = "model directory") -> None:
    p.add_argument("-m", "--model", default=None, metavar="DIR",
                   help=f"{what} (default: $SOURCECHECK_MODEL, else the shipped model)")


def _add_registry(p: argparse.ArgumentParser) -> None:
    p.add_argument("--registry", default=None, metavar="FILE",
                   help="a registry file merged over the shipped one (default: $SOURCECHECK_REGISTRY)")


def _add_inputs(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="*", metavar="FILE",
                   help="saved pages or texts to read; '-' or none reads stdin (URLs are not fetched)")
    p.add_argument("--kind", choices=("auto", "text", "html"), default="auto",
                   help="input kind: auto (detected from the content), text or html")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG, description="Tell news from site chrome and publisher advocacy, and say who is behind the sources.",
        epilog=f"'{PROG} COMMAND --help' explains a command.  Exit codes: 0 every input handled, 1 some input "
               "failed (one line each on stderr), 2 a usage error.")
    parser.add_argument("--version", action=_VersionAction)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, func: Callable, help: str, parent=sub) -> argparse.ArgumentParser:
        p = parent.add_parser(name, help=help, description=help)
        p.set_defaults(func=func)
        return p

    p = command("score", cmd_score, "Label every segment of each article news, chrome or advocacy, "
                                    "with scores and sources.  The table fits the terminal (COLUMNS sets its "
                                    "width; 100 when written to a pipe or file); --format json has every text whole.")
    _add_inputs(p)
    _add_format(p, "score", "table")
    _add_model(p)
    _add_registry(p)
    p.add_argument("--no-sources", action="store_true", help="skip source detection")
    p.add_argument("--url", default=None, help="the address the (one) saved page came from, for its publisher")

    p = command("clean", cmd_clean, "Print the main article text (the news segments) of each input; several "
                                    "inputs as text each follow a line '==> NAME <=='.")
    _add_inputs(p)
    _add_format(p, "clean", "text")
    _add_model(p)
    p.add_argument("--with-title", action="store_true", help="keep the headline in the text")

    p = command("report", cmd_report, "Write a self-contained HTML report of one article, for reading in a browser.")
    p.add_argument("path", metavar="FILE", help="an article file (text or saved HTML page)")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="HTML file to write")
    _add_model(p)
    _add_registry(p)
    p.add_argument("--force", action="store_true", help="replace an existing file")

    p = command("train", cmd_train, "Train the text model on labelled documents; the HTML model is kept from "
                                    "the base model.  Writes MODEL_CARD.md beside the model, and warns below "
                                    "20 documents or 5 segments of a label.")
    p.add_argument("data", nargs="+", metavar="FILE", help="labelled data: .jsonl documents or .csv rows")
    p.add_argument("-o", "--out", default=None, metavar="DIR",
                   help="model directory to write (default: a new directory under $SOURCECHECK_HOME/models)")
    p.add_argument("--name", default="custom", help="model name (default: custom)")
    _add_model(p, "base model directory")
    p.add_argument("--force", action="store_true", help="replace an existing model directory")

    p = command("evaluate", cmd_evaluate, "Per-class precision, recall and F1 of a model on labelled documents, "
                                          "with the confusion matrix.")
    p.add_argument("data", nargs="+", metavar="FILE", help="labelled data: .jsonl documents or .csv rows")
    _add_model(p)
    _add_format(p, "evaluate", "table")

    p = command("upgrade-model", cmd_upgrade_model, "Convert a model directory of the older skops format into "
                                                    "the current one (arrays and JSON).")
    p.add_argument("old", metavar="OLD_DIR", help="a model directory of the older skops format")
    p.add_argument("-o", "--out", required=True, metavar="DIR", help="where to write the converted model")
    p.add_argument("--force", action="store_true", help="replace an existing model directory")

    sources = command("sources", None, "Look up the source registry.")
    ssub = sources.add_subparsers(dest="sources_command", metavar="COMMAND")
    p = command("list", cmd_sources_list, "List the sources in the registry.", ssub)
    _add_registry(p)
    p.add_argument("--all", action="store_true", help="include imported outlets, not only curated ones")
    p = command("show", cmd_sources_show, "Show one source with its cited notes.", ssub)
    p.add_argument("name", help="a source's id, name or alias")
    _add_registry(p)
    _add_format(p, "show", "text")
    p = command("lookup", cmd_sources_lookup, "Find the source behind a domain or URL (longest matching suffix).",
                ssub)
    p.add_argument("domain")
    _add_registry(p)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        a = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help (0) or a usage error (2)
        return int(exc.code or 0)
    if a.command is None or getattr(a, "func", None) is None:
        (parser if a.command is None else parser._subparsers._group_actions[0].choices[a.command]).print_help(
            sys.stderr)
        return 2
    try:
        return a.func(a)
    except _Exit as exc:
        return exc.code
    except KeyboardInterrupt:
        _err("interrupted")
        return 130
    except BrokenPipeError:  # the reader went away (``| head``): stop quietly
        try:
            sys.stdout = open("/dev/null", "w")  # noqa: SIM115 - so that the interpreter's final flush is silent
        except OSError:
            pass
        return 1


if __name__ == "__main__":
    sys.exit(main())
