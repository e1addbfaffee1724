"""The engine on small inputs whose every number is computed by hand here."""

import math

import polars as pl
import pytest

from gaoxin.evaluation.engine import InputError, evaluate, output_columns

from .schemes import by_uscc, group, indicator, make_scheme, run

EXACT = 1e-12


def rows(*specs: tuple) -> list[dict]:
    """(uscc, tax, land) triples as input rows, all in one cohort."""
    return [{"uscc": u, "tax": t, "land": land} for u, t, land in specs]


# ------------------------------------------------------------------------------------------- benchmarks


def test_aggregate_benchmark_is_sum_over_sum_of_the_rows_with_a_value():
    # values 10, 10, 20 → Σtax / Σland = 90 / 6 = 15; d (land 0) and e (tax null) have no value and
    # must not enter the sums (with them it would be 190 / 11 or 90 / 11)
    data = rows(("a", 10.0, 1.0), ("b", 20.0, 2.0), ("c", 60.0, 3.0), ("d", 100.0, 0.0), ("e", None, 5.0))
    result = run([group("g", [indicator("tpm", "tax", "land", weight=30)])], data)
    got = by_uscc(result)
    assert result.groups[0].benchmarks == {"tpm": 15.0}
    assert [got[u]["tpm_value"] for u in "abcde"] == [10.0, 10.0, 20.0, None, None]
    assert [got[u]["tpm_score"] for u in "abcde"] == [20.0, 20.0, 40.0, 0.0, 0.0]
    assert result.groups[0].indicators[0].with_value == 3


def test_mean_benchmark_is_the_mean_of_the_values():
    data = rows(("a", 10.0, 1.0), ("b", 20.0, 2.0), ("c", 60.0, 3.0), ("d", 5.0, -1.0))
    result = run([group("g", [indicator("tpm", "tax", "land", weight=30, benchmark="mean")])], data)
    got = by_uscc(result)
    mean = (10.0 + 10.0 + 20.0) / 3
    assert result.groups[0].benchmarks["tpm"] == pytest.approx(mean, abs=EXACT)
    assert got["c"]["tpm_score"] == pytest.approx(20.0 / mean * 30, abs=EXACT)  # 45
    assert got["a"]["tpm_score"] == pytest.approx(22.5, abs=EXACT)
    assert got["d"]["tpm_value"] is None  # a negative denominator is not a value


def test_benchmark_factor_multiplies_computed_and_fixed_benchmarks():
    data = rows(("a", 10.0, 1.0), ("b", 20.0, 2.0), ("c", 60.0, 3.0))
    result = run([group("g", [
        indicator("agg", "tax", "land", weight=30, benchmark_factor=2.0),
        indicator("fix", "tax", "land", weight=30, benchmark=10, benchmark_factor=1.5),
    ])], data)
    got = by_uscc(result)
    assert result.groups[0].benchmarks == {"agg": 30.0, "fix": 15.0}
    details = {i.code: i for i in result.groups[0].indicators}
    assert (details["agg"].base, details["agg"].factor) == (15.0, 2.0)
    assert [got[u]["agg_score"] for u in "abc"] == [10.0, 10.0, 20.0]
    assert [got[u]["fix_score"] for u in "abc"] == [20.0, 20.0, 40.0]


def test_linhai_fixed_benchmark_uncapped():
    # evaluation.md §4 T4: 亩均税收 30 against a fixed 15, weight 40 → 80
    result = run([group("g", [indicator("tpm", "tax", "land", weight=40, benchmark=15)])], rows(("a", 300.0, 10.0)))
    assert by_uscc(result)["a"]["score"] == 80.0


# ------------------------------------------------------------------------------------------- partials


def test_cap_and_floor_are_multiples_of_the_weight():
    data = rows(("high", 20.0, 1.0), ("mid", 10.0, 1.0), ("low", 2.0, 1.0), ("neg", -5.0, 1.0))
    result = run([group("g", [
        indicator("capped", "tax", "land", weight=30, benchmark=10, cap=1.5),
        indicator("floored", "tax", "land", weight=30, benchmark=10, floor=0.5),
        indicator("free", "tax", "land", weight=30, benchmark=10),
    ])], data)
    got = by_uscc(result)
    assert got["high"]["free_score"] == 60.0 and got["high"]["capped_score"] == 45.0
    assert got["mid"]["capped_score"] == 30.0 and got["mid"]["floored_score"] == 30.0
    assert got["low"]["free_score"] == pytest.approx(6.0, abs=EXACT) and got["low"]["floored_score"] == 15.0
    # a negative value (a net tax refund) scores negative unless floored
    assert got["neg"]["free_score"] == -15.0 and got["neg"]["floored_score"] == 15.0


