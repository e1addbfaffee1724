"""The demo zone: deterministic, valid by the same rules as an import, and complete enough to use."""

import pytest
from django.core.management import call_command

from gaoxin.accounts.models import User, Zone
from gaoxin.core import industry
from gaoxin.core.audit.models import ObjectChange
from gaoxin.core.demo import synthetic
from gaoxin.core.demo.builder import DEMO_CODE, demo_logins
from gaoxin.core.imports.registry import get_spec
from gaoxin.core.permissions import Role
from gaoxin.enterprises.models import Enterprise
from gaoxin.evaluation.models import EvaluationRun, EvaluationScheme, Objection
from gaoxin.land.models import Lease, Parcel


def test_synthetic_industries_are_real_gbt4754_classes():
    for code, _weight, _stem in synthetic.INDUSTRIES:
        assert industry.lookup(code) is not None and industry.lookup(code).level == "小类", code


def test_synthetic_rows_are_deterministic_and_unique():
    a = synthetic.enterprise_rows(500, seed=3)
    assert a == synthetic.enterprise_rows(500, seed=3)
    assert len({r["uscc"] for r in a}) == 500
    later = synthetic.enterprise_rows(500, seed=3, start=501)
    assert not {r["uscc"] for r in a} & {r["uscc"] for r in later}


def test_synthetic_rows_pass_the_import_validation(db):
    """What the demo writes would also be accepted from an Excel file."""
    from gaoxin.core.uscc import validate

    for row in synthetic.enterprise_rows(300):
        assert validate(row["uscc"]) == row["uscc"]
        assert industry.normalise_class_code(row["industry_code"]) == row["industry_code"]
    assert get_spec("enterprises") is not None


@pytest.mark.django_db
def test_demo_builds_the_zone_once(capsys):
    call_command("demo", "--no-serve")
    zone = Zone.objects.get(code=DEMO_CODE)
    assert zone.name == "示范科学城高新区"
    assert Enterprise.objects.filter(zone=zone).count() == 2000
    assert Parcel.objects.filter(zone=zone).count() == 1500
    assert Lease.objects.filter(zone=zone).exists()
    schemes = EvaluationScheme.objects.filter(zone=zone, year=2025)
    assert schemes.count() == 2 and schemes.filter(status="已启用").count() == 1
    # 亩均: 2024 final, 2025 in publicity with an override and the demo enterprise's objection
    runs = {r.year: r for r in EvaluationRun.objects.filter(zone=zone)}
    assert (runs[2024].status, runs[2025].status) == ("已定稿", "公示中")
    assert runs[2025].results.exclude(override_kind="").count() == 1
    assert runs[2025].results.filter(exempt_reason="").count() > 500
    assert set(runs[2025].results.exclude(final_class="").values_list("final_class", flat=True)) == set("ABCD")
    qiye = User.objects.get(username="qiye")
    assert Objection.objects.filter(run=runs[2025], enterprise=qiye.enterprise, status="待处理").exists()
    roles = set(User.objects.filter(zone=zone).values_list("role", flat=True))
    assert roles == set(Role.values)
    # every record came through the audited services
    assert ObjectChange.objects.filter(zone=zone, action="create").count() >= 3500
    out = capsys.readouterr().out
    for login in demo_logins():
        assert login.username in out and login.password in out
    # logins work with the printed passwords, and a second run changes nothing
    for login in demo_logins():
        assert User.objects.get(username=login.username).check_password(login.password)
    call_command("demo", "--no-serve")
    assert Enterprise.objects.filter(zone=zone).count() == 2000


@pytest.mark.django_db
def test_synth_adds_enterprises_and_parcels(capsys):
    call_command("zone", "add", "big", "大园区")
    call_command("synth", "--zone", "big", "--enterprises", "300")
    call_command("synth", "--zone", "big", "--enterprises", "200", "--parcels", "10")
    zone = Zone.objects.get(code="big")
    assert Enterprise.objects.filter(zone=zone).count() == 500
    assert Parcel.objects.filter(zone=zone).count() == 225 + 10
    assert "新增企业 200 家" in capsys.readouterr().out


@pytest.mark.django_db
def test_synth_unknown_zone_exits_1():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as exc:
        call_command("synth", "--zone", "nope", "--enterprises", "5")
    assert exc.value.returncode == 1 and "nope" in str(exc.value)
