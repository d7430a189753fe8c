"""The one rounding rule for money (§5): two decimals, ROUND_HALF_UP.

It sits below every stage (intake, checks, figures, web) so each of them rounds the same way;
nothing here imports from the rest of the package.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def round_money(d: Decimal) -> Decimal:
    """An amount as printed: 0.01万元, ROUND_HALF_UP (2.665 → 2.67, -2.665 → -2.67)."""
    return d.quantize(CENT, rounding=ROUND_HALF_UP)
