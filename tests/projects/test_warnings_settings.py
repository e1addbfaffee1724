"""Project settings: defaults, who may change them, audit, and the page."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from gaoxin.core.audit.models import ObjectChange
from gaoxin.projects.engine import WarningRules
from gaoxin.projects.models import DEFAULT_INDUSTRY_DIRECTIONS, ProjectSettings
from gaoxin.projects.selectors.settings import project_settings_for, warning_rules
from gaoxin.projects.services.settings import project_settings_save


def test_defaults_when_never_saved(world):
    settings = project_settings_for(world.zone)
    assert settings.pk is None and settings.directions == list(DEFAULT_INDUSTRY_DIRECTIONS)
    assert warning_rules(world.zone) == WarningRules()


def test_save_creates_then_updates_with_audit(world):
    staff = world.users["staff_b"]
    saved = project_settings_save(user=staff, data={"yellow_behind_pp": Decimal("12"),
                                                    "industry_directions": [" 集成电路 ", "生物医药"]}, message="首次")
    assert saved.pk and saved.industry_directions == ["集成电路", "生物医药"]
    assert warning_rules(world.zone).yellow_behind_pp == Decimal("12")
    created = ObjectChange.objects.get(content_type__model="projectsettings", action="create")
    assert created.prechange_data["yellow_behind_pp"] == "10.0" and created.postchange_data["yellow_behind_pp"] == "12.0"
    project_settings_save(user=world.users["staff_a"], data={"red_behind_pp": Decimal("25")}, message="")
    updated = ObjectChange.objects.get(content_type__model="projectsettings", action="update")
    assert updated.diff() == [("red_behind_pp", "30.0", "25.0")]
    project_settings_save(user=world.users["staff_a"], data={"red_behind_pp": Decimal("25")}, message="")
    assert ObjectChange.objects.filter(content_type__model="projectsettings").count() == 2
    assert ProjectSettings.objects.count() == 1


@pytest.mark.parametrize("who", ["leader", "enterprise", "system_admin"])
def test_only_staff_save(world, who):
    with pytest.raises(PermissionDenied):
        project_settings_save(user=world.users[who], data={"yellow_behind_pp": Decimal("5")})
    assert not ProjectSettings.objects.exists()


def test_other_zone_staff_write_their_own_zone(world):
    project_settings_save(user=world.users["other_staff"], data={"yellow_behind_pp": Decimal("5")})
    assert warning_rules(world.zone) == WarningRules()
    assert warning_rules(world.other_zone).yellow_behind_pp == Decimal("5")


@pytest.mark.parametrize("values", [
    {"yellow_behind_pp": Decimal("40")},                # above red
    {"industry_directions": ["A", "A"]},
    {"red_not_started_months": 0},
])
def test_invalid_refused(world, values):
    with pytest.raises(ValidationError):
        project_settings_save(user=world.users["staff_a"], data=values)
    assert not ProjectSettings.objects.exists()


def test_settings_page(client, world):
    url = reverse("projects:settings")
    client.force_login(world.users["staff_a"])
    page = client.get(url)
    assert page.status_code == 200 and "集成电路" in page.content.decode()
    response = client.post(url, {"yellow_behind_pp": "8", "red_behind_pp": "20", "red_not_started_months": "2",
                                 "issue_due_soon_days": "5", "directions_text": "集成电路\n\n生物医药\n",
                                 "message": "按市里要求"})
    assert response.status_code == 302
    saved = ProjectSettings.objects.get(zone=world.zone)
    assert (saved.red_behind_pp, saved.industry_directions) == (Decimal("20"), ["集成电路", "生物医药"])
    page = client.get(url).content.decode()
    assert "按市里要求" in page
    bad = client.post(url, {"yellow_behind_pp": "30", "red_behind_pp": "20", "red_not_started_months": "2",
                            "issue_due_soon_days": "5", "directions_text": "A\nA"})
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "产业方向重复" in text and "红灯阈值不能小于黄灯阈值" in text


def test_settings_page_readonly_for_leader(client, world):
    client.force_login(world.users["leader"])
    url = reverse("projects:settings")
    assert client.get(url).status_code == 200
    assert client.post(url, {"yellow_behind_pp": "8"}).status_code == 403
    client.force_login(world.users["enterprise"])
    assert client.get(url).status_code == 403
