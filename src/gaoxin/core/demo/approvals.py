"""The demo zone's approval cases: the default catalog, notification channels, construction cases across
several projects with items in every state and every clock status relative to the day the demo is built,
a 帮办员 acting for an applicant, and one delivered 一件事 (企业变更) for the demo enterprise.

Everything goes through the approval services (cases helper), so events, segments, obligations, audit rows
and cached clocks are exactly what the pages would have written. Dates are counted back from today in
working days (`_Days`), so whatever the day the demo is built, the clocks read:

    SP-DEMO-A 社会投资, the demo enterprise's project, 区域评估, 帮办员 = tzcj (投资促进局 项目服务专员)
      filing 通过 按期 · site 通过 按期 · land_planning 通过 逾期办结 · design_scheme 补正 then 通过 按期 ·
      construction_planning 告知承诺 通过 (核查 due in 3 WD: reminded) · drawing_review 特别程序 (专家评审, open) ·
      eia_report 告知承诺 受理 → 预警 · energy 免办 (区域评估) · utilities 容缺通过, certificate held ·
      construction_permit / joint_acceptance / completion_filing 待启动
    SP-DEMO-B 政府投资: site 通过 · feasibility 不予许可 · land_planning 通过 · design_scheme 收件 (its
      prerequisite was refused) · eia_report 补正 (open pause) · utilities 撤回
    SP-DEMO-C 带方案出让: construction_planning 告知承诺 通过 then 核查不通过 → 撤销, drawing_review (which
      required it) flagged and 逾期
    SP-DEMO-D 社会投资: site 容缺通过, supplement missed → 终止 · utilities 逾期 · eia_report 正常
    SP-DEMO-E 简易低风险: every item done on time, 已办结 within the 15 WD target
    SP-DEMO-F 企业变更一件事 for the demo enterprise: one form, four items, delivered once

Then the scan runs once: the items in 预警 / 逾期 notify their departments. The demo's webhooks point at
an example host and go through an offline backend (they are recorded as 发送失败 with the reason, as a
real unreachable robot would be); e-mail goes to Django's in-memory backend and is recorded as 已发送.
"""

import datetime as dt

from django.core.mail import get_connection
from django.utils import timezone

from gaoxin.approvals.models import (
    ApprovalCase,
    BundleDef,
    ChannelKind,
    NotificationChannel,
    Obligation,
    ObligationKind,
    RouteTemplate,
)
from gaoxin.approvals.notifier import EmailBackend, Notifier, OfflineBackend
from gaoxin.approvals.services.cases import (
    bundle_open,
    case_assign_agent,
    case_open,
    item_act,
    obligation_resolve,
)
from gaoxin.approvals.services.catalog import catalog_install_default
from gaoxin.approvals.services.notices import notices_scan
from gaoxin.core.calendar import work_calendar
from gaoxin.enterprises.models import Enterprise
from gaoxin.projects.models import Project

CHANNELS = (
    ("jsj", ChannelKind.WECOM, "https://qyapi.weixin.example/cgi-bin/webhook/send?key=demo-jsj-robot-0001", ""),
    ("gfj", ChannelKind.DINGTALK, "https://oapi.dingtalk.example/robot/send?access_token=demo-gfj-robot-0001",
     "SECdemo0000000000000000000000000000000000000000000000000000000"),
    ("zwzx", ChannelKind.EMAIL, "zwzx@demo.gaoxin.example", ""),
)


class _Days:
    """Business dates n working days before today (today itself for 0), through the platform calendar."""

    def __init__(self, today: dt.date):
        self.today = today
        self.calendar = work_calendar()

    def __call__(self, n: int) -> dt.date:
        if n == 0:
            return self.today
        return self.calendar.add_workdays(self.today, -n, provisional=True).value


