"""What a part of the site does while the shared cache (Redis) is unreachable.

Each part that uses the cache for something of its own (the rate limits, the
page cache) keeps a Breaker: after a failure the cache is skipped for a while,
since each try of a stopped Redis costs the reader its client's timeout; one
alert is logged when the cache goes away and one line when it is back, each
saying what the part does meanwhile.
"""

import logging
import threading
import time


class Breaker:
    def __init__(self, logger: logging.Logger, *, meanwhile: str, back: str, retry_seconds=30):
        self._lock = threading.Lock()
        self._logger = logger
        self._meanwhile, self._back = meanwhile, back
        self.retry_seconds = retry_seconds
        self._retry_at = 0.0
        self.down = False

    def reset(self) -> None:
        self.down = False
        self._retry_at = 0.0

    def skip(self) -> bool:
        return self.down and time.monotonic() < self._retry_at

    def failed(self, error: Exception) -> None:
        with self._lock:
            self._retry_at = time.monotonic() + self.retry_seconds
            if self.down:
                return
            self.down = True
        self._logger.error(
            "The shared cache is unreachable (%s): %s until it is back.", error, self._meanwhile
        )

    def works(self) -> None:
        if self.down:
            with self._lock:
                self.down = False
            self._logger.warning("The shared cache is reachable again: %s.", self._back)
