"""Column helpers shared by the model modules."""

from __future__ import annotations

from enum import StrEnum

import sqlalchemy as sa

from governance import clock


def enum_type(enum_class: type[StrEnum], name: str) -> sa.Enum:
    """A portable enum: VARCHAR plus a CHECK constraint, storing the member's value."""
    return sa.Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        validate_strings=True,
        values_callable=lambda members: [m.value for m in members],
    )


def utc_now():
    return clock.now()


Timestamp = sa.DateTime(timezone=True)
