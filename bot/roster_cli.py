"""`mentorbot import-pairs` and `mentorbot export`: pairs in from CSV, activity out as CSV.

The rules live in bot.services.roster; this module reads and writes the files and
makes the Slack calls (users.info, users.lookupByEmail, conversations.open).
"""

from __future__ import annotations

import csv
import datetime as dt
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import click
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import orm as so

from bot.import_progress import Estimate, progress
from bot.models import Pair, Programme
from bot.services import roster
from bot.settings import Settings, fail, load_settings, reveal
from bot.slack import SlackUser, parse_user, workspace_users
from bot.slack_limits import Pacer

SLACK_TROUBLE = (SlackApiError, OSError)  # OSError: timeouts and dropped connections


@click.command("import-pairs")
@click.argument("file", metavar="FILE.csv")
@click.option(
    "--dry-run",
    is_flag=True,
    help="Check every row, Slack look-ups included, but write nothing and open no conversation.",
)
@click.option(
    "--reopen",
    is_flag=True,
    help="Pair again the people of a row whose pair was closed (a new pair; the closed one"
    " stays as history). Without it such rows are reported and skipped.",
)
@click.option(
    "--programme",
    "handle",
    metavar="HANDLE",
    help="The programme the pairs join, when a row names none (by default the default one).",
)
def import_pairs(file: str, dry_run: bool, reopen: bool, handle: str | None) -> None:
    """Register the pairs listed in FILE.csv.

    Columns: mentor and mentee (a Slack user ID or an e-mail), and optionally cadence
    (weekly, biweekly, monthly), weekday (mon..fri) and programme (a handle); blank
    means the programme's default (and the programme --programme names, or the default
    one). Each row goes in on its own; rows that cannot are reported by number, and
    pairs that already exist are left alone, so running a file twice changes nothing.
    A row naming two people whose pair was closed is reported and skipped, unless
    --reopen.
    Welcomes are owed through the outbox; the scheduler posts them.
    """
    from bot.app import boot
    from bot.db import make_sessionmaker
    from bot.slack import make_client

    rows = _read(file)  # first: a mistyped name needs no database to be reported
    settings, engine = boot("SLACK_BOT_TOKEN")
    _check_programme(make_sessionmaker(engine), handle)
    client = make_client(
        token=reveal(settings.slack_bot_token), base_url=settings.slack_api_url, pacer=Pacer()
    )
    importer = Importer(
        settings=settings,
        sessions=make_sessionmaker(engine),
        client=client,
        team_id=_team_id(client, settings),
        now=dt.datetime.now(dt.UTC),
        dry_run=dry_run,
        reopen=reopen,
        people=roster.people_named(rows),
        handle=handle,
    )
    estimate = Estimate(len(rows), per_minute=None) if dry_run else Estimate(len(rows))
    with progress(rows, file=sys.stderr, estimate=estimate) as each_row:
        for row in each_row:
            importer.add(row)
    engine.dispose()
    tally = importer.tally
    for number, reason in tally.refused:
        click.echo(f"row {number}: {reason}")
    click.echo(_summary(tally, dry_run=dry_run))


def _check_programme(sessions: so.sessionmaker[so.Session], handle: str | None) -> None:
    """Stop before any row when --programme names no programme."""
    from bot.services.programmes import find

    if handle is not None:
        with sessions() as session:
            if find(session, handle) is None:
                fail(f"there is no programme {handle!r} (`/mentor-programme list` shows them)")


def _read(file: str) -> list[roster.Row]:
    try:
        with open(file, encoding="utf-8-sig", newline="") as lines:
            return roster.read_rows(lines)
    except roster.RosterFileError as error:
        fail(f"{file} {error}")
    except OSError as error:
        fail(f"cannot read {file}: {error.strerror or error}")
    raise AssertionError("unreachable: fail() exits")


def _team_id(client: WebClient, settings: Settings) -> str:
    """The workspace's ID (people are keyed by it, as slash commands key them)."""
    try:
        return str(client.auth_test()["team_id"])
    except SlackApiError as error:
        fail(f"SLACK_BOT_TOKEN: Slack refused it ({error.response.get('error')})")
    except OSError as error:
        fail(f"SLACK_API_URL: cannot reach Slack at {settings.slack_api_url} ({error})")
    raise AssertionError("unreachable: fail() exits")


