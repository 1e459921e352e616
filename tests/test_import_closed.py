"""`mentorbot import-pairs` and pairs that were closed (issue 8, item 12), and typed control
characters in the file's cells (item 7)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.cli import main
from bot.demo.stand_in import TEAM_ID
from bot.models import Cadence, OutboxMessage, Pair, PairStatus
from bot.programme_defaults import DefaultValues
from bot.services.pairs import create_pair
from bot.services.people import get_or_create_person
from bot.services.programmes import default_programme
from bot.settings import Settings
from tests.conftest import COORDINATOR_CHANNEL
from tests.helpers_cli import cli_runner

ANNA, BEN, CARA, DAN = "UANNA0001", "UBEN00001", "UCARA0001", "UDAN00001"
CLOSED_AT = dt.datetime(2026, 3, 2, 23, 30, tzinfo=dt.UTC)


@pytest.fixture
def workspace(slack):
    slack.add_user(ANNA, name="anna", email="anna@example.com", tz="Europe/Berlin")
    slack.add_user(BEN, name="ben", email="ben@example.com")
    slack.add_user(CARA)
    slack.add_user(DAN)
    return slack


@pytest.fixture
def mentorbot(workspace, database_url, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = cli_runner(database_url, workspace.url)

    def run(*args: str):
        return runner.invoke(main, list(args), catch_exceptions=False)

    return run


def write(tmp_path: Path, text: str) -> str:
    (tmp_path / "pairs.csv").write_text(text, encoding="utf-8")
    return "pairs.csv"


def seed_pair(sessions, mentor: str, mentee: str, *, closed_at: dt.datetime | None = None) -> int:
    with sessions.begin() as session:
        programme = default_programme(
            session,
            DefaultValues(
                name=Settings().programme_name, coordinator_channel_id=COORDINATOR_CHANNEL
            ),
        )
        people = [
            get_or_create_person(session, team_id=TEAM_ID, user_id=u) for u in (mentor, mentee)
        ]
        pair = create_pair(
            session,
            programme=programme,
            mentor=people[0],
            mentee=people[1],
            cadence=None,
            weekday=None,
            created_by="UCOORD01",
            now=dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC),
        )
        if closed_at is not None:
            pair.status, pair.closed_at, pair.next_check_at = PairStatus.CLOSED, closed_at, None
        return pair.id


def stored(sessions) -> list[tuple[int, str, str, PairStatus, str]]:
    with sessions() as session:
        return [
            (p.id, p.mentor.slack_user_id, p.mentee.slack_user_id, p.status, p.created_by)
            for p in session.scalars(sa.select(Pair).order_by(Pair.id))
        ]


def opened(slack) -> list[set[str]]:
    return [set(call.args["users"].split(",")) for call in slack.calls_to("conversations.open")]


ROWS = "mentor,mentee\nUBEN00001,anna@example.com\nUCARA0001,UDAN00001\n"


def test_a_row_naming_a_closed_pair_is_reported_and_skipped(
    mentorbot, workspace, sessions, tmp_path
):
    closed = seed_pair(sessions, ANNA, BEN, closed_at=CLOSED_AT)  # the row has them swapped

    result = mentorbot("import-pairs", write(tmp_path, ROWS))

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "row 2: closed on 2026-03-02",
        "imported 1 pair, skipped 1 row (0 already paired, 1 closed)",
    ]
    assert stored(sessions) == [
        (closed, ANNA, BEN, PairStatus.CLOSED, "UCOORD01"),
        (closed + 1, CARA, DAN, PairStatus.ACTIVE, "import"),
    ]
    assert opened(workspace) == [{CARA, DAN}]


def test_the_latest_closing_is_the_date_reported(mentorbot, sessions, tmp_path):
    seed_pair(sessions, ANNA, BEN, closed_at=CLOSED_AT)
    seed_pair(sessions, BEN, ANNA, closed_at=CLOSED_AT + dt.timedelta(days=40))

    result = mentorbot("import-pairs", write(tmp_path, ROWS), "--dry-run")

    assert result.stdout.splitlines() == [
        "row 2: closed on 2026-04-11",
        "dry run: would import 1 pair, skip 1 row (0 already paired, 1 closed); nothing written",
    ]


def test_reopen_pairs_them_again_as_a_new_pair_and_keeps_the_closed_one(
    mentorbot, workspace, sessions, tmp_path
):
    closed = seed_pair(sessions, ANNA, BEN, closed_at=CLOSED_AT)

    result = mentorbot("import-pairs", write(tmp_path, ROWS), "--reopen")

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["imported 2 pairs, skipped 0 rows (0 already paired)"]
    assert stored(sessions) == [
        (closed, ANNA, BEN, PairStatus.CLOSED, "UCOORD01"),
        (closed + 1, BEN, ANNA, PairStatus.ACTIVE, "import"),  # the roles as the row says
        (closed + 2, CARA, DAN, PairStatus.ACTIVE, "import"),
    ]
    assert opened(workspace) == [{ANNA, BEN}, {CARA, DAN}]
    with sessions() as session:
        keys = session.scalars(sa.select(OutboxMessage.key).order_by(OutboxMessage.id)).all()
    assert keys == [f"welcome:{closed + 1}", f"welcome:{closed + 2}"]

    again = mentorbot("import-pairs", write(tmp_path, ROWS), "--reopen")

    assert again.stdout.splitlines() == [
        f"row 2: already paired ({BEN} mentors {ANNA}, active)",
        f"row 3: already paired ({CARA} mentors {DAN}, active)",
        "imported 0 pairs, skipped 2 rows (2 already paired)",
    ]
    assert len(stored(sessions)) == 3


def test_reopen_in_a_dry_run_writes_nothing(mentorbot, workspace, sessions, tmp_path):
    closed = seed_pair(sessions, ANNA, BEN, closed_at=CLOSED_AT)

    result = mentorbot("import-pairs", write(tmp_path, ROWS), "--reopen", "--dry-run")

    assert result.stdout.splitlines() == [
        "dry run: would import 2 pairs, skip 0 rows (0 already paired); nothing written"
    ]
    assert stored(sessions) == [(closed, ANNA, BEN, PairStatus.CLOSED, "UCOORD01")]
    assert opened(workspace) == []


def test_an_open_pair_beside_a_closed_one_is_already_paired(mentorbot, sessions, tmp_path):
    seed_pair(sessions, ANNA, BEN, closed_at=CLOSED_AT)
    seed_pair(sessions, ANNA, BEN)

    for flags in ((), ("--reopen",)):
        result = mentorbot("import-pairs", write(tmp_path, ROWS), *flags)
        assert (
            result.stdout.splitlines()[0] == f"row 2: already paired ({ANNA} mentors {BEN}, active)"
        )
    assert [row[3] for row in stored(sessions)] == [
        PairStatus.CLOSED,
        PairStatus.ACTIVE,
        PairStatus.ACTIVE,
    ]


def test_a_repeated_row_after_a_closed_one_is_the_same_pair(mentorbot, sessions, tmp_path):
    seed_pair(sessions, ANNA, BEN, closed_at=CLOSED_AT)

    result = mentorbot("import-pairs", write(tmp_path, ROWS + "UANNA0001,UBEN00001\n"))

    assert result.stdout.splitlines() == [
        "row 2: closed on 2026-03-02",
        "row 4: same pair as row 2",
        "imported 1 pair, skipped 2 rows (0 already paired, 1 closed)",
    ]


def test_control_characters_in_cells_are_removed(mentorbot, workspace, sessions, tmp_path):
    text = "men\x00tor,mentee,cadence,weekday\r\nUANNA\x000001,ben@exam\x07ple.com\x00,week\x1bly,t\x7fhu\r\n"

    result = mentorbot("import-pairs", write(tmp_path, text))

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["imported 1 pair, skipped 0 rows (0 already paired)"]
    with sessions() as session:
        pair = session.scalars(sa.select(Pair)).one()
        assert (pair.mentor.slack_user_id, pair.mentee.slack_user_id) == (ANNA, BEN)
        assert (pair.cadence, pair.weekday) == (Cadence.WEEKLY, 3)


def test_a_row_of_nothing_but_control_characters_is_blank(mentorbot, sessions, tmp_path):
    result = mentorbot(
        "import-pairs", write(tmp_path, "mentor,mentee\n\x00,\x01\nUCARA0001,\x00\n")
    )

    assert result.stdout.splitlines() == [
        "row 3: mentee is blank",
        "imported 0 pairs, skipped 1 row (0 already paired)",
    ]
