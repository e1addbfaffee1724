"""gaoxin policies match --rules RULES.toml --facts FACTS --output OUT: who qualifies under a policy, and for how much.

The contract is issue 7's ("Policy rules: the contract"; the semantics live in gaoxin.policies.rules).
Exit 0 with a one-line summary on stderr (stdout stays free for pipes); a bad rules file, bad facts, a
file that cannot be read or written, or wrong usage exits with 2, names every problem on stderr and
writes nothing — the same shape as `gaoxin evaluate`.

Facts are read as `gaoxin evaluate` reads its data (.csv UTF-8/GB18030, .xlsx, .parquet). The output is
.csv (UTF-8 without BOM, amounts with two decimals) or .xlsx (amounts as numbers shown as 0.00), with
the columns `entity, rule, raw_wan, granted_wan, paid_wan, note`, written through a temporary file.

No database: no system checks, no ORM.
"""

from pathlib import Path

import polars as pl
import xlsxwriter
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from gaoxin.evaluation import io
from gaoxin.policies.rules import AMOUNT_COLUMNS, OUTPUT_COLUMNS, MatchResult, RulesError, match, parse_rules

EXIT_BAD_INPUT = 2
EXIT_USAGE = 2
OUTPUT_EXTENSIONS = (".csv", ".xlsx")


class _UsageErrorParser(CommandParser):
    """A usage error run through call_command carries exit code 2 too, as argparse's own exit does."""

    def error(self, message):
        if self.called_from_command_line:
            super().error(message)  # prints the usage and exits with 2
        raise CommandError(f"Error: {message}", returncode=EXIT_USAGE)


class Command(BaseCommand):
    requires_system_checks = []

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.__class__ = _UsageErrorParser  # Django offers no hook for the parser's class
        return parser

    @property
    def help(self):  # argparse needs a real str, not a lazy one
        return _("政策兑现（免申即享）：按政策规则（TOML）匹配事实表，计算每个主体每条规则的核定与拨付金额。")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="match",
                                    parser_class=_UsageErrorParser)
        run = sub.add_parser("match", help=_("按规则匹配事实表并写出结果"),
                             called_from_command_line=getattr(parser, "called_from_command_line", None))
        run.add_argument("--rules", dest="rules_path", required=True, metavar="RULES.toml", help=_("政策规则（TOML）"))
        run.add_argument("--facts", dest="facts_path", required=True, metavar="FACTS",
                         help=_("事实表：.csv、.xlsx 或 .parquet，每个主体一行，须有 entity 列"))
        run.add_argument("--output", dest="output_path", required=True, metavar="OUT", help=_("结果：.csv 或 .xlsx"))

    def handle(self, *args, action, rules_path, facts_path, output_path, **options):
        try:
            summary = self._match(Path(rules_path), Path(facts_path), Path(output_path))
        except RulesError as exc:
            raise self._fail(exc.problems) from None
        except io.TableError as exc:
            raise self._fail([exc.message]) from None
        self.stderr.write(summary)

    def _match(self, rules_path: Path, facts_path: Path, output_path: Path) -> str:
        # everything that can be checked without reading the facts first
        io.check_extension(output_path, OUTPUT_EXTENSIONS, _("输出"))
        try:
            text = rules_path.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise io.TableError(_("无法读取规则文件 %(file)s：%(reason)s。") % {
                "file": rules_path, "reason": io.os_reason(exc)}) from None
        except UnicodeDecodeError:
            raise io.TableError(_("规则文件 %(file)s 不是 UTF-8 编码的文本。") % {"file": rules_path}) from None
        policy = parse_rules(text)
        result = match(policy, io.read_table(facts_path))
        writer = write_csv if io.extension(output_path) == ".csv" else write_xlsx
        io.write_all([(output_path, lambda path: writer(result, path))])

        budget = (_("预算按比例核减") if result.scaled else _("未超预算，未核减")) if policy.budget_cents is not None \
            else _("未设预算")
        return _("匹配完成：%(code)s %(name)s，匹配 %(rows)s 条，核定合计 %(granted)s 万元，拨付合计 %(paid)s 万元，"
                 "%(budget)s；结果已写入 %(file)s。") % {
            "code": policy.code, "name": policy.name, "rows": result.matched, "granted": result.total_granted,
            "paid": result.total_paid, "budget": budget, "file": output_path}

    @staticmethod
    def _fail(problems: list[str]) -> CommandError:
        if len(problems) == 1:
            return CommandError(_("匹配未完成，未写入任何文件：%(problem)s") % {"problem": problems[0]},
                                returncode=EXIT_BAD_INPUT)
        body = "\n".join(f"  - {p}" for p in problems)
        return CommandError(_("匹配未完成，未写入任何文件。共 %(n)s 个问题：") % {"n": len(problems)} + "\n" + body,
                            returncode=EXIT_BAD_INPUT)


def write_csv(result: MatchResult, path: Path) -> None:
    # Decimal(38, 2) as text always has its two decimals ("200.00")
    # and an empty note is an empty field, not the quoted "" Polars writes for an empty string
    result.table.with_columns(pl.col(AMOUNT_COLUMNS).cast(pl.String),
                              pl.when(pl.col("note") != "").then(pl.col("note")).alias("note")).write_csv(path)


def write_xlsx(result: MatchResult, path: Path) -> None:
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    try:
        sheet = workbook.add_worksheet("匹配结果")
        money = workbook.add_format({"num_format": "0.00"})
        sheet.write_row(0, 0, OUTPUT_COLUMNS)
        amount_at = {OUTPUT_COLUMNS.index(c) for c in AMOUNT_COLUMNS}
        for r, row in enumerate(result.table.iter_rows(), start=1):
            for c, value in enumerate(row):
                if c in amount_at:
                    sheet.write_number(r, c, float(value), money)  # two decimals survive a float exactly as shown
                else:
                    sheet.write_string(r, c, value)
    finally:
        workbook.close()
