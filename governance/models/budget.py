"""The board-approved monthly spending plan and actual disbursement (indicator 14)."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from governance.extensions import db

SATANG = Decimal(100)


class BudgetMonth(db.Model):
    """Money is kept in whole satang (1/100 baht): exact on every database."""

    __tablename__ = "budget_month"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Buddhist-Era fiscal year, e.g. 2563
    fiscal_year: Mapped[int]
    #: CE month 'YYYY-MM', inside the fiscal year
    month: Mapped[str] = mapped_column(sa.String(7))
    planned_satang: Mapped[int] = mapped_column(sa.BigInteger)
    #: None until the month's actual disbursement is known
    actual_satang: Mapped[int | None] = mapped_column(sa.BigInteger)

    __table_args__ = (
        sa.UniqueConstraint("fiscal_year", "month"),
        sa.CheckConstraint("planned_satang >= 0", name="planned_not_negative"),
        sa.CheckConstraint("actual_satang IS NULL OR actual_satang >= 0", name="actual_not_negative"),
    )

    @property
    def planned(self) -> Decimal:
        return Decimal(self.planned_satang) / SATANG

    @property
    def actual(self) -> Decimal | None:
        return None if self.actual_satang is None else Decimal(self.actual_satang) / SATANG


def to_satang(amount: Decimal) -> int:
    return int((amount * SATANG).to_integral_exact())
