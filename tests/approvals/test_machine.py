"""The item state machine: every (state, action) pair of the table, allowed or refused, and prerequisites."""

import itertools

import pytest

from gaoxin.approvals import machine as m
from gaoxin.approvals.models import ItemMode, ItemState

# (state, action, mode, outcome) → expected next state. Everything not listed here must be refused.
ALLOWED = {
    (m.WAITING, m.RECEIVE): m.RECEIVED,
    (m.WAITING, m.WAIVE): m.WAIVED,
    (m.RECEIVED, m.ACCEPT): m.ACCEPTED,
    (m.RECEIVED, m.WITHDRAW): m.WITHDRAWN,
    (m.ACCEPTED, m.CORRECTION_START): m.CORRECTION,
    (m.CORRECTION, m.CORRECTION_END): m.ACCEPTED,
    (m.ACCEPTED, m.SPECIAL_START): m.SPECIAL,
    (m.SPECIAL, m.SPECIAL_END): m.ACCEPTED,
    (m.ACCEPTED, m.EXTEND): m.ACCEPTED,
    (m.ACCEPTED, m.WITHDRAW): m.WITHDRAWN,
    (m.CORRECTION, m.WITHDRAW): m.WITHDRAWN,
    (m.SPECIAL, m.WITHDRAW): m.WITHDRAWN,
    (m.APPROVED, m.REVOKE): m.REVOKED,
    (m.APPROVED_DEFICIENT, m.REVOKE): m.REVOKED,
}
# Only for items accepted under 容缺 (the obligation was missed).
RONGQUE_ONLY = {
    (m.ACCEPTED, m.TERMINATE): m.TERMINATED,
    (m.CORRECTION, m.TERMINATE): m.TERMINATED,
    (m.SPECIAL, m.TERMINATE): m.TERMINATED,
    (m.APPROVED_DEFICIENT, m.TERMINATE): m.TERMINATED,
}


def test_vocabulary_matches_the_models():
    assert set(m.STATES) == set(ItemState.values)
    assert set(m.MODES) == set(ItemMode.values)


PAIRS = [(s, a, mode) for s, a, mode in itertools.product(m.STATES, m.ACTIONS, m.MODES) if a != m.DECIDE]


@pytest.mark.parametrize(("state", "action", "mode"), PAIRS)
def test_every_pair_of_the_table(state, action, mode):
    expected = ALLOWED.get((state, action))
    if expected is None and mode == m.RONGQUE:
        expected = RONGQUE_ONLY.get((state, action))
    if expected is None:
        with pytest.raises(m.TransitionError) as exc:
            m.next_state(state, action, mode)
        # the message names the state and the action
        assert f"“{state}”" in str(exc.value)
        assert m.ACTION_LABELS[action] in str(exc.value)
        assert action not in m.allowed_actions(state, mode)
    else:
        assert m.next_state(state, action, mode) == expected
        assert action in m.allowed_actions(state, mode)


@pytest.mark.parametrize("mode", m.MODES)
@pytest.mark.parametrize("outcome", [m.APPROVED, m.APPROVED_DEFICIENT, m.REFUSED])
def test_decide_outcomes(mode, outcome):
    if outcome == m.APPROVED_DEFICIENT and mode != m.RONGQUE:
        with pytest.raises(m.TransitionError, match="容缺通过"):
            m.next_state(m.ACCEPTED, m.DECIDE, mode, outcome)
    else:
        assert m.next_state(m.ACCEPTED, m.DECIDE, mode, outcome) == outcome


@pytest.mark.parametrize("state", [s for s in m.STATES if s != m.ACCEPTED])
def test_decide_only_from_accepted(state):
    with pytest.raises(m.TransitionError, match=f"“{state}”"):
        m.next_state(state, m.DECIDE, m.NORMAL, m.APPROVED)


@pytest.mark.parametrize("outcome", [None, "", "同意", m.WITHDRAWN])
def test_decide_needs_a_decision(outcome):
    with pytest.raises(m.TransitionError, match="办结须选择结果"):
        m.next_state(m.ACCEPTED, m.DECIDE, m.NORMAL, outcome)


def test_unknown_names_are_refused_in_chinese():
    with pytest.raises(m.TransitionError, match="未知的事项状态"):
        m.next_state("审核中", m.ACCEPT)
    with pytest.raises(m.TransitionError, match="未知的办理操作"):
        m.next_state(m.RECEIVED, "approve")
    with pytest.raises(m.TransitionError, match="未知的办理方式"):
        m.next_state(m.RECEIVED, m.ACCEPT, "加急")


def test_terminal_states_allow_only_revoke_or_terminate():
    for state in m.TERMINAL_STATES:
        extra = set(m.allowed_actions(state, m.RONGQUE))
        assert extra <= {m.REVOKE, m.TERMINATE}, state
    assert m.allowed_actions(m.REFUSED, m.RONGQUE) == []
    assert m.allowed_actions(m.WITHDRAWN) == []


def test_applicant_and_department_actions_partition_the_actions():
    assert m.APPLICANT_ACTIONS == {m.RECEIVE, m.CORRECTION_END, m.WITHDRAW}
    assert m.APPLICANT_ACTIONS | m.DEPARTMENT_ACTIONS == set(m.ACTIONS)
    assert not m.APPLICANT_ACTIONS & m.DEPARTMENT_ACTIONS


def test_prerequisites_listed_when_missing():
    states = {"filing": m.APPROVED, "site": m.ACCEPTED, "eia": m.WAIVED, "plan": m.APPROVED_DEFICIENT,
              "x": m.REVOKED}
    assert m.missing_prerequisites(["filing", "eia", "plan"], states) == []
    assert m.missing_prerequisites(["site", "filing", "x", "nope"], states) == ["site", "x", "nope"]
    with pytest.raises(m.TransitionError) as exc:
        m.check_prerequisites(["filing", "site", "x"], states, {"site": "用地预审与选址意见书"})
    text = str(exc.value)
    assert "“用地预审与选址意见书”（受理）" in text and "“x”（撤销）" in text and "filing" not in text
    m.check_prerequisites([], states)
    m.check_prerequisites(["filing", "eia"], states)


def test_effective_requires_bypasses_items_outside_the_case():
    dag = {"site": ["filing"], "land": ["site"], "design": ["land", "feas"], "feas": ["site"],
           "plan": ["design"], "permit": ["plan", "eia"], "eia": []}
    # 带方案出让-like: no site, no design, no feasibility
    got = m.effective_requires(dag, ["filing", "land", "plan", "permit", "eia"])
    assert got == {"filing": (), "land": ("filing",), "plan": ("land", "filing"), "permit": ("plan", "eia"),
                   "eia": ()}
    # full chain: nothing bypassed
    full = m.effective_requires(dag, ["filing", "site", "land", "feas", "design"])
    assert full["design"] == ("land", "feas") and full["feas"] == ("site",)
