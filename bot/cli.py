"""The `reportbot` command line. Each command lives in the module that owns its feature."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reportbot",
        description="Chinese government work reports, answerable in a chat.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser("run", help="run the Telegram bot (needs TELEGRAM_BOT_TOKEN)")
    run.add_argument(
        "--rotate-webhook-secret",
        action="store_true",
        help="make a new webhook secret before starting (see README, Webhook)",
    )
    sub.add_parser("console", help="chat with the engine locally, one query per line")

    ingest = sub.add_parser("ingest", help="load report files or folders into the database")
    ingest.add_argument("paths", nargs="+", metavar="PATH")
    ingest.add_argument(
        "--force",
        action="store_true",
        help="load files even when they do not look like government work reports",
    )

    reports = sub.add_parser("reports", help="list the loaded reports")
    reports.add_argument("--json", action="store_true", help="print JSON")

    parse = sub.add_parser("parse", help="parse one file and show what was extracted")
    parse.add_argument("file", metavar="FILE")
    parse.add_argument("--json", action="store_true", help="print the full structure as JSON")

    ask = sub.add_parser("ask", help="answer queries as the bot would")
    ask.add_argument("--json", action="store_true", help="print one JSON object per query")
    ask.add_argument("--report", metavar="ID", help="scope the queries to one report")
    ask.add_argument("--csv", metavar="FILE", help="write the answer's table as CSV (UTF-8, BOM)")
    ask.add_argument("--chart", metavar="FILE", help="write the answer's table as a PNG chart")
    ask.add_argument("queries", nargs="+", metavar="QUERY")

    stats = sub.add_parser("stats", help="usage: queries per day, top queries, top misses")
    stats.add_argument("--json", action="store_true", help="print JSON")

    ev = sub.add_parser("eval", help="score retrieval cases from a TOML file")
    ev.add_argument("cases", metavar="CASES.toml")
    ev.add_argument("--report", metavar="ID", help="report the cases are about")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if (bad := undecodable(argv)) is not None:
        position, arg = bad
        # Python hands undecodable bytes over as lone surrogates (surrogateescape): they can be
        # neither searched nor printed, so say which argument it is instead of a traceback.
        shown = os.fsencode(arg) if os.name == "posix" else arg.encode("utf-8", "replace")
        print(f"reportbot: argument {position} is not valid UTF-8 text: {shown!r}; "
              "check the terminal's encoding (e.g. LANG=C.UTF-8)", file=sys.stderr)  # fmt: skip
        return 2
    args = build_parser().parse_args(argv)
    try:
        return _run(args)
    except BrokenPipeError:
        # `reportbot ask … | head`: the reader left; that is not an error worth a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def undecodable(argv: Sequence[str]) -> tuple[int, str] | None:
    """(1-based position, argument) of the first argument that holds undecodable bytes."""
    for position, arg in enumerate(argv, 1):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            return position, arg
    return None


def _run(args: argparse.Namespace) -> int:
    # Imports are deferred so `reportbot parse` never pays for Telegram or the database.
    if args.command == "parse":
        from bot.parse_view import run_parse

        return run_parse(args.file, as_json=args.json)
    if args.command == "run":
        from bot.app import run_bot

        return run_bot(rotate_webhook_secret=args.rotate_webhook_secret)
    from bot import commands

    return commands.dispatch(args)


if __name__ == "__main__":
    sys.exit(main())
