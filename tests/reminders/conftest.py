"""A real SMTP server on loopback (aiosmtpd), a small board, and helpers to read what arrived."""

from __future__ import annotations

import email
import socket
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from email import policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from governance.extensions import db
from governance.indicators.vocabulary import MeetingStatus, Position
from governance.models import Role
from governance.services import meetings

BASE_URL = "https://governance.example.org"


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    #: the bytes as the server got them (re-serialising ``message`` would fold headers again)
    raw: bytes

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def to(self) -> str:
        return self.rcpt_tos[0]

    def part(self, content_type: str):
        return next((p for p in self.message.walk() if p.get_content_type() == content_type), None)

    @property
    def text(self) -> str:
        return self.part("text/plain").get_content()

    @property
    def html(self) -> str:
        return self.part("text/html").get_content()


class _Collector:
    def __init__(self, server: SmtpServer) -> None:
        self.server = server

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.server.refuse:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        message = email.message_from_bytes(raw, policy=policy.default)
        self.server.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message, raw))
        return "250 Message accepted for delivery"


class SmtpServer:
    """aiosmtpd on one loopback port that can be stopped and started again (a new Controller each time)."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.refuse: set[str] = set()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(_Collector(self), hostname="127.0.0.1", port=self.port)
        self._controller.start()

    @property
    def running(self) -> bool:
        return self._controller is not None

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if address in r.rcpt_tos]

    def subjects(self, address: str) -> list[str]:
        return sorted(r.subject for r in self.to(address))


@pytest.fixture
def smtp():
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mail_app(app, smtp):
    """The test app sending through the loopback server."""
    app.config.update(MAIL_SUPPRESS_SEND=False, MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port,
                      MAIL_DEFAULT_SENDER="governance@example.org", BASE_URL=BASE_URL)
    return app


@dataclass
class Board:
    chair_id: int
    #: those with an email address: the chair, a Thai and an English director
    director_ids: list[int]
    #: everyone in office, also the director without an address
    all_ids: list[int]


@pytest.fixture
def board(app, make_director, make_user):
    """A Thai secretary, an English-speaking chair, a Thai and an English director."""
    app.config["BASE_URL"] = BASE_URL
    chair = make_director("ประธาน ใจดี", position=Position.CHAIR, email="chair@example.org")
    thai = make_director("กรรมการ หนึ่ง", email="one@example.org")
    english = make_director("Director Two", email="two@example.org")
    nobody = make_director("No Address")  # no email anywhere: never a recipient
    make_user(Role.SECRETARY, email="sec@example.org")  # Thai by default
    make_user(Role.DIRECTOR, email="chair.account@example.org", director_id=chair.id, locale="en")
    make_user(Role.DIRECTOR, email="two.account@example.org", director_id=english.id, locale="en")
    return Board(chair_id=chair.id, director_ids=[chair.id, thai.id, english.id],
                 all_ids=[chair.id, thai.id, english.id, nobody.id])


@pytest.fixture
def planned_meeting(make_meeting):
    """A board meeting planned for Tuesday 8 Sep 2020, 09:30, in a named room."""
    def make(held_on=date(2020, 9, 8), starts_at=time(9, 30), place="ห้องประชุม 1", title="ประชุมคณะกรรมการ"):
        meeting = make_meeting(held_on, status=MeetingStatus.PLANNED, title=title)
        meeting.starts_at = starts_at
        meeting.place = place
        db.session.commit()
        return meeting
    return make


def reschedule(meeting_id: int, **changes) -> None:
    meeting = meetings.get_meeting(meeting_id)
    data = meetings.MeetingInput(held_on=meeting.held_on, kind=meeting.kind, number=meeting.number,
                                 title=meeting.title, status=meeting.status, body=meeting.body,
                                 starts_at=meeting.starts_at, place=meeting.place)
    for name, value in changes.items():
        setattr(data, name, value)
    meetings.update_meeting(meeting_id, data)
    db.session.commit()


def at(day: date, hour: int = 1) -> datetime:
    """An instant on ``day`` (UTC), for services that take ``now``."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)
