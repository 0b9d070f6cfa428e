"""The agenda in the Thai standard order, resolutions, action items and minutes approval.

Every agenda has the same six sections in the same order (ระเบียบวาระที่ 1–6); items are
ordered within their section. A resolution (มติ) that assigns work becomes action items,
each with an owner and a due date; an open action item is listed under "matters arising"
(เรื่องสืบเนื่อง) of every later meeting until it is done. A meeting's minutes are approved
at a later meeting, which is recorded on the meeting they belong to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from governance.extensions import db
from governance.indicators.vocabulary import MeetingStatus
from governance.models import ActionItem, AgendaItem, AgendaSection, Meeting
from governance.services import meetings, versions
from governance.services.errors import NotFound, ValidationFailed, plausible_dates, single_line


@dataclass(frozen=True)
class Section:
    section: AgendaSection
    items: list[AgendaItem]


def sections(meeting: Meeting) -> list[Section]:
    """The meeting's agenda: all six sections in the standard order, each with its items."""
    by_section: dict[AgendaSection, list[AgendaItem]] = {s: [] for s in AgendaSection}
    for item in sorted(meeting.agenda_items, key=lambda i: (i.position, i.id)):
        by_section[item.section].append(item)
    return [Section(section, items) for section, items in by_section.items()]


def move_agenda_item(meeting_id: int, item_id: int, offset: int) -> AgendaItem:
    """Move an item one place up (``-1``) or down (``+1``) within its section."""
    meeting = meetings.get_meeting(meeting_id, for_update=True)  # two moves at once renumber in turn
    item = meetings.get_agenda_item(meeting_id, item_id)
    siblings = next(s.items for s in sections(meeting) if s.section == item.section)
    index = siblings.index(item)
    target = index + (1 if offset > 0 else -1)
    if 0 <= target < len(siblings):
        siblings[index], siblings[target] = siblings[target], siblings[index]
        # Renumber the whole section: positions stay 1..n even after deletions.
        for position, sibling in enumerate(siblings, start=1):
            sibling.position = position
        versions.flush()
    return item


# --- action items ---------------------------------------------------------------------

@dataclass
class ActionItemInput:
    title: str
    owner: str
    due_on: date


def add_action_item(meeting_id: int, item_id: int, data: ActionItemInput) -> ActionItem:
    item = meetings.get_agenda_item(meeting_id, item_id)
    action = ActionItem(**_action_fields(data, item.meeting.held_on))
    item.action_items.append(action)
    db.session.flush()
    return action


def get_action_item(action_id: int) -> ActionItem:
    action = db.session.get(ActionItem, action_id)
    if action is None:
        raise NotFound(_l("No action item with id %(id)s.", id=action_id))
    return action


def update_action_item(action_id: int, data: ActionItemInput, expected_version: int | None = None) -> ActionItem:
    action = get_action_item(action_id)
    versions.check_version(action, expected_version)
    for key, value in _action_fields(data, action.agenda_item.meeting.held_on).items():
        setattr(action, key, value)
    versions.flush()
    return action


def complete_action_item(action_id: int, done_on: date | None, expected_version: int | None = None) -> ActionItem:
    """Mark done on ``done_on`` (None reopens it)."""
    action = get_action_item(action_id)
    versions.check_version(action, expected_version)
    if done_on is not None:
        errors = plausible_dates(done_on=done_on)
        if not errors and done_on < action.agenda_item.meeting.held_on:
            errors["done_on"] = _l("Work cannot be done before the meeting that assigned it.")
        if errors:
            raise ValidationFailed(errors)
    action.done_on = done_on
    versions.flush()
    return action


def delete_action_item(action_id: int) -> None:
    db.session.delete(get_action_item(action_id))
    versions.flush()


def _action_fields(data: ActionItemInput, assigned_on: date) -> dict:
    errors = {**plausible_dates(due_on=data.due_on), **single_line(title=data.title, owner=data.owner)}
    if not data.title.strip():
        errors["title"] = _l("Say what must be done.")
    if not data.owner.strip():
        errors["owner"] = _l("Name who must do it: a person or a unit.")
    if "due_on" not in errors and data.due_on < assigned_on:
        errors["due_on"] = _l("The due date cannot be before the meeting that assigns the work.")
    if errors:
        raise ValidationFailed(errors)
    return {"title": data.title.strip(), "owner": data.owner.strip(), "due_on": data.due_on}


def carried_forward(meeting: Meeting) -> list[ActionItem]:
    """Action items from earlier meetings still open on this meeting's date: its matters
    arising. Work done after this meeting was still open at it, so it stays listed here."""
    return list(db.session.scalars(
        sa.select(ActionItem).join(ActionItem.agenda_item).join(AgendaItem.meeting)
        .where(Meeting.held_on < meeting.held_on, Meeting.body == meeting.body,
               sa.or_(ActionItem.done_on.is_(None), ActionItem.done_on >= meeting.held_on))
        .options(joinedload(ActionItem.agenda_item).joinedload(AgendaItem.meeting))
        .order_by(ActionItem.due_on, ActionItem.id)))


def action_items(open_only: bool) -> list[ActionItem]:
    """The tracker: every action item (or only those not done), soonest due first."""
    query = (sa.select(ActionItem)
             .options(joinedload(ActionItem.agenda_item).joinedload(AgendaItem.meeting))
             .order_by(ActionItem.done_on.is_not(None), ActionItem.due_on, ActionItem.id))
    if open_only:
        query = query.where(ActionItem.done_on.is_(None))
    return list(db.session.scalars(query))


# --- minutes approval -----------------------------------------------------------------

def approve_minutes(meeting_id: int, approving_meeting_id: int | None,
                    expected_version: int | None = None) -> Meeting:
    """Record the later meeting that approved this meeting's minutes (None: not yet)."""
    meeting = meetings.get_meeting(meeting_id)
    versions.check_version(meeting, expected_version)
    if approving_meeting_id is not None:
        approving = meetings.get_meeting(approving_meeting_id)
        if approving.held_on <= meeting.held_on or approving.status == MeetingStatus.CANCELLED:
            raise ValidationFailed({"approving_meeting_id": _l(
                "Minutes are approved at a later meeting that takes place.")})
    meeting.minutes_approved_at_id = approving_meeting_id
    versions.flush()
    return meeting


def approval_candidates(meeting: Meeting) -> list[Meeting]:
    """Later meetings of the same body, not cancelled: where the minutes may be approved."""
    return list(db.session.scalars(
        sa.select(Meeting).where(Meeting.held_on > meeting.held_on, Meeting.body == meeting.body,
                                 Meeting.status != MeetingStatus.CANCELLED)
        .order_by(Meeting.held_on, Meeting.id).limit(12)))


def minutes_to_approve(meeting: Meeting) -> list[Meeting]:
    """Earlier meetings whose minutes this meeting approved."""
    return list(db.session.scalars(
        sa.select(Meeting).where(Meeting.minutes_approved_at_id == meeting.id).order_by(Meeting.held_on)))
