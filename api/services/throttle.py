"""Login throttling: after repeated failures, an account (from one address) must wait.

Counts live in Redis when REDIS_URL is set, so that every app worker sees the same counts and they
survive a restart of the app; otherwise in process memory (a single `make run` process). When Redis
is configured but unreachable, counting falls back to memory with a logged warning (and Redis is
tried again after a pause): a login must never fail because its throttle's store is down.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any, Protocol

log = logging.getLogger("roleplay")


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

    def ping(self) -> None:
        """Raises when Redis does not answer."""
        self._redis.ping()

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


class FallbackStore:
    """Redis, or process memory while Redis is unreachable (tried again every `retry_seconds`).

    Why not answer 503 instead: throttling is a brake on guessing, not the login itself; one
    process counting alone for a while is weaker but keeps every candidate able to sign in.
    """

    def __init__(self, primary: RedisStore, retry_seconds: float = 30.0) -> None:
        self.primary = primary
        self.memory = MemoryStore()
        self.retry_seconds = retry_seconds
        self._down_until = 0.0
        self._lock = threading.Lock()

    def _call(self, name: str, *args: Any) -> Any:
        from redis.exceptions import RedisError

        if time.monotonic() >= self._down_until:
            try:
                return getattr(self.primary, name)(*args)
            except (RedisError, OSError) as error:
                with self._lock:
                    self._down_until = time.monotonic() + self.retry_seconds
                log.warning("Redis injoignable (%s) : limitation des connexions en mémoire, nouvel essai dans "
                            "%.0f s", error.__class__.__name__, self.retry_seconds)
        return getattr(self.memory, name)(*args)

    def hit(self, key: str, window_seconds: int) -> int:
        return int(self._call("hit", key, window_seconds))

    def count(self, key: str) -> int:
        return int(self._call("count", key))

    def retry_after(self, key: str) -> int:
        return int(self._call("retry_after", key))

    def reset(self, key: str) -> None:
        self._call("reset", key)

    def health(self) -> dict[str, Any]:
        """For /api/health: Redis's state and what the throttle does meanwhile."""
        from redis.exceptions import RedisError

        try:
            self.primary.ping()
        except (RedisError, OSError) as error:
            return {"ok": False, "detail": f"injoignable ({error.__class__.__name__}) : "
                                           "limitation des connexions en mémoire"}
        return {"ok": True, "detail": "joignable"}


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
    store: ThrottleStore = FallbackStore(RedisStore(redis_url)) if redis_url else MemoryStore()
    return LoginThrottle(store, max_failures=max_failures, window_seconds=window_seconds)
