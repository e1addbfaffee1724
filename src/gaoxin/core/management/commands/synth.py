import getpass
import time

from django.core.management.base import BaseCommand, CommandError

from gaoxin.accounts.models import Zone
from gaoxin.core.audit.context import Actor, acting_as
from gaoxin.core.demo.builder import synthesise
from gaoxin.core.imports.registry import get_spec
from gaoxin.core.imports.services import DepartmentNotFound, resolve_department


class Command(BaseCommand):
    help = "Add synthetic enterprises (and parcels) to an existing zone, for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--zone", required=True, help="zone code")
        parser.add_argument("--enterprises", type=int, required=True, help="number of enterprises to add")
        parser.add_argument("--parcels", type=int, default=None, help="number of parcels (default: 3/4 of --enterprises)")
        parser.add_argument("--dept", default=None, help="department code keeping the records (default as for imports)")
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, zone, enterprises, parcels, dept, seed, **options):
        if enterprises < 0 or (parcels is not None and parcels < 0):
            raise CommandError("数量不能为负数。", returncode=1)
        target = Zone.objects.filter(code=zone).first()
        if target is None:
            raise CommandError(f"园区代码“{zone}”不存在。", returncode=1)
        try:
            department = resolve_department(zone=target, spec=get_spec("enterprises"), code=dept)
        except DepartmentNotFound as exc:
            raise CommandError(exc.message, returncode=1) from None
        parcels = enterprises * 3 // 4 if parcels is None else parcels
        started = time.perf_counter()
        with acting_as(Actor(name=f"cli:{getpass.getuser()}", via="cli")):
            made, made_parcels = synthesise(zone=target, department=department, enterprises=enterprises,
                                            parcels=parcels, seed=seed)
        seconds = time.perf_counter() - started
        self.stdout.write(f"园区 {zone}：新增企业 {made} 家、地块 {made_parcels} 宗，用时 {seconds:.1f} 秒。")
