"""Enterprise import at scale: 100,000 rows from .xlsx into a fresh SQLite database.

Times each phase separately (read with python-calamine, validate, write through the upsert service
with its audit rows), then a re-import of the same file (every row unchanged) and an export.
Target: read + validate + write well under 30 s.
"""

import datetime as dt
import io
import tempfile
import time
from pathlib import Path

from benchmarks.common import Timer, line, setup_django

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


def run() -> None:
    with tempfile.TemporaryDirectory(prefix="gaoxin-bench-") as tmp:
        home = Path(tmp)
        setup_django(home)

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
        with Timer() as generated:
            _workbook(path, spec)
        data = path.read_bytes()
        print(f"  {ROWS:,} enterprise rows, {len(data) / 1e6:.1f} MB .xlsx (generated in {generated.wall:.1f} s)")

        with acting_as(Actor(name="bench", via="cli")):
            with Timer() as t_read:
                table = read(spec, data=data, filename=path.name)
            with Timer() as t_validate:
                validation = validate(spec, table, zone=zone, department=department)
            assert validation.ok, validation.errors[:5]
            changes_before = ObjectChange.objects.count()
            with Timer() as t_write:
                counts = write(spec, validation, zone=zone, department=department, filename=path.name)
            assert counts.created == ROWS, counts
            assert ObjectChange.objects.count() - changes_before == ROWS

            line("read (calamine)", t_read, ROWS)
            line("validate", t_validate, ROWS)
            line("write (upsert + audit)", t_write, ROWS)
            total = Timer()
            total.wall = t_read.wall + t_validate.wall + t_write.wall
            total.cpu = t_read.cpu + t_validate.cpu + t_write.cpu
            line("first import, end to end", total, ROWS)

            with Timer() as t_again:
                outcome = file_import(spec=spec, data=data, filename=path.name, zone=zone, department=department)
            assert outcome.ok and outcome.counts.unchanged == ROWS, outcome.errors[:5]
            line("re-import, all unchanged", t_again, ROWS)

            for fmt in ("xlsx", "csv"):
                out = io.BytesIO()
                with Timer() as t_export:
                    exported = records_export(spec=spec, objects=spec.queryset_for_zone(zone=zone), fmt=fmt,
                                              out=out, zone=zone)
                line(f"export .{fmt}", t_export, exported)
        verdict = "OK" if total.wall < 30 else "TOO SLOW"
        print(f"  target: read + validate + write < 30 s → {total.wall:.1f} s wall ({total.cpu:.1f} s cpu) {verdict}")
