"""Logging for every process: one line per record, to stderr."""

from __future__ import annotations

import logging


def configure_logging(level: str) -> None:
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # Alembic's INFO lines ("Context impl ...") are noise outside `mentorbot migrate`.
    logging.getLogger("alembic").setLevel(logging.WARNING)
