"""The command line: a thin skin over the library.

Each command parses its arguments into one :class:`~sourcecheck.pipeline.Options`,
calls one library function per input and prints.  Exit codes: 0 every input
was handled, 1 some input failed (each failure is one line on stderr and the
batch goes on), 2 a usage error.
"""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Iterator, List, Optional

import typer
from typing_extensions import Annotated

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Tell news from site chrome and publisher advocacy, and say who is behind the sources.")
sources_app = typer.Typer(no_args_is_help=True, help="Look up the source registry.")
app.add_typer(sources_app, name="sources")


class Format(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    html = "html"


class CleanFormat(str, Enum):
    text = "text"
    json = "json"


# output and model options, defined once and shared by the commands
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
ModelOpt = Annotated[Optional[str], typer.Option("--model", "-m", envvar="SOURCECHECK_MODEL",
                                                 help="Model directory (default: the shipped model).")]
RegistryOpt = Annotated[Optional[str], typer.Option("--registry", envvar="SOURCECHECK_REGISTRY",
                                                    help="A registry file merged over the shipped one.")]
KindOpt = Annotated[str, typer.Option("--kind", help="Input kind: auto, text or html.")]
PathsArg = Annotated[Optional[List[str]], typer.Argument(help="Files to read; '-' or nothing reads stdin. "
                                                         "Saved pages only: URLs are not fetched.")]


def _err(msg: str) -> None:
    sys.stderr.write(f"sourcecheck: error: {msg}\n")
    sys.stderr.flush()


def _read_inputs(paths: list[str] | None, max_bytes: int) -> Iterator[tuple[str, bytes | None, str | None]]:
    """Yield ``(name, data, error)`` for each input, never raising.

    Every read stops at ``max_bytes`` plus one, whatever the input is (a file, a device, a pipe, stdin), so
    an endless input is refused as soon as it passes the limit and the next input is read.
    """
    from .segment.decode import InputError, read_bounded, read_path

    if not paths:
        paths = ["-"]
    for p in paths:
        try:
            if p == "-":
                yield "<stdin>", read_bounded(sys.stdin.buffer, max_bytes), None
            elif p.startswith(("http://", "https://")):
                yield p, None, "URLs are not fetched: save the page and pass the file"
            else:
                yield p, read_path(p, max_bytes), None
        except InputError as exc:
            yield p if p != "-" else "<stdin>", None, str(exc)


def _load(options):
    from .model.store import ModelError, load_model

    try:
        return load_model(options.model)
    except ModelError as exc:
        _err(str(exc))
        raise typer.Exit(1)


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
                sys.stderr.write(f"sourcecheck: warning: {name}: {w}\n")
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


@app.command()
def score(paths: PathsArg = None, format: FormatOpt = Format.table, model: ModelOpt = None,
          registry: RegistryOpt = None, kind: KindOpt = "auto",
          no_sources: Annotated[bool, typer.Option("--no-sources", help="Skip source detection.")] = False):
    """Label every segment of each article news, chrome or advocacy, with scores and sources."""
    from .pipeline import Options
    from .render import WRITERS

    if kind not in ("auto", "text", "html"):
        raise typer.BadParameter("--kind must be auto, text or html")
    options = Options(model=model, registry=registry, kind=kind, sources=not no_sources)
    m = _load(options)
    failures: list[str] = []
    WRITERS[format.value](_scored(paths, options, m, failures), sys.stdout)
    raise typer.Exit(1 if failures else 0)


@app.command()
def clean(paths: PathsArg = None,
          format: Annotated[CleanFormat, typer.Option("--format", "-f", help="Output format.")] = CleanFormat.text,
          model: ModelOpt = None, kind: KindOpt = "auto",
          with_title: Annotated[bool, typer.Option("--with-title", help="Keep the headline in the text.")] = False):
    """Print the main article text (the news segments) of each input."""
    from .pipeline import Options

    options = Options(model=model, kind=kind, sources=False, include_title=with_title)
    m = _load(options)
    failures: list[str] = []
    first = True
    for art in _scored(paths, options, m, failures, lang=format == CleanFormat.json):
        body = art.main_text(include_title=with_title)
        if format == CleanFormat.json:
            sys.stdout.write(json.dumps({"input": art.input, "title": art.title(), "lang": art.lang, "kind": art.kind,
                                         "text": body}, ensure_ascii=False) + "\n")
        else:
            if not first:
                sys.stdout.write("\n")
            sys.stdout.write(body + "\n")
        first = False
        sys.stdout.flush()
    raise typer.Exit(1 if failures else 0)


@app.command()
def train(data: Annotated[List[Path], typer.Argument(help="Labelled data: .jsonl documents or .csv rows.")],
          out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Model directory to write "
                                                      "(default: a new directory under $SOURCECHECK_HOME/models).")] = None,
          name: Annotated[str, typer.Option("--name", help="Model name.")] = "custom",
          base: ModelOpt = None,
          force: Annotated[bool, typer.Option("--force", help="Replace an existing model directory.")] = False):
    """Train the text model on labelled documents; the HTML model is kept from the base model."""
    from .labelled import DataError, files_sha256, read_labelled
    from .model.store import ModelError, save_model, user_model_root
    from .model.card import model_card
    from .train import train_text_model

    try:
        docs = read_labelled(data)
        target = out or (user_model_root() / name)
        if target.exists() and not target.is_dir():
            _err(f"{target} exists and is not a model directory")
            raise typer.Exit(1)
        if target.exists() and any(target.iterdir()) and not force:
            _err(f"{target} exists and is not empty (use --force to replace it)")
            raise typer.Exit(1)
        model = train_text_model(docs, base=base, name=name, data_hashes=files_sha256(data))
        path = save_model(model, target, overwrite=force, card=model_card)
    except (DataError, ModelError, ValueError) as exc:
        _err(str(exc))
        raise typer.Exit(1)
    typer.echo(f"trained on {len(docs)} documents; model written to {path}")


