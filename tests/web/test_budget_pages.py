"""The fiscal year's monthly spending plan and actual disbursement."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from governance import fiscal
from governance.extensions import db
from governance.models import BudgetMonth
from governance.services import budget
from governance.web.budget import running_totals
from tests.web.pagetools import error_for, form_errors


def _blank_year() -> dict[str, str]:
    return {f"months-{i}-{kind}": "" for i in range(12) for kind in ("planned", "actual")}


def _saved() -> dict[str, tuple]:
    rows = db.session.scalars(sa.select(BudgetMonth).order_by(BudgetMonth.month))
    return {row.month: (row.planned, row.actual) for row in rows}


def test_the_year_has_twelve_months_october_first_in_thai(client, login):
    login("secretary")
    page = client.get("/budget/2563").get_data(as_text=True)
    assert 'lang="th"' in page and "ปีงบประมาณ 2563" in page
    assert page.index("ต.ค. 2562") < page.index("ม.ค. 2563") < page.index("ก.ย. 2563")
    assert page.count('inputmode="decimal"') == 24
    assert 'data-testid="save-budget"' in page
    assert 'data-testid="budget-planned-2019-10"' in page and 'data-testid="budget-actual-2020-09"' in page


def test_budget_without_a_year_opens_the_current_one(client, login):
    login("secretary")
    response = client.get("/budget")
    assert response.status_code == 302 and response.headers["Location"].endswith("/budget/2563")


def test_save_with_commas_then_see_running_totals(client, login):
    login("secretary")
    data = _blank_year() | {
        "months-0-planned": "1,000,000.00", "months-0-actual": "900,000",
        "months-1-planned": "1000000", "months-1-actual": " 1,100,000.50 ",
        "months-2-planned": "2000000",
    }
    response = client.post("/budget/2563", data=data)
    assert response.status_code == 302
    assert _saved() == {
        "2019-10": (Decimal("1000000"), Decimal("900000")),
        "2019-11": (Decimal("1000000"), Decimal("1100000.50")),
        "2019-12": (Decimal("2000000"), None),
    }
    page = client.get("/budget/2563").get_data(as_text=True)
    assert 'value="1,100,000.50"' in page  # shown back with its separators, as it was typed
    assert '<td class="num">2,000,000.50</td>' in page  # actual to date at November
    assert '<td class="num">90.00</td>' in page  # October: 900,000 of 1,000,000
    assert '<td class="num">100.00</td>' in page  # 2,000,000.50 / 2,000,000 x 100, to two places
    assert "คิดเป็นร้อยละ 100.00" in page
    assert "บันทึกแผนการใช้จ่ายเงินและผลการเบิกจ่ายปีงบประมาณ 2563 แล้ว" in page


def test_a_negative_amount_is_refused_beside_its_month_and_nothing_is_saved(client, login, snapshot):
    login("secretary")
    budget.replace_budget(2563, [budget.BudgetMonthInput("2019-10", Decimal("5"), Decimal("4"))])
    db.session.commit()
    before = snapshot()
    data = _blank_year() | {"months-0-planned": "10", "months-4-planned": "100", "months-4-actual": "-1"}
    response = client.post("/budget/2563", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert error_for(page, "months-4-actual") == "จำนวนเงินต้องไม่ติดลบ"
    assert error_for(page, "months-0-planned") == ""
    assert 'value="-1"' in page
    assert snapshot() == before


def test_text_that_is_not_an_amount_is_refused(client, login, snapshot):
    login("secretary")
    before = snapshot()
    response = client.post("/budget/2563", data=_blank_year() | {"months-3-planned": "12abc",
                                                                   "months-5-actual": "10"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert error_for(page, "months-3-planned") == "กรุณากรอกจำนวนเงินเป็นบาท เช่น 1234567.89"
    assert error_for(page, "months-5-planned") == "กรุณากรอกวงเงินตามแผนของเดือนที่มีการเบิกจ่ายจริง"
    assert snapshot() == before


def test_too_many_decimal_places_are_refused_by_the_service(client, login, snapshot):
    login("secretary")
    before = snapshot()
    response = client.post("/budget/2563", data=_blank_year() | {"months-11-planned": "1.005"})
    assert response.status_code == 422
    assert error_for(response.get_data(as_text=True), "months-11-planned") == \
        "ระบุทศนิยมได้ไม่เกินสองตำแหน่ง (สตางค์)"
    assert form_errors(response.get_data(as_text=True)) == ""
    assert snapshot() == before


def test_blank_months_remove_what_was_saved(client, login):
    login("secretary")
    budget.replace_budget(2563, [budget.BudgetMonthInput("2019-10", Decimal("5")),
                                 budget.BudgetMonthInput("2019-11", Decimal("6"))])
    db.session.commit()
    response = client.post("/budget/2563", data=_blank_year() | {"months-1-planned": "6"})
    assert response.status_code == 302
    assert _saved() == {"2019-11": (Decimal("6"), None)}


def test_the_budget_in_english(client, login, english):
    login("secretary")
    english()
    page = client.get("/budget/2563").get_data(as_text=True)
    assert "Oct 2019" in page and "Sep 2020" in page and "Budget, fiscal year 2563" in page


def test_a_year_that_is_not_a_fiscal_year_is_404(client, login):
    login("secretary")
    assert client.get("/budget/1999").status_code == 404


def test_running_totals_are_exact_and_skip_months_without_an_actual():
    months = fiscal.fiscal_year(2563).months()
    saved = [BudgetMonth(fiscal_year=2563, month="2019-10", planned_satang=100_000_00, actual_satang=96_000_00),
             BudgetMonth(fiscal_year=2563, month="2019-11", planned_satang=50_000_00, actual_satang=None),
             BudgetMonth(fiscal_year=2563, month="2019-12", planned_satang=50_000_01, actual_satang=33_333_33)]
    lines = running_totals(months, saved)
    assert len(lines) == 12 and lines[0].month == "2019-10"
    assert (lines[0].planned_to_date, lines[0].actual_to_date, lines[0].percent) == (
        Decimal("100000"), Decimal("96000"), Decimal("96.00"))
    assert (lines[1].actual_to_date, lines[1].percent) == (None, None)
    assert lines[2].planned_to_date == Decimal("200000.01")
    assert lines[2].actual_to_date == Decimal("129333.33")
    assert lines[2].percent == Decimal("64.67")
    assert lines[3].planned is None and lines[3].percent is None
