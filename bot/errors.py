"""Errors a person can fix by typing something else.

Each carries the name of the template in prompts/errors/ that explains it and
the values that template needs; listeners turn them into ephemeral replies.
"""

from __future__ import annotations

MAX_ID = 2**31 - 1  # the database's integer ids: a larger one in a payload is forged


class UserError(Exception):
    """Something the person asked for cannot be done as asked; nothing was written."""

    def __init__(self, code: str, **context: object) -> None:
        super().__init__(code)
        self.code = code
        self.context = context
