"""The demo zone's ten-measure policy (《推动制造业高质量发展十条措施》, 2024) and its 免申即享 cycles.

The 2024 cycle is finished: matched against the 2024 facts in May 2025, notified, confirmed (one firm
declines), approved (one rejected), paid, publicised and archived, with one 依申请 award beside it. The 2025
cycle is under way: notified, part confirmed and approved; the demo enterprise user's award waits for its
confirmation, and an application waits for review. Every amount comes from the rules and the registers.
"""

import datetime as dt
from contextlib import contextmanager
from decimal import Decimal
from unittest.mock import patch
from zoneinfo import ZoneInfo

POLICY = {
    "code": "GX-2024-10",
    "name": "推动制造业高质量发展十条措施",
    "document_number": "示高新发〔2024〕8号",
    "issuer": "示范科学城高新区管委会",
    "valid_from": dt.date(2024, 1, 1),
    "valid_until": dt.date(2026, 12, 31),
    "budget_wan": Decimal("20000.00"),
    "entity_cap_wan": Decimal("500.00"),
    "summary": ("围绕制造业研发机构建立、智能标杆创建、智能化改造、绿色化改造等十个方面支持制造业高质量发展，"
                "同一企业在本措施有效期内累计获得的奖励不超过500万元。符合条件的由系统比对、免申即享；"
                "首台（套）重大技术装备奖励依企业申请审核兑现。"),
}

# (code, name, mode, when, amount_wan, cap_wan, text, evidence) in the order the rules are applied
CLAUSES = (
    ("rnd_institution", "新认定研发机构奖励", "免申即享",
     "rnd_new_national + rnd_new_provincial + rnd_new_city >= 1",
     "CASE WHEN rnd_new_national >= 1 THEN 200 WHEN rnd_new_provincial >= 1 THEN 100 ELSE 50 END", "200",
     "对新认定的国家级、省级、市级研发机构（企业技术中心、工程技术研究中心、重点实验室等），分别给予200万元、100万元、50万元一次性奖励。", ""),
    ("smart_factory", "新认定市级智能工厂奖励", "免申即享", "smart_factory_city_new >= 1", "200", "200",
     "对新认定的市级智能工厂，给予200万元一次性奖励。", ""),
    ("smart_factory_miit", "智能工厂梯度培育奖励", "免申即享", "smart_factory_miit_level >= 2",
     "CASE WHEN smart_factory_miit_level >= 3 THEN 500 ELSE 300 END", "500",
     "对入选国家智能工厂梯度培育先进级、卓越级及以上的企业，分别给予300万元、500万元一次性奖励。", ""),
    ("digital_workshop", "新认定市级数字化车间奖励", "免申即享", "digital_workshop_city_new >= 1",
     "100 * digital_workshop_city_new", "200",
     "对新认定的市级数字化车间，每个给予100万元奖励，同一企业年度最高200万元。", ""),
    ("digital_line", "数字化生产线奖励", "免申即享", "digital_line_new >= 1", "20 * digital_line_new", "100",
     "对新认定的数字化生产线，每条给予20万元奖励，同一企业年度最高100万元。", ""),
    ("smart_retrofit", "智能化改造奖励", "免申即享", "smart_retrofit_equipment_wan >= 500",
     "smart_retrofit_equipment_wan * 0.1", "500",
     "对当年完成智能化改造且设备投资500万元以上的项目，按设备投资的10%给予奖励，最高500万元。", ""),
    ("green_retrofit", "绿色化改造奖励", "免申即享", "green_retrofit_equipment_wan >= 300",
     "green_retrofit_equipment_wan * 0.08", "300",
     "对当年完成绿色化改造且设备投资300万元以上的项目，按设备投资的8%给予奖励，最高300万元。", ""),
    ("mu_class_a", "亩均效益A类企业奖励", "免申即享", "mu_class = 'A'", "20", "20",
     "对年度亩均效益综合评价为A类的企业，给予20万元奖励。", ""),
    ("little_giant", "专精特新“小巨人”企业奖励", "免申即享", "little_giant_new >= 1", "100", "100",
     "对新认定的国家级专精特新“小巨人”企业，给予100万元一次性奖励。", ""),
    ("first_set", "首台（套）重大技术装备奖励", "依申请", "", "", "300",
     "对经认定的首台（套）重大技术装备，按销售合同金额的10%给予奖励，最高300万元。",
     "首台（套）重大技术装备认定文件\n销售合同及发票\n用户使用证明"),
)

# The cycles' business days. The demo records each step as of its day (see `_as_of`), so the pages, the audit
# trail and the date checks of the services all agree with the story.
ADOPTED = dt.date(2024, 3, 1)
CYCLES = {
    2024: {"applied": dt.date(2025, 3, 10), "matched": dt.date(2025, 5, 12), "notified": dt.date(2025, 5, 13),
           "confirmed": dt.date(2025, 5, 26), "approved": dt.date(2025, 6, 9), "paid": dt.date(2025, 6, 20),
           "publicity": dt.date(2025, 6, 25), "archived": dt.date(2025, 7, 8)},
    2025: {"matched": dt.date(2026, 5, 11), "notified": dt.date(2026, 5, 12), "confirmed": dt.date(2026, 5, 25),
           "approved": dt.date(2026, 6, 8), "applied": dt.date(2026, 6, 15)},
}
BANKS = ("中国工商银行重庆高新区支行", "中国建设银行重庆西永支行", "重庆农村商业银行沙坪坝支行", "中国银行重庆科学城支行",
         "重庆银行高新区支行")