def test_lower_is_better_scores_two_minus_ratio_and_never_below_zero():
    data = [{"uscc": u, "energy": e, "va": 1.0} for u, e in
            (("half", 5.0), ("at", 10.0), ("double", 20.0), ("worse", 25.0), ("none", 0.0))]
    result = run([group("g", [
        indicator("e", "energy", "va", weight=20, benchmark=10, direction="lower"),
        indicator("ec", "energy", "va", weight=20, benchmark=10, direction="lower", cap=1.5),
    ])], data)
    got = by_uscc(result)
    assert got["half"]["e_score"] == 30.0  # (2 − 0.5) × 20
    assert got["at"]["e_score"] == 20.0
    assert got["double"]["e_score"] == 0.0  # value = 2 × benchmark
    assert got["worse"]["e_score"] == 0.0  # max(0, 2 − 2.5), not −10
    assert got["none"]["e_score"] == 40.0 and got["none"]["ec_score"] == 30.0  # cap 1.5 × 20


def test_missing_zero_versus_group_mean_after_cap():
    # a: 30 (capped from 40 at 1.5 × 20), b: 10 (value 5 / 10 × 20), c: missing
    data = rows(("a", 20.0, 1.0), ("b", 5.0, 1.0), ("c", None, 1.0))
    result = run([group("g", [
        indicator("z", "tax", "land", weight=20, benchmark=10, cap=1.5, missing="zero"),
        indicator("m", "tax", "land", weight=20, benchmark=10, cap=1.5, missing="group_mean"),
    ])], data)
    got = by_uscc(result)
    assert (got["a"]["m_score"], got["b"]["m_score"]) == (30.0, 10.0)
    assert got["c"]["z_score"] == 0.0
    assert got["c"]["m_score"] == 20.0  # (30 + 10) / 2, the capped partial
    assert got["c"]["m_value"] is None
    assert got["c"]["score"] == 20.0


def test_group_mean_is_taken_per_group():
    data = [{"uscc": "a1", "kind": "a", "tax": 10.0, "land": 1.0}, {"uscc": "a2", "kind": "a", "tax": None, "land": 1.0},
            {"uscc": "b1", "kind": "b", "tax": 30.0, "land": 1.0}, {"uscc": "b2", "kind": "b", "tax": None, "land": 1.0}]
    ind = indicator("m", "tax", "land", weight=10, benchmark=10, missing="group_mean")
    got = by_uscc(run([group("a", [ind], where="kind = 'a'"), group("b", [ind], where="kind = 'b'")], data))
    assert got["a2"]["m_score"] == 10.0
    assert got["b2"]["m_score"] == 30.0


def test_nan_and_infinite_inputs_count_as_missing():
    data = rows(("a", 10.0, 1.0), ("nan", float("nan"), 1.0), ("inf", float("inf"), 1.0), ("den", 1.0, float("inf")))
    result = run([group("g", [indicator("t", "tax", "land", benchmark="aggregate")])], data)
    got = by_uscc(result)
    assert result.groups[0].benchmarks["t"] == 10.0
    assert [got[u]["t_value"] for u in ("nan", "inf", "den")] == [None, None, None]
    assert all(math.isfinite(got[u]["score"]) for u in got)


# ------------------------------------------------------------------------------------------- ranks and classes


def test_competition_ranks_share_the_best_rank():
    data = rows(("a", 50.0, 1.0), ("b", 40.0, 1.0), ("c", 40.0, 1.0), ("d", 30.0, 1.0))
    got = by_uscc(run([group("g", [indicator("t", "tax", "land", benchmark=10)])], data))
    assert [got[u]["rank"] for u in "abcd"] == [1, 2, 2, 4]


def test_top_classes_by_rank_share():
    # n = 5: rank / n = 0.2, 0.4, 0.6, 0.8, 1.0
    classes = [{"label": "A", "top": 0.2}, {"label": "B", "top": 0.6}, {"label": "C", "top": 1.0}]
    data = rows(*((u, float(s), 1.0) for u, s in zip("abcde", (50, 40, 30, 20, 10), strict=True)))
    got = by_uscc(run([group("g", [indicator("t", "tax", "land", benchmark=10)], classes=classes)], data))
    assert [got[u]["class"] for u in "abcde"] == ["A", "B", "B", "C", "C"]


