"""The organisation's KPIs 1-9 per fiscal year, their owners' progress, and the scorecards
frozen onto board agenda items (one aggregate per KPI, plus the snapshots)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from governance.extensions import db
from governance.models._columns import Timestamp, utc_now

HUNDRED = Decimal(100)


class Kpi(db.Model):
    """One KPI of a fiscal year as the OPDC table states it (loaded from ``governance/data``)."""

    __tablename__ = "kpi"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Buddhist-Era fiscal year, e.g. 2563
    fiscal_year: Mapped[int]
    #: the OPDC's number, 1-9
    number: Mapped[int]
    #: the OPDC component (องค์ประกอบ) number and name, e.g. 1 "ประสิทธิภาพ"
    component: Mapped[int]
    component_name: Mapped[str] = mapped_column(sa.String(200))
    #: the OPDC's text, verbatim
    name: Mapped[str] = mapped_column(sa.Text)
    name_en: Mapped[str] = mapped_column(sa.Text, default="")
    #: the project unit responsible, as the table names it (e.g. "โครงการ Speed-up e-Licensing")
    owner_unit: Mapped[str] = mapped_column(sa.String(300))
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    #: the 50/75/100 levels (verbatim text, conditions on figures) and the figures, as
    #: ``indicators.kpis.KpiDefinition.to_dict`` writes them
    definition: Mapped[dict] = mapped_column(sa.JSON)
    #: bumped on every save (optimistic locking)
    version: Mapped[int] = mapped_column(server_default=sa.text("1"))

    progress: Mapped[list[KpiProgress]] = relationship(
        back_populates="kpi", cascade="all, delete-orphan", order_by="KpiProgress.reached_on")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        sa.UniqueConstraint("fiscal_year", "number"),
        sa.CheckConstraint("fiscal_year BETWEEN 2400 AND 2800", name="fiscal_year_be"),
        sa.CheckConstraint("number BETWEEN 1 AND 99", name="number_range"),
        sa.CheckConstraint("component BETWEEN 1 AND 99", name="component_range"),
    )


class KpiProgress(db.Model):
    """An owner's update: a milestone level reached and/or figures, with the evidence."""

    __tablename__ = "kpi_progress"

    id: Mapped[int] = mapped_column(primary_key=True)
    kpi_id: Mapped[int] = mapped_column(sa.ForeignKey("kpi.id", ondelete="CASCADE"), index=True)
    #: the day the milestone was reached or the figures hold for
    reached_on: Mapped[date] = mapped_column(index=True)
    #: the milestone level reached (50, 75 or 100); None when the update carries figures only
    level: Mapped[int | None]
    #: what shows it: documents, decisions, figures in words
    evidence: Mapped[str] = mapped_column(sa.Text)
    #: web addresses of the evidence, one per line
    links: Mapped[str] = mapped_column(sa.Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(Timestamp, default=utc_now)

    kpi: Mapped[Kpi] = relationship(back_populates="progress")
    figures: Mapped[list[KpiFigure]] = relationship(
        back_populates="progress", cascade="all, delete-orphan", order_by="KpiFigure.figure")
    recorded_by = relationship("User")

    __table_args__ = (
        sa.CheckConstraint("level IS NULL OR level IN (50, 75, 100)", name="level_score"),
    )

    @property
    def link_list(self) -> list[str]:
        return [line for line in self.links.splitlines() if line.strip()]


class KpiFigure(db.Model):
    """One figure of an update, e.g. trainees = 1240 or disbursement_percent = 96.5."""

    __tablename__ = "kpi_figure"

    id: Mapped[int] = mapped_column(primary_key=True)
    progress_id: Mapped[int] = mapped_column(sa.ForeignKey("kpi_progress.id", ondelete="CASCADE"), index=True)
    #: the figure's key in the KPI's definition
    figure: Mapped[str] = mapped_column(sa.String(60))
    #: the value x 100, exact (84.5 % is 8450; 1,240 trainees is 124000)
    value_hundredths: Mapped[int] = mapped_column(sa.BigInteger)

    progress: Mapped[KpiProgress] = relationship(back_populates="figures")

    __table_args__ = (sa.UniqueConstraint("progress_id", "figure"),)

    @property
    def value(self) -> Decimal:
        return Decimal(self.value_hundredths) / HUNDRED


class KpiSnapshot(db.Model):
    """The KPI scorecard as of a board meeting, frozen onto its mission-report agenda item."""

    __tablename__ = "kpi_snapshot"

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(
        sa.ForeignKey("agenda_item.id", ondelete="CASCADE"), unique=True)
    fiscal_year: Mapped[int]
    #: the meeting's date: the scorecard shows what was known then
    as_of: Mapped[date]
    #: the scorecard as shown to the board (``services.kpis.scorecard_document``); never changes
    scorecard: Mapped[dict] = mapped_column(sa.JSON)
    frozen_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    frozen_at: Mapped[datetime] = mapped_column(Timestamp, default=utc_now)

    __table_args__ = (
        sa.CheckConstraint("fiscal_year BETWEEN 2400 AND 2800", name="fiscal_year_be"),
    )
