"""Logging for every process: one line per record, to stderr, and no one's words in it.

Goals, reflections, lessons and pulse notes must never reach the logs at the default level,
whatever fails (DESIGN.md, Privacy). They travel in exceptions: a PostgreSQL error quotes the
row it refused ("Failing row contains (...)", "Key (text)=(...)", `invalid input syntax ...:
"..."`), and code may put a value in any message. So below DEBUG an exception is written as its
traceback (files, lines, code) and a description that names types, SQLSTATEs and constraints
but repeats no message; at DEBUG it is written in full.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import traceback
from typing import IO

from slack_sdk.errors import SlackApiError

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

# Python's own messages for these name code (types, attributes, modules), not data.
_CODE_MESSAGES = (AttributeError, NameError, ImportError, TypeError, ZeroDivisionError)
# SQLite's messages of these shapes name the schema, never a value.
_SQLITE_SAFE = re.compile(
    r"^(no such (table|column|index): [\w.]+|table \w+ has no column named \w+"
    r"|(UNIQUE|NOT NULL|CHECK|FOREIGN KEY|PRIMARY KEY) constraint failed(: [\w., ]+)?"
    r"|database is locked|database table is locked|disk I/O error"
    r"|database disk image is malformed)$"
)
_NAMED = ("schema_name", "table_name", "column_name", "constraint_name")


def configure_logging(level: str) -> None:
    logging.basicConfig(level=level, handlers=[log_handler(level=level)])
    # Alembic's INFO lines ("Context impl ...") are noise outside `mentorbot migrate`.
    logging.getLogger("alembic").setLevel(logging.WARNING)


def log_handler(stream: IO[str] | None = None, *, level: str = "INFO") -> logging.Handler:
    """The handler every process writes through (to stderr unless `stream` is given)."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(PrivateFormatter(FORMAT, full=level.upper() == "DEBUG"))
    return handler


class PrivateFormatter(logging.Formatter):
    """Writes exceptions without their messages (unless `full`): in the traceback, in the
    record's arguments, and where a library put `str(error)` into its own message."""

    def __init__(self, fmt: str | None = None, *, full: bool = False) -> None:
        super().__init__(fmt)
        self.full = full

    def format(self, record: logging.LogRecord) -> str:
        if self.full:
            return super().format(record)
        error = record.exc_info[1] if record.exc_info else None
        message = _without_messages(record.getMessage(), record.args, error)
        safe = logging.makeLogRecord({**record.__dict__, "msg": message, "args": None})
        safe.exc_text = None  # another handler may have cached the full traceback
        return super().format(safe)

    def formatException(self, ei) -> str:
        if self.full or ei[1] is None:
            return super().formatException(ei)
        return safe_traceback(ei[1])


def _without_messages(message: str, args: object, error: BaseException | None) -> str:
    errors = list(_chain(error)) if error is not None else []
    if isinstance(args, tuple):
        errors += [a for a in args if isinstance(a, BaseException)]
    elif isinstance(args, dict):
        errors += [a for a in args.values() if isinstance(a, BaseException)]
    for each in errors:
        text = str(each)
        if text and text in message:
            message = message.replace(text, describe(each))
    return message


def describe(error: BaseException) -> str:
    """The exception in words that cannot be anyone's: its type and, for a database error,
    the SQLSTATE and the names of what it hit; the statement, whose values are bound."""
    kind = _name(error)
    orig = getattr(error, "orig", None)
    if isinstance(orig, BaseException):  # SQLAlchemy's DBAPIError
        statement = " ".join(str(getattr(error, "statement", "") or "").split())[:300]
        return f"{kind}: {describe(orig)}" + (f" [SQL: {statement}]" if statement else "")
    if isinstance(error, sqlite3.Error):
        detail = getattr(error, "sqlite_errorname", "") or ""
        text = str(error)
        shown = f"{detail} {text}" if _SQLITE_SAFE.match(text) else detail
        return f"{kind}: {shown}".rstrip(": ")
    sqlstate = getattr(error, "sqlstate", None)
    if sqlstate:  # psycopg
        diag = getattr(error, "diag", None)
        names = [f"{n}={getattr(diag, n)}" for n in _NAMED if getattr(diag, n, None)]
        return " ".join([f"{kind}: SQLSTATE {sqlstate}", *names])
    if isinstance(error, SlackApiError):
        return f"{kind}: {error.response.get('error')}"
    if isinstance(error, _CODE_MESSAGES):
        return f"{kind}: {error}"
    return f"{kind} (message not logged; LOG_LEVEL=DEBUG shows it)"


def safe_traceback(error: BaseException) -> str:
    """Like traceback.format_exception, each exception in the chain by describe()."""
    parts: list[str] = []
    for i, each in enumerate(reversed(list(_chain(error)))):
        if i:
            parts.append("\nwhich led to:\n\n")
        parts.append("Traceback (most recent call last):\n")
        parts.extend(traceback.format_tb(each.__traceback__))
        parts.append(describe(each) + "\n")
    return "".join(parts).rstrip("\n")


def _chain(error: BaseException):
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )


def _name(error: BaseException) -> str:
    kind = type(error)
    module = kind.__module__
    return kind.__qualname__ if module == "builtins" else f"{module}.{kind.__qualname__}"
