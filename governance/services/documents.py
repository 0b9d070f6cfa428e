"""Documents: minutes, meeting papers and report evidence, kept as files beside the records.

What the upload claims (its name, the browser's content type) is never trusted: the type
is read from the content's signature (the ``filetype`` library) and must be one a board
pack holds: PDF, images, office documents. The bytes go to the document store under a
random name (no path, extension or user text in it), written to a temporary file and
renamed into place only when complete, so a crash never leaves half a file under a name
a row points to. A file written for a transaction that then rolls back is an orphan
nobody can reach: harmless, and cheaper than a two-phase dance with the filesystem.

Files are write-once. Removing a document deletes its row (the audit trail keeps its name
and digest) but not the file, so a database restored from a backup taken before the
removal still finds it; ``verify`` checks every row against its file.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import tempfile
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import filetype
import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from governance.extensions import db
from governance.models import Confidentiality, Document, DocumentKind, KpiProgress, User
from governance.services import meetings, reports
from governance.services.errors import NotFound, ValidationFailed

#: the types a board pack holds, by the media type their content is recognised as
ALLOWED_TYPES: dict[str, str] = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/msword": "doc",
    "application/vnd.ms-excel": "xls",
    "application/vnd.ms-powerpoint": "ppt",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
#: what a user can pick in the file dialog (a hint only; the content decides)
ACCEPT = ",".join(f".{ext}" for ext in sorted(set(ALLOWED_TYPES.values()) | {"jpeg"}))
CHUNK = 64 * 1024
SNIFF_BYTES = 8192  # what filetype reads to recognise a type


@dataclass(frozen=True)
class Upload:
    """A file as received: the name its sender gave, and its bytes."""

    filename: str
    stream: BinaryIO


# --- the store ------------------------------------------------------------------------

def store_root() -> Path:
    configured = current_app.config.get("DOCUMENT_STORE")
    root = Path(configured) if configured else Path(current_app.instance_path) / "documents"
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    return root


def path_of(document: Document) -> Path:
    return store_root() / document.storage_name


def file_of(document: Document) -> Path:
    """The document's file, to send; NotFound (and the operator told) when it is gone."""
    path = path_of(document)
    if not path.is_file():
        current_app.logger.error("document %s (%s): file %s is missing from the store",
                                 document.id, document.filename, path)
        raise NotFound(_l("The file of this document is missing; the administrator can restore it from "
                          "the backup of the document store."))
    return path


@dataclass(frozen=True)
class _Stored:
    storage_name: str
    size: int
    sha256: str
    media_type: str


def _store(upload: Upload, limit: int) -> _Stored:
    """Copy the upload into the store, checking its size and type on the way."""
    root = store_root()
    digest = hashlib.sha256()
    size = 0
    head = b""
    fd, temp_name = tempfile.mkstemp(dir=root, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in iter(lambda: upload.stream.read(CHUNK), b""):
                size += len(chunk)
                if size > limit:
                    raise ValidationFailed({"file": _l("The file is larger than %(limit)s MB.",
                                                       limit=_megabytes(limit))})
                if len(head) < SNIFF_BYTES:
                    head += chunk[:SNIFF_BYTES - len(head)]
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if size == 0:
            raise ValidationFailed({"file": _l("The file is empty.")})
        media_type = _recognised_type(head)
        storage_name = secrets.token_hex(16)
        os.replace(temp_name, root / storage_name)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return _Stored(storage_name, size, digest.hexdigest(), media_type)


def _recognised_type(head: bytes) -> str:
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise ValidationFailed({"file": _l(
            "This file is not a PDF, an image (PNG, JPEG) or an office document "
            "(Word, Excel, PowerPoint, OpenDocument); its content was checked, not its name.")})
    return kind.mime


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g}"


def _base_name(name: str | None) -> str:
    """The name without any folder a browser (or an old Windows one) sent with it."""
    return unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]


def clean_filename(name: str, media_type: str) -> str:
    """The sender's name without any path, control characters or a misleading extension.

    Thai names stay Thai (werkzeug's ``secure_filename`` would strip them to nothing): the
    name is only ever shown and offered on download, never used to open a file.
    """
    name = _base_name(name)
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().strip(".")
    extension = ALLOWED_TYPES[media_type]
    stem, dot, given = name.rpartition(".")
    if not dot:
        stem, given = name, ""
    if given.lower() not in {extension, "jpeg" if extension == "jpg" else extension}:
        stem = name  # the content decides: a PDF named report.docx is offered as report.docx.pdf
        given = extension
    stem = (stem or "document")[: 255 - len(given) - 1]
    return f"{stem}.{given}"


# --- operations -----------------------------------------------------------------------

