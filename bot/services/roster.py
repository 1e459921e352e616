"""Pairs in and out as CSV: the checks an import row must pass, and per-pair activity.

Slack look-ups are the caller's: `check_row` asks a `Directory` for each person, so
these rules see only plain values and a session.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

import sqlalchemy as sa
from sqlalchemy import orm as so

from bot.models import (
    Cadence,
    Goal,
    GoalStatus,
    Meeting,
    OutboxMessage,
    OutboxStatus,
    Pair,
    PairStatus,
    Period,
    PeriodAnswer,
    Person,
    Programme,
    Reflection,
)
from bot.models.enums import WEEKDAY_NAMES, WEEKDAY_WORDS
from bot.programme_defaults import is_handle
from bot.services.pairs import create_pair, pairs_of_two
from bot.services.people import get_or_create_person
from bot.settings import USER_ID
from bot.text import typed

IMPORTED_BY = "import"
REQUIRED = ("mentor", "mentee")
OPTIONAL = ("cadence", "weekday", "programme")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class RosterFileError(Exception):
    """The file as a whole cannot be imported; the text completes 'FILE ...'."""


class BadRow(Exception):
    """One row cannot be imported; `reason` says why, for a person fixing the file."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class AlreadyPaired(BadRow):
    """The row's two people already have an open pair."""


class WasClosed(BadRow):
    """The row's two people were paired, and that pair is closed; `--reopen` pairs them again."""


@dataclass(frozen=True)
class Row:
    number: int  # as a spreadsheet numbers it: the header is row 1
    mentor: str
    mentee: str
    cadence: str
    weekday: str
    programme: str = ""  # a programme's handle; blank: the one the import is for


@dataclass(frozen=True)
class Account:
    """What the workspace says about one user."""

    user_id: str
    tz: str
    is_bot: bool
    deleted: bool
    name: str | None  # the name Slack shows for them; None if it gives none


class DirectoryError(Exception):
    """A look-up the workspace could not answer (not 'no such user'); the text says why."""


class Directory(Protocol):
    def by_id(self, user_id: str) -> Account | None: ...

    def by_email(self, email: str) -> Account | None: ...


@dataclass(frozen=True)
class Checked:
    """A row whose people exist and whose options are valid."""

    number: int
    mentor: Account
    mentee: Account
    cadence: Cadence | None
    weekday: int | None
    programme: str | None = None  # a handle, checked against the database when paired

    @property
    def members(self) -> frozenset[str]:
        return frozenset((self.mentor.user_id, self.mentee.user_id))


def read_rows(lines: Iterable[str]) -> list[Row]:
    """The file's rows after its header; blank rows are ignored but keep their numbers."""
    reader = csv.reader(lines)
    try:
        header = next(reader, None)
        if header is None:
            raise RosterFileError("is empty; it needs a header row naming mentor and mentee")
        names = [typed(name).strip().lower() for name in header]
        missing = [name for name in REQUIRED if name not in names]
        if missing:
            raise RosterFileError(
                f"has no {' or '.join(missing)} column in its header row"
                f" ({', '.join(repr(name) for name in header)})"
            )
        where = {name: names.index(name) for name in REQUIRED + OPTIONAL if name in names}
        return [
            Row(number, *(_cell(record, where.get(name)) for name in REQUIRED + OPTIONAL))
            for number, record in enumerate(reader, start=2)
            if any(typed(cell).strip() for cell in record)
        ]
    except UnicodeDecodeError:
        raise RosterFileError("is not UTF-8 text") from None
    except csv.Error as error:
        raise RosterFileError(f"is not CSV I can read (line {reader.line_num}: {error})") from None


def _cell(record: list[str], index: int | None) -> str:
    """One cell as typed, without control characters (a NUL byte included)."""
    return typed(record[index]).strip() if index is not None and index < len(record) else ""


def people_named(rows: Iterable[Row]) -> int:
    """How many different people (user IDs or e-mails, whatever their case) `rows` name."""
    return len({cell.lower() for row in rows for cell in (row.mentor, row.mentee) if cell})


