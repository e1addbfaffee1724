"""The published Huangyan 2022 formula (evaluation.md §1.3, test vectors §4), from the TOML fixture.

规上: 亩均税收÷24.097×30 + 亩均增加值÷136.16×20 + 单位能耗增加值÷2.694×20 + 单位排放增加值÷4929.81×10
      + 全员劳动生产率÷18.14×10 + R&D占比÷0.0302×10; no emission data → the cohort's mean emission score.
规下: 亩均税收÷11.5932×50 + 单位用电税收÷0.2352×50.
"""

import polars as pl
import pytest

from gaoxin.evaluation.engine import evaluate

from .schemes import by_uscc, huangyan

ABOVE = {"tax_per_mu": (24.097, 30), "va_per_mu": (136.16, 20), "va_per_energy": (2.694, 20),
         "va_per_emission": (4929.81, 10), "labour_productivity": (18.14, 10), "rd_ratio": (0.0302, 10)}
BELOW = {"tax_per_mu": (11.5932, 50), "tax_per_kwh": (0.2352, 50)}
COLUMNS = ("uscc", "size", "land_mu", "tax", "value_added", "energy_tce", "emission_t", "staff", "rd", "revenue",
           "electricity")


def published(ratios: dict[str, float], table: dict[str, tuple[float, float]]) -> float:
    """The formula as published: each indicator ÷ its benchmark × its weight, summed."""
    return sum(ratios[code] / benchmark * weight for code, (benchmark, weight) in table.items())


def firm(uscc, size, *, land=None, tax=None, va=None, energy=None, emission=None, staff=None, rd=None, revenue=None,
         electricity=None) -> dict:
    return dict(zip(COLUMNS, (uscc, size, land, tax, va, energy, emission, staff, rd, revenue, electricity),
                    strict=True))


# T1: every indicator exactly at its benchmark (1 亩, so the per-mu ratios are the inputs themselves)
T1 = firm("T1", "规上", land=1.0, tax=24.097, va=136.16, energy=136.16 / 2.694, emission=136.16 / 4929.81,
          staff=136.16 / 18.14, rd=0.0302, revenue=1.0)
T1_SMALL = firm("T1S", "规下", land=1.0, tax=11.5932, electricity=11.5932 / 0.2352)
# T2: the synthetic 规上 firm of §4
T2 = firm("T2", "规上", land=20.0, tax=600.0, va=2000.0, energy=800.0, emission=0.5, staff=100.0, rd=300.0,
          revenue=10000.0)
T2_RATIOS = {"tax_per_mu": 30, "va_per_mu": 100, "va_per_energy": 2.5, "va_per_emission": 4000,
             "labour_productivity": 20, "rd_ratio": 0.03}
# T3: the small (规下) firm: 亩均税收 10, 单位用电税收 0.3
T3 = firm("T3", "规下", land=3.0, tax=30.0, electricity=100.0)
# T5: T2 without emission data
T5 = {**T2, "uscc": "T5", "emission_t": None}


@pytest.fixture(scope="module")
def result():
    frame = pl.DataFrame([T1, T1_SMALL, T2, T3, T5], schema={c: pl.String if c in ("uscc", "size") else pl.Float64
                                                           for c in COLUMNS}, orient="row")
    return by_uscc(evaluate(huangyan(), frame))


def test_a_firm_exactly_at_benchmark_scores_100(result):
    assert result["T1"]["group"] == "above"
    assert result["T1"]["score"] == pytest.approx(100.0, abs=1e-9)
    for code, (_benchmark, weight) in ABOVE.items():
        assert result["T1"][f"{code}_score"] == pytest.approx(weight, abs=1e-9)
    assert result["T1S"]["group"] == "below"
    assert result["T1S"]["score"] == pytest.approx(100.0, abs=1e-9)


def test_the_synthetic_20_mu_firm_scores_99_6704(result):
    row = result["T2"]
    for code, ratio in T2_RATIOS.items():
        assert row[f"{code}_value"] == pytest.approx(ratio, abs=1e-12)
    partials = {"tax_per_mu": 37.3490, "va_per_mu": 14.6886, "va_per_energy": 18.5598, "va_per_emission": 8.1139,
                "labour_productivity": 11.0254, "rd_ratio": 9.9338}
    for code, rounded in partials.items():
        assert round(row[f"{code}_score"], 4) == rounded
    assert row["score"] == pytest.approx(published(T2_RATIOS, ABOVE), abs=1e-9)
    assert round(row["score"], 4) == 99.6704


def test_the_small_firm_scores_106_9042_uncapped(result):
    row = result["T3"]
    assert row["tax_per_mu_value"] == 10.0
    assert row["tax_per_kwh_value"] == pytest.approx(0.3, abs=1e-15)
    assert row["score"] == pytest.approx(published({"tax_per_mu": 10, "tax_per_kwh": 0.3}, BELOW), abs=1e-9)
    assert round(row["score"], 4) == 106.9042
    # 规上 indicators are not the 规下 group's: their columns stay empty
    assert row["va_per_mu_value"] is None and row["va_per_mu_score"] is None


def test_missing_emission_data_gets_the_cohort_mean_emission_score(result):
    row = result["T5"]
    assert row["va_per_emission_value"] is None
    with_data = [result[u]["va_per_emission_score"] for u in ("T1", "T2")]
    assert row["va_per_emission_score"] == pytest.approx(sum(with_data) / 2, abs=1e-12)
    expected = result["T2"]["score"] - result["T2"]["va_per_emission_score"] + sum(with_data) / 2
    assert row["score"] == pytest.approx(expected, abs=1e-9)
    # the other indicators keep the "zero" rule and are unaffected
    assert row["tax_per_mu_score"] == result["T2"]["tax_per_mu_score"]


def test_zero_emissions_count_as_missing_too():
    zero = {**T2, "uscc": "T6", "emission_t": 0.0}
    frame = pl.DataFrame([T1, T2, zero], schema={c: pl.String if c in ("uscc", "size") else pl.Float64
                                                for c in COLUMNS}, orient="row")
    rows = by_uscc(evaluate(huangyan(), frame))
    assert rows["T6"]["va_per_emission_value"] is None
    assert rows["T6"]["va_per_emission_score"] == pytest.approx(
        (rows["T1"]["va_per_emission_score"] + rows["T2"]["va_per_emission_score"]) / 2, abs=1e-12)


def test_the_report_publishes_the_fixed_benchmarks():
    frame = pl.DataFrame([T2, T3], schema={c: pl.String if c in ("uscc", "size") else pl.Float64 for c in COLUMNS},
                         orient="row")
    scheme = huangyan()
    report = evaluate(scheme, frame).report(scheme)
    assert report["groups"]["above"]["benchmarks"] == {code: b for code, (b, _w) in ABOVE.items()}
    assert report["groups"]["below"]["benchmarks"] == {code: b for code, (b, _w) in BELOW.items()}
