"""A small evaluation world for the run, result and appeal tests: an active scheme, data and land for 2025."""

import datetime as dt
from decimal import Decimal

from gaoxin.evaluation.models import EvaluationData
from gaoxin.evaluation.services import schemes as scheme_services

from ..factories import make_enterprise, make_parcel

YEAR = 2025
SCHEME = """\
name = "2025年度测试评价"
year = 2025

[[group]]
code = "above"
label = "规上企业"
where = "size = '规上'"
classes = [ { label = "A", top = 0.20 }, { label = "B", top = 0.60 }, { label = "C", top = 0.95 }, { label = "D", top = 1.0 } ]

  [[group.indicator]]
  code = "tax_per_mu"
  label = "亩均税收"
  numerator = "tax"
  denominator = "land_mu"
  weight = 60
  benchmark = "aggregate"
  direction = "higher"
  missing = "zero"

  [[group.indicator]]
  code = "va_per_mu"
  label = "亩均增加值"
  numerator = "value_added"
  denominator = "land_mu"
  weight = 40
  benchmark = "aggregate"
  direction = "higher"
  missing = "zero"

[[group]]
code = "below"
label = "规下企业"
where = "size = '规下'"
classes = [ { label = "A", top = 0.20 }, { label = "B", top = 0.60 }, { label = "C", top = 0.95 }, { label = "D", top = 1.0 } ]

  [[group.indicator]]
  code = "tax_per_mu"
  label = "亩均税收"
  numerator = "tax"
  denominator = "land_mu"
  weight = 100
  benchmark = "aggregate"
  direction = "higher"
  missing = "zero"

[[veto]]
column = "major_accident"
class = "D"
label = "重大安全事故"
"""

# (n, size, tax 万元, value added 万元) for firms c1..c5, each on a 10-亩 parcel (6666.67 m²)
FIRMS = [(11, "规上", "300", "1200"), (12, "规上", "200", "800"), (13, "规上", "100", "400"),
         (14, "规上", "100", "400"), (15, "规下", "50", "")]


def evaluation_world(world, *, year: int = YEAR):
    """Active scheme in dept_a (经信局), five data rows with land, a1 with data, a new firm (不参评)."""
    scheme = scheme_services.evaluation_scheme_create(user=world.users["staff_a"], data={"toml": SCHEME})
    scheme_services.evaluation_scheme_activate(user=world.users["staff_a"], scheme=scheme)
    zone, dept = world.zone, world.dept_a
    for n, size, tax, va in FIRMS:
        firm = make_enterprise(zone, dept, n, size=size, industry_code="3971" if n % 2 else "2651",
                               area="一号片区" if n < 14 else "二号片区", registration_date=dt.date(2010, 1, 1))
        world.enterprises[f"c{n - 10}"] = firm
        make_parcel(zone, dept, f"P-C{n}", holder=firm, supply_date=dt.date(2015, 1, 1))
        EvaluationData.objects.create(zone=zone, department=dept, enterprise=firm, year=year, tax=Decimal(tax),
                                      value_added=Decimal(va) if va else None)
    EvaluationData.objects.create(zone=zone, department=dept, enterprise=world.enterprises["a1"], year=year,
                                  tax=Decimal("150"), value_added=Decimal("600"))
    world.enterprises["new"] = make_enterprise(zone, dept, 20, registration_date=dt.date(year - 1, 5, 1))
    return scheme
