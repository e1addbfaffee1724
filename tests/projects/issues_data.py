"""Records for the task-force, issue, warning and dashboard tests, written directly (not through services)
so each test can set dates freely. Built on the `project_world` fixture of conftest.py."""

import datetime as dt

from gaoxin.projects.models import IssueStatus, ProjectIssue, TaskForce


def make_issue(project, department, deadline: dt.date, *, status=IssueStatus.OPEN, raised_on=None,
               description="用地指标未落实", **extra) -> ProjectIssue:
    issue = ProjectIssue(zone_id=project.zone_id, project=project, responsible_department=department,
                         deadline=deadline, raised_on=raised_on or min(deadline, dt.date(2024, 1, 2)),
                         status=status, description=description, **extra)
    issue.full_clean()
    issue.save()
    return issue


def make_task_force(world, department, name="智能终端护航专班", *, members=(), member_departments=(),
                    leader=None, projects=()) -> TaskForce:
    tf = TaskForce.objects.create(zone=world.zone, department=department, name=name, leader=leader)
    tf.members.set(members)
    tf.member_departments.set(member_departments)
    for p in projects:
        p.task_force = tf
        p.save()
    return tf