def _summary(tally: roster.Tally, *, dry_run: bool) -> str:
    pairs, rows = _plural(tally.imported, "pair"), _plural(len(tally.refused), "row")
    why = f"{tally.already_paired} already paired" + (
        f", {tally.closed} closed" if tally.closed else ""
    )
    if dry_run:
        return f"dry run: would import {pairs}, skip {rows} ({why}); nothing written"
    return f"imported {pairs}, skipped {rows} ({why})"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


@dataclass
class Importer:
    """Adds rows one at a time, each in its own transaction."""

    settings: Settings
    sessions: so.sessionmaker[so.Session]
    client: WebClient
    team_id: str
    now: dt.datetime
    dry_run: bool
    reopen: bool = False
    people: int = 0  # the different people the file names, which decides how to look them up
    handle: str | None = None  # the programme of the rows that name none; None: the default
    tally: roster.Tally = field(default_factory=roster.Tally)
    directory: SlackDirectory = field(init=False)

    def __post_init__(self) -> None:
        self.directory = SlackDirectory(
            self.client, list_first=self.people > LOOKUPS_BEFORE_LISTING
        )

    def add(self, row: roster.Row) -> None:
        try:
            checked = roster.check_row(row, self.directory)
            self.tally.refuse_repeat(checked)
            self._pair(checked)
        except roster.BadRow as refused:
            self.tally.refuse(row.number, refused)

    def _pair(self, checked: roster.Checked) -> None:
        try:
            conversation = None if self.dry_run else self._open_conversation(checked)
            with _row_transaction(self.sessions, keep=not self.dry_run) as session:
                programme = self._programme(session, checked)
                pair = roster.add_pair(
                    session,
                    programme=programme,
                    row=checked,
                    team_id=self.team_id,
                    now=self.now,
                    reopen=self.reopen,
                )
                if conversation is not None:
                    self._owe_welcome(session, pair, conversation)
        except (roster.AlreadyPaired, roster.WasClosed):
            self.tally.paired(checked, new=False)
            raise
        self.tally.paired(checked, new=True)

    def _programme(self, session: so.Session, checked: roster.Checked) -> Programme:
        """The row's programme: the one it names, or the import's, or the default one."""
        from bot.services.programmes import default_programme, find

        handle = checked.programme or self.handle
        if handle is None:
            return default_programme(session, self.settings.programme_defaults)
        programme = find(session, handle)
        if programme is None:
            raise roster.BadRow(f"there is no programme {handle!r}")
        return programme

    def _open_conversation(self, checked: roster.Checked) -> str:
        """The pair's group DM, opened before the row's transaction (no Slack call is made
        while it is open), and only for a row that will be paired (read first);
        conversations.open gives the same one every time."""
        with self.sessions() as session:
            roster.refuse_row(
                session,
                programme_id=self._programme(session, checked).id,
                team_id=self.team_id,
                row=checked,
                reopen=self.reopen,
            )
        members = [checked.mentor.user_id, checked.mentee.user_id]
        try:
            return self.client.conversations_open(users=members)["channel"]["id"]
        except SLACK_TROUBLE as error:
            raise roster.BadRow(
                f"Slack would not open the pair's conversation ({_slack_error(error)})"
            ) from None

    def _owe_welcome(self, session: so.Session, pair: Pair, conversation: str) -> None:
        """Owe the welcome in the pair's conversation, once (the key is unique)."""
        from bot.messages.pairs import welcome
        from bot.rhythm.outbox import Owed, enqueue

        pair.conversation_id = conversation
        owed = Owed(
            key=f"welcome:{pair.id}",
            kind="welcome",
            channel=pair.conversation_id,
            message=welcome(pair),
            not_before=self.now,
            pair_id=pair.id,
        )
        enqueue(session, [owed])


@contextmanager
def _row_transaction(sessions: so.sessionmaker[so.Session], *, keep: bool) -> Iterator[so.Session]:
    """One row's unit of work: committed if `keep` and nothing failed, else rolled back."""
    with sessions() as session:
        try:
            yield session
        except BaseException:
            session.rollback()
            raise
        if keep:
            session.commit()
        else:
            session.rollback()


LOOKUPS_BEFORE_LISTING = 100


