"""`gaoxin dept add CODE NAME --zone Z`: a department in an existing zone."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.accounts.models import Department, Zone
from gaoxin.accounts.services import department_create

from ._cli import GaoxinCommand, bad_input, cli_actor, validation_lines

LABELS = {"code": gettext_lazy("部门代码"), "name": gettext_lazy("部门名称"), "zone": gettext_lazy("园区")}


class Command(GaoxinCommand):
    help = _("部门：在已有园区中新增部门。")

    def add_arguments(self, parser):
        actions = self.add_actions(parser)
        add = actions.add_parser("add", help=_("新增部门"))
        add.add_argument("code", metavar="CODE", help=_("部门代码，如 jxj"))
        add.add_argument("name", metavar="NAME", help=_("部门名称，如 经信局"))
        add.add_argument("--zone", required=True, metavar="ZONE", help=_("园区代码"))

    def handle(self, *args, action, code, name, zone, **options):
        target = Zone.objects.filter(code=zone).first()
        if target is None:
            # Check the rest too, so that one run reports every problem.
            lines = [_("园区代码“%(code)s”不存在。") % {"code": zone}]
            try:
                Department(code=code, name=name).clean_fields(exclude=["zone"])
            except ValidationError as exc:
                lines += validation_lines(exc, LABELS)
            raise bad_input(lines)
        with cli_actor():
            try:
                with transaction.atomic():
                    dept = department_create(user=None, zone=target, code=code, name=name)
            except ValidationError as exc:
                raise bad_input(validation_lines(exc, LABELS)) from None
        self.stdout.write(_("已在园区 %(zone)s 新增部门 %(code)s（%(name)s）。")
                          % {"zone": target.code, "code": dept.code, "name": dept.name})
