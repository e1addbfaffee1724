"""Enterprise import at scale: 100,000 rows from .xlsx into a fresh SQLite database.

Times each phase separately (read with python-calamine, validate, write through the upsert service
with its audit rows), then a re-import of the same file (every row unchanged) and an export.
Target: read + validate + write well under 30 s.
"""

import datetime as dt
import io
import os
import tempfile
import time
from pathlib import Path

ROWS = 100_000
INDUSTRY_CODES = ("3971", "C3972", "3612", "6513", "2710", "3311", "7320", "5191")


def _uscc(n: int) -> str:
    from gaoxin.core import uscc

    body = f"{n:08d}"
    return uscc.compose("91" + "500107" + body + uscc.organisation_check_char(body))


def _workbook(path: Path, spec) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet(spec.sheet_name)
    date_format = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_row(0, 0, [c.title for c in spec.columns])
    start = dt.date(1995, 1, 1)
    for i in range(ROWS):
        r = i + 1
        ws.write_string(r, 0, _uscc(i + 1))
        ws.write_string(r, 1, f"基准测试企业{i + 1}有限公司")
        ws.write_string(r, 2, INDUSTRY_CODES[i % len(INDUSTRY_CODES)])
        ws.write_string(r, 3, "规上" if i % 3 == 0 else "规下")
        ws.write_datetime(r, 4, dt.datetime.combine(start + dt.timedelta(days=i % 10000), dt.time()), date_format)
        ws.write_string(r, 5, f"{i % 12 + 1}号片区")
        ws.write_string(r, 6, f"科学大道{i % 500 + 1}号")
        ws.write_string(r, 7, "张三")
        ws.write_string(r, 8, f"138{i:08d}")
    wb.close()


def _setup_django(home: Path) -> None:
    import django
    from django.conf import settings

    if not settings.configured:
        os.environ["GAOXIN_DATABASE_URL"] = f"sqlite:///{home / 'bench.sqlite3'}"
        os.environ["GAOXIN_VAR_DIR"] = str(home)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gaoxin.settings")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


class _Timer:
    """Wall-clock and this process's CPU time: on a busy machine the CPU figure is the comparable one."""

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu


def _line(name: str, timer: _Timer, rows: int) -> None:
    print(f"  {name:<28} {timer.wall:7.2f} s wall {timer.cpu:7.2f} s cpu   {rows / timer.wall:>9,.0f} rows/s")


def run() -> None:
    with tempfile.TemporaryDirectory(prefix="gaoxin-bench-") as tmp:
        home = Path(tmp)
        _setup_django(home)

        from gaoxin.accounts.models import Department, Zone
        from gaoxin.core.audit.context import Actor, acting_as
        from gaoxin.core.audit.models import ObjectChange
        from gaoxin.core.imports import get_spec
        from gaoxin.core.imports.services import file_import, read, records_export, write
        from gaoxin.core.imports.validation import validate

        spec = get_spec("enterprises")
        zone = Zone.objects.create(code=f"bench{int(time.time())}", name="基准测试园区")
        department = Department.objects.create(zone=zone, code="jxj", name="经信局")

        path = home / "enterprises.xlsx"
        with _Timer() as generated:
            _workbook(path, spec)
        data = path.read_bytes()
        print(f"  {ROWS:,} enterprise rows, {len(data) / 1e6:.1f} MB .xlsx (generated in {generated.wall:.1f} s)")

        with acting_as(Actor(name="bench", via="cli")):
            with _Timer() as t_read:
                table = read(spec, data=data, filename=path.name)
            with _Timer() as t_validate:
                validation = validate(spec, table, zone=zone, department=department)
            assert validation.ok, validation.errors[:5]
            changes_before = ObjectChange.objects.count()
            with _Timer() as t_write:
                counts = write(spec, validation, zone=zone, department=department, filename=path.name)
            assert counts.created == ROWS, counts
            assert ObjectChange.objects.count() - changes_before == ROWS

            _line("read (calamine)", t_read, ROWS)
            _line("validate", t_validate, ROWS)
            _line("write (upsert + audit)", t_write, ROWS)
            total = _Timer()
            total.wall = t_read.wall + t_validate.wall + t_write.wall
            total.cpu = t_read.cpu + t_validate.cpu + t_write.cpu
            _line("first import, end to end", total, ROWS)

            with _Timer() as t_again:
                outcome = file_import(spec=spec, data=data, filename=path.name, zone=zone, department=department)
            assert outcome.ok and outcome.counts.unchanged == ROWS, outcome.errors[:5]
            _line("re-import, all unchanged", t_again, ROWS)

            for fmt in ("xlsx", "csv"):
                out = io.BytesIO()
                with _Timer() as t_export:
                    exported = records_export(spec=spec, objects=spec.queryset_for_zone(zone=zone), fmt=fmt,
                                              out=out, zone=zone)
                _line(f"export .{fmt}", t_export, exported)
        verdict = "OK" if total.wall < 30 else "TOO SLOW"
        print(f"  target: read + validate + write < 30 s → {total.wall:.1f} s wall ({total.cpu:.1f} s cpu) {verdict}")
