"""Work done after Slack has its acknowledgement.

A listener saves what it was asked in the database and answers Slack at once; the calls to
Slack that follow (sending what the flow left in the outbox, opening a modal, redrawing a
message or a Home tab, finishing a pair's registration) run here, on a small pool of
threads, so Slack's latency or a 429 never delays the acknowledgement past its 3 seconds.

Nothing that matters lives only here: what a person was promised is in the database
first (the outbox, a pair request), and the clock's next pass finishes whatever a process
that died left unfinished. What runs here is the prompt path, not the only one.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from bot.logs import describe

log = logging.getLogger(__name__)

WORKERS = 8
# Opening a modal cannot wait behind slow deliveries, nor behind other modals: its trigger
# id lives 3 seconds, and each open can take most of that when Slack is slow. Enough for
# as many people clicking within the same couple of seconds.
URGENT_WORKERS = 32


class Background:
    def __init__(self, workers: int = WORKERS, urgent_workers: int = URGENT_WORKERS) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="after-ack")
        self._urgent = ThreadPoolExecutor(
            max_workers=urgent_workers, thread_name_prefix="after-ack-urgent"
        )
        self._idle = threading.Condition()
        self._pending = 0

    def run(
        self, task: Callable[..., Any], *args: Any, urgent: bool = False, **kwargs: Any
    ) -> None:
        """Run `task(*args, **kwargs)` soon, on the pool (`urgent`: on a pool of its own that
        slow deliveries cannot fill); an error it raises is logged (by kind only, as every
        error here is: see bot.logs.describe), never lost silently."""
        with self._idle:
            self._pending += 1
        pool = self._urgent if urgent else self._pool
        try:
            future = pool.submit(task, *args, **kwargs)
        except RuntimeError:  # the pool is shut down: the process is stopping
            self._done(None, getattr(task, "__name__", "task"))
            raise
        future.add_done_callback(lambda done: self._done(done, getattr(task, "__name__", "task")))

    def wait(self, timeout: float = 60.0) -> bool:
        """Until nothing is left to run (tasks started by tasks included); False if
        `timeout` seconds passed first. The tests and the demo read Slack after this."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout=timeout)

    def shutdown(self) -> None:
        self._urgent.shutdown(wait=True)
        self._pool.shutdown(wait=True)

    def _done(self, future: Future[Any] | None, name: str) -> None:
        error = future.exception() if future is not None else None
        if error is not None:
            log.error(
                "after the acknowledgement, %s failed: %s", name, describe(error), exc_info=error
            )
        with self._idle:
            self._pending -= 1
            self._idle.notify_all()
