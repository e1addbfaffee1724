import datetime as dt
from decimal import Decimal

import pytest

from gaoxin.accounts.models import Department
from gaoxin.transformation.models import Measurement, Recognition, RndInstitution, TransformationProject

D = dt.date


def make_project(world, enterprise, name: str, kind: str, started_on: dt.date, *, dept=None, **extra):
    data = dict(zone=enterprise.zone, department=dept or world.dept_a, enterprise=enterprise, name=name, kind=kind,
                started_on=started_on, equipment_investment_wan=Decimal("100.00"),
                software_investment_wan=Decimal("10.00"))
    data.update(extra)
    return TransformationProject.objects.create(**data)


def make_measurement(project, metric: str, before: str, after: str, **extra):
    data = dict(zone=project.zone, department=project.department, project=project, metric=metric, unit="件/小时",
                before_value=Decimal(before), before_from=D(2023, 1, 1), before_to=D(2023, 6, 30),
                after_value=Decimal(after), after_from=D(2024, 1, 1), after_to=D(2024, 5, 31))
    data.update(extra)
    return Measurement.objects.create(**data)


def make_institution(world, enterprise, name: str, recognized_on: dt.date, *, dept=None, **extra):
    data = dict(zone=enterprise.zone, department=dept or world.dept_a, enterprise=enterprise, name=name,
                kind="企业技术中心", level="市级", recognized_on=recognized_on)
    data.update(extra)
    return RndInstitution.objects.create(**data)


@pytest.fixture
def tw(world):
    """World plus a 智改数转 register around the first half of 2024 (dept_a = 经信局 keeps most of it):

    retrofits started 2024-01-01 and 2024-06-30 (in H1), 2024-07-01 and 2023-12-31 (out), a dept_b 绿色化改造;
    a featured 市级数字化车间 certified 2024-05-20 with the article's three measurements, a 市级数字化生产线,
    an uncertified 智能工厂 and a 先进级 智能工厂 certified 2024-06-30; R&D institutions of a1 (two), a2 (after
    H1) and b1 (dept_b); one recognition; and another zone's project.
    """
    w = world
    a1, a2, b1 = w.enterprises["a1"], w.enterprises["a2"], w.enterprises["b1"]
    w.r1 = make_project(w, a1, "焊装线智能化改造", "智能化改造", D(2024, 1, 1))
    w.r2 = make_project(w, a2, "总装线智能化改造", "智能化改造", D(2024, 6, 30))
    w.r3 = make_project(w, a1, "仓储物流智能化改造", "智能化改造", D(2024, 7, 1))
    w.r4 = make_project(w, a1, "设备联网与MES建设", "数字化改造", D(2023, 12, 31))
    w.r5 = make_project(w, b1, "余热回收节能改造", "绿色化改造", D(2024, 3, 1), dept=w.dept_b)
    w.c1 = make_project(w, a1, "可靠性检测数字化车间", "数字化车间", D(2023, 6, 1), level="市级",
                        certified_on=D(2024, 5, 20), featured=True, equipment_investment_wan=Decimal("2380.00"),
                        software_investment_wan=Decimal("420.00"))
    w.c2 = make_project(w, a2, "柔性装配线", "数字化生产线", D(2023, 10, 1), level="市级", certified_on=D(2024, 2, 1))
    w.c3 = make_project(w, a2, "智能工厂", "智能工厂", D(2024, 2, 1))
    w.c4 = make_project(w, a1, "电芯智能工厂", "智能工厂", D(2023, 3, 1), level="先进级", certified_on=D(2024, 6, 30))
    w.m_eff = make_measurement(w.c1, "效率", "1000", "1121.4", label="检测效率", unit="批次/小时")
    w.m_defect = make_measurement(w.c1, "不良率", "0.92", "0.5102", label="产品不良率", unit="%")
    w.m_cost = make_measurement(w.c1, "运营成本", "2000", "1634.6", unit="元/批次")
    w.i1 = make_institution(w, a1, "企业技术中心", D(2024, 3, 1))
    w.i2 = make_institution(w, a1, "工业设计中心", D(2024, 4, 1), kind="工业设计中心")
    w.i3 = make_institution(w, a2, "企业研发中心", D(2024, 7, 1), kind="企业研发中心")
    w.i4 = make_institution(w, b1, "工程技术研究中心", D(2024, 1, 15), dept=w.dept_b, kind="工程技术研究中心")
    w.g1 = Recognition.objects.create(zone=w.zone, department=w.dept_a, enterprise=a1, kind="高新技术企业",
                                      level="国家级", recognized_on=D(2024, 11, 20), valid_until=D(2027, 11, 19),
                                      certificate="GR202450001234")
    other_dept = Department.objects.get(zone=w.other_zone)
    w.po = make_project(w, w.enterprises["other"], "他区改造", "智能化改造", D(2024, 2, 1), dept=other_dept)
    return w
