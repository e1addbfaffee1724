"""What gaoxin's own management commands share: the exit-code contract and the audit actor.

Exit 0 with a one-line summary; exit 1 with every error on bad input (nothing written);
exit 2 on wrong usage (argparse's own convention, also when run through call_command).
"""

import getpass
import os
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from gaoxin.core.audit.context import Actor, acting_as

EXIT_BAD_INPUT = 1
EXIT_USAGE = 2


class UsageErrorParser(CommandParser):
    """Like Django's parser, but a usage error run through call_command carries exit code 2 as well."""

    def error(self, message):
        if self.called_from_command_line:
            super().error(message)  # argparse prints the usage and exits with 2
        raise CommandError(f"Error: {message}", returncode=EXIT_USAGE)


class GaoxinCommand(BaseCommand):
    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        # Django builds a plain CommandParser and offers no hook for its class (add_actions covers the subparsers).
        parser.__class__ = UsageErrorParser
        return parser

    def add_actions(self, parser):
        return parser.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=UsageErrorParser)


def operator_name() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (OSError, KeyError):
        return "cli"


@contextmanager
def cli_actor():
    """Services called from here are recorded as done by the server's operator, via the command line."""
    with acting_as(Actor(user=None, name=operator_name(), via="cli")) as actor:
        yield actor


def bad_input(lines: list[str]) -> CommandError:
    body = "\n".join(f"  - {line}" for line in lines)
    return CommandError(_("输入有误，未写入任何数据：") + "\n" + body, returncode=EXIT_BAD_INPUT)


def validation_lines(exc: ValidationError, labels: dict[str, str] | None = None) -> list[str]:
    labels = labels or {}
    if not hasattr(exc, "error_dict"):
        return list(exc.messages)
    lines = []
    for field, messages in exc.message_dict.items():
        for message in messages:
            lines.append(message if field == "__all__" else f"{labels.get(field, field)}：{message}")
    return lines


def read_password(*, confirm: bool = True) -> str:
    """From GAOXIN_PASSWORD, else asked twice on the terminal."""
    from_env = os.environ.get("GAOXIN_PASSWORD")
    if from_env is not None:
        return from_env
    try:
        first = getpass.getpass(_("密码："))
        if confirm and getpass.getpass(_("再次输入密码：")) != first:
            raise bad_input([_("两次输入的密码不一致。")])
    except (EOFError, KeyboardInterrupt):
        raise bad_input([_("未输入密码：请在终端中输入，或设置环境变量 GAOXIN_PASSWORD。")]) from None
    return first
