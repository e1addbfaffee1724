"""The facts table: each column on a small hand-made world, nulls against zeros, the population, query count."""

import datetime as dt
from decimal import Decimal

import polars as pl
import pytest

from gaoxin.enterprises.models import EnterpriseStatus
from gaoxin.evaluation.models import RunStatus
from gaoxin.policies.selectors import facts
from gaoxin.policies.selectors.facts import FACT_COLUMNS, FACTS_SCHEMA, facts_frame, facts_row

from ..factories import make_enterprise
from .policy_world import (
    YEAR,
    D,
    evaluation_run,
    figures,
    institution,
    lease,
    project,
    recognition,
    signing,
)

pytestmark = pytest.mark.django_db
d = dt.date


@pytest.fixture
def fw(world):
    """a1 and a2 (经信局) and b1 (投促局) with records in and around 2024."""
    a1, a2, b1 = world.enterprises["a1"], world.enterprises["a2"], world.enterprises["b1"]
    # 智能化改造: started 2024 and completed 2024; started 2023 and completed 2024; started 2024, still running
    project(world, a1, "智能化改造", d(2024, 3, 1), completed=d(2024, 10, 1), equipment="1000", software="50")
    project(world, a1, "智能化改造", d(2023, 5, 1), completed=d(2024, 2, 1), equipment="500")
    project(world, a1, "智能化改造", d(2024, 6, 1), equipment="300")
    project(world, a1, "数字化改造", d(2024, 1, 10), completed=d(2024, 12, 31), equipment="200", software="100.5")
    project(world, a1, "绿色化改造", d(2022, 1, 1), completed=d(2023, 6, 1), equipment="80")
    project(world, b1, "绿色化改造", d(2024, 2, 1), completed=d(2025, 1, 5), equipment="70")
    project(world, a1, "智能工厂", d(2023, 1, 1), level="市级", certified=d(2024, 5, 1))
    project(world, a1, "智能工厂", d(2022, 1, 1), level="先进级", certified=d(2023, 8, 1))
    project(world, a1, "智能工厂", d(2024, 1, 1), level="卓越级", certified=d(2025, 1, 10))
    project(world, a2, "数字化车间", d(2023, 1, 1), level="区级", certified=d(2024, 7, 1))
    project(world, a2, "数字化生产线", d(2023, 1, 1), level="市级", certified=d(2024, 3, 1), name="线1")
    project(world, a2, "数字化生产线", d(2023, 1, 1), level="市级", certified=d(2024, 9, 1), name="线2")
    institution(world, a1, "市级", d(2024, 4, 1))
    institution(world, a1, "国家级", d(2024, 9, 1))
    institution(world, a1, "省级", d(2023, 1, 1))
    recognition(world, a1, "高新技术企业", d(2022, 11, 1), valid_until=d(2025, 10, 31))
    recognition(world, a2, "高新技术企业", d(2021, 1, 1), valid_until=d(2024, 6, 30))
    recognition(world, a2, "专精特新中小企业", d(2024, 3, 1))
    recognition(world, b1, "专精特新小巨人", d(2024, 8, 1))
    recognition(world, b1, "高新技术企业", d(2024, 12, 1))
    evaluation_run(world, 2024, RunStatus.FINAL, {a1: "A", a2: ""}, version=2)
    evaluation_run(world, 2024, RunStatus.SUPERSEDED, {a1: "D", b1: "C"}, version=1)
    evaluation_run(world, 2023, RunStatus.FINAL, {a1: "B"})
    signing(world, a1, "S1", d(2024, 6, 1), "5000")
    signing(world, a1, "S0", d(2023, 6, 1), "800")
    figures(world, a1, 2024, tax="300.5", revenue="12000", output=None, rd="400")
    figures(world, b1, 2023, tax="99")
    lease(world, a2, world.parcels["a2"], "500", d(2023, 1, 1))
    lease(world, a2, world.parcels["a2"], "200", d(2023, 1, 1), d(2024, 6, 30))
    return world


def by_entity(frame: pl.DataFrame) -> dict[str, dict]:
    return {row["entity"]: row for row in frame.iter_rows(named=True)}


