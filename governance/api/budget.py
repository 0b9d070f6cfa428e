"""/api/v1/fiscal-years/{fy}/budget: the monthly spending plan and actual disbursement."""

from __future__ import annotations

from governance.api.auth import READERS, WRITERS, token_required
from governance.api.blueprint import bp
from governance.api.parsing import parse_body
from governance.api.schemas import Budget, BudgetRequest, check_fiscal_year, commit, respond
from governance.services import budget


@bp.get("/fiscal-years/<int:fiscal_year>/budget")
@token_required(*READERS)
def get_budget(fiscal_year: int):
    check_fiscal_year(fiscal_year)
    return respond(Budget.of(fiscal_year, budget.get_budget(fiscal_year)))


@bp.put("/fiscal-years/<int:fiscal_year>/budget")
@token_required(*WRITERS)
def replace_budget(fiscal_year: int):
    check_fiscal_year(fiscal_year)
    body = parse_body(BudgetRequest)
    # The answer is what this request wrote: built before the commit, since a save racing
    # right behind it may delete these rows before they would be read again.
    answer = Budget.of(fiscal_year, budget.replace_budget(fiscal_year, body.to_input()))
    commit()
    return respond(answer)
