"""``action_persona_reply``: the only custom action; a thin adapter over ``bot.actions.roleplay``."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from . import signals
from .roleplay import reply_messages


def roleplay_metadata(tracker: Tracker) -> Any:
    """``metadata.roleplay`` of the latest user message (from parse data, else the last user event)."""
    metadata = (tracker.latest_message or {}).get("metadata")
    if not isinstance(metadata, dict):
        user_events = [e for e in tracker.events if e.get("event") == "user"]
        metadata = user_events[-1].get("metadata") if user_events else None
    return metadata.get("roleplay") if isinstance(metadata, dict) else None


class ActionPersonaReply(Action):
    """Answer the candidate in character and send the new engine state to the API."""

    def name(self) -> str:
        return "action_persona_reply"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        for message in reply_messages(
            tracker.latest_message or {}, roleplay_metadata(tracker), signals.read_turn
        ):
            dispatcher.utter_message(json_message=message)
        return []
