"""The CalendarYear table: services (permission, validation, audit), the selector's cache, the pages."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from gaoxin.core.audit.context import acting_as, actor_for_user
from gaoxin.core.audit.models import ObjectChange
from gaoxin.core.calendar import (
    calendar_year_delete,
    calendar_year_save,
    format_date_list,
    parse_date_list,
    work_calendar,
)
from gaoxin.core.models import CalendarYear
from gaoxin.core.workcal import UnknownCalendarYear

D = dt.date

# The 2027 arrangement as an administrator would paste it from the notice.
HOLIDAYS_2027 = "2027-01-01\n2027-02-05~2027-02-13\n2027-10-01 至 2027-10-07"
WORKDAYS_2027 = "2027-01-30, 2027-02-20\n2027-10-09"
OTHER_ROLES = ["security_admin", "audit_admin", "leader", "staff_a", "enterprise"]


def save_2027(user, **overrides):
    data = dict(user=user, year=2027, holidays=HOLIDAYS_2027, workdays=WORKDAYS_2027,
                source="国办发明电〔2026〕99号")
    data.update(overrides)
    return calendar_year_save(**data)


def changes_for(row_pk):
    ct = ContentType.objects.get_for_model(CalendarYear)
    return list(ObjectChange.objects.filter(content_type=ct, object_id=row_pk).order_by("time", "id"))


# -- parsing ----------------------------------------------------------------------------------------

def test_parse_date_list_reads_lines_commas_ranges_and_chinese_forms():
    text = "2027-01-01，2027/02/05 ~ 2027/02/07\n\n2027年10月1日至2027年10月2日、２０２７－１０－０３ 2027.10.04"
    assert parse_date_list(text) == [
        D(2027, 1, 1), D(2027, 2, 5), D(2027, 2, 6), D(2027, 2, 7),
        D(2027, 10, 1), D(2027, 10, 2), D(2027, 10, 3), D(2027, 10, 4)]
    assert parse_date_list("2027-01-01\n2027-01-01") == [D(2027, 1, 1)]
    assert parse_date_list("  ") == []


def test_parse_date_list_names_every_bad_item():
    with pytest.raises(ValidationError) as info:
        parse_date_list("2027-02-30\nabc\n2027-01-01\n2027-02-13~2027-02-05")
    messages = info.value.messages
    assert len(messages) == 3
    assert "“2027-02-30”不是有效日期" in messages[0]
    assert "“abc”" in messages[1]
    assert "起始日期晚于结束日期" in messages[2]


def test_format_date_list_is_the_inverse():
    dates = parse_date_list(HOLIDAYS_2027)
    text = format_date_list(dates)
    assert text == "2027-01-01\n2027-02-05~2027-02-13\n2027-10-01~2027-10-07"
    assert parse_date_list(text) == dates
    assert format_date_list(["2027-01-02", "2027-01-01"]) == "2027-01-01~2027-01-02"


# -- services ---------------------------------------------------------------------------------------

def test_system_admin_saves_a_year_and_it_is_audited(world):
    admin = world.users["system_admin"]
    with acting_as(actor_for_user(admin, via="web")):
        row = save_2027(admin)
    row.refresh_from_db()
    assert row.year == 2027 and row.source == "国办发明电〔2026〕99号"
    assert row.holidays[:3] == ["2027-01-01", "2027-02-05", "2027-02-06"] and len(row.holidays) == 17
    assert row.workdays == ["2027-01-30", "2027-02-20", "2027-10-09"]
    [change] = changes_for(row.pk)
    assert change.action == "create" and change.user == admin and change.zone is None
    assert change.postchange_data["workdays"] == row.workdays


def test_saving_again_updates_and_records_before_and_after(world):
    admin = world.users["system_admin"]
    row = save_2027(admin)
    save_2027(admin, workdays="2027-01-30\n2027-02-20")
    save_2027(admin, workdays="2027-01-30\n2027-02-20")  # no change: no audit row
    row.refresh_from_db()
    assert row.workdays == ["2027-01-30", "2027-02-20"]
    assert CalendarYear.objects.count() == 1
    create, update = changes_for(row.pk)
    assert (create.action, update.action) == ("create", "update")
    changed = {field: (before, after) for field, before, after in update.diff()}
    assert changed["workdays"] == (["2027-01-30", "2027-02-20", "2027-10-09"], ["2027-01-30", "2027-02-20"])
    assert "holidays" not in changed and "source" not in changed


def test_delete_is_audited(world):
    admin = world.users["system_admin"]
    row = save_2027(admin)
    calendar_year_delete(user=admin, year=2027)
    assert not CalendarYear.objects.exists()
    assert [c.action for c in changes_for(row.pk)] == ["create", "delete"]
    with pytest.raises(ValidationError, match="2027 年没有录入的工作日历"):
        calendar_year_delete(user=admin, year=2027)


@pytest.mark.django_db
def test_services_accept_date_lists():
    from tests.factories import make_user

    admin = make_user("root2", zone=None, role="system_admin")
    row = calendar_year_save(user=admin, year=2027, holidays=[D(2027, 1, 1), "2027-02-08"],
                             workdays=["2027-01-30", D(2027, 1, 30)])
    assert row.holidays == ["2027-01-01", "2027-02-08"] and row.workdays == ["2027-01-30"]


def test_a_year_without_makeup_workdays_can_be_saved(world):
    row = save_2027(world.users["system_admin"], workdays="")
    assert row.workdays == []


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_only_the_system_admin_may_write(world, role):
    user = world.users[role]
    with pytest.raises(PermissionDenied, match="只有系统管理员"):
        save_2027(user)
    assert not CalendarYear.objects.exists()
    save_2027(world.users["system_admin"])
    with pytest.raises(PermissionDenied):
        calendar_year_delete(user=user, year=2027)
    assert CalendarYear.objects.filter(year=2027).exists()


def test_anonymous_or_inactive_may_not_write(world):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        save_2027(AnonymousUser())
    with pytest.raises(PermissionDenied):
        save_2027(None)
    admin = world.users["system_admin"]
    admin.is_active = False
    with pytest.raises(PermissionDenied):
        save_2027(admin)


@pytest.mark.parametrize("overrides,field,words", [
    ({"year": 1999}, "year", ["2000", "2100"]),
    ({"year": "二〇二七"}, "year", ["4 位数字"]),
    ({"holidays": "2027-02-30"}, "holidays", ["“2027-02-30”不是有效日期"]),
    ({"holidays": "2027-01-01\n2028-01-01"}, "holidays", ["不属于 2027 年", "2028-01-01"]),
    ({"workdays": "2026-12-26"}, "workdays", ["不属于 2027 年"]),
    ({"holidays": ""}, "holidays", ["请填写该年的放假日期"]),
    ({"holidays": "2027-01-02\n2027-01-03"}, "holidays", ["都是周六或周日"]),
    ({"workdays": "2027-02-20\n2027-02-22"}, "workdays", ["只能是周六或周日", "2027-02-22（星期一）"]),
    ({"workdays": "2027-02-06"}, "workdays", ["同时填在放假日期和调休上班日中", "2027-02-06"]),
])
def test_validation_says_what_is_wrong(world, overrides, field, words):
    with pytest.raises(ValidationError) as info:
        save_2027(world.users["system_admin"], **overrides)
    errors = info.value.message_dict
    assert field in errors
    for word in words:
        assert any(word in message for message in errors[field]), errors
    assert not CalendarYear.objects.exists()
    assert not ObjectChange.objects.exists()


# -- the selector -----------------------------------------------------------------------------------

def test_work_calendar_follows_the_table(world):
    admin = world.users["system_admin"]
    with pytest.raises(UnknownCalendarYear):
        work_calendar().is_workday(D(2027, 3, 1))
    first = work_calendar()
    assert work_calendar() is first  # unchanged table: the same, already precomputed calendar

    save_2027(admin)
    cal = work_calendar()
    assert cal is not first and cal.source_of(2027) == "admin"
    assert not cal.is_workday(D(2027, 2, 8)) and cal.is_workday(D(2027, 10, 9))

    save_2027(admin, workdays="2027-01-30\n2027-02-20")
    assert not work_calendar().is_workday(D(2027, 10, 9))

    calendar_year_delete(user=admin, year=2027)
    with pytest.raises(UnknownCalendarYear):
        work_calendar().is_workday(D(2027, 3, 1))


def test_admin_year_overrides_the_package_through_the_table(world):
    assert work_calendar().is_workday(D(2026, 3, 2))
    calendar_year_save(user=world.users["system_admin"], year=2026, holidays="2026-01-01\n2026-03-02",
                       workdays="2026-01-04")
    assert not work_calendar().is_workday(D(2026, 3, 2))
    assert work_calendar().is_workday(D(2026, 2, 16))  # the package's Spring Festival is replaced


# -- pages ------------------------------------------------------------------------------------------

@pytest.fixture
def admin_client(client, world):
    client.force_login(world.users["system_admin"])
    return client


def test_list_page(admin_client, world):
    save_2027(world.users["system_admin"])
    response = admin_client.get(reverse("core:calendar_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "2004–2026" in html  # which years the package covers
    assert "国办发明电〔2026〕99号" in html
    assert ">17<" in html and ">3<" in html  # holiday and make-up day counts
    assert f">{work_calendar().workday_count(2027)}<" in html


def test_list_page_when_empty(admin_client):
    response = admin_client.get(reverse("core:calendar_list"))
    assert response.status_code == 200
    assert "尚未录入任何年度" in response.content.decode()


def test_add_page_creates_a_year(admin_client):
    assert admin_client.get(reverse("core:calendar_add")).status_code == 200
    response = admin_client.post(reverse("core:calendar_add"), {
        "year": "2027", "holidays": HOLIDAYS_2027, "workdays": WORKDAYS_2027, "source": "国办发明电〔2026〕99号"})
    assert response.status_code == 302 and response["Location"] == reverse("core:calendar_list")
    row = CalendarYear.objects.get(year=2027)
    assert len(row.holidays) == 17
    assert ObjectChange.objects.filter(object_id=row.pk, action="create").exists()


def test_add_page_shows_errors_inline(admin_client):
    response = admin_client.post(reverse("core:calendar_add"), {
        "year": "2027", "holidays": "2027-01-01", "workdays": "2027-02-22\n2027-13-01", "source": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert "“2027-13-01”不是有效日期" in html
    assert not CalendarYear.objects.exists()

    response = admin_client.post(reverse("core:calendar_add"), {
        "year": "2027", "holidays": "2027-01-01", "workdays": "2027-02-22", "source": ""})
    assert response.status_code == 200
    assert "只能是周六或周日" in response.content.decode()  # the service's rule, shown beside the field
    assert not CalendarYear.objects.exists()


def test_add_page_refuses_an_existing_year(admin_client, world):
    save_2027(world.users["system_admin"])
    response = admin_client.post(reverse("core:calendar_add"), {
        "year": "2027", "holidays": "2027-01-01", "workdays": "", "source": ""})
    assert response.status_code == 200
    assert "2027 年已录入" in response.content.decode()


def test_add_page_prefills_a_package_year_for_correction(admin_client):
    response = admin_client.get(reverse("core:calendar_add") + "?year=2026")
    html = response.content.decode()
    assert "2026-02-15~2026-02-23" in html and "2026-02-28" in html
    html = admin_client.get(reverse("core:calendar_add") + "?year=2027").content.decode()
    assert 'value="2027"' in html  # the list's "立即录入" link for a missing year


def test_htmx_post_redirects_the_client(admin_client):
    response = admin_client.post(reverse("core:calendar_add"), {
        "year": "2027", "holidays": HOLIDAYS_2027, "workdays": WORKDAYS_2027, "source": ""}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("core:calendar_list")


def test_edit_page_updates_and_deletes(admin_client, world):
    save_2027(world.users["system_admin"])
    url = reverse("core:calendar_edit", args=[2027])
    html = admin_client.get(url).content.decode()
    assert "2027-02-05~2027-02-13" in html and "国办发明电〔2026〕99号" in html

    response = admin_client.post(url, {"year": "2030", "holidays": HOLIDAYS_2027, "workdays": "2027-01-30",
                                       "source": "更正"})
    assert response.status_code == 302
    row = CalendarYear.objects.get()
    assert row.year == 2027 and row.workdays == ["2027-01-30"] and row.source == "更正"  # year is fixed

    response = admin_client.post(url, {"action": "delete"})
    assert response.status_code == 302
    assert not CalendarYear.objects.exists()


def test_edit_page_of_an_undefined_year_is_404(admin_client):
    assert admin_client.get(reverse("core:calendar_edit", args=[2031])).status_code == 404


@pytest.mark.parametrize("role", OTHER_ROLES)
@pytest.mark.parametrize("name,args", [("core:calendar_list", []), ("core:calendar_add", []),
                                       ("core:calendar_edit", [2027])])
def test_other_roles_get_403(client, world, role, name, args):
    save_2027(world.users["system_admin"])
    client.force_login(world.users[role])
    assert client.get(reverse(name, args=args)).status_code == 403
    if name != "core:calendar_list":
        response = client.post(reverse(name, args=args), {
            "year": "2027", "holidays": "2027-01-01", "workdays": "", "source": "", "action": "delete"})
        assert response.status_code == 403
    assert CalendarYear.objects.get().source == "国办发明电〔2026〕99号"


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("core:calendar_list"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


# -- command ----------------------------------------------------------------------------------------

def test_calendar_check_command(world, capsys):
    call_command("calendar", "check", "2026")
    assert "2026 年：内置数据" in capsys.readouterr().out
    save_2027(world.users["system_admin"])
    call_command("calendar", "check", "2027")
    out = capsys.readouterr().out
    assert "国办发明电〔2026〕99号" in out and f"全年工作日 {work_calendar().workday_count(2027)} 天" in out
    with pytest.raises(CommandError, match="2030 年的节假日安排尚未录入") as info:
        call_command("calendar", "check", "2030")
    assert info.value.returncode == 1
