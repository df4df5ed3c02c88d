import asyncio
import logging
import random
import time
from dataclasses import dataclass, field
from typing import Awaitable, Callable, Optional

log = logging.getLogger(__name__)


@dataclass(order=True)
class Job:
    due: float
    attempt: int = field(compare=False, default=0)
    name: str = field(compare=False, default="")
    run: Optional[Callable[[], Awaitable[None]]] = field(compare=False, default=None)


class RetryQueue:
    """Runs jobs and retries failures with exponential backoff and jitter."""

    def __init__(self, max_attempts: int = 5, base_delay: float = 0.5, max_delay: float = 30.0):
        self._jobs: asyncio.PriorityQueue[Job] = asyncio.PriorityQueue()
        self._max_attempts = max_attempts
        self._base_delay = base_delay
        self._max_delay = max_delay
        self.failed: list[str] = []

    def submit(self, name: str, run: Callable[[], Awaitable[None]]) -> None:
        self._jobs.put_nowait(Job(due=time.monotonic(), name=name, run=run))

    def _delay(self, attempt: int) -> float:
        delay = min(self._max_delay, self._base_delay * (2 ** attempt))
        return delay * (0.5 + random.random() / 2)

    async def worker(self) -> None:
        while True:
            job = await self._jobs.get()
            wait = job.due - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            try:
                assert job.run is not None
                await job.run()
            except Exception as exc:  # noqa: BLE001 - any failure is retried
                job.attempt += 1
                if job.attempt >= self._max_attempts:
                    log.error("job %s failed after %d attempts: %s", job.name, job.attempt, exc)
                    self.failed.append(job.name)
                else:
                    job.due = time.monotonic() + self._delay(job.attempt)
                    log.warning("job %s failed (%s), retry %d in %.1fs", job.name, exc, job.attempt,
                                job.due - time.monotonic())
                    self._jobs.put_nowait(job)
            finally:
                self._jobs.task_done()
