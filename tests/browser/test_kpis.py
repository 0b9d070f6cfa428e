"""An owner's update, recorded by the secretary in a real browser, walked through to the scorecard."""

from __future__ import annotations

from datetime import date

from governance import clock
from governance.extensions import db
from governance.services import kpis


def test_secretary_records_a_milestone_and_the_scorecard_shows_the_new_level(page, live_server, sign_in,
                                                                            monkeypatch, app):
    monkeypatch.setattr(clock, "today", lambda: date(2020, 6, 15))
    kpis.load_fiscal_year(2563)
    db.session.commit()
    sign_in("secretary")
    page.click("[data-testid=nav-kpis]")
    page.wait_for_load_state()
    assert page.locator("[data-testid=kpi-score-3]").inner_text() == "0"
    page.click("[data-testid=kpi-link-3]")
    page.wait_for_load_state()
    page.fill("input[name=reached_on]", "2020-03-10")
    page.select_option("select[name=level]", "50")
    page.fill("textarea[name=evidence]", "รายงานผลการศึกษาขั้นต้นนำไปหารือผู้มีส่วนได้ส่วนเสีย 3 ครั้ง")
    page.fill("textarea[name=links]", "https://www.example.go.th/ab-cb-study.pdf")
    page.click("[data-testid=kpi-progress-save]")
    page.wait_for_load_state()
    assert "50" in page.locator("[data-testid=kpi-score]").inner_text()
    page.click(".breadcrumb a")
    page.wait_for_load_state()
    assert page.locator("[data-testid=kpi-score-3]").inner_text() == "50"
    level = page.locator("[data-testid=kpi-level-3]").inner_text()
    assert level.startswith("รายงานผลการศึกษาขั้นต้น กระบวนการในการรับรองหน่วยงาน")
    assert "(ร่าง) กระบวนการในการรับรองหน่วยงานให้บริการเอกสารอิเล็กทรอนิกส์ที่น่าเชื่อถือ แล้วเสร็จ" in \
        page.locator("[data-testid=kpi-needed-3]").inner_text()