def attach_to_meeting(meeting_id: int, upload: Upload, kind: DocumentKind, uploaded_by: User | None,
                      agenda_item_id: int | None = None,
                      confidentiality: Confidentiality = Confidentiality.OPEN) -> Document:
    """Keep a file with a meeting (minutes, evidence) or one of its agenda items (a paper);
    a confidential one is for the meeting's directors and the secretariat (``confidentiality``)."""
    meeting = meetings.get_meeting(meeting_id)
    if agenda_item_id is not None:
        meetings.get_agenda_item(meeting_id, agenda_item_id)
        kind = DocumentKind.PAPER
    elif kind is DocumentKind.PAPER:
        raise ValidationFailed({"agenda_item_id": _l("Choose the agenda item this paper belongs to.")})
    return _attach(upload, kind, uploaded_by, meeting_id=meeting.id, agenda_item_id=agenda_item_id,
                   confidentiality=Confidentiality(confidentiality))


def attach_to_report(report_id: int, upload: Upload, uploaded_by: User | None) -> Document:
    """Keep the report as sent (or its covering letter) with the ministerial report record."""
    report = reports.get_report(report_id)
    return _attach(upload, DocumentKind.EVIDENCE, uploaded_by, ministerial_report_id=report.id)


def attach_to_kpi_progress(progress_id: int, upload: Upload, uploaded_by: User | None) -> Document:
    """Keep a file (a training report, a survey's results) as evidence of a KPI update."""
    progress = get_kpi_progress(progress_id)
    return _attach(upload, DocumentKind.EVIDENCE, uploaded_by, kpi_progress_id=progress.id)


def get_kpi_progress(progress_id: int) -> KpiProgress:
    progress = db.session.get(KpiProgress, progress_id)
    if progress is None:
        raise NotFound(_l("No KPI update with id %(id)s.", id=progress_id))
    return progress


def kpi_progress_documents(progress_ids: list[int]) -> dict[int, list[Document]]:
    return _by_owner(Document.kpi_progress_id, progress_ids)


def _attach(upload: Upload, kind: DocumentKind, uploaded_by: User | None,
            confidentiality: Confidentiality = Confidentiality.OPEN, **owner: int | None) -> Document:
    if not (upload.filename or "").strip():
        raise ValidationFailed({"file": _l("Choose a file to upload.")})
    try:
        stored = _store(upload, current_app.config["DOCUMENT_MAX_BYTES"])
    except ValidationFailed as refused:
        # Say which file: after a refused upload the form no longer holds it.
        name = _base_name(upload.filename)
        raise ValidationFailed({field: f"{name}: {message}" for field, message in refused.fields.items()}) from None
    document = Document(
        kind=kind, filename=clean_filename(upload.filename, stored.media_type), media_type=stored.media_type,
        size_bytes=stored.size, sha256=stored.sha256, storage_name=stored.storage_name,
        uploaded_by_id=uploaded_by.id if uploaded_by is not None else None, confidentiality=confidentiality,
        **owner)
    db.session.add(document)
    db.session.flush()
    return document


def get_document(document_id: int) -> Document:
    document = db.session.get(Document, document_id)
    if document is None:
        raise NotFound(_l("No document with id %(id)s.", id=document_id))
    return document


def meeting_documents(meeting_id: int) -> list[Document]:
    """Every file of a meeting and of its agenda items, oldest first."""
    return list(db.session.scalars(
        sa.select(Document).where(Document.meeting_id == meeting_id)
        .order_by(Document.uploaded_at, Document.id)))


def meetings_documents(meeting_ids: list[int]) -> dict[int, list[Document]]:
    """Every file of each meeting and of its agenda items, oldest first (one query)."""
    return _by_owner(Document.meeting_id, meeting_ids)


def report_documents(report_ids: list[int]) -> dict[int, list[Document]]:
    return _by_owner(Document.ministerial_report_id, report_ids)


def _by_owner(owner_column, owner_ids: list[int]) -> dict[int, list[Document]]:
    """The documents of each of ``owner_ids`` (one query for a whole page's records)."""
    found: dict[int, list[Document]] = {owner_id: [] for owner_id in owner_ids}
    if owner_ids:
        for document in db.session.scalars(
                sa.select(Document).where(owner_column.in_(owner_ids)).order_by(Document.uploaded_at, Document.id)):
            found[getattr(document, owner_column.key)].append(document)
    return found


def remove_document(document_id: int) -> Document:
    """Take a document off its record (the file stays in the store; see the module note)."""
    document = get_document(document_id)
    db.session.delete(document)
    db.session.flush()
    return document


# --- checking the store ---------------------------------------------------------------

@dataclass(frozen=True)
class Problem:
    document_id: int
    filename: str
    problem: str  # "missing" or "changed"


def verify() -> Iterator[Problem]:
    """Every document whose file is missing or no longer has the digest recorded at upload."""
    root = store_root()
    for document in db.session.scalars(sa.select(Document).order_by(Document.id)):
        path = root / document.storage_name
        if not path.is_file():
            yield Problem(document.id, document.filename, "missing")
        elif _sha256(path) != document.sha256:
            yield Problem(document.id, document.filename, "changed")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for chunk in iter(lambda: file.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()
