"""Who can read a calendar feed, and what it never holds: a wrong, revoked or malformed
token gets the same 404 as a missing file and touches nothing; a client that has the
feed already gets 304; the feed never holds a goal, a reflection, a note or a hope; and
`/mentor-calendar` explains itself where feeds are not set up or it is mistyped."""

from __future__ import annotations

import secrets

import icalendar
import pytest
import sqlalchemy as sa

from bot.demo.slack_requests import mention
from bot.models import CalendarFeed
from tests.conftest import COORDINATOR
from tests.db_state import snapshot
from tests.rhythm.test_calendar_feed import PUBLIC, fetch, subscribe
from tests.test_private_logs import MARKERS, MENTEE, MENTOR, pair, requests, send  # noqa: F401


@pytest.fixture
def settings(settings, request):
    return settings.model_copy(update={"public_url": getattr(request, "param", PUBLIC)})


@pytest.fixture
def paired(bot):
    bot.slack.add_user(MENTOR, tz="Europe/London", name="ana")
    bot.slack.add_user(MENTEE, tz="Europe/Berlin", name="ben")
    bot.command("/mentor-pair", f"{mention(MENTOR)} {mention(MENTEE)} weekly tue", user=COORDINATOR)
    return bot


def test_only_the_current_token_opens_the_feed(paired, sessions):
    bot = paired
    path = subscribe(bot, MENTEE)
    assert subscribe(bot, MENTEE) == path  # shown again, the same link
    status, _, body = fetch(bot, path)
    assert status == 200 and b"BEGIN:VCALENDAR" in body

    missing = fetch(bot, "/no-such-file")
    before = snapshot(sessions)
    wrong = "/calendar/" + secrets.token_urlsafe(32) + ".ics"
    token = path.removeprefix("/calendar/").removesuffix(".ics")
    malformed = [
        "/calendar/short.ics",
        "/calendar/" + token + "x.ics",
        "/calendar/" + token,
        "/calendar/" + token + ".ics/",
        "/calendar/" + token[:-1] + "%.ics",
        "/calendar/.ics",
        "/calendar/../" + token + ".ics",
    ]
    for bad in [wrong, *malformed]:
        status, headers, body = fetch(bot, bad)
        assert (status, body) == (missing[0], missing[2]) == (404, b'{"error": "not_found"}'), bad
        assert "ETag" not in headers
    assert snapshot(sessions) == before  # nothing written by a guess

    # A reset revokes the old link at once; the new one works.
    reply = bot.command("/mentor-calendar", "reset", user=MENTEE)
    assert "old calendar link has stopped working" in reply.text
    new = subscribe(bot, MENTEE)
    assert new != path
    assert fetch(bot, path)[0] == 404
    assert fetch(bot, new)[0] == 200
    # Only the token's hash is kept.
    with sessions() as session:
        feed = session.scalars(sa.select(CalendarFeed)).one()
        assert new.split("/")[-1].removesuffix(".ics") not in (feed.token_hash, feed.nonce)


def test_an_unchanged_feed_is_not_sent_again(paired):
    bot = paired
    path = subscribe(bot, MENTOR)
    status, headers, body = fetch(bot, path)
    etag = headers["ETag"]
    assert (
        status == 200 and etag.startswith('"') and headers["Cache-Control"] == "private, no-cache"
    )
    assert fetch(bot, path)[1]["ETag"] == etag  # the same feed, the same tag

    status, headers, body = fetch(bot, path, **{"If-None-Match": etag})
    assert (status, body, headers["ETag"]) == (304, b"", etag)
    status, _, body = fetch(bot, path, **{"If-None-Match": f'"other", W/{etag}'})
    assert (status, body) == (304, b"")
    status, _, body = fetch(bot, path, **{"If-None-Match": '"stale"'})
    assert status == 200 and body

    status, headers, body = fetch(bot, path, "HEAD")
    assert (status, body, headers["ETag"]) == (200, b"", etag)
    assert fetch(bot, path, "POST")[0] == 405

    # A change to the schedule changes the tag.
    assert "Paused" in bot.command("/mentor-pause", "2w", user=MENTEE).text
    assert fetch(bot, path, **{"If-None-Match": etag})[0] == 200


def test_the_feed_never_holds_anyones_words(bot, pair, sessions):  # noqa: F811
    for kind, args in requests(pair):
        assert send(bot.sender, kind, args) == 200
    for user in (MENTOR, MENTEE):
        body = fetch(bot, subscribe(bot, user))[2]
        assert icalendar.Calendar.from_ical(body).walk("VEVENT")  # there is something to read
        assert [marker for marker in MARKERS if marker.encode() in body] == []


@pytest.mark.parametrize("settings", [None], indirect=True)
def test_without_a_public_url_it_says_what_to_set(bot):
    assert bot.deps.settings.public_url is None
    reply = bot.command("/mentor-calendar", user=MENTEE)
    assert "MENTORBOT_PUBLIC_URL" in reply.text and "/calendar/" not in reply.text


def test_mistyped_it_explains_itself(paired, sessions):
    before = snapshot(sessions)
    reply = paired.command("/mentor-calendar", "please now", user=MENTEE)
    assert "`/mentor-calendar` takes nothing, or `reset`" in reply.text
    assert "please now" in reply.text
    assert reply.json["response_type"] == "ephemeral"
    assert snapshot(sessions) == before


def test_a_feed_that_fails_is_a_500_that_logs_no_token(paired, monkeypatch, caplog):
    bot = paired
    path = subscribe(bot, MENTEE)

    def broken(events):
        raise ValueError(f"cannot write {path}")

    monkeypatch.setattr("bot.messages.calendars.feed", broken)
    status, _, body = fetch(bot, path)
    assert (status, body) == (500, b"")
    token = path.removeprefix("/calendar/").removesuffix(".ics")
    assert caplog.records and all(token not in r.getMessage() for r in caplog.records)
