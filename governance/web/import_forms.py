"""The import forms: the upload (one .xlsx, or a CSV file per kind) and the confirmation."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileRequired, FileSize, MultipleFileField
from wtforms import HiddenField
from wtforms.validators import InputRequired, Length, ValidationError

from governance.services.imports import MAX_FILE_BYTES, MAX_FILES, Upload


def _at_most_files(form, field) -> None:
    if field.data and len(field.data) > MAX_FILES:
        raise ValidationError(_l("Upload at most %(count)d files.", count=MAX_FILES))


class ImportUploadForm(FlaskForm):
    files = MultipleFileField(
        _l("Spreadsheet"),
        validators=[FileRequired(message=_l("Choose a file to import.")),
                    FileSize(MAX_FILE_BYTES, message=_l("The file is larger than %(size)s MB.",
                                                        size=MAX_FILE_BYTES // (1024 * 1024))),
                    _at_most_files],
        description=_l("One Excel workbook (.xlsx) with a sheet per kind, or up to three CSV files "
                       "(directors, meetings, attendance)."),
        render_kw={"accept": ".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"})

    def uploads(self) -> list[Upload]:
        """The files as the service reads them; the name is only shown, never used as a path."""
        out = []
        for storage in self.files.data or []:
            name = (storage.filename or "").replace("\\", "/").rsplit("/", 1)[-1][:100] or "upload"
            out.append(Upload(name, storage.read(MAX_FILE_BYTES + 1)))
        return out


class ImportConfirmForm(FlaskForm):
    token = HiddenField(validators=[InputRequired(), Length(max=64)])
