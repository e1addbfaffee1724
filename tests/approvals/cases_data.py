"""Shared test data for the approval cases (also used by the scan/notices and statistics tests: keep STABLE).

`build_cases(world)` takes the `world` fixture's zone t1, adds the default departments the catalog needs
(gfj 改革发展局, jsj 建设局, zwzx 政务服务中心; jxj and tzcj exist already), installs the default catalog,
adds four staff users and opens three cases through the real services, with dates around 2025 National
Day (holidays 10-01…10-08, make-up workdays Sunday 09-28 and Saturday 10-11).

At TODAY = 2025-10-20 (pass it as `today` to item_refresh_clock / the scan) the items read:

case "social" — 社会投资 route, enterprise a1 (user ent_a1 sees it), opened 2025-09-01 by staff_zwzx with
区域评估 on, 帮办员 agent_zwzx:
  filing               通过 on 09-01, limit 0                          → 按期办结
  site                 容缺 accepted 09-02 (土地权属证明材料, obligation due 09-09), 容缺通过 09-05
                       → 按期办结, certificate held, obligation OPEN and past due at TODAY
  land_planning        accepted 09-24, 补正 09-25…10-13, limit 5 → due 10-20 → 预警 (remaining 0)
  eia_report           告知承诺 accepted 10-14, limit 7 → due 10-23, used 4 → 正常
  energy               免办 (区域评估)
  utilities            收件 09-01 by the agent (as_agent)                → no clock
  every other item     待启动
case "low_risk" — 简易低风险 route, enterprise b1, opened 2025-09-22 by staff_zwzx:
  filing               通过 09-22                                      → 按期办结
  eia_registration     accepted 09-23, limit 0, decided 09-24          → 逾期办结
  low_risk_permit      accepted 09-26, limit 3 → due 09-30 (09-28 counts) → 逾期 at TODAY
  utilities            收件 09-22, 撤回 09-23
  low_risk_acceptance  待启动
case "bundle" — 企业变更一件事, enterprise a2, opened 2025-10-09 by staff_zwzx (all items accepted 10-09):
  name_change          通过 10-10 (limit 1 → due 10-10)                → 按期办结
  seal_filing          通过 10-09 (limit 0)                            → 按期办结
  bank_account_change  通过 10-10 (limit 1)                            → 按期办结
  tax_info_change      open, limit 0 → due 10-09                       → 逾期 at TODAY; case not delivered

Usage:
    data = build_cases(world)
    data.item("social", "site"); data.cases["bundle"]; data.users["staff_jsj"]; data.depts["zwzx"]
"""

import datetime as dt
from dataclasses import dataclass, field

from gaoxin.accounts.models import Department
from gaoxin.approvals.models import ApprovalCase, BundleDef, Catalog, ItemInstance, RouteTemplate
from gaoxin.approvals.services.cases import bundle_open, case_assign_agent, case_open, item_act
from gaoxin.approvals.services.catalog import catalog_install_default
from gaoxin.core.permissions import Role
from tests.factories import World, make_user

TODAY = dt.date(2025, 10, 20)
D = dt.date


@dataclass
class CasesData:
    world: World
    catalog: Catalog
    depts: dict[str, Department] = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    cases: dict[str, ApprovalCase] = field(default_factory=dict)
    today: dt.date = TODAY

    def item(self, case: str, code: str) -> ItemInstance:
        return ItemInstance.objects.get(case=self.cases[case], code=code)

    def route(self, project_type: str) -> RouteTemplate:
        return RouteTemplate.objects.get(catalog=self.catalog, project_type=project_type)

    def bundle(self, code: str = "enterprise_change") -> BundleDef:
        return BundleDef.objects.get(catalog=self.catalog, code=code)


def add_departments(world: World) -> dict[str, Department]:
    """The zone's departments by code, creating the defaults the catalog needs."""
    names = {"gfj": "改革发展局", "jsj": "建设局", "zwzx": "政务服务中心"}
    for code, name in names.items():
        Department.objects.get_or_create(zone=world.zone, code=code, defaults={"name": name})
    return {d.code: d for d in Department.objects.filter(zone=world.zone)}


def build_catalog(world: World) -> tuple[Catalog, dict[str, Department], dict]:
    """Departments, the default catalog and one staff user per catalog department (no cases)."""
    depts = add_departments(world)
    catalog = catalog_install_default(zone=world.zone)
    users = dict(world.users)
    for code in ("gfj", "jsj", "zwzx"):
        users[f"staff_{code}"] = make_user(f"staff_{code}", zone=world.zone, role=Role.DEPARTMENT_STAFF,
                                           department=depts[code])
    users["agent_zwzx"] = make_user("agent_zwzx", zone=world.zone, role=Role.DEPARTMENT_STAFF,
                                    department=depts["zwzx"])
    return catalog, depts, users


