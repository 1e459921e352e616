"""Sending a batch of claimed outbox rows with a bounded pool, one conversation at a time.

- The rows are grouped by channel, and each channel's rows go to one sender, one after
  another in the order they were claimed: one conversation's messages reach Slack in
  order. Up to `Pace.concurrency` conversations are served at once.
- Before each call a sender checks the shared rate limits (bot/rhythm/pacing.py): a
  method Slack asked to wait on is not called until then. A 429 is stored there for
  every sender of every process. A wait up to `Pace.max_wait` is waited out and the
  row tried again; a longer one puts the row, and the rest of its conversation's, back
  in the outbox for when Slack allows, and the delivery claims nothing more.
- A row is never held claimed long: one claimed more than PATIENCE ago (waiting behind
  429s) is put back instead of sent, so `reconcile` (after LEASE) never takes it for a
  crashed send while this delivery still means to post it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from types import TracebackType

from slack_sdk import WebClient
from sqlalchemy import orm as so

from bot.models import OutboxMessage
from bot.rhythm.pacing import Pace, RateLimits
from bot.rhythm.sending import LEASE, Claimed, DeliveryReport, put_back, send_one

POST_METHODS = ("chat.postMessage",)
FILE_METHODS = ("files.getUploadURLExternal", "files.completeUploadExternal")
PATIENCE = LEASE / 2
# 429s one row may meet in one delivery (each waited out) before it is left for later.
RATE_LIMITED_TRIES = 20


class Senders:
    """The senders of one delivery; use as a context manager (it owns the thread pool)."""

    def __init__(
        self,
        sessions: so.sessionmaker[so.Session],
        client: WebClient,
        now: dt.datetime,
        pace: Pace,
        on_failure: Callable[[so.Session, OutboxMessage], None] | None,
    ) -> None:
        self.sessions, self.client, self.now, self.pace = sessions, client, now, pace
        self.on_failure = on_failure
        self.limits = RateLimits(sessions, now, pace)
        self._pool: ThreadPoolExecutor | None = None

    def __enter__(self) -> Senders:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)

    def send(self, claimed: list[Claimed], report: DeliveryReport) -> bool:
        """Send `claimed` (in claim order), adding the outcomes to `report`. True when Slack
        asked to wait longer than the pace allows: the caller should claim no more."""
        claimed_at = self.pace.clock()
        queues: dict[str, list[Claimed]] = {}
        for row in claimed:
            queues.setdefault(row.channel, []).append(row)
        if not queues:
            return False
        if len(queues) == 1 or self.pace.concurrency == 1:
            outcomes = [self._send_queue(rows, claimed_at) for rows in queues.values()]
        else:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.pace.concurrency, "outbox-sender")
            futures = [
                self._pool.submit(self._send_queue, rows, claimed_at) for rows in queues.values()
            ]
            outcomes = [future.result() for future in futures]
        for queue_report, _ in outcomes:
            report.add(queue_report)
        return any(limited for _, limited in outcomes)

    def _send_queue(self, rows: list[Claimed], claimed_at: float) -> tuple[DeliveryReport, bool]:
        """One conversation's rows, in order; (their report, whether Slack made us stop)."""
        report = DeliveryReport()
        for index, row in enumerate(rows):
            methods = FILE_METHODS if "file" in row.payload else POST_METHODS
            limited = 0
            while True:
                left = self.limits.wait(methods)
                too_old = self.pace.clock() - claimed_at > PATIENCE.total_seconds()
                if left or too_old or limited >= RATE_LIMITED_TRIES:
                    when = self.limits.now() + dt.timedelta(seconds=left)
                    put_back(self.sessions, rows[index:], when, tried=row if limited else None)
                    report.retried += len(rows) - index
                    return report, True
                answer = send_one(
                    self.sessions, self.client, row, self.now, report, self.on_failure
                )
                if answer is None:
                    break
                limited += 1
                self.limits.hold(answer.method, answer.retry_after)
        return report, False
