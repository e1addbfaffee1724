"""gaoxin export enterprises|parcels OUT --zone CODE: the zone's records with the import's headers."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gaoxin.core.audit.context import acting_as
from gaoxin.core.imports import all_specs, get_spec
from gaoxin.core.imports.cli import cli_actor, zone_by_code
from gaoxin.core.imports.reader import EXTENSIONS, extension
from gaoxin.core.imports.services import records_export


class Command(BaseCommand):
    @property
    def help(self):  # argparse needs a real str, not a lazy one
        return _("把园区的企业或地块导出为 .xlsx 或 .csv（按扩展名），列与导入模板相同，可改后重新导入。")

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=[s.kind for s in all_specs()], help=_("导出的数据类型"))
        parser.add_argument("out", help=_("输出文件，.xlsx 或 .csv"))
        parser.add_argument("--zone", required=True, help=_("园区代码"))

    def handle(self, *args, kind, out, zone, **options):
        spec = get_spec(kind)
        path = Path(out)
        fmt = extension(path.name)
        if fmt not in EXTENSIONS:
            raise CommandError(_("输出文件的扩展名应为 .xlsx 或 .csv：%(file)s") % {"file": out}, returncode=2)
        zone = zone_by_code(zone)
        try:
            handle = path.open("wb")
        except OSError as exc:
            raise CommandError(_("无法写入 %(file)s：%(reason)s") % {"file": out, "reason": exc.strerror or exc},
                               returncode=1) from None
        with handle, acting_as(cli_actor()):
            count = records_export(spec=spec, objects=spec.queryset_for_zone(zone=zone), fmt=fmt.lstrip("."),
                                   out=handle, zone=zone, description=f"cli → {path.name}")
        self.stdout.write(_("导出%(label)s %(rows)s 行到 %(file)s。") % {"label": spec.label, "rows": count, "file": out})
