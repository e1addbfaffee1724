"""`gaoxin evaluate` at province scale: 1,000,000 enterprises, two groups, eight indicators.

Generates a seeded parquet input (Polars only: uniform numbers from hashing the row index), then
times the engine alone on the frame in memory, and the whole command end to end (parquet in, csv
out, plus the JSON report) twice: in-process through call_command (Django already set up) and as a
subprocess of the `gaoxin` console script (interpreter start, imports and django.setup() included).
The goal of issue 3 is under 3 s end to end on a 2-core machine. The generated file is sorted by
uscc; the engine alone is also timed on the same rows shuffled (its sums do not depend on row order,
so it needs no sort: the two figures should be close).
"""

import io as io_module
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import Timer, line

ROWS = 1_000_000
SEED = 2025
GOAL_SECONDS = 3.0

SCHEME = """
name = "基准测试：两组八项指标"
year = 2025

[[group]]
code = "above"
label = "规上企业"
where = "size = '规上' AND land_mu >= 3"
classes = [ { label = "A", top = 0.20 }, { label = "B", top = 0.60 }, { label = "C", top = 0.95 }, { label = "D", top = 1.0 } ]

  [[group.indicator]]
  code = "tax_per_mu"
  label = "亩均税收"
  numerator = "tax"
  denominator = "land_mu"
  weight = 30
  benchmark = "aggregate"
  cap = 2.0
  floor = 0.0
  direction = "higher"
  missing = "zero"

  [[group.indicator]]
  code = "va_per_mu"
  label = "亩均增加值"
  numerator = "value_added"
  denominator = "land_mu"
  weight = 20
  benchmark = "aggregate"
  benchmark_factor = 1.2
  cap = 2.0
  direction = "higher"
  missing = "zero"

  [[group.indicator]]
  code = "energy_per_va"
  label = "单位增加值能耗"
  numerator = "energy_tce"
  denominator = "value_added"
  weight = 20
  benchmark = "mean"
  direction = "lower"
  missing = "group_mean"

  [[group.indicator]]
  code = "va_per_emission"
  label = "单位排放增加值"
  numerator = "value_added"
  denominator = "emission_t"
  weight = 10
  benchmark = "aggregate"
  cap = 1.5
  direction = "higher"
  missing = "group_mean"

  [[group.indicator]]
  code = "labour_productivity"
  label = "全员劳动生产率"
  numerator = "value_added"
  denominator = "staff"
  weight = 10
  benchmark = 18.14
  direction = "higher"
  missing = "zero"

  [[group.indicator]]
  code = "rd_ratio"
  label = "研发投入强度"
  numerator = "rd"
  denominator = "revenue"
  weight = 10
  benchmark = "mean"
  cap = 2.0
  direction = "higher"
  missing = "zero"

[[group]]
code = "below"
label = "规下企业"
where = "land_mu >= 1"
classes = [ { label = "A", min_score = 120 }, { label = "B", min_score = 90 }, { label = "C", min_score = 60 }, { label = "D", min_score = -inf } ]

  [[group.indicator]]
  code = "tax_per_mu_small"
  label = "亩均税收"
  numerator = "tax"
  denominator = "land_mu"
  weight = 50
  benchmark = "aggregate"
  cap = 2.0
  direction = "higher"
  missing = "zero"

  [[group.indicator]]
  code = "tax_per_kwh"
  label = "单位用电税收"
  numerator = "tax"
  denominator = "electricity"
  weight = 50
  benchmark = "mean"
  cap = 2.0
  direction = "higher"
  missing = "zero"

[[veto]]
column = "major_accident"
class = "D"
label = "重大安全事故"
"""


