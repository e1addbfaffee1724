"""`gaoxin timeline CASE.json` — issue 4's binding contract, on hand-computed cases.

Inputs are under fixtures/timeline/ (invalid ones under fixtures/timeline/invalid/); the expected
outputs are written out here with the reasoning. Calendar facts: see test_clock.py's docstring
(2025 National Day 10-01…10-08 off, make-up 09-28 Sun and 10-11 Sat; 2026 Spring Festival 02-15…02-23
off, make-up 02-14 Sat and 02-28 Sat).
"""

import copy
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

FIXTURES = Path(__file__).parent / "fixtures" / "timeline"
INVALID = FIXTURES / "invalid"


def run(path_or_data, tmp_path=None):
    """call_command; returns the decoded stdout. A dict is written to a temporary file first."""
    if isinstance(path_or_data, dict):
        path = tmp_path / "case.json"
        path.write_text(json.dumps(path_or_data, ensure_ascii=False), encoding="utf-8")
    else:
        path = path_or_data
    out = io.StringIO()
    call_command("timeline", str(path), stdout=out)
    return json.loads(out.getvalue())


def fails(path_or_data, tmp_path=None) -> str:
    """The command must exit 2 and print nothing on stdout; returns the message."""
    if isinstance(path_or_data, dict):
        path = tmp_path / "case.json"
        path.write_text(json.dumps(path_or_data, ensure_ascii=False), encoding="utf-8")
    else:
        path = path_or_data
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("timeline", str(path), stdout=out)
    assert caught.value.returncode == 2
    assert out.getvalue() == ""
    return str(caught.value)