@app.command()
def evaluate(data: Annotated[List[Path], typer.Argument(help="Labelled data: .jsonl documents or .csv rows.")],
             model: ModelOpt = None,
             format: Annotated[str, typer.Option("--format", "-f", help="table or json")] = "table"):
    """Per-class precision, recall and F1 of a model on labelled documents, with the confusion matrix."""
    from .labelled import DataError, read_labelled
    from .model.store import ModelError, load_model
    from .train import evaluate_docs

    try:
        docs = read_labelled(data)
        report = evaluate_docs(load_model(model), docs)
    except (DataError, ModelError, ValueError) as exc:
        _err(str(exc))
        raise typer.Exit(1)
    if format == "json":
        typer.echo(json.dumps(report, indent=2))
        return
    typer.echo(f"model {report['model']['name']} {report['model']['version']}: "
               f"{report['documents']} documents, {report['segments']} segments, "
               f"accuracy {report['accuracy']:.3f}, macro-F1 {report['macro_f1']:.3f}")
    typer.echo(f"{'label':<10}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>10}")
    for lab, m in report["per_class"].items():
        typer.echo(f"{lab:<10}{m['precision']:>10.3f}{m['recall']:>10.3f}{m['f1']:>10.3f}{m['support']:>10}")
    labs = report["confusion"]["labels"]
    typer.echo("confusion (rows: truth, columns: predicted)")
    typer.echo(" " * 10 + "".join(f"{lab:>10}" for lab in labs))
    for lab, row in zip(labs, report["confusion"]["matrix"]):
        typer.echo(f"{lab:<10}" + "".join(f"{v:>10}" for v in row))