def test_every_column_on_the_hand_made_world(fw):
    rows = by_entity(facts_frame(zone=fw.zone, year=YEAR))
    a1, a2, b1 = (rows[fw.enterprises[k].uscc] for k in ("a1", "a2", "b1"))
    assert a1["name"] == "测试企业1有限公司" and a1["industry_code"] == "3971"
    assert a1["industry_division"] == "39" and a1["industry_section"] == "C"
    assert (a1["size"], a2["size"], a2["area"]) == ("规上", "规下", "二号片区")
    # retrofits: started in the year by start date, investment by completion date
    assert a1["smart_retrofit_started"] == 2 and a1["smart_retrofit_equipment_wan"] == 1500.0
    assert a1["digital_retrofit_started"] == 1 and a1["digital_retrofit_investment_wan"] == 300.5
    assert a1["green_retrofit_started"] == 0 and a1["green_retrofit_equipment_wan"] == 0.0
    assert b1["green_retrofit_started"] == 1 and b1["green_retrofit_equipment_wan"] == 0.0  # completed in 2025
    # certifications in the year, and the MIIT level reached by its end
    assert (a1["smart_factory_new"], a1["smart_factory_city_new"], a1["smart_factory_miit_level"]) == (1, 1, 2)
    assert (a2["digital_workshop_new"], a2["digital_workshop_city_new"]) == (1, 0)
    assert (a2["digital_line_new"], a2["digital_line_city_new"]) == (2, 2)
    assert b1["smart_factory_miit_level"] == 0
    # R&D institutions recognised in the year, by level
    assert (a1["rnd_new"], a1["rnd_new_national"], a1["rnd_new_provincial"], a1["rnd_new_city"]) == (2, 1, 0, 1)
    # recognitions: 高新 valid on 31 December, new ones in the year
    assert (a1["high_tech"], a1["high_tech_new"]) == (1, 0)
    assert (a2["high_tech"], a2["specialized_new"]) == (0, 1)
    assert (b1["high_tech"], b1["high_tech_new"], b1["little_giant_new"]) == (1, 1, 1)
    # 亩均 class of the final run of the year and of the year before; 不参评 and no final run are null
    assert (a1["mu_class"], a1["mu_class_prev"]) == ("A", "B")
    assert a2["mu_class"] is None and b1["mu_class"] is None and b1["mu_class_prev"] is None
    # signings of the year whose project company is the enterprise
    assert (a1["signed_projects"], a1["signed_investment_wan"]) == (1, 5000.0)
    assert (b1["signed_projects"], b1["signed_investment_wan"]) == (0, 0.0)
    # reported figures stay null when not reported (b1 reported 2023 only)
    assert (a1["tax_wan"], a1["revenue_wan"], a1["output_wan"], a1["rd_wan"]) == (300.5, 12000.0, None, 400.0)
    assert b1["tax_wan"] is None and a2["revenue_wan"] is None
    # land on 31 December: a1 and b1 hold 10 亩 each, a2 holds none but leases 500 m² still running
    assert (a1["land_mu"], b1["land_mu"], a2["land_mu"]) == (10.0, 10.0, 0.0)
    assert (a2["leased_area_m2"], a1["leased_area_m2"]) == (500.0, 0.0)


def test_columns_types_and_order(fw):
    frame = facts_frame(zone=fw.zone, year=YEAR)
    assert frame.columns == ["entity", *[c.name for c in FACT_COLUMNS]]
    assert dict(frame.schema) == FACTS_SCHEMA
    assert frame.get_column("entity").to_list() == sorted(frame.get_column("entity").to_list())
    names = [c.name for c in FACT_COLUMNS]
    assert len(names) == len(set(names))
    assert all(c.dtype in ("int", "decimal", "text") and str(c.label) and str(c.description) for c in FACT_COLUMNS)


def test_population_leaves_out_moved_cancelled_other_zone_and_later_firms(fw):
    zone, dept = fw.zone, fw.dept_a
    make_enterprise(zone, dept, 21, status=EnterpriseStatus.MOVED_OUT)
    make_enterprise(zone, dept, 22, status=EnterpriseStatus.DEREGISTERED)
    suspended = make_enterprise(zone, dept, 23, status=EnterpriseStatus.SUSPENDED)
    later = make_enterprise(zone, dept, 24, registration_date=d(2025, 3, 1))
    entities = set(facts_frame(zone=zone, year=YEAR).get_column("entity").to_list())
    expected = {fw.enterprises[k].uscc for k in ("a1", "a2", "b1")} | {suspended.uscc}
    assert entities == expected
    assert later.uscc in set(facts_frame(zone=zone, year=2025).get_column("entity").to_list())


def test_a_firm_without_records_has_zero_counts_and_null_figures(world):
    row = by_entity(facts_frame(zone=world.zone, year=YEAR))[world.enterprises["a2"].uscc]
    for column in FACT_COLUMNS:
        value = row[column.name]
        if column.name in facts.REPORTED or column.name in ("mu_class", "mu_class_prev"):
            assert value is None, column.name
        elif column.dtype in ("int", "decimal") and column.name not in ("land_mu",):
            assert value == 0, column.name


def test_query_count_does_not_grow_with_the_zone(fw, django_assert_max_num_queries):
    for n in range(30, 60):
        make_enterprise(fw.zone, fw.dept_a, n)
    with django_assert_max_num_queries(12):
        frame = facts_frame(zone=fw.zone, year=YEAR)
    assert frame.height == 33


def test_facts_row_matches_the_frame_with_decimals(fw):
    a1 = fw.enterprises["a1"]
    row = facts_row(zone=fw.zone, year=YEAR, enterprise=a1)
    frame_row = by_entity(facts_frame(zone=fw.zone, year=YEAR))[a1.uscc]
    assert row["entity"] == a1.uscc and list(row) == list(frame_row)
    assert row["smart_retrofit_equipment_wan"] == D("1500.00") and row["tax_wan"] == D("300.50")
    assert row["output_wan"] is None and row["land_mu"] == D("10.00")
    for key, value in row.items():
        assert (float(value) if isinstance(value, Decimal) else value) == frame_row[key], key
    assert facts.json_safe(row)["tax_wan"] == "300.50"


def test_an_empty_zone_gives_an_empty_frame_with_the_columns(world):
    frame = facts_frame(zone=world.other_zone, year=1999 + 26)
    assert frame.height == 1  # the other zone's one enterprise
    empty = facts.frame_of([])
    assert empty.height == 0 and dict(empty.schema) == FACTS_SCHEMA


@pytest.mark.parametrize("raw,expected", [("2024", 2024), (" 2023 ", 2023), ("1999", None), ("abc", None),
                                          ("", None), (None, None), ("99999", None)])
def test_parse_year(raw, expected):
    assert facts.parse_year(raw) == expected


def test_docs_document_every_column():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "policies.md").read_text(encoding="utf-8")
    documented = {line.split("`")[1] for line in text.splitlines() if line.startswith("| `")}
    assert documented == set(FACTS_SCHEMA)
