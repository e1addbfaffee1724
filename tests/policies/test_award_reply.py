"""帮办代办: staff record the reply of an enterprise without a platform account (service and page)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from gaoxin.core.audit.models import ObjectChange
from gaoxin.policies.models import AwardStatus
from gaoxin.policies.services.awards import award_reply_record

from .award_world import BANK, make_award, make_clause, make_policy

pytestmark = pytest.mark.django_db


@pytest.fixture
def clause(world):
    return make_clause(make_policy(world))


def test_staff_record_a_confirmation_with_the_account_and_its_basis(world, clause):
    award = make_award(clause, world.enterprises["a2"])
    award_reply_record(user=world.users["staff_a"], award=award, accept=True, data=BANK, note="企业盖章确认函")
    award.refresh_from_db()
    assert (award.status, award.account_number, award.confirmed_by) == (
        AwardStatus.CONFIRMED, "6216610100012345678", world.users["staff_a"])
    change = ObjectChange.objects.filter(object_id=award.pk, content_type__model="award").latest("pk")
    assert "代企业登记确认（依据：企业盖章确认函）" in change.message


def test_staff_record_a_decline_with_its_reason(world, clause):
    award = make_award(clause, world.enterprises["a2"])
    award_reply_record(user=world.users["staff_a"], award=award, accept=False, reason="企业已迁出，自愿放弃。",
                       note="放弃声明")
    award.refresh_from_db()
    # full-width punctuation is kept as written (an official record is not normalised to ASCII)
    assert (award.status, award.decline_reason) == (AwardStatus.DECLINED, "企业已迁出，自愿放弃。")


@pytest.mark.parametrize("kwargs, field", [
    ({"accept": True, "data": {}, "note": "确认函"}, "account_number"),
    ({"accept": False, "reason": "", "note": "放弃声明"}, "reason"),
    ({"accept": True, "data": BANK, "note": " "}, "note"),
])
def test_a_reply_needs_its_account_reason_and_basis(world, clause, kwargs, field):
    award = make_award(clause, world.enterprises["a2"])
    with pytest.raises(ValidationError) as exc:
        award_reply_record(user=world.users["staff_a"], award=award, **kwargs)
    assert field in exc.value.message_dict
    award.refresh_from_db()
    assert award.status == AwardStatus.NOTIFIED


@pytest.mark.parametrize("status", [AwardStatus.PENDING, AwardStatus.CONFIRMED, AwardStatus.PAID])
def test_only_a_notified_award_takes_a_reply(world, clause, status):
    award = make_award(clause, world.enterprises["a2"], status=status)
    with pytest.raises(ValidationError):
        award_reply_record(user=world.users["staff_a"], award=award, accept=True, data=BANK, note="确认函")


@pytest.mark.parametrize("role", ["staff_b", "leader", "enterprise"])
def test_only_staff_of_the_department_record_replies(world, clause, role):
    award = make_award(clause, world.enterprises["a1"])
    with pytest.raises(PermissionDenied):
        award_reply_record(user=world.users[role], award=award, accept=True, data=BANK, note="确认函")


def test_the_reply_form_on_the_award_page(world, clause):
    award = make_award(clause, world.enterprises["a2"])
    client = Client()
    client.force_login(world.users["staff_a"])
    page = client.get(f"/policies/awards/{award.pk}/").content.decode()
    assert 'id="reply"' in page
    bad = client.post(f"/policies/awards/{award.pk}/reply/", {"accept": "1", "note": "确认函"})
    assert bad.status_code == 200 and "请填写银行账号" in bad.content.decode()
    good = client.post(f"/policies/awards/{award.pk}/reply/", {"accept": "1", "note": "确认函", **BANK})
    assert good.status_code == 302
    award.refresh_from_db()
    assert award.status == AwardStatus.CONFIRMED
    client.force_login(world.users["leader"])
    assert 'id="reply"' not in client.get(f"/policies/awards/{award.pk}/").content.decode()
    assert client.post(f"/policies/awards/{award.pk}/reply/", {"accept": "0"}).status_code == 403