def check_row(row: Row, directory: Directory) -> Checked:
    """The row's people and options, or BadRow naming every problem with them."""
    problems: list[str] = []
    people: list[Account] = []
    for role, value in (("mentor", row.mentor), ("mentee", row.mentee)):
        try:
            people.append(_account(role, value, directory))
        except BadRow as refused:
            problems.append(refused.reason)
    cadence = _cadence(row.cadence, problems)
    weekday = _weekday(row.weekday, problems)
    handle = row.programme.lower() or None
    if handle is not None and not is_handle(handle):
        problems.append(f"programme {row.programme!r} is not a programme's handle")
    if problems:
        raise BadRow("; ".join(problems))
    mentor, mentee = people
    if mentor.user_id == mentee.user_id:
        raise BadRow(f"mentor and mentee are the same person ({mentor.user_id})")
    return Checked(row.number, mentor, mentee, cadence, weekday, handle)


def _account(role: str, value: str, directory: Directory) -> Account:
    if not value:
        raise BadRow(f"{role} is blank")
    try:
        if USER_ID.match(value):
            account, missing = directory.by_id(value), f"no Slack user has the ID {value}"
        elif EMAIL.match(value) and value.isprintable():
            account, missing = directory.by_email(value), f"no Slack user has the e-mail {value}"
        else:
            raise BadRow(
                f"{role} {value!r} is neither a Slack user ID (like U0123ABCD) nor an e-mail"
            )
    except DirectoryError as error:
        raise BadRow(f"{role} {value}: {error}") from None
    if account is None:
        raise BadRow(f"{role}: {missing}")
    if account.is_bot:
        raise BadRow(f"{role} {value} is a bot")
    if account.deleted:
        raise BadRow(f"{role} {value} is deactivated")
    return account


def _cadence(text: str, problems: list[str]) -> Cadence | None:
    if not text:
        return None
    if text.lower() not in Cadence._value2member_map_:
        problems.append(f"cadence {text!r} is not weekly, biweekly or monthly")
        return None
    return Cadence(text.lower())


def _weekday(text: str, problems: list[str]) -> int | None:
    if not text:
        return None
    if text.lower() not in WEEKDAY_WORDS:
        problems.append(f"weekday {text!r} is not one of mon, tue, wed, thu, fri")
        return None
    return WEEKDAY_WORDS[text.lower()]


def add_pair(
    session: so.Session,
    *,
    programme: Programme,
    row: Checked,
    team_id: str,
    now: dt.datetime,
    reopen: bool = False,
) -> Pair:
    """The row's pair, with its people known; AlreadyPaired if they have an open pair.

    If the two were paired before and that pair is closed, WasClosed, unless `reopen`:
    then they are paired again, as a new pair (the closed one stays, as history).
    """
    refuse_row(session, programme_id=programme.id, team_id=team_id, row=row, reopen=reopen)
    mentor, mentee = (
        get_or_create_person(
            session, team_id=team_id, user_id=account.user_id, tz=account.tz, name=account.name
        )
        for account in (row.mentor, row.mentee)
    )
    return create_pair(
        session,
        programme=programme,
        mentor=mentor,
        mentee=mentee,
        cadence=row.cadence,
        weekday=row.weekday,
        created_by=IMPORTED_BY,
        now=now,
    )


def refuse_row(
    session: so.Session, *, programme_id: int, team_id: str, row: Checked, reopen: bool
) -> None:
    """AlreadyPaired if the row's two people (either way round) have an open pair in the
    programme; WasClosed, with the day the last one closed, if all their pairs are closed
    (unless `reopen`); nothing if they were never paired."""
    pairs = pairs_of_two(
        session,
        programme_ids=[programme_id],
        team_id=team_id,
        first=row.mentor.user_id,
        second=row.mentee.user_id,
    )
    for pair in pairs:
        if pair.status is not PairStatus.CLOSED:
            mentor, mentee = pair.mentor.slack_user_id, pair.mentee.slack_user_id
            raise AlreadyPaired(f"already paired ({mentor} mentors {mentee}, {pair.status.value})")
    if pairs and not reopen:
        last = max(pair.closed_at or pair.status_changed_at for pair in pairs)
        raise WasClosed(f"closed on {last.date().isoformat()}")


