"""gaoxin import enterprises|parcels FILE --zone CODE [--dept CODE]: all rows or none."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gaoxin.core.audit.context import acting_as
from gaoxin.core.imports import all_specs, get_spec
from gaoxin.core.imports.cli import cli_actor, zone_by_code
from gaoxin.core.imports.reader import EXTENSIONS, extension
from gaoxin.core.imports.services import DepartmentNotFound, file_import, resolve_department


class Command(BaseCommand):
    @property
    def help(self):  # argparse needs a real str, not a lazy one
        return _("从 .xlsx 或 .csv 文件导入企业或地块：全部行都正确才写入，否则列出全部错误、不写入任何数据。")

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=[s.kind for s in all_specs()], help=_("导入的数据类型"))
        parser.add_argument("file", help=_(".xlsx 或 .csv 文件"))
        parser.add_argument("--zone", required=True, help=_("园区代码"))
        parser.add_argument("--dept", help=_("部门代码（默认：企业 jxj 经信局，地块 jsj 建设局）"))

    def handle(self, *args, kind, file, zone, dept=None, **options):
        spec = get_spec(kind)
        path = Path(file)
        if extension(path.name) not in EXTENSIONS:
            raise CommandError(_("只能导入 .xlsx 或 .csv 文件：%(file)s") % {"file": file}, returncode=2)
        zone = zone_by_code(zone)
        try:
            department = resolve_department(zone=zone, spec=spec, code=dept)
        except DepartmentNotFound as exc:
            raise CommandError(exc.message, returncode=1) from None
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(_("无法读取文件 %(file)s：%(reason)s") % {"file": file, "reason": exc.strerror or exc},
                               returncode=1) from None

        with acting_as(cli_actor()):
            outcome = file_import(spec=spec, data=data, filename=path.name, zone=zone, department=department)
        if outcome.file_error:
            raise CommandError(_("导入失败：%(reason)s未写入任何数据。") % {"reason": outcome.file_error}, returncode=1)
        if outcome.errors:
            self.stderr.write("\t".join((_("行号"), _("列"), _("值"), _("原因"))))
            for e in outcome.errors:
                self.stderr.write(f"{'' if e.row is None else e.row}\t{e.column}\t{e.value}\t{e.reason}")
            raise CommandError(_("导入失败：共 %(n)s 处错误，未写入任何数据。") % {"n": len(outcome.errors)}, returncode=1)
        c = outcome.counts
        self.stdout.write(_("导入%(label)s %(rows)s 行：新增 %(created)s，更新 %(updated)s，未变更 %(unchanged)s。") % {
            "label": spec.label, "rows": outcome.row_count, "created": c.created, "updated": c.updated,
            "unchanged": c.unchanged})