def make_input(path: Path, rows: int = ROWS, seed: int = SEED) -> None:
    import polars as pl

    def uniform(k: int) -> pl.Expr:
        # a uniform number in [0, 1) per row, the same for the same (seed, k, row)
        return pl.int_range(0, rows, dtype=pl.UInt64).hash(seed * 1000 + k).cast(pl.Float64) / 2.0**64

    frame = pl.select(
        pl.format("9133{}", pl.int_range(0, rows).cast(pl.String).str.zfill(14)).alias("uscc"),
        pl.when(uniform(1) < 0.4).then(pl.lit("规上")).otherwise(pl.lit("规下")).alias("size"),
        (0.5 + uniform(2) * 120).alias("land_mu"),
        (uniform(3) * 3000).alias("tax"),
        (uniform(4) * 20000).alias("value_added"),
        pl.when(uniform(5) < 0.02).then(None).otherwise(10 + uniform(5) * 5000).alias("energy_tce"),
        pl.when(uniform(6) < 0.1).then(None).otherwise(uniform(6) * 50).alias("emission_t"),
        (1 + (uniform(7) * 2000).floor()).cast(pl.Int64).alias("staff"),
        (uniform(8) * 800).alias("rd"),
        (100 + uniform(9) * 100000).alias("revenue"),
        (1 + uniform(10) * 50000).alias("electricity"),
        (uniform(11) < 0.001).alias("major_accident"),
    )
    frame.write_parquet(path)


def _django(home: Path) -> None:
    import django
    from django.conf import settings

    if not settings.configured:
        os.environ.setdefault("GAOXIN_VAR_DIR", str(home))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gaoxin.settings")
    django.setup()


def run() -> None:
    with tempfile.TemporaryDirectory(prefix="gaoxin-bench-") as tmp:
        home = Path(tmp)
        data, scheme_path = home / "input.parquet", home / "scheme.toml"
        scheme_path.write_text(SCHEME, encoding="utf-8")
        with Timer() as t:
            make_input(data)
        line("generate input (parquet)", t, ROWS)

        from gaoxin.evaluation import io
        from gaoxin.evaluation.engine import evaluate
        from gaoxin.evaluation.scheme import parse_scheme

        scheme = parse_scheme(SCHEME)
        with Timer() as t:
            frame = io.read_table(data)
        line("read parquet", t, ROWS)
        evaluate(scheme, frame.head(1000))  # warm-up: first-call costs of Polars are not the engine's
        with Timer() as t:
            result = evaluate(scheme, frame)
        line("engine alone", t, ROWS)
        shuffled = frame.sample(fraction=1.0, shuffle=True, seed=SEED)
        with Timer() as t:
            evaluate(scheme, shuffled)
        line("engine alone, rows shuffled", t, ROWS)
        with Timer() as t:
            io.write_table(result.table, home / "alone.csv")
        line("write csv", t, ROWS)

        _django(home)
        from django.core.management import call_command

        args = ["evaluate", "--scheme", str(scheme_path), "--input", str(data), "--output", str(home / "out.csv"),
                "--report", str(home / "report.json")]
        with Timer() as t:
            call_command(*args, stdout=io_module.StringIO(), stderr=io_module.StringIO())
        line("end to end, call_command", t, ROWS)
        in_process = t.wall

        gaoxin = Path(sys.executable).parent / "gaoxin"
        env = {**os.environ, "GAOXIN_VAR_DIR": str(home)}
        started = time.perf_counter()
        done = subprocess.run([str(gaoxin), *args], env=env, cwd=home, capture_output=True, text=True, timeout=600)
        subprocess_wall = time.perf_counter() - started
        if done.returncode != 0:
            print(f"  subprocess failed ({done.returncode}): {done.stderr.strip()}")
            return
        print(f"  {'end to end, subprocess':<28} {subprocess_wall:7.2f} s wall   {ROWS / subprocess_wall:>9,.0f} rows/s")
        groups = ", ".join(f"{g.code} {g.n:,}" for g in result.groups)
        print(f"  groups: {groups}; outside every group {result.ungrouped:,}")
        verdict = "OK" if subprocess_wall < GOAL_SECONDS else "TOO SLOW"
        print(f"  goal < {GOAL_SECONDS:.0f} s end to end: subprocess {subprocess_wall:.2f} s, "
              f"in-process {in_process:.2f} s → {verdict}")
