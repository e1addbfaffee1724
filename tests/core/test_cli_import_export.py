"""`gaoxin import` and `gaoxin export`: exit codes 0/1/2, the summary line, the error list, nothing written.

The exit-code tests run the real console script against a temporary SQLite database, because
only then does argparse exit with 2; the audit details are checked in-process with call_command.
"""

import csv
import getpass
import io
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gaoxin.core.audit.models import ObjectChange, SecurityEvent
from gaoxin.enterprises.models import Enterprise
from gaoxin.land.models import Parcel
from tests.factories import make_uscc

GAOXIN = Path(sys.executable).parent / "gaoxin"
HEADERS = ["统一社会信用代码*", "企业名称*", "行业代码*", "规模*", "成立日期", "所属片区", "地址", "联系人", "联系电话"]
GOOD = [[make_uscc(301), "甲科技有限公司", "3971", "规上", "2020-05-01", "一号片区", "", "", ""],
        [make_uscc(302), "乙有限公司", "C3612", "规下", "", "", "", "", ""]]


def write_csv(path: Path, rows) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


@pytest.fixture(scope="module")
def cli(tmp_path_factory):
    """Run the console script against a fresh migrated SQLite database with one zone (code cz, dept jxj)."""
    home = tmp_path_factory.mktemp("cli")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GAOXIN_", "DJANGO_"))}
    env.update(GAOXIN_DATABASE_URL=f"sqlite:///{home / 'cli.sqlite3'}", GAOXIN_VAR_DIR=str(home))

    def run(*args):
        return subprocess.run([str(GAOXIN), *map(str, args)], env=env, cwd=home, capture_output=True, text=True,
                              timeout=120)

    assert run("migrate", "-v0").returncode == 0
    setup = run("shell", "-c",
                "from gaoxin.accounts.models import Zone, Department; z = Zone.objects.create(code='cz', name='命令行园区');"
                " Department.objects.create(zone=z, code='jxj', name='经信局')")
    assert setup.returncode == 0, setup.stderr
    run.home = home
    run.db = home / "cli.sqlite3"
    return run


def count(db: Path, table: str) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute(f"select count(*) from {table}").fetchone()[0]


@pytest.mark.parametrize("args", [
    ["import"],
    ["import", "enterprises"],
    ["import", "enterprises", "x.csv"],  # --zone missing
    ["import", "companies", "x.csv", "--zone", "cz"],
    ["import", "enterprises", "x.txt", "--zone", "cz"],
    ["export", "enterprises", "out.pdf", "--zone", "cz"],
    ["export", "parcels"],
])
def test_wrong_usage_exits_2(cli, args):
    result = cli(*args)
    assert result.returncode == 2, (result.stdout, result.stderr)


def test_help_exits_0(cli):
    for command in ("import", "export"):
        result = cli(command, "--help")
        assert result.returncode == 0, result.stderr
        assert "--zone" in result.stdout


def test_import_export_reimport_through_the_console_script(cli):
    good = write_csv(cli.home / "good.csv", [HEADERS, *GOOD])
    result = cli("import", "enterprises", good, "--zone", "cz")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "导入企业 2 行：新增 2，更新 0，未变更 0。"

    out = cli.home / "out.xlsx"
    result = cli("export", "enterprises", out, "--zone", "cz")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"导出企业 2 行到 {out}。"

    result = cli("import", "enterprises", out, "--zone", "cz")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "导入企业 2 行：新增 0，更新 0，未变更 2。"

    out_csv = cli.home / "out.csv"
    assert cli("export", "enterprises", out_csv, "--zone", "cz").returncode == 0
    rows = list(csv.reader(io.StringIO(out_csv.read_text(encoding="utf-8-sig"))))
    assert rows[0] == [*HEADERS, "状态"] and len(rows) == 3


