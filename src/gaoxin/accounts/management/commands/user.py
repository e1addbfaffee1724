"""`gaoxin user add|deactivate|unlock|reset-password`: accounts from the command line.

`user add USERNAME --zone CODE --role ROLE [--dept CODE] [--enterprise USCC] [--name 姓名]` takes the
password from GAOXIN_PASSWORD or asks for it twice; the password policy applies.
"""

import os

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.accounts.models import User, Zone
from gaoxin.accounts.selectors import enterprise_for_account
from gaoxin.accounts.services import user_create, user_deactivate, user_reset_password, user_unlock
from gaoxin.core import uscc
from gaoxin.core.permissions import Role

from ._cli import GaoxinCommand, bad_input, cli_actor, read_password, validation_lines

LABELS = {
    "username": gettext_lazy("用户名"), "zone": gettext_lazy("园区"), "role": gettext_lazy("角色"),
    "department": gettext_lazy("部门"), "enterprise": gettext_lazy("企业"), "password": gettext_lazy("密码"),
    "display_name": gettext_lazy("姓名"), "email": gettext_lazy("邮箱"),
}


def role_help() -> str:
    return "、".join(f"{value}（{label}）" for value, label in Role.choices)


def parse_role(text: str) -> str | None:
    """A role by its code (department_staff) or its Chinese name (部门工作人员)."""
    text = text.strip()
    for value, label in Role.choices:
        if text in (value, str(label)):
            return value
    return None


def username_problems(username: str) -> list[str]:
    lines = []
    probe = User(username=username)
    try:
        probe.clean_fields(exclude=[f.name for f in User._meta.fields if f.name != "username"])
    except ValidationError as exc:
        lines += validation_lines(exc, LABELS)
    if username and User.objects.filter(username=username).exists():
        lines.append(_("用户名：账户“%(name)s”已存在。") % {"name": username})
    return lines


def password_problems(password: str, username: str) -> list[str]:
    try:
        password_validation.validate_password(password, User(username=username))
    except ValidationError as exc:
        return [f"{LABELS['password']}：{m}" for m in exc.messages]
    return []


class Command(GaoxinCommand):
    help = _("账户：新增、停用、解锁账户，重置密码。")

    def add_arguments(self, parser):
        actions = self.add_actions(parser)
        add = actions.add_parser(
            "add", help=_("新增账户；密码取自环境变量 GAOXIN_PASSWORD，未设置时在终端输入两次"),
            description=_("新增账户。角色：%(roles)s。") % {"roles": role_help()},
        )
        add.add_argument("username", metavar="USERNAME")
        add.add_argument("--zone", required=True, metavar="CODE", help=_("所属园区代码"))
        add.add_argument("--role", required=True, metavar="ROLE", help=role_help())
        add.add_argument("--dept", metavar="CODE", help=_("部门代码（部门工作人员必填）"))
        add.add_argument("--enterprise", metavar="USCC", help=_("企业统一社会信用代码（企业用户必填）"))
        add.add_argument("--name", default="", metavar="姓名", help=_("姓名"))
        add.add_argument("--email", default="", help=_("邮箱"))
        add.add_argument("--must-change-password", action="store_true", help=_("首次登录时必须修改密码"))
        for name, text in (
            ("deactivate", _("停用账户（账户不删除，审计记录仍指向它）")),
            ("unlock", _("解除登录失败锁定")),
            ("reset-password", _("重置为随机临时密码并显示；用户下次登录时必须修改")),
        ):
            actions.add_parser(name, help=text).add_argument("username", metavar="USERNAME")

    def handle(self, *args, action, username, **options):
        with cli_actor():
            if action == "add":
                self.add(username, options)
            else:
                self.account_action(action, username)

    def account_action(self, action: str, username: str) -> None:
        target = User.objects.filter(username=username).first()
        if target is None:
            raise bad_input([_("账户“%(name)s”不存在。") % {"name": username}])
        with transaction.atomic():
            if action == "deactivate":
                try:
                    user_deactivate(user=None, target=target)
                except ValidationError as exc:
                    raise bad_input(validation_lines(exc, LABELS)) from None
                self.stdout.write(_("已停用账户 %(name)s。") % {"name": username})
            elif action == "unlock":
                user_unlock(user=None, target=target)
                self.stdout.write(_("已解锁账户 %(name)s。") % {"name": username})
            else:
                password = user_reset_password(user=None, target=target)
                self.stdout.write(_("已重置账户 %(name)s 的密码，临时密码：%(password)s（下次登录须修改）")
                                  % {"name": username, "password": password})

    def add(self, username: str, options: dict) -> None:
        lines = []
        zone = Zone.objects.filter(code=options["zone"]).first()
        if zone is None:
            lines.append(_("园区：代码“%(code)s”不存在。") % {"code": options["zone"]})
        role = parse_role(options["role"])
        if role is None:
            lines.append(_("角色：未知角色“%(role)s”，可选：%(roles)s。") % {"role": options["role"], "roles": role_help()})
        department = enterprise = None
        if options["dept"] and zone is not None:
            department = zone.departments.filter(code=options["dept"]).first()
            if department is None:
                codes = "、".join(zone.departments.values_list("code", flat=True)) or _("（无）")
                lines.append(_("部门：园区 %(zone)s 没有代码为“%(code)s”的部门，现有：%(codes)s。")
                             % {"zone": zone.code, "code": options["dept"], "codes": codes})
        if options["enterprise"] and zone is not None:
            code = uscc.normalise(options["enterprise"])
            enterprise = enterprise_for_account(zone=zone, uscc=code)
            if enterprise is None:
                lines.append(_("企业：园区 %(zone)s 没有统一社会信用代码为 %(code)s 的企业。")
                             % {"zone": zone.code, "code": code})
        if lines:
            # Report the username and (if already given) the password too: one run lists every problem.
            lines += username_problems(username)
            if "GAOXIN_PASSWORD" in os.environ:
                lines += password_problems(read_password(), username)
            raise bad_input(lines)
        password = read_password()
        data = {"username": username, "zone": zone, "role": role, "department": department,
                "enterprise": enterprise, "display_name": options["name"], "email": options["email"]}
        try:
            with transaction.atomic():
                created = user_create(user=None, data=data, password=password,
                                      must_change_password=options["must_change_password"])
        except ValidationError as exc:
            raise bad_input(validation_lines(exc, LABELS)) from None
        where = created.department.name if created.department_id else (
            created.enterprise.name if created.enterprise_id else zone.name)
        self.stdout.write(_("已创建账户 %(name)s（%(role)s，%(where)s）。")
                          % {"name": created.username, "role": created.get_role_display(), "where": where})
