"""Evaluation schemes stored per zone and year: presets, validation on save, versions, activation, audit."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gaoxin.core.audit.models import ChangeAction, ObjectChange
from gaoxin.evaluation.models import EvaluationScheme, SchemeStatus
from gaoxin.evaluation.presets import preset_list, preset_text
from gaoxin.evaluation.scheme import parse_scheme
from gaoxin.evaluation.services import schemes as services

from .schemes import FIXTURES


def scheme_changes():
    return ObjectChange.objects.filter(content_type__model="evaluationscheme")


def create(world, user="staff_a", **data):
    data = {"preset": "huangyan", "year": 2025, **data}
    return services.evaluation_scheme_create(user=world.users[user], data=data)


@pytest.mark.parametrize("key", [p.key for p in preset_list()])
def test_every_preset_validates_with_the_cli_rules(key):
    scheme = parse_scheme(preset_text(key))
    assert {g.code for g in scheme.groups} == {"above", "below"}
    assert all(g.classes[-1].top == 1.0 for g in scheme.groups)


def test_huangyan_preset_carries_the_published_weights_and_benchmarks():
    preset, fixture = parse_scheme(preset_text("huangyan")), parse_scheme((FIXTURES / "huangyan2022.toml").read_text())
    assert preset.groups == fixture.groups
    above = {i.code: (i.weight, i.benchmark) for i in preset.groups[0].indicators}
    assert above["tax_per_mu"] == (30, 24.097) and above["rd_ratio"] == (10, 0.0302)


def test_unknown_preset_is_a_key_error():
    with pytest.raises(KeyError):
        preset_text("nowhere")


def test_create_from_preset_sets_year_name_and_writes_one_audit_row(world):
    scheme = create(world, year=2024)
    assert (scheme.zone, scheme.department, scheme.year, scheme.version) == (world.zone, world.dept_a, 2024, 1)
    assert scheme.based_on == "huangyan" and scheme.status == SchemeStatus.DRAFT
    assert parse_scheme(scheme.toml).year == 2024
    assert scheme.name == parse_scheme(scheme.toml).name
    change = scheme_changes().get()
    assert change.action == ChangeAction.CREATE and change.postchange_data["toml"] == scheme.toml


def test_create_blank_is_a_valid_one_indicator_scheme(world):
    scheme = create(world, preset="", year=2023)
    parsed = parse_scheme(scheme.toml)
    assert parsed.year == 2023 and len(parsed.groups) == 1 and scheme.based_on == ""


def test_create_from_text_takes_year_from_the_toml(world):
    text = preset_text("chongqing").replace("year = 2025", "year = 2021")
    scheme = services.evaluation_scheme_create(user=world.users["staff_a"], data={"toml": text, "year": 2030})
    assert scheme.year == 2021 and scheme.toml == text


@pytest.mark.parametrize("role", ["leader", "enterprise", "system_admin"])
def test_only_department_staff_create(world, role):
    with pytest.raises(PermissionDenied):
        create(world, user=role)
    assert not EvaluationScheme.objects.exists()


def test_invalid_toml_lists_every_problem_and_writes_nothing(world):
    scheme = create(world)
    bad = scheme.toml.replace("weight = 30", "weight = -30").replace('direction = "higher"', 'direction = "up"', 1)
    with pytest.raises(ValidationError) as info:
        services.evaluation_scheme_update(user=world.users["staff_a"], scheme=scheme, data={"toml": bad})
    problems = info.value.message_dict["toml"]
    assert len(problems) == 2 and any("weight" in p for p in problems) and any("direction" in p for p in problems)
    scheme.refresh_from_db()
    assert scheme.version == 1 and "weight = 30" in scheme.toml
    assert scheme_changes().count() == 1
    with pytest.raises(ValidationError):
        services.evaluation_scheme_create(user=world.users["staff_a"], data={"toml": "name = "})
    assert EvaluationScheme.objects.count() == 1


def test_version_increments_only_when_the_text_changes(world):
    scheme = create(world)
    staff = world.users["staff_a"]
    same_with_crlf = scheme.toml.replace("\n", "\r\n")
    services.evaluation_scheme_update(user=staff, scheme=scheme, data={"toml": same_with_crlf})
    assert scheme.version == 1 and scheme_changes().count() == 1
    new = scheme.toml.replace("weight = 30", "weight = 35")
    services.evaluation_scheme_update(user=staff, scheme=scheme, data={"toml": new}, message="调整权重")
    scheme.refresh_from_db()
    assert scheme.version == 2 and scheme.toml == new
    change = scheme_changes().latest("time")
    assert change.action == ChangeAction.UPDATE and change.message == "调整权重"
    assert "weight = 30" in change.prechange_data["toml"] and "weight = 35" in change.postchange_data["toml"]
    assert (change.prechange_data["version"], change.postchange_data["version"]) == (1, 2)


def test_editing_the_year_in_the_text_moves_the_record(world):
    scheme = create(world, year=2024)
    services.evaluation_scheme_update(user=world.users["staff_a"], scheme=scheme,
                                      data={"toml": scheme.toml.replace("year = 2024", "year = 2025")})
    scheme.refresh_from_db()
    assert scheme.year == 2025 and scheme.version == 2


def test_activation_keeps_one_active_scheme_per_zone_and_year(world):
    first, second = create(world), create(world, preset="chongqing")
    other_year = create(world, year=2024)
    b_scheme = create(world, user="staff_b")
    staff = world.users["staff_a"]
    services.evaluation_scheme_activate(user=staff, scheme=first)
    services.evaluation_scheme_activate(user=staff, scheme=other_year)
    services.evaluation_scheme_activate(user=staff, scheme=second)
    active = set(EvaluationScheme.objects.filter(status=SchemeStatus.ACTIVE).values_list("pk", flat=True))
    assert active == {second.pk, other_year.pk}
    # the zone's single scheme for the year: another department's activation replaces it, audited
    services.evaluation_scheme_activate(user=world.users["staff_b"], scheme=b_scheme)
    active = set(EvaluationScheme.objects.filter(status=SchemeStatus.ACTIVE).values_list("pk", flat=True))
    assert active == {b_scheme.pk, other_year.pk}
    demoted = scheme_changes().filter(object_id=second.pk, action=ChangeAction.UPDATE).latest("time")
    assert demoted.postchange_data["status"] == SchemeStatus.DRAFT and "自动停用" in demoted.message


def test_moving_an_active_scheme_onto_a_year_with_an_active_one_is_refused(world):
    staff = world.users["staff_a"]
    a, b = create(world, year=2024), create(world, year=2025)
    services.evaluation_scheme_activate(user=staff, scheme=a)
    services.evaluation_scheme_activate(user=staff, scheme=b)
    with pytest.raises(ValidationError):
        services.evaluation_scheme_update(user=staff, scheme=a,
                                          data={"toml": a.toml.replace("year = 2024", "year = 2025")})
    a.refresh_from_db()
    assert a.year == 2024


def test_only_drafts_are_deleted(world):
    staff = world.users["staff_a"]
    scheme, draft = create(world), create(world, preset="chongqing")
    services.evaluation_scheme_activate(user=staff, scheme=scheme)
    with pytest.raises(ValidationError):
        services.evaluation_scheme_delete(user=staff, scheme=scheme)
    services.evaluation_scheme_delete(user=staff, scheme=draft, message="重复")
    assert list(EvaluationScheme.objects.all()) == [scheme]
    assert scheme_changes().filter(action=ChangeAction.DELETE, object_id=draft.pk).get().message == "重复"


@pytest.mark.parametrize("role", ["staff_b", "leader", "other_staff", "enterprise"])
def test_others_cannot_write(world, role):
    scheme = create(world)
    user = world.users[role]
    with pytest.raises(PermissionDenied):
        services.evaluation_scheme_update(user=user, scheme=scheme, data={"toml": scheme.toml + "\n"})
    with pytest.raises(PermissionDenied):
        services.evaluation_scheme_activate(user=user, scheme=scheme)
    with pytest.raises(PermissionDenied):
        services.evaluation_scheme_delete(user=user, scheme=scheme)
    scheme.refresh_from_db()
    assert scheme.version == 1 and scheme.status == SchemeStatus.DRAFT


def test_system_caller_names_zone_and_department(world):
    scheme = services.evaluation_scheme_create(user=None, zone=world.zone, department=world.dept_b,
                                               data={"preset": "chongqing", "year": 2025})
    assert scheme.department == world.dept_b
    with pytest.raises(PermissionDenied):
        services.evaluation_scheme_create(user=None, zone=world.other_zone, department=world.dept_b,
                                          data={"preset": "chongqing", "year": 2025})
