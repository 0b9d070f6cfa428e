"""The FY2563 KPI set as shipped: all nine KPIs with the OPDC's text verbatim.

The expectations are stored here, and the data file is compared cell by cell with the
OPDC's source table, kept in tests/data/ (a copy of the project's seed, checked against
the original in ../shared/seed/ where that is beside the repository).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from governance.indicators.kpis import parse_document

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "governance" / "data" / "kpis-fy2563.json"
SEED = ROOT / "tests" / "data" / "opdc-indicators-fy2563.txt"
ORIGINAL_SEED = ROOT.parent / "shared" / "seed" / "opdc-indicators-fy2563.txt"

NAMES = {
    1: "การจัดทำยุทธศาสตร์เกี่ยวกับธุรกรรมทางอิเล็กทรอนิกส์",
    2: "การจัดทำกฎหมายลูกลำดับพระราชกฤษฎีกา ร่างกฎหมายลูกลำดับรองลงมาภายใต้กฎหมายธุรกรรมทางอิเล็กทรอนิกส์มาตรฐาน หรือแนวปฏิบัติที่ดี",
    3: "กระบวนการในการรับรองหน่วยงานให้บริการเอกสารอิเล็กทรอนิกส์ที่น่าเชื่อถือ (Accreditation Body and Certification Body)",
    4: "การอบรมด้านมาตรฐาน ความมั่นคงปลอดภัย และการสร้างความน่าเชื่อถือในระบบและการให้บริการทางธุรกรรมทางอิเล็กทรอนิกส์และพาณิชย์อิเล็กทรอนิกส์",
    5: "การดำเนินงานตามมติคณะรัฐมนตรีวันที่ 2 เม.ย. 62 เรื่อง การออกเอกสารหลักฐานของราชการผ่านระบบดิจิทัล",
    6: "ร้อยละค่าใช้จ่ายด้านบุคลากรขององค์การมหาชน",
    7: "ร้อยละการเบิกจ่ายงบประมาณตามแผน",
    8: "ระบบ Social Listening & Chatbot",
    9: "ร้อยละความพึงพอใจในการให้บริการ e-Time Stamping",
}
OWNERS = {1: "โครงการ Thailand e-Commerce Sustainability", 2: "โครงการ Digital Governance",
          3: "โครงการ Speed-up e-Licensing", 4: "โครงการ Stop e-Commerce Fraud", 5: "โครงการ Speed-up e-Licensing",
          6: "สำนักผู้อำนวยการ", 7: "ทั้งองค์กร", 8: "โครงการ Stop e-Commerce Fraud",
          9: "โครงการ Speed-up e-Licensing"}
LEVELS = {
    6: ("-", "ไม่เกินกรอบวงเงินที่ ครม. กำหนด*", "ไม่เกินร้อยละ 30 และไม่สูงกว่า Growth เฉลี่ยของ สพอ. 3 ปี**"),
    7: ("ร้อยละ 96", "ร้อยละ 100", "นำส่งผลงานได้ตามที่กำหนดและมีเงินเหลือจ่าย"),
    9: ("ร้อยละ 80 โดยรายงานการประเมินความพึงพอใจผ่านเกณฑ์การประเมินคุณภาพ ร้อยละ 50-74.99",
        "ร้อยละ 80 โดยรายงานการประเมินความพึงพอใจผ่านเกณฑ์การประเมินคุณภาพ ร้อยละ 75-89.99",
        "ร้อยละ 80 โดยรายงานการประเมินความพึงพอใจผ่านเกณฑ์การประเมินคุณภาพ ร้อยละ 90 ขึ้นไป"),
    2: ("(ร่าง) พ.ร.ฎ. DID และ (ร่าง) พ.ร.ฎ. CA แล้วเสร็จ",
        "(ร่าง) พ.ร.ฎ. ทั้ง 2 ฉบับ ผ่านความเห็นชอบจากคณะกรรมการธุรกรรมทางอิเล็กทรอนิกส์",
        "เสนอ (ร่าง) พ.ร.ฎ. DID, CA ต่อ ครม."),
    8: ("ระบบ Social Listening & Chatbot แล้วเสร็จ", "มีการทดสอบการใช้งานระบบ Social Listening & Chatbot",
        "ผลการวิเคราะห์จากระบบถูกนำไปต่อยอดในการวางแผนด้านการคุ้มครองผู้ใช้บริการออนไลน์"),
}
NOTES_6 = ("หมายเหตุ * มติ ครม. 28 พ.ค. 61 กำหนดวงเงินค่าใช้จ่ายบุคลากรขององค์การมหาชน ไม่เกินร้อยละ 30\n"
           "** Growth เฉลี่ยค่าใช้จ่ายบุคลากรของ สพอ. 3 ปี (2560 - 2562) เท่ากับร้อยละ 18")
COMPONENTS = {1: (1, "ประสิทธิภาพ"), 2: (1, "ประสิทธิภาพ"), 3: (1, "ประสิทธิภาพ"), 4: (1, "ประสิทธิภาพ"),
              5: (2, "การผลักดันยุทธศาสตร์ของประเทศ"), 6: (3, "ประสิทธิภาพ"), 7: (3, "ประสิทธิภาพ"),
              8: (3, "ประสิทธิภาพ"), 9: (4, "การตอบสนองประชาชน")}


@pytest.fixture(scope="module")
def kpis():
    year, definitions = parse_document(json.loads(DATA.read_text(encoding="utf-8")))
    assert year == 2563
    return {d.number: d for d in definitions}


def test_all_nine_with_their_names_owners_and_components(kpis):
    assert sorted(kpis) == list(range(1, 10))
    assert {n: k.name for n, k in kpis.items()} == NAMES
    assert {n: k.owner_unit for n, k in kpis.items()} == OWNERS
    assert {n: (k.component, k.component_name) for n, k in kpis.items()} == COMPONENTS


@pytest.mark.parametrize("number", sorted(LEVELS))
def test_level_texts_are_verbatim(kpis, number):
    assert tuple(level.text for level in kpis[number].levels) == LEVELS[number]


def test_indicator_6_keeps_its_footnotes_and_has_no_50_point_level(kpis):
    assert kpis[6].notes == NOTES_6
    assert [level.score for level in kpis[6].existing_levels] == [75, 100]


def test_numeric_levels_follow_the_seed(kpis):
    bounds = {n: [(lv.score, [(c.figure, c.op, str(c.value)) for c in lv.conditions]) for lv in kpis[n].levels]
              for n in (6, 7, 9)}
    assert bounds[7] == [(50, [("disbursement_percent", ">=", "96")]),
                         (75, [("disbursement_percent", ">=", "100")]), (100, [])]
    assert bounds[6] == [(50, []), (75, [("personnel_cost_percent", "<=", "30")]),
                         (100, [("personnel_cost_percent", "<=", "30"),
                                ("personnel_cost_growth_percent", "<=", "18")])]
    assert [c[-1][2] for _s, c in bounds[9]] == ["50", "75", "90"]
    assert kpis[7].figure("disbursement_percent").source == "budget_disbursement"


@pytest.mark.skipif(not ORIGINAL_SEED.exists(), reason="the original seed is outside the repository")
def test_the_bundled_seed_is_the_original():
    assert SEED.read_bytes() == ORIGINAL_SEED.read_bytes()


def test_the_data_file_matches_the_seed_table_cell_by_cell(kpis):
    text = SEED.read_text(encoding="utf-8")
    rows = {}
    for line in text.splitlines():
        cells = line.split("\t")
        if len(cells) >= 7 and cells[1].strip().isdigit() and 1 <= int(cells[1]) <= 9:
            rows[int(cells[1])] = cells
    assert sorted(rows) == list(range(1, 10))
    for number, cells in rows.items():
        kpi = kpis[number]
        assert kpi.name == cells[2]
        assert tuple(level.text for level in kpi.levels) == tuple(cells[3:6])
        assert kpi.owner_unit == cells[6]
        if cells[0].strip():
            assert cells[0].strip() == f"{kpi.component}. {kpi.component_name}"
    for line in NOTES_6.splitlines():
        assert line in text.splitlines()
