"""A zone's project settings: warning thresholds and industry directions (defaults when never saved)."""

from gaoxin.projects import engine
from gaoxin.projects.models import ProjectSettings


def project_settings_for(zone) -> ProjectSettings:
    """The zone's saved settings, or an unsaved row holding the defaults (never None)."""
    if zone is None:
        return ProjectSettings()
    zone_id = getattr(zone, "pk", zone)
    found = ProjectSettings.objects.filter(zone_id=zone_id).first()
    if found is not None:
        return found
    return ProjectSettings(zone_id=zone_id)


def rules_of(settings: ProjectSettings) -> engine.WarningRules:
    return engine.WarningRules(
        yellow_behind_pp=settings.yellow_behind_pp,
        red_behind_pp=settings.red_behind_pp,
        red_not_started_months=settings.red_not_started_months,
        issue_due_soon_days=settings.issue_due_soon_days,
    )


def warning_rules(zone) -> engine.WarningRules:
    return rules_of(project_settings_for(zone))