class _Demo:
    def __init__(self, zone, departments, users, today):
        self.zone = zone
        self.departments = departments
        self.users = users
        self.wd = _Days(today)
        self.catalog = catalog_install_default(zone=zone)
        self.cases: dict[str, ApprovalCase] = {}

    def route(self, project_type: str) -> RouteTemplate:
        return RouteTemplate.objects.get(catalog=self.catalog, project_type=project_type)

    def open(self, key: str, project_type: str, *, start: int, project=None, enterprise=None, title=None,
             area_assessment=False):
        self.cases[key] = case_open(
            user=None, zone=self.zone, department=self.departments["zwzx"], route=self.route(project_type),
            title=title or (project.name if project else ""), start_date=self.wd(start), project=project,
            enterprise=enterprise, area_assessment=area_assessment, code=f"SP-DEMO-{key}", message="演示数据")
        return self.cases[key]

    def actor(self, code_or_user):
        # 建设局 has a demo login: its items are handled by that account; the other departments' by the
        # trusted builder (None), which the event records as a system entry.
        return self.users.get(code_or_user) if isinstance(code_or_user, str) else code_or_user

    def act(self, key: str, code: str, action: str, days: int, *, by=None, **fields):
        item = self.cases[key].items.get(code=code)
        user = self.actor(by) if by is not None else (self.users.get("jsj") if item.department.code == "jsj"
                                                       else None)
        return item_act(user=user, item=item, action=action, on=self.wd(days), message="演示数据", **fields)

    def straight(self, key: str, code: str, accepted: int, decided: int | None = None, *, outcome="通过",
                 receiver=None, **accept):
        self.act(key, code, "receive", accepted, by=receiver)
        self.act(key, code, "accept", accepted, **accept)
        if decided is not None:
            self.act(key, code, "decide", decided, outcome=outcome)

    def obligation(self, key: str, code: str, kind: str) -> Obligation:
        return Obligation.objects.get(item__case=self.cases[key], item__code=code, kind=kind)


def _projects(zone, qiye_enterprise_id) -> list:
    """The demo enterprise's project first, then other projects with a company (the pipeline's)."""
    projects = list(Project.objects.filter(zone=zone, enterprise__isnull=False).order_by("code")[:200])
    own = [p for p in projects if p.enterprise_id == qiye_enterprise_id]
    others = [p for p in projects if p.enterprise_id != qiye_enterprise_id]
    return own[:1] + others


def _new_name(name: str) -> str:
    if name.endswith("有限公司"):
        return name[: -len("有限公司")] + "科技集团有限公司"
    return name + "（更名）"


