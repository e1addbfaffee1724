"""The 经济运行简报 page and its downloads: roles, periods, no data, files and their export records."""

import io
import re
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document

from gaoxin.core.audit.models import SecurityEvent, SecurityEventKind
from gaoxin.economy.views.bulletin import default_period

from .bulletin_data import build_bulletin_world

PAGE = reverse("economy:bulletin")
DOWNLOAD = reverse("economy:bulletin_download")
TITLE = "测试高新区2024年上半年经济运行简报"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def bw(world):
    build_bulletin_world(world)
    return world


@pytest.fixture
def login(client, bw):
    def as_role(role):
        client.force_login(bw.users[role])
        return client

    return as_role


def exports():
    return list(SecurityEvent.objects.filter(kind=SecurityEventKind.EXPORT).values_list("detail", flat=True))


@pytest.mark.parametrize("role", ["leader", "staff_a", "staff_b"])
def test_leaders_and_staff_read_the_zone_bulletin(login, role):
    response = login(role).get(PAGE, {"period": "2024-06"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<h1 class="bulletin-title">{TITLE}</h1>' in html
    assert "<h2>一、主要经济指标</h2>" in html and "地区生产总值214.6亿元，增长8.2%" in html
    assert 'class="bulletin-placeholder"' in html
    for fmt in ("docx", "html", "md"):
        assert f'id="download-{fmt}" href="{DOWNLOAD}?period=2024-06&amp;format={fmt}"' in html
    assert 'href="/economy/bulletin/"' in html and 'aria-current="page"' in html  # the economy subnav
    assert 'data-chart="growth-lines"' in html


def test_the_page_runs_no_inline_script(login):
    html = login("leader").get(PAGE, {"period": "2024-06"}).content.decode()
    scripts = re.findall(r"<script\b([^>]*)>", html)
    assert all("src=" in attributes or 'type="application/json"' in attributes for attributes in scripts)
    assert "/static/gaoxin/bulletin.js" in html and "/static/vendor/echarts/echarts.min.js" in html


@pytest.mark.parametrize("role", ["enterprise", "system_admin", "security_admin", "audit_admin"])
def test_enterprise_users_and_administrators_get_403(login, role):
    client = login(role)
    assert client.get(PAGE, {"period": "2024-06"}).status_code == 403
    assert client.get(DOWNLOAD, {"period": "2024-06", "format": "docx"}).status_code == 403
    assert exports() == []


def test_anonymous_users_are_sent_to_log_in(client, bw):
    response = client.get(PAGE, {"period": "2024-06"})
    assert response.status_code == 302 and "login" in response["Location"]


def test_another_zone_sees_its_own_empty_bulletin(login):
    response = login("other_staff").get(PAGE, {"period": "2024-06"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "测试高新区" not in html.split("<main>", 1)[1]
    assert 'id="no-data"' in html and "另一园区2024年上半年" in html
    assert 'id="downloads"' not in html


@pytest.mark.parametrize(("period", "reason"), [
    ("2024-13", "月份应为 01–12"),
    ("June", "无法识别"),
    ("1999-06", "年份应在 2000–2100 之间"),
])
def test_a_bad_period_is_a_400_with_the_reason(login, period, reason):
    client = login("leader")
    for url, extra in ((PAGE, {}), (DOWNLOAD, {"format": "docx"})):
        response = client.get(url, {"period": period, **extra})
        assert response.status_code == 400
        html = response.content.decode()
        assert 'id="period-error"' in html and reason in html
    assert exports() == []


def test_a_period_without_data_says_so(login):
    client = login("leader")
    response = client.get(PAGE, {"period": "2019-06"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="no-data"' in html and "没有官方统计数据" in html and "无法生成简报" in html
    assert 'id="downloads"' not in html and "bulletin.js" not in html
    download = client.get(DOWNLOAD, {"period": "2019-06", "format": "docx"})
    assert download.status_code == 404
    assert "无法生成简报" in download.content.decode()
    assert exports() == []


def test_an_unknown_format_is_a_400(login):
    response = login("leader").get(DOWNLOAD, {"period": "2024-06", "format": "pdf"})
    assert response.status_code == 400
    assert "下载格式“pdf”无法识别" in response.content.decode()
    assert exports() == []


def attachment_name(response) -> str:
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    match = re.search(r"filename\*=utf-8''(\S+)", disposition)
    return match.group(1)


def test_download_docx(login):
    response = login("staff_a").get(DOWNLOAD, {"period": "2024-06", "format": "docx"})
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert attachment_name(response) == quote(f"{TITLE}.docx")
    doc = Document(io.BytesIO(response.content))
    assert doc.paragraphs[0].text.replace("\n", "") == TITLE
    assert exports() == ["economy_bulletin: 2024-06, docx"]
    event = SecurityEvent.objects.get(kind=SecurityEventKind.EXPORT)
    assert event.user.username == "staff_a" and event.zone.code == "t1"


def test_download_html_works_offline(login):
    response = login("leader").get(DOWNLOAD, {"period": "2024H1", "format": "html"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert attachment_name(response) == quote(f"{TITLE}.html")
    html = response.content.decode("utf-8")
    assert html.startswith("<!doctype html>") and f"<title>{TITLE}</title>" in html
    assert "/static/" not in html.split("<script>", 1)[0]  # nothing to fetch from the server
    assert exports() == ["economy_bulletin: 2024-06, html"]


def test_download_markdown(login):
    response = login("leader").get(DOWNLOAD, {"period": "2024-06", "format": "md"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert attachment_name(response) == quote(f"{TITLE}.md")
    text = response.content.decode("utf-8")
    assert text.startswith(f"# {TITLE}\n")
    assert "地区生产总值214.6亿元，增长8.2%，增速较一季度提高0.3个百分点" in text
    assert exports() == ["economy_bulletin: 2024-06, md"]


def test_quick_periods_and_the_default_period(login):
    response = login("leader").get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    today = timezone.localdate()
    for label in (f"{today.year}一季度", f"{today.year}上半年", f"{today.year - 1}前三季度", f"{today.year - 1}全年"):
        assert label in html
    assert f'value="{default_period().label}"' in html


def test_default_period_is_the_last_complete_month():
    import datetime as dt

    assert default_period(dt.date(2026, 1, 15)).label == "2025-12"
    assert default_period(dt.date(2026, 3, 31)).label == "2026-02"