@app.command()
def report(path: Annotated[str, typer.Argument(help="An article file (text or saved HTML page).")],
           output: Annotated[Path, typer.Option("--output", "-o", help="HTML file to write.")],
           model: ModelOpt = None, registry: RegistryOpt = None,
           force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False):
    """Write a self-contained HTML report of one article, for reading in a browser."""
    from .atomic import WriteError, atomic_open
    from .pipeline import Options
    from .render import write_html

    if output.exists() and not force:
        _err(f"{output} exists (use --force to replace it)")
        raise typer.Exit(1)
    if not output.parent.is_dir():
        _err(f"{output.parent}: no such directory")
        raise typer.Exit(1)
    options = Options(model=model, registry=registry)
    m = _load(options)
    failures: list[str] = []
    articles = list(_scored([path], options, m, failures))
    if failures:
        raise typer.Exit(1)
    try:
        with atomic_open(output, "w", overwrite=force) as fh:
            write_html(articles, fh)
    except (WriteError, OSError) as exc:
        _err(str(exc) if isinstance(exc, WriteError) else f"{output}: {exc.strerror or exc}")
        raise typer.Exit(1)
    typer.echo(f"report written to {output}")


@app.command("upgrade-model")
def upgrade_model(old: Annotated[Path, typer.Argument(help="A model directory of the older skops format.")],
                  out: Annotated[Path, typer.Option("--out", "-o", help="Where to write the converted model.")],
                  force: Annotated[bool, typer.Option("--force", help="Replace an existing model directory.")] = False):
    """Convert a model directory of the older skops format into the current format (arrays and JSON).

    Reading the old format needs scikit-learn and skops; only the exact types a sourcecheck model is made
    of are accepted, so a crafted file is refused before anything in it is built.
    """
    from .model.card import model_card
    from .model.old.format1 import load_format1
    from .model.store import ModelError, save_model

    try:
        model = load_format1(old)
        path = save_model(model, out, overwrite=force, card=model_card)
    except ModelError as exc:
        _err(str(exc))
        raise typer.Exit(1)
    typer.echo(f"model written to {path} (sha256 {model.sha256[:12]})")


def _registry(registry: str | None):
    from .provenance import load_registry

    try:
        return load_registry(registry)
    except Exception as exc:  # noqa: BLE001
        _err(f"registry: {exc}")
        raise typer.Exit(1)


@sources_app.command("list")
def sources_list(registry: RegistryOpt = None,
                 all_: Annotated[bool, typer.Option("--all", help="Include imported outlets, not only curated ones.")] = False):
    """List the sources in the registry."""
    reg = _registry(registry)
    for s in (list(reg.sources.values()) if all_ else reg.curated()):
        typer.echo(f"{s['id']:<28} {s.get('type', ''):<26} {s.get('country', '') or '':<4} {s.get('name', '')}")


@sources_app.command("show")
def sources_show(name: str, registry: RegistryOpt = None,
                 format: Annotated[str, typer.Option("--format", "-f", help="text or json")] = "text"):
    """Show one source with its cited notes."""
    from .provenance import notes_for

    reg = _registry(registry)
    src = reg.find(name)
    if src is None:
        _err(f"no source named {name!r}")
        raise typer.Exit(1)
    notes = notes_for({"source_id": src["id"], **src})
    if format == "json":
        typer.echo(json.dumps({"source": src, "notes": notes}, indent=2, ensure_ascii=False, default=str))
        return
    typer.echo(f"{src.get('name')} ({src['id']}): {src.get('type', '')}, {src.get('country', '')}")
    for n in notes:
        cit = n.get("citation") or {}
        typer.echo(f"  - {n.get('claim')}: {n.get('value')}  [{cit.get('title', '')} {cit.get('url', '')}; "
                   f"as of {n.get('as_of', '?')}]")


@sources_app.command("lookup")
def sources_lookup(domain: str, registry: RegistryOpt = None):
    """Find the source behind a domain or URL (longest matching suffix)."""
    reg = _registry(registry)
    src = reg.lookup_domain(domain)
    if src is None:
        _err(f"no source known for {domain}")
        raise typer.Exit(1)
    typer.echo(f"{src['id']}\t{src.get('name', '')}")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
