"""Reading .csv/.xlsx/.parquet into typed frames, and writing all outputs or none."""

import polars as pl
import pytest
import xlsxwriter

from gaoxin.evaluation import io

CSV = "uscc,size,land_mu,tax,industry,flag,note\n0012,规上,3,1234.5,0610,true,\n91330100MA2XXXXX0Y,规下,\"1,200\",7,3971,false,无\n"


def write(tmp_path, name: str, data: bytes | str):
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def test_csv_columns_are_typed_and_uscc_stays_text(tmp_path):
    frame = io.read_table(write(tmp_path, "d.csv", CSV))
    assert frame.schema == {"uscc": pl.String, "size": pl.String, "land_mu": pl.Int64, "tax": pl.Float64,
                            "industry": pl.String, "flag": pl.Boolean, "note": pl.String}
    assert frame.get_column("uscc").to_list() == ["0012", "91330100MA2XXXXX0Y"]
    assert frame.get_column("land_mu").to_list() == [3, 1200]  # thousands separator
    assert frame.get_column("industry").to_list() == ["0610", "3971"]  # a leading zero marks a code
    assert frame.get_column("note").to_list() == [None, "无"]


def test_csv_in_gbk_with_bom_semicolons_and_blank_rows(tmp_path):
    gbk = write(tmp_path, "gbk.csv", "uscc,规模,税收\nA,规上,1.5\n\nB,规下,2\n".encode("gb18030"))
    frame = io.read_table(gbk)
    assert frame.columns == ["uscc", "规模", "税收"] and frame.height == 2
    assert frame.get_column("税收").to_list() == [1.5, 2.0]
    semi = io.read_table(write(tmp_path, "semi.csv", "\ufeff uscc ;tax\nA;1\n"))
    assert semi.columns == ["uscc", "tax"] and semi.get_column("tax").to_list() == [1]


def test_xlsx_cells_keep_their_types(tmp_path):
    path = tmp_path / "d.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("数据")
    ws.write_row(0, 0, ["uscc", "size", "land_mu", "tax", "industry", "accident", "mixed", ""])
    ws.write_row(1, 0, ["0012", "规上", 3, 1234.5, "0610", True, "1"])
    ws.write_row(2, 0, ["B2", "规下", 20, 7, "3971", False, 2])
    ws.write_row(4, 0, ["B3", "规下", 1.5, None, "13", False, "3.5"])  # row 4 left empty
    wb.close()
    frame = io.read_table(path)
    assert frame.schema == {"uscc": pl.String, "size": pl.String, "land_mu": pl.Float64, "tax": pl.Float64,
                            "industry": pl.String, "accident": pl.Boolean, "mixed": pl.Float64}
    assert frame.height == 3
    assert frame.get_column("uscc").to_list() == ["0012", "B2", "B3"]
    assert frame.get_column("tax").to_list() == [1234.5, 7.0, None]
    assert frame.get_column("mixed").to_list() == [1.0, 2.0, 3.5]


def test_xlsx_whole_numbers_are_integers(tmp_path):
    path = tmp_path / "d.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    ws.write_row(0, 0, ["uscc", "staff"])
    ws.write_row(1, 0, [913301001234567, 10])
    wb.close()
    frame = io.read_table(path)
    assert frame.get_column("staff").dtype == pl.Int64
    assert frame.get_column("uscc").to_list() == ["913301001234567"]  # a numeric cell, written as text


def test_parquet_uscc_becomes_text(tmp_path):
    path = tmp_path / "d.parquet"
    pl.DataFrame({"uscc": [12, 34], "tax": [1.0, 2.0]}).write_parquet(path)
    frame = io.read_table(path)
    assert frame.get_column("uscc").to_list() == ["12", "34"]


@pytest.mark.parametrize(("name", "data", "expected"), [
    ("d.xlsx", b"not a zip at all", "无法读取输入文件"),
    ("d.parquet", b"PAR1 garbage", "不是有效的 Parquet 文件"),
    ("d.csv", b"", "是空的"),
    ("d.csv", b"PK\x03\x04rest", "是 Excel 文件而不是 CSV"),
    ("d.csv", b"a,b\n1,2,3\n", "不是有效的 CSV 文件"),
    ("d.csv", b"uscc,tax,tax\nA,1,2\n", "重复的列名：tax"),
    ("d.csv", b"uscc,,tax\nA,1,2\n", "空列名"),
    ("d.txt", b"uscc\nA\n", "扩展名“.txt”无法识别"),
    ("d", b"uscc\nA\n", "扩展名“（无）”无法识别"),
])
def test_unreadable_inputs(tmp_path, name, data, expected):
    with pytest.raises(io.TableError) as caught:
        io.read_table(write(tmp_path, name, data))
    assert expected in caught.value.message


def test_a_missing_file(tmp_path):
    with pytest.raises(io.TableError, match="文件或目录不存在"):
        io.read_table(tmp_path / "nope.csv")


@pytest.mark.parametrize("ext", [".csv", ".xlsx", ".parquet"])
def test_written_tables_read_back(tmp_path, ext):
    frame = pl.DataFrame({"uscc": ["0012", "B"], "score": [1 / 3, None], "rank": [1, None], "class": ["A", None]})
    io.write_all([(tmp_path / f"out{ext}", lambda p: io.write_table(frame, p))])
    back = io.read_table(tmp_path / f"out{ext}")
    assert back.columns == frame.columns
    assert back.get_column("uscc").to_list() == ["0012", "B"]
    # xlsxwriter writes 16 significant digits; csv and parquet are exact
    assert back.get_column("score")[0] == pytest.approx(1 / 3, rel=1e-15)
    if ext != ".xlsx":
        assert back.get_column("score")[0] == 1 / 3


def test_csv_output_is_plain_utf8_without_a_bom(tmp_path):
    """Programs read this output: the header must start with the bare column name."""
    frame = pl.DataFrame({"uscc": ["A"], "class": ["甲"]})
    io.write_all([(tmp_path / "o.csv", lambda p: io.write_table(frame, p))])
    assert (tmp_path / "o.csv").read_bytes().startswith(b"uscc,class\n")


def test_write_all_leaves_nothing_when_one_output_fails(tmp_path):
    def fail(path):
        raise OSError("disk full")

    frame = pl.DataFrame({"uscc": ["A"]})
    with pytest.raises(io.TableError, match=r"无法写入输出文件 .*r\.json：disk full"):
        io.write_all([(tmp_path / "o.csv", lambda p: io.write_table(frame, p)), (tmp_path / "r.json", fail)])
    assert list(tmp_path.iterdir()) == []


def test_write_all_into_a_missing_directory(tmp_path):
    with pytest.raises(io.TableError, match="无法写入输出文件"):
        io.write_all([(tmp_path / "no" / "o.csv", lambda p: None)])


def test_written_files_get_ordinary_permissions(tmp_path):
    io.write_all([(tmp_path / "o.csv", lambda p: p.write_text("x"))])
    assert (tmp_path / "o.csv").stat().st_mode & 0o044  # readable by others, unlike mkstemp's 0600
