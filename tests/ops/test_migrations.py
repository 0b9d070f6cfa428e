"""Upgrading a database that holds records keeps every record."""

from __future__ import annotations

import sqlalchemy as sa
from flask_migrate import upgrade

from governance import create_app


def test_upgrading_keeps_the_children_of_rebuilt_tables(tmp_path):
    # SQLite rebuilds a table to alter it; with foreign keys on, dropping the old copy
    # once deleted every attendance row and agenda item through ON DELETE CASCADE.
    url = f"sqlite:///{tmp_path / 'upgrade.sqlite'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    with app.app_context():
        upgrade(revision="0005")
        engine = sa.create_engine(url)
        with engine.begin() as conn:
            conn.exec_driver_sql(
                "INSERT INTO director (id, name, position, term_start, counts_for_attendance, created_at, version)"
                " VALUES (1, 'กรรมการ', 'director', '2019-01-01', 1, '2019-01-01 00:00:00', 1)")
            conn.exec_driver_sql(
                "INSERT INTO meeting (id, held_on, kind, number, title, status, body, created_at, version)"
                " VALUES (1, '2019-11-01', 'regular', '1/2563', 'ประชุม', 'held', 'board', '2019-11-01 00:00:00', 1)")
            conn.exec_driver_sql("INSERT INTO attendance (meeting_id, director_id, status) VALUES (1, 1, 'in_person')")
            conn.exec_driver_sql(
                "INSERT INTO agenda_item (meeting_id, position, topic, title, states_problems_and_remedies, version)"
                " VALUES (1, 1, 'annual_plan', 'แผนปฏิบัติการ', 0, 1)")
        upgrade()
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM attendance").scalar() == 1
            assert conn.exec_driver_sql("SELECT section FROM agenda_item").scalar() == "for_consideration"
        engine.dispose()
        from governance.extensions import db
        db.engine.dispose()


def test_downgrading_past_the_workflow_keeps_meetings_and_upgrading_again_works(tmp_path):
    from flask_migrate import downgrade

    url = f"sqlite:///{tmp_path / 'roundtrip.sqlite'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    with app.app_context():
        upgrade()
        engine = sa.create_engine(url)
        with engine.begin() as conn:
            conn.exec_driver_sql(
                "INSERT INTO meeting (id, held_on, kind, number, title, status, body, created_at, version)"
                " VALUES (1, '2019-11-01', 'regular', '1/2563', 'ประชุม', 'held', 'board', '2019-11-01 00:00:00', 1)")
            conn.exec_driver_sql(
                "INSERT INTO agenda_item (meeting_id, position, topic, title, states_problems_and_remedies, version,"
                " section, resolution) VALUES (1, 1, 'annual_plan', 'แผน', 0, 1, 'for_information', 'รับทราบ')")
        downgrade(revision="0005")
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT title FROM agenda_item").scalar() == "แผน"
            assert conn.exec_driver_sql("SELECT count(*) FROM sqlite_master WHERE name LIKE '_alembic_tmp%'").scalar() == 0
        upgrade()
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT section FROM agenda_item").scalar() == "for_consideration"
        engine.dispose()
        from governance.extensions import db
        db.engine.dispose()
