"""`tfenvcheck report`: check the target (or take saved results), add its fix history and bench results,
and write the readiness report as HTML, Markdown and/or the JSON document it was rendered from."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from tfenvcheck import documents
from tfenvcheck.commands import options
from tfenvcheck.commands.check import check_as_asked
from tfenvcheck.commands.model import model_check
from tfenvcheck.commands.output import print_json
from tfenvcheck.errors import UsageError
from tfenvcheck.fixer.journal import list_runs
from tfenvcheck.profiles.selection import choose_profile
from tfenvcheck.registry.entry import Breakage
from tfenvcheck.registry.loader import load_registry
from tfenvcheck.render.check_json import result_document
from tfenvcheck.render.console import stderr_console
from tfenvcheck.render.redact import redact_data
from tfenvcheck.report.document import ReportSources, added_files, build_report, load_sources, named_fixes
from tfenvcheck.report.html import render_report_html
from tfenvcheck.report.markdown import render_report_markdown

DEFAULT_HTML = "tfenvcheck-report.html"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "report",
        help="write one readiness report (HTML and/or Markdown): verdict, findings, fixes, training time",
        description="Check the target against a profile, add the fixes tfenvcheck applied to it and any bench "
        "results given with --from, and write the report: a self-contained HTML page (charts "
        "inline, nothing fetched), Markdown for an issue or a forum post, and the JSON document "
        "they were rendered from. With a saved report or check result in --from, nothing is "
        "probed: the saved results are rendered again. Without any output option, writes "
        + DEFAULT_HTML
        + ". Paths, user name and GPU UUIDs are redacted unless --no-redact.",
    )
    options.add_target_options(parser)
    options.add_profile_option(parser)
    options.add_requirements_option(parser)
    parser.add_argument("--html", metavar="FILE", type=Path, help="write the HTML report to FILE")
    parser.add_argument("--markdown", metavar="FILE", type=Path, help="write the Markdown report to FILE ('-': stdout)")
    parser.add_argument(
        "--json",
        metavar="FILE",
        type=Path,
        dest="json_file",
        help="write the report's JSON document to FILE (unredacted; re-render it with --from)",
    )
    parser.add_argument(
        "--from",
        metavar="FILE",
        type=Path,
        action="append",
        default=[],
        dest="sources",
        help="a saved report, `check --json` result or `bench --output` result (repeatable); "
        "bench results after the first are shown as comparisons; or a `rehearse --output` result",
    )
    parser.add_argument(
        "--model",
        metavar="FILE",
        type=Path,
        action="append",
        default=[],
        dest="models",
        help="also check that this model file (.h5, .keras, SavedModel folder) loads and predicts in the "
        "target, as `tfenvcheck model` does (repeatable)",
    )
    parser.add_argument("--no-redact", action="store_true", help="keep the user name, home path and GPU UUIDs")
    options.add_check_options(parser)
    options.add_resolve_option(parser)
    options.add_timeout_option(parser)
    options.add_registry_option(parser)
    parser.set_defaults(handler=run)


def live_report(args: argparse.Namespace, breakages: list[Breakage], sources: ReportSources) -> dict[str, Any]:
    result = check_as_asked(args, breakages, announce=True)
    fix_runs = list_runs(result.facts.target.executable)
    return build_report(result_document(result), fix_runs, sources.bench, breakages, sources.read_from)


def report_document(args: argparse.Namespace) -> dict[str, Any]:
    sources = load_sources(args.sources)
    report = _report_document(args, sources)
    if sources.rehearsals:
        read_from = dict(report.get("read_from") or {})
        read_from["rehearsal"] = [None] * len(report.get("rehearsals", [])) + sources.rehearsal_files
        report = dict(report, rehearsals=report.get("rehearsals", []) + sources.rehearsals, read_from=read_from)
    return report


def _report_document(args: argparse.Namespace, sources: ReportSources) -> dict[str, Any]:
    breakages = load_registry(args.registry)
    if args.resolve and (sources.report is not None or sources.check is not None):
        raise UsageError("--resolve judges what pip would install now: it needs a live check, not one read with --from")
    if sources.report is not None:
        report = dict(sources.report, bench=sources.report["bench"] + sources.bench)
        report.setdefault("fixes", named_fixes(report["check"], breakages))  # saved before reports carried them
        report["read_from"] = added_files(sources.report, sources.bench_files)
        return report
    if sources.check is not None:  # a check result carries no fix history
        return build_report(sources.check, [], sources.bench, breakages, sources.read_from)
    return live_report(args, breakages, sources)


def checked_models(args: argparse.Namespace, breakages: list[Breakage]) -> list[dict[str, Any]]:
    """`tfenvcheck model`'s document of each --model file, loaded in the target."""
    if not args.models:
        return []
    profile = choose_profile(args.profile, args.requirements)
    target = options.target_from(args)
    return [model_check(path.expanduser(), target, profile, breakages) for path in args.models]


def write_output(path: Path, text: str) -> None:
    if str(path) == "-":
        print(text, end="")
        return
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise UsageError("{}: cannot write the report ({})".format(path, error.strerror or error)) from None
    stderr_console().print("Wrote {}".format(path))


def run(args: argparse.Namespace) -> int:
    if not (args.html or args.markdown or args.json_file):
        args.html = Path(DEFAULT_HTML)
    document = report_document(args)
    if args.models:
        document["models"] = checked_models(args, load_registry(args.registry))
    shown = document if args.no_redact else redact_data(document)
    if args.json_file and str(args.json_file) == "-":
        print_json(document)
    elif args.json_file:
        write_output(args.json_file, documents.dumps(document))
    if args.html:
        write_output(args.html, render_report_html(shown))
    if args.markdown:
        write_output(args.markdown, render_report_markdown(shown))
    return int(document["check"]["exit_code"])
