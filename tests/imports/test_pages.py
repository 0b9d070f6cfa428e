"""The import pages: upload, preview (writes nothing), confirm (writes all), templates."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

import openpyxl
import pytest
import sqlalchemy as sa

from governance import clock
from governance.extensions import db
from governance.models import Director, Role
from governance.services import imports
from tests.conftest import PASSWORD
from tests.imports.conftest import board_sheets, xlsx

NOW = datetime(2020, 1, 15, 3, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)


def _upload(client, data: bytes, name: str = "board.xlsx"):
    return client.post("/import", data={"files": [(io.BytesIO(data), name)]}, content_type="multipart/form-data")


def _token(html: str) -> str:
    return re.search(r'name="token" type="hidden" value="([^"]+)"', html).group(1)


def test_the_import_page_offers_the_templates(client, login):
    login(Role.SECRETARY)
    html = client.get("/import").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in html
    assert "/import/template.xlsx" in html and "/import/template-attendance.csv" in html
    response = client.get("/import/template.xlsx")
    assert response.headers["Content-Disposition"] == 'attachment; filename="import-template.xlsx"'
    workbook = openpyxl.load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames == ["กรรมการ (directors)", "การประชุม (meetings)", "การเข้าประชุม (attendance)"]
    csv = client.get("/import/template-meetings.csv")
    assert csv.mimetype == "text/csv" and csv.data.startswith("\ufeffครั้งที่ (number)".encode())
    assert client.get("/import/template-other.csv").status_code == 404


def test_the_preview_writes_nothing_and_confirming_writes_everything(client, login, snapshot, app):
    login(Role.SECRETARY)
    before = snapshot()
    preview = _upload(client, xlsx(board_sheets()))
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert 'data-testid="import-row-directors-2" data-outcome="new"' in html
    assert snapshot() == before  # no record, no audit entry

    token = _token(html)
    stored = list((imports._store()).iterdir())
    assert [p.name for p in stored] == [token]
    response = client.post("/import/confirm", data={"token": token})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(Director.id))) == 3
    assert list(imports._store().iterdir()) == []  # the upload is not kept once imported
    follow = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "เพิ่มใหม่ 10 แถว" in follow

    again = client.post("/import/confirm", data={"token": token})  # a second click
    assert again.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(Director.id))) == 3


def test_a_file_with_errors_shows_them_all_and_offers_no_confirmation(client, login, snapshot):
    login(Role.SECRETARY)
    before = snapshot()
    response = _upload(client, xlsx(board_sheets(bad_date=True)))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'data-testid="import-refused"' in html and 'data-testid="import-confirm"' not in html
    assert 'data-testid="import-row-meetings-3" data-outcome="error"' in html
    assert "วันที่ประชุม (held_on)" in html
    assert snapshot()["director"] == before["director"] == []
    assert not imports._store().exists() or list(imports._store().iterdir()) == []


def test_nothing_to_import_offers_no_confirmation(client, login):
    login(Role.SECRETARY)
    client.post("/import/confirm", data={"token": _token(_upload(client, xlsx(board_sheets())).get_data(as_text=True))})
    html = _upload(client, xlsx(board_sheets())).get_data(as_text=True)  # the same file again
    assert 'data-testid="import-nothing-to-do"' in html and 'data-testid="import-confirm"' not in html


def test_an_upload_is_its_uploaders_alone(client, login, make_user):
    login(Role.SECRETARY)
    token = _token(_upload(client, xlsx(board_sheets())).get_data(as_text=True))
    other = make_user(Role.ADMIN, email="other-admin@example.org")
    client.post("/logout")
    client.post("/login", data={"email": other.email, "password": PASSWORD})
    refused = client.post("/import/confirm", data={"token": token})
    assert refused.status_code == 302 and refused.headers["Location"].endswith("/import")
    assert db.session.scalar(sa.select(sa.func.count(Director.id))) == 0


def test_an_upload_expires_after_an_hour_and_is_swept(client, login):
    user = login(Role.SECRETARY)
    token = _token(_upload(client, xlsx(board_sheets())).get_data(as_text=True))
    later = NOW + imports.UPLOAD_LIFETIME + timedelta(seconds=1)
    with pytest.raises(imports.NotFound):
        imports.claim_upload(token, user.id, later)
    imports.sweep_uploads(NOW + timedelta(minutes=59))
    assert [p.name for p in imports._store().iterdir()] == [token]
    imports.sweep_uploads(later)
    assert list(imports._store().iterdir()) == []


def test_the_form_refuses_no_file_and_a_bad_token(client, login):
    login(Role.SECRETARY)
    response = client.post("/import", data={}, content_type="multipart/form-data")
    assert response.status_code == 422 and "เลือกไฟล์ที่จะนำเข้า" in response.get_data(as_text=True)
    assert client.post("/import/confirm", data={"token": "../../etc"}).status_code == 302


def test_the_page_speaks_english_too(client, login, english):
    login(Role.SECRETARY)
    english()
    html = _upload(client, xlsx(board_sheets(bad_date=True))).get_data(as_text=True)
    assert "Not a date: write day/month/year" in html and "Nothing will be imported" in html


@pytest.fixture
def english(client):
    def switch() -> None:
        assert client.post("/language", data={"locale": "en", "next": "/"}).status_code == 302
    return switch


def test_the_preview_names_the_columns_a_row_would_change(client, login):
    """It crashed (500) on any row that updates a record: the template used a filter Jinja lacks."""
    login(Role.SECRETARY)
    client.post("/import/confirm", data={"token": _token(_upload(client, xlsx(board_sheets())).get_data(as_text=True))})
    sheets = board_sheets()
    sheets["การประชุม"][1][5] = "ห้องประชุม 2"  # one meeting moved to another room
    preview = _upload(client, xlsx(sheets))
    assert preview.status_code == 200
    html = preview.get_data(as_text=True)
    assert 'data-testid="import-row-meetings-2" data-outcome="updated"' in html
    changes = re.search(r'data-testid="import-changes-meetings-2">([^<]*)<', html).group(1)
    assert changes == "เปลี่ยน: สถานที่ (place)", changes
