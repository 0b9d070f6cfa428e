"""The website checklist service agrees with indicator 17 item by item."""

from __future__ import annotations

from datetime import date

import pytest

from governance.extensions import db
from governance.services import website
from governance.services.errors import ValidationFailed

FY = 2563


def test_an_item_is_current_only_when_updated_within_the_year(app):
    rows = website.checklist(FY, date(2020, 6, 30))
    assert rows and not any(r.present for r in rows)
    key = next(r.item.key for r in rows if r.item.freshness == "current_fy")
    website.record_website_item(FY, key, "https://example.go.th/annual", date(2019, 9, 30))
    db.session.commit()
    row = next(r for r in website.checklist(FY, date(2020, 6, 30)) if r.item.key == key)
    assert row.present and not row.current  # updated the day before FY2563 began
    website.record_website_item(FY, key, "https://example.go.th/annual", date(2019, 10, 1))
    db.session.commit()
    row = next(r for r in website.checklist(FY, date(2020, 6, 30)) if r.item.key == key)
    assert row.current


@pytest.mark.parametrize(("key", "url", "field"), [
    ("no_such_item", "https://example.go.th/", "key"),
    (None, "javascript:alert(1)", "url"),
    (None, "example.go.th/page", "url"),
])
def test_bad_items_are_refused_by_field(app, key, url, field):
    key = key or website.checklist(FY, date(2020, 6, 30))[0].item.key
    with pytest.raises(ValidationFailed) as error:
        website.record_website_item(FY, key, url, date(2020, 1, 1))
    assert field in error.value.fields
