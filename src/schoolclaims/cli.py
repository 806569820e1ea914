"""`schoolclaims` command: fetch, import, verify, build, claims, sources."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import paths


def _fetch(args) -> int:
    from . import sources
    from .acquire.fetch import fetch_files
    from .acquire.http import PoliteSession

    session = None if args.offline else PoliteSession(delay=args.delay)
    problems = fetch_files(sources.specs(args.sources or None), session=session, offline=args.offline,
                           refresh=args.refresh, replace=args.replace)
    if problems:
        print(f"\n{len(problems)} file(s) not archived:", file=sys.stderr)
        for line in problems:
            print(f"  - {line}", file=sys.stderr)
        return 1
    return 0


def _import(args) -> int:
    from .acquire.archive import Archive

    resource = Archive().import_file(Path(args.file), args.source, args.vintage, args.origin, args.origin_detail,
                                     url=args.url, filename=args.filename, replace=args.replace, supersedes=args.supersedes)
    print(f"archived data/raw/{resource.path} sha256 {resource.sha256} ({resource.bytes} bytes, origin {resource.origin})")
    return 0


def _verify(_args) -> int:
    from .acquire.archive import Archive, ArchiveError
    from .build import required_resources

    archive, bad = Archive(), 0
    for resource in required_resources(archive):
        try:
            path = archive.locate(resource)
            print(f"ok      {resource.path}  <- {paths.relative(path)}")
        except ArchiveError as exc:
            bad += 1
            print(f"PROBLEM {exc}", file=sys.stderr)
    return 1 if bad else 0


def _build(args) -> int:
    from . import freshness

    out = Path(args.out) if args.out else paths.PROCESSED
    if not args.force and freshness.up_to_date(out, freshness.build_inputs()):
        print(f"{paths.relative(out)} is up to date: the raw files and the code are unchanged since its last build "
              "(--force rebuilds anyway)")
        return 0
    from .acquire.archive import Archive, ArchiveError
    from .build import build, check_available
    from .tables import SCHEMAS, load, validate

    try:
        missing = check_available(Archive())
    except ArchiveError as exc:  # a checksum mismatch, a damaged manifest, two files in one place
        if not args.if_available:
            raise
        missing = [str(exc)]
    if missing:
        print("Cannot rebuild data/processed from the raw files:", file=sys.stderr)
        for line in missing:
            print(f"  - {line}", file=sys.stderr)
        if not args.if_available:
            return 1
        print("Keeping the committed data/processed tables (checking that they still validate).", file=sys.stderr)
        for name in SCHEMAS:
            validate(name, load(name))
        return 0
    build(out)
    return 0


def _claims(args) -> int:
    from .claims import evaluate_all, format_result, markdown_table, result_record

    results = evaluate_all(only=args.ids or None)
    if args.format == "markdown":
        print(markdown_table(results), end="")
        return 0
    if args.format == "json":
        import json

        print(json.dumps([result_record(r) for r in results], indent=2, ensure_ascii=False))
        return 0
    for result in results:
        print(format_result(result, evidence_rows=args.rows))
        print()
    return 0


def _new(args) -> int:
    from .claims.scaffold import scaffold

    path = scaffold(args.id, args.method)
    print(f"wrote {paths.relative(path)}: fill in every TODO, then run `schoolclaims claims {args.id}`; "
          "an error names each field still missing or wrong")
    return 0


def _trace(args) -> int:
    from .trace import trace

    print(trace(args.target))
    return 0


def _sources(_args) -> int:
    from . import sources

    print(sources.source_table(), end="")
    return 0


def _site(args) -> int:
    from .report import site

    return site.run(args)


def _project_errors() -> tuple[type[BaseException], ...]:
    """Errors that mean bad input, a missing file or a refused download: shown as one line, not a traceback."""
    from .acquire.archive import ArchiveError
    from .acquire.http import FetchError
    from .acquire.wayback import CaptureLookupError
    from .report.execute import NotebookError

    return (ArchiveError, FetchError, CaptureLookupError, NotebookError, OSError, ValueError)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="schoolclaims", description=__doc__)
    parser.add_argument("--debug", action="store_true", help="show the full traceback of an error")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("fetch", help="archive raw files (mirror first, then the publisher)")
    p.add_argument("sources", nargs="*", help="source names or file source ids (default: all; `schoolclaims sources` lists them)")
    p.add_argument("--offline", action="store_true", help="use mirrors only; never touch the network")
    p.add_argument("--refresh", action="store_true", help="ask the publisher again (conditional request)")
    p.add_argument("--replace", action="store_true", help="let new bytes supersede an archived snapshot")
    p.add_argument("--delay", type=float, default=2.0, help="seconds between requests to one host (default 2)")
    p.set_defaults(func=_fetch)

    p = sub.add_parser("import", help="archive a file obtained by hand, with its stated origin")
    p.add_argument("file")
    p.add_argument("--source", required=True, help="source id, e.g. alliance_salary")
    p.add_argument("--vintage", required=True, help="e.g. 2015-16")
    p.add_argument("--origin", default="manual-import", choices=["manual-import", "internet-archive", "official", "mirror"])
    p.add_argument("--origin-detail", required=True, help="who published it, where and when; how it was obtained")
    p.add_argument("--url", default="", help="the official address, if it has one")
    p.add_argument("--filename", help="name to archive it under (default: the file's own name)")
    p.add_argument("--replace", action="store_true", help="let new bytes replace the file archived at the same path")
    p.add_argument("--supersedes", default="", help="data/raw path of an archived file this one corrects (e.g. a "
                   "ledger re-transcribed under a new vintage); the build then reads only the new one")
    p.set_defaults(func=_import)

    p = sub.add_parser("verify", help="check every archived raw file against its manifest sha256")
    p.set_defaults(func=_verify)

    p = sub.add_parser("build", help="rebuild data/processed from the archived raw files")
    p.add_argument("--out", help="write somewhere else than data/processed")
    p.add_argument("--if-available", action="store_true",
                   help="when raw files are unreachable, keep (and validate) the committed tables instead of failing")
    p.add_argument("--force", action="store_true", help="rebuild even when nothing changed since the last build")
    p.set_defaults(func=_build)

    p = sub.add_parser("claims", help="evaluate the registered claims and print ratings with evidence")
    p.add_argument("ids", nargs="*", help="claim ids (default: all)")
    p.add_argument("--rows", type=int, default=12, help="evidence rows to print per claim (text format)")
    p.add_argument("--format", choices=["text", "json", "markdown"], default="text",
                   help="json: every claim with its rating, conclusion, evidence rows and provenance, for machines; "
                        "markdown: the README's table of findings")
    p.set_defaults(func=_claims)

    p = sub.add_parser("new", help="write a claim file to fill in, for an existing rating method")
    p.add_argument("id", help="the claim id, e.g. sdusd-outspends-lausd-2018 (lowercase words joined by '-')")
    p.add_argument("--method", required=True, help="the rating method (e.g. district_spending_comparison, claimed_rank)")
    p.set_defaults(func=_new)

    p = sub.add_parser("trace", help="print the raw files behind a number: a sha256 prefix, table:line or a claim id")
    p.add_argument("target", help="a sha256 prefix (6+ hex digits), table:line (e.g. per_pupil_funding:2), or a claim id")
    p.set_defaults(func=_trace)

    p = sub.add_parser("sources", help="print the table of sources (Markdown, as in the README)")
    p.set_defaults(func=_sources)

    # the options of `python -m schoolclaims.report.site`, declared here so other commands never import it
    p = sub.add_parser("site", help="run the notebooks whose inputs changed, then write the static site in report/")
    p.add_argument("--out", help="write the site here instead of report/ (chart files are copied in)")
    p.add_argument("--force", action="store_true", help="run every notebook and rewrite every page")
    p.add_argument("--no-execute", action="store_true", help="use the notebooks as committed; do not run them")
    p.add_argument("--base-url", default="", help="absolute address of the published site, for ClaimReview urls")
    p.add_argument("--jobs", type=int, default=4, help="notebooks run at once (default 4: kernels often wait)")
    p.set_defaults(func=_site)

    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except _project_errors() as exc:
        if args.debug:
            raise
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
