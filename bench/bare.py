"""The framework's floor: a bare Flask app rendering a Jinja template of a given size, no database.

``/bare/<size>`` answers an HTML page of about ``size`` bytes: a base layout and a table
whose rows are rendered one by one with autoescaped values, as the app's pages are.
Served by gunicorn from the bench: ``bench.bare:create_app()``.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, render_template

ROW = {"number": "12/2568", "title": "วาระการประชุม: รายงานผลการดำเนินงาน & การควบคุมภายใน", "note": "ไตรมาส 2"}
#: bytes of the page without rows, and of one rendered row (measured at start-up)
_sizes = {"empty": 0, "row": 1}


def create_app() -> Flask:
    app = Flask(__name__, template_folder=str(Path(__file__).parent / "templates"))

    @app.get("/bare/<int:size>")
    def bare(size: int):
        count = max(0, (size - _sizes["empty"]) // _sizes["row"])
        return render_template("bare.html", rows=[ROW] * count)

    with app.test_request_context():
        _sizes["empty"] = len(render_template("bare.html", rows=[]).encode())
        _sizes["row"] = len(render_template("bare.html", rows=[ROW]).encode()) - _sizes["empty"]
    return app
