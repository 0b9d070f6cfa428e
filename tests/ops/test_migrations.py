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


def test_stored_criteria_titles_become_templates_of_their_own_year(tmp_path):
    import importlib.util
    import json
    from pathlib import Path

    from flask_migrate import downgrade

    from governance.indicators import default_parameters, parse_parameters

    source = Path(__file__).resolve().parents[2] / "migrations" / "versions" / "0016_year_titles.py"
    spec = importlib.util.spec_from_file_location("migration_0016", source)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)

    def stored_before_0016(fy: int, custom: str | None = None) -> dict:
        # what the app before 0016 stored: every year seeded with FY2563's own words
        document = default_parameters(fy)
        for item in document["indicators"]:
            if item["number"] in migration.SEED:
                item["title_th"], item["title_en"] = migration.SEED[item["number"]]
        if custom:
            document["indicators"][0]["title_th"] = custom
        return document

    url = f"sqlite:///{tmp_path / 'titles.sqlite'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    with app.app_context():
        upgrade(revision="0015")
        engine = sa.create_engine(url)
        documents = {2563: stored_before_0016(2563), 2564: stored_before_0016(2564),
                     2570: stored_before_0016(2570, custom="ทบทวน {ผลงาน}")}
        with engine.begin() as conn:
            for fy, document in documents.items():
                conn.exec_driver_sql("INSERT INTO fiscal_year_parameters (fiscal_year, document, updated_at, version)"
                                     " VALUES (?, ?, '2026-01-01 00:00:00', 3)", (fy, json.dumps(document)))
        upgrade()

        def stored() -> dict:
            with engine.connect() as conn:
                rows = conn.exec_driver_sql("SELECT fiscal_year, document, version FROM fiscal_year_parameters")
                return {fy: (json.loads(doc), version) for fy, doc, version in rows}

        after = stored()
        titles = {fy: {s.number: s for s in parse_parameters(doc).indicators} for fy, (doc, _) in after.items()}
        assert titles[2563][11].title_th == migration.SEED[11][0]  # the seed's text, exactly
        assert titles[2564][11].title_th.endswith("พ.ศ. 2564") and "2563 - 2565" in titles[2564][11].title_th
        assert titles[2570][11].title_th.endswith("(พ.ศ. 2566 - 2570) และแผนปฏิบัติการประจำปีงบประมาณ พ.ศ. 2570")
        assert titles[2570][10].title_th == "ทบทวน {ผลงาน}"  # a brace the secretary typed stays a brace
        assert {version for _, version in after.values()} == {3}  # wording, not a new version of the criteria

        downgrade(revision="0015")
        before = stored()
        assert before[2563][0] == documents[2563]
        assert before[2570][0]["indicators"][0]["title_th"] == "ทบทวน {ผลงาน}"
        assert before[2570][0]["indicators"][1]["title_th"].endswith("พ.ศ. 2570")
        engine.dispose()
        from governance.extensions import db
        db.engine.dispose()
