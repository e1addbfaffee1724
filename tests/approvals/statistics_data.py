"""Hand-made cases for the approval statistics (numbers worked out by hand in the docstring).

On the default catalog (tests/approvals/cases_data.build_catalog), through the real services:

SP-A 简易低风险, done: first acceptance 11-03, last decision 11-14 → (11-03, 11-14] = 9 WD ≤ target 15
  filing               gfj  accepted/decided 11-03, limit 0                    used 0  按期  stage 1
  low_risk_permit      jsj  告知承诺 accepted 11-04, decided 11-06, limit 3     used 2  按期  stage 3
                            (verification due 11-20, met 11-10)
  eia_registration     jsj  accepted/decided 11-04, limit 0                    used 0  按期  stage 5
  utilities            zwzx 容缺 accepted 11-05 (due 11-10, met 11-07), decided 11-12, limit 5
                                                                              used 5  按期  stage 5
  low_risk_acceptance  jsj  accepted 11-07, decided 11-14, limit 5             used 5  按期  stage 4
SP-B 简易低风险, done: first 08-01, last 09-05 → (08-01, 09-05] = 20 + 5 = 25 WD > 15
  filing               gfj  08-01, limit 0                                    used 0  按期  stage 1
  low_risk_permit      jsj  accepted 08-04, 补正 08-05…08-08, decided 08-29, limit 3 (due 08-13)
                            (08-04, 08-29] = 19 WD less the 4 paused            used 15 逾期办结 stage 3
  eia_registration, utilities: received 08-04, withdrawn 08-05
  low_risk_acceptance  jsj  accepted 09-01, decided 09-05, limit 5             used 4  按期  stage 4
SP-C 社会投资, open: first acceptance 10-09
  filing               gfj  10-09, limit 0                                    used 0  按期  stage 1
  site                 jsj  容缺 accepted 10-10 (obligation open), undecided
  At 2025-11-28: (10-09, 11-28] = 17 (Oct: 10, 11 make-up, 13–17, 20–24, 27–31) + 20 (Nov) = 37 WD ≤ 90

Window 2025-08…2025-11: 9 decided, 8 按期 1 逾期办结 (88.9 %), used 31 → 3.4 on average;
stage 1: 3 items, 0.0 / limit 0.0; stage 3: 2, 8.5 / 3.0, 50 %; stage 4: 2, 4.5 / 5.0; stage 5: 2, 2.5 / 2.5.
容缺: 2 accepted (1 met, 1 open); 告知承诺: 1 accepted (1 met). Finished cases: A 9 (within), B 25 (over) →
17.0 on average, 50 %; open: C 37.
"""

import datetime as dt

from gaoxin.approvals.models import Obligation, ObligationKind, RouteTemplate
from gaoxin.approvals.services.cases import case_open, item_act, obligation_resolve

from .cases_data import build_catalog

D = dt.date
AS_OF = D(2025, 11, 28)


def build_statistics(world):
    catalog, depts, users = build_catalog(world)

    def route(kind):
        return RouteTemplate.objects.get(catalog=catalog, project_type=kind)

    cases = {}

    def act(case, code, user, action, on, **fields):
        item = cases[case].items.get(code=code)
        return item_act(user=users[user], item=item, action=action, on=on, **fields)

    def straight(case, code, user, accepted, decided, **accept):
        act(case, code, user, "receive", accepted)
        act(case, code, user, "accept", accepted, **accept)
        if decided:
            act(case, code, user, "decide", decided, outcome="通过")

    zwzx = users["staff_zwzx"]
    cases["A"] = case_open(user=zwzx, route=route("简易低风险"), title="标准厂房改造", start_date=D(2025, 11, 3),
                           enterprise=world.enterprises["a1"], code="SP-A")
    straight("A", "filing", "staff_gfj", D(2025, 11, 3), D(2025, 11, 3))
    straight("A", "low_risk_permit", "staff_jsj", D(2025, 11, 4), D(2025, 11, 6), mode="告知承诺")
    straight("A", "eia_registration", "staff_jsj", D(2025, 11, 4), D(2025, 11, 4))
    act("A", "utilities", "staff_zwzx", "receive", D(2025, 11, 4))
    act("A", "utilities", "staff_zwzx", "accept", D(2025, 11, 5), mode="容缺", deferred=["建设工程规划许可证"],
        due=D(2025, 11, 10))
    obligation_resolve(user=users["staff_zwzx"], outcome="met", on=D(2025, 11, 7),
                       obligation=Obligation.objects.get(item__case=cases["A"], kind=ObligationKind.RONGQUE))
    act("A", "utilities", "staff_zwzx", "decide", D(2025, 11, 12), outcome="通过")
    straight("A", "low_risk_acceptance", "staff_jsj", D(2025, 11, 7), D(2025, 11, 14))
    obligation_resolve(user=users["staff_jsj"], outcome="met", on=D(2025, 11, 10),
                       obligation=Obligation.objects.get(item__case=cases["A"], kind=ObligationKind.VERIFICATION))

    cases["B"] = case_open(user=zwzx, route=route("简易低风险"), title="仓储中心扩建", start_date=D(2025, 8, 1),
                           enterprise=world.enterprises["b1"], code="SP-B")
    straight("B", "filing", "staff_gfj", D(2025, 8, 1), D(2025, 8, 1))
    straight("B", "low_risk_permit", "staff_jsj", D(2025, 8, 4), None)
    act("B", "low_risk_permit", "staff_jsj", "correction_start", D(2025, 8, 5))
    act("B", "low_risk_permit", "staff_jsj", "correction_end", D(2025, 8, 8))
    act("B", "low_risk_permit", "staff_jsj", "decide", D(2025, 8, 29), outcome="通过")
    for code in ("eia_registration", "utilities"):
        act("B", code, "staff_zwzx", "receive", D(2025, 8, 4))
        act("B", code, "staff_zwzx", "withdraw", D(2025, 8, 5), note="申请人撤回")
    straight("B", "low_risk_acceptance", "staff_jsj", D(2025, 9, 1), D(2025, 9, 5))

    cases["C"] = case_open(user=zwzx, route=route("社会投资"), title="新能源电池项目", start_date=D(2025, 10, 9),
                           enterprise=world.enterprises["a2"], code="SP-C")
    straight("C", "filing", "staff_gfj", D(2025, 10, 9), D(2025, 10, 9))
    straight("C", "site", "staff_jsj", D(2025, 10, 10), None, mode="容缺", deferred=["土地权属证明材料"])
    for case in cases.values():
        case.refresh_from_db()
    return cases, users, depts
