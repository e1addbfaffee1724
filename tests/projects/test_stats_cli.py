"""`gaoxin stats --zone CODE --period P [--format json|table]`: the contract of issue 5."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from .statistics_data import build_statistics_world

CONTRACT_KEYS = {
    "period", "from", "to", "signed_projects", "contract_investment_wan", "signed_by_size", "signed_by_channel",
    "funds_in_place_wan", "funds_in_place_prev_wan", "funds_in_place_growth_pct", "projects_started",
    "projects_completed", "projects_commissioned", "key_projects",
}


def stats(*args) -> str:
    out = io.StringIO()
    call_command("stats", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def stats_world(project_world):
    build_statistics_world(project_world)
    return project_world


def test_json_is_the_contract(stats_world):
    text = stats("--zone", "t1", "--period", "2024-06")
    assert "签约" not in text or "\\u" not in text  # UTF-8, not escaped
    data = json.loads(text)
    assert set(data) == CONTRACT_KEYS
    assert (data["period"], data["from"], data["to"]) == ("2024-06", "2024-01-01", "2024-06-30")
    assert data["signed_projects"] == 3
    assert data["contract_investment_wan"] == 1019999.99
    assert data["signed_by_size"] == {"50亿级": 1, "10亿级": 1, "亿元级": 1}
    assert data["signed_by_channel"] == {
        "专班招商": {"count": 1, "contract_investment_wan": 500000},
        "基金招商": {"count": 1, "contract_investment_wan": 20000},
        "驻外招商": {"count": 1, "contract_investment_wan": 499999.99},
    }
    assert (data["funds_in_place_wan"], data["funds_in_place_prev_wan"]) == (200, 100)
    assert data["funds_in_place_growth_pct"] == pytest.approx(100.0)
    assert (data["projects_started"], data["projects_completed"], data["projects_commissioned"]) == (1, 0, 0)
    city = data["key_projects"]["市级"]
    assert (city["count"], city["plan_wan"], city["completed_wan"]) == (2, 42000, 13501.5)
    assert city["completion_pct"] == pytest.approx(13501.5 / 42000 * 100)
    assert city["time_progress_pct"] == 50.0
    assert city["ahead_pp"] == pytest.approx(13501.5 / 42000 * 100 - 50)
    district = data["key_projects"]["区级"]
    assert (district["count"], district["plan_wan"], district["completed_wan"], district["completion_pct"]) == \
        (1, 3000, 0, 0.0)  # a key project without reports counts, with nothing completed


def test_full_year_alias_sees_the_later_milestones(stats_world):
    data = json.loads(stats("--zone", "t1", "--period", "2024"))
    assert data["to"] == "2024-12-31"
    assert data["signed_projects"] == 4  # the 1 July signing joins
    assert (data["projects_started"], data["projects_completed"], data["projects_commissioned"]) == (1, 1, 1)
    assert data["key_projects"]["市级"]["time_progress_pct"] == 100.0


@pytest.mark.parametrize(("alias", "same"), [("2024Q1", "2024-03"), ("2024H1", "2024-06"), ("2024Q3", "2024-09"),
                                             ("2024", "2024-12")])
def test_aliases_equal_their_month(stats_world, alias, same):
    assert stats("--zone", "t1", "--period", alias) == stats("--zone", "t1", "--period", same)


def test_previous_year_without_funds_gives_null_growth(stats_world):
    data = json.loads(stats("--zone", "t1", "--period", "2023-06"))
    assert data["funds_in_place_wan"] == 100 and data["funds_in_place_prev_wan"] == 0
    assert data["funds_in_place_growth_pct"] is None
    assert data["signed_projects"] == 0


def test_table_format_is_chinese_and_aligned(stats_world):
    text = stats("--zone", "t1", "--period", "2024H1", "--format", "table")
    lines = text.splitlines()
    assert "测试高新区" in lines[0] and "2024-06-30" in lines[0]
    assert any(line.startswith("签约项目") and line.rstrip().endswith("3  个") for line in lines)
    assert any("合同投资额" in line and "1,019,999.99" in line and line.endswith("万元") for line in lines)
    assert any("到位资金同比增长" in line and "100.0" in line for line in lines)
    assert any("完成率" in line and "32.1" in line for line in lines)  # 13501.5 / 42000 rounded to 0.1
    # the value column is right-aligned: every value ends in the same display column
    from gaoxin.projects.management.commands.stats import _width

    value_ends = {_width(line.rsplit("  ", 1)[0]) for line in lines[3:] if line.endswith(("个", "万元", "%"))}
    assert len(value_ends) == 1


def test_empty_zone_gives_zeros(world):
    data = json.loads(stats("--zone", "t2", "--period", "2025-03"))
    assert data["signed_projects"] == 0 and data["contract_investment_wan"] == 0
    assert data["key_projects"]["市级"]["completion_pct"] is None


@pytest.mark.parametrize("period", ["2024-13", "2024Q5", "24-06", "2024/06", "1999"])
def test_bad_period_exits_2(world, period):
    with pytest.raises(CommandError) as exc:
        stats("--zone", "t1", "--period", period)
    assert exc.value.returncode == 2 and "期间" in str(exc.value)


def test_unknown_zone_exits_2(world):
    with pytest.raises(CommandError) as exc:
        stats("--zone", "nope", "--period", "2024-06")
    assert exc.value.returncode == 2 and "nope" in str(exc.value)


def test_usage_errors_exit_2(world):
    with pytest.raises(CommandError) as exc:
        stats("--zone", "t1", "--period", "2024-06", "--format", "xml")
    assert exc.value.returncode == 2


def test_console_script_writes_utf8_and_exits_2_on_stderr(stats_world, tmp_path):
    """The real command line: exit codes and streams as a shell sees them."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    gaoxin = Path(sys.executable).parent / "gaoxin"
    env = {**os.environ, "GAOXIN_VAR_DIR": str(tmp_path), "PYTHONIOENCODING": "utf-8"}
    bad = subprocess.run([str(gaoxin), "stats", "--zone", "t1", "--period", "2024-99"], env=env,
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "期间" in bad.stderr and bad.stdout == ""