class SlackDirectory:
    """Who the file's people are in Slack, as plain values, each asked once per run.

    The first LOOKUPS_BEFORE_LISTING people are asked for one by one (users.info,
    users.lookupByEmail); past that, the whole workspace is read once from users.list
    (200 people a call) and the rest are found there, falling back to a single look-up
    only for someone the listing did not show. With `list_first` (a file naming more
    people than that, which would come to the listing anyway) the listing is read before
    anyone is looked up. So a file of 4,000 people costs 20 calls in a workspace of 4,000,
    not 4,000 (users.list is Tier 2, 20 calls a minute; the look-ups Tier 3, 50)."""

    def __init__(self, client: WebClient, *, list_first: bool = False) -> None:
        self.client = client
        self.list_first = list_first
        self._known: dict[tuple[str, str], roster.Account | None] = {}
        self._listed: dict[tuple[str, str], roster.Account] | None = None

    def by_id(self, user_id: str) -> roster.Account | None:
        return self._ask("users.info", user_id, self._by_id)

    def by_email(self, email: str) -> roster.Account | None:
        return self._ask("users.lookupByEmail", email.lower(), self._by_email)

    def _ask(
        self, method: str, value: str, look_up: Callable[[str], roster.Account | None]
    ) -> roster.Account | None:
        if (method, value) not in self._known:
            try:
                listed = self._listing().get((method, value))
                self._known[method, value] = listed or look_up(value)
            except SLACK_TROUBLE as error:
                raise roster.DirectoryError(
                    f"Slack could not answer {method} ({_slack_error(error)})"
                ) from None
        return self._known[method, value]

    def _listing(self) -> dict[tuple[str, str], roster.Account]:
        """Everyone in the workspace by ID and by e-mail, read once there have been more
        than LOOKUPS_BEFORE_LISTING look-ups, or at once if `list_first` (empty until then)."""
        many = self.list_first or len(self._known) >= LOOKUPS_BEFORE_LISTING
        if self._listed is None and many:
            self._listed = {}
            for user in workspace_users(self.client):
                account = _account_of(user)
                self._listed["users.info", user.id] = account
                if user.email:
                    self._listed["users.lookupByEmail", user.email] = account
        return self._listed or {}

    def _by_id(self, user_id: str) -> roster.Account | None:
        try:
            user = self.client.users_info(user=user_id)["user"]
        except SlackApiError as error:
            if error.response.get("error") in {"user_not_found", "user_not_visible"}:
                return None
            raise
        return _account_of(parse_user(user))

    def _by_email(self, email: str) -> roster.Account | None:
        try:
            user = self.client.users_lookupByEmail(email=email)["user"]
        except SlackApiError as error:
            if error.response.get("error") == "users_not_found":
                return None
            raise
        return _account_of(parse_user(user))


def _account_of(user: SlackUser) -> roster.Account:
    return roster.Account(
        user_id=user.id,
        tz=user.tz or "UTC",
        is_bot=user.is_bot,
        deleted=user.deleted,
        name=user.name,
    )


def _slack_error(error: BaseException) -> str:
    if isinstance(error, SlackApiError):
        return str(error.response.get("error") or f"HTTP {error.response.status_code}")
    return str(error) or type(error).__name__


@click.command()
@click.option(
    "--out",
    metavar="FILE",
    help="Write the CSV to FILE instead of standard output.",
)
@click.option(
    "--programme",
    "handle",
    metavar="HANDLE",
    help="Only the pairs of this programme (by default every programme's).",
)
def export(out: str | None, handle: str | None) -> None:
    """Write one CSV row of activity figures per pair: counts and dates, never private text.

    Columns: pair_id, programme (its handle), mentor, mentee, status, cadence, weekday,
    created_on (UTC), meetings, last_meeting, goals_open, goals_done, reflections,
    reschedules, skips, nudges_sent. Needs no Slack token.
    """
    from bot.db import make_engine, make_sessionmaker
    from bot.schema import require_current

    settings = load_settings()
    engine = make_engine(settings.database_url)
    require_current(engine)
    _check_programme(make_sessionmaker(engine), handle)
    with make_sessionmaker(engine)() as session:
        activity = [pair.csv_row() for pair in roster.pair_activity(session, handle=handle)]
    engine.dispose()
    if out is None:
        _write_csv(sys.stdout, activity)
        return
    try:
        with open(out, "w", encoding="utf-8", newline="") as stream:
            _write_csv(stream, activity)
    except OSError as error:
        fail(f"cannot write {out}: {error.strerror or error}")
    click.echo(f"wrote {_plural(len(activity), 'pair')} to {out}", err=True)


def _write_csv(stream: Any, rows: list[list[str]]) -> None:
    writer = csv.writer(stream)
    writer.writerow(roster.EXPORT_COLUMNS)
    writer.writerows(rows)
