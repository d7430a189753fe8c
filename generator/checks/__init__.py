"""Every check run before a document is built (§6 and issue 9), one module per family:

- ``identities``: the identities §6 names (sums, levels, 公开02/03 vs 01, 04 vs 05/08/09, 05 vs 06, 07);
- ``links``: the cross-table links beyond §6 (公开01 vs 04, 02 vs 04, 08 vs 01/04, parts ≤ wholes);
- ``prior``: 上年数, internally and against this year's structure;
- ``other``: 其他事项 against the tables; ``performance``: 绩效;
- ``sanity``: owner lines, 年度, 金额单位, negatives and whole counts.

Errors stop the build; warnings do not. Findings come out errors first, then in check order.
"""

from __future__ import annotations

from ..model import TableKind, UnitAccounts
from . import claims, content, identities, links, other, performance, prior, sanity
from .core import CENT, ZERO, Checker, Finding, Term, fmt

__all__ = ["run_checks", "has_errors", "Finding", "Checker", "Term", "CENT", "ZERO", "fmt"]


def run_checks(m: UnitAccounts) -> list[Finding]:
    """All identities of §6, the reviewer's checks of issue 9, and the consistency checks of §5."""
    ck = Checker()
    sanity.check_owner(ck, m)
    identities.check_summary(ck, m.summary)
    for kind in (TableKind.income, TableKind.expenditure, TableKind.gpb_expenditure, TableKind.gov_fund, TableKind.state_capital):
        t = m.table(kind)
        if t is not None:
            identities.check_subject_table(ck, t)
    identities.check_income_vs_summary(ck, m)
    identities.check_expenditure_vs_summary(ck, m)
    identities.check_fiscal_summary(ck, m)
    identities.check_basic(ck, m)
    identities.check_sangong(ck, m)
    identities.check_negatives(ck, m)
    identities.check_negative_basic(ck, m)
    identities.check_names(ck, m)
    links.run(ck, m)
    prior.run(ck, m)
    other.run(ck, m)
    performance.run(ck, m)
    sanity.check_year(ck, m)
    sanity.check_amount_units(ck, m)
    sanity.check_negatives(ck, m)
    sanity.check_whole_counts(ck, m)
    content.check_content(ck, m)  # the workbook's own texts and typed totals
    claims.run(ck, m)  # what the texts and typed figures claim against the tables
    return sorted(ck.findings, key=lambda f: f.level != "error")


def has_errors(findings: list[Finding]) -> bool:
    return any(f.level == "error" for f in findings)
