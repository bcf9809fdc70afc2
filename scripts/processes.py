"""Process trees on Linux, read from /proc: who belongs to a service, and how to end them all.

Why not only `os.killpg` on the leader's PID when the leader is alive: a service's workers can
outlive it (orphans keep the group id and the port), and a worker may leave the group. Each
service is started as the leader of its own process group; the launcher remembers every
descendant it has seen, and stopping ends the group and those descendants, leader dead or not.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Iterable
from pathlib import Path

_PROC = Path("/proc")


Identity = tuple[int, int]
"""(pid, start time in clock ticks): a PID alone may be reused by an unrelated process later."""


def _stat(pid: int) -> tuple[str, int, int, int] | None:
    """(state, parent pid, process group, start time) of a process, or None when it is gone."""
    try:
        raw = (_PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    # The command name is in parentheses and may contain spaces: split after the last ')'.
    fields = raw[raw.rindex(")") + 2:].split()
    return fields[0], int(fields[1]), int(fields[2]), int(fields[19])


def identity(pid: int) -> Identity | None:
    """The process's identity now, or None when it is gone."""
    stat = _stat(pid)
    return None if stat is None or stat[0] in ("Z", "X") else (pid, stat[3])


def still_running(known: Identity) -> bool:
    """True when this very process (not a later one with the same PID) still runs."""
    return identity(known[0]) == known


def _all_pids() -> list[int]:
    return [int(entry.name) for entry in _PROC.iterdir() if entry.name.isdigit()]


def alive(pid: int) -> bool:
    """True for a running process (a zombie waiting to be reaped counts as gone)."""
    stat = _stat(pid)
    return stat is not None and stat[0] not in ("Z", "X")


def group_members(pgid: int) -> set[int]:
    """Live processes of a process group (the leader may be dead while its workers run)."""
    members = set()
    for pid in _all_pids():
        stat = _stat(pid)
        if stat is not None and stat[2] == pgid and stat[0] not in ("Z", "X"):
            members.add(pid)
    return members


def descendants(pid: int) -> set[int]:
    """Live children, grandchildren… of a process."""
    children: dict[int, list[int]] = {}
    for other in _all_pids():
        stat = _stat(other)
        if stat is not None and stat[0] not in ("Z", "X"):
            children.setdefault(stat[1], []).append(other)
    found: set[int] = set()
    stack = [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


def _signal_all(pgid: int, pids: Iterable[int], signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signum)
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signum)


def _wait_gone(pids: set[int], deadline: float) -> set[int]:
    while True:
        left = {pid for pid in pids if alive(pid)}
        if not left or time.monotonic() >= deadline:
            return left
        time.sleep(0.05)  # polling /proc until the processes are gone (bounded by the deadline)


def kill_tree(pgid: int, known: Iterable[Identity] = (), grace: float = 10.0) -> set[int]:
    """SIGTERM the group and every known descendant, SIGKILL what is left after `grace` seconds.

    Returns the PIDs still alive at the end (empty unless a process cannot be killed).
    """
    targets = group_members(pgid) | {pid for pid, start in known if still_running((pid, start))}
    if alive(pgid):
        targets |= descendants(pgid)
    if not targets:
        return set()
    _signal_all(pgid, targets, signal.SIGTERM)
    _signal_all(pgid, targets, signal.SIGCONT)  # a frozen (SIGSTOPped) process handles SIGTERM only once resumed
    left = _wait_gone(targets, time.monotonic() + grace)
    if left:
        left |= group_members(pgid)
        _signal_all(pgid, left, signal.SIGKILL)
        left = _wait_gone(left, time.monotonic() + 5.0)
    return left
