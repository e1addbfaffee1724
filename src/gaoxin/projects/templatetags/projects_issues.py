"""The task force, journal and issue list on the project page (the page's view belongs to the project
library; this tag brings their data without that view knowing about them)."""

from django import template
from django.utils import timezone

from ..forms_issues import JournalForm
from ..selectors import issues as selectors
from ..selectors.settings import warning_rules
from ..services.issues import can_contribute

register = template.Library()


@register.inclusion_tag("projects/includes/issue_extras.html", takes_context=True)
def project_issue_panels(context, project, user):
    """The caller has shown `project`, so the user may read it."""
    rules = warning_rules(project.zone_id)
    contributes = can_contribute(user, project)
    return {
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
        "object": project,
        "task_force": project.task_force,
        "journal": selectors.journal_of_projects([project.pk]),
        "journal_form": JournalForm(),
        "can_contribute": contributes,
        "issues": selectors.issues_of_project(user=user, project=project, as_of=timezone.localdate(), rules=rules),
    }
