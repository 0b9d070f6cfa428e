"""SQLAlchemy models, one module per aggregate."""

from governance.models.audit import AuditAction, AuditEntry, AuditHead
from governance.models.budget import BudgetMonth
from governance.models.director import Director, DirectorCalendarFeed
from governance.models.document import Document, DocumentKind
from governance.models.fiscal_year import FiscalYearParameters
from governance.models.kpi import Kpi, KpiFigure, KpiProgress, KpiSnapshot
from governance.models.meeting import (
    ActionItem,
    AgendaItem,
    AgendaSection,
    Attendance,
    Confidentiality,
    Meeting,
    Rsvp,
    RsvpResponse,
)
from governance.models.outbox import MailOptOut, MeetingInvitation, OutboxMessage, OutboxStatus
from governance.models.report import MinisterialReport
from governance.models.self_assessment import (
    AssessmentAnswer,
    AssessmentForm,
    AssessmentQuestion,
    AssessmentResponse,
    SelfAssessment,
)
from governance.models.user import ApiToken, PasswordResetRequest, Role, SignInThrottle, User
from governance.models.website import WebsiteItem

__all__ = [
    "Kpi",
    "KpiFigure",
    "KpiProgress",
    "KpiSnapshot",
    "ActionItem",
    "AgendaSection",
    "Confidentiality",
    "Document",
    "DocumentKind",
    "Rsvp",
    "RsvpResponse",
    "AuditAction",
    "AuditEntry",
    "AuditHead",
    "AgendaItem",
    "AssessmentAnswer",
    "AssessmentForm",
    "AssessmentQuestion",
    "AssessmentResponse",
    "SelfAssessment",
    "WebsiteItem",
    "ApiToken",
    "Attendance",
    "BudgetMonth",
    "Director",
    "DirectorCalendarFeed",
    "FiscalYearParameters",
    "MailOptOut",
    "Meeting",
    "MeetingInvitation",
    "MinisterialReport",
    "OutboxMessage",
    "OutboxStatus",
    "Role",
    "SignInThrottle",
    "PasswordResetRequest",
    "User",
]
