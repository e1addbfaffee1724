"""gaoxin evaluate --scheme S.toml --input DATA --output OUT [--report REPORT.json]: the 亩均 evaluation.

The contract is issue 3's: exit 0 with a one-line summary on stdout; a bad scheme or bad data (or a
file that cannot be read or written) exits with 2, names the problem on stderr and writes nothing;
usage errors are argparse's exit 2 as well. (Other gaoxin commands use 1 for bad input; this one
follows the issue.) Warnings that do not stop the run (an empty group, an indicator without any
value) go to stderr.

The output holds every input row, in input order, with the columns `uscc, group, score, rank, class,
veto`, then `<code>_value` and `<code>_score` per indicator code in scheme order (engine.py).

The report (JSON, UTF-8):

    {"scheme": name, "year": 2025, "rows": all input rows, "ungrouped": rows in no group,
     "groups": {code: {"label": …, "n": rows in the group,
                       "benchmarks": {indicator code: benchmark used (after benchmark_factor) or null},
                       "benchmark_details": {code: {"rule": "aggregate"|"mean"|"fixed", "base": …,
                                                   "factor": …, "benchmark": …, "rows_with_value": …}},
                       "class_counts": {label: rows, after vetoes; every declared label and veto class, zeros included},
                       "unclassified": rows without a class (min_score classes: below every threshold),
                       "vetoed": {veto label: rows it applied to}}},
     "warnings": [...]}

so that Σ n + ungrouped = rows and, per group, Σ class_counts + unclassified = n.

No database: no system checks, no ORM, so it runs on a machine where gaoxin was never migrated.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from gaoxin.evaluation import io
from gaoxin.evaluation.engine import InputError, evaluate
from gaoxin.evaluation.scheme import SchemeError, parse_scheme

EXIT_BAD_INPUT = 2
EXIT_USAGE = 2


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
        return _("按评价方案（TOML）计算亩均效益综合评价：得分、组内排名、档次，写出结果文件和可选的 JSON 报告。")

    def add_arguments(self, parser):
        parser.add_argument("--scheme", dest="scheme_path", required=True, metavar="S.toml", help=_("评价方案（TOML）"))
        parser.add_argument("--input", dest="input_path", required=True, metavar="DATA", help=_("企业数据：.csv、.xlsx 或 .parquet，须有 uscc 列"))
        parser.add_argument("--output", dest="output_path", required=True, metavar="OUT", help=_("结果：.csv、.xlsx 或 .parquet"))
        parser.add_argument("--report", dest="report_path", metavar="REPORT.json", help=_("各组企业数、基准值和档次分布（JSON）"))

    def handle(self, *args, scheme_path, input_path, output_path, report_path=None, **options):
        try:
            summary = self._run(Path(scheme_path), Path(input_path), Path(output_path),
                                Path(report_path) if report_path else None)
        except (SchemeError, InputError) as exc:
            raise self._fail(exc.problems) from None
        except io.TableError as exc:
            raise self._fail([exc.message]) from None
        self.stdout.write(summary)

    def _run(self, scheme_path: Path, input_path: Path, output_path: Path, report_path: Path | None) -> str:
        # everything that can be checked without reading the data first
        io.check_extension(output_path, io.OUTPUT_EXTENSIONS, _("输出"))
        targets = [output_path] + ([report_path] if report_path else [])
        if report_path and report_path.resolve() == output_path.resolve():
            raise io.TableError(_("--report 与 --output 不能是同一个文件。"))
        try:
            text = scheme_path.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise io.TableError(_("无法读取方案文件 %(file)s：%(reason)s。") % {
                "file": scheme_path, "reason": io.os_reason(exc)}) from None
        except UnicodeDecodeError:
            raise io.TableError(_("方案文件 %(file)s 不是 UTF-8 编码的文本。") % {"file": scheme_path}) from None
        scheme = parse_scheme(text)
        frame = io.read_table(input_path)
        result = evaluate(scheme, frame)

        outputs = [(output_path, lambda path: io.write_table(result.table, path))]
        if report_path:
            document = json.dumps(result.report(scheme), ensure_ascii=False, indent=2, allow_nan=False)
            outputs.append((report_path, lambda path: path.write_text(document + "\n", encoding="utf-8")))
        io.write_all(outputs)

        for warning in result.warnings:
            self.stderr.write(_("注意：") + warning)
        groups = "，".join(f"{g.code} {g.n}" for g in result.groups)
        return _("评价完成：%(scheme)s（%(year)s），%(rows)s 家企业（%(groups)s，未入组 %(ungrouped)s），"
                 "结果已写入 %(files)s。") % {
            "scheme": scheme.name, "year": scheme.year, "rows": result.rows, "groups": groups,
            "ungrouped": result.ungrouped, "files": "、".join(str(t) for t in targets)}

    @staticmethod
    def _fail(problems: list[str]) -> CommandError:
        if len(problems) == 1:
            return CommandError(_("评价未完成，未写入任何文件：%(problem)s") % {"problem": problems[0]},
                                returncode=EXIT_BAD_INPUT)
        body = "\n".join(f"  - {p}" for p in problems)
        return CommandError(_("评价未完成，未写入任何文件。共 %(n)s 个问题：") % {"n": len(problems)} + "\n" + body,
                            returncode=EXIT_BAD_INPUT)
