"""Slack listeners, one module per surface; each module registers its ids in `register`."""

from __future__ import annotations

from slack_bolt import App

from bot.deps import Deps
from bot.listeners import actions, commands, events, views


def register(app: App, deps: Deps) -> None:
    commands.register(app, deps)
    events.register(app, deps)
    actions.register(app, deps)
    views.register(app, deps)