def build_approvals_demo(*, zone, departments: dict, users: dict, today: dt.date | None = None) -> dict:
    """Write the demo's approval cases; returns them by key (A–F). Needs the zone's default departments and
    the demo users tzcj (帮办员), jsj and qiye (the enterprise of the bundle and of case A)."""
    today = today or timezone.localdate()
    demo = _Demo(zone, departments, users, today)
    for code, kind, target, secret in CHANNELS:
        NotificationChannel.objects.create(zone=zone, department=departments[code], kind=kind, target=target,
                                           secret=secret)

    qiye = users["qiye"].enterprise
    projects = _projects(zone, qiye.pk if qiye else None)
    firms = list(Enterprise.objects.filter(zone=zone).order_by("id")[:5])

    def project(i):
        return projects[i] if i < len(projects) else None

    def firm(i):
        p = project(i)
        return p.enterprise if p is not None else (qiye if i == 0 and qiye else firms[i % len(firms)])

    # A — 社会投资, in progress, with a 帮办员 and most states
    a = demo.open("A", "社会投资", start=45, project=project(0), enterprise=firm(0),
                  title=None if project(0) else "智能终端产业园（一期）", area_assessment=True)
    case_assign_agent(user=None, case=a, agent=users["tzcj"], message="演示数据")
    demo.cases["A"].refresh_from_db()
    agent = users["tzcj"]
    demo.straight("A", "filing", 45, 45, receiver=agent)
    demo.straight("A", "site", 43, 40, receiver=agent)
    demo.straight("A", "land_planning", 39, 32)  # 5 WD limit, 7 used: 逾期办结
    demo.straight("A", "design_scheme", 30)
    demo.act("A", "design_scheme", "correction_start", 28, note="补充日照分析报告")
    demo.act("A", "design_scheme", "correction_end", 24, by=agent, note="帮办员代为提交补正材料")
    demo.act("A", "design_scheme", "decide", 20, outcome="通过")
    demo.straight("A", "construction_planning", 19, 17, mode="告知承诺")  # 核查 due in 3 WD
    demo.straight("A", "drawing_review", 10)
    demo.act("A", "drawing_review", "special_start", 6, reason="特别程序", waiting_on="部门", note="超限高层专家评审")
    demo.straight("A", "eia_report", 6, mode="告知承诺")  # 7 WD limit, 6 used: 预警
    demo.act("A", "utilities", "receive", 4, by=agent)
    demo.act("A", "utilities", "accept", 4, mode="容缺", deferred=["建设工程规划许可证"])
    demo.act("A", "utilities", "decide", 2, outcome="容缺通过")  # certificate held, supplement due in 3 WD

    # B — 政府投资: a refusal blocks what depends on it
    demo.open("B", "政府投资", start=70, project=project(1), enterprise=firm(1),
              title=None if project(1) else "科学城第二中学新建工程")
    demo.straight("B", "site", 70, 66)
    demo.straight("B", "feasibility", 65, 50, outcome="不予许可")
    demo.straight("B", "land_planning", 64, 60)
    demo.act("B", "design_scheme", "receive", 48)
    demo.straight("B", "eia_report", 30)
    demo.act("B", "eia_report", "correction_start", 25, note="补充环境质量现状监测数据")
    demo.act("B", "utilities", "receive", 40)
    demo.act("B", "utilities", "withdraw", 39, note="申请人撤回，待设计方案确定后重新申报")

    # C — 带方案出让: a failed 告知承诺 verification revokes the permit and flags the drawing review
    demo.open("C", "带方案出让", start=50, project=project(2), enterprise=firm(2),
              title=None if project(2) else "新能源电池研发中心")
    demo.straight("C", "filing", 50, 50)
    demo.straight("C", "land_planning", 49, 45)
    demo.straight("C", "construction_planning", 44, 42, mode="告知承诺")
    demo.straight("C", "drawing_review", 40)  # 10 WD limit, never decided: 逾期
    obligation_resolve(user=None, obligation=demo.obligation("C", "construction_planning", ObligationKind.VERIFICATION),
                       outcome="failed", on=demo.wd(21), note="实地核查：建筑退线与承诺不符", message="演示数据")

    # D — 社会投资: a missed 容缺 supplement terminates the item
    demo.open("D", "社会投资", start=35, project=project(3), enterprise=firm(3),
              title=None if project(3) else "生物医药中试基地")
    demo.straight("D", "filing", 35, 35)
    demo.act("D", "site", "receive", 34)
    demo.act("D", "site", "accept", 34, mode="容缺", deferred=["土地权属证明材料"], due=demo.wd(32))
    demo.act("D", "site", "decide", 33, outcome="容缺通过")
    obligation_resolve(user=None, obligation=demo.obligation("D", "site", ObligationKind.RONGQUE),
                       outcome="missed", on=demo.wd(30), message="演示数据")
    demo.straight("D", "utilities", 20)  # 5 WD limit: 逾期
    demo.straight("D", "eia_report", 2)  # 正常

    # E — 简易低风险, done within its target
    demo.open("E", "简易低风险", start=25, project=project(4), enterprise=firm(4),
              title=None if project(4) else "研发楼装修改造（简易低风险）")
    demo.straight("E", "filing", 25, 25)
    demo.straight("E", "low_risk_permit", 24, 22)
    demo.straight("E", "eia_registration", 24, 24)
    demo.straight("E", "utilities", 24, 20)
    demo.straight("E", "low_risk_acceptance", 19, 15)

    # F — 企业变更一件事 for the demo enterprise: delivered once, when the last item is decided
    bundle = BundleDef.objects.get(catalog=demo.catalog, code="enterprise_change")
    enterprise = qiye or firms[0]
    demo.cases["F"] = bundle_open(
        user=None, zone=zone, department=departments["zwzx"], bundle=bundle, enterprise=enterprise,
        start_date=demo.wd(8), code="SP-DEMO-F", message="演示数据", form_data={
            "uscc": enterprise.uscc, "old_name": enterprise.name, "new_name": _new_name(enterprise.name),
            "legal_representative": "王建国", "phone": "023-65880000"})
    for code, day in (("seal_filing", 8), ("tax_info_change", 8), ("name_change", 7), ("bank_account_change", 7)):
        demo.act("F", code, "decide", day, by=None, outcome="通过")

    sender = Notifier({
        ChannelKind.EMAIL: EmailBackend(connection=get_connection("django.core.mail.backends.locmem.EmailBackend")),
        ChannelKind.WECOM: OfflineBackend(),
        ChannelKind.DINGTALK: OfflineBackend(),
    })
    notices_scan(zone=zone, today=today, sender=sender, backoff=0)
    for case in demo.cases.values():
        case.refresh_from_db()
    return demo.cases