def _act(data: CasesData, case: str, code: str, user: str, action: str, on: dt.date, **fields):
    return item_act(user=data.users[user], item=data.item(case, code), action=action, on=on, **fields)


def build_cases(world: World) -> CasesData:
    catalog, depts, users = build_catalog(world)
    data = CasesData(world=world, catalog=catalog, depts=depts, users=users)
    zwzx = users["staff_zwzx"]

    # -- social: 社会投资, 区域评估 on, an agent --------------------------------------------------------
    data.cases["social"] = case_open(user=zwzx, route=data.route("社会投资"), title="智能装备产业园一期",
                                     start_date=D(2025, 9, 1), enterprise=world.enterprises["a1"],
                                     area_assessment=True, code="SP-SOCIAL")
    case_assign_agent(user=zwzx, case=data.cases["social"], agent=users["agent_zwzx"])
    data.cases["social"].refresh_from_db()
    _act(data, "social", "filing", "staff_gfj", "receive", D(2025, 9, 1))
    _act(data, "social", "filing", "staff_gfj", "accept", D(2025, 9, 1))
    _act(data, "social", "filing", "staff_gfj", "decide", D(2025, 9, 1), outcome="通过")
    _act(data, "social", "utilities", "agent_zwzx", "receive", D(2025, 9, 1))
    _act(data, "social", "site", "staff_jsj", "receive", D(2025, 9, 2))
    _act(data, "social", "site", "staff_jsj", "accept", D(2025, 9, 2), mode="容缺", deferred=["土地权属证明材料"])
    _act(data, "social", "site", "staff_jsj", "decide", D(2025, 9, 5), outcome="容缺通过")
    _act(data, "social", "land_planning", "staff_jsj", "receive", D(2025, 9, 24))
    _act(data, "social", "land_planning", "staff_jsj", "accept", D(2025, 9, 24))
    _act(data, "social", "land_planning", "staff_jsj", "correction_start", D(2025, 9, 25), note="补充界址点坐标")
    _act(data, "social", "land_planning", "staff_jsj", "correction_end", D(2025, 10, 13))
    _act(data, "social", "eia_report", "staff_jsj", "receive", D(2025, 10, 14))
    _act(data, "social", "eia_report", "staff_jsj", "accept", D(2025, 10, 14), mode="告知承诺")

    # -- low_risk: 简易低风险 --------------------------------------------------------------------------
    data.cases["low_risk"] = case_open(user=zwzx, route=data.route("简易低风险"), title="研发楼改造（简易低风险）",
                                       start_date=D(2025, 9, 22), enterprise=world.enterprises["b1"],
                                       code="SP-LOWRISK")
    _act(data, "low_risk", "filing", "staff_gfj", "receive", D(2025, 9, 22))
    _act(data, "low_risk", "filing", "staff_gfj", "accept", D(2025, 9, 22))
    _act(data, "low_risk", "filing", "staff_gfj", "decide", D(2025, 9, 22), outcome="通过")
    _act(data, "low_risk", "utilities", "staff_zwzx", "receive", D(2025, 9, 22))
    _act(data, "low_risk", "utilities", "staff_zwzx", "withdraw", D(2025, 9, 23), note="申请人撤回")
    _act(data, "low_risk", "eia_registration", "staff_jsj", "receive", D(2025, 9, 23))
    _act(data, "low_risk", "eia_registration", "staff_jsj", "accept", D(2025, 9, 23))
    _act(data, "low_risk", "eia_registration", "staff_jsj", "decide", D(2025, 9, 24), outcome="通过")
    _act(data, "low_risk", "low_risk_permit", "staff_jsj", "receive", D(2025, 9, 26))
    _act(data, "low_risk", "low_risk_permit", "staff_jsj", "accept", D(2025, 9, 26))

    # -- bundle: 企业变更一件事 -----------------------------------------------------------------------
    a2 = world.enterprises["a2"]
    data.cases["bundle"] = bundle_open(user=zwzx, bundle=data.bundle(), enterprise=a2, start_date=D(2025, 10, 9),
                                       code="SP-BUNDLE", form_data={
                                           "uscc": a2.uscc, "old_name": a2.name, "new_name": "测试智造科技有限公司",
                                           "legal_representative": "张三", "phone": "023-12345678"})
    _act(data, "bundle", "seal_filing", "staff_zwzx", "decide", D(2025, 10, 9), outcome="通过")
    _act(data, "bundle", "name_change", "staff_zwzx", "decide", D(2025, 10, 10), outcome="通过")
    _act(data, "bundle", "bank_account_change", "staff_zwzx", "decide", D(2025, 10, 10), outcome="通过")
    for key in data.cases:
        data.cases[key].refresh_from_db()
    return data
