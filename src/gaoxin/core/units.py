"""Land units. 1 亩 = 10000/15 m² exactly (1/15 hectare)."""

from decimal import ROUND_HALF_UP, Decimal

M2_PER_MU = Decimal(10000) / Decimal(15)


def m2_to_mu(m2: Decimal | int | float | str, *, places: int = 2) -> Decimal:
    mu = Decimal(str(m2)) * Decimal(15) / Decimal(10000)
    return mu.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def mu_to_m2(mu: Decimal | int | float | str, *, places: int = 2) -> Decimal:
    m2 = Decimal(str(mu)) * Decimal(10000) / Decimal(15)
    return m2.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
