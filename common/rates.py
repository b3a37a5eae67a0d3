"""Rates as the office writes them: a percentage rounded half-up to one decimal
(满意率 93.5%). The one rule for every figure that is a rate (the dashboard's, the
units' 汇总表)."""

from decimal import ROUND_HALF_UP, Decimal


def rate(numerator: int, denominator: int) -> float | None:
    """``numerator / denominator`` as a percentage rounded half-up to one decimal;
    None when there is nothing to divide by."""
    if not denominator:
        return None
    value = Decimal(100 * numerator) / Decimal(denominator)
    return float(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
