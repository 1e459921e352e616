"""How long the app takes to answer Slack while every Web API method answers in 2 s
(goal: every command, button, modal submission and event under Slack's 3 s).

    python tests/benchmarks/bench_ack.py [--rounds 5] [--latency 2.0] [--database-url URL]

Each round walks a pair to its 30-day pulse on a scratch database, then sends every
listener the app registers once (tests/rhythm/every_listener.py), as Slack sends them, with
the stand-in answering each Web API call in `latency` seconds; prints p50, p99 and the
slowest acknowledgement, and the slowest of each listener."""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchdb import reset_postgres, scratch_database  # noqa: E402
from freezegun import freeze_time  # noqa: E402

from bot.app import create_app  # noqa: E402
from bot.db import make_engine, make_sessionmaker  # noqa: E402
from bot.demo.serve import served  # noqa: E402
from bot.demo.slack_requests import SIGNING_SECRET, SlackSender  # noqa: E402
from bot.demo.stand_in import TOKEN, SlackStandIn  # noqa: E402
from bot.rhythm.pacing import Pace  # noqa: E402
from bot.scheduler import Clock  # noqa: E402
from bot.schema import upgrade  # noqa: E402
from bot.settings import Settings  # noqa: E402
from tests.channels import COORDINATOR_CHANNEL  # noqa: E402
from tests.conftest import COORDINATOR, Bot  # noqa: E402
from tests.rhythm.conftest import FrozenSleep, Walk  # noqa: E402
from tests.rhythm.every_listener import answer_everything  # noqa: E402

SLACK_DEADLINE = 3.0


def one_round(url: str, latency: float) -> dict[str, float]:
    upgrade(url)
    engine = make_engine(url)
    slack = SlackStandIn().start()
    slack.add_user(COORDINATOR, tz="Europe/London", name="cora")
    settings = Settings(
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=slack.url,
        DATABASE_URL=url,
        MENTORBOT_COORDINATORS=COORDINATOR,
        MENTORBOT_COORDINATOR_CHANNEL=COORDINATOR_CHANNEL,
    )
    app, deps = create_app(settings, engine=engine)
    try:
        with served(app, engine) as port, freeze_time("2026-10-05T08:00:00Z") as frozen:
            sender = SlackSender("127.0.0.1", port, settle=deps.background.wait)
            bot = Bot(sender, slack, deps)
            sleep = FrozenSleep(frozen)
            pace = Pace(concurrency=settings.delivery_concurrency, max_wait=0, sleep_until=sleep)
            walk = Walk(Clock(settings, engine, pace=pace), frozen, sleep)
            answered, _ = answer_everything(bot, walk, make_sessionmaker(engine), latency)
            deps.background.wait()
            sender.close()
            answered.sender.close()
            return answered.times
    finally:
        deps.background.shutdown()
        slack.stop()
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--latency", type=float, default=2.0)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    every: list[float] = []
    slowest: dict[str, float] = {}
    for number in range(args.rounds):
        with tempfile.TemporaryDirectory() as scratch:
            url, backend = scratch_database(args.database_url, scratch)
            if backend == "postgresql":
                reset_postgres(url)
            times = one_round(url, args.latency)
        every += times.values()
        for what, took in times.items():
            slowest[what] = max(took, slowest.get(what, 0.0))
        print(f"round {number + 1}: {len(times)} listeners, slowest {max(times.values()):.3f} s")
    every.sort()
    p99 = every[min(len(every) - 1, int(0.99 * len(every)))]
    worst = max(slowest, key=slowest.__getitem__)
    print(f"\n{len(every)} acknowledgements ({backend}), Web API latency {args.latency:.1f} s")
    print(
        f"p50 {statistics.median(every):.3f} s, p99 {p99:.3f} s, slowest {worst} {every[-1]:.3f} s"
    )
    for what, took in sorted(slowest.items(), key=lambda item: -item[1]):
        print(f"  {what:<24} {took:.3f} s")
    verdict = "meets" if every[-1] < SLACK_DEADLINE else "MISSES"
    print(f"goal: every one under {SLACK_DEADLINE:.0f} s: {verdict}")
    sys.exit(0 if every[-1] < SLACK_DEADLINE else 1)


if __name__ == "__main__":
    main()
