"""`gaoxin bulletin --zone CODE --period P --format docx|html|md --output FILE`: exit codes and atomic output."""

import io
import os

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gaoxin.economy.management.commands import bulletin as command

from .bulletin_data import build_bulletin_world

EXPECTED_SENTENCES = (
    "# 测试高新区2024年上半年经济运行简报",
    "今年以来，测试高新区地区生产总值增长8.2%，规上工业增加值增长8.6%，固定资产投资增长12.2%，工业投资增长32.9%；"
    "签约项目3个、合同投资额102亿元，到位资金200万元、增长1倍；1个项目实现开工。",
    "地区生产总值214.6亿元，增长8.2%，增速较一季度提高0.3个百分点，高于全市2.1个百分点，高于年度目标1.2个百分点。",
    "规上工业增加值98亿元，增长8.6%，增速较一季度回落0.5个百分点。",
    "固定资产投资增长12.2%，较一季度由降转增，高于全市8.2个百分点。",
    "工业投资98.8亿元，增长32.9%，完成年度计划的54.9%，超时序进度4.9个百分点。",
    "签约项目3个、合同投资额102亿元，其中50亿级1个；到位资金200万元、增长1倍。",
    "分渠道看，专班招商签约1个、合同投资额50亿元，基金招商签约1个、合同投资额2亿元，驻外招商签约1个、合同投资额50亿元。",
    "分产业看，新型智能终端签约3个、合同投资额102亿元。",
    "1个项目实现开工；2个市级重点项目投资完成率32.1%，慢于时序进度17.9个百分点；"
    "1个区级重点项目投资完成率0.0%，慢于时序进度50.0个百分点。",
    "| 地区生产总值 | 亿元 | 214.6 | 8.2% | +0.3 | 6.1% | 增长7.0% |",
    "| 合计 | 3 | 102亿元 |",
    "| 市级 | 2 | 4.2亿元 | 1.4亿元 | 32.1% | 50.0% | -17.9 |",
    "3. 地区生产总值为修订数（来源：区统计局）。",
)


@pytest.fixture
def bw(world):
    build_bulletin_world(world)
    return world


def run(*args) -> str:
    """The command's stderr (it writes nothing to stdout)."""
    out, err = io.StringIO(), io.StringIO()
    call_command("bulletin", *args, stdout=out, stderr=err)
    assert out.getvalue() == ""
    return err.getvalue()


def fails(*args) -> CommandError:
    with pytest.raises(CommandError) as caught:
        run(*args)
    return caught.value


def test_markdown_states_every_figure(bw, tmp_path):
    target = tmp_path / "brief.md"
    message = run("--zone", "t1", "--period", "2024-06", "--format", "md", "--output", str(target))
    text = target.read_text(encoding="utf-8")
    for sentence in EXPECTED_SENTENCES:
        assert sentence in text
    assert "社会消费品零售总额" not in text and "None" not in text
    assert message.count("\n") == 1  # one line
    assert message.startswith("已生成《测试高新区2024年上半年经济运行简报》（md，4 节，4 张表，2 张图，")
    assert message.rstrip().endswith(str(target))
    assert os.listdir(tmp_path) == ["brief.md"]  # no temporary file left behind


@pytest.mark.parametrize("alias", ["2024H1", "2024Q2", " 2024-6 "])
def test_period_aliases(bw, tmp_path, alias):
    run("--zone", "t1", "--period", "2024-06", "--format", "md", "--output", str(tmp_path / "a.md"))
    run("--zone", "t1", "--period", alias, "--format", "MD", "--output", str(tmp_path / "b.md"))
    assert (tmp_path / "a.md").read_bytes() == (tmp_path / "b.md").read_bytes()


@pytest.mark.parametrize(("args", "message"), [
    (("--zone", "t1", "--period", "2024-13", "--format", "md"), "月份应为 01–12"),
    (("--zone", "t1", "--period", "半年", "--format", "md"), "期间“半年”无法识别"),
    (("--zone", "nope", "--period", "2024-06", "--format", "md"), "园区代码“nope”不存在"),
    (("--zone", "t1", "--period", "2024-06", "--format", "pdf"), "输出格式“pdf”不受支持，应为 docx、html 或 md"),
])
def test_bad_arguments_exit_2_and_write_nothing(bw, tmp_path, args, message):
    target = tmp_path / "out.md"
    error = fails(*args, "--output", str(target))
    assert error.returncode == 2
    assert message in str(error)
    assert not target.exists()


