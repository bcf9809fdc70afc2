"""The candidate intents shared with the NLU (bot/domain.yml) and the engine.

The names are fixed by the project brief; a persona YAML may only reference these, so a typo in a
persona file is caught by the schema instead of silently never matching.
"""

from __future__ import annotations

from typing import Literal, get_args

Intent = Literal[
    "greet",
    "introduce_self",
    "small_talk",
    "ask_situation",
    "ask_needs",
    "ask_pain_points",
    "ask_budget",
    "ask_decision_process",
    "ask_timing",
    "ask_competitors",
    "closed_question",
    "reformulate",
    "present_offer",
    "handle_objection",
    "propose_price",
    "concede",
    "ask_counterpart",
    "request_commitment",
    "propose_next_step",
    "summarize",
    "express_empathy",
    "assertive_statement",
    "aggressive_statement",
    "apologize",
    "invite_to_speak",
    "set_ground_rules",
    "reframe",
    "propose_solution",
    "ask_agreement",
    "goodbye",
    "out_of_scope",
    "nlu_fallback",
]

INTENTS: tuple[str, ...] = get_args(Intent)

# Intents that are, by nature, discovery questions. Used when no per-turn analysis is available.
QUESTION_INTENTS: frozenset[str] = frozenset(
    {
        "ask_situation",
        "ask_needs",
        "ask_pain_points",
        "ask_budget",
        "ask_decision_process",
        "ask_timing",
        "ask_competitors",
        "ask_counterpart",
    }
)
CLOSING_INTENTS: frozenset[str] = frozenset({"request_commitment", "propose_next_step", "ask_agreement"})
