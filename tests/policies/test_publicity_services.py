"""公示归档: which awards a publicity takes, the window's bounds, archiving only after the window, the list."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gaoxin.core.audit.models import ObjectChange
from gaoxin.policies.models import AwardStatus, Publicity, PublicityStatus
from gaoxin.policies.selectors import publicity as selectors
from gaoxin.policies.services import publicity as services

from .award_world import add_enterprise_user, make_award, make_clause, make_policy

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 3, 10)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr("gaoxin.policies.selectors.publicity.today", lambda: TODAY)


@pytest.fixture
def policy(world):
    return make_policy(world)


@pytest.fixture
def awards(world, policy):
    factory = make_clause(policy)
    rnd = make_clause(policy, code="rnd", order=2, name="新认定研发机构", when="rnd_new >= 1", amount="50", cap=None)
    return {
        "paid_a1": make_award(factory, world.enterprises["a1"], status=AwardStatus.PAID),
        "paid_a2": make_award(rnd, world.enterprises["a2"], status=AwardStatus.PAID, amount="50"),
        "approved": make_award(rnd, world.enterprises["a1"], status=AwardStatus.APPROVED, amount="50"),
        "notified": make_award(factory, world.enterprises["a2"]),
    }


def create(world, policy, **kwargs):
    data = {"title": "《推动制造业高质量发展十条措施》2024年度兑现结果公示", "start": TODAY, "days": 7, **kwargs}
    return services.publicity_create(user=world.users["staff_a"], policy=policy, **data)


def test_publicity_takes_the_paid_awards_not_yet_published(world, policy, awards):
    publicity = create(world, policy)
    assert publicity.start == TODAY and publicity.end == dt.date(2025, 3, 16)  # 7 days, both ends included
    assert publicity.status == PublicityStatus.OPEN and publicity.department == policy.department
    listed = {a.pk for a in publicity.awards.all()}
    assert listed == {awards["paid_a1"].pk, awards["paid_a2"].pk}
    for key, status in (("paid_a1", AwardStatus.PUBLICITY), ("approved", AwardStatus.APPROVED),
                        ("notified", AwardStatus.NOTIFIED)):
        awards[key].refresh_from_db()
        assert awards[key].status == status
    change = ObjectChange.objects.filter(object_id=awards["paid_a1"].pk, content_type__model="award").get()
    assert change.prechange_data["status"] == "已兑付" and change.postchange_data["status"] == "公示中"
    assert change.postchange_data["publicity_id"] == publicity.pk
    # nothing left to publish: a second publicity is refused
    with pytest.raises(ValidationError, match="没有待公示的兑现记录"):
        create(world, policy)


def test_publicity_rows_and_total(world, policy, awards):
    publicity = create(world, policy)
    rows = selectors.publicity_rows(publicity=publicity)
    assert [a.clause.code for a in rows] == ["smart_factory", "rnd"]
    assert selectors.publicity_total(rows) == 250


@pytest.mark.parametrize("kwargs,field", [({"days": 4}, "days"), ({"days": 31}, "days"), ({"days": "x"}, "days"),
                                          ({"start": TODAY - dt.timedelta(days=1)}, "start"), ({"title": " "}, "title")])
def test_publicity_window_bounds(world, policy, awards, kwargs, field):
    with pytest.raises(ValidationError) as exc:
        create(world, policy, **kwargs)
    assert field in exc.value.message_dict
    assert not Publicity.objects.exists()
    awards["paid_a1"].refresh_from_db()
    assert awards["paid_a1"].status == AwardStatus.PAID


def test_publicity_defaults_to_today_and_accepts_5_to_30_days(world, policy, awards):
    publicity = create(world, policy, start=None, days=5)
    assert publicity.start == TODAY and publicity.end == dt.date(2025, 3, 14)


@pytest.mark.parametrize("role", ["staff_b", "leader", "enterprise"])
def test_publicity_only_by_staff_of_the_department(world, policy, awards, role):
    with pytest.raises(PermissionDenied):
        services.publicity_create(user=world.users[role], policy=policy, title="t", start=TODAY, days=7)


def test_archive_only_after_the_window(world, policy, awards, monkeypatch):
    publicity = create(world, policy)
    staff = world.users["staff_a"]
    for day in (TODAY, publicity.end):
        monkeypatch.setattr("gaoxin.policies.selectors.publicity.today", lambda day=day: day)
        with pytest.raises(ValidationError, match="截止后才能归档"):
            services.publicity_archive(user=staff, publicity=publicity)
    monkeypatch.setattr("gaoxin.policies.selectors.publicity.today", lambda: publicity.end + dt.timedelta(days=1))
    with pytest.raises(PermissionDenied):
        services.publicity_archive(user=world.users["leader"], publicity=publicity)
    archived = services.publicity_archive(user=staff, publicity=publicity)
    assert archived.status == PublicityStatus.ARCHIVED and archived.archived_at
    assert set(publicity.awards.values_list("status", flat=True)) == {AwardStatus.ARCHIVED}
    awards["approved"].refresh_from_db()
    assert awards["approved"].status == AwardStatus.APPROVED
    with pytest.raises(ValidationError, match="已归档"):
        services.publicity_archive(user=staff, publicity=publicity)


def test_enterprise_reads_only_publicities_that_list_it(world, policy, awards):
    publicity = create(world, policy)
    add_enterprise_user(world, "b1", "ent_b1")
    assert selectors.publicity_for_user(user=world.users["enterprise"], pk=publicity.pk) == publicity
    assert selectors.publicity_for_user(user=world.users["ent_b1"], pk=publicity.pk) is None
    assert selectors.publicity_for_user(user=world.users["staff_b"], pk=publicity.pk) is None
    listed = selectors.publicity_for_user(user=world.users["leader"], pk=publicity.pk)
    assert listed.award_count == 2 and listed.total_wan == 250


def test_publicity_workbook(world, policy, awards):
    publicity = create(world, policy)
    content = services.publicity_workbook(user=world.users["leader"], publicity=publicity)
    ws = openpyxl.load_workbook(io.BytesIO(content)).active
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0][0] == publicity.title
    assert rows[2] == ["序号", "企业名称", "统一社会信用代码", "条款", "兑现金额（万元）"]
    assert rows[3] == [1, world.enterprises["a1"].name, world.enterprises["a1"].uscc, "新认定市级智能工厂", 200]
    assert rows[5][0] == "合计" and rows[5][4] == 250


def test_default_title_names_the_years(policy):
    assert services.default_title(policy=policy, years=[2024]) == "《推动制造业高质量发展十条措施》2024年度兑现结果公示"
    assert str(TODAY.year) in services.default_title(policy=policy, years=[])
