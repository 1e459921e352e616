"""The `mentorbot` command: serve, socket, migrate, doctor."""

from __future__ import annotations

import datetime as dt

import click

from bot.settings import load_settings, reveal


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """mentorbot keeps existing mentoring pairs meeting."""


@main.command()
def migrate() -> None:
    """Upgrade the database to the newest schema."""
    from bot.schema import head_revision, upgrade

    settings = load_settings()
    upgrade(settings.database_url)
    click.echo(f"database is at revision {head_revision()}")


@main.command()
def doctor() -> None:
    """Check the install: settings, database, token, scopes, coordinator channel, secrets.
    One line per check; exits 1 if any fails."""
    from bot.doctor import diagnose, healthy

    checks = diagnose()
    for check in checks:
        click.echo(check.line)
    raise SystemExit(0 if healthy(checks) else 1)


@main.command()
@click.option("--host", default="0.0.0.0", show_default=True, help="Address to listen on.")  # noqa: S104
@click.option("--port", default=3000, show_default=True, type=int, help="Port to listen on.")
@click.option(
    "--workers", default=2, show_default=True, type=int, help="gunicorn worker processes."
)
def serve(host: str, port: int, workers: int) -> None:
    """Serve Slack's HTTP requests at /slack/events (and /healthz) under gunicorn, once the
    database is at the newest migration and Slack answers the token."""
    from gunicorn.app.base import BaseApplication

    from bot.startup import before_serving

    before_serving()  # here, before gunicorn starts a worker that could not start either

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("accesslog", "-")
            self.cfg.set("logger_class", "bot.access_log.AccessLog")  # no feed tokens

        def load(self):
            from bot.wsgi import create

            return create()

    Server().run()


@main.command()
@click.option(
    "--at",
    "at",
    metavar="INSTANT",
    help="Run the pass as of this UTC instant, e.g. 2026-03-03T09:00:00Z (default: now).",
)
def tick(at: str | None) -> None:
    """Run exactly one scheduler pass, deliver what is due, print a summary line."""
    from bot.app import boot
    from bot.scheduler import Clock

    now = _instant(at) if at else dt.datetime.now(dt.UTC)
    settings, engine = boot("SLACK_BOT_TOKEN")
    click.echo(Clock(settings, engine).tick(now).line(now))


def _instant(text: str) -> dt.datetime:
    try:
        instant = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter(f"{text!r} is not an instant like 2026-03-03T09:00:00Z") from None
    if instant.tzinfo is None:
        raise click.BadParameter("give a zone, e.g. 2026-03-03T09:00:00Z")
    return instant.astimezone(dt.UTC)


@main.command()
def scheduler() -> None:
    """Run the clock process: a scheduler pass every MENTORBOT_TICK_SECONDS."""
    from bot.app import boot
    from bot.scheduler import run_forever

    run_forever(*boot("SLACK_BOT_TOKEN"))


@main.command()
def socket() -> None:
    """Run over Socket Mode, for development without a public URL."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.app import boot, create_app
    from bot.startup import require_slack

    settings, engine = boot("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN")
    require_slack(settings, app_token=True)
    app, _ = create_app(settings, engine=engine)
    SocketModeHandler(app, reveal(settings.slack_app_token)).start()


@main.command()
@click.option(
    "--weeks", default=12, show_default=True, type=click.IntRange(1, 52), help="Weeks to play."
)
def demo(weeks: int) -> None:
    """Play a scripted programme against a local stand-in of Slack and print what everyone
    saw. Needs no workspace, token or settings; touches no database of yours."""
    from bot.demo import run
    from bot.logs import configure_logging

    configure_logging("WARNING")
    run(click.get_text_stream("stdout"), weeks=weeks)


from bot.roster_cli import export, import_pairs  # noqa: E402

main.add_command(import_pairs)
main.add_command(export)
