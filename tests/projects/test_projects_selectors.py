"""Data scope of the project library: owner department, leader, enterprise, task-force members, issue owners."""

from gaoxin.projects.models import Project, ProjectIssue, TaskForce
from gaoxin.projects.selectors.projects import project_editable, project_get_for_user, projects_for_user


def codes(qs):
    return sorted(p.code for p in qs)


def test_scope_per_role(project_world):
    pw = project_world
    assert codes(projects_for_user(user=pw.users["leader"])) == ["XM-A1", "XM-A2", "XM-B1", "XM-B2"]
    assert codes(projects_for_user(user=pw.users["staff_a"])) == ["XM-A1", "XM-A2"]
    assert codes(projects_for_user(user=pw.users["enterprise"])) == ["XM-A1"]
    assert codes(projects_for_user(user=pw.users["other_staff"])) == []
    assert codes(projects_for_user(user=pw.users["system_admin"])) == []


def test_task_force_members_and_issue_departments_read_only(project_world):
    pw = project_world
    staff_a = pw.users["staff_a"]
    force = TaskForce.objects.create(zone=pw.zone, name="储能专班", department=pw.dept_b)
    force.member_departments.add(pw.dept_a)
    Project.objects.filter(code="XM-B1").update(task_force=force)
    assert codes(projects_for_user(user=staff_a)) == ["XM-A1", "XM-A2", "XM-B1"]
    b1 = project_get_for_user(user=staff_a, pk=pw.projects["b1"].pk)
    assert b1 is not None and not project_editable(staff_a, b1)
    assert project_editable(pw.users["staff_b"], b1)
    # no duplicates when a project is shared twice, and the filters still apply
    ProjectIssue.objects.create(zone=pw.zone, project=pw.projects["b1"], description="供电", deadline="2025-02-01",
                                raised_on="2025-01-01", responsible_department=pw.dept_a)
    ProjectIssue.objects.create(zone=pw.zone, project=pw.projects["b1"], description="用水", deadline="2025-02-01",
                                raised_on="2025-01-01", responsible_department=pw.dept_a)
    assert codes(projects_for_user(user=staff_a)) == ["XM-A1", "XM-A2", "XM-B1"]
    assert codes(projects_for_user(user=staff_a, filters={"stage": "投产"})) == ["XM-B1"]
    # the enterprise user and another zone are unaffected
    assert codes(projects_for_user(user=pw.users["enterprise"])) == ["XM-A1"]
    assert codes(projects_for_user(user=pw.users["other_staff"])) == []
    force.is_active = False
    force.save()
    assert codes(projects_for_user(user=staff_a)) == ["XM-A1", "XM-A2", "XM-B1"]  # still the issue's department
    ProjectIssue.objects.all().delete()
    assert codes(projects_for_user(user=staff_a)) == ["XM-A1", "XM-A2"]


def test_subnav_hides_entries_from_enterprise_users(client, project_world):
    from django.urls import reverse

    client.force_login(project_world.users["enterprise"])
    html = client.get(reverse("projects:project_list")).content.decode()
    nav = html.split('class="subnav"')[1].split("</nav>")[0]
    assert reverse("projects:project_list") in nav
    assert reverse("projects:issue_list") not in nav and reverse("projects:period_list") not in nav
    client.force_login(project_world.users["staff_a"])
    nav = client.get(reverse("projects:project_list")).content.decode().split('class="subnav"')[1].split("</nav>")[0]
    assert reverse("projects:settings") in nav and reverse("imports:index") in nav
    client.force_login(project_world.users["leader"])
    nav = client.get(reverse("projects:project_list")).content.decode().split('class="subnav"')[1].split("</nav>")[0]
    assert reverse("projects:statistics") in nav and reverse("projects:settings") not in nav
