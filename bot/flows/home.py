"""App Home: a person's pairs; for a coordinator, the programme overview above them."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.deps import Deps
from bot.messages.home import MAX_OVERVIEWS, home_view
from bot.services.digest import week_so_far
from bot.services.home import home_for
from bot.services.programmes import schedule_of, visible_to


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