def load(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


# --- valid cases --------------------------------------------------------------------------------------------

NATIONAL_DAY_2025 = {
    "items": [
        # filing: no accepted, no requires → accepted on start, Fri 09-26 (a workday). 3 days: 09-28 (Sun,
        # make-up), 09-29, 09-30 → due 09-30. Used on Mon 10-20: 09-28, 09-29, 09-30, 10-09, 10-10, 10-11,
        # 10-13 … 10-17, 10-20 = 12 → 3 − 12 = −9; today > due → 逾期.
        {"code": "filing", "accepted": "2025-09-26", "due": "2025-09-30", "decided": None,
         "used_wd": 12, "remaining_wd": -9, "status": "逾期"},
        # site: accepted 09-26 (given, kept although filing ends later). Counted: 09-28, 09-29, 09-30 (3);
        # pause 10-09…10-13 swallows 10-09, 10-10, 10-11 (make-up) and 10-13; 10-14 (4), 10-15 (5) → due 10-15.
        # Used on 10-20: 3 + 10-14, 10-15, 10-16, 10-17, 10-20 = 8 → −3, 逾期.
        {"code": "site", "accepted": "2025-09-26", "due": "2025-10-15", "decided": None,
         "used_wd": 8, "remaining_wd": -3, "status": "逾期"},
    ],
    # finish = latest end = site's due 10-15. total_wd: workdays in (09-26, 10-15] = 09-28, 09-29, 09-30,
    # 10-09, 10-10, 10-11, 10-13, 10-14, 10-15 = 9 (plain calendar: the pause plays no part).
    "finish": "2025-10-15",
    "total_wd": 9,
    # site ends last; its requirement filing has none → filing, site.
    "critical_path": ["filing", "site"],
    "provisional": False,
}

SPRING_FESTIVAL_2026 = {
    "items": [
        # lixiang: start Sat 02-14 is a make-up workday → accepted that day. 1 day: 02-15…02-23 off → Tue
        # 02-24; decided 02-24 → used 1, remaining 0, 按期办结.
        {"code": "lixiang", "accepted": "2026-02-14", "due": "2026-02-24", "decided": "2026-02-24",
         "used_wd": 1, "remaining_wd": 0, "status": "按期办结"},
        # ydgh: requires lixiang → accepted on lixiang's decision 02-24. restart after the pause 02-26…03-02:
        # 03-03 (1), 03-04 (2), 03-05 (3), 03-06 (4), 03-09 (5) → due Mon 03-09. On Fri 03-06 the pause is
        # over, so counting runs from 03-02: 03-03…03-06 = 4 used, 1 left ≤ ceil(0.2 × 5) = 1 → 预警.
        {"code": "ydgh", "accepted": "2026-02-24", "due": "2026-03-09", "decided": None,
         "used_wd": 4, "remaining_wd": 1, "status": "预警"},
        # hp: accepted 02-24; 3 + 2 extension = 5: 02-25, 02-26, 02-27, 02-28 (Sat, make-up), 03-02 → due
        # 03-02. Decided Wed 03-04: used 02-25 … 02-28, 03-02, 03-03, 03-04 = 7 → −2, 逾期办结.
        {"code": "hp", "accepted": "2026-02-24", "due": "2026-03-02", "decided": "2026-03-04",
         "used_wd": 7, "remaining_wd": -2, "status": "逾期办结"},
        # sgxk: requires ydgh (ends on its due 03-09) and hp (ends on its decision 03-04) → accepted 03-09.
        # 3 days: 03-10, 03-11, 03-12. Today 03-06 is before acceptance: 0 used, 3 left > ceil(0.6) = 1 → 正常.
        {"code": "sgxk", "accepted": "2026-03-09", "due": "2026-03-12", "decided": None,
         "used_wd": 0, "remaining_wd": 3, "status": "正常"},
    ],
    # finish 03-12; total_wd: workdays in (02-14, 03-12]: 02-24 … 02-28 (5), 03-02 … 03-06 (5),
    # 03-09 … 03-12 (4) = 14.
    "finish": "2026-03-12",
    "total_wd": 14,
    # sgxk ends last; of its requirements ydgh (03-09) ends after hp (03-04); ydgh ← lixiang.
    "critical_path": ["lixiang", "ydgh", "sgxk"],
    "provisional": False,
}

DEFINED_2027 = {
    "items": [
        # a: accepted Wed 2026-12-30; 12-31 (1), 2027-01-01 off (defined), Mon 01-04 (2), 01-05 (3) → 01-05.
        # Used on 01-04: 12-31, 01-04 = 2 → 1 left ≤ ceil(0.2 × 3) = 1 → 预警.
        {"code": "a", "accepted": "2026-12-30", "due": "2027-01-05", "decided": None,
         "used_wd": 2, "remaining_wd": 1, "status": "预警"},
        # b: accepted Thu 02-04; Fri 02-05 (1), Sat 02-06 (2, defined make-up day), 02-08…02-12 off,
        # Mon 02-15 (3) → due 02-15; decided that day → used 3, 0 left, 按期办结.
        {"code": "b", "accepted": "2027-02-04", "due": "2027-02-15", "decided": "2027-02-15",
         "used_wd": 3, "remaining_wd": 0, "status": "按期办结"},
    ],
    # total_wd: (2026-12-30, 2027-02-15]: 12-31 (1); January 2027 has 21 weekdays less 01-01 (20);
    # February: 02-01…02-05 (5), 02-06 (1), 02-15 (1) → 1 + 20 + 7 = 28.
    "finish": "2027-02-15",
    "total_wd": 28,
    "critical_path": ["b"],
    "provisional": False,
}


def test_national_day_2025():
    assert run(FIXTURES / "national_day_2025.json") == NATIONAL_DAY_2025


def test_spring_festival_2026_chain_restart_extension_late_decision():
    assert run(FIXTURES / "spring_festival_2026.json") == SPRING_FESTIVAL_2026


def test_defined_2027():
    assert run(FIXTURES / "defined_2027.json") == DEFINED_2027


def test_the_issue_example_verbatim_is_invalid_because_filing_is_not_listed():
    # The example in issue 4 requires "filing" without listing it: an unknown code → exit 2.
    assert "前置事项 'filing' 不存在" in fails(FIXTURES / "contract_example.json")


def test_output_keys_and_order():
    data = run(FIXTURES / "national_day_2025.json")
    assert list(data) == ["items", "finish", "total_wd", "critical_path", "provisional"]
    assert list(data["items"][0]) == ["code", "accepted", "due", "decided", "used_wd", "remaining_wd", "status"]


def test_provisional_year(tmp_path):
    case = load("defined_2027.json")
    del case["calendar"]
    # 2027 known to neither → exit 2 naming the year.
    assert "2027 年" in fails(case, tmp_path)
    case["calendar"] = {"provisional": True}
    # Monday–Friday: a: 12-31 (1), Fri 01-01 (2), Mon 01-04 (3) → 01-04; on 01-04 3 used, 0 left → 预警.
    # b: 02-05 (1), 02-08 (2), 02-09 (3) → 02-09; decided 02-15: 02-05, 02-08 … 02-12, 02-15 = 7 → −4, 逾期办结.
    data = run(case, tmp_path)
    assert data["items"] == [
        {"code": "a", "accepted": "2026-12-30", "due": "2027-01-04", "decided": None,
         "used_wd": 3, "remaining_wd": 0, "status": "预警"},
        {"code": "b", "accepted": "2027-02-04", "due": "2027-02-09", "decided": "2027-02-15",
         "used_wd": 7, "remaining_wd": -4, "status": "逾期办结"},
    ]
    # (12-30, 02-15]: 12-31, January's 21 weekdays, 02-01…02-05, 02-08…02-12, 02-15 = 1 + 21 + 11 = 33.
    assert (data["finish"], data["total_wd"], data["provisional"]) == ("2027-02-15", 33, True)


def test_provisional_allowed_but_unused_says_false(tmp_path):
    case = load("national_day_2025.json")
    case["calendar"] = {"provisional": True}
    assert run(case, tmp_path) == NATIONAL_DAY_2025


def test_a_defined_year_replaces_the_official_one(tmp_path):
    # 2025 redefined with only New Year's Day off: 10-01… are workdays, 09-28 and 10-11 are not.
    case = {"calendar": {"years": {"2025": {"holidays": ["2025-01-01"]}}},
            "items": [{"code": "a", "limit_wd": 5, "accepted": "2025-09-26"}]}
    # 09-29 (1), 09-30 (2), 10-01 (3), 10-02 (4), 10-03 (5).
    data = run(case, tmp_path)
    assert data["items"][0]["due"] == "2025-10-03"
    assert data["total_wd"] == 5


def test_start_on_a_holiday_and_defaults(tmp_path):
    # start Wed 10-01 (holiday) → accepted on the first workday after, Thu 10-09; 2 days → 10-10,
    # 10-11 (Sat, make-up). No today, no decided: used/remaining/status null. warn_ratio default 0.2.
    case = {"start": "2025-10-01", "items": [{"code": "a", "limit_wd": 2}]}
    assert run(case, tmp_path) == {
        "items": [{"code": "a", "accepted": "2025-10-09", "due": "2025-10-11", "decided": None,
                   "used_wd": None, "remaining_wd": None, "status": None}],
        "finish": "2025-10-11", "total_wd": 2, "critical_path": ["a"], "provisional": False}


def test_warn_boundary_through_the_cli(tmp_path):
    # 10 days from Thu 10-09 → due 10-22 (10-10, 10-11, 10-13 … 10-17, 10-20 … 10-22).
    # warn_ratio 0.3 → ceil(3) = 3: on Fri 10-17 7 used, 3 left → 预警; on Thu 10-16 6 used, 4 left → 正常.
    case = {"today": "2025-10-17", "warn_ratio": 0.3,
            "items": [{"code": "a", "limit_wd": 10, "accepted": "2025-10-09"}]}
    assert run(case, tmp_path)["items"][0]["status"] == "预警"
    case["today"] = "2025-10-16"
    assert run(case, tmp_path)["items"][0]["status"] == "正常"
    # 0.14 × 50 = 7 exactly (7.000000000000001 in binary floats, whose ceiling is 8).
    # 50 days from Mon 2025-03-03: March 03-04 … 03-31 = 20, April 04-01 … 04-03 (23), Fri 04-04 清明 off,
    # 04-07 … 04-25 (38), Sun 04-27 make-up (39), 04-28, 04-29, 04-30 (42); 05-01 … 05-05 off, 05-06 (43).
    # On 04-30 42 used, 8 left → 正常; on 05-06 43 used, 7 left → 预警.
    case = {"today": "2025-04-30", "warn_ratio": 0.14,
            "items": [{"code": "a", "limit_wd": 50, "accepted": "2025-03-03"}]}
    item = run(case, tmp_path)["items"][0]
    assert (item["used_wd"], item["remaining_wd"], item["status"]) == (42, 8, "正常")
    case["today"] = "2025-05-06"
    item = run(case, tmp_path)["items"][0]
    assert (item["used_wd"], item["remaining_wd"], item["status"]) == (43, 7, "预警")


def test_limit_zero_and_open_pause(tmp_path):
    case = {"today": "2025-10-14", "items": [
        # 即办 accepted and decided on 10-09 → due 10-09, 按期办结.
        {"code": "jiban", "limit_wd": 0, "accepted": "2025-10-09", "decided": "2025-10-09"},
        # open pause since 10-09, today 10-14: as if it ended today → 3 counted before it (09-28, 09-29,
        # 09-30), then 10-15 (4), 10-16 (5) → due 10-16; 2 left > ceil(1) → 正常.
        {"code": "open", "limit_wd": 5, "accepted": "2025-09-26", "pauses": [{"from": "2025-10-09", "to": None}]},
    ]}
    data = run(case, tmp_path)
    assert data["items"][0] == {"code": "jiban", "accepted": "2025-10-09", "due": "2025-10-09",
                                "decided": "2025-10-09", "used_wd": 0, "remaining_wd": 0, "status": "按期办结"}
    assert data["items"][1] == {"code": "open", "accepted": "2025-09-26", "due": "2025-10-16", "decided": None,
                                "used_wd": 3, "remaining_wd": 2, "status": "正常"}
    # finish 10-16; (09-26, 10-16]: 09-28, 09-29, 09-30, 10-09, 10-10, 10-11, 10-13 … 10-16 = 10.
    assert (data["finish"], data["total_wd"], data["critical_path"]) == ("2025-10-16", 10, ["open"])


def test_utf8_bom(tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + (FIXTURES / "national_day_2025.json").read_bytes())
    assert run(path) == NATIONAL_DAY_2025


def test_key_order_does_not_matter(tmp_path):
    # The same case with every item's keys in reverse order gives the same answer.
    case = load("spring_festival_2026.json")
    shuffled = copy.deepcopy(case)
    shuffled["items"] = [dict(reversed(list(item.items()))) for item in shuffled["items"]]
    assert run(shuffled, tmp_path) == SPRING_FESTIVAL_2026


# --- invalid input ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "message"), [
    ("cycle", "循环依赖：a → b → a"),
    ("self_requirement", "前置事项不能是它自己"),
    ("unknown_code", "前置事项 'x' 不存在"),
    ("duplicate_code", "事项代码 'a' 与 items[0] 重复"),
    ("negative_limit", "items[0].limit_wd（事项 a）：不能为负数"),
    ("negative_extension", "items[0].extension_wd（事项 a）：不能为负数"),
    ("impossible_date", "“2025-02-30” 不是有效日期"),
    ("date_format", "“2025/09/26” 不是 YYYY-MM-DD 格式"),
    ("year_without_calendar", "2027 年"),
    ("bad_json", "不是有效的 JSON"),
    ("wrong_type_limit", "items[0].limit_wd（事项 a）：应为非负整数（工作日），收到 字符串 \"5\""),
    ("fractional_limit", "收到 数字 5.5"),
    ("bool_limit", "收到 布尔值 true"),
    ("items_not_a_list", "items：应为数组"),
    ("not_an_object", "应为 JSON 对象"),
    ("no_items", "缺少 items"),
    ("empty_items", "items 为空"),
    ("no_limit", "缺少 limit_wd"),
    ("no_code", "items[0].code"),
    ("no_start", "需要给出 start"),
    ("decided_before_accepted", "早于受理日期"),
    ("pause_reversed", "早于开始日期"),
    ("open_pause_without_today", "需要给出 today"),
    ("unknown_key", "未知字段 acepted"),
    ("bad_pause_mode", "pause_mode"),
    ("warn_ratio_out_of_range", "warn_ratio"),
    ("provisional_not_bool", "calendar.provisional"),
    ("calendar_date_outside_year", "不属于 2027 年"),
    ("calendar_day_both", "同时列在 holidays 和 workdays"),
    ("duplicate_key", "limit_wd 出现了两次"),
    ("nan", "不允许 NaN"),
    ("requires_not_a_list", "requires（事项 a）：应为数组"),
])
def test_invalid_input_exits_2_with_a_message_and_no_output(name, message):
    assert message in fails(INVALID / f"{name}.json")


