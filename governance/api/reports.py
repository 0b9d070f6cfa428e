"""/api/v1/ministerial-reports: performance reports sent to the supervising minister."""

from __future__ import annotations

from flask import url_for

from governance.api.auth import READERS, WRITERS, token_required
from governance.api.blueprint import bp
from governance.api.parsing import parse_body
from governance.api.schemas import (
    ID,
    MinisterialReport,
    MinisterialReportRequest,
    commit,
    fiscal_year_arg,
    no_content,
    respond,
)
from governance.services import reports


@bp.get("/ministerial-reports")
@token_required(*READERS)
def list_reports():
    return respond([MinisterialReport.of(r) for r in reports.list_reports(fiscal_year_arg())])


@bp.post("/ministerial-reports")
@token_required(*WRITERS)
def create_report():
    body = parse_body(MinisterialReportRequest)
    report = reports.create_report(body.to_input())
    commit()
    return respond(MinisterialReport.of(report), 201,
                   {"Location": url_for("api.get_report", report_id=report.id)})


@bp.get(f"/ministerial-reports/<{ID}:report_id>")
@token_required(*READERS)
def get_report(report_id: int):
    return respond(MinisterialReport.of(reports.get_report(report_id)))


@bp.put(f"/ministerial-reports/<{ID}:report_id>")
@token_required(*WRITERS)
def update_report(report_id: int):
    body = parse_body(MinisterialReportRequest)
    report = reports.update_report(report_id, body.to_input())
    commit()
    return respond(MinisterialReport.of(report))


@bp.delete(f"/ministerial-reports/<{ID}:report_id>")
@token_required(*WRITERS)
def delete_report(report_id: int):
    reports.delete_report(report_id)
    commit()
    return no_content()
