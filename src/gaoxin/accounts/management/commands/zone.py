"""`gaoxin zone add CODE NAME`: a new zone with its five default departments; `gaoxin zone list`."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gaoxin.accounts.models import Zone
from gaoxin.accounts.services import DEFAULT_DEPARTMENTS, zone_create
from gaoxin.approvals.services.catalog import catalog_install_default
from gaoxin.economy.services.catalog import indicator_catalog_install

from ._cli import GaoxinCommand, bad_input, cli_actor, validation_lines

DEPARTMENT_HELP = "、".join(f"{d.code} {d.name}" for d in DEFAULT_DEPARTMENTS)


class Command(GaoxinCommand):
    help = _("园区：新建园区（含默认部门）或列出园区。")

    def add_arguments(self, parser):
        actions = self.add_actions(parser)
        add = actions.add_parser("add", help=_("新建园区及其默认部门：%(depts)s。") % {"depts": DEPARTMENT_HELP},
                                 description=_("新建园区，同时建立默认部门：%(depts)s。") % {"depts": DEPARTMENT_HELP})
        add.add_argument("code", metavar="CODE", help=_("园区代码：小写字母、数字、下划线或连字符，如 demo"))
        add.add_argument("name", metavar="NAME", help=_("园区名称，如 示范科学城高新区"))
        add.add_argument("--no-departments", action="store_true", help=_("不建立默认部门"))
        actions.add_parser("list", help=_("列出所有园区"))

    def handle(self, *args, action, **options):
        if action == "list":
            for zone in Zone.objects.order_by("code"):
                self.stdout.write(f"{zone.code}\t{zone.name}\t{zone.departments.count()}")
            return
        with cli_actor():
            try:
                with transaction.atomic():
                    zone = zone_create(user=None, code=options["code"], name=options["name"],
                                       with_default_departments=not options["no_departments"])
                    # a new zone starts with the default economic indicator catalog (issue 6)
                    indicator_catalog_install(zone=zone)
                    # and the default approval catalog (issue 4), which routes items to the default
                    # departments by code: a zone created without them installs it later
                    if not options["no_departments"]:
                        catalog_install_default(zone=zone)
            except ValidationError as exc:
                raise bad_input(validation_lines(exc, {"code": _("园区代码"), "name": _("园区名称")})) from None
        count = zone.departments.count()
        self.stdout.write(_("已创建园区 %(code)s（%(name)s），部门 %(n)d 个。")
                          % {"code": zone.code, "name": zone.name, "n": count})
