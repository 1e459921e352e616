"""Block Kit actions (buttons, pickers). Every action_id is registered in `register`."""

from __future__ import annotations

from slack_bolt import App

from bot.deps import Deps


def register(app: App, deps: Deps) -> None:
    """No buttons yet: the rhythm issue adds nudge answers and check-ins here."""
