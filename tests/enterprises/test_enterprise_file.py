"""一企一档: an enterprise's page lists its 智改数转 records and policy payouts, in the reader's scope."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from gaoxin.policies.models import AwardStatus
from gaoxin.transformation.models import Recognition, RndInstitution, TransformationProject
from tests.policies.award_world import make_award, make_clause, make_policy

pytestmark = pytest.mark.django_db


def page(world, username, enterprise):
    client = Client()
    client.force_login(world.users[username])
    response = client.get(f"/enterprises/{enterprise.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_lists_projects_recognitions_and_awards_in_scope(world):
    firm = world.enterprises["a1"]
    common = {"zone": world.zone, "department": world.dept_a, "enterprise": firm}
    TransformationProject.objects.create(**common, name="焊装线智能化改造", kind="智能化改造", started_on=dt.date(2024, 3, 1),
                                         equipment_investment_wan=Decimal("800"))
    RndInstitution.objects.create(**common, name="企业技术中心", kind="企业技术中心", level="市级",
                                  recognized_on=dt.date(2024, 5, 1))
    Recognition.objects.create(**common, kind="高新技术企业", recognized_on=dt.date(2023, 11, 1),
                               valid_until=dt.date(2026, 10, 31))
    clause = make_clause(make_policy(world))
    make_award(clause, firm, status=AwardStatus.PAID)
    make_award(make_clause(clause.policy, code="later", order=2), firm, status=AwardStatus.PENDING)

    staff = page(world, "staff_a", firm)
    for text in ("焊装线智能化改造", "企业技术中心", "高新技术企业", "新认定市级智能工厂", "已兑付"):
        assert text in staff
    assert "待推送" in staff  # staff see what is not yet notified
    own = page(world, "enterprise", firm)
    assert "焊装线智能化改造" in own and "已兑付" in own and "待推送" not in own
    assert 'href="/transformation/' not in own  # the register's pages are the zone's
    other = page(world, "staff_b", world.enterprises["b1"])
    assert "暂无可查看的智改数转项目" in other and "暂无可查看的政策兑现记录" in other
