"""gaoxin timeline CASE.json: the working-day timeline of an approval case (issue 4's binding contract).

Prints one JSON document on stdout:

    {"items": [{"code", "accepted", "due", "decided", "used_wd", "remaining_wd", "status"} … in input order],
     "finish", "total_wd", "critical_path", "provisional"}

with ISO dates. The semantics, and every decision the contract leaves open, are in the docstring of
gaoxin.approvals.clock (the engine the platform runs too).

Invalid input — unreadable file, bad JSON (also NaN/Infinity and a key given twice in one object), wrong
types, unknown keys, a cycle, an unknown or duplicate code, a negative limit, an impossible date, a year
without calendar data — exits 2 with one clear message on stderr and prints nothing on stdout (the whole
result is computed before anything is written). Usage errors are argparse's exit 2 as well.

The calendar is the official one: the chinesecalendar package's data, with the years given under
`calendar.years` replacing the package's for those years. The platform's admin-defined years (the
CalendarYear table) are NOT used: the command's answer depends on its input alone, and it needs no
database (no system checks, no ORM).

CASE.json may be `-` to read standard input.
"""

import json
import sys
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gaoxin.accounts.management.commands._cli import UsageErrorParser
from gaoxin.approvals.clock import TimelineError, parse_case

EXIT_BAD_INPUT = 2


class _DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs):
    seen = {}
    for key, value in pairs:
        if key in seen:
            raise _DuplicateKey(key)
        seen[key] = value
    return seen


def _no_constant(name):
    raise ValueError(name)


def decode(text: str):
    """JSON with exact decimals (warn_ratio 0.2 stays 0.2), no NaN/Infinity and no key given twice."""
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=_no_constant, object_pairs_hook=_no_duplicates)
    except _DuplicateKey as exc:
        raise TimelineError(_("JSON 中同一对象内的字段 %(key)s 出现了两次。") % {"key": exc.args[0]}) from None
    except json.JSONDecodeError as exc:
        raise TimelineError(_("不是有效的 JSON（第 %(line)s 行第 %(col)s 列）：%(msg)s。") % {
            "line": exc.lineno, "col": exc.colno, "msg": exc.msg}) from None
    except ValueError as exc:
        raise TimelineError(_("JSON 中不允许 %(value)s。") % {"value": exc.args[0]}) from None


class Command(BaseCommand):
    requires_system_checks = []

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.__class__ = UsageErrorParser  # a usage error through call_command carries exit code 2 too
        return parser

    @property
    def help(self):  # argparse needs a real str, not a lazy one
        return _("按工作日计算审批办件的时间线：各事项的受理、到期、已用与剩余工作日和时限状态，"
                 "全流程完成日期、工作日数和关键路径（JSON 输出）。")

    def add_arguments(self, parser):
        parser.add_argument("case_path", metavar="CASE.json", help=_("办件 JSON 文件；- 表示从标准输入读取"))

    def handle(self, *args, case_path, **options):
        try:
            text = self._read(case_path)
            result = parse_case(decode(text)).compute().as_contract()
        except TimelineError as exc:
            raise CommandError(_("时间线未计算：%(problem)s") % {"problem": exc}, returncode=EXIT_BAD_INPUT) from None
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))

    @staticmethod
    def _read(case_path: str) -> str:
        try:
            if case_path == "-":
                return sys.stdin.buffer.read().decode("utf-8-sig")
            with open(case_path, "rb") as handle:
                return handle.read().decode("utf-8-sig")
        except OSError as exc:
            raise TimelineError(_("无法读取文件 %(file)s：%(reason)s。") % {
                "file": case_path, "reason": exc.strerror or exc}) from None
        except UnicodeDecodeError:
            raise TimelineError(_("文件 %(file)s 不是 UTF-8 编码的文本。") % {"file": case_path}) from None
