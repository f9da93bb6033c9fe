"""Entry point: `resume-tui` opens the TUI; subcommands run headless for scripts and CI.

Kept import-light on purpose: parsing arguments imports neither Textual nor any LLM
SDK; each subcommand's module is imported only when that subcommand runs. Errors become
one line on stderr and an exit code from DESIGN §8 (0 ok, 2 bad input, 3 budget,
4 no provider, 130 cancelled) — never a traceback; unexpected failures are logged to a
file the message names.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from datetime import UTC

from resume_tui import __version__

# subcommand → (module under resume_tui.commands, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "inspect": ("inspect", "show what the parser made of a resume"),
    "analyze": ("analyze", "score a resume against a job description and list the gaps"),
    "tailor": ("tailor", "propose honest changes, apply the approved ones and export"),
    "letter": ("letter", "write a cover letter whose every sentence is traced to your resume"),
    "batch": ("batch", "rank many postings against one resume, report, and tailor the best"),
    "doctor": ("doctor", "check config, paths, database and providers"),
    "sessions": ("sessions", "list, show, delete or prune saved sessions"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="resume-tui",
        description="Tailor a resume to a job description, honestly. Without a subcommand, opens the TUI.",
    )
    parser.add_argument("--version", action="version", version=f"resume-tui {__version__}")
    parser.add_argument("--demo", action="store_true", help="open the TUI on the bundled sample resume and JD (offline)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module, help_text) in COMMANDS.items():
        sub_parser = sub.add_parser(name, help=help_text, description=help_text[0].upper() + help_text[1:] + ".")
        _command_module(module).add_arguments(sub_parser)
    return parser


def _command_module(module: str):
    return importlib.import_module(f"resume_tui.commands.{module}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            return _run_tui(demo=args.demo)
        module = _command_module(COMMANDS[args.command][0])
        return int(module.run(args) or 0)
    except KeyboardInterrupt:
        print("resume-tui: cancelled; nothing was written.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - the one place that turns any failure into one line
        from resume_tui.errors import ResumeTuiError

        if isinstance(exc, ResumeTuiError):
            from resume_tui.textsafe import display_safe

            # Messages quote file names and document text: never let them drive the terminal.
            print(f"resume-tui: {display_safe(exc.message)}", file=sys.stderr)
            return exc.exit_code
        log = _log_unexpected(exc)
        print(
            f"resume-tui: unexpected internal error ({type(exc).__name__}); nothing was written. "
            f"Details are in {log} — please report it.",
            file=sys.stderr,
        )
        return 1


def _run_tui(*, demo: bool) -> int:
    from resume_tui.app import ResumeTuiApp

    app = ResumeTuiApp(demo=demo)
    app.run()
    return int(app.return_code or 0)


def _log_unexpected(exc: BaseException) -> str:
    """Append the traceback to the log file in the data dir; return where it went."""
    import traceback
    from datetime import datetime

    from resume_tui.config import data_dir

    try:
        import os

        log_dir = data_dir() / "logs"
        log_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = log_dir / "resume-tui.log"
        # 0600 whatever the umask: a traceback can quote the resume.
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as fh:
            fh.write(f"--- {datetime.now(UTC).isoformat()} {' '.join(sys.argv)}\n")
            fh.write("".join(traceback.format_exception(exc)))
        return str(path)
    except OSError:
        return "(the log could not be written)"


if __name__ == "__main__":
    raise SystemExit(main())
