import getpass

from django.core.management import call_command
from django.core.management.base import BaseCommand

from gaoxin.core.audit.context import Actor, acting_as
from gaoxin.core.demo.builder import DEMO_CODE, DEMO_NAME, build_demo, demo_exists, demo_logins


class Command(BaseCommand):
    help = "Migrate, build the demo zone 示范科学城高新区 (code demo) if missing, print the logins and serve it."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default 8000)")
        parser.add_argument("--no-serve", action="store_true", help="build and print the logins, do not serve")

    def handle(self, *args, port, no_serve, **options):
        call_command("migrate", interactive=False, verbosity=0)
        if demo_exists():
            self.stdout.write(f"演示园区“{DEMO_NAME}”（{DEMO_CODE}）已存在，直接使用。")
        else:
            self.stdout.write(f"正在生成演示园区“{DEMO_NAME}”（{DEMO_CODE}）…")
            with acting_as(Actor(name=f"cli:{getpass.getuser()}", via="cli")):
                build_demo()
        self.stdout.write("\n演示账户（用户名 / 密码 / 角色）：")
        for login in demo_logins():
            self.stdout.write(f"  {login.username:<11} {login.password:<16} {login.description}")
        if no_serve:
            return
        self.stdout.write(f"\n访问 http://127.0.0.1:{port}/ ，按 Ctrl+C 停止。\n")
        call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)
