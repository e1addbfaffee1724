"""Publicity and objections: the window, filing with evidence, accepting (re-run) and rejecting, finalizing."""

import datetime as dt
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gaoxin.core.audit.models import ObjectChange
from gaoxin.evaluation.models import (
    EvaluationData,
    EvaluationRun,
    Objection,
    ObjectionEvidence,
    ObjectionStatus,
    OverrideKind,
    RunStatus,
)
from gaoxin.evaluation.selectors import appeals as selectors
from gaoxin.evaluation.selectors.appeals import today
from gaoxin.evaluation.services import appeals, runs

from .appeals import appeal_world, move_window, upload
from .runs import YEAR

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def run(world, media):
    return appeal_world(world)


@pytest.fixture
def published(world, run):
    return appeals.evaluation_run_publish(user=world.users["staff_a"], run=run)


def result_of(run, world, firm="a1"):
    return run.results.get(enterprise=world.enterprises[firm])


def file_objection(world, run, *, firm="a1", user="enterprise", text="实缴税收应为 180 万元。", files=()):
    return appeals.objection_file(user=world.users[user], result=result_of(run, world, firm), text=text,
                                  files=list(files))


def stored_files(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


# --- publish ---------------------------------------------------------------------------------------------

def test_publish_opens_an_inclusive_window_of_calendar_days_and_is_audited(world, run):
    start = today() + dt.timedelta(days=2)
    appeals.evaluation_run_publish(user=world.users["staff_a"], run=run, start=start, days=7)
    run.refresh_from_db()
    assert (run.status, run.publicity_start, run.publicity_end) == (RunStatus.PUBLICITY, start,
                                                                    start + dt.timedelta(days=6))
    change = ObjectChange.objects.filter(content_type__model="evaluationrun", object_id=run.pk).latest("time")
    assert "7 天" in change.message and change.postchange_data["status"] == RunStatus.PUBLICITY


def test_publish_defaults_to_seven_days_from_today(world, run):
    appeals.evaluation_run_publish(user=world.users["staff_a"], run=run)
    run.refresh_from_db()
    assert (run.publicity_start, run.publicity_end) == (today(), today() + dt.timedelta(days=6))


@pytest.mark.parametrize("kw,field", [({"days": 2}, "days"), ({"days": 31}, "days"), ({"days": "x"}, "days"),
                                      ({"start": dt.date(2020, 1, 1)}, "start")])
def test_publish_refuses_a_bad_window(world, run, kw, field):
    with pytest.raises(ValidationError) as exc:
        appeals.evaluation_run_publish(user=world.users["staff_a"], run=run, **kw)
    assert field in exc.value.message_dict
    run.refresh_from_db()
    assert run.status == RunStatus.COMPUTED and run.publicity_start is None


@pytest.mark.parametrize("name", ["staff_b", "leader", "enterprise", "other_staff", "system_admin"])
def test_only_staff_of_the_department_publish(world, run, name):
    with pytest.raises(PermissionDenied):
        appeals.evaluation_run_publish(user=world.users[name], run=run)


def test_only_the_newest_computed_version_is_published(world, run):
    staff = world.users["staff_a"]
    second = runs.evaluation_run_create(user=staff, year=YEAR)
    run.refresh_from_db()
    with pytest.raises(ValidationError, match="已替代"):
        appeals.evaluation_run_publish(user=staff, run=run)
    appeals.evaluation_run_publish(user=staff, run=second)
    with pytest.raises(ValidationError, match="公示中"):
        appeals.evaluation_run_publish(user=staff, run=second)


# --- filing ----------------------------------------------------------------------------------------------

def test_the_enterprise_files_an_objection_with_evidence(world, published, media):
    objection = file_objection(world, published, files=[upload("完税证明.pdf", 100), upload("厂房租赁合同.JPG", 10)])
    assert (objection.status, objection.run, objection.enterprise) == (
        ObjectionStatus.PENDING, published, world.enterprises["a1"])
    assert objection.filed_by == world.users["enterprise"]
    evidence = list(objection.evidence.all())
    assert [(e.original_name, e.size) for e in evidence] == [("完税证明.pdf", 109), ("厂房租赁合同.JPG", 19)]
    assert all((media / e.file.name).is_file() for e in evidence)
    assert all("证明" not in e.file.name for e in evidence)  # stored under a random name
    change = ObjectChange.objects.get(content_type__model="objection", object_id=objection.pk)
    assert "完税证明.pdf" in change.message and "厂房租赁合同.JPG" in change.message


def test_evidence_is_optional(world, published):
    assert not file_objection(world, published).evidence.exists()


def test_filing_before_publicity_and_outside_the_window_is_refused(world, run):
    with pytest.raises(ValidationError, match="不在公示中"):
        file_objection(world, run)
    appeals.evaluation_run_publish(user=world.users["staff_a"], run=run, start=today() + dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="开始后"):
        file_objection(world, run)
    move_window(run, days_ago=1)
    with pytest.raises(ValidationError, match=r"已于 .* 截止"):
        file_objection(world, run)
    move_window(run, days_ago=0)  # the last day of the window still counts
    assert file_objection(world, run).pk


@pytest.mark.parametrize("user,firm", [("staff_a", "a1"), ("leader", "a1"), ("ent_c1", "a1"), ("enterprise", "c1")])
def test_only_the_enterprise_itself_files(world, published, user, firm):
    with pytest.raises(PermissionDenied):
        file_objection(world, published, user=user, firm=firm)
    assert not Objection.objects.exists()


def test_one_pending_objection_per_enterprise_and_run(world, published):
    first = file_objection(world, published)
    with pytest.raises(ValidationError, match="待处理"):
        file_objection(world, published)
    file_objection(world, published, user="ent_c1", firm="c1")  # another enterprise is not affected
    appeals.objection_reject(user=world.users["staff_a"], objection=first, reason="税收以税务部门数据为准。")
    assert file_objection(world, published, text="补充材料").pk


def test_text_is_required(world, published):
    with pytest.raises(ValidationError) as exc:
        file_objection(world, published, text="  ")
    assert "text" in exc.value.message_dict


def test_bad_files_are_named_with_the_reason_and_nothing_is_kept(world, published, media):
    files = [upload("好的.pdf"), upload("病毒.exe"), upload("大文件.pdf", 10 * 1024 * 1024),
             upload("空.png", content=b"")]
    with pytest.raises(ValidationError) as exc:
        file_objection(world, published, files=files)
    problems = " ".join(exc.value.message_dict["files"])
    assert "病毒.exe" in problems and "类型不允许" in problems
    assert "大文件.pdf" in problems and "10 MB" in problems
    assert "空.png" in problems and "空文件" in problems
    assert "好的.pdf" not in problems
    with pytest.raises(ValidationError, match="最多上传 5 个文件"):
        file_objection(world, published, files=[upload(f"{i}.pdf") for i in range(6)])
    assert not Objection.objects.exists() and not ObjectionEvidence.objects.exists()
    assert stored_files(media) == []


def test_files_written_before_a_failure_are_removed(world, published, media, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(ObjectionEvidence, "save", broken)
    with pytest.raises(RuntimeError):
        file_objection(world, published, files=[upload("a.pdf")])
    assert stored_files(media) == [] and not Objection.objects.exists()


# --- deciding --------------------------------------------------------------------------------------------

def test_reject_needs_staff_of_the_department_and_a_reason(world, published):
    objection = file_objection(world, published)
    for name in ("staff_b", "leader", "enterprise", "other_staff"):
        with pytest.raises(PermissionDenied):
            appeals.objection_reject(user=world.users[name], objection=objection, reason="x")
    with pytest.raises(ValidationError) as exc:
        appeals.objection_reject(user=world.users["staff_a"], objection=objection, reason=" ")
    assert "reason" in exc.value.message_dict
    appeals.objection_reject(user=world.users["staff_a"], objection=objection, reason="数据与税务部门一致。")
    objection.refresh_from_db()
    assert (objection.status, objection.decision, objection.decided_by) == (
        ObjectionStatus.REJECTED, "数据与税务部门一致。", world.users["staff_a"])
    assert objection.decided_at is not None and objection.new_run is None
    with pytest.raises(ValidationError, match="已处理"):
        appeals.objection_accept(user=world.users["staff_a"], objection=objection, reason="x")


def test_accept_reruns_the_year_into_a_new_version_in_the_same_window(world, published):
    staff = world.users["staff_a"]
    objection = file_objection(world, published)
    other = file_objection(world, published, user="ent_c1", firm="c1")
    before = result_of(published, world)
    EvaluationData.objects.filter(enterprise=world.enterprises["a1"]).update(tax=400)  # corrected beforehand
    appeals.objection_accept(user=staff, objection=objection, reason="经核实，税收数据有误，已更正。")
    objection.refresh_from_db()
    published.refresh_from_db()
    new = objection.new_run
    assert (new.version, new.status, new.previous) == (2, RunStatus.PUBLICITY, published)
    assert (new.publicity_start, new.publicity_end) == (published.publicity_start, published.publicity_end)
    assert published.status == RunStatus.SUPERSEDED
    assert (objection.status, objection.run, objection.decided_by) == (ObjectionStatus.ACCEPTED, new, staff)
    after = result_of(new, world)
    assert objection.result == after and after.score > before.score
    other.refresh_from_db()
    assert (other.status, other.run, other.result.run) == (ObjectionStatus.PENDING, new, new)
    change = ObjectChange.objects.filter(content_type__model="objection", object_id=objection.pk).latest("time")
    assert "第 2 版" in change.message and change.postchange_data["status"] == ObjectionStatus.ACCEPTED


def test_accept_is_atomic(world, published, monkeypatch):
    objection = file_objection(world, published)

    def fails(**kwargs):
        raise ValidationError("计算失败")

    monkeypatch.setattr(runs, "evaluation_run_create", fails)
    with pytest.raises(ValidationError):
        appeals.objection_accept(user=world.users["staff_a"], objection=objection, reason="更正")
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.PENDING and EvaluationRun.objects.count() == 1


# --- finalizing ------------------------------------------------------------------------------------------

def test_finalize_waits_for_the_end_of_the_window_and_every_objection(world, published):
    staff = world.users["staff_a"]
    objection = file_objection(world, published)
    with pytest.raises(ValidationError, match="截止后才能定稿"):
        appeals.evaluation_run_finalize(user=staff, run=published)
    move_window(published, days_ago=1)
    with pytest.raises(ValidationError, match="尚有 1 条异议待处理"):
        appeals.evaluation_run_finalize(user=staff, run=published)
    for name in ("leader", "staff_b", "enterprise"):
        with pytest.raises(PermissionDenied):
            appeals.evaluation_run_finalize(user=world.users[name], run=published)
    appeals.objection_reject(user=staff, objection=objection, reason="不予采纳。")
    appeals.evaluation_run_finalize(user=staff, run=published)
    published.refresh_from_db()
    assert published.status == RunStatus.FINAL and published.finalized_at is not None
    assert "锁定" in ObjectChange.objects.filter(content_type__model="evaluationrun",
                                                 object_id=published.pk).latest("time").message


def test_a_trusted_system_caller_may_record_a_past_cycle(world, run):
    start = today() - dt.timedelta(days=30)
    appeals.evaluation_run_publish(user=None, run=run, start=start, days=7)
    appeals.evaluation_run_finalize(user=None, run=run)
    run.refresh_from_db()
    assert (run.status, run.publicity_start, run.publicity_end) == (RunStatus.FINAL, start,
                                                                    start + dt.timedelta(days=6))


def test_a_computed_run_cannot_be_finalized(world, run):
    with pytest.raises(ValidationError, match="公示中"):
        appeals.evaluation_run_finalize(user=world.users["staff_a"], run=run)


def test_a_final_year_is_locked(world, published):
    staff = world.users["staff_a"]
    move_window(published, days_ago=1)
    appeals.evaluation_run_finalize(user=staff, run=published)
    published.refresh_from_db()
    with pytest.raises(ValidationError, match="已定稿"):
        runs.evaluation_run_create(user=staff, year=YEAR)
    with pytest.raises(ValidationError, match="已定稿"):
        runs.evaluation_result_override(user=staff, result=result_of(published, world), kind=OverrideKind.DOWN,
                                        reason="x")
    with pytest.raises(ValidationError):
        file_objection(world, published)
    with pytest.raises(ValidationError):
        appeals.evaluation_run_publish(user=staff, run=published)
    with pytest.raises(ValidationError):
        appeals.evaluation_run_finalize(user=staff, run=published)


# --- what each user sees ---------------------------------------------------------------------------------

def test_an_enterprise_sees_only_its_own_published_results(world, run):
    enterprise = world.users["enterprise"]
    assert not selectors.published_results_for_enterprise(user=enterprise).exists()  # computed: nothing
    appeals.evaluation_run_publish(user=world.users["staff_a"], run=run, start=today() + dt.timedelta(days=1))
    assert not selectors.published_results_for_enterprise(user=enterprise).exists()  # not public before the start
    EvaluationRun.objects.filter(pk=run.pk).update(publicity_start=today())
    assert list(selectors.published_results_for_enterprise(user=enterprise)) == [result_of(run, world)]
    second = runs.evaluation_run_create(user=world.users["staff_a"], year=YEAR)  # re-run during publicity
    assert list(selectors.published_results_for_enterprise(user=enterprise)) == [result_of(second, world)]
    assert not selectors.enterprise_may_see_result(user=enterprise, result=result_of(run, world))  # superseded
    assert not selectors.enterprise_may_see_result(user=enterprise, result=result_of(second, world, "c1"))
    for name in ("staff_a", "leader"):
        assert not selectors.published_results_for_enterprise(user=world.users[name]).exists()


def test_objections_and_evidence_are_scoped(world, published):
    objection = file_objection(world, published, files=[upload("a.pdf")])
    evidence = objection.evidence.get()
    expected = {"staff_a": True, "leader": True, "enterprise": True, "staff_b": False, "ent_c1": False,
                "other_staff": False, "system_admin": False}
    for name, sees in expected.items():
        user = world.users[name]
        assert selectors.objections_for_user(user=user).filter(pk=objection.pk).exists() is sees, name
        found = selectors.evidence_get_for_user(user=user, objection_pk=objection.pk, evidence_pk=evidence.pk)
        assert (found == evidence) is sees, name
    other = file_objection(world, published, user="ent_c1", firm="c1")
    assert selectors.evidence_get_for_user(user=world.users["staff_a"], objection_pk=other.pk,
                                           evidence_pk=evidence.pk) is None
