"""Building schemes as TOML text and running the engine on rows, for the evaluation tests."""

import json
import math
from pathlib import Path

import polars as pl

from gaoxin.evaluation.engine import Evaluation, evaluate
from gaoxin.evaluation.scheme import Scheme, parse_scheme

FIXTURES = Path(__file__).parent / "fixtures"
TOP_ABCD = [{"label": "A", "top": 0.2}, {"label": "B", "top": 0.6}, {"label": "C", "top": 0.95},
            {"label": "D", "top": 1.0}]


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, float) and math.isinf(value):
        return "inf" if value > 0 else "-inf"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(value)


def indicator(code: str, numerator: str, denominator: str, *, weight=10, benchmark="aggregate", direction="higher",
              missing="zero", label=None, **extra) -> dict:
    return {"code": code, "label": label or code, "numerator": numerator, "denominator": denominator,
            "weight": weight, "benchmark": benchmark, "direction": direction, "missing": missing, **extra}


def group(code: str, indicators: list[dict], *, where: str | None = None, classes=None, label=None, **extra) -> dict:
    g = {"code": code, "label": label or code, **({"where": where} if where is not None else {}),
         "classes": TOP_ABCD if classes is None else classes, **extra}
    g["indicator"] = indicators
    return g


def scheme_text(groups: list[dict], vetoes: list[dict] = (), *, name="测试方案", year=2025) -> str:
    lines = [f"name = {toml_value(name)}", f"year = {toml_value(year)}", ""]
    for g in groups:
        lines.append("[[group]]")
        lines += [f"{k} = {toml_value(v)}" for k, v in g.items() if k != "indicator"]
        for ind in g.get("indicator", []):
            lines.append("  [[group.indicator]]")
            lines += [f"  {k} = {toml_value(v)}" for k, v in ind.items()]
        lines.append("")
    for v in vetoes:
        lines.append("[[veto]]")
        lines += [f"{k} = {toml_value(x)}" for k, x in v.items()]
    return "\n".join(lines) + "\n"


def make_scheme(groups: list[dict], vetoes: list[dict] = ()) -> Scheme:
    return parse_scheme(scheme_text(groups, vetoes))


def run(groups: list[dict], rows: list[dict] | pl.DataFrame, vetoes: list[dict] = ()) -> Evaluation:
    frame = rows if isinstance(rows, pl.DataFrame) else pl.DataFrame(rows, infer_schema_length=None)
    return evaluate(make_scheme(groups, vetoes), frame)


def by_uscc(result: Evaluation) -> dict[str, dict]:
    return {row["uscc"]: row for row in result.table.iter_rows(named=True)}


def huangyan() -> Scheme:
    return parse_scheme((FIXTURES / "huangyan2022.toml").read_text(encoding="utf-8"))
