"""Publishing a person's App Home: when they open the tab, and again after a coordinator
presses a button on it (a Home tab has no message to update, so the whole view is redrawn)."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.db import transaction
from bot.deps import Deps
from bot.messages.home import home_view
from bot.services.digest import week_so_far
from bot.services.home import home_for


def publish_home(
    deps: Deps, client: WebClient, *, team_id: str, user_id: str, note: str | None = None
) -> None:
    """The person's pairs; for a coordinator, the programme overview above them, with `note`
    (mrkdwn from a template) under its title. Nobody else is ever shown the overview."""
    now, schedule = deps.now(), deps.settings.digest_schedule
    with transaction(deps.sessions) as session:
        overview = (
            # The digest's figures, counts and states only: never anyone's words.
            week_so_far(session, programme_id=deps.programme_id, now=now, schedule=schedule)
            if deps.is_coordinator(user_id)
            else None
        )
        pairs = home_for(session, team_id=team_id, user_id=user_id)
        view = home_view(user_id, pairs, overview=overview, today=schedule.today(now), note=note)
    client.views_publish(user_id=user_id, view=view)
