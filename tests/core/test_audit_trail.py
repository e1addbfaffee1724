"""The audit trail is append-only (等保2.0 8.1.4.3 c) and kept at least 180 days."""

import datetime as dt
import uuid
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from gaoxin.core.audit.models import ObjectChange, SecurityEvent
from gaoxin.core.audit.services import prune_audit_trail, security_event_record
from gaoxin.enterprises.services import enterprise_update


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def change(world):
    staff = world.users["staff_a"]
    enterprise_update(user=staff, enterprise=world.enterprises["a1"], data={"name": "新名称有限公司"})
    return ObjectChange.objects.get()


@pytest.fixture
def event(db):
    return security_event_record(kind="login_failed", success=False, user_name="x")


def test_object_change_cannot_be_updated_or_deleted(change):
    change.message = "篡改"
    with pytest.raises(PermissionDenied):
        change.save()
    with pytest.raises(PermissionDenied):
        change.delete()
    with pytest.raises(PermissionDenied):
        ObjectChange.objects.filter(pk=change.pk).update(message="篡改")
    with pytest.raises(PermissionDenied):
        ObjectChange.objects.all().delete()
    assert ObjectChange.objects.get(pk=change.pk).message == ""


def test_security_event_cannot_be_updated_or_deleted(event):
    event.success = True
    with pytest.raises(PermissionDenied):
        event.save()
    with pytest.raises(PermissionDenied):
        event.delete()
    with pytest.raises(PermissionDenied):
        SecurityEvent.objects.filter(pk=event.pk).update(success=True)
    with pytest.raises(PermissionDenied):
        SecurityEvent.objects.filter(pk=event.pk).delete()
    assert SecurityEvent.objects.get(pk=event.pk).success is False


def _old_event(days: int):
    return SecurityEvent.objects.create(kind="login", user_name="old", via="web", request_id=uuid.uuid4(),
                                        time=timezone.now() - dt.timedelta(days=days))


def test_prune_refuses_less_than_180_days(db):
    _old_event(100)
    with pytest.raises(ValueError):
        prune_audit_trail(retention_days=179)
    with pytest.raises(CommandError) as exc:
        call_command("audit", "prune", "--days", "179", stdout=StringIO())
    assert exc.value.returncode == 1 and "180" in str(exc.value)
    assert SecurityEvent.objects.count() == 1


def test_prune_removes_only_rows_older_than_the_period(db):
    keep = _old_event(179)
    _old_event(181)
    _old_event(400)
    out = StringIO()
    call_command("audit", "prune", stdout=out)
    assert "2" in out.getvalue()
    survivors = SecurityEvent.objects.exclude(kind="audit_pruned")
    assert list(survivors.values_list("pk", flat=True)) == [keep.pk]
    # the pruning itself leaves a trace
    assert SecurityEvent.objects.filter(kind="audit_pruned", detail__contains="2 条").count() == 1
    call_command("audit", "prune", "--days", "365", stdout=StringIO())
    assert survivors.count() == 1


def test_prune_usage_error(db):
    with pytest.raises(CommandError):
        call_command("audit", stdout=StringIO())


@pytest.mark.django_db(transaction=True)
def test_postgresql_refuses_tampering_in_the_database():
    """Even raw SQL cannot rewrite or delete recent audit rows on PostgreSQL."""
    from django.db import DatabaseError, connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("the database-level guard exists on PostgreSQL only")
    recent = _old_event(10)
    old = _old_event(400)
    for sql in ("UPDATE core_securityevent SET user_name = 'x' WHERE id = %s",
                "DELETE FROM core_securityevent WHERE id = %s"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [recent.pk])
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_securityevent WHERE id = %s", [old.pk])
    assert list(SecurityEvent.objects.values_list("pk", flat=True)) == [recent.pk]


def test_security_event_details_are_written_in_the_system_language(db):
    """An officer using the English UI still leaves a Chinese record: the trail reads the same for everyone."""
    from django.utils import translation
    from django.utils.translation import gettext as _

    with translation.override("en"):
        event = security_event_record(kind="unlocked", detail=lambda: _("解锁账户 %(name)s") % {"name": "zhang"})
    assert event.detail == "解锁账户 zhang"
