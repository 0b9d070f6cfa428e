"""The board's self-assessment for a fiscal year (indicator 18): forms, answers, guidelines."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from governance.extensions import db
from governance.models._columns import Timestamp, enum_type, utc_now


class AssessmentForm(StrEnum):
    INDIVIDUAL = "individual"  # each director assesses themself
    WHOLE_BOARD = "whole_board"  # the board assesses itself as a whole, once


class SelfAssessment(db.Model):
    """One per fiscal year: its closing date and the guidelines the board set."""

    __tablename__ = "self_assessment"

    id: Mapped[int] = mapped_column(primary_key=True)
    fiscal_year: Mapped[int] = mapped_column(unique=True)
    #: individual assessments are due by this day; directors in office then must submit
    closing_on: Mapped[date | None]
    #: the practices the board set to improve its effectiveness (แนวปฏิบัติ)
    guidelines: Mapped[str | None] = mapped_column(sa.Text)
    guidelines_recorded_on: Mapped[date | None]

    questions: Mapped[list[AssessmentQuestion]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan",
        order_by="(AssessmentQuestion.form, AssessmentQuestion.position)")
    responses: Mapped[list[AssessmentResponse]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan")


class AssessmentQuestion(db.Model):
    __tablename__ = "assessment_question"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(sa.ForeignKey("self_assessment.id", ondelete="CASCADE"), index=True)
    form: Mapped[AssessmentForm] = mapped_column(enum_type(AssessmentForm, "assessment_form"))
    position: Mapped[int]
    text_th: Mapped[str] = mapped_column(sa.String(500))
    text_en: Mapped[str] = mapped_column(sa.String(500))
    #: ratings run from 1 to this
    scale_max: Mapped[int] = mapped_column(default=5)

    assessment: Mapped[SelfAssessment] = relationship(back_populates="questions")

    __table_args__ = (sa.CheckConstraint("scale_max BETWEEN 2 AND 10", name="scale_range"),)


class AssessmentResponse(db.Model):
    """A submitted form: a director's own, or the board's whole-board form (no director)."""

    __tablename__ = "assessment_response"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(sa.ForeignKey("self_assessment.id", ondelete="CASCADE"), index=True)
    form: Mapped[AssessmentForm] = mapped_column(enum_type(AssessmentForm, "assessment_form"))
    director_id: Mapped[int | None] = mapped_column(sa.ForeignKey("director.id"))
    submitted_on: Mapped[date]
    submitted_at: Mapped[datetime] = mapped_column(Timestamp, default=utc_now)
    comments: Mapped[str | None] = mapped_column(sa.Text)

    assessment: Mapped[SelfAssessment] = relationship(back_populates="responses")
    answers: Mapped[list[AssessmentAnswer]] = relationship(
        back_populates="response", cascade="all, delete-orphan")

    __table_args__ = (
        sa.UniqueConstraint("assessment_id", "form", "director_id"),
        # NULLs are distinct in a unique key, so the one whole-board form needs its own index.
        sa.Index("uq_assessment_response_whole_board", "assessment_id", unique=True,
                 sqlite_where=sa.text("form = 'whole_board'"),
                 postgresql_where=sa.text("form = 'whole_board'")),
        sa.CheckConstraint("(form = 'individual') = (director_id IS NOT NULL)", name="director_for_individual"),
    )


class AssessmentAnswer(db.Model):
    __tablename__ = "assessment_answer"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(sa.ForeignKey("assessment_response.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("assessment_question.id", ondelete="CASCADE"), index=True)
    rating: Mapped[int]
    comment: Mapped[str | None] = mapped_column(sa.Text)

    response: Mapped[AssessmentResponse] = relationship(back_populates="answers")

    __table_args__ = (
        sa.UniqueConstraint("response_id", "question_id"),
        sa.CheckConstraint("rating BETWEEN 1 AND 10", name="rating_range"),
    )
