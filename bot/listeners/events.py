"""Events API events. Every event this app handles is registered in `register`."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.db import transaction
from bot.deps import Deps
from bot.messages.home import home_view
from bot.services.home import home_for


def register(app: App, deps: Deps) -> None:
    app.event("app_home_opened")(_home_opened(deps))


def _home_opened(deps: Deps):
    def app_home_opened(event: dict[str, Any], body: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        user_id = event["user"]
        with transaction(deps.sessions) as session:
            view = home_view(
                user_id, home_for(session, team_id=body.get("team_id", ""), user_id=user_id)
            )
        client.views_publish(user_id=user_id, view=view)

    return app_home_opened
