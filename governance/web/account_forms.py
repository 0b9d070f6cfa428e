"""The forms of the accounts page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, Optional

from governance.models import Director, Role, User
from governance.services import accounts
from governance.web.forms import BAD_CHOICE, too_long
from governance.web.labels import label


def role_choices(actor: User) -> list[SelectChoice]:
    return [SelectChoice(role.value, str(label(role))) for role in Role if accounts.may_manage(actor, role)]


def director_choices(directors: list[Director]) -> list[SelectChoice]:
    return [SelectChoice("", str(_l("— not a director —")))] + [SelectChoice(str(d.id), d.name) for d in directors]


class InviteForm(FlaskForm):
    director_id = SelectField(_l("Director on the roster"), validators=[Optional()], invalid_choice_message=BAD_CHOICE,
                              description=_l("Pick one to link the account; their roster email is used if you "
                                             "leave the address blank."))
    email = EmailField(_l("Email"), validators=[Optional(), Email(message=_l("Enter a valid email address.")),
                                                too_long(254)])
    role = SelectField(_l("Role"), invalid_choice_message=BAD_CHOICE)
    locale = SelectField(_l("Language of the email"), choices=[SelectChoice("th", "ไทย", render_kw={"lang": "th"}),
                                                                      SelectChoice("en", "English", render_kw={"lang": "en"})],
                         invalid_choice_message=BAD_CHOICE)

    def offer(self, actor: User, directors: list[Director]) -> InviteForm:
        self.role.choices = role_choices(actor)
        self.director_id.choices = director_choices(directors)
        return self


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), invalid_choice_message=BAD_CHOICE)


class LinkForm(FlaskForm):
    director_id = SelectField(_l("Director"), invalid_choice_message=BAD_CHOICE)
