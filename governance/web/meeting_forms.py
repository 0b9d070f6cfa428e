"""Forms of the meeting workflow: papers and minutes, action items, minutes approval, RSVP."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField
from wtforms.validators import InputRequired, Optional

from governance.models import Confidentiality, DocumentKind, Meeting, RsvpResponse
from governance.services.agenda import ActionItemInput
from governance.services.documents import ACCEPT, Upload
from governance.web.filters import thai_date
from governance.web.forms import REQUIRED, EnumSelectField, date_field, too_long, version_field
from governance.web.labels import label


class DocumentForm(FlaskForm):
    """A file for a meeting (minutes, evidence) or, on an agenda item, a paper."""

    file = FileField(_l("File"), validators=[FileRequired(message=_l("Choose a file to upload."))],
                     render_kw={"accept": ACCEPT},
                     description=_l("PDF, PNG or JPEG, or a Word, Excel, PowerPoint or OpenDocument file."))
    kind = SelectField(_l("Kind"), choices=[], validators=[Optional()])
    confidentiality = EnumSelectField(
        _l("Confidentiality"), Confidentiality, default=Confidentiality.OPEN.value, validators=[Optional()],
        description=_l("A paper of a confidential agenda item is confidential whatever is chosen here."))

    def __init__(self, *args, kinds: tuple[DocumentKind, ...] = (DocumentKind.MINUTES, DocumentKind.EVIDENCE),
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [(k.value, label(k)) for k in kinds]
        if not self.kind.data:
            self.kind.data = kinds[0].value

    def to_upload(self) -> Upload:
        return Upload(filename=self.file.data.filename or "", stream=self.file.data.stream)

    def document_kind(self) -> DocumentKind:
        return DocumentKind(self.kind.data)

    def access_level(self) -> Confidentiality:
        return Confidentiality(self.confidentiality.data or Confidentiality.OPEN.value)


class ActionItemForm(FlaskForm):
    title = StringField(_l("Action"), validators=[InputRequired(message=REQUIRED), too_long(500)])
    owner = StringField(_l("Owner"), validators=[InputRequired(message=REQUIRED), too_long(200)],
                        description=_l("A person or a unit, as the resolution names them."))
    due_on = date_field(_l("Due on"))
    version = version_field()

    def to_input(self) -> ActionItemInput:
        return ActionItemInput(title=self.title.data, owner=self.owner.data, due_on=self.due_on.data)


class CompleteActionForm(FlaskForm):
    done_on = date_field(_l("Done on"))
    version = version_field()


class MinutesApprovalForm(FlaskForm):
    approving_meeting_id = SelectField(_l("Approved at meeting"), coerce=int, choices=[],
                                       validators=[Optional()])
    version = version_field()

    def __init__(self, *args, candidates: list[Meeting] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.approving_meeting_id.choices = [(0, _l("— not yet approved —"))] + [
            (m.id, f"{m.number} ({thai_date(m.held_on)})") for m in candidates]

    def approving_meeting(self) -> int | None:
        return self.approving_meeting_id.data or None


class RsvpForm(FlaskForm):
    response = EnumSelectField(_l("Your answer"), RsvpResponse, blank=_l("— choose your answer —"))