def test_missing_output_directory_exits_2(bw, tmp_path):
    error = fails("--zone", "t1", "--period", "2024-06", "--format", "md", "--output", str(tmp_path / "no" / "x.md"))
    assert error.returncode == 2 and "输出目录" in str(error) and "不存在" in str(error)
    error = fails("--zone", "t1", "--period", "2024-06", "--format", "md", "--output", str(tmp_path))
    assert error.returncode == 2 and "是一个目录" in str(error)


def test_missing_option_is_a_usage_error(bw, tmp_path):
    assert fails("--zone", "t1", "--period", "2024-06", "--format", "md").returncode == 2


def test_period_without_data_exits_1_and_keeps_the_old_file(bw, tmp_path):
    target = tmp_path / "out.md"
    target.write_text("旧内容", encoding="utf-8")
    error = fails("--zone", "t1", "--period", "2019-06", "--format", "md", "--output", str(target))
    assert error.returncode == 1
    assert "没有官方统计数据，也没有签约、到位资金或项目建设数据" in str(error)
    assert target.read_text(encoding="utf-8") == "旧内容"
    assert os.listdir(tmp_path) == ["out.md"]


def test_a_failing_renderer_leaves_the_old_file(bw, tmp_path, monkeypatch):
    target = tmp_path / "out.md"
    target.write_text("旧内容", encoding="utf-8")

    def broken(*args, **kwargs):
        raise RuntimeError("renderer failed")

    monkeypatch.setattr(command, "render_markdown", broken)
    with pytest.raises(RuntimeError):
        run("--zone", "t1", "--period", "2024-06", "--format", "md", "--output", str(target))
    assert target.read_text(encoding="utf-8") == "旧内容"


def test_write_atomically_removes_its_temporary_file_on_failure(tmp_path, monkeypatch):
    target = tmp_path / "out.md"
    target.write_bytes(b"old")

    def no_rename(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(command.os, "replace", no_rename)
    with pytest.raises(OSError):
        command.write_atomically(target, b"new")
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["out.md"]


def test_write_atomically_replaces_and_respects_the_umask(tmp_path):
    target = tmp_path / "out.md"
    target.write_bytes(b"old")
    previous = os.umask(0o022)
    try:
        command.write_atomically(target, b"new")
    finally:
        os.umask(previous)
    assert target.read_bytes() == b"new"
    assert target.stat().st_mode & 0o777 == 0o644


def test_write_failure_exits_1(bw, tmp_path, monkeypatch):
    def no_rename(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(command.os, "replace", no_rename)
    error = fails("--zone", "t1", "--period", "2024-06", "--format", "md", "--output", str(tmp_path / "x.md"))
    assert error.returncode == 1 and "无法写入" in str(error) and "No space left on device" in str(error)
    assert os.listdir(tmp_path) == []


def test_docx(bw, tmp_path):
    pytest.importorskip("docx")
    from docx import Document

    target = tmp_path / "brief.docx"
    message = run("--zone", "t1", "--period", "2024H1", "--format", "docx", "--output", str(target))
    assert "（docx，" in message
    document = Document(str(target))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "测试高新区2024年上半年经济运行简报" in text
    assert "地区生产总值214.6亿元，增长8.2%，增速较一季度提高0.3个百分点" in text
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert {"214.6", "8.2%", "102亿元"} <= cells
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


def test_html(bw, tmp_path):
    target = tmp_path / "brief.html"
    message = run("--zone", "t1", "--period", "2024-06", "--format", "html", "--output", str(target))
    assert "（html，" in message
    text = target.read_text(encoding="utf-8")
    assert text.lstrip().lower().startswith("<!doctype html")
    assert "测试高新区2024年上半年经济运行简报" in text
    assert "工业投资98.8亿元，增长32.9%，完成年度计划的54.9%，超时序进度4.9个百分点。" in text
