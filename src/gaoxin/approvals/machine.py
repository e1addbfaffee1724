"""The state machine of one approval item (approvals.md §1.4, §5.4): a transition table, no Django import.

States are the values of `models.ItemState` (the national SPGL vocabulary), actions are plain names:

    待启动 -receive-> 收件 -accept(mode 一般/容缺/告知承诺)-> 受理
    收件 -withdraw-> 撤回
    受理 -correction_start-> 补正 -correction_end-> 受理          (the clock pauses, waiting on the applicant)
    受理 -special_start-> 特别程序 -special_end-> 受理            (听证/检验/检测/鉴定/专家评审, 中介; paused)
    受理 -extend-> 受理                                         (adds an extension segment)
    受理 -decide(通过 | 容缺通过 (mode 容缺 only) | 不予许可)-> the outcome (terminal)
    受理 / 补正 / 特别程序 -withdraw-> 撤回
    通过 / 容缺通过 -revoke-> 撤销
    容缺通过 (and an open 容缺 item) -terminate-> 终止             (its 容缺 obligation was missed)
    待启动 -waive-> 免办                                        (covered by the zone's 区域评估)

`terminate` is not in the brief's table for an undecided item; it is here because approvals.md §2.1 says a
容缺 case whose supplement deadline passes "is terminated" whether or not the decision was already made.

Prerequisites (`missing_prerequisites`): an item is accepted only when every required item is decided
通过 / 容缺通过 or 免办. Pre-review (预审, the 拿地即开工 practice of reviewing later items before their
prerequisites exist) is deliberately not modelled: it would be a separate non-binding state, and the
reform's formal acceptance stays gated.

Messages are in Chinese here (like core.workcal) because the module must stay free of Django; the services
show them as they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# models.ItemState values (kept equal by tests/approvals/test_machine.py)
WAITING = "待启动"
RECEIVED = "收件"
ACCEPTED = "受理"
CORRECTION = "补正"
SPECIAL = "特别程序"
APPROVED = "通过"
APPROVED_DEFICIENT = "容缺通过"
REFUSED = "不予许可"
WITHDRAWN = "撤回"
REVOKED = "撤销"
TERMINATED = "终止"
WAIVED = "免办"

STATES = (WAITING, RECEIVED, ACCEPTED, CORRECTION, SPECIAL, APPROVED, APPROVED_DEFICIENT, REFUSED, WITHDRAWN,
          REVOKED, TERMINATED, WAIVED)

# models.ItemMode values
NORMAL = "一般"
RONGQUE = "容缺"
COMMITMENT = "告知承诺"
MODES = (NORMAL, RONGQUE, COMMITMENT)

RECEIVE = "receive"
ACCEPT = "accept"
CORRECTION_START = "correction_start"
CORRECTION_END = "correction_end"
SPECIAL_START = "special_start"
SPECIAL_END = "special_end"
EXTEND = "extend"
DECIDE = "decide"
WITHDRAW = "withdraw"
REVOKE = "revoke"
TERMINATE = "terminate"
WAIVE = "waive"

ACTIONS = (RECEIVE, ACCEPT, CORRECTION_START, CORRECTION_END, SPECIAL_START, SPECIAL_END, EXTEND, DECIDE, WITHDRAW,
           REVOKE, TERMINATE, WAIVE)

# What the applicant side does (submit, supplement, withdraw): a 帮办员 may do these for the applicant.
APPLICANT_ACTIONS = frozenset({RECEIVE, CORRECTION_END, WITHDRAW})
# Everything else is the handling department's.
DEPARTMENT_ACTIONS = frozenset(ACTIONS) - APPLICANT_ACTIONS

DECISIONS = (APPROVED, APPROVED_DEFICIENT, REFUSED)
# The legal clock runs (or is paused) in these states.
OPEN_STATES = frozenset({ACCEPTED, CORRECTION, SPECIAL})
DECIDED_STATES = frozenset({APPROVED, APPROVED_DEFICIENT, REFUSED})
# A prerequisite is satisfied by these (the result document exists, or the item is not needed).
SATISFYING_STATES = frozenset({APPROVED, APPROVED_DEFICIENT, WAIVED})
TERMINAL_STATES = frozenset({APPROVED, APPROVED_DEFICIENT, REFUSED, WITHDRAWN, REVOKED, TERMINATED, WAIVED})

ACTION_LABELS = {
    RECEIVE: "收件",
    ACCEPT: "受理",
    CORRECTION_START: "补正（开始）",
    CORRECTION_END: "补正（结束）",
    SPECIAL_START: "特别程序（开始）",
    SPECIAL_END: "特别程序（结束）",
    EXTEND: "延长时限",
    DECIDE: "办结",
    WITHDRAW: "撤回",
    REVOKE: "撤销",
    TERMINATE: "终止",
    WAIVE: "免办",
}


class TransitionError(ValueError):
    """A move the table does not allow; the message (Chinese) names the state and the action."""


@dataclass(frozen=True)
class _Rule:
    to: str | None  # None: the outcome decides (decide), or the state stays (extend)
    modes: frozenset[str] = frozenset(MODES)  # modes in which the move is allowed


_TABLE: dict[tuple[str, str], _Rule] = {
    (WAITING, RECEIVE): _Rule(RECEIVED),
    (WAITING, WAIVE): _Rule(WAIVED),
    (RECEIVED, ACCEPT): _Rule(ACCEPTED),
    (RECEIVED, WITHDRAW): _Rule(WITHDRAWN),
    (ACCEPTED, CORRECTION_START): _Rule(CORRECTION),
    (CORRECTION, CORRECTION_END): _Rule(ACCEPTED),
    (ACCEPTED, SPECIAL_START): _Rule(SPECIAL),
    (SPECIAL, SPECIAL_END): _Rule(ACCEPTED),
    (ACCEPTED, EXTEND): _Rule(ACCEPTED),
    (ACCEPTED, DECIDE): _Rule(None),
    (ACCEPTED, WITHDRAW): _Rule(WITHDRAWN),
    (CORRECTION, WITHDRAW): _Rule(WITHDRAWN),
    (SPECIAL, WITHDRAW): _Rule(WITHDRAWN),
    (APPROVED, REVOKE): _Rule(REVOKED),
    (APPROVED_DEFICIENT, REVOKE): _Rule(REVOKED),
    (APPROVED_DEFICIENT, TERMINATE): _Rule(TERMINATED, frozenset({RONGQUE})),
    (ACCEPTED, TERMINATE): _Rule(TERMINATED, frozenset({RONGQUE})),
    (CORRECTION, TERMINATE): _Rule(TERMINATED, frozenset({RONGQUE})),
    (SPECIAL, TERMINATE): _Rule(TERMINATED, frozenset({RONGQUE})),
}


def _label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


def allowed_actions(state: str, mode: str = NORMAL) -> list[str]:
    """The actions the table allows from `state` for an item handled in `mode`, in ACTIONS order."""
    return [a for a in ACTIONS if (rule := _TABLE.get((state, a))) is not None and mode in rule.modes]


def allowed_outcomes(mode: str) -> tuple[str, ...]:
    """The decisions open to an item handled in `mode`: 容缺通过 only for a 容缺 acceptance."""
    return DECISIONS if mode == RONGQUE else (APPROVED, REFUSED)


def next_state(state: str, action: str, mode: str = NORMAL, outcome: str | None = None) -> str:
    """The state after `action`, or TransitionError naming the state and the action.

    For `accept`, `mode` is the mode of the acceptance; for `decide`, `outcome` is the decision.
    """
    if state not in STATES:
        raise TransitionError(f"未知的事项状态“{state}”。")
    if action not in ACTIONS:
        raise TransitionError(f"未知的办理操作“{action}”。")
    if mode not in MODES:
        raise TransitionError(f"未知的办理方式“{mode}”，应为：{'、'.join(MODES)}。")
    rule = _TABLE.get((state, action))
    if rule is None:
        allowed = "、".join(_label(a) for a in allowed_actions(state, mode)) or "无"
        raise TransitionError(f"事项当前为“{state}”，不能执行“{_label(action)}”（可执行：{allowed}）。")
    if mode not in rule.modes:
        raise TransitionError(
            f"事项当前为“{state}”（{mode}办理），不能执行“{_label(action)}”：仅适用于{'、'.join(rule.modes)}受理的事项。")
    if action == DECIDE:
        if outcome not in DECISIONS:
            raise TransitionError(f"事项当前为“{state}”，办结须选择结果：{'、'.join(DECISIONS)}。")
        if outcome not in allowed_outcomes(mode):
            raise TransitionError(f"事项当前为“{state}”（{mode}办理），不能以“{outcome}”办结：“容缺通过”仅适用于容缺受理的事项。")
        return outcome
    return rule.to


def missing_prerequisites(requires: Iterable[str], states: Mapping[str, str]) -> list[str]:
    """The required items (codes, in the given order) that do not yet allow acceptance.

    `states` maps a code to its current state; a code absent from it (not part of the case) is missing too.
    """
    return [code for code in requires if states.get(code) not in SATISFYING_STATES]


def check_prerequisites(requires: Iterable[str], states: Mapping[str, str],
                        names: Mapping[str, str] | None = None) -> None:
    """Raise TransitionError listing the required items that are not yet 通过 / 容缺通过 / 免办."""
    missing = missing_prerequisites(requires, states)
    if missing:
        names = names or {}
        listed = "、".join(f"“{names.get(c, c)}”（{states.get(c, '不在本办件')}）" for c in missing)
        raise TransitionError(f"前置事项尚未办结通过，不能受理：{listed}。")


def effective_requires(requires: Mapping[str, Iterable[str]], present: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """The prerequisites that apply inside a case holding the items `present`.

    `requires` is the catalog's DAG (code → required codes). A required item that the case's route does not
    contain is bypassed: its own prerequisites apply instead, recursively (seed.py: one DAG serves every
    project type). Order follows the catalog's lists, first occurrence kept.
    """
    present = list(dict.fromkeys(present))
    inside = set(present)
    result: dict[str, tuple[str, ...]] = {}
    for code in present:
        found: list[str] = []
        seen: set[str] = {code}
        stack = list(reversed(list(requires.get(code, ()))))
        while stack:
            req = stack.pop()
            if req in seen:
                continue
            seen.add(req)
            if req in inside:
                found.append(req)
            else:
                stack.extend(reversed(list(requires.get(req, ()))))
        result[code] = tuple(found)
    return result