def test_top_classes_with_ties_use_the_shared_rank():
    # ranks 1, 2, 2, 4 of n = 4 → shares 0.25, 0.5, 0.5, 1.0
    classes = [{"label": "A", "top": 0.25}, {"label": "B", "top": 0.5}, {"label": "C", "top": 1.0}]
    data = rows(("a", 50.0, 1.0), ("b", 40.0, 1.0), ("c", 40.0, 1.0), ("d", 30.0, 1.0))
    got = by_uscc(run([group("g", [indicator("t", "tax", "land", benchmark=10)], classes=classes)], data))
    assert [got[u]["class"] for u in "abcd"] == ["A", "B", "B", "C"]


def test_min_score_classes_and_a_score_below_every_threshold():
    classes = [{"label": "A", "min_score": 100}, {"label": "B", "min_score": 60}, {"label": "C", "min_score": 0}]
    data = rows(("a", 100.0, 1.0), ("b", 99.0, 1.0), ("c", 60.0, 1.0), ("d", 0.0, 1.0), ("e", -1.0, 1.0))
    result = run([group("g", [indicator("t", "tax", "land", weight=10, benchmark=10)], classes=classes)], data)
    got = by_uscc(result)
    assert [got[u]["class"] for u in "abcde"] == ["A", "B", "B", "C", None]
    assert result.groups[0].class_counts == {"A": 1, "B": 2, "C": 1}
    assert result.groups[0].unclassified == 1


def test_min_score_minus_inf_catches_everything():
    classes = [{"label": "A", "min_score": 100}, {"label": "D", "min_score": -math.inf}]
    got = by_uscc(run([group("g", [indicator("t", "tax", "land", benchmark=10)], classes=classes)],
                      rows(("a", -1e9, 1.0))))
    assert got["a"]["class"] == "D"


# ------------------------------------------------------------------------------------------- vetoes and groups


def test_vetoes_apply_after_classes_and_the_first_matching_wins():
    vetoes = [{"column": "accident", "class": "D", "label": "重大安全事故"},
              {"column": "pollution", "class": "C", "label": "环境违法"}]
    data = [
        {"uscc": "both", "tax": 90.0, "land": 1.0, "accident": "是", "pollution": 1},
        {"uscc": "pollution", "tax": 80.0, "land": 1.0, "accident": "否", "pollution": 1},
        {"uscc": "clean", "tax": 70.0, "land": 1.0, "accident": None, "pollution": 0},
        {"uscc": "accident", "tax": 60.0, "land": 1.0, "accident": " TRUE ", "pollution": None},
        {"uscc": "outside", "tax": 60.0, "land": -1.0, "accident": "是", "pollution": 1},
    ]
    result = run([group("g", [indicator("t", "tax", "land", benchmark=10)], where="land > 0")], data, vetoes)
    got = by_uscc(result)
    assert (got["both"]["class"], got["both"]["veto"]) == ("D", "重大安全事故")
    assert (got["pollution"]["class"], got["pollution"]["veto"]) == ("C", "环境违法")
    assert (got["clean"]["class"], got["clean"]["veto"]) == ("C", None)  # rank 3 of 4: 0.75 ≤ 0.95
    assert (got["accident"]["class"], got["accident"]["veto"]) == ("D", "重大安全事故")
    # not evaluated at all: a veto does not give a class to a row in no group
    assert (got["outside"]["class"], got["outside"]["veto"]) == (None, None)
    # the veto does not change score or rank
    assert [got[u]["rank"] for u in ("both", "pollution", "clean", "accident")] == [1, 2, 3, 4]
    assert result.groups[0].vetoed == {"重大安全事故": 2, "环境违法": 1}
    # before the vetoes: B, B, C, D
    assert result.groups[0].class_counts == {"A": 0, "B": 0, "C": 2, "D": 2}


def test_rows_outside_every_group_have_empty_results():
    data = [{"uscc": "in", "size": "规上", "tax": 10.0, "land": 1.0},
            {"uscc": "out", "size": "个体", "tax": 10.0, "land": 1.0},
            {"uscc": "null", "size": None, "tax": 10.0, "land": 1.0}]
    result = run([group("g", [indicator("t", "tax", "land", benchmark=10)], where="size = '规上'")], data)
    got = by_uscc(result)
    for u in ("out", "null"):  # a null where does not hold
        assert {k: v for k, v in got[u].items() if k != "uscc"} == dict.fromkeys(result.table.columns[1:])
    assert result.ungrouped == 2
    assert result.groups[0].n == 1
    assert result.table.get_column("uscc").to_list() == ["in", "out", "null"]  # every row, input order


