"""Turning a listener's result, or a UserError, into the ephemeral reply Slack shows."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.deps import Deps
from bot.errors import UserError
from bot.listeners.parsing import plain
from bot.listeners.payloads import first_input, user_of
from bot.messages.blocks import Message
from bot.messages.errors import apology, form_apology, user_error
from bot.text import typed

log = logging.getLogger(__name__)


def failure_answer(body: dict[str, Any]) -> dict[str, Any] | None:
    """What Slack is answered when a listener failed on our side (not the person's input):
    a command gets the apology with the command as typed, to that person only; a form gets
    it under its first field, which keeps the modal open with its values (Slack keeps them
    while it shows errors); anything else gets nothing, and Slack shows its own sign."""
    if "command" in body:
        words = typed(str(body.get("text") or ""), multiline=True)
        command = f"{body['command']} {plain(words)}".strip()
        return {"response_type": "ephemeral", **apology(command).as_kwargs()}
    if body.get("type") == "view_submission":
        block = first_input(body.get("view"))
        if block is not None:
            return {"response_action": "errors", "errors": {block: form_apology()}}
    return None


def ephemeral(ack: Ack, reply: Message) -> None:
    ack(response_type="ephemeral", **reply.as_kwargs())


def refused(error: SlackApiError) -> UserError:
    """Slack refused a call the flow made (nothing it was about to save was saved)."""
    return UserError("slack_refused", error=str(error.response.get("error", "unknown_error")))


def command_reply(name: str) -> Callable[[Callable[..., Message]], Callable[..., None]]:
    """Wrap a command handler that returns a Message: ack it, or ack the explanation of a
    UserError, or of a call Slack refused."""

    def decorate(handler: Callable[..., Message]) -> Callable[..., None]:
        # Bolt passes arguments by the names in the signature, so spell them out.
        def wrapper(
            ack: Ack, command: dict[str, Any], client: WebClient, context: BoltContext
        ) -> None:
            try:
                reply = handler(command=command, client=client, context=context)
            except UserError as error:
                reply = user_error(error, command=name)
            except SlackApiError as error:
                reply = user_error(refused(error), command=name)
            ephemeral(ack, reply)

        wrapper.__name__ = handler.__name__
        return wrapper

    return decorate


def action_reply(deps: Deps, handler: Callable[..., None]) -> Callable[..., None]:
    """Wrap a block-action handler: ack first, and show a UserError (or a call Slack
    refused) to the person who clicked, as an ephemeral message where they clicked, once
    Slack has been answered."""

    def wrapper(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        ack()
        try:
            handler(body=body, action=action, client=client)
        except UserError as error:
            deps.after(_tell, client, body, user_error(error, command=None))
        except SlackApiError as error:
            deps.after(_tell, client, body, user_error(refused(error), command=None))

    wrapper.__name__ = getattr(handler, "__name__", "action")
    return wrapper


def open_modal(client: WebClient, body: dict[str, Any], view: dict[str, Any]) -> None:
    """Open `view` with the interaction's trigger (which lives 3 seconds: this runs right
    after the acknowledgement); if Slack refuses, the person is told where they clicked."""
    try:
        client.views_open(trigger_id=str(body.get("trigger_id") or ""), view=view)
    except SlackApiError as error:
        _tell(client, body, user_error(refused(error), command=None))


def _tell(client: WebClient, body: dict[str, Any], reply: Message) -> None:
    user = user_of(body)
    channel = (body.get("container") or {}).get("channel_id") or user
    try:
        client.chat_postEphemeral(channel=channel, user=user, **reply.as_kwargs())
    except SlackApiError as error:
        log.warning("could not tell %s why nothing changed: %s", user, error.response.get("error"))


def replace_reply(deps: Deps, handler: Callable[..., Message]) -> Callable[..., None]:
    """Wrap the handler of a button on an ephemeral reply (which chat.update cannot touch):
    ack, then replace that reply through the action's response_url with the handler's
    Message, or with the explanation of a UserError (nothing was changed), once Slack has
    been answered."""

    def wrapper(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Respond
    ) -> None:
        ack()
        try:
            reply = handler(body=body, action=action, client=client)
        except UserError as error:
            reply = user_error(error, command=None)
        if body.get("response_url"):
            deps.after(respond, replace_original=True, **reply.as_kwargs())

    wrapper.__name__ = getattr(handler, "__name__", "action")
    return wrapper
