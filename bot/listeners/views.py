"""Modal submissions. Every callback_id is registered in `register`."""

from __future__ import annotations

from slack_bolt import App

from bot.deps import Deps


def register(app: App, deps: Deps) -> None:
    """No modals yet: the rhythm issue adds the reflection modal here."""
