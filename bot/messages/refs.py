"""Which pair, period and meeting day a nudge or check-in button is about."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.errors import MAX_ID, UserError


@dataclass(frozen=True)
class Ref:
    """`pair:period:day`, as a button's value (or block id, after a prefix) carries it."""

    pair_id: int
    period: dt.date
    day: dt.date

    @classmethod
    def parse(cls, text: object) -> Ref:
        """The ref in `text`; a UserError for anything our messages never carry."""
        parts = str(text).split(":")[-3:]
        if len(parts) != 3 or not (parts[0].isascii() and parts[0].isdigit()):
            raise UserError("stale_button")
        try:
            ref = cls(
                int(parts[0]), dt.date.fromisoformat(parts[1]), dt.date.fromisoformat(parts[2])
            )
        except ValueError:
            raise UserError("stale_button") from None
        if not 0 < ref.pair_id <= MAX_ID:
            raise UserError("stale_button")
        return ref

    def __str__(self) -> str:
        return f"{self.pair_id}:{self.period.isoformat()}:{self.day.isoformat()}"
