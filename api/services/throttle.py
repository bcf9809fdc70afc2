"""Login throttling: after repeated failures, an account (from one address) must wait.

Counts live in Redis when REDIS_URL is set, so that every app worker sees the same counts and they
survive a restart of the app; otherwise in process memory (a single `make run` process).
"""

from __future__ import annotations

import threading
import time
from typing import Protocol


class ThrottleStore(Protocol):
    def hit(self, key: str, window_seconds: int) -> int: ...
    def count(self, key: str) -> int: ...
    def retry_after(self, key: str) -> int: ...
    def reset(self, key: str) -> None: ...


class MemoryStore:
    """Fixed-window counters in a dict (one process)."""

    def __init__(self) -> None:
        self._counts: dict[str, tuple[int, float]] = {}
        self._lock = threading.Lock()

    def _live(self, key: str) -> tuple[int, float]:
        count, expires = self._counts.get(key, (0, 0.0))
        return (count, expires) if expires > time.monotonic() else (0, 0.0)

    def hit(self, key: str, window_seconds: int) -> int:
        with self._lock:
            count, expires = self._live(key)
            if count == 0:
                expires = time.monotonic() + window_seconds
            self._counts[key] = (count + 1, expires)
            return count + 1

    def count(self, key: str) -> int:
        with self._lock:
            return self._live(key)[0]

    def retry_after(self, key: str) -> int:
        with self._lock:
            return max(1, int(self._live(key)[1] - time.monotonic()))

    def reset(self, key: str) -> None:
        with self._lock:
            self._counts.pop(key, None)


class RedisStore:
    """Fixed-window counters in Redis (INCR + EXPIRE in one transaction)."""

    def __init__(self, url: str, prefix: str = "rp:login:") -> None:
        import redis

        self._redis = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self._prefix = prefix

    def hit(self, key: str, window_seconds: int) -> int:
        name = self._prefix + key
        with self._redis.pipeline() as pipe:
            pipe.incr(name)
            pipe.expire(name, window_seconds, nx=True)
            count, _ = pipe.execute()
        return int(count)

    def count(self, key: str) -> int:
        value = self._redis.get(self._prefix + key)
        return int(value) if value is not None else 0

    def retry_after(self, key: str) -> int:
        ttl = self._redis.ttl(self._prefix + key)
        return max(1, int(ttl))

    def reset(self, key: str) -> None:
        self._redis.delete(self._prefix + key)


class LoginThrottle:
    """Allows `max_failures` failed logins per account and address within `window_seconds`."""

    def __init__(self, store: ThrottleStore, max_failures: int = 5, window_seconds: int = 900) -> None:
        self.store = store
        self.max_failures = max_failures
        self.window_seconds = window_seconds

    @staticmethod
    def key(username: str, address: str) -> str:
        return f"{username.strip().lower()}|{address}"

    def blocked_for(self, username: str, address: str) -> int:
        """Seconds to wait before trying again (0 when allowed)."""
        key = self.key(username, address)
        if self.store.count(key) >= self.max_failures:
            return self.store.retry_after(key)
        return 0

    def failed(self, username: str, address: str) -> None:
        self.store.hit(self.key(username, address), self.window_seconds)

    def succeeded(self, username: str, address: str) -> None:
        self.store.reset(self.key(username, address))


def make_throttle(redis_url: str, max_failures: int, window_seconds: int) -> LoginThrottle:
    store: ThrottleStore = RedisStore(redis_url) if redis_url else MemoryStore()
    return LoginThrottle(store, max_failures=max_failures, window_seconds=window_seconds)
