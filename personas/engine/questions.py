"""Direct questions answered on their own words: the fact, the need, or a refusal in character.

Why: raters found the persona answering a direct question with filler (« Ça dépend. », « Plus ou
moins. ») or with another topic whenever the NLU gave the turn an argument's or a restatement's
intent, or too little confidence. When the turn's last question itself names something the persona
holds (a fact, a hidden need, a need already told), that question gets its answer: the fact (or the
fact's refusal), the need (or the guarded line when trust is too low), the next layer of a need told.

The question is read on its own sentence only, so that the words of a long lead-in (an argument, a
restatement) never pick the topic, and with no intent of its own (no topic is matched by intent).
Closed yes/no questions on a hidden need still reveal nothing (the pedagogical rule of open questions):
only what the turn reading calls an information question (ouverte, précise, alternative) is answered
with a need; a fact is answered to any direct question, as ``answer_fact`` does.
"""

from __future__ import annotations

import dataclasses

from personas.engine.context import TurnContext
from personas.engine.discovery import answer_open_question, followed_up_need, matching_need
from personas.engine.facts import answer_fact, fact_aimed_at
from personas.engine.reading import question_part

# The engine's pseudo-intent of an open question (see ``rereading.OPEN_QUESTION``).
_QUESTION = "open_question"


def answer_named_topic(ctx: TurnContext, speaker: str | None = None, information_only: bool = False) -> bool:
    """Answer the turn's last question when its own words name a fact or a need. True if it spoke.

    ``information_only``: after a restatement or an argument the persona has already answered, only
    an information question is one more thing to answer (« …, c'est bien ça ? » is the restatement's).
    """
    whole = ctx.reading
    if "?" not in whole.text or whole.english or (information_only and not whole.asks_information):
        return False
    asked = question_part(whole)
    closed = whole.closed_question and not whole.asks_information
    ctx.reading = dataclasses.replace(asked, intent=_QUESTION, topics=(), closed_question=closed,
                                      open_question=not closed, summary=False, accuracy=None, mismatches=())
    spoke = False
    try:
        if fact_aimed_at(ctx) is not None:
            spoke = answer_fact(ctx)
        informative = whole.asks_information and not closed  # the reading's: never a « c'est bien ça ? »
        if not spoke and informative and (matching_need(ctx, speaker) or followed_up_need(ctx, speaker)):
            ctx.event("question_answered_on_its_words")
            spoke = answer_open_question(ctx, speaker)
    finally:
        if not spoke:
            ctx.reading = whole
    return spoke