@dataclass
class Tally:
    """What an import did, row by row, and which pairs earlier rows of the file named."""

    imported: int = 0
    already_paired: int = 0
    closed: int = 0  # rows naming a pair that is closed, skipped without --reopen
    refused: list[tuple[int, str]] = field(default_factory=list)
    _rows_of: dict[tuple[str | None, frozenset[str]], int] = field(default_factory=dict)

    def refuse_repeat(self, row: Checked) -> None:
        """BadRow if an earlier row of the file names the same two people, either way round,
        for the same programme."""
        earlier = self._rows_of.get((row.programme, row.members))
        if earlier is not None:
            raise BadRow(f"same pair as row {earlier}")

    def paired(self, row: Checked, *, new: bool) -> None:
        self._rows_of.setdefault((row.programme, row.members), row.number)
        if new:
            self.imported += 1

    def refuse(self, number: int, refused: BadRow) -> None:
        self.refused.append((number, refused.reason))
        if isinstance(refused, AlreadyPaired):
            self.already_paired += 1
        elif isinstance(refused, WasClosed):
            self.closed += 1


@dataclass(frozen=True)
class PairActivity:
    """One pair's figures for the export: identifiers, rhythm and counts, never text."""

    pair_id: int
    programme: str  # its handle
    mentor: str
    mentee: str
    status: str
    cadence: str
    weekday: str
    created_on: dt.date
    meetings: int
    last_meeting: dt.date | None
    goals_open: int
    goals_done: int
    reflections: int
    reschedules: int
    skips: int
    nudges_sent: int

    def csv_row(self) -> list[str]:
        return ["" if value is None else str(value) for value in dataclasses.astuple(self)]


EXPORT_COLUMNS = tuple(f.name for f in dataclasses.fields(PairActivity))


def pair_activity(session: so.Session, handle: str | None = None) -> Iterator[PairActivity]:
    """Every pair's figures (of the programme `handle` names, if given), oldest pair first,
    in one statement whatever the number of pairs."""
    mentor, mentee = so.aliased(Person), so.aliased(Person)
    meetings = _per_pair(
        Meeting.pair_id, sa.func.count().label("n"), sa.func.max(Meeting.held_on).label("last")
    )
    goals = _per_pair(
        Goal.pair_id,
        _how_many(Goal.status == GoalStatus.OPEN).label("open"),
        _how_many(Goal.status == GoalStatus.DONE).label("done"),
    )
    reflections = _per_pair(Reflection.pair_id, sa.func.count().label("n"))
    periods = _per_pair(
        Period.pair_id,
        sa.func.sum(Period.reschedules).label("reschedules"),
        _how_many(Period.answer == PeriodAnswer.SKIPPED).label("skips"),
    )
    nudges = _per_pair(
        OutboxMessage.pair_id,
        sa.func.count().label("n"),
        where=(OutboxMessage.kind == "nudge", OutboxMessage.status == OutboxStatus.SENT),
    )
    query = (
        sa.select(
            Pair,
            Programme.handle,
            mentor.slack_user_id,
            mentee.slack_user_id,
            meetings.c.n,
            meetings.c.last,
            goals.c.open,
            goals.c.done,
            reflections.c.n,
            periods.c.reschedules,
            periods.c.skips,
            nudges.c.n,
        )
        .join(Programme, Pair.programme_id == Programme.id)
        .join(mentor, Pair.mentor_id == mentor.id)
        .join(mentee, Pair.mentee_id == mentee.id)
        .order_by(Pair.id)
    )
    if handle is not None:
        query = query.where(Programme.handle == handle.lower())
    for table in (meetings, goals, reflections, periods, nudges):
        query = query.outerjoin(table, table.c.pair_id == Pair.id)
    for pair, programme, mentor_id, mentee_id, *figures in session.execute(query):
        meeting_count, last_meeting, *counts = figures
        yield PairActivity(
            pair.id,
            programme,
            mentor_id,
            mentee_id,
            pair.status.value,
            pair.cadence.value,
            WEEKDAY_NAMES[pair.weekday][:3].lower(),
            pair.created_at.date(),
            meeting_count or 0,
            last_meeting,
            *(int(count or 0) for count in counts),
        )


def _per_pair(
    pair_id: sa.ColumnElement[int | None],
    *figures: sa.ColumnElement[object],
    where: tuple[sa.ColumnElement[bool], ...] = (),
) -> sa.Subquery:
    return sa.select(pair_id.label("pair_id"), *figures).where(*where).group_by(pair_id).subquery()


def _how_many(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
    return sa.func.sum(sa.case((condition, 1), else_=0))
