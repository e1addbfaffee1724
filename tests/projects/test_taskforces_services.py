"""Task force services and selectors: validation, audit of member changes, assignment, who reads what."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gaoxin.core.audit.models import ObjectChange
from gaoxin.projects.models import Project, TaskForce
from gaoxin.projects.selectors.taskforces import task_forces_for_user, task_forces_of_member
from gaoxin.projects.services import taskforces as services
from tests.factories import make_user
from tests.projects.issues_data import make_issue


def data(pw, **extra):
    values = {"name": "储能护航专班", "leader": pw.users["leader"], "leader_title": "管委会副主任",
              "member_departments": [pw.dept_b], "members": [pw.users["staff_b"]], "duties": "协调要素保障",
              "established_on": dt.date(2024, 1, 10), "is_active": True}
    values.update(extra)
    return values


@pytest.fixture
def tf(project_world):
    return services.task_force_create(user=project_world.users["staff_a"], data=data(project_world))


def test_create_records_members_in_audit(project_world, tf):
    assert (tf.zone, tf.department) == (project_world.zone, project_world.dept_a)
    assert list(tf.member_departments.all()) == [project_world.dept_b]
    change = ObjectChange.objects.get(object_id=tf.pk, action="create", content_type__model="taskforce")
    assert "增加成员单位：投资促进局" in change.message and "增加成员：staff_b" in change.message


def test_update_m2m_only_change_is_audited(project_world, tf):
    pw = project_world
    services.task_force_update(user=pw.users["staff_a"], task_force=tf,
                               data={"member_departments": [], "members": [pw.users["staff_a"]]}, message="调整")
    change = ObjectChange.objects.filter(object_id=tf.pk, action="update").get()
    assert change.message.startswith("调整；")
    assert "移除成员单位：投资促进局" in change.message and "增加成员：staff_a" in change.message
    # Saving the same again writes nothing.
    services.task_force_update(user=pw.users["staff_a"], task_force=tf, data={"name": tf.name})
    assert ObjectChange.objects.filter(object_id=tf.pk, action="update").count() == 1


@pytest.mark.parametrize(("field", "value_of"), [
    ("leader", lambda pw: pw.users["enterprise"]),
    ("leader", lambda pw: pw.users["other_staff"]),
    ("members", lambda pw: [pw.users["system_admin"]]),
    ("member_departments", lambda pw: [pw.users["other_staff"].department]),
])
def test_people_must_belong_to_the_zone(project_world, field, value_of):
    pw = project_world
    with pytest.raises(ValidationError) as err:
        services.task_force_create(user=pw.users["staff_a"], data=data(pw, **{field: value_of(pw)}))
    assert field in err.value.message_dict
    assert not TaskForce.objects.exists()


def test_duplicate_name_refused(project_world, tf):
    with pytest.raises(ValidationError) as err:
        services.task_force_create(user=project_world.users["staff_b"], data=data(project_world))
    assert "同名专班" in str(err.value)


@pytest.mark.parametrize("who", ["leader", "enterprise", "system_admin"])
def test_only_staff_create(project_world, who):
    with pytest.raises(PermissionDenied):
        services.task_force_create(user=project_world.users[who], data=data(project_world))


def test_only_lead_department_updates(project_world, tf):
    with pytest.raises(PermissionDenied):
        services.task_force_update(user=project_world.users["staff_b"], task_force=tf, data={"name": "x"})


def test_assign_and_unassign_go_through_the_project(project_world, tf):
    pw = project_world
    a1 = pw.projects["a1"]
    project = services.task_force_assign_project(user=pw.users["staff_a"], task_force=tf, project=a1)
    assert project.task_force == tf and project.version == a1.version + 1
    change = ObjectChange.objects.filter(object_id=a1.pk, content_type__model="project").latest("time")
    assert change.postchange_data["task_force_id"] == tf.pk and "指派护航专班" in change.message
    with pytest.raises(ValidationError):
        services.task_force_assign_project(user=pw.users["staff_a"], task_force=tf, project=project)
    project = services.task_force_unassign_project(user=pw.users["staff_a"], task_force=tf, project=project)
    assert project.task_force is None


def test_assign_needs_the_project_department(project_world, tf):
    pw = project_world
    with pytest.raises(PermissionDenied):
        services.task_force_assign_project(user=pw.users["staff_a"], task_force=tf, project=pw.projects["b1"])
    # ... who may use another department's task force.
    services.task_force_assign_project(user=pw.users["staff_b"], task_force=tf, project=pw.projects["b1"])
    assert Project.objects.get(pk=pw.projects["b1"].pk).task_force == tf


def test_inactive_task_force_takes_no_projects(project_world, tf):
    pw = project_world
    services.task_force_update(user=pw.users["staff_a"], task_force=tf, data={"is_active": False})
    tf.refresh_from_db()
    with pytest.raises(ValidationError):
        services.task_force_assign_project(user=pw.users["staff_a"], task_force=tf, project=pw.projects["a1"])


def test_trusted_caller_assigns(project_world, tf):
    project = services.task_force_assign_project(user=None, task_force=tf, project=project_world.projects["b2"])
    assert project.task_force == tf and project.version == 2


def test_who_reads_task_forces(project_world, tf):
    pw = project_world
    other = services.task_force_create(user=pw.users["staff_b"], data=data(pw, name="B专班", members=[],
                                                                            member_departments=[], leader=None))
    names = lambda who: set(task_forces_for_user(user=pw.users[who]).values_list("name", flat=True))  # noqa: E731
    assert names("leader") == {"储能护航专班", "B专班"}
    assert names("staff_a") == {"储能护航专班"}
    assert names("staff_b") == {"储能护航专班", "B专班"}  # member department of the first
    assert names("enterprise") == set() and names("other_staff") == set()
    loner = make_user("loner", zone=pw.zone, role="department_staff", department=pw.dept_b)
    assert set(task_forces_for_user(user=loner).values_list("name", flat=True)) == {"储能护航专班", "B专班"}
    assert set(task_forces_of_member(user=pw.users["staff_b"])) == {tf, other}


def test_list_counts(project_world, tf):
    pw = project_world
    services.task_force_assign_project(user=pw.users["staff_a"], task_force=tf, project=pw.projects["a1"])
    services.task_force_assign_project(user=pw.users["staff_a"], task_force=tf, project=pw.projects["a2"])
    make_issue(pw.projects["a1"], pw.dept_b, dt.date(2024, 6, 1))
    make_issue(pw.projects["a1"], pw.dept_b, dt.date(2024, 6, 2))
    row = task_forces_for_user(user=pw.users["leader"]).get(pk=tf.pk)
    assert (row.project_count, row.open_issue_count) == (2, 2)
