"""The zone/dept/user commands: exit 0 with a summary, 1 with every error and nothing written, 2 on wrong usage."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gaoxin.accounts.models import Department, User, Zone
from gaoxin.core.audit.models import ObjectChange, SecurityEvent
from gaoxin.core.permissions import Role

GOOD_PASSWORD = "Cli#Password2026"


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def fails(*args) -> CommandError:
    with pytest.raises(CommandError) as exc:
        run(*args)
    return exc.value


def counts():
    return (Zone.objects.count(), Department.objects.count(), User.objects.count(),
            ObjectChange.objects.count(), SecurityEvent.objects.count())


@pytest.fixture
def password(monkeypatch):
    monkeypatch.setenv("GAOXIN_PASSWORD", GOOD_PASSWORD)
    return GOOD_PASSWORD


def test_zone_add_creates_the_default_departments(db):
    out = run("zone", "add", "hz", "杭州高新区")
    assert out.count("\n") == 1 and "hz" in out and "5" in out
    zone = Zone.objects.get(code="hz")
    assert dict(zone.departments.values_list("code", "name")) == {
        "gfj": "改革发展局", "tzcj": "投资促进局", "jsj": "建设局", "zwzx": "政务服务中心", "jxj": "经信局"}
    changes = ObjectChange.objects.filter(via="cli")
    # the zone, its five departments, the 15 indicators of the default economic catalog (issue 6) and the
    # default approval catalog (issue 4): the catalog, 6 stages, 21 items, 4 routes, 1 bundle
    assert changes.count() == 6 + 15 + 33 and all(c.user_name.startswith("cli") for c in changes)


def test_zone_add_duplicate_or_bad_code_exits_1_and_writes_nothing(world):
    before = counts()
    err = fails("zone", "add", "t1", "重复园区")
    assert err.returncode == 1 and "园区代码“t1”已存在" in str(err)
    err = fails("zone", "add", "Bad Code!", "")
    assert err.returncode == 1
    assert "代码只能包含小写字母" in str(err) and "园区名称" in str(err)
    assert counts() == before


@pytest.mark.parametrize("args", [
    ("zone",), ("zone", "frob"), ("zone", "add", "only-code"),
    ("user", "add", "bob", "--zone", "t1"), ("user",), ("dept", "add", "x", "y"),
])
def test_wrong_usage_exits_2(db, args):
    assert fails(*args).returncode == 2


def test_dept_add(world):
    out = run("dept", "add", "kjj", "科技局", "--zone", "t1")
    assert "kjj" in out
    assert Department.objects.filter(zone=world.zone, code="kjj").exists()
    before = counts()
    err = fails("dept", "add", "kjj", "科技局", "--zone", "t1")
    assert err.returncode == 1 and "该园区已有此部门代码" in str(err)
    err = fails("dept", "add", "BAD!", "部门", "--zone", "nowhere")
    assert "园区代码“nowhere”不存在" in str(err) and "代码只能包含" in str(err)
    assert counts() == before


def test_user_add(world, password):
    out = run("user", "add", "wang5", "--zone", "t1", "--role", "department_staff", "--dept", "jxj",
              "--name", "王五")
    assert out.count("\n") == 1 and "wang5" in out
    user = User.objects.get(username="wang5")
    assert (user.role, user.department, user.display_name) == (Role.DEPARTMENT_STAFF, world.dept_a, "王五")
    assert user.check_password(password) and user.password_changed_at is not None
    event = SecurityEvent.objects.get(kind="user_created")
    assert event.via == "cli" and event.user is None and event.user_name.startswith("cli")


def test_user_add_accepts_the_chinese_role_name_and_an_enterprise(world, password):
    uscc = world.enterprises["a2"].uscc
    run("user", "add", "qiye", "--zone", "t1", "--role", "企业用户", "--enterprise", uscc)
    assert User.objects.get(username="qiye").enterprise == world.enterprises["a2"]


def test_user_add_lists_every_error_and_writes_nothing(world, monkeypatch):
    monkeypatch.setenv("GAOXIN_PASSWORD", "short")
    before = counts()
    err = fails("user", "add", "staff_a", "--zone", "nowhere", "--role", "king", "--dept", "jxj")
    text = str(err)
    assert err.returncode == 1
    for needle in ("代码“nowhere”不存在", "未知角色“king”", "账户“staff_a”已存在", "密码："):
        assert needle in text, needle
    err = fails("user", "add", "newbie", "--zone", "t1", "--role", "department_staff", "--dept", "nope")
    assert "没有代码为“nope”的部门" in str(err) and "jxj" in str(err)
    err = fails("user", "add", "newbie", "--zone", "t1", "--role", "department_staff")
    assert "部门工作人员必须指定部门" in str(err)
    assert counts() == before


def test_user_add_applies_the_password_policy(world, monkeypatch):
    monkeypatch.setenv("GAOXIN_PASSWORD", "Newbie2026aa")  # contains the username, no symbol is fine (3 classes)
    err = fails("user", "add", "newbie", "--zone", "t1", "--role", "zone_leader")
    assert err.returncode == 1 and "密码不能包含用户名" in str(err)
    assert not User.objects.filter(username="newbie").exists()


def test_user_add_prompts_twice_without_the_environment_variable(world, monkeypatch):
    monkeypatch.delenv("GAOXIN_PASSWORD", raising=False)
    answers = iter([GOOD_PASSWORD, "Different#2026x"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    err = fails("user", "add", "newbie", "--zone", "t1", "--role", "zone_leader")
    assert err.returncode == 1 and "两次输入的密码不一致" in str(err)
    answers = iter([GOOD_PASSWORD, GOOD_PASSWORD])
    run("user", "add", "newbie", "--zone", "t1", "--role", "zone_leader")
    assert User.objects.get(username="newbie").check_password(GOOD_PASSWORD)


def test_user_deactivate_unlock_reset(world):
    User.objects.filter(username="staff_b").update(locked_until="2999-01-01T00:00Z", failed_logins=2)
    run("user", "unlock", "staff_b")
    out = run("user", "reset-password", "staff_b")
    run("user", "deactivate", "staff_b")
    user = User.objects.get(username="staff_b")
    assert not user.is_locked and not user.is_active and user.password_changed_at is None
    assert user.check_password(out.rsplit("：", 1)[1].split("（")[0])
    assert fails("user", "unlock", "ghost").returncode == 1


def test_real_console_script_exit_codes(tmp_path):
    """The installed `gaoxin` script itself: 0, 1 and 2 as the process exit status."""
    script = Path(sys.executable).with_name("gaoxin")
    env = {k: v for k, v in os.environ.items() if k != "GAOXIN_DATABASE_URL"}
    env.update(GAOXIN_VAR_DIR=str(tmp_path), GAOXIN_PASSWORD=GOOD_PASSWORD)

    def gaoxin(*args):
        return subprocess.run([str(script), *args], env=env, cwd=tmp_path, capture_output=True, text=True,
                              timeout=300)

    assert gaoxin("migrate", "--verbosity", "0").returncode == 0
    ok = gaoxin("zone", "add", "sz", "深圳高新区")
    assert ok.returncode == 0 and ok.stdout.strip().count("\n") == 0 and "sz" in ok.stdout
    dup = gaoxin("zone", "add", "sz", "深圳高新区")
    assert dup.returncode == 1 and "已存在" in dup.stderr
    assert gaoxin("zone", "frob").returncode == 2
    assert gaoxin("user", "add", "bob", "--zone", "sz").returncode == 2
    bad = gaoxin("user", "add", "bob", "--zone", "sz", "--role", "nobody")
    assert bad.returncode == 1 and "未知角色" in bad.stderr
    good = gaoxin("user", "add", "bob", "--zone", "sz", "--role", "department_staff", "--dept", "jxj")
    assert good.returncode == 0, good.stderr