def test_bad_file_exits_1_with_every_error_and_writes_nothing(cli):
    before = count(cli.db, "enterprises_enterprise"), count(cli.db, "core_objectchange")
    bad = write_csv(cli.home / "bad.csv", [
        HEADERS,
        [make_uscc(311), "", "3971", "规上"],
        [make_uscc(312), "丁有限公司", "9999", "大型"],
        [make_uscc(313), "戊有限公司", "3971", "规上"],
    ])
    result = cli("import", "enterprises", bad, "--zone", "cz")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines[0] == "行号\t列\t值\t原因"
    assert lines[1:4] == [
        "2\t企业名称\t\t必填项不能为空。",
        "3\t行业代码\t9999\t行业代码“9999”不在 GB/T 4754-2017 小类中。",
        "3\t规模\t大型\t“大型”不是可选值，应为：规上、规下。",
    ]
    assert "导入失败：共 3 处错误，未写入任何数据。" in lines[-1]
    assert (count(cli.db, "enterprises_enterprise"), count(cli.db, "core_objectchange")) == before


def test_unknown_zone_missing_file_and_missing_department_exit_1(cli):
    good = write_csv(cli.home / "good2.csv", [HEADERS, *GOOD])
    result = cli("import", "enterprises", good, "--zone", "nowhere")
    assert result.returncode == 1 and "园区“nowhere”不存在" in result.stderr
    result = cli("import", "enterprises", cli.home / "missing.csv", "--zone", "cz")
    assert result.returncode == 1 and "无法读取文件" in result.stderr
    parcels = write_csv(cli.home / "parcels.csv", [["地块编号*", "面积（平方米）*", "用地性质*"], ["C-1", "100", "工业用地"]])
    result = cli("import", "parcels", parcels, "--zone", "cz")  # the zone has no 建设局 (jsj)
    assert result.returncode == 1 and "--dept" in result.stderr
    result = cli("import", "parcels", parcels, "--zone", "cz", "--dept", "jxj")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "导入地块 1 行：新增 1，更新 0，未变更 0。"
    assert cli("export", "enterprises", cli.home / "x.csv", "--zone", "nowhere").returncode == 1


# --- in-process: what the audit trail says about a command-line run ----------------------------

def test_cli_import_is_audited_as_the_os_user(world, tmp_path, capsys):
    good = write_csv(tmp_path / "good.csv", [HEADERS, *GOOD])
    call_command("import", "enterprises", str(good), "--zone", "t1")
    assert capsys.readouterr().out.strip() == "导入企业 2 行：新增 2，更新 0，未变更 0。"
    created = Enterprise.objects.filter(zone=world.zone, uscc__in=[r[0] for r in GOOD])
    assert {e.department for e in created} == {world.dept_a}  # the default jxj
    changes = ObjectChange.objects.filter(object_id__in=[e.pk for e in created], action="create")
    assert {(c.user_name, c.via, c.user_id) for c in changes} == {(f"cli:{getpass.getuser()}", "cli", None)}
    event = SecurityEvent.objects.get(kind="import")
    assert (event.via, event.zone, event.detail) == ("cli", world.zone, "enterprises: 新增 2, 更新 0, 未变更 0; 文件 good.csv")


def test_cli_export_of_a_zone_and_department_choice(world, tmp_path, capsys):
    out = tmp_path / "parcels.csv"
    call_command("export", "parcels", str(out), "--zone", "t1")
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == ["P-A1", "P-A2", "P-B1"]  # the whole zone, every department
    assert SecurityEvent.objects.get(kind="export").via == "cli"

    edited = write_csv(tmp_path / "p.csv", [rows[0], ["N-1", "10", "工业用地", "", "", "", ""]])
    call_command("import", "parcels", str(edited), "--zone", "t1", "--dept", "tzcj")
    assert Parcel.objects.get(zone=world.zone, code="N-1").department == world.dept_b


def test_cli_error_raises_command_error_with_code_1(world, tmp_path):
    bad = write_csv(tmp_path / "bad.csv", [HEADERS, ["123", "甲", "3971", "规上"]])
    with pytest.raises(CommandError) as exc:
        call_command("import", "enterprises", str(bad), "--zone", "t1")
    assert exc.value.returncode == 1
