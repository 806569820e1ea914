"""The `schoolclaims` command: archive the raw files, build the tables, rate the claims, write the site."""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

import click

from . import __version__, errors, paths

log = logging.getLogger("schoolclaims")
_options = {"debug": False}  # the group's --debug, read when an error reaches main()

ENVIRONMENT = """\b
Environment variables:
  SCHOOLCLAIMS_MIRROR      folders of mirrored raw files (each with a MANIFEST.csv), separated by ':';
                           consulted before the network (the Makefile uses ../shared/mirror when present)
  SCHOOLCLAIMS_CHARTS_DIR  where notebooks write chart files (default report/charts)
  SCHOOLCLAIMS_CLAIMS_DIR  the folder of claim files that `claims`, `new` and the site read (default claims/)
  SCHOOLCLAIMS_CHROMIUM    the Chromium the browser test drives (default /usr/bin/chromium)

\b
Exit statuses:
  0 done
  1 the command ran and found problems it lists (verify, fetch, build without its raw files)
  2 usage: unknown command or option, missing argument
  3 data error: a damaged, missing or unexpected file, a checksum mismatch, an invalid table or claim file
  4 network error: a download refused, cut short or unreachable
  5 an optional package is missing (the message names the extra to install)
"""


class Summary:
    """The one line a long command ends with: files read, how many from the cache, tables written, seconds."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.read = self.cached = 0

    def log(self, message: str) -> None:  # the build's progress messages, counted as they pass
        if message.startswith("read "):
            self.read += 1
            self.cached += "extracted earlier" in message
        log.info(message)

    def line(self, tables: int) -> str:
        return (f"{self.read} files read ({self.cached} from cache), {tables} tables written, "
                f"{time.perf_counter() - self.started:.1f} s")


class _Handler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        click.echo(self.format(record), err=True)


def _configure_logging(verbose: int, quiet: int) -> None:
    level = logging.INFO - 10 * verbose + 10 * quiet
    root = logging.getLogger("schoolclaims")
    root.handlers[:] = [_Handler()]
    root.setLevel(max(logging.DEBUG, min(level, logging.ERROR)))
    root.propagate = False


class Group(click.Group):
    """Commands listed in the order they are declared (the order of the pipeline), not alphabetically."""

    def list_commands(self, ctx):
        return list(self.commands)


@click.group(cls=Group, epilog=ENVIRONMENT, context_settings={"help_option_names": ["-h", "--help"],
                                                                "max_content_width": 118})
@click.version_option(__version__, "--version", prog_name="schoolclaims")
@click.option("-v", "--verbose", count=True, help="more messages (-vv: debugging detail)")
@click.option("-q", "--quiet", count=True, help="fewer messages (-q: warnings and errors only)")
@click.option("--debug", is_flag=True, help="show the full traceback of an error")
@click.pass_context
def cli(ctx: click.Context, verbose: int, quiet: int, debug: bool) -> None:
    """Check claims about Los Angeles schools against archived public data.

    The pipeline: fetch (or import) raw files -> verify -> build the tables -> rate the claims -> write the site.
    Output meant for reading or piping goes to standard output; progress and errors to standard error."""
    _configure_logging(verbose, quiet)
    _options["debug"] = debug


@cli.command()
@click.argument("sources", nargs=-1)
@click.option("--offline", is_flag=True, help="use mirrors only; never touch the network")
@click.option("--refresh", is_flag=True, help="ask the publisher again (conditional request)")
@click.option("--replace", is_flag=True, help="let new bytes supersede an archived snapshot")
@click.option("--delay", type=click.FloatRange(min=0), default=2.0, show_default=True,
              help="seconds between requests to one host")
def fetch(sources, offline, refresh, replace, delay):
    """Archive raw files: mirror first, then the publisher.

    SOURCES: source names or file source ids (default: all; `schoolclaims sources` lists them)."""
    from . import sources as registry
    from .acquire.fetch import fetch_files
    from .acquire.http import PoliteSession

    session = None if offline else PoliteSession(delay=delay)
    problems = fetch_files(registry.specs(list(sources) or None), session=session, offline=offline,
                           refresh=refresh, replace=replace)
    if problems:
        log.error(f"{len(problems)} file(s) not archived:")
        for line in problems:
            log.error(f"  - {line}")
        return errors.PROBLEMS
    return errors.OK


@cli.command(name="import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--source", required=True, help="source id, e.g. alliance_salary")
@click.option("--vintage", required=True, help="e.g. 2015-16")
@click.option("--origin", default="manual-import", show_default=True,
              type=click.Choice(["manual-import", "internet-archive", "official", "mirror"]))
@click.option("--origin-detail", required=True, help="who published it, where and when; how it was obtained")
@click.option("--url", default="", help="the official address, if it has one")
@click.option("--filename", help="name to archive it under (default: the file's own name)")
@click.option("--replace", is_flag=True, help="let new bytes replace the file archived at the same path")
@click.option("--supersedes", default="", help="data/raw path of an archived file this one corrects (e.g. a ledger "
              "re-transcribed under a new vintage); the build then reads only the new one")
def import_(file, source, vintage, origin, origin_detail, url, filename, replace, supersedes):
    """Archive a file obtained by hand, with its origin."""
    from .acquire.archive import Archive

    resource = Archive().import_file(file, source, vintage, origin, origin_detail, url=url, filename=filename,
                                     replace=replace, supersedes=supersedes)
    click.echo(f"archived data/raw/{resource.path} sha256 {resource.sha256} ({resource.bytes} bytes, "
               f"origin {resource.origin})")
    return errors.OK


@cli.command()
def verify():
    """Check every archived raw file against its sha256."""
    from .acquire.archive import Archive, ArchiveError
    from .build import required_resources

    archive, bad = Archive(), 0
    for resource in required_resources(archive):
        try:
            path = archive.locate(resource)
            click.echo(f"ok      {resource.path}  <- {paths.relative(path)}")
        except ArchiveError as exc:
            bad += 1
            log.error(f"PROBLEM {exc}")
    return errors.PROBLEMS if bad else errors.OK


@cli.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="write somewhere else than data/processed")
@click.option("--if-available", is_flag=True,
              help="when raw files are unreachable, keep (and validate) the committed tables instead of failing")
@click.option("--force", is_flag=True, help="rebuild even when nothing changed since the last build")
def build(out, if_available, force):
    """Rebuild data/processed from the archived raw files.

    Also writes data/processed/datapackage.json (the data dictionary) and ends with a one-line summary."""
    from . import freshness

    out = out or paths.PROCESSED
    summary = Summary()
    if not force and freshness.up_to_date(out, freshness.build_inputs()):
        log.info(f"{paths.relative(out)} is up to date: the raw files and the code are unchanged since its last "
                 "build (--force rebuilds anyway)")
        if not (Path(out) / "datapackage.json").is_file():  # made with the tables; only a missing one is written here
            _write_datapackage(out)
        return errors.OK
    from .acquire.archive import Archive, ArchiveError
    from .build import build as build_tables, unreachable
    from .tables import SCHEMAS, load, validate

    try:
        missing = unreachable(Archive())
    except ArchiveError as exc:  # a checksum mismatch, a damaged manifest, two files in one place
        if not if_available:
            raise
        log.warning(f"Cannot rebuild data/processed from the raw files: {exc}")
        missing = None
    if missing:
        _say_what_is_missing(missing)
    if missing or missing is None:
        if not if_available:
            return errors.PROBLEMS
        log.warning("Keeping the committed data/processed tables (checking that they still validate).")
        for name in SCHEMAS:
            validate(name, load(name))
        _write_datapackage(out)
        return errors.OK
    from .memory import keep_freed_memory

    keep_freed_memory()  # the statewide files are read one after another: reuse their memory rather than re-zero it
    tables = build_tables(out, log=summary.log)
    _write_datapackage(out)
    log.info(summary.line(len(tables)))
    return errors.OK


def _say_what_is_missing(missing) -> None:
    """The raw files the build cannot reach, one line per source (every file with -v), and what to do."""
    by_source: dict[str, list] = {}
    for resource, _exc in missing:
        by_source.setdefault(resource.source_id, []).append(resource)
    log.warning(f"Cannot rebuild data/processed: {len(missing)} raw file{'s' * (len(missing) != 1)} "
                "neither archived here nor in a mirror:")
    for _resource, exc in missing:
        log.debug(f"  {exc}")
    for source_id, resources in by_source.items():
        vintages = sorted({r.vintage for r in resources})
        span = vintages[0] if len(vintages) == 1 else f"{vintages[0]} to {vintages[-1]}"
        log.warning(f"  - {source_id}: {len(resources)} file{'s' * (len(resources) != 1)} ({span}), e.g. "
                    f"data/raw/{resources[0].path}")
    log.warning("  Run `schoolclaims fetch` online, set SCHOOLCLAIMS_MIRROR to a mirror folder (`make` uses "
                "../shared/mirror beside the clone when present), or add a file with `schoolclaims import`; -v names "
                "every file with its address.")


def _write_datapackage(out: Path) -> None:
    from .tables.datapackage import write_datapackage

    if out.is_dir():
        write_datapackage(out)


@cli.command()
@click.argument("ids", nargs=-1)
@click.option("--rows", type=int, default=12, show_default=True, help="evidence rows to print per claim (text format)")
@click.option("--format", "format_", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True,
              help="json: every claim with its rating, conclusion, evidence rows and provenance, for machines; "
                   "markdown: the README's table of findings")
def claims(ids, rows, format_):
    """Rate the claims and print ratings with evidence."""
    from .claims import evaluate_all, format_result, markdown_table, result_record

    results = evaluate_all(only=list(ids) or None)
    if format_ == "markdown":
        click.echo(markdown_table(results), nl=False)
    elif format_ == "json":
        import json

        click.echo(json.dumps([result_record(r) for r in results], indent=2, ensure_ascii=False))
    else:
        for result in results:
            click.echo(format_result(result, evidence_rows=rows))
            click.echo()
    return errors.OK


@cli.command()
@click.argument("id")
@click.option("--method", required=True, help="the rating method (e.g. district_spending_comparison, claimed_rank)")
def new(id, method):
    """Write a claim file to fill in, for a rating method.

    ID: the claim id, e.g. fund-sdusd-outspends-lausd-2018 (lowercase words joined by '-'; the first word,
    fund-, schools-, class- or pay-, names its topic)."""
    from .claims.load import UnknownMethod
    from .claims.scaffold import scaffold

    try:
        path = scaffold(id, method)
    except UnknownMethod as exc:  # a usage error (exit 2), naming the methods
        raise click.BadParameter(str(exc), param_hint="'--method'") from None
    click.echo(f"wrote {paths.relative(path)}: fill in every TODO, then run `schoolclaims claims {id}`; "
               "an error names each field still missing or wrong")
    return errors.OK


@cli.command()
@click.argument("target")
def trace(target):
    """Print the raw files behind a number, a row or a claim.

    TARGET: a sha256 prefix (6+ hex digits), table:line (e.g. per_pupil_funding:2), or a claim id."""
    from .trace import trace as trace_target

    click.echo(trace_target(target))
    return errors.OK


@cli.command()
def sources():
    """Print the table of sources (Markdown, as in README)."""
    from . import sources as registry

    click.echo(registry.source_table(), nl=False)
    return errors.OK


@cli.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="write the site here instead of report/ "
              "(chart files are copied in)")
@click.option("--force", is_flag=True, help="run every notebook and rewrite every page")
@click.option("--no-execute", is_flag=True, help="use the notebooks as committed; do not run them")
@click.option("--base-url", default="", help="absolute address the site is published at (ending in /), for the "
              "ClaimReview url fields; default: relative addresses")
@click.option("--jobs", type=click.IntRange(min=1), default=4, show_default=True,
              help="notebooks run at once (kernels often wait)")
def site(out, force, no_execute, base_url, jobs):
    """Run the notebooks that changed and write the site (report/).

    Notebooks run again only when their inputs changed; pages are rewritten only when theirs did."""
    from types import SimpleNamespace

    from .report import site as site_module

    started = time.perf_counter()
    status = site_module.run(SimpleNamespace(out=out, force=force, no_execute=no_execute, base_url=base_url, jobs=jobs))
    log.info(f"site: {time.perf_counter() - started:.1f} s")
    return status


@cli.command()
@click.option("--port", type=int, default=8001, show_default=True, help="port on 127.0.0.1")
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), help="database file "
              "(default .cache/explore/schoolclaims.db)")
@click.option("--build-only", is_flag=True, help="write the database and its metadata, then stop")
def explore(port, db, build_only):
    """Browse tables, raw files and evidence in Datasette.

    Serves on 127.0.0.1 only.
    Loads data/processed, the raw-file manifest and every claim's evidence into SQLite, with the data dictionary's
    table and column descriptions as Datasette metadata."""
    import subprocess

    from .report import explore as explore_module

    started = time.perf_counter()
    db_path, meta_path = explore_module.prepare(db or explore_module.DATABASE)
    log.info(f"database: {paths.relative(db_path)} ({time.perf_counter() - started:.1f} s)")
    if build_only:
        return errors.OK
    log.info(f"Datasette on http://127.0.0.1:{port}/{db_path.stem} (Ctrl-C stops it)")
    try:
        return subprocess.call(explore_module.datasette_command(db_path, meta_path, port))
    except KeyboardInterrupt:
        return errors.OK


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status (see ``errors``). Project errors are one line on standard
    error (``--debug`` shows the traceback); anything else is a bug and keeps its traceback."""
    argv = sys.argv[1:] if argv is None else list(argv)
    _options["debug"] = False
    if not argv:  # no arguments: the help, on standard output, and success
        with click.Context(cli, info_name="schoolclaims", **cli.context_settings) as ctx:
            click.echo(cli.get_help(ctx))
        return errors.OK
    try:
        status = cli.main(argv, prog_name="schoolclaims", standalone_mode=False)
    except click.exceptions.Exit as exc:  # --help, --version
        return exc.exit_code
    except click.ClickException as exc:  # usage errors: click's message and status 2
        exc.show()
        return exc.exit_code
    except click.Abort:
        click.echo("Aborted.", err=True)
        return 1
    except Exception as exc:
        code = errors.exit_status(exc)
        if code is None or _options.get("debug"):
            raise
        click.echo(f"error: {errors.missing_extra(exc) or exc}", err=True)
        return code
    return errors.OK if status is None else int(status)


if __name__ == "__main__":
    sys.exit(main())
