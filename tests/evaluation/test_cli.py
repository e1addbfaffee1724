"""`gaoxin evaluate`: exit 0 with a one-line summary; exit 2, a message naming the problem and no file.

Most cases run in-process through call_command (CommandError carries the exit code); a few run the
real console script, which is where argparse's own exit 2 and Django's stderr printing happen.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter
from django.core.management import call_command
from django.core.management.base import CommandError

from .schemes import FIXTURES, group, indicator, scheme_text

GAOXIN = Path(sys.executable).parent / "gaoxin"
HUANGYAN = FIXTURES / "huangyan2022.toml"
VETO = '\n[[veto]]\ncolumn = "accident"\nclass = "D"\nlabel = "重大安全事故"\n'
COLUMNS = ["uscc", "size", "land_mu", "tax", "value_added", "energy_tce", "emission_t", "staff", "rd", "revenue",
           "electricity", "accident"]
ROWS = [
    ["0012", "规上", 20, 600, 2000, 800, 0.5, 100, 300, 10000, None, "否"],
    ["91330100MA2XXXXX0Y", "规上", 10, 500, 1500, 700, None, 80, 100, 8000, None, "是"],
    ["A3", "规上", 5, 100, 300, 100, 0.2, 30, 10, 2000, None, "否"],
    ["B1", "规下", 3, 30, None, None, None, None, None, None, 100, "否"],
    ["B2", "规下", 4, 20, None, None, None, None, None, None, 200, ""],
    ["X1", "个体", 1, 1, None, None, None, None, None, None, None, "否"],
]


def write_csv(path: Path, columns=COLUMNS, rows=ROWS) -> Path:
    frame = pl.DataFrame([[None if v is None else str(v) for v in r] for r in rows], schema=columns, orient="row")
    frame.write_csv(path)
    return path


def write_xlsx(path: Path, columns=COLUMNS, rows=ROWS) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("数据")
    ws.write_row(0, 0, columns)
    for i, r in enumerate(rows, start=1):
        for j, v in enumerate(r):
            if v is not None:
                ws.write_string(i, j, v) if isinstance(v, str) else ws.write_number(i, j, v)
    wb.close()
    return path


def write_parquet(path: Path, columns=COLUMNS, rows=ROWS) -> Path:
    schema = {c: pl.String if c in ("uscc", "size", "accident") else pl.Float64 for c in columns}
    pl.DataFrame(rows, schema=schema, orient="row").write_parquet(path)
    return path


WRITERS = {".csv": write_csv, ".xlsx": write_xlsx, ".parquet": write_parquet}


@pytest.fixture
def work(tmp_path):
    (tmp_path / "scheme.toml").write_text(HUANGYAN.read_text(encoding="utf-8") + VETO, encoding="utf-8")
    write_csv(tmp_path / "data.csv")
    return tmp_path


def evaluate(work: Path, *extra, scheme="scheme.toml", data="data.csv", output="out.csv", report=None):
    args = ["evaluate", "--scheme", str(work / scheme), "--input", str(work / data), "--output", str(work / output)]
    if report:
        args += ["--report", str(work / report)]
    out, err = _Capture(), _Capture()
    call_command(*args, *extra, stdout=out, stderr=err)
    return out.text, err.text


class _Capture:
    def __init__(self):
        self.text = ""

    def write(self, s):
        self.text += s

    def flush(self):
        pass


def fails(work: Path, expected: list[str] | str, *, report: bool, **kwargs) -> str:
    before = set(work.iterdir())
    with pytest.raises(CommandError) as caught:
        evaluate(work, report="report.json" if report else None, **kwargs)
    assert caught.value.returncode == 2
    message = str(caught.value)
    for part in [expected] if isinstance(expected, str) else expected:
        assert part in message
    assert "未写入任何文件" in message
    assert set(work.iterdir()) == before  # no output, no report, no temporary file
    return message


# ---------------------------------------------------------------------------------------------- success


def test_success_writes_output_and_report_and_one_line(work):
    out, err = evaluate(work, report="report.json")
    assert out.count("\n") == 1 and out.startswith("评价完成：黄岩区2022年度工业企业亩均效益综合评价（2022），6 家企业")
    assert "above 3，below 2，未入组 1" in out
    assert err == ""
    table = pl.read_csv(work / "out.csv", schema_overrides={"uscc": pl.String})
    assert table.columns == ["uscc", "group", "score", "rank", "class", "veto",
                             "tax_per_mu_value", "tax_per_mu_score", "va_per_mu_value", "va_per_mu_score",
                             "va_per_energy_value", "va_per_energy_score", "va_per_emission_value",
                             "va_per_emission_score", "labour_productivity_value", "labour_productivity_score",
                             "rd_ratio_value", "rd_ratio_score", "tax_per_kwh_value", "tax_per_kwh_score"]
    rows = {r["uscc"]: r for r in table.iter_rows(named=True)}
    assert table.get_column("uscc").to_list() == [r[0] for r in ROWS]
    assert round(rows["0012"]["score"], 4) == 99.6704
    assert (rows["91330100MA2XXXXX0Y"]["class"], rows["91330100MA2XXXXX0Y"]["veto"]) == ("D", "重大安全事故")
    assert rows["X1"]["group"] is None and rows["X1"]["score"] is None

    report = json.loads((work / "report.json").read_text(encoding="utf-8"))
    assert report["rows"] == 6 and report["ungrouped"] == 1
    above = report["groups"]["above"]
    assert above["n"] == 3 and above["label"] == "规上企业"
    assert above["benchmarks"]["tax_per_mu"] == 24.097
    assert sum(above["class_counts"].values()) + above["unclassified"] == 3
    assert above["vetoed"] == {"重大安全事故": 1}
    assert sum(g["n"] for g in report["groups"].values()) + report["ungrouped"] == report["rows"]


@pytest.mark.parametrize("src", [".csv", ".xlsx", ".parquet"])
@pytest.mark.parametrize("dst", [".csv", ".xlsx", ".parquet"])
def test_every_input_and_output_format(work, src, dst):
    WRITERS[src](work / f"in{src}")
    evaluate(work, data=f"in{src}", output=f"result{dst}")
    from gaoxin.evaluation import io

    table = io.read_table(work / f"result{dst}")
    assert table.columns[:6] == ["uscc", "group", "score", "rank", "class", "veto"]
    assert table.get_column("uscc").to_list() == [r[0] for r in ROWS]
    reference = pl.read_csv(work / "expected.csv", schema_overrides={"uscc": pl.String}) if (
        work / "expected.csv").exists() else None
    if reference is None:
        evaluate(work, output="expected.csv")
        reference = pl.read_csv(work / "expected.csv", schema_overrides={"uscc": pl.String})
    for got, want in zip(table.iter_rows(named=True), reference.iter_rows(named=True), strict=True):
        assert (got["group"], got["rank"], got["class"], got["veto"]) == (
            want["group"], want["rank"], want["class"], want["veto"])
        if want["score"] is None:
            assert got["score"] is None
        else:
            assert got["score"] == pytest.approx(want["score"], rel=1e-15)


def test_warnings_go_to_stderr_and_do_not_fail(work):
    text = scheme_text([group("big", [indicator("t", "tax", "land_mu")], where="land_mu > 1000"),
                        group("rest", [indicator("t", "tax", "land_mu")])])
    (work / "empty.toml").write_text(text, encoding="utf-8")
    out, err = evaluate(work, scheme="empty.toml")
    assert "评价完成" in out and "组“big”（big）没有任何企业" in err


# ---------------------------------------------------------------------------------------------- failures


@pytest.fixture(params=[False, True], ids=["no-report", "report"])
def report(request):
    return request.param


def bad_scheme(work: Path, text: str) -> str:
    (work / "bad.toml").write_text(text, encoding="utf-8")
    return "bad.toml"


def test_unknown_column_in_expression(work, report):
    scheme = bad_scheme(work, HUANGYAN.read_text(encoding="utf-8").replace('denominator = "staff"',
                                                                         'denominator = "employees"'))
    fails(work, ["组“above”指标“labour_productivity”的 denominator“employees”", "不存在的列：employees"],
          report=report, scheme=scheme)


def test_invalid_sql(work, report):
    scheme = bad_scheme(work, HUANGYAN.read_text(encoding="utf-8").replace('numerator = "rd"',
                                                                         'numerator = "rd +* 1"'))
    fails(work, ["组“above”的指标“rd_ratio”的 numerator不是合法的 SQL 表达式", "rd +* 1"], report=report,
          scheme=scheme)


def test_non_positive_weight(work, report):
    scheme = bad_scheme(work, HUANGYAN.read_text(encoding="utf-8").replace("weight = 30", "weight = 0"))
    fails(work, ["组“above”的指标“tax_per_mu”的 weight 为 0", "权重必须是正数"], report=report, scheme=scheme)


def test_classes_not_ending_at_1(work, report):
    scheme = bad_scheme(work, HUANGYAN.read_text(encoding="utf-8").replace('{ label = "D", top = 1.0 }',
                                                                         '{ label = "D", top = 0.99 }', 1))
    fails(work, "组“above”的最后一个档次 top 应为 1.0", report=report, scheme=scheme)


@pytest.mark.parametrize(("classes", "expected"), [
    ("[]", "classes 为空"),
    ('[ { label = "A", top = 0.5 }, { label = "B", min_score = 10 } ]', "混用了 top 和 min_score"),
    ('[ { label = "A", top = 0.6 }, { label = "B", top = 0.2 }, { label = "C", top = 1.0 } ]', "top 应逐个递增"),
])
def test_bad_classes(work, report, classes, expected):
    text = HUANGYAN.read_text(encoding="utf-8").replace(
        'classes = [ { label = "A", top = 0.20 }, { label = "B", top = 0.60 }, { label = "C", top = 0.95 }, '
        '{ label = "D", top = 1.0 } ]', f"classes = {classes}", 1)
    fails(work, expected, report=report, scheme=bad_scheme(work, text))


@pytest.mark.parametrize(("old", "new", "expected"), [
    ('direction = "higher"', 'direction = "up"', "direction 为“up”"),
    ('benchmark = 24.097', 'benchmark = "median"', "benchmark 为“median”"),
    ('missing = "group_mean"', 'missing = "average"', "missing 为“average”"),
])
def test_unknown_keywords(work, report, old, new, expected):
    scheme = bad_scheme(work, HUANGYAN.read_text(encoding="utf-8").replace(old, new, 1))
    fails(work, expected, report=report, scheme=scheme)


def test_toml_syntax_error_names_the_line(work, report):
    scheme = bad_scheme(work, 'name = "x"\nyear = 2025\nweight = = 1\n')
    fails(work, ["不是合法的 TOML", "line 3"], report=report, scheme=scheme)


def test_toml_unclosed_at_the_end(work, report):
    scheme = bad_scheme(work, 'name = "x"\nyear = 2025\nclasses = [\n')
    fails(work, ["不是合法的 TOML", "at end of document", "第 3 行之后"], report=report, scheme=scheme)


def test_missing_uscc_column(work, report):
    write_csv(work / "no_uscc.csv", ["code", *COLUMNS[1:]])
    fails(work, "输入缺少 uscc 列", report=report, data="no_uscc.csv")


def test_duplicate_usccs_are_listed(work, report):
    rows = [*ROWS, ["A3", *ROWS[2][1:]], ["B1", *ROWS[3][1:]]]
    write_csv(work / "dup.csv", rows=rows)
    fails(work, "uscc 重复：2 个代码出现了不止一次：A3、B1", report=report, data="dup.csv")


def test_unreadable_input(work, report):
    (work / "broken.xlsx").write_bytes(b"this is not a workbook")
    fails(work, "无法读取输入文件", report=report, data="broken.xlsx")


def test_missing_input_and_scheme_files(work, report):
    fails(work, ["无法读取输入文件", "nope.csv", "文件或目录不存在"], report=report, data="nope.csv")
    fails(work, ["无法读取方案文件", "nope.toml"], report=report, scheme="nope.toml")


@pytest.mark.parametrize(("data", "output", "expected"), [
    ("data.txt", "out.csv", "输入文件"),
    ("data.csv", "out.json", "输出文件"),
])
def test_unknown_file_extensions(work, report, data, output, expected):
    (work / "data.txt").write_text("uscc\nA\n")
    fails(work, [expected, "无法识别"], report=report, data=data, output=output)


def test_veto_column_missing(work, report):
    write_csv(work / "no_veto.csv", COLUMNS[:-1], [r[:-1] for r in ROWS])
    fails(work, "否决项“重大安全事故”的列 accident 在输入中不存在", report=report, data="no_veto.csv")


def test_veto_column_not_boolean_like(work, report):
    rows = [[*r[:-1], "也许" if i == 0 else r[-1]] for i, r in enumerate(ROWS)]
    write_csv(work / "maybe.csv", rows=rows)
    fails(work, ["否决项“重大安全事故”的列 accident应为是/否", "“也许”"], report=report, data="maybe.csv")


def test_a_zero_computed_benchmark(work, report):
    text = scheme_text([group("g", [indicator("rd", "rd", "revenue")], where="size = '规上'")])
    rows = [[*r[:8], 0, *r[9:]] for r in ROWS]
    write_csv(work / "zero.csv", rows=rows)
    fails(work, "组“g”指标“rd”的基准值", report=report, scheme=bad_scheme(work, text), data="zero.csv")


def test_output_directory_missing(work, report):
    fails(work, "无法写入输出文件", report=report, output="missing/out.csv")


def test_report_and_output_must_differ(work):
    with pytest.raises(CommandError) as caught:
        evaluate(work, output="same.csv", report="same.csv")
    assert caught.value.returncode == 2 and "不能是同一个文件" in str(caught.value)


def test_an_existing_output_is_left_alone_on_failure(work, report):
    (work / "out.csv").write_text("previous run\n")
    write_csv(work / "no_uscc.csv", ["code", *COLUMNS[1:]])
    fails(work, "输入缺少 uscc 列", report=report, data="no_uscc.csv")
    assert (work / "out.csv").read_text() == "previous run\n"


def test_usage_error_in_process_is_exit_2(work):
    with pytest.raises(CommandError) as caught:
        call_command("evaluate", "--scheme", str(work / "scheme.toml"))
    assert caught.value.returncode == 2


# ---------------------------------------------------------------------------------------------- console script


def console(work: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GAOXIN_", "DJANGO_"))}
    # no database is touched: point it somewhere that does not exist to prove it
    env.update(GAOXIN_VAR_DIR=str(work / "var"), GAOXIN_DATABASE_URL=f"sqlite:///{work / 'never.sqlite3'}")
    return subprocess.run([str(GAOXIN), "evaluate", *args], env=env, cwd=work, capture_output=True, text=True,
                          timeout=120)


def test_console_script_exit_0(work):
    done = console(work, "--scheme", "scheme.toml", "--input", "data.csv", "--output", "out.parquet",
                   "--report", "report.json")
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("\n") == 1 and done.stdout.startswith("评价完成：")
    assert pl.read_parquet(work / "out.parquet").height == len(ROWS)
    assert not (work / "never.sqlite3").exists() or (work / "never.sqlite3").stat().st_size == 0


def test_console_script_exit_2_on_bad_data(work):
    write_csv(work / "no_uscc.csv", ["code", *COLUMNS[1:]])
    done = console(work, "--scheme", "scheme.toml", "--input", "no_uscc.csv", "--output", "out.csv",
                   "--report", "report.json")
    assert done.returncode == 2
    assert "输入缺少 uscc 列" in done.stderr and "Traceback" not in done.stderr
    assert not (work / "out.csv").exists() and not (work / "report.json").exists()


def test_console_script_usage_error_is_exit_2(work):
    done = console(work, "--scheme", "scheme.toml", "--input", "data.csv")
    assert done.returncode == 2 and "--output" in done.stderr


def test_the_benchmark_input_and_scheme_work_at_small_scale(tmp_path):
    from benchmarks.bench_evaluate import SCHEME, make_input

    make_input(tmp_path / "in.parquet", rows=500)
    (tmp_path / "scheme.toml").write_text(SCHEME, encoding="utf-8")
    out, _err = evaluate(tmp_path, scheme="scheme.toml", data="in.parquet", output="out.csv", report="r.json")
    assert "500 家企业" in out
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert {g: report["groups"][g]["n"] > 0 for g in ("above", "below")} == {"above": True, "below": True}
    assert sum(len(g["benchmarks"]) for g in report["groups"].values()) == 8
