"""Land units: 1 亩 = 10000/15 m² exactly."""

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from gaoxin.core.units import M2_PER_MU, m2_to_mu, mu_to_m2

D = Decimal


def test_one_mu_is_ten_thousand_fifteenths_of_a_square_metre():
    assert abs(Fraction(M2_PER_MU) - Fraction(10000, 15)) < Fraction(1, 10**20)
    assert mu_to_m2(1, places=4) == D("666.6667")
    assert m2_to_mu(10000) == D("15.00")  # one hectare
    assert mu_to_m2(15) == D("10000.00")


def test_known_values():
    assert m2_to_mu(D("666.67")) == D("1.00")
    assert m2_to_mu("6666.67") == D("10.00")
    assert m2_to_mu(D("100")) == D("0.15")
    assert m2_to_mu(D("1000"), places=4) == D("1.5000")
    assert m2_to_mu(0) == D("0.00")


def test_rounds_half_up():
    assert m2_to_mu(D("3.3333"), places=4) == D("0.0050")  # 0.00499995 → 0.0050
    assert m2_to_mu(D("10"), places=3) == D("0.015")
    assert m2_to_mu(D("3.3"), places=2) == D("0.00")  # 0.00495
    assert m2_to_mu(D("3.34"), places=2) == D("0.01")  # 0.00501


@given(st.decimals(min_value=0, max_value=10**7, places=2))
def test_mu_round_trip_is_exact_at_two_decimals(mu):
    assert m2_to_mu(mu_to_m2(mu)) == mu


@given(st.decimals(min_value=0, max_value=10**8, places=2))
def test_m2_round_trip_stays_within_rounding(m2):
    back = mu_to_m2(m2_to_mu(m2, places=6))
    assert abs(back - m2) <= D("0.01")
    assert abs(mu_to_m2(m2_to_mu(m2)) - m2) <= D("0.005") * M2_PER_MU + D("0.005")