@contextmanager
def _as_of(day: dt.date):
    """Record what happens inside as of 10:00 on `day` in the zone's time: timestamps, audit rows and the
    services' "not in the future" checks. Only the demo builder uses this, to lay down a past cycle."""
    moment = dt.datetime.combine(day, dt.time(10, 0), tzinfo=ZoneInfo("Asia/Shanghai"))
    with patch("django.utils.timezone.now", return_value=moment):
        yield


def _bank(enterprise, n: int) -> dict:
    return {"account_name": enterprise.name, "bank_name": BANKS[n % len(BANKS)],
            "account_number": f"3100{enterprise.pk:06d}{enterprise.pk * 7919 % 10**8:08d}",
            "contact": f"{enterprise.contact_person or '财务'} {enterprise.contact_phone or '023-68600000'}"}


def _evidence(name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    # a minimal valid PDF: the demo's stand-in for a scanned document
    body = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
            b"trailer<</Root 1 0 R>>\n%%EOF\n")
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def build_policies_demo(*, zone, departments: dict, users: dict) -> None:
    from gaoxin.policies.models import Award, AwardStatus
    from gaoxin.policies.services.applications import application_review, application_submit
    from gaoxin.policies.services.awards import award_confirm, award_reject, award_reply_record, awards_bulk
    from gaoxin.policies.services.clauses import clause_create
    from gaoxin.policies.services.policies import policy_create, policy_set_status
    from gaoxin.policies.services.publicity import default_title, publicity_archive, publicity_create
    from gaoxin.policies.services.runs import match_run_create, match_run_notify

    staff, company = users["jxj"], users["qiye"]
    with _as_of(ADOPTED):
        policy = policy_create(user=staff, data=POLICY, message="演示数据")
        clauses = {}
        for order, (code, name, mode, when, amount, cap, text, evidence) in enumerate(CLAUSES, start=1):
            clauses[code] = clause_create(user=staff, policy=policy, message="演示数据", data={
                "order": order, "code": code, "name": name, "mode": mode, "when": when, "amount_wan": amount,
                "cap_wan": Decimal(cap), "text": text, "evidence": evidence, "active": True})
        policy_set_status(user=staff, policy=policy, status="实施中", message="演示数据：政策印发实施")

    def cycle(year: int, *, finish: bool) -> None:
        days = CYCLES[year]
        if finish:
            with _as_of(days["applied"]):
                application = application_submit(
                    user=company, clause=clauses["first_set"], year=year, files=[_evidence("首台套认定文件.pdf")],
                    data={"requested_wan": Decimal("150.00"), **_bank(company.enterprise, 0),
                          "statement": "本企业研制的车规级功率模块自动化测试装备于2024年通过首台（套）重大技术装备认定，"
                                       "销售合同金额1500万元，申请按10%给予奖励。"})
        with _as_of(days["matched"]):
            run = match_run_create(user=staff, policy=policy, year=year, message="演示数据")
        with _as_of(days["notified"]):
            match_run_notify(user=staff, run=run, message="演示数据")
        awards = list(Award.objects.filter(run=run).select_related("enterprise", "clause").order_by("id"))
        own = [a for a in awards if a.enterprise_id == company.enterprise_id]
        others = [a for a in awards if a.enterprise_id != company.enterprise_id]
        declined = others[3]
        rejected = next(a for a in others if a.clause.code == "smart_retrofit" and a is not declined)
        with _as_of(days["confirmed"]):
            # most firms have no account on the platform: their stamped reply letters are recorded for them
            award_reply_record(user=staff, award=declined, accept=False, reason="企业经营调整，自愿放弃本次奖励。",
                               note="企业报送盖章放弃声明")
            for n, award in enumerate(others):
                if award is not declined:
                    award_reply_record(user=staff, award=award, accept=True, data=_bank(award.enterprise, n),
                                       note="企业报送盖章确认函（帮办代办）")
            if finish:
                for award in own:
                    award_confirm(user=company, award=award, data=_bank(company.enterprise, 0))
        with _as_of(days["approved"]):
            award_reject(user=staff, award=rejected, reason="经核查，该项目设备投资含租赁设备，不符合条款条件。")
            confirmed = Award.objects.filter(run=run, status=AwardStatus.CONFIRMED)
            awards_bulk(user=staff, awards=confirmed, action="approve", note="经信局集体审核通过")
            if finish:
                application_review(user=staff, application=application, decision="approve",
                                   amount_wan=Decimal("150.00"), note="材料齐全，按合同金额10%核定。")
        if "applied" in days and not finish:
            with _as_of(days["applied"]):
                application_submit(
                    user=company, clause=clauses["first_set"], year=year, files=[_evidence("首台套认定文件.pdf")],
                    data={"requested_wan": Decimal("80.00"), **_bank(company.enterprise, 0),
                          "statement": "本企业研制的高精度晶圆检测设备于2025年通过首台（套）认定，销售合同金额800万元。"})
        if not finish:
            return
        with _as_of(days["paid"]):
            approved = Award.objects.filter(policy=policy, year=year, status=AwardStatus.APPROVED)
            awards_bulk(user=staff, awards=approved, action="pay", paid_on=days["paid"],
                        voucher=f"GK{days['paid']:%Y%m%d}001")
        with _as_of(days["publicity"]):
            publicity = publicity_create(user=staff, policy=policy, title=default_title(policy=policy, years=[year]),
                                         start=days["publicity"], days=7)
        with _as_of(days["archived"]):
            publicity_archive(user=staff, publicity=publicity)

    cycle(2024, finish=True)
    cycle(2025, finish=False)
