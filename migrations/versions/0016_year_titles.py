"""indicator titles name their own year: the stored criteria's FY2563 titles of indicators 11
and 16 become templates over each year's figures ({fiscal_year}, the plan's period, the
attendance thresholds), and a literal brace in any other title is escaped

A wording fix, not a change of criteria: the document's version is left as it is, and the
FY2563 document shows exactly the seed's text as before.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 23:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

SEED = {
    11: ("คณะกรรมการพิจารณาแผนปฏิบัติการ 5 ปี (ในวาระแรก 3 ปี พ.ศ. 2563 - 2565) และแผนปฏิบัติการประจำปีงบประมาณ พ.ศ. 2563",
         "The board considers the 5-year action plan (first round 3 years, 2563-2565) "
         "and the annual action plan for FY2563"),
    16: ("ในการเข้าร่วมประชุมของคณะกรรมการ ร้อยละ 90 ของจำนวนการประชุม มีกรรมการเข้าประชุมร้อยละ 80 ขึ้นไป",
         "In 90% of board meetings, 80% or more of the directors attend"),
}
# governance.indicators.parameters._TITLES and _PLAN_TITLES at this revision (copied: a
# migration must not change when the code does)
TEMPLATES = {
    16: ("ในการเข้าร่วมประชุมของคณะกรรมการ ร้อยละ {year_threshold_percent} ของจำนวนการประชุม "
         "มีกรรมการเข้าประชุมร้อยละ {meeting_threshold_percent} ขึ้นไป",
         "In {year_threshold_percent}% of board meetings, {meeting_threshold_percent}% or more of the directors attend"),
}
FIRST_ROUND = ("คณะกรรมการพิจารณาแผนปฏิบัติการ 5 ปี (ในวาระแรก 3 ปี พ.ศ. {plan_first_year} - {plan_last_year}) "
               "และแผนปฏิบัติการประจำปีงบประมาณ พ.ศ. {fiscal_year}",
               "The board considers the 5-year action plan (first round 3 years, {plan_first_year}-{plan_last_year}) "
               "and the annual action plan for FY{fiscal_year}")
LATER_ROUNDS = ("คณะกรรมการพิจารณาแผนปฏิบัติการ 5 ปี (พ.ศ. {plan_first_year} - {plan_last_year}) "
                "และแผนปฏิบัติการประจำปีงบประมาณ พ.ศ. {fiscal_year}",
                "The board considers the 5-year action plan ({plan_first_year}-{plan_last_year}) "
                "and the annual action plan for FY{fiscal_year}")

table = sa.table('fiscal_year_parameters', sa.column('fiscal_year', sa.Integer),
                 sa.column('document', sa.JSON))


def _templates(number: int, fiscal_year: int) -> tuple[str, str]:
    if number == 11:
        return FIRST_ROUND if 2563 <= fiscal_year <= 2565 else LATER_ROUNDS
    return TEMPLATES[number]


def _escape(text: str) -> str:
    return text.replace('{', '{{').replace('}', '}}')


def _rewrite(change) -> None:
    bind = op.get_bind()
    for fiscal_year, document in bind.execute(sa.select(table.c.fiscal_year, table.c.document)).all():
        document = dict(document)
        document['indicators'] = [change(dict(spec), fiscal_year, document) for spec in document['indicators']]
        bind.execute(table.update().where(table.c.fiscal_year == fiscal_year).values(document=document))


def _to_template(spec: dict, fiscal_year: int, document: dict) -> dict:
    number = spec.get('number')
    if number in SEED and (spec['title_th'], spec['title_en']) == SEED[number]:
        spec['title_th'], spec['title_en'] = _templates(number, fiscal_year)
    else:
        spec['title_th'], spec['title_en'] = _escape(spec['title_th']), _escape(spec['title_en'])
    return spec


def _figures(fiscal_year: int, document: dict) -> dict:
    if 2563 <= fiscal_year <= 2565:
        first = 2563
    elif fiscal_year > 2565:
        first = 2566 + (fiscal_year - 2566) // 5 * 5
    else:
        first = 2558 - (2562 - fiscal_year) // 5 * 5
    last = 2565 if first == 2563 else first + 4
    attendance = document['attendance']
    return {'fiscal_year': fiscal_year, 'plan_first_year': first, 'plan_last_year': last,
            'meeting_threshold_percent': attendance['meeting_threshold_percent'],
            'year_threshold_percent': attendance['year_threshold_percent']}


def _to_text(spec: dict, fiscal_year: int, document: dict) -> dict:
    figures = _figures(fiscal_year, document)
    spec['title_th'] = spec['title_th'].format_map(figures)
    spec['title_en'] = spec['title_en'].format_map(figures)
    return spec


def upgrade():
    _rewrite(_to_template)


def downgrade():
    # Older code shows titles as stored: fill each year's figures in again.
    _rewrite(_to_text)
