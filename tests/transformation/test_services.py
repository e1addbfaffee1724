"""智改数转 services: audited writes, the owning department's write right, validation, cascade with audit, and
the bulk upserts the imports use."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gaoxin.core.audit.models import ChangeAction, ObjectChange
from gaoxin.transformation.models import Measurement, Recognition, RndInstitution, TransformationProject
from gaoxin.transformation.services import institutions, measurements, projects, recognitions

pytestmark = pytest.mark.django_db
D = dt.date


def changes(model, **filters):
    return ObjectChange.objects.filter(content_type__model=model._meta.model_name, **filters)


def project_data(world, **overrides):
    data = {"enterprise": world.enterprises["a1"], "name": "总装线智能化改造", "kind": "智能化改造",
            "started_on": D(2024, 3, 1), "completed_on": None, "equipment_investment_wan": Decimal("1260"),
            "software_investment_wan": Decimal("180"), "level": "", "certified_on": None, "certificate": "",
            "description": "", "featured": False}
    data.update(overrides)
    return data


def measurement_data(**overrides):
    data = {"metric": "效率", "label": "检测效率", "unit": "批次/小时", "before_value": Decimal("1000"),
            "before_from": D(2023, 1, 1), "before_to": D(2023, 6, 30), "after_value": Decimal("1121.4"),
            "after_from": D(2024, 1, 1), "after_to": D(2024, 5, 31), "source": "MES"}
    data.update(overrides)
    return data


# Projects ----------------------------------------------------------------------------------------------

def test_staff_create_update_delete_project_with_audit(world):
    staff = world.users["staff_a"]
    project = projects.project_create(user=staff, data={**project_data(world), "department": world.dept_b},
                                      message="新登记")
    assert (project.zone, project.department) == (world.zone, world.dept_a)  # who acts decides, not the data
    assert changes(TransformationProject, object_id=project.pk, action=ChangeAction.CREATE, message="新登记").exists()
    projects.project_update(user=staff, project=project, data={"equipment_investment_wan": Decimal("1300")})
    project.refresh_from_db()
    assert project.equipment_investment_wan == Decimal("1300.00")
    update = changes(TransformationProject, object_id=project.pk, action=ChangeAction.UPDATE).get()
    assert update.prechange_data["equipment_investment_wan"] == "1260.00"
    # an unchanged save records nothing
    projects.project_update(user=staff, project=project, data={"equipment_investment_wan": Decimal("1300.00")})
    assert changes(TransformationProject, object_id=project.pk, action=ChangeAction.UPDATE).count() == 1
    projects.project_delete(user=staff, project=project, message="录错")
    assert not TransformationProject.objects.filter(pk=project.pk).exists()
    assert changes(TransformationProject, object_id=project.pk, action=ChangeAction.DELETE, message="录错").exists()


@pytest.mark.parametrize("role", ["leader", "enterprise", "system_admin"])
def test_only_department_staff_create(world, role):
    with pytest.raises(PermissionDenied):
        projects.project_create(user=world.users[role], data=project_data(world))
    assert not TransformationProject.objects.exists()


def test_staff_b_cannot_change_staff_a_records(tw):
    staff_b = tw.users["staff_b"]
    with pytest.raises(PermissionDenied):
        projects.project_update(user=staff_b, project=tw.r1, data={"name": "改名"})
    with pytest.raises(PermissionDenied):
        projects.project_delete(user=staff_b, project=tw.r1)
    with pytest.raises(PermissionDenied):
        measurements.measurement_create(user=staff_b, project=tw.c1, data=measurement_data(metric="单位能耗"))
    with pytest.raises(PermissionDenied):
        measurements.measurement_update(user=staff_b, measurement=tw.m_eff, data={"unit": "x"})
    with pytest.raises(PermissionDenied):
        institutions.institution_delete(user=staff_b, institution=tw.i1)
    with pytest.raises(PermissionDenied):
        recognitions.recognition_update(user=staff_b, recognition=tw.g1, data={"certificate": "x"})
    enterprise_user = tw.users["enterprise"]  # a1's own records are still not theirs to write
    with pytest.raises(PermissionDenied):
        projects.project_update(user=enterprise_user, project=tw.r1, data={"name": "改名"})
    with pytest.raises(PermissionDenied):
        measurements.measurement_delete(user=enterprise_user, measurement=tw.m_eff)
    tw.r1.refresh_from_db()
    assert tw.r1.name == "焊装线智能化改造" and Measurement.objects.filter(pk=tw.m_eff.pk).exists()


@pytest.mark.parametrize("overrides,field,text", [
    ({"completed_on": D(2024, 2, 1)}, "completed_on", "完成日期不能早于开始实施日期"),
    ({"level": "市级"}, "certified_on", "认定级别和认定日期须同时填写"),
    ({"certified_on": D(2024, 5, 1)}, "level", "认定级别和认定日期须同时填写"),
    ({"level": "市级", "certified_on": D(2024, 2, 1)}, "certified_on", "认定日期不能早于开始实施日期"),
    ({"equipment_investment_wan": Decimal("-1")}, "equipment_investment_wan", ""),
    ({"kind": "智能车间"}, "kind", ""),
])
def test_project_validation(world, overrides, field, text):
    with pytest.raises(ValidationError) as exc:
        projects.project_create(user=world.users["staff_a"], data=project_data(world, **overrides))
    assert field in exc.value.message_dict
    assert text in " ".join(exc.value.message_dict[field])
    assert not TransformationProject.objects.exists()


def test_project_enterprise_must_be_of_the_zone_and_names_unique_per_enterprise(tw):
    staff = tw.users["staff_a"]
    with pytest.raises(ValidationError) as exc:
        projects.project_create(user=staff, data=project_data(tw, enterprise=tw.enterprises["other"]))
    assert "企业不属于该园区" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        projects.project_create(user=staff, data=project_data(tw, name="焊装线智能化改造"))
    assert "已登记名为“焊装线智能化改造”" in exc.value.message_dict["name"][0]
    # another enterprise may use the name, and a project keeps its own name on update
    projects.project_create(user=staff, data=project_data(tw, name="焊装线智能化改造",
                                                          enterprise=tw.enterprises["a2"]))
    projects.project_update(user=staff, project=tw.r1, data={"name": "焊装线智能化改造", "kind": "数字化改造"})
    with pytest.raises(ValidationError):
        projects.project_update(user=staff, project=tw.r3, data={"name": "焊装线智能化改造"})


def test_deleting_a_project_deletes_and_audits_its_measurements(tw):
    ids = sorted(tw.c1.measurements.values_list("pk", flat=True))
    assert len(ids) == 3
    projects.project_delete(user=tw.users["staff_a"], project=tw.c1, message="撤销")
    assert not Measurement.objects.filter(pk__in=ids).exists()
    deleted = changes(Measurement, action=ChangeAction.DELETE)
    assert sorted(deleted.values_list("object_id", flat=True)) == ids
    assert all(c.message == "撤销" and c.prechange_data["project_id"] == tw.c1.pk for c in deleted)


# Measurements ------------------------------------------------------------------------------------------

def test_measurement_belongs_to_its_projects_department(tw):
    project = projects.project_create(user=tw.users["staff_b"], data=project_data(tw, enterprise=tw.enterprises["b1"]))
    m = measurements.measurement_create(user=tw.users["staff_b"], project=project, data=measurement_data())
    assert (m.department, m.zone, m.project) == (tw.dept_b, tw.zone, project)
    assert changes(Measurement, object_id=m.pk, action=ChangeAction.CREATE).exists()
    measurements.measurement_update(user=tw.users["staff_b"], measurement=m, data={"after_value": Decimal("1200")})
    m.refresh_from_db()
    assert m.after_value == Decimal("1200.0000")
    measurements.measurement_delete(user=tw.users["staff_b"], measurement=m)
    assert changes(Measurement, object_id=m.pk, action=ChangeAction.DELETE).exists()


@pytest.mark.parametrize("overrides,field,text", [
    ({"before_value": Decimal("0")}, "before_value", "改造前的数值须大于0"),
    ({"after_value": Decimal("-1")}, "after_value", "数值不能为负数"),
    ({"before_to": D(2022, 12, 31)}, "before_to", "测量止日不能早于起日"),
    ({"after_from": D(2023, 6, 30)}, "after_from", "改造后的测量期须在改造前的测量期之后"),
    ({"metric": "效率"}, "metric", "该项目已有“生产/检测效率”的测量数据"),
])
def test_measurement_validation(tw, overrides, field, text):
    before = Measurement.objects.count()
    with pytest.raises(ValidationError) as exc:
        measurements.measurement_create(user=tw.users["staff_a"], project=tw.c1,
                                        data=measurement_data(**{"metric": "单位能耗", **overrides}))
    assert text in " ".join(exc.value.message_dict[field])
    assert Measurement.objects.count() == before


def test_measurement_metric_change_cannot_collide(tw):
    with pytest.raises(ValidationError) as exc:
        measurements.measurement_update(user=tw.users["staff_a"], measurement=tw.m_cost, data={"metric": "效率"})
    assert "metric" in exc.value.message_dict
    measurements.measurement_update(user=tw.users["staff_a"], measurement=tw.m_cost, data={"metric": "单位能耗"})


# Institutions and recognitions -------------------------------------------------------------------------

def test_institution_create_update_delete(tw):
    staff = tw.users["staff_a"]
    data = {"enterprise": tw.enterprises["a2"], "name": "新型研发机构", "kind": "新型研发机构", "level": "省级",
            "recognized_on": D(2024, 5, 5), "certificate": ""}
    institution = institutions.institution_create(user=staff, data=data)
    assert institution.department == tw.dept_a
    with pytest.raises(ValidationError) as exc:
        institutions.institution_create(user=staff, data=data)
    assert "已登记名为“新型研发机构”的研发机构" in str(exc.value)
    institutions.institution_update(user=staff, institution=institution, data={"level": "国家级"})
    institutions.institution_delete(user=staff, institution=institution)
    assert [c.action for c in changes(RndInstitution, object_id=institution.pk).order_by("pk")] == [
        ChangeAction.CREATE, ChangeAction.UPDATE, ChangeAction.DELETE]
    with pytest.raises(PermissionDenied):
        institutions.institution_create(user=tw.users["leader"], data=data)


def test_recognition_validation_and_uniqueness(tw):
    staff = tw.users["staff_a"]
    data = {"enterprise": tw.enterprises["a1"], "kind": "高新技术企业", "level": "国家级",
            "recognized_on": D(2024, 11, 20), "valid_until": None, "certificate": ""}
    with pytest.raises(ValidationError) as exc:
        recognitions.recognition_create(user=staff, data=data)
    assert "recognized_on" in exc.value.message_dict and "已登记“高新技术企业”认定" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        recognitions.recognition_create(user=staff, data={**data, "recognized_on": D(2025, 1, 1),
                                                          "valid_until": D(2024, 12, 31)})
    assert "有效期不能早于认定日期" in str(exc.value)
    recognition = recognitions.recognition_create(user=staff, data={**data, "kind": "专精特新中小企业", "level": "市级"})
    assert Recognition.objects.filter(pk=recognition.pk, department=tw.dept_a).exists()


# Bulk upserts ------------------------------------------------------------------------------------------

def test_projects_upsert_creates_updates_and_audits(tw):
    rows = [
        {"enterprise_id": tw.enterprises["a1"].pk, "name": "焊装线智能化改造", "kind": "智能化改造",
         "started_on": D(2024, 1, 1), "equipment_investment_wan": Decimal("150.00")},
        {"enterprise_id": tw.enterprises["a2"].pk, "name": "新建数字化车间", "kind": "数字化车间",
         "started_on": D(2024, 1, 1), "level": "市级", "certified_on": D(2024, 6, 1)},
        {"enterprise_id": tw.enterprises["a2"].pk, "name": "柔性装配线", "kind": "数字化生产线",
         "started_on": D(2023, 10, 1), "level": "市级", "certified_on": D(2024, 2, 1)},
    ]
    result = projects.projects_upsert(zone=tw.zone, department=tw.dept_a, rows=rows, user=tw.users["staff_a"],
                                      message="导入")
    assert (result.created, result.updated, result.unchanged) == (1, 1, 1)
    tw.r1.refresh_from_db()
    assert tw.r1.equipment_investment_wan == Decimal("150.00") and tw.r1.software_investment_wan == Decimal("10.00")
    new = TransformationProject.objects.get(name="新建数字化车间")
    assert (new.department, new.equipment_investment_wan, new.featured) == (tw.dept_a, Decimal("0.00"), False)
    assert changes(TransformationProject, object_id=new.pk, action=ChangeAction.CREATE, message="导入").exists()
    assert changes(TransformationProject, object_id=tw.r1.pk, action=ChangeAction.UPDATE).exists()


def test_upserts_refuse_foreign_duplicate_and_invalid_rows(tw):
    a1 = tw.enterprises["a1"].pk
    before = TransformationProject.objects.count()
    with pytest.raises(ValidationError, match="由其他部门维护"):  # r5 is dept_b's
        projects.projects_upsert(zone=tw.zone, department=tw.dept_a, user=tw.users["staff_a"], rows=[
            {"enterprise_id": tw.enterprises["b1"].pk, "name": "余热回收节能改造", "kind": "绿色化改造",
             "started_on": D(2024, 3, 1)}])
    with pytest.raises(ValidationError, match="重复出现"):
        projects.projects_upsert(zone=tw.zone, department=tw.dept_a, user=tw.users["staff_a"], rows=[
            {"enterprise_id": a1, "name": "甲", "kind": "智能化改造", "started_on": D(2024, 3, 1)},
            {"enterprise_id": a1, "name": "甲", "kind": "智能化改造", "started_on": D(2024, 3, 2)}])
    with pytest.raises(ValidationError):
        projects.projects_upsert(zone=tw.zone, department=tw.dept_a, user=tw.users["staff_a"], rows=[
            {"enterprise_id": a1, "name": "乙", "kind": "智能化改造", "started_on": D(2024, 3, 1)},
            {"enterprise_id": a1, "name": "丙", "kind": "数字化车间", "started_on": D(2024, 3, 1), "level": "市级"}])
    with pytest.raises(PermissionDenied):
        projects.projects_upsert(zone=tw.zone, department=tw.dept_a, user=tw.users["staff_b"], rows=[])
    assert TransformationProject.objects.count() == before
    with pytest.raises(ValidationError, match="不能为其导入测量数据"):
        measurements.measurements_upsert(zone=tw.zone, department=tw.dept_b, user=tw.users["staff_b"], rows=[
            {"project_id": tw.c1.pk, **measurement_data(metric="单位能耗")}])
    assert not Measurement.objects.filter(metric="单位能耗").exists()


def test_institution_and_recognition_upserts(tw):
    staff = tw.users["staff_a"]
    a1, a2 = tw.enterprises["a1"].pk, tw.enterprises["a2"].pk
    result = institutions.institutions_upsert(zone=tw.zone, department=tw.dept_a, user=staff, rows=[
        {"enterprise_id": a1, "name": "企业技术中心", "kind": "企业技术中心", "level": "省级",
         "recognized_on": D(2024, 3, 1), "certificate": ""},
        {"enterprise_id": a2, "name": "新型研发机构", "kind": "新型研发机构", "level": "区级",
         "recognized_on": D(2024, 5, 1), "certificate": ""}])
    assert (result.created, result.updated, result.unchanged) == (1, 1, 0)
    tw.i1.refresh_from_db()
    assert tw.i1.level == "省级"
    result = recognitions.recognitions_upsert(zone=tw.zone, department=tw.dept_a, user=staff, rows=[
        {"enterprise_id": a1, "kind": "高新技术企业", "recognized_on": D(2024, 11, 20), "level": "国家级",
         "valid_until": D(2027, 11, 19), "certificate": "GR202450001234"},
        {"enterprise_id": a2, "kind": "专精特新中小企业", "recognized_on": D(2024, 8, 1), "level": "市级",
         "valid_until": None, "certificate": ""}])
    assert (result.created, result.updated, result.unchanged) == (1, 0, 1)
    assert Recognition.objects.filter(enterprise_id=a2, kind="专精特新中小企业", department=tw.dept_a).exists()
