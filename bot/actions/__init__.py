"""Rasa custom actions (run by ``python -m rasa_sdk --actions bot.actions``)."""

from .persona_reply import ActionPersonaReply

__all__ = ["ActionPersonaReply"]