def test_a_row_belongs_to_the_first_group_whose_where_holds():
    data = [{"uscc": "both", "size": "规上", "land": 10.0, "tax": 100.0},
            {"uscc": "big", "size": "规下", "land": 10.0, "tax": 50.0},
            {"uscc": "above", "size": "规上", "land": 1.0, "tax": 20.0}]
    result = run([
        group("above", [indicator("t", "tax", "land")], where="size = '规上'"),
        group("big", [indicator("t", "tax", "land")], where="land >= 5"),
    ], data)
    got = by_uscc(result)
    assert [got[u]["group"] for u in ("both", "big", "above")] == ["above", "big", "above"]
    # "both" counts in the first group's benchmark only: (100 + 20) / (10 + 1) and 50 / 10
    assert result.groups[0].benchmarks["t"] == pytest.approx(120 / 11, abs=EXACT)
    assert result.groups[1].benchmarks["t"] == 5.0


def test_a_group_without_where_takes_every_remaining_row():
    data = [{"uscc": "a", "size": "规上", "tax": 1.0, "land": 1.0}, {"uscc": "b", "size": "x", "tax": 1.0, "land": 1.0}]
    result = run([group("above", [indicator("t", "tax", "land")], where="size = '规上'"),
                  group("rest", [indicator("t", "tax", "land")])], data)
    assert by_uscc(result)["b"]["group"] == "rest" and result.ungrouped == 0


def test_an_indicator_code_shared_by_groups_is_one_pair_of_columns():
    data = [{"uscc": "a", "size": "规上", "tax": 30.0, "land": 1.0, "kwh": 10.0},
            {"uscc": "b", "size": "规下", "tax": 30.0, "land": 3.0, "kwh": 10.0}]
    scheme = make_scheme([
        group("above", [indicator("tax_per_mu", "tax", "land", benchmark=10, weight=60),
                        indicator("va", "tax", "kwh", benchmark=1)], where="size = '规上'"),
        group("below", [indicator("tax_kwh", "tax", "kwh", benchmark=1),
                        indicator("tax_per_mu", "tax", "land", benchmark=5, weight=50)], where="size = '规下'"),
    ])
    assert output_columns(scheme) == ["uscc", "group", "score", "rank", "class", "veto",
                                      "tax_per_mu_value", "tax_per_mu_score", "va_value", "va_score",
                                      "tax_kwh_value", "tax_kwh_score"]
    result = evaluate(scheme, pl.DataFrame(data))
    assert result.table.columns == output_columns(scheme)
    got = by_uscc(result)
    assert (got["a"]["tax_per_mu_value"], got["a"]["tax_per_mu_score"]) == (30.0, 180.0)
    assert (got["b"]["tax_per_mu_value"], got["b"]["tax_per_mu_score"]) == (10.0, 100.0)
    assert got["a"]["tax_kwh_score"] is None and got["b"]["va_score"] is None


def test_output_types_are_full_precision_numbers():
    result = run([group("g", [indicator("t", "tax", "land", benchmark=3, weight=1)])], rows(("a", 1.0, 1.0)))
    assert result.table.schema["score"] == pl.Float64 and result.table.schema["rank"] == pl.Int64
    assert by_uscc(result)["a"]["score"] == 1 / 3  # not rounded


# ------------------------------------------------------------------------------------------- edge cases


def test_a_group_where_nobody_has_a_value_scores_zero_and_warns():
    data = rows(("a", None, 1.0), ("b", 5.0, 0.0))
    result = run([group("g", [indicator("z", "tax", "land"),
                              indicator("m", "tax", "land", benchmark="mean", missing="group_mean"),
                              indicator("ok", "land", "land", benchmark=1.0)])], data)
    got = by_uscc(result)
    assert [got[u]["z_score"] for u in "ab"] == [0.0, 0.0]
    assert [got[u]["m_score"] for u in "ab"] == [0.0, 0.0]
    assert result.groups[0].benchmarks == {"z": None, "m": None, "ok": 1.0}
    assert any("“z”没有任何企业有有效数值" in w for w in result.warnings)
    assert any("“m”没有任何企业有有效数值" in w for w in result.warnings)


def test_a_computed_benchmark_of_zero_stops_the_run():
    data = rows(("a", 0.0, 1.0), ("b", 0.0, 2.0))
    with pytest.raises(InputError) as caught:
        run([group("cohort", [indicator("rd", "tax", "land")])], data)
    message = str(caught.value)
    assert "组“cohort”指标“rd”的基准值" in message and "不是正数" in message


def test_a_negative_mean_benchmark_stops_the_run():
    with pytest.raises(InputError, match="指标“t”的基准值"):
        run([group("g", [indicator("t", "tax", "land", benchmark="mean")])], rows(("a", -1.0, 1.0), ("b", 0.5, 1.0)))


