"""`gaoxin policies match`: exit 0 with a one-line summary on stderr; exit 2, every reason and no file."""

import os
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
import python_calamine
from django.core.management import call_command
from django.core.management.base import CommandError

GAOXIN = Path(sys.executable).parent / "gaoxin"
RULES = """[policy]
code = "GX-2024-10"
name = "推动制造业高质量发展十条措施"
budget_wan = 600
entity_cap_wan = 500

[[rule]]
code = "smart_factory"
name = "新认定市级智能工厂"
when = "smart_factory_new = 1"
amount_wan = "200"
cap_wan = 200

[[rule]]
code = "upgrade"
name = "智能化改造"
when = "equipment_wan > 0"
amount_wan = "equipment_wan * 0.1"
cap_wan = 500
"""
FACTS = "entity,smart_factory_new,equipment_wan\n0012,1,4000\nB,0,1000\nC,0,\n"
HEADER = "entity,rule,raw_wan,granted_wan,paid_wan,note"


@pytest.fixture
def work(tmp_path):
    (tmp_path / "rules.toml").write_text(RULES, encoding="utf-8")
    (tmp_path / "facts.csv").write_text(FACTS, encoding="utf-8")
    return tmp_path


class _Capture:
    def __init__(self):
        self.text = ""

    def write(self, s):
        self.text += s

    def flush(self):
        pass


def run(work: Path, rules="rules.toml", facts="facts.csv", output="out.csv"):
    err = _Capture()
    call_command("policies", "match", "--rules", str(work / rules), "--facts", str(work / facts),
                 "--output", str(work / output), stdout=_Capture(), stderr=err)
    return err.text


def test_csv_output(work):
    summary = run(work)
    # Σ granted = 200 + 300 (cut by the entity cap after 200) + 100 = 600 = budget: no scaling
    assert (work / "out.csv").read_text(encoding="utf-8") == (
        HEADER + "\n"
        "0012,smart_factory,200.00,200.00,200.00,\n"
        "0012,upgrade,400.00,300.00,300.00,单户上限500万元（已获200万元）\n"
        "B,upgrade,100.00,100.00,100.00,\n")
    assert summary.count("\n") == 1 and summary.startswith("匹配完成：")
    assert "匹配 3 条" in summary and "核定合计 600.00 万元" in summary and "未超预算" in summary


def test_budget_scaling_in_summary(work):
    (work / "rules.toml").write_text(RULES.replace("budget_wan = 600", "budget_wan = 500"), encoding="utf-8")
    summary = run(work)
    paid = pl.read_csv(work / "out.csv", schema_overrides={"paid_wan": pl.String}).get_column("paid_wan").to_list()
    assert paid == ["166.66", "250.00", "83.33"]  # 200×5/6, 300×5/6, 100×5/6 rounded down
    assert "拨付合计 499.99 万元" in summary and "预算按比例核减" in summary


def test_xlsx_output_and_xlsx_facts(work):
    pl.read_csv(work / "facts.csv", schema_overrides={"entity": pl.String}).write_excel(work / "facts.xlsx")
    run(work, facts="facts.xlsx", output="out.xlsx")
    workbook = python_calamine.CalamineWorkbook.from_path(str(work / "out.xlsx"))
    rows = workbook.get_sheet_by_index(0).to_python()
    assert rows[0] == HEADER.split(",")
    assert rows[2] == ["0012", "upgrade", 400.0, 300.0, 300.0, "单户上限500万元（已获200万元）"]


def test_parquet_facts(work):
    pl.DataFrame({"entity": ["A"], "smart_factory_new": [1], "equipment_wan": [None]},
                 schema_overrides={"equipment_wan": pl.Float64}).write_parquet(work / "facts.parquet")
    run(work, facts="facts.parquet")
    assert (work / "out.csv").read_text(encoding="utf-8").splitlines()[1] == "A,smart_factory,200.00,200.00,200.00,"


def test_no_match_writes_header_only(work):
    (work / "facts.csv").write_text("entity,smart_factory_new,equipment_wan\nA,0,0\n", encoding="utf-8")
    summary = run(work)
    assert (work / "out.csv").read_text(encoding="utf-8") == HEADER + "\n"
    assert "匹配 0 条" in summary


@pytest.mark.parametrize(("rules", "facts", "output", "fragment"), [
    ("[policy\n", FACTS, "out.csv", "不是有效的 TOML"),
    (RULES.replace("smart_factory_new = 1", "nope = 1"), FACTS, "out.csv", "不存在的列"),
    (RULES.replace('"200"', '"200 +"'), FACTS, "out.csv", "不是有效的 SQL"),
    (RULES, FACTS + "B,1,1\n", "out.csv", "entity 重复（每个主体只能有一行）：B"),
    (RULES, FACTS.replace("entity,", "firm,"), "out.csv", "缺少 entity 列"),
    (RULES, FACTS, "out.txt", "扩展名“.txt”无法识别"),
    (RULES, FACTS, "out.parquet", "扩展名“.parquet”无法识别"),
    (RULES, FACTS, "missing/out.csv", "无法写入输出文件"),
])
def test_bad_input_exit_2_nothing_written(work, rules, facts, output, fragment):
    (work / "rules.toml").write_text(rules, encoding="utf-8")
    (work / "facts.csv").write_text(facts, encoding="utf-8")
    before = sorted(p.name for p in work.iterdir())
    with pytest.raises(CommandError) as caught:
        run(work, output=output)
    assert caught.value.returncode == 2
    assert fragment in str(caught.value) and "未写入任何文件" in str(caught.value)
    assert sorted(p.name for p in work.iterdir()) == before


@pytest.mark.parametrize(("rules", "facts", "fragment"), [
    ("absent.toml", "facts.csv", "无法读取规则文件"),
    ("rules.toml", "absent.csv", "无法读取输入文件"),
    ("rules.toml", "facts.json", "扩展名“.json”无法识别"),
])
def test_unreadable_files_exit_2(work, rules, facts, fragment):
    with pytest.raises(CommandError) as caught:
        run(work, rules=rules, facts=facts)
    assert caught.value.returncode == 2 and fragment in str(caught.value)
    assert not (work / "out.csv").exists()


def test_every_problem_listed(work):
    (work / "rules.toml").write_text(RULES.replace("cap_wan = 200", "cap_wan = -1").replace(
        "equipment_wan > 0", "x > 0"), encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        run(work)
    assert "第 1 条规则（smart_factory）：cap_wan 不能为负数" in str(caught.value)


def test_wrong_usage_exit_2(work):
    with pytest.raises(CommandError) as caught:
        call_command("policies", "match", "--rules", str(work / "rules.toml"))
    assert caught.value.returncode == 2


def test_console_script(work):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GAOXIN_", "DJANGO_"))}
    env.update(GAOXIN_VAR_DIR=str(work / "var"), GAOXIN_DATABASE_URL=f"sqlite:///{work / 'never.sqlite3'}")
    command = [str(GAOXIN), "policies", "match", "--rules", "rules.toml", "--facts", "facts.csv"]
    done = subprocess.run([*command, "--output", "out.csv"], env=env, cwd=work, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "" and done.stderr.startswith("匹配完成：") and done.stderr.count("\n") == 1
    assert (work / "out.csv").exists() and not (work / "never.sqlite3").exists()
    usage = subprocess.run(command, env=env, cwd=work, capture_output=True, text=True, timeout=120)
    assert usage.returncode == 2 and "--output" in usage.stderr
