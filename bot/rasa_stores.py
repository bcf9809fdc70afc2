"""Rasa's tracker store, loaded by the Rasa server (``.venv-rasa``) from the endpoints file.

Why a bounded store: the app owns each conversation (persona, state, history) and opens one Rasa
conversation per candidate turn (``api.services.dialogue.turn_sender``), so a tracker is only
needed while its turn is processed, and a retry of that turn finds it if it is still there. Rasa's
default in-memory store keeps every tracker forever; this one keeps the most recent `max_trackers`
and forgets the oldest. A restart of Rasa, or a turn served by another Rasa server, loses nothing.

Configured by ``scripts/stack.py`` in the endpoints file it writes::

    tracker_store:
      type: bot.rasa_stores.BoundedInMemoryTrackerStore
      max_trackers: 2000
    lock_store:
      type: in_memory

Imports Rasa: never imported by the app or the action server.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from typing import Any

from rasa.core.tracker_store import InMemoryTrackerStore

from bot import rasa_patches

logger = logging.getLogger(__name__)
# Rasa imports this module at start (endpoints file): the place to fix its per-turn hot path.
rasa_patches.install()
DEFAULT_MAX_TRACKERS = 2000


class BoundedInMemoryTrackerStore(InMemoryTrackerStore):
    """Rasa's in-memory tracker store, forgetting the least recently saved trackers past a bound."""

    def __init__(self, domain: Any, host: Any = None, event_broker: Any = None,
                 max_trackers: int = DEFAULT_MAX_TRACKERS, **kwargs: Any) -> None:
        super().__init__(domain, event_broker, **kwargs)
        self.max_trackers = max(1, int(max_trackers))
        self.store: OrderedDict[str, str] = OrderedDict()
        logger.info("tracker store borné : %d conversations au plus, en mémoire", self.max_trackers)

    async def save(self, tracker: Any) -> None:
        """Save as Rasa does, then make it the most recent and drop the oldest beyond the bound."""
        await super().save(tracker)
        self.store.move_to_end(tracker.sender_id)
        while len(self.store) > self.max_trackers:
            self.store.popitem(last=False)