def test_an_empty_group_is_reported_with_a_warning():
    result = run([group("g", [indicator("t", "tax", "land", benchmark=2)], where="land > 100"),
                  group("rest", [indicator("t", "tax", "land")])], rows(("a", 1.0, 1.0)))
    assert result.groups[0].n == 0
    assert result.groups[0].benchmarks == {"t": 2.0}
    assert result.groups[0].class_counts == {"A": 0, "B": 0, "C": 0, "D": 0}
    assert any("组“g”" in w and "没有任何企业" in w for w in result.warnings)


def test_input_columns_named_like_working_columns_do_not_clash():
    data = [{"uscc": "a", "__ev_group": 5.0, "group": 2.0, "score": 1.0}]
    result = run([group("g", [indicator("t", "__ev_group", "\"group\"", benchmark=1)], where="score > 0")], data)
    assert by_uscc(result)["a"]["t_value"] == 2.5


def test_the_report_adds_up():
    data = [{"uscc": f"u{i}", "size": ("规上", "规下", "x")[i % 3], "tax": float(i), "land": 1.0} for i in range(1, 31)]
    scheme = make_scheme([group("above", [indicator("t", "tax", "land")], where="size = '规上'"),
                          group("below", [indicator("t", "tax", "land")], where="size = '规下'")])
    report = evaluate(scheme, pl.DataFrame(data)).report(scheme)
    assert report["rows"] == 30 and report["ungrouped"] == 10
    for g in report["groups"].values():
        assert g["n"] == 10
        assert sum(g["class_counts"].values()) + g["unclassified"] == 10
        assert g["class_counts"] == {"A": 2, "B": 4, "C": 3, "D": 1}


@pytest.mark.parametrize("two_groups", [False, True])
def test_partials_are_the_published_arithmetic_bit_for_bit(two_groups):
    # value ÷ benchmark × weight, exactly as Python divides: Polars would multiply by the reciprocal
    # if the benchmark reached the division as a constant (one ulp off for a third of all values)
    import random

    rng = random.Random(7)
    data = [{"uscc": f"u{i:04d}", "tax": rng.uniform(0, 1000), "land": rng.uniform(0.1, 50), "k": "ab"[i % 2]}
            for i in range(600)]
    indicators = [indicator("f", "tax", "land", weight=30, benchmark=24.097),
                  indicator("a", "tax", "land", weight=20, benchmark_factor=1.1),
                  indicator("l", "tax", "land", weight=20, benchmark=24.097, direction="lower")]
    groups = ([group("g", indicators, where="k = 'a'"), group("h", indicators[:1])] if two_groups
              else [group("g", indicators)])
    result = run(groups, data)
    aggregate = result.groups[0].benchmarks["a"]
    for row, d in zip(result.table.iter_rows(named=True), data, strict=True):
        v = d["tax"] / d["land"]
        assert row["f_value"] == v
        assert row["f_score"] == v / 24.097 * 30
        if row["group"] == "g":
            assert row["a_score"] == v / aggregate * 20
            assert row["l_score"] == max(0.0, 2 - v / 24.097) * 20


def test_exact_sums_are_correctly_rounded_and_order_free():
    import random

    from gaoxin.evaluation.engine import exact_sums

    rng = random.Random(11)
    groups = pl.Enum(["a", "b", "c"])
    xs = ([rng.uniform(-1e6, 1e6) for _ in range(3000)] + [rng.uniform(0, 1e-3) for _ in range(3000)]
          + [1e15, -1e15, 0.1, 0.2, 0.3] + [None] * 50)
    keys = [rng.choice(["a", "b", None]) for _ in xs]
    frame = pl.DataFrame({"g": pl.Series(keys, dtype=groups), "x": xs})
    sums = exact_sums(frame, "g", ["x"])
    for key in ("a", "b"):
        mine = [x for x, k in zip(xs, keys, strict=True) if k == key and x is not None]
        assert sums[(key, "x")] == (math.fsum(mine), len(mine))
    assert ("c", "x") not in sums  # no row in the group
    shuffled = frame.sample(fraction=1.0, shuffle=True, seed=3)
    assert exact_sums(shuffled, "g", ["x"]) == sums
    # what Polars gives instead depends on the path (group_by here) and may be off in the last bits
    naive = dict(frame.group_by("g").agg(pl.col("x").sum()).iter_rows())
    assert naive["a"] == pytest.approx(sums[("a", "x")][0], rel=1e-12)
