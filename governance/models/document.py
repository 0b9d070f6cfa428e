"""Files kept as evidence: minutes, meeting papers, a report as sent, a KPI's progress (one aggregate).

The row holds what the auditor needs to trust the file (its digest, its checked type, who
uploaded it and when); the bytes live outside ``static/`` under a generated name that says
nothing about the content, and leave only through a role-checked download.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from governance.extensions import db
from governance.models._columns import Timestamp, enum_type, utc_now
from governance.models.kpi import KpiProgress
from governance.models.meeting import AgendaItem, Confidentiality, Meeting
from governance.models.report import MinisterialReport
from governance.models.user import User


class DocumentKind(StrEnum):
    MINUTES = "minutes"  # รายงานการประชุม
    PAPER = "paper"  # เอกสารประกอบวาระ
    EVIDENCE = "evidence"  # หลักฐานอื่น


class Document(db.Model):
    __tablename__ = "document"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[DocumentKind] = mapped_column(enum_type(DocumentKind, "document_kind"))
    #: a meeting's file; with ``agenda_item_id`` also set, a paper for that item
    meeting_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("agenda_item.id", ondelete="CASCADE"), index=True)
    ministerial_report_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("ministerial_report.id", ondelete="CASCADE"), index=True)
    kpi_progress_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("kpi_progress.id", ondelete="CASCADE"), index=True)
    #: the name the user gave it (shown and offered on download; never used as a path)
    filename: Mapped[str] = mapped_column(sa.String(255))
    #: the type its content was recognised as, not what the browser claimed
    media_type: Mapped[str] = mapped_column(sa.String(100))
    size_bytes: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.String(64))
    #: the file's name in the document store: random, so it cannot be guessed or collide
    storage_name: Mapped[str] = mapped_column(sa.String(64), unique=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(Timestamp, default=utc_now)
    #: a meeting's file only; a paper is also as closed as its agenda item (``access_level``)
    confidentiality: Mapped[Confidentiality] = mapped_column(
        enum_type(Confidentiality, "confidentiality"), server_default=Confidentiality.OPEN.value)

    # Deleting a record deletes its documents' rows through the session, so the audit trail
    # records each one (a cascade in the database alone would leave no trace); files stay.
    meeting: Mapped[Meeting | None] = relationship(backref=backref("documents", cascade="all, delete-orphan"))
    agenda_item: Mapped[AgendaItem | None] = relationship(
        backref=backref("documents", cascade="all, delete-orphan"))
    ministerial_report: Mapped[MinisterialReport | None] = relationship(
        backref=backref("documents", cascade="all, delete-orphan"))
    kpi_progress: Mapped[KpiProgress | None] = relationship(
        backref=backref("documents", cascade="all, delete-orphan"))
    uploaded_by: Mapped[User | None] = relationship()

    @property
    def access_level(self) -> Confidentiality:
        """How closed the file is: its own level, or its agenda item's if that is stricter."""
        item = self.agenda_item
        return Confidentiality.stricter(self.confidentiality, item.confidentiality if item else None)

    __table_args__ = (
        # Attached to exactly one record: a meeting (maybe one of its items), a report, or a
        # KPI's progress update.
        sa.CheckConstraint(
            "(CASE WHEN meeting_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN ministerial_report_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN kpi_progress_id IS NULL THEN 0 ELSE 1 END) = 1", name="one_owner"),
        sa.CheckConstraint("agenda_item_id IS NULL OR meeting_id IS NOT NULL", name="item_in_meeting"),
        sa.CheckConstraint("size_bytes > 0", name="not_empty"),
    )