def test_every_invalid_fixture_is_covered():
    covered = {p.stem for p in INVALID.glob("*.json")}
    tested = {name for name, _ in test_invalid_input_exits_2_with_a_message_and_no_output.pytestmark[0].args[1]}
    assert covered == tested


def test_missing_file_and_not_utf8(tmp_path):
    assert "无法读取文件" in fails(tmp_path / "nope.json")
    path = tmp_path / "gbk.json"
    path.write_bytes('{"items": [{"code": "甲", "limit_wd": 1}]}'.encode("gbk"))
    assert "不是 UTF-8" in fails(path)


def test_usage_error_exits_2():
    with pytest.raises(CommandError) as caught:
        call_command("timeline")
    assert caught.value.returncode == 2


# --- the real console script -------------------------------------------------------------------------------

def _gaoxin() -> str:
    return str(Path(sys.executable).parent / "gaoxin")


def test_console_script(tmp_path):
    env = {**os.environ, "GAOXIN_VAR_DIR": str(tmp_path)}
    done = subprocess.run([_gaoxin(), "timeline", str(FIXTURES / "spring_festival_2026.json")],
                          capture_output=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr.decode()
    assert json.loads(done.stdout.decode("utf-8")) == SPRING_FESTIVAL_2026

    done = subprocess.run([_gaoxin(), "timeline", str(INVALID / "cycle.json")],
                          capture_output=True, env=env, timeout=120)
    assert done.returncode == 2
    assert done.stdout == b""
    assert "a → b → a" in done.stderr.decode("utf-8")

    # `-` reads the case from standard input.
    done = subprocess.run([_gaoxin(), "timeline", "-"], input=(FIXTURES / "national_day_2025.json").read_bytes(),
                          capture_output=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr.decode()
    assert json.loads(done.stdout.decode("utf-8")) == NATIONAL_DAY_2025
