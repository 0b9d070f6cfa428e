"""A fiscal year's indicator parameters, stored as data (the OPDC changes them yearly)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from governance.extensions import db
from governance.models._columns import Timestamp, utc_now


class FiscalYearParameters(db.Model):
    __tablename__ = "fiscal_year_parameters"

    #: Buddhist-Era fiscal year, e.g. 2563
    fiscal_year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    #: the validated parameters document (see governance.indicators.parameters)
    document: Mapped[dict] = mapped_column(sa.JSON)
    updated_at: Mapped[datetime] = mapped_column(Timestamp, default=utc_now, onupdate=utc_now)
    #: bumped by every save: a criteria form opened before someone else's save is refused
    version: Mapped[int] = mapped_column(server_default=sa.text("1"))

    __mapper_args__ = {"version_id_col": version}
