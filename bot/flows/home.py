"""What a person is shown of where they stand: App Home (their pairs; for a coordinator,
the programme overview above them) and `/mentor-help`."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.deps import Deps
from bot.messages.blocks import Message
from bot.messages.help import help_message
from bot.messages.home import MAX_OVERVIEWS, home_view
from bot.services.digest import week_so_far
from bot.services.home import home_for
from bot.services.pairs import open_pairs_of
from bot.services.people import find_person
from bot.services.programmes import schedule_of, visible_to, who_pairs


def publish(
    deps: Deps, client: WebClient, *, team_id: str, user_id: str, note: str | None = None
) -> None:
    """Draw the person's Home tab, with `note` (mrkdwn from a template) under the
    overview's title. Nobody but a coordinator is ever shown the overview, and it holds
    the digest's counts and states only: never anyone's words."""
    now = deps.now()
    with deps.sessions() as session:
        coordinated = visible_to(session, user_id, deps.settings.coordinators)
        shown = coordinated[:MAX_OVERVIEWS]
        overviews = [
            (
                programme.name,
                week_so_far(
                    session, programme_id=programme.id, now=now, schedule=schedule_of(programme)
                ),
            )
            for programme in shown
        ]
        schedule = schedule_of(shown[0]) if shown else deps.settings.digest_schedule
        pairs = home_for(session, team_id=team_id, user_id=user_id, now=now)
        view = home_view(
            user_id,
            pairs,
            overviews=overviews,
            more_programmes=len(coordinated) - len(shown),
            today=schedule.today(now),
            note=note,
        )
    client.views_publish(user_id=user_id, view=view)


def help_for(deps: Deps, *, team_id: str, user_id: str) -> Message:
    """`/mentor-help`: every command, and a coordinator's for a coordinator. Someone in no
    open pair (and no coordinator) is told that first, and who can pair them: the default
    programme's coordinators, mentioned."""
    with deps.sessions() as session:
        if deps.coordinated(session, user_id):
            return help_message(is_coordinator=True)
        person = find_person(session, team_id=team_id, user_id=user_id)
        if person is not None and open_pairs_of(session, person):
            return help_message(is_coordinator=False)
        pairers = who_pairs(deps.programme(session), deps.settings.coordinators)
    return help_message(is_coordinator=False, unpaired=True, pairers=pairers)
